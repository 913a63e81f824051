"""WRITE: files that appear whole or not at all, output folders with their manifest, the digests that make
re-runs incremental, and imposition of finished PDFs for print (pypdf).

May import everything below it; only `commands` imports it.
"""
