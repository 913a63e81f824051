"""CERTIFICATION: what makes a certificate checkable: its number, its machine-readable record and
fingerprint, the QR payload and image, PAdES signing, verification of a finished dossier, and the register.

Below `documents` (the dossier planner numbers and fingerprints its certificate), so nothing here imports
a planner, a renderer or a writer; the register knows a dossier only as a type.
"""
