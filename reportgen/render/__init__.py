"""RENDER: turning a plan into pages: formatting numbers and dates (Babel, Hijri), HTML from templates
(Jinja2, sandboxed), charts and maps as SVG (matplotlib), and PDF (WeasyPrint, with the bundled fonts
and a locked-down URL fetcher).

May import `documents` (the plans it renders) and everything below; never writes a file.
"""
