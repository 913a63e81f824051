"""MODEL: the frozen records every stage after validation works with, located problems, the built-in
reference data (governorates, regions, vocabularies) and Arabic name folding.

Pure data and pure functions; imports nothing of reportgen but `settings` and `errors`, and no third-party library.
"""
