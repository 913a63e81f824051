"""The conference handout: cover, programme by day, one fact sheet per cluster, and a closing page."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from reportgen.documents.common import PT_PER_MM, Scope, adds_up, in_scope, money_scale, unit_places
from reportgen.documents.factsheet import (
    MIN_TYPE_PT,
    NASKH,
    PAPERS,
    SANS,
    FactSheet,
    Fitter,
    InterventionLine,
    Metrics,
    Paper,
    fact_sheets,
    national_programmes,
)
from reportgen.errors import ReportgenError
from reportgen.fonts.metrics import Font
from reportgen.i18n import _
from reportgen.model.arabic import NBSP, ascii_digits, fold, keep_prepositions
from reportgen.model.records import Dataset, Session
from reportgen.model.reference import AXES, STATUSES, find_governorate, find_region, governorates, vocabulary_lookup
from reportgen.settings import Settings

if TYPE_CHECKING:  # the formatter is handed in by the command: planning needs its output, not Babel
    from reportgen.render.formatting import Formatter

DEFAULT_TITLE = "التجمعات الإنتاجية الطبيعية"
# The rows the index of fact sheets holds on its page, set as usual and set tighter (measured on the samples:
# A4 36 and 46 with the map credit under it, A5 29 and 36): between the two it is set tighter, so that a few
# rows do not spill onto a page of their own.
INDEX_ROWS = {"A4": (36, 46), "A5": (29, 36)}
NATIONAL_FLOWING = 3  # national programmes that follow the last day's table, kept together; more take a page
COVER_TITLE_LINES = 4  # more would reach the dates at the foot of an A5 cover
ORDINALS = ("الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر")
# Folded title starts of rows that are pauses, not sessions: shown quieter in the programme.
BREAKS = tuple(
    fold(w)
    for w in ("استراحة", "استراحه", "غداء", "الغداء", "عشاء", "صلاة", "break", "coffee", "lunch", "dinner", "prayer")
)
_SPLIT_PEOPLE = re.compile(r"\s*[؛;\n]\s*")
_SPLIT_ORGS = re.compile(r"\s*(?:[؛;\n]|\s\+\s)\s*")


@dataclass(frozen=True)
class SessionRow:
    """A programme row: a session or a pause."""

    start: dt.time
    end: dt.time | None
    title: str
    speakers: tuple[str, ...]
    venue: str
    is_break: bool


@dataclass(frozen=True)
class Day:
    """One day of the programme, sessions by start time."""

    index: int  # 1, 2, … in programme order
    label: str  # "اليوم الأول", or "" when the day is known only by its date
    date: dt.date | None
    sessions: tuple[SessionRow, ...]

    @property
    def anchor(self) -> str:
        """Return the day's id in the HTML."""
        return f"day-{self.index}"


@dataclass(frozen=True)
class AxisLine:
    """A strategy axis in short on the closing page, counted within the handout's scope."""

    key: str
    label_ar: str
    interventions: int
    clusters: int
    budget_egp: Decimal
    done: int = 0  # of the interventions, by status (those without a known status are in none of the three)
    in_progress: int = 0
    planned: int = 0

    @property
    def unstated(self) -> int:
        """Return how many of the axis's interventions have no status reportgen knows."""
        return self.interventions - self.done - self.in_progress - self.planned


@dataclass(frozen=True)
class Handout:
    """Everything the handout template shows, computed and fitted."""

    conference: str
    city: str
    first_day: dt.date | None
    last_day: dt.date | None
    organisers: tuple[str, ...]
    organization: str
    strategy_title: str
    certifying_body: str
    verify_url: str
    scope_label: str
    issue_date: dt.date
    paper: Paper
    metrics: Metrics
    cover: CoverType
    days: tuple[Day, ...]
    sheets: tuple[FactSheet, ...]
    axes: tuple[AxisLine, ...]
    national: tuple[InterventionLine, ...]  # national programmes open to every cluster: once, after the programme

    @property
    def index_compact(self) -> bool:
        """Return True when the index of fact sheets is set tighter to stay on one page."""
        usual, compact = INDEX_ROWS.get(self.paper.name, (0, 0))
        return usual < len(self.sheets) <= compact

    @property
    def notes_page_lines(self) -> int:
        """Return the ruled lines of a notes page (a booklet's filler): its heading's line, then the page full."""
        m = self.metrics
        return int((self.paper.content_height_pt - m.heading_line - m.gap / 4 - 1 - m.slack) // m.rule)

    @property
    def axes_count_clusters(self) -> bool:
        """Return True when an axis reaches fewer clusters than it has interventions: else that column repeats."""
        return any(a.clusters != a.interventions for a in self.axes)

    @property
    def axes_by_status(self) -> bool:
        """Return True when the axes table counts the interventions by status: some in scope have one, and the page
        has room. On A5 it holds the table and the closing box with three count columns at most: not with a column
        for the interventions without a status, nor beside the clusters' column (the descriptions would take four
        lines and push the box onto a page of its own); the table then gives the totals."""
        known = any(a.done or a.in_progress or a.planned for a in self.axes)
        unstated = any(a.unstated for a in self.axes)
        return known and (self.paper.name == "A4" or not (unstated or self.axes_count_clusters))

    @property
    def axes_unstated(self) -> bool:
        """Return True when the table counts by status and an intervention in scope has none: it gets a column."""
        return self.axes_by_status and any(a.unstated for a in self.axes)

    @property
    def axes_count_heads(self) -> tuple[str, ...]:
        """Return the headers of the axes table's count columns: by status (done, in progress, planned, and without
        a status when some have none), or the one total when no intervention in scope has a status."""
        if not self.axes_by_status:
            return ("التدخلات",)
        words = tuple(STATUSES[key][1] for key in ("done", "in_progress", "planned"))  # as the sheets and brief say
        return (*words, *(("دون حالة",) if self.axes_unstated else ()))

    def axis_counts(self, axis: AxisLine) -> tuple[int, ...]:
        """Return an axis's counts under axes_count_heads."""
        if not self.axes_by_status:
            return (axis.interventions,)
        return (axis.done, axis.in_progress, axis.planned, *((axis.unstated,) if self.axes_unstated else ()))

    @property
    def axes_budget_scale(self) -> int:
        """Return the one unit of the axes table's budget column (in its header), so every row has one decimal."""
        return money_scale([a.budget_egp for a in self.axes if a.interventions])

    @property
    def axes_totals(self) -> tuple[int, ...]:
        """Return the axes table's totals row: each count column summed."""
        return tuple(sum(column) for column in zip(*(self.axis_counts(a) for a in self.axes), strict=True))

    @property
    def axes_budget_egp(self) -> Decimal | None:
        """Return the budget of the interventions in scope (the totals row), None when there are none."""
        if not any(a.interventions for a in self.axes):
            return None
        return sum((a.budget_egp for a in self.axes), Decimal(0))

    @property
    def axes_rounded(self) -> bool:
        """Return True when the axes' budgets, as printed in the column's unit, do not add up to the total printed."""
        total, scale = self.axes_budget_egp, self.axes_budget_scale
        cells = [a.budget_egp / scale for a in self.axes if a.interventions]
        return total is not None and not adds_up(cells, total / scale, unit_places(scale))

    @property
    def national_page(self) -> bool:
        """Return True when the national programmes take a page of their own; a few follow the programme's end."""
        return len(self.national) > NATIONAL_FLOWING

    running_title: str  # the document title fitted to the running head (one line)
    title_names_scope: bool = False  # the conference's name already names the scope's places: not said twice
    # the clusters in scope the axes' interventions reach: the clusters' total (not the column's sum, a cluster may
    # be reached under several axes)
    axes_clusters: int = 0

    @property
    def document_title(self) -> str:
        """Return the title with the scope (unless the title names it), as in the running head and PDF metadata."""
        if self.scope_label and not self.title_names_scope:
            return f"{self.conference} — {self.scope_label}"
        return self.conference


@dataclass(frozen=True)
class CoverType:
    """The cover's text box and type sizes, and the running head's; handout.html writes them into CSS variables."""

    inset_mm: float  # from either side of the page to the text box
    title_pt: float
    line_pt: float  # an organiser's line
    head_pt: float  # the running head
    folio_pt: float  # the page number at the foot

    @classmethod
    def for_paper(cls, paper: Paper) -> CoverType:
        """Return the cover's sizes on this paper."""
        s = paper.scale
        return cls(  # the running head and folio print on every fact sheet: never under its smallest type
            inset_mm=20 * s,
            title_pt=32 * s,
            line_pt=12 * s,
            head_pt=max(8.5 * s, MIN_TYPE_PT),
            folio_pt=max(9 * s, MIN_TYPE_PT),
        )


class Cover:
    """Measures the cover's text and the running head, to keep a very long name off the dates."""

    def __init__(self, paper: Paper) -> None:
        self.type = t = CoverType.for_paper(paper)
        self.width = (paper.width_mm - 2 * t.inset_mm) * PT_PER_MM
        self.name = Font(NASKH, t.title_pt, bold=True)
        self.line = Font(SANS, t.line_pt)
        self.head = Font(SANS, t.head_pt)  # the running head, beside the section on the other side
        self.head_width = paper.content_width_pt * 0.6


def _is_break(session: Session) -> bool:
    return not session.speakers and fold(session.title).startswith(BREAKS)


def _day_label(label: str) -> str:
    """Return "اليوم الثاني" for a bare number 2 (in either digit style), else the label as typed."""
    digits = ascii_digits(label).strip()
    if digits.isdigit() and 1 <= int(digits) <= len(ORDINALS):
        return f"اليوم {ORDINALS[int(digits) - 1]}"
    return label


def conference_days(dates: tuple[dt.date, ...]) -> list[dt.date]:
    """Return every day of the conference: the dates given, or each day from the first to the last of two."""
    if len(dates) == 2 and dates[1] > dates[0]:
        return [dates[0] + dt.timedelta(days=n) for n in range((dates[1] - dates[0]).days + 1)]
    return sorted(set(dates))


def programme(sessions: tuple[Session, ...], dates: tuple[dt.date, ...]) -> list[Day]:
    """Return the programme grouped by day, days in order of first appearance (by date when all have one)."""
    groups: dict[str, list[Session]] = {}
    for s in sessions:
        groups.setdefault(s.day_date.isoformat() if s.day_date else s.day.strip(), []).append(s)
    days_known = conference_days(dates)
    keys = list(groups)
    if all(groups[k][0].day_date for k in keys):
        keys.sort()
    out = []
    for i, key in enumerate(keys):
        rows = sorted(groups[key], key=lambda s: s.start)  # stable: same start keeps the typed order
        first = rows[0]
        date = first.day_date or (days_known[i] if len(keys) <= len(days_known) else None)
        label = "" if first.day_date else _day_label(key)
        if not label and not date and len(keys) > 1:  # days left blank: number them
            label = _day_label(str(i + 1))
        out.append(
            Day(
                index=i + 1,
                label=label,
                date=date,
                sessions=tuple(
                    SessionRow(
                        s.start,
                        s.end,
                        s.title,
                        tuple(p for p in _SPLIT_PEOPLE.split(s.speakers) if p),
                        s.venue,
                        _is_break(s),
                    )
                    for s in rows
                ),
            )
        )
    return out


def _axes(dataset: Dataset, ids: set[str]) -> list[AxisLine]:
    out = []
    for key, (_en, ar) in AXES.items():
        chosen = [i for i in dataset.interventions if i.axis == key and i.cluster_id in ids]
        status = [vocabulary_lookup(STATUSES, i.status) if i.status else None for i in chosen]
        out.append(
            AxisLine(
                key,
                ar,
                len(chosen),
                len({i.cluster_id for i in chosen}),
                sum((i.budget_egp or Decimal(0) for i in chosen), Decimal(0)),
                done=status.count("done"),
                in_progress=status.count("in_progress"),
                planned=status.count("planned"),
            )
        )
    return out


def _national(dataset: Dataset) -> tuple[InterventionLine, ...]:
    """Return the national programmes not yet done as the handout lists them, largest budget first."""
    out = []
    for i in national_programmes(dataset):
        key = vocabulary_lookup(STATUSES, i.status) if i.status else None
        status = STATUSES[key][1] if key else i.status
        out.append(InterventionLine(i.axis, i.intervention, i.lead, i.start, i.end, i.budget_egp, status, i.kpi))
    return tuple(out)


def conference_region(city: str) -> str | None:
    """Return the English name of the region the conference's city (a governorate, its capital or a region)
    lies in, or None when the settings name no place reportgen knows."""
    if not city.strip():
        return None
    if found := find_region(city):
        return found[0]
    gov = find_governorate(city) or next((g for g in governorates() if fold(g.capital_ar) == fold(city)), None)
    return gov.region_en if gov else None


def plan(dataset: Dataset, settings: Settings, sc: Scope, paper: str, fmt: Formatter) -> Handout:
    """Return the handout of the clusters in scope, fact sheets fitted to the paper size."""
    if not dataset.programme:
        raise ReportgenError(
            _(
                "the handout needs the conference programme: add a `programme` (البرنامج) sheet "
                "with at least one session (columns day/اليوم, start/من, end/إلى, title/الجلسة, "
                "speakers/المتحدثون, venue/القاعة)"
            )
        )
    page = PAPERS[paper]
    clusters = in_scope(dataset, sc)
    ids = {c.id for c in clusters}
    fitter = Fitter(page, fmt)
    cover = Cover(page)
    s = dataset.settings
    dates = sorted(s.conference_dates)
    # measured as printed: each preposition joined to the next word (the cover's `prepositions` filter) moves down with
    # it, so a title near its last line may take one line more than its words alone would
    title = keep_prepositions(s.conference or s.title or DEFAULT_TITLE)
    conference = cover.name.fit(title, cover.width, COVER_TITLE_LINES).replace(NBSP, " ")
    # "…في صعيد مصر — إقليم صعيد مصر" says the region twice: a title naming every place of the scope stands alone.
    names_scope = bool(sc.places_ar) and all(fold(p) in fold(conference) for p in sc.places_ar)
    running = f"{conference} — {sc.label_ar}" if sc.label_ar and not names_scope else conference
    return Handout(
        conference=conference,
        running_title=cover.head.fit(running, cover.head_width, 1),
        title_names_scope=names_scope,
        city=s.city,
        first_day=dates[0] if dates else None,
        last_day=dates[-1] if dates else None,
        organisers=tuple(cover.line.fit(o, cover.width, 1) for o in _SPLIT_ORGS.split(s.organization) if o)[:4],
        organization=s.organization,
        strategy_title=s.title,
        certifying_body=s.certifying_body,
        verify_url=s.verify_url,
        scope_label=sc.label_ar,
        issue_date=s.issue_date or settings.today,
        paper=page,
        metrics=fitter.m,
        cover=cover.type,
        days=tuple(programme(dataset.programme, s.conference_dates)),
        sheets=tuple(fact_sheets(dataset, clusters, settings, fitter)),
        axes=tuple(_axes(dataset, ids)),
        axes_clusters=len({i.cluster_id for i in dataset.interventions if i.cluster_id in ids and i.axis in AXES}),
        national=_national(dataset) if clusters else (),
    )
