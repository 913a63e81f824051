"""FONTS: the bundled font files (family names, @font-face rules, fontTools tables), the coverage check
(a character no bundled font draws is a located problem) and text metrics used to fit text before layout.

In a wheel the font files sit in this folder; in a checkout, in the top-level `fonts/`. May import
`input` (problems are located at cells), `model`, `settings` and `errors`.
"""
