"""The certification decision rule, kept step by step so a dossier can show why."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.model.problems import WARNING, Problem
from reportgen.model.records import Assessment, Dataset
from reportgen.model.reference import AREAS
from reportgen.settings import Thresholds


@dataclass(frozen=True)
class Step:
    """One rule of the decision: what it checks, whether it applied, and its outcome if so."""

    number: int
    rule: str  # "open_major" | "below_refuse" | "grant" | "otherwise"
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

    def holds(self, rule: str) -> bool:
        """Return whether the condition of the named step holds ("open_major", "below_refuse", "grant", …)."""
        return next(s.holds for s in self.steps if s.rule == rule)


def weighted_mean(items: list[Assessment]) -> float:
    """Return the weighted mean score; 0 when the weights add up to nothing."""
    total = sum(a.weight for a in items)
    return sum(a.weight * a.score for a in items) / total if total else 0.0


def decide(assessments: list[Assessment] | tuple[Assessment, ...], t: Thresholds) -> Decision:
    """Return the decision for a cluster's assessed criteria under the thresholds."""
    items = list(assessments)
    overall = weighted_mean(items)
    area_scores = {
        area: weighted_mean([a for a in items if a.area == area])
        for area in AREAS
        if any(a.area == area for a in items)
    }
    major = tuple(a for a in items if a.is_open_nonconformity and a.severity == "major")
    minor = tuple(a for a in items if a.is_open_nonconformity and a.severity == "minor")
    checks = [
        ("open_major", bool(major), "refused"),
        ("below_refuse", overall < t.refuse_below, "refused"),
        ("grant", overall >= t.grant_from and not minor, "granted"),
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
    return Decision(outcome, overall, area_scores, major, minor, tuple(steps))


def typed_decision_warnings(dataset: Dataset, t: Thresholds) -> list[Problem]:
    """Return a warning, at its cell, for each decision typed in the sheet that the rule would not reach."""
    by_cluster: dict[str, list[Assessment]] = {}
    for a in dataset.assessments:
        by_cluster.setdefault(a.cluster_id, []).append(a)
    found = []
    for cert in dataset.certifications:
        items = by_cluster.get(cert.cluster_id)
        if not cert.decision or not items or sum(a.weight for a in items) <= 0:
            continue
        rule = decide(items, t).outcome
        if rule != cert.decision:
            where = cert.source
            found.append(
                Problem(
                    f"the typed decision '{cert.decision}' differs from the rule's '{rule}'; "
                    "the certificate shows the typed one and the rule's beside it",
                    where.sheet if where else "",
                    where.cell("decision") if where else "",
                    "القرار",
                    severity=WARNING,
                )
            )
    return found
