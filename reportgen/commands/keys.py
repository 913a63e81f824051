"""`reportgen keys new|import`: the certification body's signing key and certificate, kept beside the workbook."""

from __future__ import annotations

import os
from pathlib import Path

from reportgen.certification import keys, signing
from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _
from reportgen.output.atomic import write_bytes
from reportgen.settings import now


def targets(directory: Path, force: bool) -> tuple[Path, Path]:
    """Return where the key and certificate go in directory; refuse to replace a key unless forced."""
    key_path, cert_path = Path(directory) / keys.KEY_FILE, Path(directory) / keys.CERT_FILE
    existing = [quoted(p) for p in (key_path, cert_path) if p.exists()]
    if existing and not force:
        raise ReportgenError(
            _(
                "{files} already exist(s): a new key would make the dossiers signed so far fail to verify "
                "against the new certificate; use --force to replace it anyway"
            ).format(files=_(", ").join(existing))
        )
    return key_path, cert_path


def new(directory: Path, name: str, password: bytes, force: bool = False) -> tuple[Path, Path, keys.NewKey]:
    """Make the body's RSA key and self-signed certificate in directory; return both paths and the key."""
    key_path, cert_path = targets(directory, force)
    made = keys.new_key(name, password, now())
    return (*_save(key_path, cert_path, made), made)


def import_p12(
    source: Path, password: bytes | None, directory: Path, force: bool = False
) -> tuple[Path, Path, keys.NewKey]:
    """Copy a PKCS#12 key from a CA into directory (after checking it opens and verifies), with its certificate."""
    key_path, cert_path = targets(directory, force)
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise ReportgenError(
            _("cannot read {path}: {reason}").format(path=quoted(source), reason=exc.strerror)
        ) from exc
    made = keys.import_p12(data, password, str(source))
    signing.load_signer(signing.SigningKey(data, password, str(source)))
    return (*_save(key_path, cert_path, made), made)


def _save(key_path: Path, cert_path: Path, made: keys.NewKey) -> tuple[Path, Path]:
    # A name a verifier could not read is refused here, before the key exists and anything is signed with it.
    signing.check_certificate(made.certificate_pem, made.subject)
    write_bytes(key_path, made.p12)
    os.chmod(key_path, 0o600)  # the private key: its owner only (it is also encrypted with the password)
    write_bytes(cert_path, made.certificate_pem)
    return key_path, cert_path
