"""The strategy brief: headline figures, axes and interventions, distributions, map, priorities, annex."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from reportgen.documents.common import Scope, Totals, in_scope, totals
from reportgen.model.arabic import fold
from reportgen.model.records import Cluster, Dataset, Intervention
from reportgen.model.reference import AXES, governorates, regions
from reportgen.settings import Settings

NATIONAL = "على المستوى الوطني"


@dataclass(frozen=True)
class Group:
    """One row of a distribution table."""

    label: str
    clusters: int
    enterprises: int
    workers: int
    output_egp: Decimal
    share: float  # of the brief's clusters


@dataclass(frozen=True)
class InterventionRow:
    """An intervention as the brief lists it."""

    text: str
    where: str
    cluster_id: str
    lead: str
    budget_egp: Decimal | None
    start: dt.date | None
    end: dt.date | None
    kpi: str
    status: str


@dataclass(frozen=True)
class AxisSection:
    """One strategy axis with its planned interventions."""

    key: str
    label_ar: str
    rows: tuple[InterventionRow, ...]
    budget_egp: Decimal
    clusters_reached: int


@dataclass(frozen=True)
class Brief:
    """Everything the brief template shows, computed."""

    title: str
    subtitle: str
    organization: str
    scope_label: str
    issue_date: dt.date
    logo: str
    totals: Totals
    axes: tuple[AxisSection, ...]
    total_budget_egp: Decimal
    regions: tuple[Group, ...]
    governorates: tuple[Group, ...]
    sectors: tuple[Group, ...]
    priority: tuple[Cluster, ...]
    annex: tuple[Cluster, ...]
    governorate_counts: dict[str, int]  # code → clusters, for the map

    @property
    def intervention_count(self) -> int:
        """Return the number of interventions over all axes."""
        return sum(len(a.rows) for a in self.axes)

    @property
    def document_title(self) -> str:
        """Return the title with the scope, as printed and as PDF metadata."""
        return f"{self.title} — {self.scope_label}" if self.scope_label else self.title


def _group(label: str, members: list[Cluster], total: int) -> Group:
    return Group(
        label=label,
        clusters=len(members),
        enterprises=sum(c.enterprises for c in members),
        workers=sum(c.workers for c in members),
        output_egp=sum((c.annual_output_egp or Decimal(0) for c in members), Decimal(0)),
        share=len(members) / total if total else 0.0,
    )


def _by(clusters: list[Cluster], key, label) -> list[tuple[str, list[Cluster]]]:
    groups: dict[str, list[Cluster]] = defaultdict(list)
    labels: dict[str, str] = {}
    for c in clusters:
        k = key(c)
        groups[k].append(c)
        labels.setdefault(k, label(c))
    return [(labels[k], v) for k, v in groups.items()]


def _axes(dataset: Dataset, clusters: list[Cluster], national_scope: bool) -> list[AxisSection]:
    names = {c.id: c for c in clusters}
    out = []
    for key, (_en, ar) in AXES.items():
        chosen: list[Intervention] = [
            i
            for i in dataset.interventions
            if i.axis == key and ((i.cluster_id is None and national_scope) or i.cluster_id in names)
        ]
        rows = tuple(
            InterventionRow(
                text=i.intervention,
                where=names[i.cluster_id].name if i.cluster_id else NATIONAL,
                cluster_id=i.cluster_id or "",
                lead=i.lead,
                budget_egp=i.budget_egp,
                start=i.start,
                end=i.end,
                kpi=i.kpi,
                status=i.status,
            )
            for i in sorted(chosen, key=lambda i: (i.cluster_id is not None, i.start or dt.date.max))
        )
        out.append(
            AxisSection(
                key=key,
                label_ar=ar,
                rows=rows,
                budget_egp=sum((r.budget_egp or Decimal(0) for r in rows), Decimal(0)),
                clusters_reached=len({r.cluster_id for r in rows if r.cluster_id}),
            )
        )
    return out


def plan(dataset: Dataset, settings: Settings, sc: Scope) -> Brief:
    """Return the brief of the clusters in scope."""
    clusters = in_scope(dataset, sc)
    n = len(clusters)
    region_order = [en for en, _ in regions()]
    region_groups = sorted(
        _by(clusters, lambda c: c.governorate.region_en, lambda c: c.governorate.region_ar),
        key=lambda g: region_order.index(g[1][0].governorate.region_en),
    )
    gov_order = {g.code: i for i, g in enumerate(governorates())}
    gov_groups = sorted(
        _by(clusters, lambda c: c.governorate.code, lambda c: c.governorate.name_ar),
        key=lambda g: (-len(g[1]), gov_order[g[1][0].governorate.code]),
    )
    sector_groups = sorted(
        _by(clusters, lambda c: fold(c.sector), lambda c: c.sector), key=lambda g: (-len(g[1]), g[0])
    )
    axes = _axes(dataset, clusters, national_scope=not sc.label_ar)
    s = dataset.settings
    return Brief(
        title=s.title or "الاستراتيجية الوطنية لتنمية التجمعات الإنتاجية الطبيعية",
        subtitle=s.subtitle,
        organization=s.organization,
        scope_label=sc.label_ar,
        issue_date=s.issue_date or settings.today,
        logo=s.logo,
        totals=totals(clusters),
        axes=tuple(axes),
        total_budget_egp=sum((a.budget_egp for a in axes), Decimal(0)),
        regions=tuple(_group(label, members, n) for label, members in region_groups),
        governorates=tuple(_group(label, members, n) for label, members in gov_groups),
        sectors=tuple(_group(label, members, n) for label, members in sector_groups),
        priority=tuple(sorted((c for c in clusters if c.priority == "high"), key=lambda c: -c.workers)),
        annex=tuple(clusters),
        governorate_counts={members[0].governorate.code: len(members) for _, members in gov_groups},
    )
