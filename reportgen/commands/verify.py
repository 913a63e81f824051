"""`reportgen verify`: a verdict per dossier file, against the trusted signers given."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reportgen.certification.signing import load_trust_roots
from reportgen.certification.verification import Verdict, verify_file


def run(files: list[Path], trust: list[Path]) -> Iterator[Verdict]:
    """Yield each file's verdict, in order."""
    roots = load_trust_roots(list(trust)) if trust else None
    for path in files:
        yield verify_file(path, roots)
