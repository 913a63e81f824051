"""READ, first step: the .xlsx zip container checked (size, type, zip bombs) before any of its XML is parsed."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any, NoReturn

from reportgen.errors import UnreadableFile, quoted
from reportgen.i18n import N_, _

# Limits that keep a hostile or broken file from exhausting time or memory (README: limits and safety).
MAX_FILE_BYTES = 50 * 1024 * 1024  # the .xlsx itself
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024  # all members, uncompressed
MAX_COMPRESSION_RATIO = 200  # one member's uncompressed / compressed size
MAX_MEMBERS = 10_000  # files inside the zip (a workbook has tens; each costs memory to list)
# Parts openpyxl loads whole on opening a workbook, counted first (README: any workbook read in about 15 s).
MAX_SHARED_STRINGS = 500_000  # distinct texts: openpyxl builds each (500,000 take 9 s on a busy 2-core machine)
MAX_SHARED_STRINGS_BYTES = 60 * 1024 * 1024  # their XML, uncompressed
MAX_STYLE_ITEMS = 64_000  # cell formats, fonts, fills… per list: Excel's own limit on cell formats
MAX_STYLES_BYTES = 20 * 1024 * 1024  # styles.xml, uncompressed (64,000 formats take about 8 MB)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and legacy .xls


def check_container(path: Path) -> None:
    """Raise UnreadableFile unless path is a zip that can be an .xlsx workbook, within the limits."""
    where = quoted(path)
    if not path.exists():
        raise UnreadableFile(_("{path}: no such file").format(path=where))
    if not path.is_file():
        raise UnreadableFile(_("{path}: not a regular file (a folder, device or pipe)").format(path=where))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(
            _("{path}: {size} MB is over the {limit} MB limit").format(
                path=where, size=size // 1_048_576, limit=MAX_FILE_BYTES // 1_048_576
            )
        )
    if size == 0:
        raise UnreadableFile(_("{path}: the file is empty (0 bytes)").format(path=where))
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        raise UnreadableFile(
            _(
                "{path}: this is a password-protected workbook or an old .xls file; "
                "remove the password / save it as .xlsx (Excel Workbook) and try again"
            ).format(path=where)
        )
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK\x03\x04"):  # a zip's start without its end: cut short
            raise UnreadableFile(
                _(
                    "{path}: the workbook is damaged or incomplete (the file is cut short; copy or download it again)"
                ).format(path=where)
            )
        raise UnreadableFile(_("{path}: not an .xlsx workbook (expected an Excel 2007+ file)").format(path=where))
    members = _member_count(path)
    if members is not None and members > MAX_MEMBERS:
        raise UnreadableFile(
            _("{path}: {n} files inside, over the {limit} limit (a workbook holds a few dozen)").format(
                path=where, n=f"{members:,}", limit=f"{MAX_MEMBERS:,}"
            )
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(_("{path}: the file is damaged ({reason})").format(path=where, reason=exc)) from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile(
            _(
                "{path}: unpacks to {size} MB, over the {limit} MB limit (a zip bomb or a far too large workbook)"
            ).format(path=where, size=total // 1_048_576, limit=MAX_UNCOMPRESSED_BYTES // 1_048_576)
        )
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise UnreadableFile(
                _(
                    "{path}: member {member} is compressed {ratio}:1, more than a real workbook ever is (a zip bomb?)"
                ).format(path=where, member=quoted(info.filename), ratio=info.file_size // max(info.compress_size, 1))
            )
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise UnreadableFile(_("{path}: a zip file, but not an .xlsx workbook (no xl/workbook.xml)").format(path=where))
    try:
        with zipfile.ZipFile(path) as zf:
            _check_loaded_parts(path, zf)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
        raise UnreadableFile(
            _("{path}: the workbook is damaged or incomplete ({reason})").format(path=where, reason=exc)
        ) from exc


def _check_loaded_parts(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse a shared-strings or styles part too large for openpyxl to load, counted in one streaming pass."""
    names = set(zf.namelist())
    for part in sorted(_shared_strings_parts(zf) & names):
        _count(path, zf, part, MAX_SHARED_STRINGS_BYTES, "si", MAX_SHARED_STRINGS, N_("shared texts (<si>)"))
    if STYLES_PART in names:
        _count(path, zf, STYLES_PART, MAX_STYLES_BYTES, "", MAX_STYLE_ITEMS, N_("entries in one list"))


STYLES_PART = "xl/styles.xml"  # openpyxl reads the styles from this name only
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _shared_strings_parts(zf: zipfile.ZipFile) -> set[str]:
    """Return the parts [Content_Types].xml declares as shared strings (how openpyxl finds them)."""
    from xml.parsers import expat

    found: set[str] = set()

    def start(_name: str, attrs: dict[str, str]) -> None:
        if attrs.get("ContentType") == _SHARED_STRINGS_TYPE:
            found.add(attrs.get("PartName", "").lstrip("/"))

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.DefaultHandler = lambda _data: None  # set: internal entities are not expanded
    try:
        parser.Parse(zf.read("[Content_Types].xml"), True)
    except (KeyError, expat.ExpatError):
        pass  # openpyxl reports the damage itself
    return found or {"xl/sharedStrings.xml"}


def _count(path: Path, zf: zipfile.ZipFile, part: str, max_bytes: int, name: str, most: int, what: str) -> None:
    """Refuse part when its XML is over max_bytes or holds more than `most` of what is counted.

    With a name, the elements of that local name are counted wherever they are (as openpyxl finds
    shared texts); without, the children of each list under the root (<xf> in <cellXfs>, <font> in
    <fonts>…). Every element counts towards 5 × most in all, so nothing else can be piled up either.
    """
    from xml.parsers import expat

    size = zf.getinfo(part).file_size
    if size > max_bytes:
        raise UnreadableFile(
            _("{path}: part {part} is {size} MB unpacked, over the {limit} MB limit").format(
                path=quoted(path), part=quoted(part), size=size // 1_048_576, limit=max_bytes // 1_048_576
            )
        )
    state: dict[str, Any] = {"depth": 0, "count": 0, "all": 0, "list": ""}

    def too_many(limit: int, what: str) -> UnreadableFile:
        return UnreadableFile(
            _(
                "{path}: part {part} holds more than {limit} {what}, over the limit (counted before reading the "
                "workbook)"
            ).format(path=quoted(path), part=quoted(part), limit=f"{limit:,}", what=what)
        )

    def start(element: str, _attrs: dict) -> None:
        state["depth"] += 1
        state["all"] += 1
        local = element.removeprefix(_MAIN)
        if state["all"] > 5 * most:
            raise too_many(5 * most, _("XML elements"))
        if name and local == name or not name and state["depth"] == 3:
            state["count"] += 1
            if state["count"] > most:
                raise too_many(most, _(what) if name else f"{_(what)} (<{state['list']}>)")
        elif not name and state["depth"] == 2:
            state["list"], state["count"] = local, 0

    def end(_name: str) -> None:
        state["depth"] -= 1

    def refuse(*_args: object) -> NoReturn:
        raise UnreadableFile(
            _("{path}: part {part}: its XML declares entities, which reportgen refuses").format(
                path=quoted(path), part=quoted(part)
            )
        )

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = parser.ExternalEntityRefHandler = refuse
    try:
        with zf.open(part) as src:
            parser.ParseFile(src)
    except expat.ExpatError:
        return  # malformed XML: openpyxl reports it with the file's other damage


# The zip's end records (PKWARE APPNOTE.TXT 4.3.14-4.3.16), read with struct: zipfile has no public reader.
_END = struct.Struct("<4s4H2LH")  # signature, disks, entries here, entries in all, directory size and offset, comment
_ZIP64_LOCATOR = struct.Struct("<4sLQL")  # signature, disk, offset of the zip64 end record, disks
_ZIP64_END = struct.Struct("<4sQ2H2L4Q")  # signature, size, versions, disks, entries here, in all, directory


def _member_count(path: Path) -> int | None:
    """Return the number of files the zip's end record declares, read before the zip is listed."""
    try:
        with path.open("rb") as fh:
            size = fh.seek(0, io.SEEK_END)
            start = max(0, size - _END.size - 0xFFFF)  # the record, then a comment of up to 65,535 bytes
            fh.seek(start)
            tail = fh.read()
            at = tail.rfind(b"PK\x05\x06")
            if at < 0 or len(tail) - at < _END.size:
                return None
            total = _END.unpack_from(tail, at)[4]
            locator = at - _ZIP64_LOCATOR.size
            if total != 0xFFFF or locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
                return total
            fh.seek(_ZIP64_LOCATOR.unpack_from(tail, locator)[2])  # a zip64 file keeps the real count there
            record = fh.read(_ZIP64_END.size)
    except OSError:
        return None
    if len(record) < _ZIP64_END.size or record[:4] != b"PK\x06\x06":
        return total
    return _ZIP64_END.unpack(record)[7]
