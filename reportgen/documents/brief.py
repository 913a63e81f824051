"""The strategy brief: headline figures, axes and interventions, distributions, map, priorities, annex."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from reportgen.documents.common import (
    Scope,
    Totals,
    adds_up,
    in_scope,
    money_scale,
    region_label,
    totals,
    unit_places,
)
from reportgen.model.arabic import fold
from reportgen.model.records import Cluster, Dataset, Intervention
from reportgen.model.reference import AXES, STATUSES, governorates, regions, vocabulary_lookup
from reportgen.settings import Settings

NATIONAL = "على المستوى الوطني"
SHORT_ANNEX = 30  # rows: half a page of the annex's compact rows
SHORT_TABLE = 12  # rows: a distribution table this short is kept on one page rather than split
PROGRESS = ("done", "in_progress", "planned")  # an intervention's progress, in the order the brief counts it


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
    status: str  # in the document's language: a known status by its Arabic label, any other as typed
    progress: str  # "done" | "in_progress" | "planned" (a blank or unknown status counts as planned)

    @property
    def status_known(self) -> bool:
        """Whether the status is one of the known labels (short: the brief keeps it on one line, free text wraps)."""
        return any(self.status == label for _, label in STATUSES.values())


@dataclass(frozen=True)
class AxisSection:
    """One strategy axis with its planned interventions."""

    key: str
    label_ar: str
    rows: tuple[InterventionRow, ...]
    budget_egp: Decimal
    clusters_reached: int

    def count(self, progress: str) -> int:
        """Return how many of the axis's interventions are done, in progress or planned."""
        return sum(1 for r in self.rows if r.progress == progress)

    @property
    def by_status(self) -> tuple[tuple[str, int], ...]:
        """Return (progress, count) for each status the axis's interventions have, done first."""
        return tuple((p, n) for p in PROGRESS if (n := self.count(p)))

    @property
    def not_started_egp(self) -> Decimal:
        """Return the budget of the interventions not yet started: what remains to be committed."""
        return sum((r.budget_egp or Decimal(0) for r in self.rows if r.progress == "planned"), Decimal(0))

    @property
    def committed_egp(self) -> Decimal:
        """Return the budget of the interventions done or under way."""
        return self.budget_egp - self.not_started_egp


@dataclass(frozen=True)
class PriorityRow:
    """A high-priority cluster with the figures behind its priority."""

    cluster: Cluster
    workers_share: float  # of the brief's workers
    output_share: float | None  # of the brief's annual output
    interventions: int
    budget_egp: Decimal


@dataclass(frozen=True)
class Brief:
    """Everything the brief template shows, computed."""

    title: str
    subtitle: str
    organization: str
    scope_label: str
    scope_in: str  # the scope after في: "إقليم صعيد مصر", "محافظتي الأقصر وقنا" ("" for the whole country)
    scope_names_governorates: bool  # the scope is named by its governorates: the text does not count them again
    issue_date: dt.date
    logo: str
    totals: Totals
    axes: tuple[AxisSection, ...]  # the axes with at least one intervention in scope
    idle_axes: tuple[str, ...]  # Arabic labels of the axes with none
    total_budget_egp: Decimal
    regions: tuple[Group, ...]
    governorates: tuple[Group, ...]
    sectors: tuple[Group, ...]
    priority: tuple[PriorityRow, ...]
    annex: tuple[Cluster, ...]
    governorate_counts: dict[str, int]  # code → clusters, for the map
    # The governorates in scope (every one for the whole country) and how the map's key names the others.
    scope_codes: frozenset[str]
    outside_label: str  # «خارج الإقليم» for one region (brief._outside_label); "" for the whole country
    budget_scale: int  # the one unit of each money column (10**6: مليون ج.م)
    group_scale: int  # annual output in the distribution tables
    priority_budget_scale: int
    output_scale: int  # the brief's annual output in words: ٨٫٥ مليار ج.م
    priority_output_scale: int  # the priority clusters' annual output column
    # The tables with a totals row ("progress", "regions", "governorates", "sectors") whose printed cells do
    # not add up to their printed total because of rounding: each gets a note under it.
    rounded_tables: frozenset[str] = frozenset()

    @property
    def whole_tables(self) -> frozenset[str]:
        """Return the distribution tables short enough (a dozen rows) to be kept on one page, as a typesetter would."""
        groups = {"regions": self.regions, "governorates": self.governorates, "sectors": self.sectors}
        return frozenset(name for name, rows in groups.items() if len(rows) <= SHORT_TABLE)

    @property
    def short_annex(self) -> bool:
        """Return whether the annex is short enough (SHORT_ANNEX rows) to open on the page of the notes before it."""
        return len(self.annex) <= SHORT_ANNEX

    @property
    def shows_regions(self) -> bool:
        """Return whether the brief has a "by region" section: clusters of one region have nothing to compare."""
        return len(self.regions) > 1

    @property
    def sole_region(self) -> str:
        """Return how the text names the one region of the brief's clusters ("" when they are in several)."""
        return "" if self.shows_regions or not self.annex else region_label(self.annex[0].governorate.region_ar)

    @property
    def priority_workers(self) -> int:
        """Return the workers of the high-priority clusters."""
        return sum(p.cluster.workers for p in self.priority)

    @property
    def priority_workers_share(self) -> float:
        """Return the high-priority clusters' share of the brief's workers."""
        return self.priority_workers / self.totals.workers if self.totals.workers else 0.0

    @property
    def priority_output_share(self) -> float | None:
        """Return the high-priority clusters' share of the brief's annual output (None without output figures)."""
        shares = [p.output_share for p in self.priority if p.output_share is not None]
        return sum(shares) if shares else None

    @property
    def intervention_count(self) -> int:
        """Return the number of interventions over all axes."""
        return sum(len(a.rows) for a in self.axes)

    def count(self, progress: str) -> int:
        """Return how many interventions are done, in progress or planned, over all axes."""
        return sum(a.count(progress) for a in self.axes)

    @property
    def by_status(self) -> tuple[tuple[str, int], ...]:
        """Return (progress, count) for each status the interventions have, over all axes, done first."""
        return tuple((p, n) for p in PROGRESS if (n := self.count(p)))

    @property
    def not_started_egp(self) -> Decimal:
        """Return the budget of the interventions not yet started, over all axes."""
        return sum((a.not_started_egp for a in self.axes), Decimal(0))

    @property
    def committed_egp(self) -> Decimal:
        """Return the budget of the interventions done or under way, over all axes."""
        return self.total_budget_egp - self.not_started_egp

    @property
    def largest_gaps(self) -> tuple[AxisSection, ...]:
        """Return the (at most two) axes with the most budget not yet started, largest first."""
        return tuple(sorted((a for a in self.axes if a.not_started_egp > 0), key=lambda a: -a.not_started_egp)[:2])

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
                status=STATUSES[k][1]
                if (k := vocabulary_lookup(STATUSES, i.status) if i.status else None)
                else i.status,
                progress=k or "planned",
            )
            for i in sorted(chosen, key=lambda i: (i.cluster_id is not None, i.start or dt.date.max))
        )
        if not rows:
            continue
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


def _priority(dataset: Dataset, clusters: list[Cluster], t: Totals) -> tuple[PriorityRow, ...]:
    """Return the high-priority clusters, most workers first, each with its share of the brief's figures."""
    out = []
    for c in sorted((c for c in clusters if c.priority == "high"), key=lambda c: -c.workers):
        own = [i for i in dataset.interventions if i.cluster_id == c.id]
        out.append(
            PriorityRow(
                cluster=c,
                workers_share=c.workers / t.workers if t.workers else 0.0,
                output_share=float(c.annual_output_egp / t.output_egp)
                if c.annual_output_egp is not None and t.output_egp
                else None,
                interventions=len(own),
                budget_egp=sum((i.budget_egp or Decimal(0) for i in own), Decimal(0)),
            )
        )
    return tuple(out)


def _legible_scale(typical: list[Decimal], shown: list[Decimal]) -> int:
    """Return the unit of typical amounts (money_scale), one step smaller while an amount shown that is not zero
    would print as ٠٫٠: a governorate producing 30 million reads ٣٠٫٠ مليون, not ٠٫٠ مليار beside ٧٫١ مليار."""
    scale = money_scale(list(typical))
    while scale > 1 and any(v and abs(v) * 20 < scale for v in shown):  # under 0.05 of the unit rounds to 0.0
        scale //= 1000
    return scale


def _in_unit(amounts: list[Decimal], total: Decimal, scale: int) -> bool:
    """Return True when amounts shown in a column's unit add up, as printed, to their total."""
    return adds_up([a / scale for a in amounts], total / scale, unit_places(scale))


def _rounded_tables(axes: list[AxisSection], groups: dict[str, tuple[Group, ...]], budget: int, output: int):
    """Return the tables with a totals row whose printed cells do not add up to the printed total."""
    out = set()
    columns = (lambda a: a.budget_egp, lambda a: a.committed_egp, lambda a: a.not_started_egp)
    if axes and not all(_in_unit([c(a) for a in axes], sum((c(a) for a in axes), Decimal(0)), budget) for c in columns):
        out.add("progress")
    for name, rows in groups.items():
        shares = adds_up([g.share * 100 for g in rows], 100, 0)  # percentages with no decimals (the pct filter)
        outputs = _in_unit([g.output_egp for g in rows], sum((g.output_egp for g in rows), Decimal(0)), output)
        if rows and not (shares and outputs):
            out.add(name)
    return frozenset(out)


def _outside_label(sc: Scope) -> str:
    """Return the map's key for the governorates outside the scope: outside the region, the governorate, or else the
    brief's scope (a region and governorates, or several governorates)."""
    if not sc.label_ar:
        return ""
    if len(sc.places_ar) > 1:
        return "خارج النطاق"
    return "خارج المحافظة" if sc.governorates_only else "خارج الإقليم"


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
    listed = {a.key for a in axes}
    t = totals(clusters)
    priority = _priority(dataset, clusters, t)
    gov_groups_out = tuple(_group(label, members, n) for label, members in gov_groups)
    s = dataset.settings
    budget_scale = money_scale([r.budget_egp for a in axes for r in a.rows] + [a.budget_egp for a in axes])
    groups = {
        "regions": tuple(_group(label, members, n) for label, members in region_groups),
        "governorates": gov_groups_out,
        "sectors": tuple(_group(label, members, n) for label, members in sector_groups),
    }
    # one unit for the three distribution tables, chosen on the governorates' typical output
    group_scale = _legible_scale(
        [g.output_egp for g in gov_groups_out], [g.output_egp for r in groups.values() for g in r]
    )
    return Brief(
        title=s.title or "الاستراتيجية الوطنية لتنمية التجمعات الإنتاجية الطبيعية",
        subtitle=s.subtitle,
        organization=s.organization,
        scope_label=sc.label_ar,
        scope_in=sc.label_in_ar or sc.label_ar,
        scope_names_governorates=sc.governorates_only,
        issue_date=s.issue_date or settings.today,
        logo=s.logo,
        totals=t,
        axes=tuple(axes),
        idle_axes=tuple(ar for key, (_en, ar) in AXES.items() if key not in listed),
        total_budget_egp=sum((a.budget_egp for a in axes), Decimal(0)),
        regions=groups["regions"],
        governorates=groups["governorates"],
        sectors=groups["sectors"],
        priority=priority,
        annex=tuple(clusters),
        governorate_counts={members[0].governorate.code: len(members) for _, members in gov_groups},
        scope_codes=sc.codes,
        outside_label=_outside_label(sc),
        budget_scale=budget_scale,
        group_scale=group_scale,
        priority_budget_scale=money_scale([p.budget_egp for p in priority]),
        output_scale=money_scale([t.output_egp]),
        priority_output_scale=money_scale([p.cluster.annual_output_egp for p in priority]),
        rounded_tables=_rounded_tables(axes, groups, budget_scale, group_scale),
    )
