"""READ + VALIDATE: the only reader of workbooks (openpyxl, behind the container and size guards), the
column contract, cell converters, and validation that turns raw sheets into `model` records plus every
problem, located. Also the starter workbook, which is the contract written out, and the only reader of
finished PDFs (pdffile: metadata, embedded files, pages as pictures) for `verify`.

May import `model`, `settings` and `errors`; never anything that plans, renders or writes files.
"""
