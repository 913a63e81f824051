"""Font subsetting with HarfBuzz from the uharfbuzz wheel: the same subsetter on every machine, in-process."""

from __future__ import annotations

import struct

import uharfbuzz as hb

# Tables a PDF never reads (text is already shaped; bitmap and SVG glyphs are not drawn): WeasyPrint's own list,
# added to HarfBuzz's default drop set.
_DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")


def subset_font(font: bytes, index: int, glyph_ids: set[int], *, hinting: bool, notdef_outline: bool) -> bytes | None:
    """Return face index of font with only glyph_ids (and their components) kept at their ids; None if it fails."""
    if not glyph_ids:
        return None
    flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if not hinting:
        flags |= hb.SubsetFlags.NO_HINTING
    if notdef_outline:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    plan = hb.SubsetInput()
    plan.flags = flags
    plan.glyph_set.update(glyph_ids)
    plan.drop_table_tag_set.update(int.from_bytes(tag, "big") for tag in _DROPPED)
    try:
        subset = hb.subset(hb.Face(hb.Blob(font), index), plan)
    except RuntimeError:  # HarfBuzz could not subset this font: the caller keeps another way
        return None
    data = bytes(subset.blob.data) if subset is not None else b""
    return with_tight_bounds(data) if data else None


def _tables(font: bytes) -> dict[bytes, tuple[int, int, int]]:
    """Return tag → (directory entry offset, table offset, length) of an sfnt font."""
    count = struct.unpack_from(">H", font, 4)[0]
    entries = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * i)
        entries[tag] = (12 + 16 * i, offset, length)
    return entries


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def with_tight_bounds(font: bytes) -> bytes:
    """Return a TrueType font whose head table bounds only the glyphs it still draws, as fontTools writes it.

    HarfBuzz keeps the whole font's bounds in a subset. Poppler's rasteriser sizes its glyph cells from them and
    draws glyphs taller than 50 pixels at whole-pixel positions: with loose bounds, large headings of Noto Sans
    Arabic Bold (whose full bounds make room for stacked marks) came out shifted by a fraction of a pixel.
    """
    tables = _tables(font)
    if not {b"head", b"loca", b"glyf"} <= tables.keys():
        return font  # CFF outlines: HarfBuzz keeps their bounds in the CFF table itself
    head_entry, head, head_length = tables[b"head"]
    _, loca, loca_length = tables[b"loca"]
    _, glyf, _ = tables[b"glyf"]
    long_offsets = struct.unpack_from(">h", font, head + 50)[0] == 1
    count = loca_length // (4 if long_offsets else 2)
    offsets = struct.unpack_from(f">{count}{'I' if long_offsets else 'H'}", font, loca)
    if not long_offsets:
        offsets = tuple(2 * o for o in offsets)
    boxes = [
        struct.unpack_from(">4h", font, glyf + start + 2)
        for start, end in zip(offsets, offsets[1:], strict=False)
        if end - start >= 10
    ]
    if not boxes:
        return font
    bounds = struct.pack(
        ">4h", min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
    )
    out = bytearray(font)
    out[head + 36 : head + 44] = bounds
    out[head + 8 : head + 12] = b"\0\0\0\0"  # checkSumAdjustment is computed with itself as zero
    struct.pack_into(">I", out, head_entry + 4, _checksum(bytes(out[head : head + head_length])))
    struct.pack_into(">I", out, head + 8, (0xB1B0AFBA - _checksum(bytes(out))) & 0xFFFFFFFF)
    return bytes(out)
