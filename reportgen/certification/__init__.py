"""CERTIFICATION: what makes a certificate checkable: its number and check character (numbers), its
machine-readable record in canonical form and fingerprint, the QR payload (record), the QR image made and
read back (qr), PAdES signing, verification of a finished dossier, and the register.

Below `documents` (the dossier planner numbers and fingerprints its certificate), so nothing here imports
a planner, a renderer or a writer; the register knows a dossier only as a type. Verification reads a
finished PDF through `input.pdffile`.
"""
