"""The dossier as a certification body would sign it (issue 10, fourth review): the specimen mark seen but never
read, a management-system mark kept off products, the certificate set as certificates are, the decision rule's
steps and the refusal letter worded formally, chart values clear of their bars. Read from the sample dossiers'
HTML, their finished PDFs (PDFium, poppler, MuPDF) and the pixels MuPDF draws."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import pymupdf
import pytest

from tests.documents import SAMPLES
from tests.documents import WORDING_DOSSIERS as RENDERED
from tests.layout import _XLINK, _points, _transform, svg_clipped
from tests.searchable import EXTRACTORS, extracted
from tests.test_dossier_typesetting import poppler_lines

MARK_WORDS = ("SPECIMEN", "نموذج")


def _html(d, tmp_path) -> str:
    from reportgen.commands import issuing

    return issuing.html_of(d, tmp_path).replace("\u00a0", " ")


def _flat(pdf: bytes) -> list[str]:
    """Return each page's text as poppler reads it: spaces collapsed, the Arabic comma without poppler's spaces."""
    pages = "\n".join(poppler_lines(pdf)).split("\f")
    return [re.sub(r" *، *", "، ", re.sub(r"\s+", " ", p.replace("\u00a0", " "))) for p in pages]


# ----------------------------------------------------------------------------- the specimen mark


@pytest.mark.parametrize("cid", RENDERED)
@pytest.mark.parametrize("extractor", EXTRACTORS)
def test_the_specimen_mark_is_not_in_the_text_layer(planned, pdfs, cid, extractor):
    assert planned[cid].specimen  # the samples' settings ask for the mark
    text = extracted(pdfs[cid], extractor)
    assert not [w for w in MARK_WORDS if w in text], f"{cid}: the mark is text that {extractor} extracts"


def _mark_pixels(page: pymupdf.Page) -> int:
    """Count the pixels of the mark's pale red (#c0392b at 22 % over paper), drawn at 40 dpi."""
    pix = page.get_pixmap(dpi=40, alpha=False)
    data, n = pix.samples, pix.n
    count = 0
    for i in range(0, len(data), n):
        r, g, b = data[i], data[i + 1], data[i + 2]
        if r > 225 and 195 <= g <= 228 and 190 <= b <= 225 and r - g > 12 and r - b > 12:
            count += 1
    return count


@pytest.mark.parametrize("cid", RENDERED)
def test_the_specimen_mark_is_still_seen_on_every_page(planned, pdfs, cid):
    from reportgen.commands import issuing

    unmarked = issuing.render(dataclasses.replace(planned[cid], specimen=False), SAMPLES).pdf
    marked_doc, plain_doc = pymupdf.open(stream=pdfs[cid]), pymupdf.open(stream=unmarked)
    assert marked_doc.page_count == plain_doc.page_count
    for number, (marked, plain) in enumerate(zip(marked_doc, plain_doc, strict=True), 1):
        seen = _mark_pixels(marked) - _mark_pixels(plain)
        assert seen > 900, f"{cid} p{number}: only {seen} pixels of the mark"  # 1 200–2 100 at 40 dpi


# ----------------------------------------------------------------------------- the mark's use: system or product


def test_a_management_system_certificate_keeps_its_mark_off_products(planned, pdfs, tmp_path):
    d = planned["EG-DK-001"]
    assert d.system == "نظام إدارة الجودة" and d.certified
    text = " ".join(_flat(pdfs["EG-DK-001"]))
    assert "على المنتجات الداخلة في نطاق الشهادة وحدها" not in text  # the product-mark licence
    assert "يجوز لصاحب الشهادة وضع العلامة ورقم الشهادة" in text and "على أوراقه الرسمية" in text
    assert "لا توضع العلامة على المنتجات ولا على عبواتها، ولا في تقارير الاختبار" in text
    assert "صلاحية حق الاستخدام" in text and "صلاحية الترخيص" not in text
    certificate = _flat(pdfs["EG-DK-001"])[0]
    assert "لا على المنتجات أو عبواتها" in certificate and "استخدام العلامة المحلية" not in certificate


def test_a_product_certificate_keeps_its_product_mark_licence(planned, pdfs):
    d = planned["EG-LX-001"]
    assert d.system == "" and d.cert.standard.startswith("ES 7000")
    text = " ".join(_flat(pdfs["EG-LX-001"]))
    assert "توضع العلامة على المنتجات الداخلة في نطاق الشهادة وحدها" in text and "صلاحية الترخيص" in text
    assert "لا توضع العلامة على المنتجات" not in text
    assert "ويحق لها استخدام العلامة المحلية" in _flat(pdfs["EG-LX-001"])[0]


def test_a_refused_management_system_application_grants_nothing(planned, tmp_path):
    refused = [d for d in planned.values() if d.system and not d.certified]
    assert refused, "the samples hold a refused ISO 9001 application"
    html = _html(refused[0], tmp_path)
    assert "لا يضع العلامة ولا يشير إلى الشهادة إلا صاحب شهادة سارية" in html
    assert "فلا يوجد حق استخدام" in html and "يجوز لصاحب الشهادة" not in html


# ----------------------------------------------------------------------------- the certificate page


def _certificate_lines(pdf: bytes) -> list[tuple[float, float, str]]:
    """Return the first page's rows as (top, largest font size, words), top to bottom (MuPDF's pieces of a row
    joined: it cuts a right-to-left line where the direction changes)."""
    page = pymupdf.open(stream=pdf)[0]
    pieces = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).replace("\u00a0", " ").strip()
            if text:
                pieces.append((line["bbox"][1], max(span["size"] for span in line["spans"]), text))
    rows: list[tuple[float, float, str]] = []
    for top, size, text in sorted(pieces):
        if rows and abs(rows[-1][0] - top) < 2:
            rows[-1] = (rows[-1][0], max(rows[-1][1], size), rows[-1][2] + " " + text)
        else:
            rows.append((top, size, text))
    return rows


@pytest.mark.parametrize("cid", ("EG-LX-001", "EG-DK-001"))
def test_the_certificate_names_the_holder_alone_between_lead_line_and_attestation(planned, pdfs, cid):
    d = planned[cid]
    rows = _certificate_lines(pdfs[cid])
    words = [set(re.sub(r"\s+", " ", t).split()) for _, _, t in rows]
    lead = next(i for i, w in enumerate(words) if "بأن" in w)
    assert words[lead] & {"تشهد", "يشهد"} and len(words[lead]) <= len(d.attestation.split()) + 1  # lead line only
    assert words[lead + 1] == set(d.brand_owner.split())  # the holder's name alone on its line ...
    assert rows[lead + 1][1] >= 1.5 * rows[lead][1]  # ... and large
    assert "قد" in words[lead + 3]  # under the address: what the holder met


@pytest.mark.parametrize("cid", ("EG-LX-001", "EG-DK-001"))
def test_no_empty_band_above_the_certificates_signatures(planned, pdfs, cid):
    lines = _certificate_lines(pdfs[cid])
    names = [s.name for s in planned[cid].signatories]
    signed = min(top for top, _, t in lines if any(n.split()[-1] in t.split() for n in names))
    above = max(top for top, _, t in lines if top < signed - 20)  # the last line of the certificate's text
    gap_mm = (signed - above) * 25.4 / 72
    assert gap_mm < 32, f"{gap_mm:.0f} mm between the last text and the signatory's name"  # 12 mm are to sign in
    page_mm = pymupdf.open(stream=pdfs[cid])[0].rect.height * 25.4 / 72
    assert page_mm - signed * 25.4 / 72 < 75  # the signatures at the foot of the page, where every certificate has them


# ----------------------------------------------------------------------------- wording


def test_the_rule_steps_read_as_parallel_questions(planned, tmp_path):
    html = _html(planned["EG-LX-001"], tmp_path)
    questions = re.findall(r'<div class="q">(.*?)</div>', html, re.DOTALL)
    unanswered = [re.sub(r'<span class="a">.*?</span>', "", q, flags=re.DOTALL) for q in questions]
    steps = [re.sub(r"<[^>]+>|\s+", " ", q).strip() for q in unanswered]
    assert len(steps) == 5, steps
    assert all(s.startswith("هل ") and "؟ ← " in s for s in steps[:4]), steps  # a question, then its outcome
    assert steps[4].startswith("في غير ذلك ← ")
    assert all("، ف" not in s for s in steps)  # no reason tacked on with «، فـ»


def test_the_follow_up_sentence_and_the_decision_table_read_cleanly(planned, tmp_path):
    html = _html(planned["EG-DK-001"], tmp_path)
    assert "وهو بعد تاريخ القرار" not in html and "أي بعد تاريخ القرار" in html
    decision = re.search(r'<table class="kv decision">(.*?)</table>', html, re.DOTALL).group(1)
    assert "أسباب القرار" not in decision and "المبينة أعلاه" in decision  # one row: the decision and its ground


def test_the_refusal_letters_subject_ends_on_the_brand_not_a_runt(planned, pdfs):
    d = planned["EG-KB-001"]
    lines = [t for _, _, t in _certificate_lines(pdfs["EG-KB-001"])]
    first = next(i for i, t in enumerate(lines) if "الموضوع" in t)
    last = lines[first + 1]  # the subject takes two lines
    assert "تحية" not in last and set(d.cert.brand.split()) <= set(last.replace("«", " ").replace("»", " ").split())
    assert len(last.split()) >= 4, lines[first : first + 2]  # the brand with the words before it: no runt


# ----------------------------------------------------------------------------- the score chart


def _glyph_boxes(svg: str) -> list[tuple[str, pymupdf.Rect]]:
    """Return (group id, box) of each text group's glyphs and each bar (patch) of a matplotlib SVG."""
    root = ET.fromstring(svg)
    defs = {e.get("id"): e for e in root.iter() if e.get("id")}
    found: list[tuple[str, pymupdf.Rect]] = []

    def points(element, matrix, glyphs_only):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("defs", "clipPath", "metadata", "style"):
            return []
        matrix = _transform(element.get("transform", "")) * matrix
        if tag == "use":
            target = defs.get((element.get(_XLINK) or "#")[1:])
            shift = pymupdf.Matrix(1, 0, 0, 1, float(element.get("x", 0)), float(element.get("y", 0)))
            return points(target, shift * matrix, False) if target is not None else []
        if tag == "g" and glyphs_only and element.get("id", "").startswith("patch_"):
            return []  # a text's backing box, not its glyphs
        out = [p * matrix for p in _points(element.get("d", ""))] if tag == "path" else []
        for child in element:
            out += points(child, matrix, glyphs_only)
        return out

    def walk(element, matrix):
        matrix = _transform(element.get("transform", "")) * matrix
        for child in element:
            gid = child.get("id", "")
            if gid.startswith(("text_", "patch_")):
                pts = points(child, matrix, gid.startswith("text_"))
                if pts:
                    xs, ys = [p.x for p in pts], [p.y for p in pts]
                    found.append((gid, pymupdf.Rect(min(xs), min(ys), max(xs), max(ys))))
            elif child.tag.rsplit("}", 1)[-1] == "g":
                walk(child, _transform(child.get("transform", "")) * matrix)

    walk(root, pymupdf.Matrix(1, 0, 0, 1, 0, 0))
    return found


def test_each_value_label_stands_clear_of_its_bar_and_is_not_clipped():
    from reportgen.render import charts
    from reportgen.settings import fonts_dir

    scores = [72.3, 87, 61, 82, 100]
    svg = charts.area_scores_chart(
        ["متطلبات العملاء", "الخامات", "العمليات", "المنتج", "العلامة التجارية"],
        scores,
        fmt=lambda v: f"{v:g}",
        fonts_dir=fonts_dir(),
        thresholds=(65, 80),
        width_cm=15.5,
    )
    assert not svg_clipped(svg)
    boxes = _glyph_boxes(svg)
    bars = [r for gid, r in boxes if gid.startswith("patch_") and r.height > 5 and r.width > 20]
    texts = [r for gid, r in boxes if gid.startswith("text_")]
    assert len(bars) == len(scores)
    for bar in bars:
        row = [t for t in texts if bar.y0 < (t.y0 + t.y1) / 2 < bar.y1 and t.x1 <= bar.x0 + 1]  # left of the bar's end
        assert row, f"no value label beside the bar at {bar}"
        gap = bar.x0 - max(t.x1 for t in row)
        assert gap >= 4.0, f"a value label {gap:.1f} pt from its bar"


def test_every_sample_certificate_keeps_its_dates_and_signatures_on_its_one_page(planned):
    """The framed page is a flex column of fixed height: a block that does not fit is not squeezed but moved
    overleaf, out of the frame (a conditional ISO 9001 certificate lost its dates so). The density must leave room."""
    from reportgen.commands import issuing

    for d in planned.values():
        if not d.certified:
            continue
        issued = issuing.render(d, SAMPLES)
        document = pymupdf.open(stream=issued.pdf or b"")
        first, second = document[0].get_text(), document[1].get_text()
        assert "صالحة حتى" in first and "تاريخ السريان" in first, f"{d.cluster.id} ({issued.setting}): dates"
        assert all(s.name.split()[-1] in first for s in d.signatories), f"{d.cluster.id}: signatures"
        assert "ملف التجمع" in second, f"{d.cluster.id}: the certificate runs onto page 2"
