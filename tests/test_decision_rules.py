"""Rules that cannot contradict themselves, who decides, and what a certificate states: each at its edges."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from reportgen.commands import common, issuing
from reportgen.documents import dossier as dossier_doc
from reportgen.documents import surveillance
from reportgen.documents.rule import decide
from reportgen.errors import ConfigError
from reportgen.model.records import Assessment
from reportgen.settings import Settings, Thresholds, load
from tests.helpers_dossier import (
    AUDIT,
    CERT_HEADERS,
    TODAY,
    certification,
    criterion,
    dossier_sheets,
    make_workbook,
)

SETTINGS = Settings(today=TODAY)
T = Thresholds()
ISSUE = dt.date(2026, 7, 1)


def minor(due: dt.date | None, score: float = 85) -> Assessment:
    return Assessment("X", "brand", f"m{due}", score, severity="minor", due=due)


# ----------------------------------------------------------------------------- a condition already past due


@pytest.mark.parametrize(
    "due, outcome",
    [
        (ISSUE - dt.timedelta(days=1), "refused"),  # the day before the issue date: no condition
        (ISSUE, "refused"),  # on the issue date: no condition either
        (ISSUE + dt.timedelta(days=1), "conditional"),  # the day after: a condition
        (None, "conditional"),  # undated: checked at the first surveillance
    ],
)
def test_a_condition_due_on_or_before_the_issue_date_refuses(due, outcome):
    result = decide([Assessment("X", "materials", "a", 90), minor(due)], T, ISSUE)
    assert result.outcome == outcome
    assert result.holds("past_due") is (outcome == "refused")
    assert decide([Assessment("X", "materials", "a", 90), minor(due)], T).outcome == "conditional"  # no date given


def _one(tmp_path, due: dt.date, **cert):
    sheets = dossier_sheets()
    sheets["assessments"] = [
        sheets["assessments"][0],
        criterion("EG-T-002", "materials", 85),
        criterion("EG-T-002", "brand", 82, severity="minor", due=due),
    ]
    extra = [k for k in cert if k not in CERT_HEADERS]
    row = certification("EG-T-002", "علامة", **cert) + [cert[k] for k in extra]
    sheets["certifications"] = [CERT_HEADERS + extra, row]
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    return parsed, dossier_doc.plan(parsed.dataset, SETTINGS).dossiers


def test_the_dossier_explains_a_refusal_for_a_past_due_condition(tmp_path):
    parsed, (d,) = _one(tmp_path, TODAY, issue_date=None)  # blank issue date: today, the due date itself
    assert d.issue_date == TODAY and d.decision == "refused" and not d.certified
    assert d.visits == () and d.conditions == ()
    issuing.setup(SETTINGS, None)
    html = issuing.html_of(d, tmp_path).replace("\u00a0", " ")  # a line's last two words are joined by a no-break space
    assert "فلا يصح جعلها شرطا لشهادة تصدر بعده" in html  # a reason in the decision letter
    step = "هل توجد حالة عدم مطابقة بسيطة لم تغلق وقد حل موعد إغلاقها قبل تاريخ القرار"
    assert step in html and "لا يكون شرطا" not in html  # and a step of the rule: a plain question, no aside


def test_a_typed_conditional_decision_with_a_past_due_condition_is_an_error(tmp_path):
    parsed, _ = _one(tmp_path, ISSUE, decision="مشروط", issue_date=ISSUE)
    [e] = parsed.errors
    assert e.location == "certifications!H2" and "is no condition" in e.message and "2026-07-01" in e.message


def test_a_typed_decision_against_the_rule_needs_a_reason(tmp_path):
    parsed, (d,) = _one(tmp_path, ISSUE, decision="ممنوح", issue_date=ISSUE)
    assert parsed.errors == [] and any("decision_reason" in w.message for w in parsed.warnings)
    reason = "أغلقت اللجنة الحالة بعد مراجعة الأدلة"
    parsed, (d,) = _one(tmp_path, ISSUE, decision="ممنوح", issue_date=ISSUE, decision_reason=reason)
    assert not any("decision_reason" in w.message for w in parsed.warnings)
    assert d.decision == "granted" and d.rule.outcome == "refused"
    issuing.setup(SETTINGS, None)
    html = issuing.html_of(d, tmp_path)
    certificate, rest = html.split('<h1 id="profile">')
    assert reason not in certificate and "نتيجة القاعدة" not in certificate
    assert reason in rest and "يخالف نتيجة القاعدة (رفض منح الشهادة)" in rest


# ----------------------------------------------------------------------------- the programme of visits


def test_follow_up_after_the_issue_date_and_surveillance_within_twelve_months_of_the_decision():
    decided = dt.date(2026, 9, 30)
    visits = surveillance.schedule(
        decided, surveillance.default_valid_until(decided, 3), 12, (minor(dt.date(2026, 10, 1)), minor(decided))
    )
    assert [(v.kind, v.due) for v in visits] == [
        ("follow_up", dt.date(2026, 10, 1)),  # the day after the decision; a condition due on it has no visit
        ("surveillance", dt.date(2027, 9, 30)),  # twelve months after the decision, not after the audit
        ("surveillance", dt.date(2028, 9, 30)),
        ("recertification", dt.date(2029, 9, 29)),
    ]
    assert visits[-1].earliest == dt.date(2029, 6, 29)
    assert all(v.due > decided for v in visits)
    assert surveillance.schedule(decided, dt.date(2027, 9, 29), 12, (minor(decided),))[0].kind == "recertification"


def test_the_first_surveillance_follows_the_decision_not_the_audit(tmp_path):
    _, (d,) = _one(tmp_path, dt.date(2026, 12, 31), issue_date=dt.date(2026, 9, 15))  # audit 2026-06-10
    surveillances = [v.due for v in d.visits if v.kind == "surveillance"]
    assert surveillances[0] == dt.date(2027, 9, 15) and (surveillances[0] - d.issue_date).days <= 366
    assert surveillances[1] == dt.date(2028, 9, 15)  # then yearly


def test_validity_runs_from_the_effective_date_and_never_starts_before_the_decision(tmp_path):
    _, (d,) = _one(
        tmp_path, dt.date(2026, 12, 31), issue_date=dt.date(2026, 9, 15), effective_date=dt.date(2026, 10, 1)
    )
    assert (d.issue_date, d.effective_date, d.valid_until) == (
        dt.date(2026, 9, 15),
        dt.date(2026, 10, 1),
        dt.date(2029, 9, 30),
    )
    parsed, _ = _one(
        tmp_path, dt.date(2026, 12, 31), issue_date=dt.date(2026, 9, 15), effective_date=dt.date(2026, 9, 14)
    )
    [e] = parsed.errors
    assert e.location.startswith("certifications!") and "effective date is before the decision" in e.message


@pytest.mark.parametrize("months, ok", [(12, True), (1, True), (13, False), (0, False), (15, False)])
def test_surveillance_more_than_twelve_months_apart_is_refused_by_the_settings(tmp_path, months, ok):
    toml = tmp_path / "reportgen.toml"
    toml.write_text(f"[certification]\nsurveillance_months = {months}\nrecertification_window_months = 2\n")
    if ok:
        assert load(toml).thresholds == Thresholds(surveillance_months=months, recertification_window_months=2)
    else:
        with pytest.raises(ConfigError, match="surveillance_months must be between 1 and 12"):
            load(toml)


# ----------------------------------------------------------------------------- who decides


@pytest.mark.parametrize(
    "maker, lead, warned",
    [
        ("م. مدقق", "م. مدقق", True),
        ("مدقق", "م.  مدقق", True),  # the same person with a title and other spacing
        ("د. نادية حلمي", "م. مدقق", False),
    ],
)
def test_decision_maker_who_is_the_lead_auditor_is_warned_at_the_cell(tmp_path, maker, lead, warned):
    parsed, (d,) = _one(tmp_path, dt.date(2026, 12, 31), decision_maker=maker, lead_auditor=lead)
    found = [w for w in parsed.warnings if "decision-maker is the lead auditor" in w.message]
    assert bool(found) is warned and d.decided_by_lead_auditor is warned
    if warned:
        assert found[0].location == "certifications!K2" and "17065" in found[0].message


def test_decision_maker_from_the_settings_sheet_is_located_there(tmp_path):
    sheets = dossier_sheets()
    sheets["settings"].append(["decision_maker", "م. مدقق"])  # the helper's lead auditor
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    found = [w for w in parsed.warnings if "decision-maker is the lead auditor" in w.message]
    assert found and {w.location for w in found} == {"settings!B4"}  # the cell holding the name


def test_decision_maker_on_the_audit_team_is_warned(tmp_path):
    parsed, _ = _one(tmp_path, dt.date(2026, 12, 31), decision_maker="أ. هبة عوض", audit_team="أ. هبة عوض: مقيّمة")
    assert any("on the audit team" in w.message for w in parsed.warnings)


# ----------------------------------------------------------------------------- what the certificate states


def test_certificate_states_body_holder_sites_revision_and_marks(tmp_path):
    sheets = dossier_sheets()
    sheets["settings"] += [
        ["body_address", "القاهرة"],
        ["accreditation", "EGAC PC-999"],
        ["specimen", "نعم"],
        ["signatory", "د. نادية حلمي"],
        ["signatory_title", "رئيسة لجنة منح الشهادة"],
    ]
    sheets["certifications"] = [
        CERT_HEADERS + ["holder_address", "sites", "revision", "supersedes"],
        certification("EG-T-001", "علامة", certifying_body=None)  # blank: the settings sheet's body
        + ["شارع النيل، الأقصر", "ورشة أ: أوانٍ؛ ورشة ب: تماثيل", 2, "EG-T-001-2023-ABCDE"],
    ]
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    (d,) = dossier_doc.plan(parsed.dataset, SETTINGS).dossiers
    assert [(s.name, s.detail) for s in d.sites] == [("ورشة أ", "أوانٍ"), ("ورشة ب", "تماثيل")]
    issuing.setup(SETTINGS, None)
    certificate = issuing.html_of(d, tmp_path).split('<h1 id="profile">')[0]
    certificate = re.sub("[\u2060\u2066-\u2069]", "", certificate)  # word joiners and isolates keep runs whole
    certificate = certificate.replace("\u00a0", " ")  # … and no-break spaces keep a line's last two words together
    for text in ("القاهرة", "شارع النيل، الأقصر", "ورشة ب", "تماثيل", "EG-T-001-2023-ABCDE", "EGAC PC-999"):
        assert text in certificate, text
    assert '<img class="specimen"' in certificate and "د. نادية حلمي" in certificate  # the mark: a picture, not text
    assert "reportgen verify" not in certificate  # a person is told how to verify, not a command line
    sheets["settings"] = sheets["settings"][:3]  # no accreditation, no specimen: neither mark
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    (d,) = dossier_doc.plan(parsed.dataset, SETTINGS).dossiers
    html = issuing.html_of(d, tmp_path)
    assert 'class="specimen"' not in html and 'class="accreditation"' not in html and "EGAC" not in html


def test_another_body_named_on_a_row_gets_none_of_the_settings_bodys_address_or_signatories(tmp_path):
    sheets = dossier_sheets()
    sheets["settings"] += [["body_address", "القاهرة"], ["signatory", "د. نادية حلمي"]]
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)  # the helper's rows name "جهة اختبار"
    assert any(w.location == "certifications!E2" and "another certification body" in w.message for w in parsed.warnings)
    d = dossier_doc.plan(parsed.dataset, SETTINGS).dossiers[0]
    assert (d.certifying_body, d.body_address, d.signatories) == ("جهة اختبار", "", ())


def test_a_refused_dossier_cites_no_certificate_number_for_the_brand(tmp_path):
    parsed = common.load(make_workbook(tmp_path), SETTINGS)
    refused = next(d for d in dossier_doc.plan(parsed.dataset, SETTINGS).dossiers if not d.certified)
    issuing.setup(SETTINGS, None)
    html = issuing.html_of(refused, tmp_path)
    brand = html[html.index('<h1 id="brand"') : html.index('<h1 id="surveillance"')]
    assert refused.number not in brand and "رقم الشهادة" not in brand


def test_old_arabic_sheet_and_column_names_still_read(tmp_path):
    sheets = dossier_sheets()
    sheets["الاعتماد"] = [
        ["رمز التجمع", "العلامة التجارية", "نطاق الاعتماد", "جهة الاعتماد", "تاريخ التقييم"],
        ["EG-T-001", "علامة", "نطاق قديم", "جهة قديمة", AUDIT],
    ]
    del sheets["certifications"]
    sheets["settings"][2] = ["جهة الاعتماد", "جهة قديمة"]
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    (cert,) = parsed.dataset.certifications
    assert (cert.scope, cert.certifying_body) == ("نطاق قديم", "جهة قديمة")
    assert parsed.dataset.settings.certifying_body == "جهة قديمة"


def test_the_fullest_certificate_stays_one_framed_page(tmp_path):
    """Long names, an address, four sites and more, three conditions and more, a reissue: still one page."""
    from tests.pdftext import pages_text

    sheets = dossier_sheets()
    sheets["settings"] += [
        ["body_address", "١٢ شارع الجمهورية، عابدين، القاهرة، جمهورية مصر العربية"],
        ["accreditation", "EGAC PC-999"],
        ["signatory", "د. نادية حلمي"],
        ["signatory_2", "م. طارق رزق"],
    ]
    sheets["clusters"][2][1] = "تجمع صناعة الفخار والخزف المزجج والحرف التراثية بقرية تونس ومركز يوسف الصديق"
    sheets["assessments"] = [sheets["assessments"][0], criterion("EG-T-002", "materials", 85)] + [
        criterion("EG-T-002", "brand", 82, severity="minor", due=dt.date(2027, 1, 31), name=f"معيار طويل الاسم {i}")
        for i in range(5)
    ]
    sites = "؛ ".join(f"ورشة رقم {i} بقرية تونس: الفخار المزجج والأواني" for i in range(6))
    sheets["certifications"] = [
        CERT_HEADERS + ["holder_address", "sites", "revision", "supersedes"],
        certification(
            "EG-T-002",
            "علامة فخار تونس الأصيل المزجج يدويًا",
            certifying_body=None,
            standard="ES 7000:2023 العلامة المحلية للحرف اليدوية والتراثية",
        )
        + ["جمعية منتجي الفخار بقرية تونس، مركز يوسف الصديق، محافظة الفيوم", sites, 2, "EG-T-002-2023-ABCDE"],
    ]
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    (d,) = dossier_doc.plan(parsed.dataset, SETTINGS).dossiers
    assert d.more_sites == 2 and d.more_conditions == 2
    issuing.setup(SETTINGS, None)
    path = tmp_path / "full.pdf"
    issued = issuing.render(d, tmp_path)
    assert issued.setting.density == "tight"  # chosen from the layout: the closer sizes do not fit
    path.write_bytes(issued.pdf or b"")
    pages = pages_text(path)
    assert "EG-T-002-2023-ABCDE" in pages[0] and "امسح رمز الاستجابة السريعة" in pages[0]  # the foot is on it
    assert "ملف التجمع" in pages[1] and "ملف التجمع" not in pages[0]


@pytest.mark.parametrize(
    "standard, warned",
    [("ISO 9001", True), ("المواصفة القياسية المصرية للفخار", True), ("ISO 9001:2015", False), ("ES 7000-2023", False)],
)
def test_a_standard_without_its_edition_is_warned_at_its_cell(tmp_path, standard, warned):
    parsed, _ = _one(tmp_path, dt.date(2026, 12, 31), standard=standard)
    found = [w for w in parsed.warnings if "edition is missing" in w.message]
    assert [w.location for w in found] == (["certifications!C2"] if warned else [])
