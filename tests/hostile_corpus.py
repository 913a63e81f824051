"""Hostile and broken workbooks, built in code: one function per bad input, each with what the user must see.

Every builder takes a folder, writes its input there and returns the workbook's path. Large inputs
(a million rows, a 10 MB cell, a zip bomb) are streamed into the zip so that building them costs
seconds and little memory; `docs/hostile-input.md` lists the same cases with what the user sees.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from tests.conftest import CLUSTER_HEADERS, cluster_row, write_xlsx


@dataclass(frozen=True)
class Case:
    """One bad input: how to build it, what the output must contain, and the exit code."""

    name: str
    build: Callable[[Path], Path]
    expect: tuple[str, ...]  # substrings of stdout + stderr of every command
    exit_code: int = 1
    rendered: bool = False  # True: the input is fine after normalisation and documents are made
    slow: bool = False  # big input: checked with validate and one rendering command only
    forbid: tuple[str, ...] = field(default=())  # substrings that must not appear


CASES: dict[str, Case] = {}


def case(*expect: str, exit_code: int = 1, rendered: bool = False, slow: bool = False, forbid: tuple[str, ...] = ()):
    """Register the decorated builder as a corpus case named after it."""

    def register(build: Callable[[Path], Path]) -> Callable[[Path], Path]:
        name = build.__name__
        CASES[name] = Case(name, build, tuple(expect), exit_code, rendered, slow, forbid)
        return build

    return register


# ---------------------------------------------------------------------------------------------
# Writing .xlsx files by hand, streaming, for inputs openpyxl would refuse or take long to write.

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>{sheets}'
    "</sheets></workbook>"
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
    "</Relationships>"
)
_WB_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = "</sheetData></worksheet>"


def col(index: int) -> str:
    """Return the column letter of a 1-based index."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def xml_cell(ref: str, value: object) -> str:
    """Return a <c> element: numbers as numbers, everything else as an inline string."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def xml_row(number: int, values: Iterable[object]) -> str:
    """Return a <row> element with a cell for each value that is not None."""
    cells = "".join(xml_cell(f"{col(i)}{number}", v) for i, v in enumerate(values, start=1) if v is not None)
    return f'<row r="{number}">{cells}</row>'


_SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _stream(out, chunks: Iterable[str | bytes]) -> None:
    """Write chunks to a zip member about a megabyte at a time."""
    buffer: list[bytes] = []
    size = 0
    for chunk in chunks:
        data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
        buffer.append(data)
        size += len(data)
        if size > 1 << 20:
            out.write(b"".join(buffer))
            buffer, size = [], 0
    out.write(b"".join(buffer))


def raw_xlsx(
    path: Path, sheets: dict[str, Iterable[str]], level: int = 6, parts: dict[str, Iterable[str | bytes]] | None = None
) -> Path:
    """Write a minimal .xlsx whose sheets' XML (and other parts': sharedStrings, styles) is streamed; return path."""
    titles = list(sheets)
    parts = parts or {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(
                sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(titles) + 1))
                + (_SHARED_STRINGS_TYPE if "xl/sharedStrings.xml" in parts else "")
            ),
        )
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr(
            "xl/workbook.xml",
            _WORKBOOK.format(
                sheets="".join(
                    f'<sheet name="{escape(t)}" sheetId="{n}" r:id="rId{n}"/>' for n, t in enumerate(titles, 1)
                )
            ),
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            _WB_RELS.format(rels="".join(_WB_REL.format(n=n) for n in range(1, len(titles) + 1))),
        )
        for n, title in enumerate(titles, start=1):
            with zf.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as out:
                _stream(out, sheets[title])
        for name, chunks in parts.items():
            with zf.open(name, "w", force_zip64=True) as out:
                _stream(out, chunks)
    return path


def sheet_xml(rows: Iterable[tuple[int, Iterable[object]]]) -> Iterator[str]:
    """Yield a sheet's XML for (row number, values) pairs."""
    yield SHEET_HEAD
    for number, values in rows:
        yield xml_row(number, values)
    yield SHEET_TAIL


def valid_sheets() -> dict[str, list[list]]:
    """Return a small workbook every command accepts (brief, dossiers, handout), to be spoiled by one case."""
    return {
        "settings": [
            ["key", "value"],
            ["title", "موجز اختبار"],
            ["organization", "جهة الاختبار"],
            ["issue_date", dt.date(2026, 11, 15)],
            ["conference", "مؤتمر الاختبار"],
            ["city", "الأقصر"],
            ["conference_dates", "2026-12-14 / 2026-12-15"],
            ["body_address", "الأقصر"],
            ["decision_maker", "لجنة منح الشهادة"],
        ],
        "clusters": [CLUSTER_HEADERS, cluster_row(1, "Luxor"), cluster_row(2, "قنا"), cluster_row(3, "EG-DT")],
        "interventions": [
            ["cluster_id", "axis", "intervention", "lead", "budget_egp", "start", "end"],
            ["EG-T-001", "marketing", "معرض تسويقي", "الجهاز", 250000, dt.date(2026, 1, 1), dt.date(2026, 6, 30)],
        ],
        "assessments": [
            ["cluster_id", "area", "criterion", "weight", "score"],
            ["EG-T-001", "materials", "مطابقة الخامات", 1, 90],
            ["EG-T-001", "product", "اختبار المتانة", 1, 85],
        ],
        "certifications": [
            ["cluster_id", "brand", "audit_date", "decision", "standard"],
            ["EG-T-001", "علامة الأقصر", dt.date(2026, 10, 1), "granted", "ISO 9001:2015"],
        ],
        "programme": [
            ["day", "start", "end", "title", "speakers", "venue"],
            ["اليوم الأول", dt.time(9, 0), dt.time(10, 0), "الافتتاح", "المنظمون", "القاعة الكبرى"],
        ],
    }


def _valid_xlsx(folder: Path, name: str = "good.xlsx") -> Path:
    return write_xlsx(folder / name, valid_sheets())


# ---------------------------------------------------------------------------------------------
# The container: not a workbook, damaged, encrypted, a bomb.


@case("no such file")
def missing_file(folder: Path) -> Path:
    """A path that does not exist."""
    return folder / "nothing-here.xlsx"


@case("empty")
def empty_file(folder: Path) -> Path:
    """A 0-byte file."""
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


@case("not an .xlsx workbook")
def not_a_workbook(folder: Path) -> Path:
    """A PDF renamed to .xlsx."""
    path = folder / "report.xlsx"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    return path


@case("not an .xlsx workbook")
def csv_named_xlsx(folder: Path) -> Path:
    """A CSV export saved with an .xlsx name."""
    path = folder / "export.xlsx"
    path.write_text("id,name,governorate\nEG-1,تجمع,الأقصر\n", encoding="utf-8")
    return path


@case("damaged or incomplete")
def truncated_zip(folder: Path) -> Path:
    """A real workbook cut off halfway (an interrupted download or copy)."""
    good = _valid_xlsx(folder)
    data = good.read_bytes()
    path = folder / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    good.unlink()
    return path


@case("damaged or incomplete")
def corrupt_member(folder: Path) -> Path:
    """A workbook whose sheet data was overwritten in the middle (bad CRC)."""
    good = _valid_xlsx(folder)
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("xl/worksheets/sheet2.xml")
    data = bytearray(good.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 10, start + min(info.compress_size, 200) - 10):
        data[k] ^= 0x5A
    path = folder / "corrupt.xlsx"
    path.write_bytes(bytes(data))
    good.unlink()
    return path


@case("not an .xlsx workbook (no xl/workbook.xml)")
def zip_not_xlsx(folder: Path) -> Path:
    """A zip archive of something else (an OpenDocument spreadsheet, say)."""
    path = folder / "other.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


def cfb_header() -> bytes:
    """Return the 512-byte header of an OLE2 compound file (how Office stores encrypted workbooks)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)  # signature, CLSID
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)  # minor, major version, byte order, shifts
    header += bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    header += struct.pack("<I", 0) + b"\xff" * (436 - 0)  # DIFAT: first sector, then free
    return header[:512].ljust(512, b"\xff")


@case("password-protected")
def password_protected(folder: Path) -> Path:
    """An encrypted workbook: Office wraps it in an OLE2 compound file ("EncryptedPackage")."""
    path = folder / "secret.xlsx"
    body = "EncryptionInfo EncryptedPackage".encode("utf-16-le")
    path.write_bytes(cfb_header() + body.ljust(1536, b"\x00"))
    return path


@case("compressed", "zip bomb")
def zip_bomb(folder: Path) -> Path:
    """A 250 KB file whose sheet unpacks to 256 MB of spaces (deflate's best ratio is about 1000:1)."""
    path = folder / "bomb.xlsx"
    chunk = b" " * (1 << 24)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=_SHEET_TYPE.format(n=1)))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK.format(sheets='<sheet name="clusters" sheetId="1" r:id="rId1"/>'))
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS.format(rels=_WB_REL.format(n=1)))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            out.write(SHEET_HEAD.encode())
            for _ in range(16):  # 16 × 16 MB
                out.write(chunk)
            out.write(SHEET_TAIL.encode())
    return path


@case("unpacks to", "zip bomb")
def zip_bomb_declared(folder: Path) -> Path:
    """A zip whose directory declares 4 GB of members per entry (lying sizes are refused before unpacking)."""
    good = _valid_xlsx(folder)
    data = bytearray(good.read_bytes())
    good.unlink()
    # Patch every central-directory entry's uncompressed size to 0xFFFFFF00 (about 4 GB).
    offset = 0
    while (offset := data.find(b"PK\x01\x02", offset)) != -1:
        data[offset + 24 : offset + 28] = struct.pack("<I", 0xFFFFFF00)
        offset += 4
    path = folder / "liar.xlsx"
    path.write_bytes(bytes(data))
    return path


@case("20,001 files inside, over the 10,000 limit")
def too_many_members(folder: Path) -> Path:
    """A zip of 20,001 empty files (listing each costs memory before anything is read)."""
    path = folder / "members.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(20_000):
            zf.writestr(f"x/{i}", b"")
    return path


@case("over the 50 MB limit", slow=True)
def oversized_file(folder: Path) -> Path:
    """A 51 MB file (sparse: costs no disk), refused on its size alone."""
    path = folder / "huge.xlsx"
    with path.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(51 * 1024 * 1024)
    return path


@case("its XML declares entities, which spreadsheet programs never write and reportgen refuses")
def xml_entity_bomb(folder: Path) -> Path:
    """A sheet with a "billion laughs" entity expansion (refused by defusedxml)."""
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return raw_xlsx(folder / "laughs.xlsx", {"clusters": [lol]})


@case("its XML declares entities", forbid=("root:x:0:0",))
def xml_external_entity(folder: Path) -> Path:
    """A sheet whose XML asks to include /etc/passwd (XXE); never read."""
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )
    return raw_xlsx(folder / "xxe.xlsx", {"clusters": [xxe]})


@case("the workbook cannot be read (its XML declares entities")
def entities_in_workbook_part(folder: Path) -> Path:
    """A valid workbook whose workbook.xml (parsed by openpyxl, entities unexpanded) holds a "billion laughs"."""
    good = _valid_xlsx(folder)
    laughs = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = folder / "laughs-in-workbook.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = f"<!DOCTYPE workbook [{laughs}]>".encode() + data.replace(
                    b"<workbookPr/>", b'<workbookPr codeName="&l9;"/>', 1
                )
            dst.writestr(info, data)
    good.unlink()
    return path


@case("sheet 'clusters': the XML is malformed (unclosed token, line 1")
def malformed_xml(folder: Path) -> Path:
    """A sheet whose XML stops mid-element."""
    return raw_xlsx(folder / "malformed.xlsx", {"clusters": [SHEET_HEAD, '<row r="1"><c r="A1" t="inl']})


@case("no clusters / التجمعات sheet (sheets found: Sheet1)")
def no_sheets(folder: Path) -> Path:
    """A workbook whose only sheet is empty and unnamed for us."""
    return raw_xlsx(folder / "blank.xlsx", {"Sheet1": [SHEET_HEAD, SHEET_TAIL]})


# ---------------------------------------------------------------------------------------------
# Size: rows, columns, cells.


def _many_cluster_rows(count: int) -> Iterator[str]:
    yield SHEET_HEAD
    yield xml_row(1, CLUSTER_HEADERS)
    govs = ("Luxor", "Qena", "EG-DT", "Sohag", "Aswan")
    row = (
        '<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>EG-M-{i:07d}</t></is></c>'
        '<c r="B{r}" t="inlineStr"><is><t>تجمع {i}</t></is></c><c r="C{r}" t="inlineStr"><is><t>{g}</t></is></c>'
        '<c r="E{r}" t="inlineStr"><is><t>الحرف اليدوية</t></is></c><c r="G{r}"><v>{e}</v></c>'
        '<c r="H{r}"><v>{w}</v></c></row>'
    )
    for start in range(1, count + 1, 10_000):
        yield "".join(
            row.format(r=i + 1, i=i, g=govs[i % 5], e=10 + i % 90, w=400 + i % 400)
            for i in range(start, min(start + 10_000, count + 1))
        )
    yield SHEET_TAIL


MILLION = 1_000_000


@case("clusters: more than 20,000 rows", slow=True)
def million_rows(folder: Path) -> Path:
    """A clusters sheet of a million rows (about 10 MB zipped, 90 MB of XML); reading stops at the cap."""
    return raw_xlsx(folder / "million.xlsx", {"clusters": _many_cluster_rows(MILLION)}, level=1)


@case("sheet 'clusters', row 1: more than 16,384 cells", slow=True)
def endless_row(folder: Path) -> Path:
    """One row of two million cells (a hand-made file; Excel stops at 16,384 columns)."""

    def chunks() -> Iterator[str]:
        yield SHEET_HEAD + '<row r="1">'
        for k in range(2_000_000 // 1000):
            yield "".join(f"<c><v>{k * 1000 + j}</v></c>" for j in range(1000))
        yield "</row>" + SHEET_TAIL

    return raw_xlsx(folder / "wide.xlsx", {"clusters": chunks()}, level=1)


def random_text(chars: int) -> str:
    """Return chars of incompressible Latin text (so the zip's ratio looks like a real file's)."""
    import base64

    return base64.b64encode(os.urandom(chars * 3 // 4 + 3)).decode("ascii")[:chars]


@case("clusters!B2 (اسم التجمع): text of 10,000,000 characters, over the 5,000 limit", slow=True)
def ten_megabyte_cell(folder: Path) -> Path:
    """A cluster name of 10 million characters."""

    def chunks() -> Iterator[str]:
        yield SHEET_HEAD
        yield xml_row(1, CLUSTER_HEADERS)
        row = cluster_row(1)
        row[1] = random_text(10_000_000)
        yield xml_row(2, row)
        yield xml_row(3, cluster_row(2))
        yield SHEET_TAIL

    return raw_xlsx(folder / "bigcell.xlsx", {"clusters": chunks()}, level=1)


def _repeated(head: str, entry: str, count: int, tail: str) -> Iterator[bytes]:
    """Yield head, count entries formatted with i (a block of 10,000 distinct ones, repeated), and tail."""
    yield head.encode()
    block = "".join(entry.format(i=i) for i in range(10_000)).encode()  # wider than deflate's 32 KB window
    for _ in range(count // 10_000):
        yield block
    yield tail.encode()


_SST = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_STYLES = '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>'


def _valid_clusters_xml() -> list[str]:
    return [SHEET_HEAD, xml_row(1, CLUSTER_HEADERS), xml_row(2, cluster_row(1)), SHEET_TAIL]


@case("part xl/sharedStrings.xml is 371 MB unpacked, over the 60 MB limit", slow=True)
def fifteen_million_shared_strings(folder: Path) -> Path:
    """A shared-strings part of 15 million entries (about 40 MB zipped): openpyxl would load them all first."""
    strings = _repeated(_SST, "<si><t>text {i:05d}</t></si>", 15_000_000, "</sst>")
    return raw_xlsx(folder / "strings.xlsx", {"clusters": _valid_clusters_xml()}, 1, {"xl/sharedStrings.xml": strings})


@case("part xl/sharedStrings.xml holds more than 500,000 shared texts (<si>), over the limit")
def shared_strings_over_the_count(folder: Path) -> Path:
    """1.5 million short shared texts in 28 MB: under the size limit, over the count (30 s of openpyxl loaded)."""
    strings = _repeated(_SST, "<si><t>{i}</t></si>", 1_500_000, "</sst>")
    return raw_xlsx(folder / "strings.xlsx", {"clusters": _valid_clusters_xml()}, 1, {"xl/sharedStrings.xml": strings})


@case("part xl/styles.xml is 60 MB unpacked, over the 20 MB limit")
def two_million_cell_formats(folder: Path) -> Path:
    """A styles part with 2 million cell formats (<xf>): openpyxl would build each before reading a cell."""
    styles = _repeated(_STYLES, '<xf numFmtId="{i}" fontId="0"/>', 2_000_000, "</cellXfs></styleSheet>")
    return raw_xlsx(folder / "styles.xlsx", {"clusters": _valid_clusters_xml()}, 1, {"xl/styles.xml": styles})


@case("part xl/styles.xml holds more than 64,000 entries in one list (<cellXfs>), over the limit")
def cell_formats_over_the_count(folder: Path) -> Path:
    """100,000 cell formats in 3 MB of XML (Excel's own limit is 64,000)."""
    styles = _repeated(_STYLES, '<xf numFmtId="{i}"/>', 100_000, "</cellXfs></styleSheet>")
    return raw_xlsx(folder / "styles.xlsx", {"clusters": _valid_clusters_xml()}, 1, {"xl/styles.xml": styles})


@case("3 clusters", exit_code=0, rendered=True)
def forged_dimension(folder: Path) -> Path:
    """A valid workbook whose clusters sheet claims to span A1:XFD1048576 (read-only readers trust it)."""
    good = _valid_xlsx(folder)
    path = folder / "dimension.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":  # clusters
                start = data.index(b"<dimension ref=")
                end = data.index(b"/>", start) + 2
                data = data[:start] + b'<dimension ref="A1:XFD1048576"/>' + data[end:]
            dst.writestr(info, data)
    good.unlink()
    return path


# ---------------------------------------------------------------------------------------------
# Content: types, headers, sheets, references, formulas, characters, dates.

WRONG_TYPES = {
    # sheet: {header: (bad value, cell)} — row 2 of each sheet
    "clusters": {
        "id": ("EG/<b>1</b>", "A2"),
        "governorate": ("Atlantis", "C2"),
        "enterprises": ("ثلاثون", "G2"),
        "workers": (12.5, "H2"),
        "women_share": ("140%", "I2"),
        "annual_output_egp": ("lots", "J2"),
        "export_share": (True, "K2"),
        "priority": ("urgent", "L2"),
    },
    "interventions": {
        "axis": ("astrology", "B2"),
        "budget_egp": ("-5", "E2"),
        "start": ("soon", "F2"),
        "end": ("31/02/2026", "G2"),
    },
    "assessments": {
        "area": ("weather", "B2"),
        "weight": (-1, "D2"),
        "score": (101, "E2"),
        "severity": ("fatal", "G2"),
        "due": ("tomorrow", "I2"),
        "closed": ("maybe", "J2"),
    },
    "certifications": {
        "audit_date": ("12/13/2026", "C2"),
        "decision": ("perhaps", "D2"),
        "issue_date": (3.5, "E2"),
        "valid_until": ("never", "F2"),
    },
    "programme": {"start": ("25:99", "A2"), "end": ("noon-ish", "B2")},
}


@case(
    *[f"{sheet}!{cell}" for sheet, cols in WRONG_TYPES.items() for _v, cell in cols.values()],
    "settings!B2 (تاريخ الإصدار): expected a date",
    "settings!B3 (موعد المؤتمر): expected one date or two",
)
def wrong_types(folder: Path) -> Path:
    """A wrong value in every typed column of every sheet, settings included."""
    clusters = dict(zip(CLUSTER_HEADERS, cluster_row(1), strict=True))
    clusters.update({h: v for h, (v, _c) in WRONG_TYPES["clusters"].items()})
    sheets = {
        "settings": [["key", "value"], ["issue_date", "last week"], ["conference_dates", "14–15 Dec"]],
        "clusters": [CLUSTER_HEADERS, list(clusters.values()), cluster_row(2)],
        "interventions": [
            ["cluster_id", "axis", "intervention", "lead", "budget_egp", "start", "end"],
            ["EG-T-002", "astrology", "x", "y", "-5", "soon", "31/02/2026"],
        ],
        "assessments": [
            [
                "cluster_id",
                "area",
                "criterion",
                "weight",
                "score",
                "finding",
                "severity",
                "corrective_action",
                "due",
                "closed",
            ],
            ["EG-T-002", "weather", "c", -1, 101, "", "fatal", "", "tomorrow", "maybe"],
        ],
        "certifications": [
            ["cluster_id", "brand", "audit_date", "decision", "issue_date", "valid_until"],
            ["EG-T-002", "b", "12/13/2026", "perhaps", 3.5, "never"],
        ],
        "programme": [["start", "end", "title"], ["25:99", "noon-ish", "t"]],
    }
    return write_xlsx(folder / "types.xlsx", sheets)


@case("clusters!M1: a second id / الرمز column (the first is A1)")
def duplicate_headers(folder: Path) -> Path:
    """Two id columns in one sheet (one Arabic, one English)."""
    sheets = valid_sheets()
    sheets["clusters"][0] = CLUSTER_HEADERS + ["الرمز"]
    return write_xlsx(folder / "dupheaders.xlsx", sheets)


@case("a second clusters / التجمعات sheet")
def duplicate_sheets(folder: Path) -> Path:
    """The clusters sheet twice, once named in Arabic."""
    sheets = valid_sheets()
    sheets["التجمعات"] = sheets["clusters"]
    return write_xlsx(folder / "dupsheets.xlsx", sheets)


@case(
    "the workbook has no clusters / التجمعات sheet (sheets found: settings, interventions, assessments, "
    "certifications, programme)"
)
def missing_required_sheet(folder: Path) -> Path:
    """No clusters sheet at all."""
    sheets = valid_sheets()
    del sheets["clusters"]
    return write_xlsx(folder / "nosheet.xlsx", sheets)


@case("clusters: missing required column governorate / المحافظة")
def missing_required_column(folder: Path) -> Path:
    """The governorate column is gone."""
    sheets = valid_sheets()
    index = CLUSTER_HEADERS.index("governorate")
    sheets["clusters"] = [r[:index] + r[index + 1 :] for r in sheets["clusters"]]
    return write_xlsx(folder / "nocolumn.xlsx", sheets)


@case(
    "interventions!A3 (رمز التجمع): no cluster has this id",
    "assessments!A2 (رمز التجمع): no cluster",
    "certifications!A2 (رمز التجمع): no cluster",
    "clusters!A5 (الرمز): duplicate cluster id",
)
def missing_references(folder: Path) -> Path:
    """Rows pointing at cluster ids that do not exist, and an id used twice."""
    sheets = valid_sheets()
    sheets["clusters"].append(cluster_row(1))
    sheets["interventions"].append(["EG-NOPE-9", "marketing", "x", "", None, None, None])
    sheets["assessments"] = [["cluster_id", "area", "criterion", "score"], ["EG-GHOST", "materials", "c", 80]]
    sheets["certifications"] = [["cluster_id", "brand", "audit_date"], ["EG-GHOST", "b", dt.date(2026, 1, 1)]]
    return write_xlsx(folder / "refs.xlsx", sheets)


@case(
    "clusters!G2 (عدد المنشآت): a formula with no calculated value",
    "clusters!H2 (عدد العاملين): a formula with no calculated value",
)
def circular_formulas(folder: Path) -> Path:
    """Formulas that refer to each other across sheets (never calculated, so no values)."""
    sheets = valid_sheets()
    sheets["clusters"][1] = cluster_row(1, enterprises="=clusters!H2", workers="=interventions!E2*clusters!G2")
    sheets["interventions"][1][4] = "=clusters!G2"
    return write_xlsx(folder / "circular.xlsx", sheets)


@case("clusters!G2 (عدد المنشآت): an Excel error value", "clusters!H3 (عدد العاملين): an Excel error value")
def excel_error_values(folder: Path) -> Path:
    """Cells holding #REF! and #DIV/0! (calculated formulas that failed)."""

    def chunks() -> Iterator[str]:
        yield SHEET_HEAD + xml_row(1, CLUSTER_HEADERS)
        row = cluster_row(1)
        row[6] = None
        yield xml_row(2, row).replace("</row>", '<c r="G2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
        row = cluster_row(2)
        row[7] = None
        yield xml_row(3, row).replace("</row>", '<c r="H3" t="e"><f>A99</f><v>#REF!</v></c></row>')
        yield SHEET_TAIL

    return raw_xlsx(folder / "errors.xlsx", {"clusters": chunks()})


@case(
    "clusters!G2 (عدد المنشآت): expected a number below 1,000,000,000,000,000",
    "clusters!J3 (قيمة الإنتاج السنوي): expected a number below",
    "interventions!E2 (الميزانية)",
    "interventions!F2 (البداية): expected a date",
)
def absurd_numbers(folder: Path) -> Path:
    """Counts and amounts of 10^300 and 1e308 (they overflow sums, charts and formatting downstream)."""
    sheets = valid_sheets()
    sheets["clusters"][1] = cluster_row(1, enterprises=10**300, workers=10**301)
    sheets["clusters"][2] = cluster_row(2, annual_output_egp=1e308)
    sheets["interventions"][1][4:6] = [10**25, 10**300]  # a budget, and a 301-digit "date"
    return write_xlsx(folder / "huge.xlsx", sheets)


# "تجمع الفخار" in presentation forms
PRESENTATION_NAME = "\ufe97\ufea0\ufee4\ufeca \ufe8e\ufee0\ufed4\ufea8\ufe8e\ufead"
INVISIBLE = "\u200f\u200b\u2066\u202e\ufeff\u00ad"


@case("0 error(s)", exit_code=0, rendered=True, forbid=("\ufe97", "\u202e"))
def presentation_forms_and_invisible_marks(folder: Path) -> Path:
    """Headers, sheet names, ids and names typed with presentation forms and invisible marks; all match."""
    clusters_title = "\ufe8d\ufedf\ufe98\ufea0\ufee4\ufecb\ufe8e\ufe95"  # التجمعات
    id_header = "\ufe8d\ufedf\ufeae\ufee3\ufeaf"  # الرمز
    headers = [id_header] + CLUSTER_HEADERS[1:]
    row = cluster_row(1, id=f"{INVISIBLE}EG-T-001\u200e", name=PRESENTATION_NAME + INVISIBLE)
    sheets = valid_sheets()
    sheets[f"{INVISIBLE[:2]}{clusters_title} "] = [headers, row, cluster_row(2), cluster_row(3)]
    del sheets["clusters"]
    sheets["interventions"][1][0] = "EG-T-001"  # plain id refers to the marked one
    return write_xlsx(folder / "forms.xlsx", sheets)


@case(
    'clusters!G2 (عدد المنشآت): expected a whole number (0 or more), got "\\x9b2J\\u202eثلاثون"',
    forbid=("\x9b", "\u202e"),
)
def terminal_controls(folder: Path) -> Path:
    """A cell whose text, echoed as is, would clear the terminal (CSI 2J) and reverse the line (RLO)."""
    sheets = valid_sheets()
    sheets["clusters"][1] = cluster_row(1, enterprises="\x9b2J\u202eثلاثون")
    return write_xlsx(folder / "controls.xlsx", sheets)


@case(
    "warning: clusters!B2: the character '😀' (U+1F600 GRINNING FACE) is in none of the bundled fonts",
    "warning: certifications!B2: the character '𝄞'",
    "0 error(s), 2 warning(s)",
    exit_code=0,
    rendered=True,
)
def characters_no_font_has(folder: Path) -> Path:
    """An emoji and a musical symbol: printed with a warning naming the cell (an error with --strict)."""
    sheets = valid_sheets()
    sheets["clusters"][1][1] = "تجمع الفخار 😀"
    sheets["certifications"][1][1] = "علامة 𝄞"
    return write_xlsx(folder / "glyphs.xlsx", sheets)


@case(
    "clusters!A5 (الرمز): duplicate cluster id: A2 holds 'EG-T-001', which differs only in letter case",
    "clusters!A6 (الرمز): duplicate cluster id: A2 holds 'EG-T-001'",  # a full-width １: NFKC makes it 1
    "clusters!A7 (الرمز): duplicate cluster id (first used at A3)",  # É typed as E + combining accent
    "clusters!A8 (الرمز): duplicate cluster id (first used at A4)",  # a zero-width space inside
    'clusters!A9 (الرمز): expected an id of at most 20 letters, digits and dashes (e.g. EG-LX-003), got "EG-T-\\u2060006"',  # noqa: E501
    "clusters!A10 (الرمز): expected an id of at most 20 letters, digits and dashes",  # dots
    "clusters!A11 (الرمز): expected an id of at most 20 letters, digits and dashes",  # spaces
    "clusters!A12 (الرمز): expected an id of at most 20 letters, digits and dashes",  # a trailing dash
)
def ids_naming_one_file(folder: Path) -> Path:
    """Ids that differ only once turned into file names (case, Unicode forms, invisible marks), and bad ids."""
    sheets = valid_sheets()
    ids = [
        "ÉG-T-004",
        "EG-T-005",
        "eg-t-001",
        "EG-T-00\uff11",
        "E\u0301G-T-004",
        "EG-T-\u200b005",
        "EG-T-\u2060006",
        "EG.T.007",
        "EG T 008",
        "EG-T-009-",
    ]
    sheets["clusters"] = sheets["clusters"][:2] + [cluster_row(i + 4, id=cid) for i, cid in enumerate(ids)]
    return write_xlsx(folder / "ids.xlsx", sheets)


@case(
    "warning: clusters!A3 (الرمز): the id mixes letters of 2 scripts (Latin, Cyrillic)",
    "0 error(s), 1 warning(s)",
    exit_code=0,
    rendered=True,
)
def id_mixing_scripts(folder: Path) -> Path:
    """A Cyrillic Х in an otherwise Latin id (EG-LХ-001): accepted with a warning; Arabic ids are fine."""
    sheets = valid_sheets()
    sheets["clusters"][2] = cluster_row(2, "قنا", id="EG-LХ-002")
    sheets["clusters"][3] = cluster_row(3, "EG-DT", id="قنا-٣")
    return write_xlsx(folder / "scripts.xlsx", sheets)


def png(path: Path, width: int, height: int) -> Path:
    """Write a valid grey PNG of width × height pixels, all white, streamed (a 30,000² one is 1 MB)."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    squeeze = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * width  # filter type 0, then the row's pixels
    idat = b"".join(squeeze.compress(row * 64) for _ in range(height // 64))
    idat += squeeze.compress(row * (height % 64)) + squeeze.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def _with_logo(folder: Path, name: str) -> Path:
    sheets = valid_sheets()
    sheets["settings"].append(["logo", name])
    return write_xlsx(folder / "logo.xlsx", sheets)


@case("settings!B10 (الشعار): the logo is 12,000 × 12,000 pixels, over the limit of 16 million")
def logo_of_144_megapixels(folder: Path) -> Path:
    """A 12,000 × 12,000 PNG logo (140 KB): decoding it took 50 s and 1.3 GB, and it was printed."""
    png(folder / "big.png", 12_000, 12_000)
    return _with_logo(folder, "big.png")


@case("settings!B10 (الشعار): the logo is 30,000 × 30,000 pixels, over the limit of 16 million")
def logo_of_900_megapixels(folder: Path) -> Path:
    """A 30,000 × 30,000 PNG logo (900 KB): Pillow refused it as a bomb and the logo was left out without a word."""
    png(folder / "huge.png", 30_000, 30_000)
    return _with_logo(folder, "huge.png")


@case("settings!B10 (الشعار): the SVG logo draws more than 20,000 elements once its <use> references are expanded")
def logo_svg_nested_use(folder: Path) -> Path:
    """An SVG of 10 levels of groups, each using the one below ten times: 10¹⁰ shapes from 1 KB."""
    levels = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, 11):
        uses = "".join(f'<use xlink:href="#l{level - 1}" x="{k}"/>' for k in range(10))
        levels.append(f'<g id="l{level}">{uses}</g>')
    (folder / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" '
        f'height="100"><defs>{"".join(levels)}</defs><use xlink:href="#l10"/></svg>',
        encoding="utf-8",
    )
    return _with_logo(folder, "logo.svg")


@case("0 error(s)", exit_code=0, rendered=True)
def logo_at_the_limits(folder: Path) -> Path:
    """A 4,000 × 4,000 PNG logo, the largest accepted: every document is made with it."""
    png(folder / "logo.png", 4_000, 4_000)
    return _with_logo(folder, "logo.png")


def filler(length: int, words: str = "جودة الحرف اليدوية المصرية ") -> str:
    """Return Arabic words of exactly length characters (no trailing space)."""
    text = (words * (length // len(words) + 1))[:length]
    return text[:-1] + "ه" if text.endswith(" ") else text


def _longest(sheet: str, header: str) -> str:
    """Return a text as long as the column allows."""
    from reportgen.input.columns import ALL_SHEETS, Text

    spec = next(s for s in ALL_SHEETS if s.key == sheet)
    column = next(c for c in spec.columns if c.key == header)
    assert isinstance(column.convert, Text), (sheet, header)
    return filler(column.convert.max_chars)


LONGEST_ID = "EG-" + "L" * 13 + "-001"  # 20 characters, the most an id may have


def longest_texts_sheets() -> dict[str, list[list]]:
    """Return a workbook whose every text field is as long as allowed, with the most a certificate holds:
    a conditional decision, and more open non-conformities than the certificate lists."""
    t = _longest
    settings_keys = (
        "title",
        "organization",
        "subtitle",
        "certifying_body",
        "conference",
        "city",
        # what the certificate page prints besides the certification row: the body's address, the accreditation
        # mark, two signatories with their titles
        "body_address",
        "accreditation",
        "signatory",
        "signatory_title",
        "signatory_2",
        "signatory_2_title",
    )
    headers = ["cluster_id", "area", "criterion", "weight", "score", "finding", "severity", "corrective_action", "due"]
    return {
        "settings": [["key", "value"], ["issue_date", dt.date(2026, 11, 15)]]
        + [[key, t("settings", key)] for key in settings_keys],
        "clusters": [
            CLUSTER_HEADERS,
            cluster_row(
                1,
                id=LONGEST_ID,
                name=t("clusters", "name"),
                locality=t("clusters", "locality"),
                sector=t("clusters", "sector"),
                products=t("clusters", "products"),
            ),
        ],
        "interventions": [
            ["cluster_id", "axis", "intervention", "lead", "budget_egp", "kpi", "status"],
            [
                LONGEST_ID,
                "marketing",
                t("interventions", "intervention"),
                t("interventions", "lead"),
                250000,
                t("interventions", "kpi"),
                t("interventions", "status"),
            ],
        ],
        "assessments": [headers]
        + [
            [
                LONGEST_ID,
                area,
                t("assessments", "criterion"),
                1,
                85,
                t("assessments", "finding"),
                "minor",
                t("assessments", "corrective_action"),
                dt.date(2026, 12, 31),
            ]
            for area in ("materials", "processes", "product", "brand", "customer_requirements")
        ],
        "certifications": [
            [
                "cluster_id",
                "brand",
                "standard",
                "scope",
                "certifying_body",
                "lead_auditor",
                "brand_owner",
                "holder_address",
                "audit_date",
                "decision",
            ],
            [
                LONGEST_ID,
                t("certifications", "brand"),
                t("certifications", "standard"),
                t("certifications", "scope"),
                t("certifications", "certifying_body"),
                t("certifications", "lead_auditor"),
                t("certifications", "brand_owner"),
                t("certifications", "holder_address"),
                dt.date(2026, 10, 1),
                "conditional",
            ],
        ],
        "programme": [
            ["day", "start", "end", "title", "speakers", "venue"],
            [
                filler(40),
                dt.time(9, 0),
                dt.time(10, 0),
                t("programme", "title"),
                t("programme", "speakers"),
                t("programme", "venue"),
            ],
        ],
    }


@case("0 error(s)", exit_code=0, rendered=True)
def longest_allowed_texts(folder: Path) -> Path:
    """Every text field as long as allowed (tests/test_hostile.py also checks the certificate keeps to a page)."""
    return write_xlsx(folder / "longest.xlsx", longest_texts_sheets())


@case(
    "clusters!B2 (اسم التجمع): expected a text of at most 300 characters (this one has 5,000)",
    "certifications!D2 (نطاق الشهادة): expected a text of at most 250 characters (this one has 5,000)",
    "assessments!H2 (الإجراء التصحيحي): expected a text of at most 800 characters (this one has 5,000)",
    "settings!B3 (العنوان): expected a text of at most 150 characters (this one has 5,000)",
)
def texts_longer_than_the_layout(folder: Path) -> Path:
    """5,000 characters in every text field (was a 44-page dossier with overprinted lines that verify rejected)."""
    sheets = longest_texts_sheets()
    for rows in sheets.values():
        for row in rows[1:]:
            for k, value in enumerate(row):
                if isinstance(value, str) and len(value) > 20 and not value.startswith("EG-"):
                    row[k] = filler(5_000)
    return write_xlsx(folder / "long.xlsx", sheets)


FAR_DATES = (dt.date(1800, 1, 1), dt.date(9999, 12, 31))


@case(
    "interventions!F2 (البداية): expected a date from 1900 to 2199",
    "interventions!G2 (النهاية): expected a date from 1900 to 2199",
    "settings!B4 (تاريخ الإصدار): expected a date from 1900 to 2199",
    "certifications!C2 (تاريخ التقييم): expected a date from 1900 to 2199",
)
def far_dates(folder: Path) -> Path:
    """Date cells in the years 1800 and 9999 (Excel accepts them; Hijri conversion covers 1924–2077)."""
    sheets = valid_sheets()
    sheets["settings"][3][1] = FAR_DATES[1]
    sheets["interventions"][1][5:7] = list(FAR_DATES)
    sheets["certifications"] = [
        ["cluster_id", "brand", "audit_date", "issue_date", "valid_until"],
        ["EG-T-001", "b", FAR_DATES[0], FAR_DATES[1], FAR_DATES[1]],
    ]
    return write_xlsx(folder / "dates.xlsx", sheets)


@case("0 error(s)", exit_code=0, rendered=True)
def dates_outside_hijri_tables(folder: Path) -> Path:
    """Plausible dates the Hijri tables do not cover (1901, 2150): printed in Gregorian only, no crash."""
    sheets = valid_sheets()
    sheets["settings"][3][1] = dt.date(2150, 6, 1)
    sheets["interventions"][1][5:7] = [dt.date(1901, 1, 1), dt.date(2150, 1, 1)]
    return write_xlsx(folder / "hijri.xlsx", sheets)


def build_all(folder: Path) -> dict[str, Path]:
    """Build every case into its own sub-folder of folder; return {name: workbook path}."""
    out = {}
    for name, c in CASES.items():
        sub = folder / name
        sub.mkdir(parents=True, exist_ok=True)
        out[name] = c.build(sub)
    return out
