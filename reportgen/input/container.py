"""READ, first step: the .xlsx zip container checked (size, type, zip bombs) before any of its XML is parsed."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from reportgen.errors import UnreadableFile

# Limits that keep a hostile or broken file from exhausting time or memory (README: limits and safety).
MAX_FILE_BYTES = 50 * 1024 * 1024  # the .xlsx itself
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024  # all members, uncompressed
MAX_COMPRESSION_RATIO = 200  # one member's uncompressed / compressed size
MAX_MEMBERS = 10_000  # files inside the zip (a workbook has tens; each costs memory to list)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and legacy .xls


def check_container(path: Path) -> None:
    """Raise UnreadableFile unless path is a zip that can be an .xlsx workbook, within the limits."""
    if not path.exists():
        raise UnreadableFile(f"{path}: no such file")
    if not path.is_file():
        raise UnreadableFile(f"{path}: not a regular file (a folder, device or pipe)")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"{path}: {size // 1_048_576} MB is over the {MAX_FILE_BYTES // 1_048_576} MB limit")
    if size == 0:
        raise UnreadableFile(f"{path}: the file is empty (0 bytes)")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        raise UnreadableFile(
            f"{path}: this is a password-protected workbook or an old .xls file; "
            "remove the password / save it as .xlsx (Excel Workbook) and try again"
        )
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK\x03\x04"):  # a zip's start without its end: cut short
            raise UnreadableFile(
                f"{path}: the workbook is damaged or incomplete (the file is cut short; copy or download it again)"
            )
        raise UnreadableFile(f"{path}: not an .xlsx workbook (expected an Excel 2007+ file)")
    members = _member_count(path)
    if members is not None and members > MAX_MEMBERS:
        raise UnreadableFile(
            f"{path}: {members:,} files inside, over the {MAX_MEMBERS:,} limit (a workbook holds a few dozen)"
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"{path}: the file is damaged ({exc})") from exc
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFile(
            f"{path}: unpacks to {total // 1_048_576} MB, over the "
            f"{MAX_UNCOMPRESSED_BYTES // 1_048_576} MB limit (a zip bomb or a far too large workbook)"
        )
    for info in infos:
        if info.file_size > 1_000_000 and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise UnreadableFile(
                f"{path}: member {info.filename} is compressed {info.file_size // max(info.compress_size, 1)}:1, "
                "more than a real workbook ever is (a zip bomb?)"
            )
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise UnreadableFile(f"{path}: a zip file, but not an .xlsx workbook (no xl/workbook.xml)")


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
