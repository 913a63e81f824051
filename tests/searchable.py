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


def latin_digits_in_arabic(text: str) -> list[str]:
    """Return each Latin digit run of the text that belongs to no Latin run (ISO 9001:2015 does; 150 منحة not)."""
    found = []
    for line in text.splitlines():
        line = "".join(c for c in line if unicodedata.category(c) != "Cf")
        for run in _LATIN_RUN.finditer(line):
            if re.search("[0-9]", run.group()) and not re.search("[A-Za-z]", run.group()):
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
