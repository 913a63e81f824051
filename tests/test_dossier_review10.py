"""The dossier after the independent review (issue 10, tenth round): its page of particulars names every file
attached to the PDF, the record and, in a signed certificate, the Open Badges credential."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from tests.documents import SAMPLES

CLUSTERS = ("EG-WAD-001", "EG-KB-001")  # conditional (a credential beside the record), refused (the record alone)


def _dossiers(out: Path, *options: object) -> dict[str, Path]:
    clusters = [arg for cid in CLUSTERS for arg in ("--cluster", cid)]
    args = ["dossiers", SAMPLES / "clusters.xlsx", "-o", out, "-q", "--config", SAMPLES / "reportgen.toml"]
    result = CliRunner().invoke(cli, [*map(str, args), *clusters, *map(str, options)])
    assert result.exit_code == 0, result.output
    return {cid: out / f"{cid}.pdf" for cid in CLUSTERS}


@pytest.fixture(scope="module")
def signed(tmp_path_factory, body_key):
    return _dossiers(
        tmp_path_factory.mktemp("signed"), "--sign", body_key.p12, "--sign-password-file", body_key.password_file
    )


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    return _dossiers(tmp_path_factory.mktemp("drafts"), "--unsigned")


def _particulars(path: Path) -> str:
    """Return the text of the page that says what is attached (the one naming the machine-readable copy)."""
    pages = [page.get_text().replace("\u00a0", " ") for page in pymupdf.open(path)]
    found = [re.sub(r"\s+", " ", page) for page in pages if "النسخة المقروءة آليا" in page]
    assert len(found) == 1, len(found)
    return found[0]


@pytest.mark.parametrize("which", ["signed", "drafts"])
def test_every_attached_file_is_named_on_the_particulars_page(request, which):
    """Review 10: a signed certificate carried open-badge-credential.jwt, but its text named only the record."""
    attached = {}
    for cid, path in request.getfixturevalue(which).items():
        with pikepdf.open(path) as pdf:
            attached[cid] = sorted(pdf.attachments)
        text = _particulars(path)
        for name in attached[cid]:
            assert name in text, (cid, name, text[:400])
        if "open-badge-credential.jwt" not in attached[cid]:
            assert "jwt" not in text and "Open Badges" not in text, (cid, "names a file it does not carry")
    if which == "signed":  # the case the review saw: two files, both named
        assert attached["EG-WAD-001"] == ["certificate-record.json", "open-badge-credential.jwt"]
        assert attached["EG-KB-001"] == ["certificate-record.json"]
