"""Reproducible output: SOURCE_DATE_EPOCH makes runs byte-identical; without it only dates and IDs differ."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.cli import cli
from tests.conftest import BODY_NAME
from tests.hostile_corpus import valid_sheets, write_xlsx

EPOCH = "1795046400"  # 2026-11-19 00:00 UTC
OUTPUTS = {  # command → (arguments, the PDFs it writes)
    "brief": (["-o", "out/brief.pdf"], ["brief.pdf"]),
    "handout": (["-o", "out/handout.pdf"], ["handout.pdf"]),
    "dossiers": (["-o", "out", "--jobs", "1"], ["EG-T-001.pdf"]),  # signed with the key beside the workbook
}


def render(command: str, workbook: Path, folder: Path, epoch: str | None) -> dict[str, bytes]:
    """Run command into a fresh folder and return {file name: bytes} of the PDFs it wrote."""
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    args, names = OUTPUTS[command]
    if command == "dossiers":
        args = [*args, "--sign-password-file", str(workbook.parent / "password.txt")]
    r = subprocess.run(
        [sys.executable, "-m", "reportgen", command, str(workbook), *args, "-q"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    return {name: (folder / "out" / name).read_bytes() for name in names}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, body_key) -> Path:
    """Return the workbook, with the body's signing key and its password file beside it."""
    folder = tmp_path_factory.mktemp("repro")
    for made in (body_key.p12, body_key.pem, body_key.password_file):
        shutil.copy(made, folder / made.name)
    return write_xlsx(folder / "wb.xlsx", valid_sheets())


@pytest.mark.parametrize("command", [c for c in OUTPUTS if c in cli.commands])
def test_same_input_same_bytes_with_source_date_epoch(command, workbook, tmp_path):
    first = render(command, workbook, tmp_path / "a", EPOCH)
    second = render(command, workbook, tmp_path / "b", EPOCH)
    assert first == second
    from pypdf import PdfReader

    for data in first.values():
        reader = PdfReader(io.BytesIO(data))
        assert reader.trailer["/ID"][0]  # a file identifier, derived from the content
        if command != "dossiers":  # a dossier is dated by its issue date
            assert reader.metadata["/CreationDate"] == "D:20261119000000Z"
        else:  # signed, at SOURCE_DATE_EPOCH's time, by the body (pyHanko reads the signature back)
            from reportgen.certification import signing

            (check,) = signing.check(data, signing.load_trust_roots([workbook.parent / "signing-certificate.pem"]))
            assert check.ok and check.trusted and check.signer == BODY_NAME
            (sig,) = PdfReader(io.BytesIO(data)).get_fields().values()
            assert sig.value["/M"] == "D:20261119000000Z"


def test_without_source_date_epoch_only_dates_and_ids_differ(workbook, tmp_path):
    first = render("brief", workbook, tmp_path / "a", None)["brief.pdf"]
    time.sleep(1.1)  # the PDF's and the subset fonts' dates have whole seconds
    second = render("brief", workbook, tmp_path / "b", None)["brief.pdf"]
    assert first != second
    a, b = objects(first), objects(second)
    assert a.keys() == b.keys()
    differing = {key for key in a if a[key] != b[key]}
    assert differing, "nothing differs but the bytes"
    assert {kind for kind, _ in differing} <= {"info", "trailer-id", "font"}, differing


def objects(data: bytes) -> dict[tuple[str, int], object]:
    """Return the PDF's objects, comparable: fonts without their modification date, streams decoded."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, StreamObject

    reader = PdfReader(io.BytesIO(data))
    out: dict[tuple[str, int], object] = {("trailer-id", 0): tuple(reader.trailer["/ID"])}
    info = reader.trailer["/Info"].get_object()
    out[("info", 0)] = {k: v for k, v in info.items()}
    info_ref = reader.trailer.raw_get("/Info").idnum
    fonts = set()
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject) and "/FontFile2" in obj:
            fonts.add(obj.raw_get("/FontFile2").idnum)
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        if number == info_ref or (isinstance(obj, StreamObject) and obj.get("/Type") in ("/ObjStm", "/XRef")):
            continue  # the dates; and containers, whose objects are compared one by one
        if number in fonts:
            out[("font", number)] = font_without_dates(obj.get_data())
        elif isinstance(obj, StreamObject):
            out[("stream", number)] = (obj.get_data(), plain({k: obj.raw_get(k) for k in obj if k != "/Length"}))
        else:
            out[("object", number)] = plain(obj)
    return out


def plain(obj: object) -> object:
    """Return a PDF object as plain Python values, references as ("ref", number)."""
    from pypdf.generic import IndirectObject

    if isinstance(obj, IndirectObject):
        return ("ref", obj.idnum)
    if isinstance(obj, dict):
        return {str(k): plain(obj.raw_get(k) if hasattr(obj, "raw_get") else v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return repr(obj)


def font_without_dates(data: bytes) -> bytes:
    """Return a subset font's bytes with head.modified (and the checksum it changes) zeroed."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data))
    font["head"].modified = 0
    font["head"].checkSumAdjustment = 0
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()
