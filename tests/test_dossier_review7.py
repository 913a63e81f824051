"""The dossier after the independent review (issue 10, seventh round): a management-system refusal speaks of
referring to the certificate, not of a mark; label/value rows read from one top line; every score below the grant
threshold carries a remark; the certificate's scope ends with a full stop and its number stands out."""

from __future__ import annotations

import re

import lxml.html
import pymupdf

from tests.documents import SAMPLES

ISOLATES = re.compile("[\u2066-\u2069\u200e\u200f]")


def test_a_system_dossiers_refusal_letter_never_mentions_a_mark(planned):
    """EG-C-002 (ISO 9001, no mark) was refused «منح الشهادة وحق استخدام العلامة»: its subject line and the
    certificates say «الإشارة إليها»; the letter's every sentence now does too."""
    from reportgen.commands import issuing

    letters = 0
    for d in planned.values():
        if not d.system:
            continue
        root = lxml.html.fromstring(issuing.html_of(d, SAMPLES))
        for letter in root.xpath("//section[contains(@class, 'letter')]"):
            letters += 1
            text = letter.text_content()
            assert "العلامة" not in text, d.cluster.id
            assert "الإشارة إليها" in text, d.cluster.id
    assert letters, "a refused management-system dossier among the samples"


# ----------------------------------------------------------------------------- the certificate


def test_the_certificates_statement_ends_with_a_full_stop(planned):
    """«… لا على المنتجات أو عبواتها» (EG-DK-001) and «… العلامة المحلية «تلي شندويل»» (EG-SHG-002) ended with no
    stop: the sentence that says what the holder met and may do now ends with «.»."""
    from reportgen.commands import issuing

    certificates = 0
    for d in planned.values():
        root = lxml.html.fromstring(issuing.html_of(d, SAMPLES))
        for block in root.xpath("//section[contains(@class, 'certificate')]//div[@class='attest-block']"):
            certificates += 1
            last = ISOLATES.sub("", block.xpath("./*")[-1].text_content()).strip()
            assert last.endswith("."), (d.cluster.id, last[-40:])
    assert certificates >= 2


def _spans(page) -> list[tuple[float, str, pymupdf.Rect]]:
    return [
        (span["size"], span["text"].strip(), pymupdf.Rect(span["bbox"]))
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["text"].strip()
    ]


def test_the_certificate_number_is_the_most_prominent_field(pdfs, planned):
    """REVIEW.md: after the title (and the holder's name and brand, which the certificate is about) the number is
    the field a reader quotes and checks: set clearly larger than every other field (1.4 × at least) and framed."""
    for cid in ("EG-DK-001", "EG-LX-001"):
        page = pymupdf.open(stream=pdfs[cid], filetype="pdf")[0]
        d = planned[cid]
        spans = _spans(page)
        number = next(s for s in spans if s[1] == d.number)
        display = (d.certificate_holder, "شهادة مطابقة مشروطة")  # the holder's name, the title (on one line or two)
        others = [
            s
            for s in spans
            if s[1] != d.number
            and not any(s[1].replace("\xa0", " ") in text for text in display)
            and "«" not in s[1]  # the brand
        ]
        largest = max(others, key=lambda s: s[0])
        assert number[0] >= 1.4 * largest[0], (cid, number[0], largest[:2])
        frames = [
            g["rect"]
            for g in page.get_drawings()
            if g["rect"].contains(number[2])
            and g["rect"].width < 1.5 * number[2].width
            and g["rect"].height < 3 * number[2].height
        ]
        assert frames, cid


# ----------------------------------------------------------------------------- label/value tables

TINT = "#eef4f5"  # base.css --c-tint: the label cells' ground


def _label_rows(page) -> list[tuple[str, float, float]]:
    """Return (label, its first baseline, its value's first baseline) for each label cell of a label/value table:
    a tinted cell, its value the text to its left within the cell's height (the PDF's spans, top to bottom)."""
    spans = [
        (pymupdf.Rect(span["bbox"]), span["origin"][1], span["text"].strip())
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        if span["text"].strip()
    ]
    tinted = [
        drawing["rect"]
        for drawing in page.get_drawings()
        if drawing["type"] == "f"
        and drawing.get("fill")
        and "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in drawing["fill"])) == TINT
    ]
    rows = []
    for cell in tinted:  # a value is on the paper (a score card beside another is tinted too)
        label = [s for s in spans if cell.contains(s[0])]
        value = [
            s
            for s in spans
            if s[0].x1 < cell.x0
            and cell.y0 <= (s[0].y0 + s[0].y1) / 2 <= cell.y1
            and not any(other.intersects(s[0]) for other in tinted)
        ]
        if label and value:
            rows.append((" ".join(s[2] for s in label), min(s[1] for s in label), min(s[1] for s in value)))
    return rows


def test_a_label_and_its_value_start_on_one_line(pdfs, planned):
    """A label sat at its cell's foot, its value at the top: «النسخة المقروءة آليا» ended two lines below the
    start of its value. In every label/value row of the file the two first baselines are level."""
    from reportgen.commands import issuing

    documents = {"EG-KB-001": pdfs["EG-KB-001"], "EG-C-002": issuing.render(planned["EG-C-002"], SAMPLES).pdf or b""}
    for cid, pdf in documents.items():
        rows = [row for page in pymupdf.open(stream=pdf, filetype="pdf") for row in _label_rows(page)]
        assert len(rows) >= 20, (cid, len(rows))
        assert any("آليا" in label for label, _, _ in rows), cid
        uneven = [(label, round(value - first, 1)) for label, first, value in rows if abs(first - value) > 0.5]
        assert uneven == [], cid
