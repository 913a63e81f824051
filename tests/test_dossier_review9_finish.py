"""The dossier after the independent review (issue 10, ninth round, its last findings): its page of particulars
names every file attached to the PDF, the record and, in a signed certificate, the Open Badges credential; the
certificate draws no empty ruled strip between its conditions and its dates."""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

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
    """Review 9: a signed certificate carried open-badge-credential.jwt, but its text named only the record."""
    attached = {}
    for cid, path in request.getfixturevalue(which).items():
        attached[cid] = sorted(PdfReader(path).attachments)
        text = _particulars(path)
        for name in attached[cid]:
            assert name in text, (cid, name, text[:400])
        if "open-badge-credential.jwt" not in attached[cid]:
            assert "jwt" not in text and "Open Badges" not in text, (cid, "names a file it does not carry")
    if which == "signed":  # the case the review saw: two files, both named
        assert attached["EG-WAD-001"] == ["certificate-record.json", "open-badge-credential.jwt"]
        assert attached["EG-KB-001"] == ["certificate-record.json"]


GOLD = (0xC8 / 255, 0xA2 / 255, 0x4A / 255)  # --c-gold: the dates block's rules
CONDITIONS_BG = (1.0, 0xFD / 255, 0xF7 / 255)  # --c-conditions-bg: the conditions' rows


def _same(colour, reference) -> bool:
    return colour is not None and max(abs(a - b) for a, b in zip(colour, reference, strict=True)) < 0.01


def test_no_empty_ruled_strip_between_the_conditions_and_the_dates(drafts):
    """Review 9: on EG-WAD-001's certificate a grey rule closed the conditions table and, 7 mm below, the dates'
    gold rule opened the dates block: an empty strip ruled on both sides, like a blank row. The first rule under the
    conditions' rows is the gold one. MuPDF's drawings."""
    page = pymupdf.open(drafts["EG-WAD-001"])[0]
    drawings = page.get_drawings()
    rows = [d["rect"] for d in drawings if d["type"] == "f" and _same(d.get("fill"), CONDITIONS_BG)]
    assert rows, "the conditional certificate prints its conditions"
    bottom = max(r.y1 for r in rows)
    rules = sorted(
        (d["rect"].y0, _same(d.get("color"), GOLD))
        for d in drawings
        if "s" in d["type"] and d["rect"].height < 1 and d["rect"].y0 >= bottom - 1
    )
    assert rules and rules[0][1], [(round(y, 1), gold) for y, gold in rules[:4]]
