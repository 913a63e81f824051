"""The logo and the seal, checked before WeasyPrint sees them: a header for its pixels, an SVG for its size."""

from __future__ import annotations

import struct
from pathlib import Path

from reportgen.i18n import _

# A logo prints a few centimetres wide: 2,000 pixels are already 400 dpi at 12 cm.
MAX_LOGO_BYTES = 10 * 1_048_576
MAX_LOGO_PIXELS = 16_000_000  # 4,000 × 4,000; decoding costs about 4 bytes a pixel, several times over
MAX_SVG_BYTES = 1_048_576
MAX_SVG_ELEMENTS = 20_000  # counted with every <use> drawn out, as a renderer draws them

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class BadImage(ValueError):
    """The image cannot be used; the message says why."""


def check_logo(path: Path, what: str = "logo") -> None:
    """Raise BadImage when the image (`what`: logo or seal) is not what its name says, or costs too much to draw."""
    size = path.stat().st_size
    if size > MAX_LOGO_BYTES:
        raise BadImage(
            _("the {what} file is {size} MB, over the {limit} MB limit").format(
                what=_(what), size=f"{size / 1_048_576:.0f}", limit=MAX_LOGO_BYTES // 1_048_576
            )
        )
    suffix = path.suffix.lower()
    if suffix == ".svg":
        _check_svg(path, size, what)
        return
    with path.open("rb") as fh:
        head = fh.read(64 * 1024)
    kind, width, height = _dimensions(head, path, what)
    if kind != {".png": "PNG", ".gif": "GIF"}.get(suffix, "JPEG"):
        raise BadImage(
            _("the {what} is named {suffix} but holds {kind}").format(
                what=_(what), suffix=suffix, kind=kind or _("no image of a known kind")
            )
        )
    if width * height > MAX_LOGO_PIXELS:
        raise BadImage(
            _(
                "the {what} is {width} × {height} pixels, over the limit of {limit} million "
                "(a {what} needs about 1,000 pixels across; save a smaller copy)"
            ).format(what=_(what), width=f"{width:,}", height=f"{height:,}", limit=f"{MAX_LOGO_PIXELS / 1e6:.0f}")
        )


def _dimensions(head: bytes, path: Path, what: str = "logo") -> tuple[str, int, int]:
    """Return (kind, width, height) read from the image's header; kind is "" when not recognised."""
    if head.startswith(_PNG) and head[12:16] == b"IHDR":
        return ("PNG", *struct.unpack(">II", head[16:24]))
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return ("GIF", *struct.unpack("<HH", head[6:10]))
    if head.startswith(b"\xff\xd8"):
        return ("JPEG", *_jpeg_size(path, what))
    return "", 0, 0


def _jpeg_size(path: Path, what: str = "logo") -> tuple[int, int]:
    """Return a JPEG's (width, height) from its first frame header, walking the markers."""
    with path.open("rb") as fh:
        fh.seek(2)
        while True:
            marker = fh.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                raise BadImage(_("the {what} is a damaged JPEG (no frame header)").format(what=_(what)))
            if marker[1] in (0xD8, 0x01) or 0xD0 <= marker[1] <= 0xD7 or marker[1] == 0xFF:
                fh.seek(-1 if marker[1] == 0xFF else 0, 1)  # markers without a length; fill bytes
                continue
            (length,) = struct.unpack(">H", fh.read(2) or b"\0\0")
            if marker[1] in _JPEG_FRAMES:
                frame = fh.read(5)
                if len(frame) < 5:
                    break
                height, width = struct.unpack(">HH", frame[1:5])
                return width, height
            if length < 2:
                break
            fh.seek(length - 2, 1)
    raise BadImage(_("the {what} is a damaged JPEG (no frame header)").format(what=_(what)))


def _check_svg(path: Path, size: int, what: str) -> None:
    """Refuse an SVG over MAX_SVG_BYTES, or drawing more than MAX_SVG_ELEMENTS elements once <use> is expanded."""
    from xml.parsers import expat

    if size > MAX_SVG_BYTES:
        raise BadImage(
            _("the SVG {what} is {size} KB, over the {limit} KB limit").format(
                what=_(what), size=f"{size // 1024:,}", limit=f"{MAX_SVG_BYTES // 1024:,}"
            )
        )
    # Each open element: [elements in its subtree, ids its <use> elements point to]; closed ones with an id kept.
    stack: list[list] = [[0, []]]
    named: dict[str, tuple[int, list[str]]] = {}
    ids: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        href = next((v for k, v in attrs.items() if k == "href" or k.endswith("}href")), "")
        refs = [href[1:]] if name.rpartition("}")[2] == "use" and href.startswith("#") else []
        stack.append([1, refs])
        ids.append(attrs.get("id", ""))

    def end(_name: str) -> None:
        count, refs = stack.pop()
        element_id = ids.pop()
        if element_id:
            named[element_id] = (count, refs)
        stack[-1][0] += count
        stack[-1][1].extend(refs)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.DefaultHandler = lambda _data: None  # set: internal entities are not expanded
    try:
        with path.open("rb") as src:
            parser.ParseFile(src)
    except expat.ExpatError as exc:
        raise BadImage(
            _("the SVG {what} is not well-formed XML ({reason})").format(
                what=_(what), reason=expat.errors.messages.get(exc.code, exc)
            )
        ) from exc
    if _drawn(stack[0][0], stack[0][1], named) > MAX_SVG_ELEMENTS:
        raise BadImage(
            _(
                "the SVG {what} draws more than {limit} elements once its <use> references are "
                "expanded (nested <use>?); simplify it or save it as PNG"
            ).format(what=_(what), limit=f"{MAX_SVG_ELEMENTS:,}")
        )


def _drawn(count: int, refs: list[str], named: dict[str, tuple[int, list[str]]]) -> int:
    """Return the elements drawn: count plus each referenced subtree, expanded, stopping past the limit."""
    memo: dict[str, int] = {}
    visiting: set[str] = set()

    def expand(ref: str) -> int:
        if ref in memo:
            return memo[ref]
        if ref in visiting or ref not in named:
            return 0  # a reference to itself or to nothing draws nothing
        visiting.add(ref)
        own, inner = named[ref]
        total = own
        for r in inner:
            total = min(total + expand(r), MAX_SVG_ELEMENTS + 1)
        visiting.discard(ref)
        memo[ref] = total
        return total

    total = count
    for ref in refs:
        total = min(total + expand(ref), MAX_SVG_ELEMENTS + 1)
    return total
