"""Certification dossiers: the decision rule's edges, what a dossier shows, the batch, the PDF and the register."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

import pytest
from click.testing import CliRunner

from reportgen.certification import numbers
from reportgen.certification import record as certificates
from reportgen.cli import cli
from reportgen.commands import common, issuing
from reportgen.documents import dossier as dossier_doc
from reportgen.documents import surveillance
from reportgen.documents.rule import decide
from reportgen.errors import ReportgenError
from reportgen.model.records import Assessment
from reportgen.render.formatting import FSI, PDI
from reportgen.settings import Settings, Thresholds
from tests.helpers_dossier import TODAY, certification, criterion, dossier_sheets, make_workbook
from tests.pdftext import font_names, outline_titles, pages_text

SETTINGS = Settings(today=TODAY)
T = Thresholds()


def a(score, weight=1.0, severity="none", closed=False, area="materials"):
    return Assessment("X", area, f"c{score}", score, weight, severity=severity, closed=closed)


# ----------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    "items, outcome, overall",
    [
        ([a(80)], "granted", 80.0),  # exactly at the grant threshold
        ([a(79.99)], "conditional", 79.99),
        ([a(65)], "conditional", 65.0),  # exactly at the refusal threshold: not refused
        ([a(64.99)], "refused", 64.99),
        ([a(100), a(50, weight=3)], "refused", 62.5),  # weights pull the mean below 65
        (
            [a(100, weight=3), a(50)],
            "granted",
            87.5,
        ),  # … or above 80: a low score alone is no finding
        (
            [a(95), a(90, severity="major")],
            "refused",
            92.5,
        ),  # an open major refuses whatever the score
        (
            [a(95), a(90, severity="major", closed=True)],
            "granted",
            92.5,
        ),  # a closed one does not count
        ([a(95), a(90, severity="minor")], "conditional", 92.5),
        ([a(95), a(90, severity="minor", closed=True)], "granted", 92.5),
        ([a(60), a(90, severity="minor")], "conditional", 75.0),
        ([a(100, weight=0), a(70)], "conditional", 70.0),  # a zero weight does not count at all
    ],
)
def test_rule_edges(items, outcome, overall):
    result = decide(items, T)
    assert result.outcome == outcome
    assert result.overall == pytest.approx(overall)


def test_steps_stop_at_the_first_rule_that_applies():
    steps = decide([a(60), a(90, severity="major")], T).steps
    assert [(s.rule, s.applies, s.reached) for s in steps] == [
        ("open_major", True, True),
        ("below_refuse", False, False),
        ("past_due", False, False),
        ("grant", False, False),
        ("otherwise", False, False),
    ]
    steps = decide([a(83), a(80, severity="minor")], T).steps
    assert [s.applies for s in steps] == [False, False, False, False, True] and all(s.reached for s in steps)


def test_thresholds_are_configurable():
    assert decide([a(70)], Thresholds(refuse_below=75, grant_from=90)).outcome == "refused"
    assert decide([a(70)], Thresholds(refuse_below=50, grant_from=70)).outcome == "granted"


# ----------------------------------------------------------------------------- the plan


@pytest.fixture
def parsed(tmp_path):
    return common.load(make_workbook(tmp_path), SETTINGS)


def _plan(parsed, **settings):
    return dossier_doc.plan(parsed.dataset, SETTINGS.with_(**settings) if settings else SETTINGS)


def test_plan_decisions_dates_and_failures(parsed):
    plan = _plan(parsed)
    by_id = {d.cluster.id: d for d in plan.dossiers}
    assert {k: d.decision for k, d in by_id.items()} == {
        "EG-T-001": "granted",
        "EG-T-002": "conditional",
        "EG-T-003": "refused",
    }
    assert [(f.cluster_id, f.message) for f in plan.failures] == [
        ("EG-T-004", "no assessment rows for this certified cluster")
    ]
    granted = by_id["EG-T-001"]
    assert granted.issue_date == TODAY and granted.valid_until == dt.date(2029, 11, 18)
    assert granted.rule.overall == pytest.approx((90 + 2 * 84 + 70) / 4)
    assert [(v.kind, v.due) for v in granted.visits] == [
        ("surveillance", dt.date(2027, 11, 19)),
        ("surveillance", dt.date(2028, 11, 19)),
        ("recertification", dt.date(2029, 11, 18)),
    ]
    assert granted.visits[-1].earliest == dt.date(2029, 8, 18)
    conditional = by_id["EG-T-002"]
    assert [c.due for c in conditional.conditions] == [dt.date(2027, 1, 31)]
    assert conditional.visits[0].kind == "follow_up" and conditional.visits[0].due == dt.date(2027, 1, 31)
    refused = by_id["EG-T-003"]
    assert refused.valid_until is None and refused.visits == () and not refused.certified
    assert [f.status for f in granted.nonconformities] == ["closed"]


def test_typed_dates_and_decision_stand(tmp_path):
    sheets = dossier_sheets()
    sheets["certifications"][2] = certification(
        "EG-T-002",
        "علامة",
        "granted",
        issue_date=dt.date(2026, 7, 1),
        valid_until=dt.date(2028, 6, 30),
    )
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    assert any("differs from the rule" in p.message for p in parsed.warnings)
    d = next(d for d in _plan(parsed).dossiers if d.cluster.id == "EG-T-002")
    assert (d.decision, d.rule.outcome, d.typed, d.disagrees) == (
        "granted",
        "conditional",
        True,
        True,
    )
    assert (d.issue_date, d.valid_until) == (dt.date(2026, 7, 1), dt.date(2028, 6, 30))
    record = json.loads(d.record)
    assert record["decision"] == {
        **record["decision"],
        "outcome": "granted",
        "rule": "conditional",
        "typed": True,
    }
    issuing.setup(SETTINGS, None)
    html = issuing.html_of(d, tmp_path)
    certificate, rest = html.split('<h1 id="profile">')
    assert "شهادة مطابقة</div>" in certificate and "اعتماد" not in certificate  # certification, not accreditation
    assert "نتيجة القاعدة" not in certificate  # the certificate states the decision, no internal disagreement
    assert "يخالف نتيجة القاعدة (منح الشهادة بشروط)" in rest and "لم تسجل أسباب مخالفة القاعدة" in rest


def test_validity_years_and_leap_days():
    assert surveillance.default_valid_until(dt.date(2028, 2, 29), 3) == dt.date(2031, 2, 27)
    assert surveillance.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    visits = surveillance.schedule(dt.date(2026, 1, 1), dt.date(2027, 12, 31), 6)
    assert [v.kind for v in visits] == ["surveillance"] * 3 + ["recertification"]


def test_long_texts_set_the_certificate_closer(tmp_path):
    sheets = dossier_sheets()
    # as long as the columns allow (tests/test_hostile.py checks the longest keep the certificate to a page)
    sheets["certifications"][1] = certification(
        "EG-T-001", "علامة " * 10, scope="نطاق طويل " * 25, standard="مواصفة " * 14
    )
    assert sheets["clusters"][1][0] == "EG-T-001"
    sheets["clusters"][1][1] = "تجمع " * 12
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    plan = dossier_doc.plan(parsed.dataset, SETTINGS)
    issuing.setup(SETTINGS, None)
    issued = {d.cluster.id: issuing.render(d, tmp_path) for d in plan.dossiers}
    density = {cid: i.setting.density for cid, i in issued.items()}
    # chosen from the layout: the page's blocks share the room left over, closer sizes only for long texts
    assert density["EG-T-001"] in ("compact", "tight") and density["EG-T-002"] == "normal", density
    path = tmp_path / "long.pdf"
    path.write_bytes(issued["EG-T-001"].pdf or b"")
    first, second = pages_text(path)[:2]
    assert "صالحة حتى" in first and "امسح رمز الاستجابة السريعة" in first and "ملف التجمع" in second


def test_unknown_cluster_is_refused_before_anything(parsed):
    with pytest.raises(ReportgenError, match="no certification row for cluster EG-NOPE"):
        dossier_doc.plan(parsed.dataset, SETTINGS, ("EG-NOPE",))


def test_record_has_no_floats_and_a_number_that_follows_from_it(parsed):
    d = _plan(parsed).dossiers[0]
    record = json.loads(d.record)
    assert certificates.canonical_json(record) == d.record
    assert certificates.number_of_record(record) == d.number == record["number"]
    assert record["assessment"][1]["weight"] == "2" and record["decision"]["overall"] == "82"
    assert certificates.fingerprint(d.record) == d.fingerprint
    assert d.qr_text == certificates.payload_for(record, d.fingerprint).text()


def test_verify_url_makes_the_qr_code_the_certificate_page(parsed):
    d = _plan(parsed, verify_url="https://verify.example.org/").dossiers[0]
    assert d.qr_text == f"https://verify.example.org/c/{d.number}/#{d.fingerprint[:32]}"
    shown = certificates.parse_payload(d.qr_text)
    assert (shown.number, shown.fingerprint, shown.complete) == (d.number, d.fingerprint[:32], False)


# ----------------------------------------------------------------------------- one rendered batch


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Run `reportgen dossiers` once (two worker processes) on the test workbook."""
    folder = tmp_path_factory.mktemp("batch")
    workbook = make_workbook(folder)
    out = folder / "out"
    result = CliRunner().invoke(
        cli,
        ["dossiers", str(workbook), "-o", str(out), "--jobs", "2", "--unsigned"],
        env={"SOURCE_DATE_EPOCH": "1795046400"},
    )
    return result, out


def test_one_failure_is_reported_and_the_others_are_written(batch):
    result, out = batch
    assert result.exit_code == 1
    assert "error: EG-T-004: no assessment rows for this certified cluster" in result.output
    assert sorted(p.name for p in out.iterdir() if p.name != ".reportgen") == [
        "EG-T-001.pdf",
        "EG-T-002.pdf",
        "EG-T-003.pdf",
        "register.xlsx",
    ]


def test_dossier_pdf_is_pdfa3b_with_the_record_attached(batch):
    from pypdf import PdfReader

    _, out = batch
    reader = PdfReader(str(out / "EG-T-002.pdf"))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    (filespec,) = [f.get_object() for f in root["/AF"]]
    assert filespec["/AFRelationship"] == "/Data" and filespec["/F"] == certificates.RECORD_NAME
    record = json.loads(reader.attachments[certificates.RECORD_NAME][0])
    assert record["cluster"]["id"] == "EG-T-002" and record["decision"]["outcome"] == "conditional"
    assert (
        "sha256:" + certificates.fingerprint(reader.attachments[certificates.RECORD_NAME][0])
        in reader.metadata["/Keywords"]
    )


def test_dossier_pages_outline_fonts_and_text(batch):
    _, out = batch
    path = out / "EG-T-002.pdf"
    titles = outline_titles(path)
    for title in (
        "الشهادة",
        "ملف التجمع",
        "تقييم الجودة",
        "كيف اتخذ القرار",
        "حالات عدم المطابقة والإجراءات التصحيحية",
        "العلامة المحلية",
        "برنامج المراقبة",
    ):
        assert title in titles
    assert font_names(path) <= {
        "RG-Naskh",
        "RG-Naskh-Bold",
        "RG-Sans",
        "RG-Sans-Bold",
        "RG-Latin",
        "RG-Latin-Bold",
        "RG-Symbols",
    }
    pages = pages_text(path)
    assert "شهادة مطابقة مشروطة" in pages[0] and "صفحة" not in pages[0]  # the framed page has no folio
    assert "reportgen" not in pages[0] and "امسح رمز الاستجابة السريعة" in pages[0]  # a person's way to verify
    assert re.search(r"صفحة ٢ من [٠-٩]", pages[1])
    assert "ملف التجمع" in pages[1]  # the certificate kept to its one framed page
    letter = pages_text(out / "EG-T-003.pdf")[0]
    assert "قرار بشأن طلب منح الشهادة" in letter and "اعتماد" not in letter


def test_register_contents(batch):
    import openpyxl

    _, out = batch
    wb = openpyxl.load_workbook(out / "register.xlsx")
    ws = wb.active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][0] == "رقم الشهادة" and len(rows) == 4
    first = dict(zip(rows[0], rows[1], strict=False))
    assert first["رمز التجمع"] == "EG-T-001" and first["القرار"] == "ممنوح" and first["الدرجة الكلية"] == 82
    assert first["الملف"] == "EG-T-001.pdf" and numbers.is_valid_number(first["رقم الشهادة"])
    assert first["تاريخ الإصدار"].date() == TODAY and first["صالحة حتى"].date() == dt.date(2029, 11, 18)
    brand = ws.cell(row=2, column=rows[0].index("العلامة التجارية") + 1)
    assert brand.value == '=HYPERLINK("http://x")' and brand.data_type == "s"  # text, never a formula
    assert [r[5] for r in rows[1:]] == ["ممنوح", "مشروط", "مرفوض"]
    assert [r[11] for r in rows[1:]] == ["سارية", "سارية", "لم تمنح"]  # the status column: no status log yet
    assert ws.sheet_view.rightToLeft and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L4"


@pytest.mark.parametrize("name", ["EG-T-001.pdf", "EG-T-003.pdf"])  # the certificate's code and the letter's
def test_qr_code_on_the_page_scans_at_screen_resolution(batch, name):
    import pypdfium2
    import zxingcpp
    from pypdf import PdfReader

    _, out = batch
    path = out / name
    page = pypdfium2.PdfDocument(str(path))[0].render(scale=1).to_pil()  # 72 dpi: a screenshot, not a scan
    scanned = [code.text for code in zxingcpp.read_barcodes(page)]
    keywords = certificates.parse_keywords(PdfReader(str(path)).metadata["/Keywords"])
    assert scanned == [keywords["qr"]] and scanned[0].startswith("RGC1;N=")


def test_same_input_gives_the_same_pdf(parsed, tmp_path):
    d = _plan(parsed).dossiers[2]  # the letter: one page less to lay out
    first = issuing.issue((d,), SETTINGS, tmp_path, jobs=1)
    again = issuing.issue((d,), SETTINGS, tmp_path, jobs=1)
    assert next(first).pdf == next(again).pdf


# ----------------------------------------------------------------------------- what the template no longer computes


def test_each_step_says_whether_its_condition_holds_even_when_not_reached():
    """The rule's explanation answers every question (yes/no), including the ones after the deciding step."""
    steps = decide([a(60), a(90, severity="major")], T).steps  # refused by the major; 75 is not below 65
    assert [(s.rule, s.holds) for s in steps] == [
        ("open_major", True),
        ("below_refuse", False),
        ("past_due", False),
        ("grant", False),
        ("otherwise", True),
    ]
    assert [s.holds for s in decide([a(50)], T).steps] == [False, True, False, False, True]
    assert [s.holds for s in decide([a(85)], T).steps] == [False, False, False, True, True]
    assert decide([a(85), a(85, severity="minor")], T).holds("grant") is False  # an open minor blocks the grant


@pytest.mark.parametrize(
    "items, below_minimum, refused_by_body",
    [
        ([a(50)], True, False),
        ([a(64.99)], True, False),
        ([a(65)], False, True),  # at the minimum: only a decision of the body can refuse
        ([a(95), a(90, severity="major")], False, False),
        ([a(40), a(40, severity="major")], True, False),
    ],
)
def test_reasons_for_a_refusal(parsed, items, below_minimum, refused_by_body):
    d = replace(next(iter(_plan(parsed).dossiers)), rule=decide(items, T))
    assert (d.below_minimum, d.refused_by_body) == (below_minimum, refused_by_body)


def test_local_share_and_surveillance_interval(parsed):
    d = _plan(parsed).dossiers[0]
    assert d.local_share == pytest.approx(1 - d.cluster.export_share)
    assert replace(d, cluster=replace(d.cluster, export_share=None)).local_share is None
    assert d.surveillance_months == 12 and d.surveillance_yearly
    six = next(iter(_plan(parsed, thresholds=Thresholds(surveillance_months=6)).dossiers))
    assert six.surveillance_months == 6 and not six.surveillance_yearly
    issuing.setup(SETTINGS, None)
    assert "تجرى زيارات المراقبة سنويا" in issuing.html_of(d, parsed.dataset.workbook_dir)
    assert f"تجرى زيارات المراقبة كل {FSI}٦{PDI} أشهر" in issuing.html_of(six, parsed.dataset.workbook_dir)


@pytest.mark.parametrize(
    "open_minors, line",
    [
        (3, None),  # all on the certificate
        (4, "وحالة أخرى في جدول"),
        (5, "وحالتان أخريان في جدول"),
        (6, f"و{FSI}٣{PDI} حالات أخرى في جدول"),
        (14, f"و{FSI}١١{PDI} حالة أخرى في جدول"),
    ],
)
def test_conditions_left_off_the_certificate_are_counted_in_arabic(tmp_path, open_minors, line):
    sheets = dossier_sheets()
    sheets["assessments"] = [sheets["assessments"][0]] + [
        criterion("EG-T-002", "brand", 85, severity="minor", name=f"معيار {i}") for i in range(open_minors)
    ]
    sheets["certifications"] = sheets["certifications"][:1] + [certification("EG-T-002", "علامة")]
    parsed = common.load(make_workbook(tmp_path, sheets), SETTINGS)
    (d,) = _plan(parsed).dossiers
    assert d.decision == "conditional" and len(d.conditions) == open_minors
    issuing.setup(SETTINGS, None)
    html = issuing.html_of(d, tmp_path)
    if line is None:
        assert "في جدول حالات عدم المطابقة المرفق" not in html
    else:
        assert line in html
