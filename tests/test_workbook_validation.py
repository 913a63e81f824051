"""Reading and validating workbooks: every problem located at sheet!cell, with what was expected."""

from __future__ import annotations

import datetime as dt

import pytest

from reportgen.commands.common import load
from reportgen.errors import UnreadableFile
from reportgen.settings import Settings
from tests.conftest import CLUSTER_HEADERS, cluster_row

SETTINGS = Settings(today=dt.date(2026, 11, 19))


def problems_of(path):
    return [(p.severity, p.location, p.message) for p in load(path, SETTINGS).problems]


def test_clean_workbook_has_no_problems(make_workbook, basic_sheets):
    parsed = load(make_workbook(basic_sheets), SETTINGS)
    assert parsed.problems == []
    assert [c.id for c in parsed.dataset.clusters] == ["EG-T-001", "EG-T-002", "EG-T-003"]
    assert parsed.dataset.cluster("EG-T-002").governorate.code == "EG-KN"
    assert parsed.dataset.settings.issue_date == dt.date(2026, 11, 15)


@pytest.mark.parametrize(
    ("column", "value", "cell", "expected"),
    [
        ("enterprises", "ثلاثون", "G3", "a whole number"),
        ("workers", 12.5, "H3", "a whole number"),
        ("governorate", "Atlantis", "C3", "27 governorates"),
        ("women_share", "140%", "I3", "percentage"),
        ("priority", "urgent", "L3", "priority"),
        ("annual_output_egp", "lots", "J3", "an amount"),
    ],
)
def test_bad_cell_is_located(make_workbook, basic_sheets, column, value, cell, expected):
    basic_sheets["clusters"][2] = cluster_row(2, **{column: value})
    found = load(make_workbook(basic_sheets), SETTINGS).errors
    assert len(found) == 1, found
    assert found[0].location == f"clusters!{cell}"
    assert expected in found[0].message
    assert "got" in found[0].describe()


def test_all_problems_reported_in_one_run(make_workbook, basic_sheets):
    basic_sheets["clusters"][1] = cluster_row(1, enterprises="x")
    basic_sheets["clusters"][3] = cluster_row(3, workers=None, governorate="Narnia")
    locations = {p.location for p in load(make_workbook(basic_sheets), SETTINGS).errors}
    assert locations == {"clusters!G2", "clusters!H4", "clusters!C4"}


def test_arabic_headers_title_block_empty_rows_and_spelling_variants(make_workbook):
    headers = ["الرمز", "اسم التجمع", "المحافظه", "القطـــاع", "عدد المنشات", "عدد العاملين", "نسبة النساء"]
    path = make_workbook(
        {
            "  التجمّعات ": [
                ["بيانات توضيحية"],
                [],
                headers,
                ["EG-A-1", "تجمع أ", "الأقصر", "فخار", "١٬٢٣٤", "٥٠٠٠", "٣٧٪"],
                [None, None, None],
                ["EG-A-2", "تجمع ب", "luxor", "فخار", 10, 20, 0.5],
            ],
        }
    )
    parsed = load(path, SETTINGS)
    assert parsed.errors == []
    a, b = parsed.dataset.clusters
    assert (a.enterprises, a.workers, a.women_share) == (1234, 5000, pytest.approx(0.37))
    assert b.women_share == 0.5


def test_duplicate_and_dangling_ids(make_workbook, basic_sheets):
    basic_sheets["clusters"].append(cluster_row(1))
    basic_sheets["interventions"].append(["EG-NOPE", "marketing", "x", "", None, None, None])
    found = problems_of(make_workbook(basic_sheets))
    assert ("error", "clusters!A5", "duplicate cluster id (first used at A2)") in found
    assert any(loc == "interventions!A4" and "no cluster has this id" in msg for _, loc, msg in found)


def test_unknown_sheet_and_column_are_warnings(make_workbook, basic_sheets):
    basic_sheets["clusters"][0] = CLUSTER_HEADERS + ["notes"]
    basic_sheets["scratch"] = [["anything"]]
    parsed = load(make_workbook(basic_sheets), SETTINGS)
    assert parsed.errors == []
    assert {p.location for p in parsed.warnings} == {"clusters!M1", "scratch"}


def test_missing_clusters_sheet_and_required_column(make_workbook, basic_sheets):
    found = problems_of(make_workbook({"settings": basic_sheets["settings"]}))
    assert any("no clusters / التجمعات sheet" in m for _, _, m in found)
    sheets = {"clusters": [[h for h in CLUSTER_HEADERS if h != "sector"]]}
    found = problems_of(make_workbook(sheets))
    assert any("missing required column sector" in m for _, _, m in found)


def test_formula_without_cached_value(make_workbook, basic_sheets):
    basic_sheets["clusters"][1] = cluster_row(1, workers="=G2*4")
    found = load(make_workbook(basic_sheets), SETTINGS).errors
    assert [(p.location, "open the file in Excel or LibreOffice" in p.message) for p in found] == [
        ("clusters!H2", True)
    ]


def test_merged_cells_fill_the_range(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "clusters"
    ws.append(CLUSTER_HEADERS)
    ws.append(cluster_row(1, governorate="قنا"))
    ws.append(cluster_row(2, governorate=None))
    ws.merge_cells("C2:C3")
    wb.save(tmp_path / "m.xlsx")
    parsed = load(tmp_path / "m.xlsx", SETTINGS)
    assert parsed.errors == []
    assert [c.governorate.name_ar for c in parsed.dataset.clusters] == ["قنا", "قنا"]


def test_assessment_and_certification_checks(make_workbook, basic_sheets):
    basic_sheets["assessments"] = [
        ["cluster_id", "area", "criterion", "weight", "score", "severity", "corrective_action", "due", "closed"],
        ["EG-T-001", "materials", "c1", 1, 101, "none", "", None, "no"],
        ["EG-T-001", "العمليات", "c2", 1, 70, "بسيطة", "fix", dt.date(2026, 1, 1), "لا"],
        ["EG-T-001", "space", "c3", 1, 70, "none", "", None, "no"],
    ]
    basic_sheets["certifications"] = [
        ["cluster_id", "brand", "audit_date", "decision"],
        ["EG-T-001", "علامة", dt.date(2026, 3, 1), "granted"],
    ]
    found = problems_of(make_workbook(basic_sheets))
    assert ("error", "assessments!E2") in {(s, loc) for s, loc, _ in found}
    assert any(loc == "assessments!B4" and "assessment area" in m for _, loc, m in found)
    assert any(loc == "assessments!H3" and "before the audit date" in m for _, loc, m in found)


def test_typed_decision_disagreeing_is_a_warning(make_workbook, basic_sheets):
    basic_sheets["assessments"] = [["cluster_id", "area", "criterion", "score"], ["EG-T-001", "product", "c", 50]]
    basic_sheets["certifications"] = [
        ["cluster_id", "brand", "audit_date", "decision"],
        ["EG-T-001", "علامة", dt.date(2026, 3, 1), "ممنوح"],
    ]
    parsed = load(make_workbook(basic_sheets), SETTINGS)
    assert parsed.errors == []
    [w] = [w for w in parsed.warnings if "typed decision" in w.message]
    assert w.location == "certifications!D2" and "refused" in w.message and "decision_reason" in w.message
    # what a minimal row leaves out of its certificate is said, each at its place
    assert any(
        w.location == "certifications!A2" and "nobody is recorded as taking" in w.message for w in parsed.warnings
    )
    assert any(w.location.startswith("settings") and "body_address" in w.message for w in parsed.warnings)
    assert any(w.location == "certifications!A2" and "no standard" in w.message for w in parsed.warnings)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, not a workbook", "not an .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
        (b"PK\x03\x04" + b"\0" * 30, "damaged or incomplete"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=message):
        load(path, SETTINGS)


def test_truncated_workbook(tmp_path, make_workbook, basic_sheets):
    good = make_workbook(basic_sheets).read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(UnreadableFile):
        load(path, SETTINGS)
