"""The certification decision rule, kept step by step so a dossier can show why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportgen.errors import quoted
from reportgen.i18n import _, is_arabic
from reportgen.model.problems import ERROR, WARNING, Problem
from reportgen.model.records import Assessment, Certification, Dataset
from reportgen.model.reference import AREAS, DECISIONS
from reportgen.settings import Settings, Thresholds


@dataclass(frozen=True)
class Step:
    """One rule of the decision: what it checks, whether it applied, and its outcome if so."""

    number: int
    rule: str  # "open_major" | "below_refuse" | "past_due" | "grant" | "otherwise"
    applies: bool  # reached, and its condition holds: this step decided
    reached: bool
    outcome: str
    holds: bool  # the condition itself, reached or not ("is the score below the minimum? yes")


@dataclass(frozen=True)
class Decision:
    """The rule's result for one cluster's assessment."""

    outcome: str  # "granted" | "conditional" | "refused"
    overall: float
    area_scores: dict[str, float]
    open_major: tuple[Assessment, ...]
    open_minor: tuple[Assessment, ...]
    steps: tuple[Step, ...]
    past_due: tuple[Assessment, ...] = ()  # open minor findings due on or before the issue date: no condition
    grant_score: bool = False  # the overall score reaches the grant threshold (what the grant step's evidence says)

    def holds(self, rule: str) -> bool:
        """Return whether the condition of the named step holds ("open_major", "below_refuse", "grant", …)."""
        return next(s.holds for s in self.steps if s.rule == rule)


def weighted_mean(items: list[Assessment]) -> float:
    """Return the weighted mean score; 0 when the weights add up to nothing."""
    total = sum(a.weight for a in items)
    return sum(a.weight * a.score for a in items) / total if total else 0.0


def decide(
    assessments: list[Assessment] | tuple[Assessment, ...], t: Thresholds, issue: dt.date | None = None
) -> Decision:
    """Return the decision for a cluster's assessed criteria under the thresholds, on the issue date.

    A certificate conditional on closing a finding by a date that is already past on the day it is issued
    would contradict itself, so an open minor finding due on or before the issue date refuses.
    """
    items = list(assessments)
    overall = weighted_mean(items)
    area_scores = {
        area: weighted_mean([a for a in items if a.area == area])
        for area in AREAS
        if any(a.area == area for a in items)
    }
    major = tuple(a for a in items if a.is_open_on(issue) and a.severity == "major")
    minor = tuple(a for a in items if a.is_open_on(issue) and a.severity == "minor")
    past = tuple(a for a in minor if issue is not None and a.due is not None and a.due <= issue)
    grant_score = overall >= t.grant_from
    checks = [
        ("open_major", bool(major), "refused"),
        ("below_refuse", overall < t.refuse_below, "refused"),
        ("past_due", bool(past), "refused"),
        ("grant", grant_score and not minor, "granted"),
        ("otherwise", True, "conditional"),
    ]
    steps: list[Step] = []
    outcome: str | None = None
    for number, (rule, applies, result) in enumerate(checks, start=1):
        reached = outcome is None
        steps.append(Step(number, rule, applies and reached, reached, result, applies))
        if reached and applies:
            outcome = result
    assert outcome is not None  # the last check always applies
    return Decision(outcome, overall, area_scores, major, minor, tuple(steps), past, grant_score)


def issue_date(cert: Certification, today: dt.date) -> dt.date:
    """Return the certificate's issue (decision) date: as typed, else today but never before the audit."""
    return cert.issue_date or max(today, cert.audit_date)


def valid_until(cert: Certification, settings: Settings) -> dt.date:
    """Return the last day of a certificate's validity: as typed, else its years from the effective date."""
    from reportgen.documents.surveillance import default_valid_until

    issue = issue_date(cert, settings.today)
    effective = max(cert.effective_date or issue, issue)
    return cert.valid_until or default_valid_until(effective, settings.thresholds.validity_years)


def typed_decision_warnings(dataset: Dataset, settings: Settings) -> list[Problem]:
    """Return a problem, at its cell, for each typed decision the rule would not reach without a reason,
    and an error for a conditional decision whose condition is already past due on the issue date."""
    by_cluster: dict[str, list[Assessment]] = {}
    for a in dataset.assessments:
        by_cluster.setdefault(a.cluster_id, []).append(a)
    found = []
    for cert in dataset.certifications:
        items = by_cluster.get(cert.cluster_id)
        if not cert.decision or not items or sum(a.weight for a in items) <= 0:
            continue
        result = decide(items, settings.thresholds, issue_date(cert, settings.today))
        where = cert.source
        sheet, cell = (where.sheet, where.cell("decision")) if where else ("", "")
        if cert.decision == "conditional" and result.past_due:
            due = ", ".join(sorted({a.due.isoformat() for a in result.past_due if a.due}))
            found.append(
                Problem(
                    _(
                        "a conditional decision whose condition is due on or before the issue date ({dates}) is no "
                        "condition: close the finding, move its due date after the issue date, or type granted or "
                        "refused with the committee's reason (decision_reason)"
                    ).format(dates=quoted(due)),
                    sheet,
                    cell,
                    "القرار",
                    severity=ERROR,
                )
            )
        elif result.outcome != cert.decision and not cert.decision_reason:
            found.append(
                Problem(
                    _(
                        "the typed decision '{typed}' differs from the rule's '{rule}' and gives no "
                        "reason: type the committee's reason in decision_reason (أسباب القرار)"
                    ).format(typed=_decision(cert.decision), rule=_decision(result.outcome)),
                    sheet,
                    cell,
                    "القرار",
                    severity=WARNING,
                )
            )
    return found


def closure_problems(dataset: Dataset, settings: Settings) -> list[Problem]:
    """Return an error, at its cell, for each non-conformity closed after its cluster's decision date.

    The dossier is dated the day of the decision: a closure after it was not known then, and the rule counted
    the finding open.
    """
    decided = {c.cluster_id: issue_date(c, settings.today) for c in dataset.certifications}
    found = []
    for a in dataset.assessments:
        day = decided.get(a.cluster_id)
        if day is None or not a.closed or a.closed_on is None or a.closed_on <= day:
            continue
        where = a.source
        found.append(
            Problem(
                _(
                    "the non-conformity is closed after the certification decision ({date}): on that day it was "
                    "open; type the closure date the decision took into account, or mark it open"
                ).format(date=quoted(day.isoformat())),
                where.sheet if where else "",
                where.cell("closed_on") if where else "",
                "تاريخ الإغلاق",
                a.closed_on.isoformat(),
                severity=ERROR,
            )
        )
    return found


def _decision(code: str) -> str:
    """Return a decision as the workbook's vocabulary says it: 'granted', or 'ممنوح' in Arabic messages."""
    return DECISIONS[code][1] if is_arabic() and code in DECISIONS else code
