"""A document's head stylesheets parsed once per process: taken for every built-in template, same PDF bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.render import pdf
from reportgen.render.pdf import PdfJob, render_pdf
from tests.pdftext import pages_text

# The cascade's corners the split must keep: order among the head's styles (the later wins), a style attribute
# over a rule, a rule's !important over a style attribute, WeasyPrint's defaults under everything.
CASCADE = """<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>t</title>
<style>
@page { size: A6; margin: 10mm; @top-center { content: "Running head"; } }
:root { --ink: #c00; --gap: 2mm; }
p { color: var(--ink); margin: var(--gap) 0; }
td { background: #eee !important; padding: 1mm; }
h1 { font-size: 14pt; }
</style>
<style class="values">:root { --ink: #036; --gap: 6mm; }</style>
</head><body><h1>عنوان</h1><p>نص أول</p><p style="color: #090">نص ثان</p>
<table><tr><td style="background: #f00">خلية</td><td>أخرى</td></tr></table>
<ul><li>بند</li></ul></body></html>"""


def _pdf(html: str) -> bytes:
    return render_pdf(PdfJob(html=html, base_dir=Path(".").resolve()))


def test_the_split_stylesheets_make_the_same_pdf_bytes_as_the_inline_ones(monkeypatch):
    assert pdf.split_styles(CASCADE) is not None
    split = _pdf(CASCADE)
    again = _pdf(CASCADE)  # the stylesheet now from the cache
    with monkeypatch.context() as m:
        m.setattr(pdf, "split_styles", lambda html: None)
        inline = _pdf(CASCADE)
    assert split == again == inline
    Path("split.pdf").write_bytes(split)
    assert "Running head" in pages_text(Path("split.pdf"))[0]  # the split's @page rule applied


def test_every_built_in_template_is_split_and_each_style_kept_in_order():
    from tests.golden import rendered

    for name, html in rendered().items():
        split = pdf.split_styles(html)
        assert split is not None, name
        rest, texts = split
        assert "<style" not in rest.lower(), name
        assert texts and "@page" in texts[0], name
        for text in texts:
            assert text in html, name
        assert len(rest) + sum(len(t) for t in texts) < len(html), name


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><style>p{}</style></head><body><style>p{color:red}</style></body></html>",
        '<html><head><link rel="stylesheet" href="a.css"><style>p{}</style></head><body></body></html>',
        '<html><head><style media="screen">p{}</style></head><body></body></html>',
        "<html><head><!-- <style>p{}</style> --><style>p{}</style></head><body></body></html>",
        '<html><head><style>@import "other.css"; p{}</style></head><body></body></html>',
        "<html><head><style>@counter-style x { system: cyclic; symbols: a; }</style></head><body></body></html>",
        "<html><head><style>p{}\r\nh1{}</style></head><body></body></html>",
        "<html><head><title>no style</title></head><body></body></html>",
        "<html><body><style>p{}</style></body></html>",
        "<html><head><title>a <style>p{}</style></title></head><body></body></html>",
        '<html><head><base href="file:///elsewhere/"><style>p{}</style></head><body></body></html>',
        "<html><head><style>a{}</style foo><style>b{}</style></head><body></body></html>",
        "<html><head><noscript><style>p{}</style></noscript></head><body></body></html>",
    ],
)
def test_a_document_the_split_could_change_is_left_to_weasyprint_as_it_is(html):
    assert pdf.split_styles(html) is None
