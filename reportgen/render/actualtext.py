"""Give PDF text extractors the letters of each right-to-left run (/ActualText), around the glyphs drawn for it.

A PDF maps each glyph back to text once per font (/ToUnicode). Arabic breaks that: a lam-alef ligature is one
glyph for two letters, which extractors reverse with the rest of the right-to-left line (الأثاث comes out as
األثاث), and a letter first drawn with a mark maps to both everywhere. A marked-content span with /ActualText
overrides the glyphs' mapping. Extractors read a line in visual order and reorder right-to-left text
themselves, so a run's text is given as drawn: reversed. Left-to-right runs (digits, Latin) keep their
glyphs' own mapping, which is exact, and which each extractor's bidi puts in order.

MuPDF reverses Arabic-Indic digit runs as if they were right-to-left letters (٢٠٢٦ comes out ٦٢٠٢, from
Chrome's PDFs too). That is MuPDF's reading, not the document's text: an /ActualText holding reversed digits,
hidden from the other extractors by their quirks, would be read by conforming readers (Acrobat honours named
property lists and indirect strings) and make them copy wrong numbers, so digit runs keep their exact mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Bidi controls the templates put around numbers and codes: invisible, and they mislead extractors' bidi.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TJ = re.compile(rb"\[(.*)\] TJ", re.DOTALL)
_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|(-?[0-9.]+(?:e-?[0-9]+)?)")
_SPACES = " \u00a0"  # a space and a no-break space, each drawn as one glyph
_HEX_PER_GLYPH = 4  # two-byte glyph ids: every font reportgen embeds is an OpenType font


@dataclass(frozen=True)
class Run:
    """One run of a drawn line, in visual order: its glyphs drawn, its text (logical order), its direction."""

    glyphs: int
    text: str
    rtl: bool


def span_start(text: str) -> bytes:
    """Return the operators opening a /Span whose /ActualText is text."""
    return b"/Span << /ActualText <FEFF" + text.encode("utf-16-be").hex().upper().encode() + b"> >> BDC"


def visual_text(runs: list[Run]) -> str:
    """Return a line's text as drawn, left to right: right-to-left runs reversed, bidi controls dropped."""
    return _BIDI_CONTROLS.sub("", "".join(r.text[::-1] if r.rtl else r.text for r in runs))


def opening(run: Run) -> bytes | None:
    """Return the operator opening a right-to-left run's inline /Span; None for a left-to-right run."""
    if run.rtl and _BIDI_CONTROLS.sub("", run.text).strip():
        return span_start(visual_text([run]))
    return None


def with_spans(ops: list, runs: list[Run]) -> list | None:
    """Return one line's operators with each right-to-left run's glyphs inside the /Span opening gives it.

    ops are the operators WeasyPrint appended for the line (TJ arrays among font and rise changes);
    None when their glyphs do not add up to the runs' (then the caller spans the whole line).
    """
    starts: dict[int, bytes] = {}
    ends, first = set(), 0
    for run in runs:
        lead, trail = _edge_spaces(run) if run.glyphs else (0, 0)
        inner = Run(glyphs=run.glyphs - lead - trail, text=run.text.strip(_SPACES), rtl=run.rtl)
        start = opening(inner) if inner.glyphs > 0 else None
        if start is not None:
            # Drawn left to right, a right-to-left run's last letters come first: its trailing spaces too.
            starts[first + trail] = start
            ends.add(first + trail + inner.glyphs)
        first += run.glyphs
    out: list = []
    glyph, open_span = 0, False
    for op in ops:
        match = _TJ.fullmatch(op) if isinstance(op, bytes) else None
        if match is None:
            out.append(op)
            continue
        pieces: list[bytes] = []
        for token in _TOKEN.finditer(match.group(1)):
            if token.group(1) is None:
                pieces.append(token.group(2))
                continue
            hexes = token.group(1)
            if len(hexes) % _HEX_PER_GLYPH:
                return None
            for i in range(0, len(hexes), _HEX_PER_GLYPH):
                if (open_span and glyph in ends) or glyph in starts:
                    _flush(out, pieces)
                    if open_span and glyph in ends:
                        out.append(b"EMC")
                        open_span = False
                    if glyph in starts:
                        out.append(starts[glyph])
                        open_span = True
                pieces.append(b"<" + hexes[i : i + _HEX_PER_GLYPH] + b">")
                glyph += 1
        _flush(out, pieces)
    if glyph != first:
        return None
    if open_span:
        out.append(b"EMC")
    return out


def _edge_spaces(run: Run) -> tuple[int, int]:
    """Return the spaces a right-to-left run starts and ends with, which stay outside its /Span.

    PDFium reverses a span's text segment by segment: a space at the span's edge ends up at the wrong end and
    glues the run's last word to the next run's first (موردين غير + السبب came out غيرالسبب). A space drawn
    outside the span keeps its own mapping, which every extractor places.
    """
    text = _BIDI_CONTROLS.sub("", run.text)
    if not run.rtl or not text.strip(_SPACES):
        return 0, 0
    return len(text) - len(text.lstrip(_SPACES)), len(text) - len(text.rstrip(_SPACES))


def _flush(out: list, pieces: list[bytes]) -> None:
    """Append the pieces gathered as one TJ array (if any), and empty them."""
    if pieces:
        out.append(b"[" + b" ".join(pieces) + b"] TJ")
        pieces.clear()
