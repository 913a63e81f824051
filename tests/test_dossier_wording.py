"""What the dossier says fits the case: no answer to a rule not reached, formal wording, a management-system
certificate worded as one, boilerplate only when it applies, a closing formula, a follow-up visit dated truly;
read from the sample dossiers' HTML and from their finished PDFs (poppler's text, MuPDF's drawings)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pymupdf

from reportgen.documents.surveillance import Visit
from tests.test_dossier_typesetting import poppler_lines

MM = 72 / 25.4


def _html(d, tmp_path) -> str:
    from reportgen.commands import issuing

    return issuing.html_of(d, tmp_path)


def _text(pdf: bytes) -> str:
    """Return poppler's text, no-break spaces as spaces, the Arabic comma without poppler's spaces around it."""
    return re.sub(r" *، *", "، ", "\n".join(poppler_lines(pdf)).replace("\u00a0", " "))


# ----------------------------------------------------------------------------- the decision rule's steps


def test_a_rule_not_reached_prints_no_answer_and_formal_wording(planned, pdfs, tmp_path):
    d = planned["EG-KB-001"]
    assert [s.reached for s in d.rule.steps] == [True, True, False, False, False]  # refused at the second rule
    steps = re.findall(r'<li class="(\w+)">(.*?)</li>', _html(d, tmp_path), re.DOTALL)
    assert [kind for kind, _ in steps] == ["no", "hit", "skipped", "skipped", "skipped"]
    for kind, body in steps:
        assert ('class="a"' in body) == (kind != "skipped") or "في غير ذلك" in body, body
    text = _text(pdfs["EG-KB-001"])
    assert "ننتقل" not in text and "لم نصل" not in text
    assert text.count("لم يلزم تطبيقها") == 3 and text.count("لا تنطبق؛ تطبق القاعدة التالية") == 1
    # an unreached rule's question is printed without its evaluation: no "لا" on the line after it
    lines = [line.strip() for line in poppler_lines(pdfs["EG-KB-001"])]
    skipped = [i for i, line in enumerate(lines) if "لم يلزم تطبيقها" in line]
    assert all(lines[i - 1] not in ("لا", "نعم") for i in skipped), [lines[i - 1] for i in skipped]


def _evidence(d, tmp_path) -> list[str]:
    """Return each reached step's evidence (its class="a" span), marks and no-break spaces plain."""
    from reportgen.commands import issuing

    blank = dict.fromkeys(("areas", "specimen", "qr", "map"), "")
    html = issuing.html_of(d, tmp_path, pictures=blank)
    spans = re.findall(r'<span class="a">(.*?)</span>', html, re.DOTALL)
    return [re.sub(r"[\u2066-\u2069]", "", a).replace("\u00a0", " ").strip() for a in spans]


def test_each_rules_evidence_is_a_sentence_not_a_bare_yes_or_no(planned, tmp_path):
    """A reviewer read «لا» then «لا تنطبق»: the evidence says what was found, as a sentence, for every sample."""
    seen = 0
    for d in planned.values():
        for evidence in _evidence(d, tmp_path):
            seen += 1
            assert evidence.endswith("."), evidence
            assert not re.search(r"(^|[:،] *)(لا|نعم)\.?$", evidence), evidence
            assert len(evidence.split()) >= 4, evidence
    assert seen >= 3 * len(planned)
    wad = _evidence(planned["EG-WAD-001"], tmp_path)
    assert wad[0] == "لا توجد حالة عدم مطابقة جسيمة مفتوحة."
    assert wad[1] == "الدرجة الكلية ٧٠٫٠ ليست أقل من ٦٥."
    assert wad[2].startswith("لا توجد حالة عدم مطابقة بسيطة مفتوحة حل موعد إغلاقها")
    assert wad[3] == "الدرجة الكلية ٧٠٫٠ أقل من ٨٠، وعدد حالات عدم المطابقة البسيطة المفتوحة ١."
    assert _evidence(planned["EG-C-002"], tmp_path)[0].startswith("توجد حالة عدم مطابقة جسيمة مفتوحة في المعيار: ")
    assert _evidence(planned["EG-KB-001"], tmp_path)[1] == "الدرجة الكلية ٦١٫٠ أقل من ٦٥."


def test_no_rule_text_or_licence_row_ends_with_one_word_alone(planned, pdfs, tmp_path):
    """Review 9: «الشهادة.» alone under rule 3's question, «موعدها» alone under EG-WAD-001's licence validity."""
    from reportgen.commands import issuing
    from tests.documents import SAMPLES

    documents = dict(pdfs, **{"EG-WAD-001": issuing.render(planned["EG-WAD-001"], SAMPLES).pdf or b""})
    for cid, pdf in documents.items():
        d = planned[cid]
        ends = {"الشهادة.", "القرار).", "موعدها", "ترخيص", "استخدام"} | {e.split()[-1] for e in _evidence(d, tmp_path)}
        ends |= {(d.cluster.products or d.cert.scope or "—").split()[-1]}
        alone = {line.strip() for line in poppler_lines(pdf) if len(line.split()) == 1}
        assert not alone & ends, (cid, sorted(alone & ends))


def test_the_step_boxes_are_flush_with_the_text_block_on_both_sides(pdfs):
    """Each step's tinted box spans the text block, as the score boxes and tables do: none indented on the right."""
    doc = pymupdf.open(stream=pdfs["EG-KB-001"], filetype="pdf")
    step_bg = (0xF7 / 255, 0xFA / 255, 0xFA / 255)  # --c-step-bg
    boxes = []
    for page in doc:
        width = page.rect.width
        for drawing in page.get_drawings():
            fill = drawing.get("fill")
            if fill and all(abs(a - b) < 0.01 for a, b in zip(fill, step_bg, strict=True)):
                boxes.append((drawing["rect"], width))
    assert len(boxes) >= 3, boxes  # the unreached steps (the reached ones are tinted otherwise)
    for rect, width in boxes:
        assert abs(rect.x0 - 18 * MM) < 1.5, rect  # the page's 18 mm side margins
        assert abs(rect.x1 - (width - 18 * MM)) < 4, rect  # the right border's width aside


# ----------------------------------------------------------------------------- the certificate's attestation


def test_a_management_system_standard_is_told_from_a_product_standard():
    from reportgen.model.reference import management_system

    assert management_system("ISO 9001:2015") == "نظام إدارة الجودة"
    assert management_system("ISO 14001:2015 الإدارة البيئية") == "نظام الإدارة البيئية"
    assert management_system("ISO/IEC 27001:2022") == "نظام إدارة أمن المعلومات"
    assert management_system("ES ISO 22000:2018") == "نظام إدارة سلامة الغذاء"
    assert management_system("ES 7000:2023 العلامة المحلية") == ""
    assert management_system("ISO 105-C06") == "" and management_system("") == ""


def test_an_iso_9001_certificate_attests_the_quality_management_system(pdfs):
    first = _text(pdfs["EG-DK-001"]).split("\f")[0]
    flat = re.sub(r"\s+", " ", first)
    assert "قد استوفى نظام إدارة الجودة لديها متطلبات المواصفة" in flat and "منتجاتها" not in flat


def test_a_product_standard_certificate_attests_the_products(planned, tmp_path):
    html = _html(planned["EG-LX-001"], tmp_path)
    assert planned["EG-LX-001"].cert.standard.startswith("ES 7000")
    assert "قد استوفت منتجاتها الداخلة في نطاق الشهادة متطلبات المواصفة" in re.sub(r"\s+", " ", html)
    assert "نظام إدارة" not in html


# ----------------------------------------------------------------------------- boilerplate that fits the case


def _verdict(html: str) -> str:
    found = re.search(r'<p class="verdict">(.*?)</p>', html, re.DOTALL)
    assert found is not None
    return found.group(1)


def test_the_closed_finding_note_is_printed_only_when_a_finding_is_closed(planned, tmp_path):
    note = "ولا تعد حالة عدم المطابقة المغلقة مفتوحة"
    with_closed = planned["EG-LX-001"]
    without = planned["EG-DK-001"]
    assert [f.status for f in with_closed.nonconformities] == ["closed"]
    assert "closed" not in [f.status for f in without.nonconformities]
    assert note in _verdict(_html(with_closed, tmp_path))
    assert note not in _verdict(_html(without, tmp_path))


def test_no_double_colon_and_the_decision_caption_reads_formally(planned, pdfs, tmp_path):
    text = re.sub(r"\s+", " ", _text(pdfs["EG-KB-001"]))
    assert "لا يوجد ترخيص:" not in text and "لا يوجد برنامج مراقبة:" not in text
    assert "لم تمنح الشهادة، فلا يوجد ترخيص" in text and "لم تمنح الشهادة، فلا يوجد برنامج مراقبة" in text
    html = _html(planned["EG-LX-001"], tmp_path)
    assert "القرار (يوافق نتيجة قاعدة القرار)" in html and "وهو نتيجة قاعدة القرار" not in html


def test_the_sample_accreditation_is_marked_as_illustrative_only(planned, tmp_path):
    d = planned["EG-DK-001"]
    assert "للتوضيح فقط" in d.accreditation and "بيان توضيحي" not in d.accreditation
    html = _html(d, tmp_path)
    assert len(re.findall("للتوضيح[ \u00a0]فقط", html)) >= 2  # on the certificate and in the file's particulars


# ----------------------------------------------------------------------------- the refusal letter


def test_the_refusal_letter_closes_with_the_formula_before_its_signatures(pdfs):
    page = pymupdf.open(stream=pdfs["EG-KB-001"], filetype="pdf")[0]
    closing = page.search_for("الاحترام")[0]
    signatory = page.search_for("رئيسة لجنة منح الشهادة")
    next_steps = page.search_for("الدعاية")
    assert signatory and next_steps
    assert next_steps[0].y1 < closing.y0 < signatory[0].y0  # after the letter's text, above the signatures
    assert "وتفضلوا بقبول فائق الاحترام" in _text(pdfs["EG-KB-001"]).split("\f")[0]


# ----------------------------------------------------------------------------- the surveillance plan


def _lead_in(html: str) -> str:
    part = html[html.index('id="surveillance"') :]
    found = re.search(r'<p class="lead-in">(.*?)</p>', part, re.DOTALL)
    assert found is not None
    return found.group(1)


def test_a_follow_up_on_the_closure_deadline_is_said_to_be_on_it(planned, tmp_path):
    d = planned["EG-DK-001"]
    [follow_up] = [v for v in d.visits if v.kind == "follow_up"]
    assert follow_up.due == max(a.due for a in d.conditions if a.due)  # the sample: on the deadline itself
    text = _lead_in(_html(d, tmp_path))
    assert "وتأتي زيارة المتابعة في آخر موعد لإغلاق" in text and "بعد آخر موعد" not in text


def test_a_follow_up_after_the_closure_deadline_is_said_to_be_after_it(planned, tmp_path):
    d = planned["EG-DK-001"]
    later = tuple(
        dataclasses.replace(v, due=v.due + dt.timedelta(days=14)) if v.kind == "follow_up" else v for v in d.visits
    )
    text = _lead_in(_html(dataclasses.replace(d, visits=later), tmp_path))
    assert "وتأتي زيارة المتابعة بعد آخر موعد لإغلاق" in text and "في آخر موعد" not in text


def test_no_follow_up_sentence_without_a_follow_up_visit(planned, tmp_path):
    d = planned["EG-DK-001"]
    without = tuple(v for v in d.visits if v.kind != "follow_up")
    assert all(isinstance(v, Visit) for v in without)
    assert "زيارة المتابعة" not in _lead_in(_html(dataclasses.replace(d, visits=without), tmp_path))


# ----------------------------------------------------------------------------- review of issue 10


def test_the_refusal_reason_names_the_refusal_threshold_as_the_chart_does(planned, tmp_path):
    html = re.sub(r"\s+", " ", _html(planned["EG-KB-001"], tmp_path).replace("\u00a0", " "))
    assert "أقل من حد الرفض (" in html and "حد الرفض (" in html.split('id="rule"')[0]
    assert "الحد الأدنى لمنح الشهادة" not in html  # 65 refuses, 80 grants: the chart's two terms
    assert "الخطان المتقطعان عند حد الرفض" in html


def test_the_accreditation_label_says_by_whom(planned, tmp_path):
    html = _html(planned["EG-DK-001"], tmp_path)
    assert '<div class="acc-label">جهة منح شهادات معتمدة من</div>' in html


def test_the_past_due_step_is_a_plain_question_and_outcome(planned, tmp_path):
    html = re.sub(r"\s+", " ", _html(planned["EG-DK-001"], tmp_path).replace("\u00a0", " "))
    step = re.search(r"هل توجد حالة عدم مطابقة بسيطة لم تغلق[^<]*", html)
    assert step is not None and step.group(0).rstrip().endswith("← رفض منح الشهادة.")
    assert "(لا" not in step.group(0)


def test_a_management_system_certificate_licenses_no_brand(planned, pdfs, tmp_path):
    page = pymupdf.open(stream=pdfs["EG-DK-001"], filetype="pdf")
    page.select([0])  # the certificate alone
    flat = re.sub(r"\s+", " ", _text(page.tobytes()))
    assert "ويحق لها الإشارة إلى الشهادة ورقمها في مراسلاتها ومطبوعاتها" in flat
    assert "علامتها" not in flat and planned["EG-DK-001"].cert.brand not in flat
    product = _html(planned["EG-LX-001"], tmp_path).replace(
        "\u00a0", " "
    )  # a product certificate keeps its licence of the local mark
    assert "استخدام العلامة المحلية" in product and '<div class="brand">' in product


def test_the_closure_date_stands_clear_of_the_status_and_the_verifier_is_unbroken(pdfs, planned, tmp_path):
    lines = [line.replace("\u00a0", " ") for line in poppler_lines(pdfs["EG-LX-001"])]
    assert not [line for line in lines if re.search("[٠-٩]مغلقة", line)]  # «٢٠٢٦مغلقة»: due date and status touch
    verifier = planned["EG-LX-001"].nonconformities[0].item.verified_by
    assert verifier.startswith("أ. ") and any(line.strip() == "أ .هبة محمود عوض" for line in lines), verifier
