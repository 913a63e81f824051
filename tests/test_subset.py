"""Font subsetting with uharfbuzz: the glyphs, metrics and bounds fontTools made, and its pixels, on any machine."""

from __future__ import annotations

import io
import subprocess

import pytest
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont

from reportgen.fonts import subset
from reportgen.fonts.files import FONT_FACES
from reportgen.render import pdf
from reportgen.settings import fonts_dir
from tests.conftest import need_tool

TEXT = "الحلي والمشغولات النوبية بغرب سهيل — شهادة ٢٠٢٦ Certificate 123 ≥ ±"


def _used_glyphs(font: TTFont) -> set[int]:
    """Return the glyph ids a document would use: those of TEXT and a spread of others (marks, ligatures)."""
    cmap = font.getBestCmap()
    ids = {font.getGlyphID(cmap[ord(c)]) for c in TEXT if ord(c) in cmap}
    return ids | set(range(1, len(font.getGlyphOrder()), 37))


def _fonttools(data: bytes, glyph_ids: set[int]) -> TTFont:
    """Subset as WeasyPrint 70 does with fontTools (its own options), the oracle for what a subset holds."""
    options = ft_subset.Options(
        retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True, hinting=False, desubroutinize=True
    )
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    font = TTFont(io.BytesIO(data))
    subsetter = ft_subset.Subsetter(options)
    subsetter.populate(gids=glyph_ids)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return TTFont(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("file", sorted({file for _, file, _ in FONT_FACES}))
def test_the_subset_draws_what_fonttools_subset_draws_with_the_same_bounds(file):
    data = (fonts_dir() / file).read_bytes()
    used = _used_glyphs(TTFont(io.BytesIO(data)))
    ours = TTFont(io.BytesIO(subset.subset_font(data, 0, used, hinting=False, notdef_outline=False)), checkChecksums=2)
    theirs = _fonttools(data, used)
    assert len(ours.getGlyphOrder()) == len(theirs.getGlyphOrder())
    assert "GSUB" not in ours and "GPOS" not in ours and "fpgm" not in ours
    glyf_ours, glyf_theirs = ours["glyf"], theirs["glyf"]
    kept = 0
    for gid, name in enumerate(theirs.getGlyphOrder()):
        expected = glyf_theirs[name]
        got = glyf_ours[ours.getGlyphName(gid)]
        if expected.numberOfContours == 0:
            continue
        kept += 1
        if expected.isComposite():
            assert [(c.glyphName, c.x, c.y) for c in got.components] == [
                (c.glyphName, c.x, c.y) for c in expected.components
            ]
        else:
            assert list(got.coordinates) == list(expected.coordinates), name
            assert list(got.endPtsOfContours) == list(expected.endPtsOfContours), name
        assert ours["hmtx"][ours.getGlyphName(gid)][0] == theirs["hmtx"][name][0]
    assert kept >= len(used & {g for g in used if glyf_theirs[theirs.getGlyphName(g)].numberOfContours}) > 10
    head, expected_head = ours["head"], theirs["head"]
    assert (head.xMin, head.yMin, head.xMax, head.yMax) == (
        expected_head.xMin,
        expected_head.yMin,
        expected_head.xMax,
        expected_head.yMax,
    )


def test_tight_bounds_are_those_of_the_glyphs_left_and_the_checksums_still_hold():
    data = (fonts_dir() / "NotoSansArabic-Bold.ttf").read_bytes()
    full = TTFont(io.BytesIO(data))
    cmap = full.getBestCmap()
    used = {full.getGlyphID(cmap[ord(c)]) for c in "سهل"}
    loose = subset.subset_font(data, 0, used, hinting=False, notdef_outline=False)
    font = TTFont(io.BytesIO(loose), checkChecksums=2)  # raises on a wrong table checksum
    glyf = font["glyf"]
    boxes = [glyf[n] for n in font.getGlyphOrder() if glyf[n].numberOfContours]
    assert font["head"].yMax == max(g.yMax for g in boxes) < full["head"].yMax  # the full font's room for marks
    assert font["head"].yMin == min(g.yMin for g in boxes) > full["head"].yMin
    total = sum(int.from_bytes(loose[i : i + 4], "big") for i in range(0, len(loose), 4)) & 0xFFFFFFFF
    assert total == 0xB1B0AFBA  # the whole-font checksum OpenType requires, through checkSumAdjustment


def test_fonts_that_are_not_truetype_outlines_are_left_as_they_are():
    assert subset.with_tight_bounds(b"OTTO" + b"\0" * 8) == b"OTTO" + b"\0" * 8
    assert subset.subset_font(b"not a font", 0, {1}, hinting=False, notdef_outline=False) is None
    assert subset.subset_font(b"", 0, set(), hinting=False, notdef_outline=False) is None


HEADING = (
    '<html lang="ar" dir="rtl"><body style="margin: 0; font: bold 31pt \'RG Sans\'">'
    "<h1 style='font-size: 22pt; margin: 20pt'>الحلي والمشغولات النوبية بغرب سهيل</h1>"
    "<p style='font: 11pt \"RG Naskh\"'>غرب سهيل، محافظة أسوان ١٢٣</p></body></html>"
)


def _pixels(data: bytes, tmp_path, name: str) -> bytes:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    subprocess.run([need_tool("pdftoppm", "poppler-utils"), "-r", "100", "-gray", str(path), str(tmp_path / name)])
    return b"".join(p.read_bytes() for p in sorted(tmp_path.glob(f"{name}-*.pgm")))


def test_a_large_heading_rasterises_as_it_did_with_fonttools_and_not_without_tight_bounds(tmp_path, monkeypatch):
    job = pdf.PdfJob(html=HEADING, base_dir=tmp_path)
    harfbuzz = _pixels(pdf.render_pdf(job), tmp_path, "harfbuzz")
    monkeypatch.setattr(pdf, "subset_font", lambda *args, **kwargs: None)  # the fontTools fallback
    fonttools = _pixels(pdf.render_pdf(job), tmp_path, "fonttools")
    assert harfbuzz == fonttools
    monkeypatch.undo()
    # The cause of the difference seen before: poppler draws glyphs whose font bounds exceed 50 px unpositioned.
    monkeypatch.setattr(subset, "with_tight_bounds", lambda font: font)
    assert _pixels(pdf.render_pdf(job), tmp_path, "loose") != fonttools


def test_the_system_harfbuzz_subsetter_does_not_change_the_bytes(tmp_path, monkeypatch):
    from weasyprint.pdf import fonts

    job = pdf.PdfJob(html=HEADING, base_dir=tmp_path)
    before = pdf.render_pdf(job)

    def refuse(*args):
        raise AssertionError("WeasyPrint chose the subsetter instead of reportgen")

    monkeypatch.setattr(fonts, "harfbuzz_subset", object())  # as where Debian's libharfbuzz-subset0 is installed
    monkeypatch.setattr(fonts.Font, "_harfbuzz_subset", refuse)
    monkeypatch.setattr(fonts.Font, "_fonttools_subset", refuse)
    assert pdf.render_pdf(job) == before
