"""A closed non-conformity's closure date: read, checked against the audit and the decision, and printed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reportgen.commands import common, issuing
from reportgen.documents import dossier as dossier_doc
from reportgen.documents.rule import decide, issue_date
from reportgen.model.records import Assessment
from reportgen.settings import Settings, Thresholds
from tests.helpers_dossier import AUDIT, TODAY, dossier_sheets, make_workbook

SETTINGS = Settings(today=TODAY)  # no issue date typed: each decision is dated TODAY
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
CLOSED_ROW = 3  # EG-T-001's closed minor finding: row 4 of the assessments sheet
CLOSED_ON = "K"  # the closed_on column (11th)


def _problems(tmp_path, closed_on, closed="yes"):
    sheets = dossier_sheets()
    row = sheets["assessments"][CLOSED_ROW]
    row[9], row[10] = closed, closed_on
    return common.load(make_workbook(tmp_path, sheets), SETTINGS).problems


def _about_closure(problems):
    return [p for p in problems if p.header == "تاريخ الإغلاق" or "closed_on" in p.message]


def test_a_closure_date_within_the_audit_and_the_decision_is_clean(tmp_path):
    assert _about_closure(_problems(tmp_path, AUDIT + dt.timedelta(days=3))) == []


def test_a_closed_finding_without_its_date_is_a_located_warning(tmp_path):
    [p] = _about_closure(_problems(tmp_path, None))
    assert (p.location, p.is_error) == (f"assessments!J{CLOSED_ROW + 1}", False)  # the "closed: yes" cell
    assert "closed_on" in p.message


def test_a_closure_after_the_decision_is_a_located_error(tmp_path):
    [p] = _about_closure(_problems(tmp_path, TODAY + dt.timedelta(days=1)))
    assert (p.location, p.is_error, p.value) == (f"assessments!{CLOSED_ON}{CLOSED_ROW + 1}", True, "2026-11-20")
    assert "2026-11-19" in p.message  # the decision's date, so the user sees what it must not pass


def test_a_closure_before_the_audit_is_a_located_error(tmp_path):
    [p] = _about_closure(_problems(tmp_path, AUDIT - dt.timedelta(days=1)))
    assert (p.location, p.is_error) == (f"assessments!{CLOSED_ON}{CLOSED_ROW + 1}", True)


def test_a_closure_date_on_an_open_finding_is_a_located_error(tmp_path):
    [p] = _about_closure(_problems(tmp_path, AUDIT + dt.timedelta(days=3), closed="no"))
    assert (p.location, p.is_error) == (f"assessments!{CLOSED_ON}{CLOSED_ROW + 1}", True)


def test_the_rule_counts_a_finding_closed_after_the_decision_as_open():
    decision_day = dt.date(2026, 9, 1)

    def finding(closed_on):
        return Assessment("X", "product", "c", 70, severity="minor", closed=True, closed_on=closed_on)

    good = [Assessment("X", "materials", "m", 95)]
    before = decide([*good, finding(decision_day)], Thresholds(), decision_day)
    after = decide([*good, finding(decision_day + dt.timedelta(days=1))], Thresholds(), decision_day)
    assert (before.outcome, len(before.open_minor)) == ("granted", 0)
    assert (after.outcome, len(after.open_minor)) == ("conditional", 1)


def test_the_dossier_prints_the_closure_date(tmp_path):
    parsed = common.load_clean(make_workbook(tmp_path), SETTINGS)
    issuing.setup(SETTINGS, None)
    [d] = [d for d in dossier_doc.plan(parsed.dataset, SETTINGS).dossiers if d.cluster.id == "EG-T-001"]
    html = issuing.html_of(d, tmp_path)
    table = html[html.index('<table class="nc">') :]
    row = re.search(r'<tr class="closed">.*?</tr>', table, re.DOTALL)
    assert row is not None
    # 20 June 2026 (ten days after the audit), in the dossier's Arabic-Indic digits
    assert "مغلقة في" in row.group(0) and "٢٠" in row.group(0) and "يونيو" in row.group(0)


def test_the_sample_workbook_closes_each_finding_before_its_decision():
    parsed = common.load_clean(SAMPLES / "clusters.xlsx", SETTINGS)
    assert not _about_closure(parsed.problems)
    decided = {c.cluster_id: issue_date(c, SETTINGS.today) for c in parsed.dataset.certifications}
    closed = [a for a in parsed.dataset.assessments if a.severity != "none" and a.closed]
    assert closed, "the sample has closed findings (Qurna's major, Kerdasa's and Akhmim's minor ones)"
    for a in closed:
        day = decided[a.cluster_id]
        assert a.closed_on is not None and a.closed_on <= day, (a.cluster_id, a.criterion)
        assert a.due is not None and a.due <= day, (a.cluster_id, a.criterion)  # no deadline after the decision
