"""`reportgen verify`: a verdict per dossier file, against the trusted signers and the status log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reportgen.certification.keys import BODY_CERT
from reportgen.certification.signing import load_trust_roots
from reportgen.certification.status import LOG_NAME
from reportgen.certification.verification import Verdict, verify_file
from reportgen.commands.status import CHANGED, log_changed, read_entries
from reportgen.errors import quoted
from reportgen.i18n import _
from reportgen.output.folder import OutputFolder


def run(files: list[Path], trust: list[Path], dossiers: Path | None = None) -> Iterator[Verdict]:
    """Yield each file's verdict, in order.

    The trusted signers are those given (--trust), else the body's certificate kept in the dossiers folder
    (dossiers, else the file's own folder); the status log is read from that folder too.
    """
    roots = load_trust_roots(list(trust)) if trust else None
    given = ", ".join(str(p) for p in trust)
    for path in files:
        folder = Path(dossiers) if dossiers is not None else Path(path).parent
        if roots is not None:
            file_roots, source = roots, f"--trust {given}"
        elif (folder / BODY_CERT).is_file():
            file_roots, source = load_trust_roots([folder / BODY_CERT]), str(folder / BODY_CERT)
        else:
            file_roots, source = None, ""
        verdict = verify_file(path, file_roots, source, read_entries(folder))
        manifest = OutputFolder.peek(folder)
        if manifest is not None and log_changed(manifest):
            verdict.problems.append(
                _("the status log {path} {changed}").format(path=quoted(folder / LOG_NAME), changed=_(CHANGED))
            )
        yield verdict
