"""Is every printed word found, as typed, in the text three PDF engines extract (PDFium, poppler, MuPDF)?"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

import pymupdf
import pypdfium2

from reportgen.fonts.coverage import printed_text
from reportgen.render.formatting import UNIT_SYMBOL

EXTRACTORS = ("pdfium", "poppler", "mupdf")
# A word: a run of Arabic letters (with their marks and tatweel), of Latin letters, or a number.
_LETTERS = "\u0621-\u063a\u0640-\u065f\u0670-\u06d3"
_DIGITS = "0-9\u0660-\u0669"
WORD = re.compile(rf"[{_LETTERS}]+|[A-Za-z]+|[{_DIGITS}]+(?:[.,:/\u066b\u066c][{_DIGITS}]+)*")


def words(text: str) -> list[str]:
    """Return the words of text, invisible format characters (bidi controls, soft hyphens) removed."""
    visible = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return WORD.findall(visible)


def printed_words(html: str) -> list[str]:
    """Return every word the HTML document prints, in order."""
    return [w for piece in printed_text(html) for w in words(piece)]


def extracted(pdf: bytes, extractor: str) -> str:
    """Return the text one engine extracts from the PDF, all pages."""
    if extractor == "pdfium":
        document = pypdfium2.PdfDocument(pdf)
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    if extractor == "mupdf":
        return "\n".join(page.get_text() for page in pymupdf.open(stream=pdf, filetype="pdf"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout


def found_share(html: str, pdf: bytes, extractor: str) -> tuple[float, list[str]]:
    """Return the share of printed words (counted with repeats) found in the extracted text, and the missing ones."""
    printed = printed_words(html)
    present = set(words(extracted(pdf, extractor)))
    missing = [w for w in printed if w not in present]
    share = 1 - len(missing) / len(printed) if printed else 1.0
    return share, [w for w, _ in Counter(missing).most_common(15)]


# A Latin run as it comes out of an extractor: letters, digits and the marks binding them, spaces inside.
_RUN = r"[A-Za-z0-9.,:;/_+%#&≥≤=×°–\-]*"
_LATIN_RUN = re.compile(rf"±?[A-Za-z0-9°]{_RUN}(?:[ \u00a0]+±?[A-Za-z0-9≥≤=×°]{_RUN})*")


# A measure: numbers and a unit symbol only (±10 °C, 0.5 ppm). Its number is the text's: Arabic digits in Arabic text.
_MEASURE = re.compile(rf"±?[0-9][0-9.,]*(?:[ \u00a0]*{UNIT_SYMBOL})+")


def latin_digits_in_arabic(text: str) -> list[str]:
    """Return each Latin digit run of the text that belongs to no Latin run (ISO 9001:2015 does; 150 منحة and
    ±10 °C, a number with its unit, do not: docs/brief.md, "Digits")."""
    found = []
    for line in text.splitlines():
        line = "".join(c for c in line if unicodedata.category(c) != "Cf")
        for run in _LATIN_RUN.finditer(line):
            # a percentage or a measure after ≥ inside a Latin run is a quantity all the same (IRR ≥ 18%)
            latin = re.search("[A-Za-z]", run.group()) and not _MEASURE.fullmatch(run.group())
            latin = latin and not re.search(r"[0-9]\s*%|[≥≤=<>]\s*[0-9]", run.group())
            if re.search("[0-9]", run.group()) and not latin:
                found.append(line[max(0, run.start() - 20) : run.end() + 20].strip())
    return found


def broken_runs(html: str, pdf: bytes) -> list[str]:
    """Return the Latin runs printed whole (ISO 9001:2015, ±10 °C, EG-LX-001) that no extracted line holds whole."""
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in extracted(pdf, "poppler").splitlines()]
    lines = ["".join(c for c in line if unicodedata.category(c) != "Cf") for line in lines]
    runs = {
        "".join(c for c in run.group() if unicodedata.category(c) != "Cf").replace("\u00a0", " ")
        for piece in printed_text(html)
        for run in _LATIN_RUN.finditer(piece.replace("\u2060", ""))
        if re.search("[A-Za-z]", run.group()) and re.search(r"[ \u00a0\-]", run.group()) and len(run.group()) <= 24
    }
    return sorted(run for run in runs if not any(run in line for line in lines))


def redrawn(pdf: bytes, order) -> bytes:
    """Return the PDF with each TJ array's glyphs drawn in another order, every glyph where it was.

    order(texts) gets the glyphs' texts (their /ToUnicode) in drawing order and returns their indices in the
    order to draw them; each glyph is then placed by the kerning that brings the pen to its original position.
    """
    import io

    import pypdf
    from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, FloatObject

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    for page in writer.pages:
        fonts = {name: _glyphs_of(font.get_object()) for name, font in page["/Resources"]["/Font"].items()}
        stream = ContentStream(page.get_contents(), writer)
        font = None
        for operands, operator in stream.operations:
            if operator == b"Tf":
                font = fonts[operands[0]]
            if operator != b"TJ" or font is None:
                continue
            mapping, widths = font
            glyphs, pen = [], 0.0  # (glyph id, its pen position in thousandths of text space)
            for item in operands[0]:
                if isinstance(item, (int, float)):
                    pen -= float(item)
                    continue
                raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
                for i in range(0, len(raw), 2):
                    glyph = int.from_bytes(raw[i : i + 2], "big")
                    glyphs.append((glyph, pen))
                    pen += widths.get(glyph, 1000)
            array, at = ArrayObject(), 0.0
            for index in order([mapping.get(g, "") for g, _ in glyphs]):
                glyph, x = glyphs[index]
                if abs(x - at) > 1e-6:
                    array.append(FloatObject(round(at - x, 4)))
                array.append(ByteStringObject(glyph.to_bytes(2, "big")))
                at = x + widths.get(glyph, 1000)
            if abs(pen - at) > 1e-6:
                array.append(FloatObject(round(at - pen, 4)))
            operands[0] = array
        page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _glyphs_of(font) -> tuple[dict[int, str], dict[int, float]]:
    """Return a Type 0 font's glyph → text (/ToUnicode) and glyph → width (/W, thousandths of an em)."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping = {
        int(code, 16): bytes.fromhex(text).decode("utf-16-be")
        for code, text in re.findall(r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", cmap)
    }
    widths: dict[int, float] = {}
    w = list(font["/DescendantFonts"][0].get_object()["/W"])
    i = 0
    while i < len(w):
        first, following = int(w[i]), w[i + 1]
        if isinstance(following, list):
            widths.update({first + k: float(v) for k, v in enumerate(following)})
            i += 2
        else:
            widths.update({g: float(w[i + 2]) for g in range(first, int(following) + 1)})
            i += 3
    return mapping, widths


def ligatures_as_drawn(pdf: bytes) -> bytes:
    """Return the PDF with each glyph that stands for several Arabic letters mapped to them in reverse (as drawn)."""
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    done = set()
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if id(font) in done:
                continue
            done.add(id(font))

            def reverse(m: re.Match) -> str:
                text = bytes.fromhex(m.group(2)).decode("utf-16-be")
                if len(text) > 1 and all("\u0621" <= c <= "\u064a" for c in text):
                    text = text[::-1]
                return f"<{m.group(1)}> <{text.encode('utf-16-be').hex()}>"

            cmap = font["/ToUnicode"].get_object()
            data = cmap.get_data().decode("latin-1")
            cmap.set_data(re.sub(r"<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>", reverse, data).encode("latin-1"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
