"""The certificate's "… attests that": the verb agrees with the body's name, or the sentence is phrased neutrally."""

from __future__ import annotations

import re

import pytest

from reportgen.model.arabic import attestation


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("الهيئة المصرية العامة للمواصفات والجودة", "تشهد الهيئة المصرية العامة للمواصفات والجودة"),
        ("هيئة الرقابة على الصادرات", "تشهد هيئة الرقابة على الصادرات"),
        ("شركة مصر لمنح الشهادات", "تشهد شركة مصر لمنح الشهادات"),
        ("مختبرات الجودة المتحدة", "تشهد مختبرات الجودة المتحدة"),
        ("دار الشهادات", "تشهد دار الشهادات"),
        ("مركز تحديث الصناعة", "يشهد مركز تحديث الصناعة"),
        ("المركز القومي للجودة", "يشهد المركز القومي للجودة"),
        ("جهاز حماية المستهلك", "يشهد جهاز حماية المستهلك"),
        ("معهد الجودة ٢٠٣٠", "يشهد معهد الجودة ٢٠٣٠"),
        ("TÜV مصر", "تشهد جهة منح الشهادة، TÜV مصر،"),  # a Latin first word: no verb guessed for it
        ("EGAC", "تشهد جهة منح الشهادة، EGAC،"),
        ("أطلس للشهادات", "تشهد جهة منح الشهادة، أطلس للشهادات،"),  # a proper name: its gender is not known
    ],
)
def test_the_verb_agrees_with_the_first_word_of_the_name(body, expected):
    assert attestation(body) == expected


def test_a_body_with_a_masculine_name_attests_with_a_masculine_verb(tmp_path):
    from reportgen.commands import common, issuing
    from reportgen.documents import dossier as dossier_doc
    from reportgen.settings import Settings
    from tests.helpers_dossier import TODAY, certification, dossier_sheets, make_workbook

    settings = Settings(today=TODAY)
    sheets = dossier_sheets()
    sheets["certifications"][1] = certification("EG-T-001", "علامة", certifying_body="مركز تحديث الصناعة")
    parsed = common.load(make_workbook(tmp_path, sheets), settings)
    d = dossier_doc.plan(parsed.dataset, settings, ("EG-T-001",)).dossiers[0]
    issuing.setup(settings, None)
    html = issuing.html_of(d, tmp_path).replace("\u00a0", " ")  # the line's last two words joined: no lone word
    # the lead line alone; the test workbook certifies against ISO 9001: the quality management system conforms
    lead = re.search(r'<p class="attest lead">(.*?)</p>', html)
    assert lead and re.sub(r"<[^>]+>", "", lead.group(1)) == "يشهد مركز تحديث الصناعة بأن" and "تشهد مركز" not in html
    assert "قد استوفى نظام إدارة الجودة لديها متطلبات المواصفة" in re.sub(r"\s+", " ", html)  # held by «منشآت …»
