"""One cluster's fact sheet for the handout, its text fitted in Python so that it always takes one page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from reportgen.certification.numbers import certificate_number
from reportgen.documents.common import PT_PER_MM, region_label
from reportgen.documents.rule import decide, issue_date, valid_until
from reportgen.fonts.metrics import Font
from reportgen.model.arabic import NBSP, fold
from reportgen.model.records import Certification, Cluster, Dataset, Intervention
from reportgen.model.reference import AXES, PRIORITIES, STATUSES, vocabulary_lookup
from reportgen.settings import Settings

if TYPE_CHECKING:  # the formatter is handed in by the command: planning needs its output, not Babel
    from reportgen.render.formatting import Formatter

NASKH = ("RG Naskh", "RG Latin", "RG Symbols")
SANS = ("RG Sans", "RG Latin", "RG Symbols")
SEPARATOR = "، "  # not a middle dot: beside Arabic-Indic digits it reads as a zero (٠)
STATUS_SEPARATOR = "،" + NBSP  # the status (nowrap) kept with the word before it: «قيد التنفيذ» never alone on a line
AXIS_SEPARATOR = "،" + NBSP  # the axis name kept with the word after it: never alone at a line's end (review 8)
GROUP_RULE = 0.5  # pt: the hairline under a group's sub-head (handout.css draws it)
MIN_TYPE_PT = 8.0  # the smallest type a fact sheet prints (legible in print): A5's scale would set 7.3 pt
MIN_NOTE_LINES = 3  # fewer ruled lines than this are not worth a "notes" box
HEADLINE_FIGURES = 6  # beside the locator map: enterprises, workers, women, output, exports, interventions
MIN_LISTED = 3  # interventions a sheet lists (when it has them) before it gives room to context rows
KPI_LABEL = "مؤشر الأداء: "  # before an intervention's KPI (handout.html prints the same)
KPI_AFTER = "؛ "  # between an intervention's details and its KPI on one line (handout.html prints the same)
# A sheet without interventions of its own says so, and where the national programmes are (handout.html prints
# the same; the fitter measures it).
NO_INTERVENTIONS = "لا تدخلات خاصة بهذا التجمع حتى الآن؛ وتنطبق عليه البرامج الوطنية المعروضة بعد برنامج المؤتمر."

# The sheet's rows in groups, each under a sub-head: what the cluster makes, where it stands among the others, who
# works with it. A context row's group is known by its label (context_facts gives them in order of priority).
GROUPS = ("النشاط والإنتاج", "مكانته بين التجمعات", "الشركاء والتجمعات المماثلة")
# The groups that give way whole when more than MAX_ROWS_OUT rows would not fit, in turn: partners and similar
# clusters first (the partners are named on the interventions' lines too), then the cluster's standing. The first
# group stays (it holds the sector and products).
DROP_ORDER = (2, 1)
MAX_ROWS_OUT = 2  # rows a sheet leaves out one by one (the least important); with more, a whole group gives way
GROUP_OF = {
    "حجم المنشأة": 0,
    "إنتاج العامل": 0,
    "إنتاج المنشأة": 0,
    "في قطاعه": 1,
    "في محافظته": 1,
    "في إقليمه": 1,
    "التصدير": 1,
    "عمل النساء": 1,
    "الأولوية": 1,
    "شهادة المطابقة": 1,
    "الجهات الشريكة": 2,
    "تجمعات مماثلة": 2,
    "تجمعات قريبة": 2,
}


Row = tuple[str, str]  # a context row: label, value
NAME_LISTS = ("الجهات الشريكة", "تجمعات مماثلة", "تجمعات قريبة")  # rows whose values are names, joined by SEPARATOR


def group_title(label: str) -> str:
    """Return the sub-head of the group a context row belongs to (an unknown label: the last group)."""
    return GROUPS[GROUP_OF.get(label, len(GROUPS) - 1)]


Grouped = tuple[tuple[str, tuple[Row, ...]], ...]  # sub-heads, each with its rows (one to a line)


def group_lines(facts: tuple[Row, ...]) -> Grouped:
    """Return the context rows under their groups' sub-heads, in GROUPS' order (the first group always: the template
    prints the sector and products in it), one row to a line: rows set two to a line left the second label aligned
    with nothing (review 6), so a sheet short of room leaves rows out instead."""
    order = list(GROUP_OF)  # within a group, as GROUP_OF lists them (sector, governorate, region; …)
    facts = tuple(sorted(facts, key=lambda f: order.index(f[0]) if f[0] in GROUP_OF else len(order)))
    out = []
    for g, title in enumerate(GROUPS):
        rows = tuple(f for f in facts if GROUP_OF.get(f[0], len(GROUPS) - 1) == g)
        if rows or g == 0:
            out.append((title, rows))
    return tuple(out)


@dataclass(frozen=True)
class Paper:
    """A page size and the type scale the handout uses on it."""

    name: str
    width_mm: float
    height_mm: float
    margin_mm: tuple[float, float, float]  # top, sides, bottom
    scale: float  # type and block sizes relative to A4

    @property
    def content_width_pt(self) -> float:
        """Return the width between the side margins, in points."""
        return (self.width_mm - 2 * self.margin_mm[1]) * PT_PER_MM

    @property
    def content_height_pt(self) -> float:
        """Return the height between the top and bottom margins, in points."""
        return (self.height_mm - self.margin_mm[0] - self.margin_mm[2]) * PT_PER_MM


PAPERS = {
    "A4": Paper("A4", 210, 297, (20, 16, 18), 1.0),
    # A5 is 0.71 of A4; type at 0.86 stays readable, so A5 sheets show less text.
    "A5": Paper("A5", 148, 210, (14, 11, 14), 0.86),
}


@dataclass(frozen=True)
class Metrics:
    """Type sizes, line pitches and block heights of a fact sheet in points; handout.css is written from these."""

    body_pt: float
    body_line: float
    small_pt: float
    small_line: float
    row_pt: float  # the context rows (secondary: smaller than the body, never under MIN_TYPE_PT)
    row_line: float
    name_pt: float
    name_line: float
    heading_pt: float
    heading_line: float
    brand_pt: float
    brand_line: float
    value_pt: float  # headline figures
    head_h: float  # the strip above the name (governorate, region, id)
    facts_h: float  # locator map and headline figures
    cert_h: float  # certification box, border and padding included
    cert_compact: bool  # the box's status on the brand's line, without a heading line of its own (A5)
    gap: float
    label_w: float  # the label column of sector and products
    indent: float  # interventions hang from a marker
    item_gap: float
    map_w_mm: float
    stat_columns: int  # headline figures per row beside the map
    stat_pad: float  # inside a headline figure's box
    stat_rule: float  # the rule over a headline figure
    rule: float  # pitch of the ruled note lines
    name_lines: int
    product_lines: int
    text_lines: int  # of one intervention
    slack: float  # unused room kept at the foot, against rounding in layout

    @property
    def group_h(self) -> float:
        """Return the height of a group's sub-head in the rows: a small line, half a gap below it (a letter under the
        line, as in «الإنتاج», stays clear of the rule), a hairline; the row under it has half a gap above it too, and
        the sub-head one gap above it (see group_space and fixed_height)."""
        return self.small_line + self.gap / 2 + GROUP_RULE

    def group_space(self, tight: bool) -> float:
        """Return the space a sub-head after the first has above it in its own cell: with the row above's bottom
        padding (a quarter gap, none set closer) one gap, as the first has below the figures (review 7)."""
        return self.gap if tight else self.gap * 3 / 4

    @property
    def stat_h(self) -> float:
        """Return the height inside a headline figure's box: the rows share the map's height, spaced by half a gap."""
        rows = -(-HEADLINE_FIGURES // self.stat_columns)
        spacing = self.gap / 2
        return (self.facts_h - (rows - 1) * spacing) / rows - self.stat_pad - self.stat_rule

    @classmethod
    def for_paper(cls, paper: Paper) -> Metrics:
        """Return the metrics of a fact sheet on this paper."""
        s = paper.scale
        body = 10.5 * s
        small = max(8.5 * s, MIN_TYPE_PT)
        return cls(
            body_pt=body,
            body_line=round(body * 1.55, 2),
            small_pt=small,
            small_line=round(small * 1.5, 2),
            row_pt=small,
            row_line=round(small * 1.4, 2),
            name_pt=20 * s,
            name_line=round(20 * s * 1.3, 2),
            heading_pt=11.5 * s,
            heading_line=round(11.5 * s * 1.45, 2),
            brand_pt=12.5 * s,
            brand_line=round(12.5 * s * 1.45, 2),
            value_pt=15 * s,
            head_h=round(small * 1.5 + 6 * s, 2),
            facts_h=round(50 * s * PT_PER_MM * 0.9, 2),  # the locator map is 0.89 as high as wide
            # heading, brand, standard, number; on A5 the heading's line goes (the status stands by the brand)
            cert_h=round(12.5 * s * 1.45 + (2 if paper.name == "A5" else 3) * small * 1.5 + 16 * s, 2),
            cert_compact=paper.name == "A5",
            gap=round(8 * s, 2),
            label_w=round(62 * small / 8.5, 2),  # as wide as the labels: they are set in the small type
            indent=round(12 * s, 2),
            item_gap=round(5 * s, 2),
            map_w_mm=round(50 * s, 1),
            stat_columns=3 if paper.name == "A4" else 2,
            stat_pad=6 * s,
            stat_rule=2.2 * s,
            rule=round(body * 1.55 * 1.3, 2),
            name_lines=2,
            product_lines=4 if paper.name == "A4" else 3,
            text_lines=2,
            slack=round(body * 1.55, 2),
        )


@dataclass(frozen=True)
class InterventionLine:
    """A planned intervention as a fact sheet lists it (text and lead already fitted)."""

    axis: str  # key from reference.AXES
    text: str
    lead: str
    start: dt.date | None
    end: dt.date | None
    budget_egp: Decimal | None
    status: str = ""  # in Arabic ("منجز", "قيد التنفيذ", "مخطط"), or as typed
    kpi: str = ""  # fitted to one line; "" when none
    kpi_inline: bool = False  # the KPI after the details on their line (a sheet short of room, when it fits there)


@dataclass(frozen=True)
class CertificationBox:
    """A cluster's certification as its fact sheet shows it."""

    brand: str
    outcome: str | None  # "granted" | "conditional" | "refused"; None while not yet assessed
    standard: str
    body: str  # certifying body, fitted
    valid_until: dt.date | None  # of a certificate held (granted or conditional), as its dossier states it
    number: str = ""  # the certificate's number, when the cluster holds one
    hijri: bool = True  # the validity's Hijri date fits beside the number (on a narrow page it may not)


@dataclass(frozen=True)
class FactSheet:
    """Everything one fact sheet shows, fitted to one page."""

    cluster: Cluster
    name: str
    locality: str
    sector: str
    products: str
    facts: tuple[tuple[str, str], ...]  # (label, value) rows under the products: the cluster in its context
    interventions: tuple[InterventionLine, ...]
    more_interventions: int  # planned but not listed for want of room
    certification: CertificationBox | None
    note_lines: int  # ruled lines for the reader's notes, filling the rest of the page (0: none)
    tight: bool = False  # the rows set closer (no space between them) so that all of them fit
    left_out: tuple[str, ...] = ()  # labels of the context rows that did not fit even so (lowest priority first out)
    place_line: bool = True  # the locality on a line under the name; else in the strip above it (to make room)
    dropped: tuple[str, ...] = ()  # titles of the groups left out whole (their rows are in left_out), lowest first
    dropped_note: str = ""  # under the rows: where those groups are shown in full (only when the A4 sheet has them)

    @property
    def omitted(self) -> tuple[str, ...]:
        """Return what the sheet leaves out, as its warning names it: each group left out whole with its rows, then
        the rows left out one by one."""
        whole = tuple(
            f"{title} ({'، '.join(label for label in self.left_out if group_title(label) == title)})"
            for title in self.dropped
        )
        return whole + tuple(label for label in self.left_out if group_title(label) not in self.dropped)

    @property
    def grouped(self) -> Grouped:
        """Return the context rows under their groups' sub-heads as the table's lines (see group_lines)."""
        return group_lines(self.facts)

    @property
    def planned(self) -> int:
        """Return how many interventions are planned for the cluster, listed or not."""
        return len(self.interventions) + self.more_interventions

    @property
    def anchor(self) -> str:
        """Return the sheet's id in the HTML (and named destination in the PDF)."""
        return f"sheet-{self.cluster.id}"


@dataclass(frozen=True)
class _Fit:
    """How a sheet's context rows fit with its interventions (Fitter._rows)."""

    kept: int  # of the rows given, by priority
    lines: list[InterventionLine]
    more: int
    notes: int  # ruled lines the room left holds
    tight: bool
    place_line: bool
    note: bool  # the line saying where left-out groups are shown in full


class Fitter:
    """Decides how much of a cluster's text fits one fact sheet on a given paper."""

    def __init__(self, paper: Paper, fmt: Formatter) -> None:
        self.paper = paper
        self.m = m = Metrics.for_paper(paper)
        self.fmt = fmt
        self.width = paper.content_width_pt
        self.body = Font(NASKH, m.body_pt)
        self.small = Font(SANS, m.small_pt)
        self.small_bold = Font(SANS, m.small_pt, bold=True)
        self.row = Font(NASKH, m.row_pt)
        self.name = Font(SANS, m.name_pt, bold=True)
        self.brand = Font(NASKH, m.brand_pt, bold=True)
        self.value_w = self.width - m.label_w - 2 * m.gap  # the value column of sector and products
        self.list_w = self.width - m.indent

    def fixed_height(
        self,
        name_lines: int,
        product_lines: int,
        certified: bool,
        facts: int = 0,
        groups: int = 1,
        tight: bool = False,
        place_line: bool = True,
    ) -> float:
        """Return the height of everything but the interventions (and their more-line), in points: facts lines of
        context rows (set tight: no space between the table's rows) in groups under a sub-head each; the place
        line under the name unless the locality is in the strip above it."""
        m = self.m
        return (
            facts * (m.row_line + (0.0 if tight else m.gap / 2))  # a context row of the definitions table each
            + groups * (m.group_h + (m.gap / 2 if tight else m.gap / 4))  # the row under a sub-head: half a gap
            # above it, set closer or not (a quarter more than a row's own), so its letters stay clear of the hairline
            + max(groups - 1, 0) * m.group_space(tight)  # one gap above every sub-head, the first's below the figures
            + m.head_h
            + m.gap / 2
            + name_lines * m.name_line  # strip, name
            + (m.body_line if place_line else 0.0)
            + m.gap  # locality (or, when it is in the strip, the name's own space below)
            + m.facts_h
            + m.gap  # map and figures
            + m.row_line  # sector and products set as the rows under them: one type size, one pitch
            + product_lines * m.row_line
            + (0.0 if tight else 4 * (m.gap / 4))
            + m.gap  # sector, products
            + m.heading_line
            + m.gap / 4
            + 1
            + m.gap / 2  # heading, its rule and space
            + (m.gap + m.cert_h if certified else 0.0)
            + m.slack
        )

    def fit_row(self, row: Row) -> Row:
        """Return a context row fitted to one line: a list of names keeps the whole names that fit (a body's or a
        cluster's name is never cut), "" when not even the first does (the row is then left out, with a warning);
        other values are shortened with an ellipsis."""
        label, value = row
        if label not in NAME_LISTS:
            return label, self.row.fit(value, self.value_w, 1)
        names = value.split(SEPARATOR)
        while names and self.row.width(SEPARATOR.join(names)) > self.value_w:
            names.pop()
        return label, SEPARATOR.join(names)

    def head_locality(self, cluster: Cluster) -> str | None:
        """Return the locality fitted to the strip above the name (beside the governorate, region, priority and
        id, as handout.html prints them), or None when it would not show enough of it."""
        if not cluster.locality:
            return ""
        g = cluster.governorate
        beside = (
            self.small.width(f"، محافظة {g.name_ar} · {g.region_ar}")
            + self.small_bold.width(cluster.id + "أولوية عالية")
            + 2 * self.m.gap
            + 14 * self.paper.scale  # the chip's padding and margin
        )
        room = self.width - beside
        return self.small.fit(cluster.locality, room, 1) if room > 0.2 * self.width else None

    @staticmethod
    def where_suffix(cluster: Cluster) -> str:
        """Return what follows the locality on the sheet's place line (the template prints the same)."""
        return f"، محافظة {cluster.governorate.name_ar}"

    def meta(self, axis: str, lead: str, start, end, budget, status: str = "") -> tuple[str, int]:
        """Return the intervention's lead and the lines its details take: the lead is a body's name, never cut (review
        6 found «وزارة التربية والتعليم…»): details too long for one line wrap."""
        label = AXES[axis][1]  # set in bold
        money = self.fmt.money_compact(budget) if budget is not None else ""  # in words of millions, as the cards
        tail = [p for p in (self.fmt.period(start, end), money) if p]
        fixed = self.small_bold.width(label) + sum(self.small.width(SEPARATOR + p) for p in tail)
        fixed += self.small.width(STATUS_SEPARATOR + status) if status else 0.0
        if fixed + (self.small.width(SEPARATOR + lead) if lead else 0.0) <= self.list_w:
            return lead, 1
        after = SEPARATOR.join(p for p in (lead, *tail) if p)  # as handout.html prints them (its details macro)
        text = label + (AXIS_SEPARATOR + after if after else "")
        text += STATUS_SEPARATOR + status.replace(" ", NBSP) if status else ""
        return lead, max(2, self.small_bold.lines(text, self.list_w))

    def sheet(
        self,
        cluster: Cluster,
        interventions: list[Intervention],
        certification: CertificationBox | None,
        facts: list[tuple[str, str]] | None = None,
        shown_larger: Callable[[tuple[str, ...]], bool] | None = None,
    ) -> FactSheet:
        """Return the cluster's fact sheet, shortened where needed to fit one page.

        When the context rows do not all fit even set densely, whole groups give way (DROP_ORDER), not a row here
        and there; a line says where they are in full when shown_larger says the A4 sheet keeps those rows."""
        m = self.m
        name = self.name.fit(cluster.name, self.width, m.name_lines)
        products = self.row.fit(cluster.products, self.value_w, m.product_lines) if cluster.products else ""
        used_lines = max(1, self.row.lines(products, self.value_w))
        fitted = tuple((label, value) for label, value in (self.fit_row(f) for f in facts or []) if value)
        name_lines = self.name.lines(name, self.width)
        head_locality = self.head_locality(cluster)
        fixed = (name_lines, used_lines, certification is not None, head_locality is not None)

        dropped: tuple[str, ...] = ()
        rows = fitted
        fit = self._rows(interventions, fitted, fixed, False)
        for title in (GROUPS[g] for g in DROP_ORDER):
            if len(rows) - fit.kept <= MAX_ROWS_OUT:
                break
            titles = (*dropped, title)
            fewer = tuple(row for row in fitted if group_title(row[0]) not in titles)
            gone = tuple(label for label, _value in fitted if group_title(label) in titles)
            if len(fewer) == len(rows):
                continue  # the sheet has no row of that group
            note = (
                shown_larger is not None
                and shown_larger(gone)
                and self.row.width(self.dropped_note(titles)) <= self.width
            )
            dropped, rows, fit = titles, fewer, self._rows(interventions, fewer, fixed, note)
        kept, tight, place_line = fit.kept, fit.tight, fit.place_line
        whole, rows = kept == len(rows), rows[:kept]
        left_out = tuple(label for label, _value in facts or [] if label not in {k for k, _v in rows})
        # the line says the A4 sheet is complete: only while it is (a row left out one by one as well: asked again)
        note = fit.note and (whole or (shown_larger is not None and shown_larger(left_out)))
        return FactSheet(
            cluster=cluster,
            name=name,
            locality=(
                self.body.fit(cluster.locality, self.width - self.body.width(self.where_suffix(cluster)), 1)
                if place_line
                else head_locality or ""
            ),
            place_line=place_line,
            sector=self.row.fit(cluster.sector, self.value_w, 1),
            products=products,
            facts=rows,
            interventions=tuple(fit.lines),
            more_interventions=fit.more,
            certification=certification,
            note_lines=fit.notes if fit.notes >= MIN_NOTE_LINES else 0,
            tight=tight,
            left_out=left_out,
            dropped=dropped,
            dropped_note=self.dropped_note(dropped) if dropped and note else "",
        )

    @staticmethod
    def dropped_note(titles: tuple[str, ...]) -> str:
        """Return the line that says where the groups a sheet leaves out are shown in full (handout.html prints it)."""
        return f"البطاقة كاملة في طبعة A4 من الدليل، ومنها {' و'.join(titles)}."

    def _rows(
        self,
        interventions: list[Intervention],
        fitted: tuple[Row, ...],
        fixed: tuple[int, int, bool, bool],
        note: bool,
    ) -> _Fit:
        """Return how many of the context rows (by priority) fit with the interventions, and how they are set: the
        rows give way (last first) while they would push the list below MIN_LISTED items, and denser settings are
        tried in turn while rows are left out; note: a line under the rows says where left-out groups are."""
        m = self.m
        name_lines, used_lines, certified, can_move_locality = fixed
        # The sheet's settings, each made denser below only while rows are left out: the locality in the name strip
        # (no place line), the KPIs after their details (inline). Rows are never set two to a line.
        layout: dict = {"place_line": True, "inline": False}
        extra = 1 if note else 0

        def room(kept: int, tight: bool = False) -> float:
            grouped = group_lines(fitted[:kept])
            return self.paper.content_height_pt - self.fixed_height(
                name_lines,
                used_lines,
                certified,
                sum(len(g) for _t, g in grouped) + extra,
                len(grouped),
                tight,
                layout["place_line"],
            )

        def fit(tight: bool) -> tuple[int, list[InterventionLine], float, int]:
            """Return how many context rows (of fitted, by priority) fit, the interventions listed, their height
            and how many more there are."""
            # The interventions come first: context rows give way (last first) while they would push the list
            # below what it shows without them, or below MIN_LISTED items.
            kept = len(fitted)
            inline = layout["inline"]
            while kept and len(self._interventions(interventions, room(kept, tight), inline=inline)[0]) < wanted:
                kept -= 1
            while True:
                lines, used = self._interventions(interventions, room(kept, tight), inline=inline)
                more = len(interventions) - len(lines)
                used += m.small_line if more else -m.item_gap if lines else 0.0  # the last gap: collapsed below
                used += self.body.lines(NO_INTERVENTIONS, self.width) * m.body_line if not interventions else 0.0
                if not kept or used <= room(kept, tight):
                    return kept, lines, used, more
                kept -= 1  # a sheet with few interventions has room for every context row, but not always

        wanted = min(len(self._interventions(interventions, room(0))[0]), MIN_LISTED)
        tight = False
        kept, lines, used, more = fit(tight)
        # Denser steps in turn, while rows are left out: set closer; the locality in
        # the strip (a line more for the rows); the KPIs after their interventions' details, where they fit. A step
        # stays only when more rows fit with it.
        steps: list[tuple[str | None, object]] = [(None, None)]
        if can_move_locality:
            steps.append(("place_line", False))
        steps.append(("inline", True))
        for key, denser in steps:
            if kept == len(fitted):
                break
            before = layout.get(key) if key else None
            if key:
                layout[key] = denser
            attempt = fit(True)
            if attempt[0] > kept:
                tight = True
                kept, lines, used, more = attempt
            elif key:
                layout[key] = before
        notes = int((room(kept, tight) - used - m.gap - m.small_line) // m.rule)
        return _Fit(kept, lines, more, notes, tight, layout["place_line"], note)

    def _interventions(
        self, interventions: list[Intervention], room: float, more_line: bool = True, inline: bool = False
    ) -> tuple[list[InterventionLine], float]:
        """Return the interventions that fit in room (leaving a line to say how many more) and their height; inline:
        a KPI that fits after the details on their line goes there."""
        m = self.m
        lines: list[InterventionLine] = []
        used = 0.0
        for i, item in enumerate(interventions):
            text = self.body.fit(item.intervention, self.list_w, m.text_lines)
            key = vocabulary_lookup(STATUSES, item.status) if item.status else None
            status = STATUSES[key][1] if key else item.status
            lead, meta_lines = self.meta(item.axis, item.lead, item.start, item.end, item.budget_egp, status)
            kpi = self.small.fit(KPI_LABEL + item.kpi, self.list_w, 1)[len(KPI_LABEL) :] if item.kpi else ""
            details = SEPARATOR.join(p for p in (AXES[item.axis][1], lead, self.fmt.period(item.start, item.end)) if p)
            money = self.fmt.money_compact(item.budget_egp) if item.budget_egp is not None else ""
            details = SEPARATOR.join(p for p in (details, money, status) if p)  # set in bold: measured wide
            after = kpi != "" and meta_lines == 1 and self.small_bold.width(details + KPI_AFTER + KPI_LABEL + kpi)
            kpi_inline = inline and bool(after) and after <= self.list_w
            height = (
                self.body.lines(text, self.list_w) * m.body_line
                + (meta_lines + (1 if kpi and not kpi_inline else 0)) * m.small_line
                + m.item_gap
            )
            more = m.small_line if more_line and i + 1 < len(interventions) else 0.0
            if used + height + more > room:
                break
            lines.append(
                InterventionLine(item.axis, text, lead, item.start, item.end, item.budget_egp, status, kpi, kpi_inline)
            )
            used += height
        return lines, used

    def certification(self, cert: Certification, outcome: str | None, settings: Settings) -> CertificationBox:
        """Return the certification box with its brand, and standard and body, fitted to one line each; a
        certificate held gives its number and validity (Gregorian and Hijri) on a line of their own."""
        m = self.m
        inner = self.width - 2 * m.gap
        standard = self.small.fit(cert.standard, inner * 0.3, 1)
        room = inner - self.small.width(standard + SEPARATOR)
        held = outcome in ("granted", "conditional")
        number = certificate_number(cert.cluster_id, cert.brand, cert.standard, cert.audit_date) if held else ""
        until = valid_until(cert, settings) if held else None
        line = f"رقم الشهادة {number}{SEPARATOR}صالحة حتى {self.fmt.date_with_hijri(until)}"  # as handout.html
        return CertificationBox(
            brand=self.brand.fit(cert.brand, inner * 0.7, 1),
            outcome=outcome,
            standard=standard,
            body=cert.certifying_body if self.small.width(cert.certifying_body) <= room else "",  # a name: whole
            valid_until=until,
            number=number,
            hijri=self.small.width(line) <= inner,
        )


def certification_outcome(dataset: Dataset, cert: Certification, settings: Settings) -> str | None:
    """Return the typed decision, else the rule's on the cluster's assessment, else None (not assessed)."""
    if cert.decision:
        return cert.decision
    items = [a for a in dataset.assessments if a.cluster_id == cert.cluster_id]
    if not items or sum(a.weight for a in items) <= 0:
        return None
    return decide(items, settings.thresholds, issue_date(cert, settings.today)).outcome


def interventions_of(dataset: Dataset, cluster_id: str) -> list[Intervention]:
    """Return the cluster's own planned interventions, soonest first (undated last), else as typed."""
    own = [i for i in dataset.interventions if i.cluster_id == cluster_id]
    return sorted(own, key=lambda i: (i.start is None, i.start or dt.date.max))


def _versus(value: float | None, others: list[float], fmt: Formatter) -> str:
    """Return "٢٥٪ مقابل ١٨٪ في متوسط تجمعات القطاع", or "" without a value or a mean to compare it with."""
    if value is None or len(others) < 2:
        return ""
    return f"{fmt.percent(value)} مقابل {fmt.percent(sum(others) / len(others))} في متوسط تجمعات القطاع"


# Words of a product that say nothing of what it is made of or how («قطع ديكور», «منتجات يدوية»)
_GENERIC = {fold(w) for w in ("من", "قطع", "ديكور", "منتجات", "يدوي", "يدوية", "يدويا", "منزلي", "منزلية", "صغيرة")}


# _peers compares every cluster with every other (1,450 × 1,450 in a national handout): each products text is
# folded and split once, not once per pair.
@lru_cache(maxsize=4096)
def _terms(products: str) -> frozenset[str]:
    """Return a products text's folded terms («أزيار، قلل» → {أزيار, قلل})."""
    terms = products.replace("؛", "،").replace(",", "،").split("،")
    return frozenset(fold(term.strip()) for term in terms if term.strip())


@lru_cache(maxsize=4096)
def _words(products: str) -> frozenset[str]:
    """Return the words of a products text's terms without their article, generic words left out («تماثيل
    الجرانيت» → {تماثيل, جرانيت})."""
    words = set()
    for word in " ".join(_terms(products)).split():
        for article in ("بال", "وال", "ال"):
            if word.startswith(article) and len(word) > len(article) + 2:
                word = word[len(article) :]
                break
        if len(word) > 2 and word not in _GENERIC:
            words.add(word)
    return frozenset(words)


def _peers(cluster: Cluster, sector: list[Cluster], clusters: Sequence[Cluster]) -> str:
    """Return the (at most two) clusters most like the cluster, or "" when none makes anything like it: those making
    two of its products (of any sector), then one, then those whose products share a word with its own («تماثيل
    جرانيت» and «تماثيل خشبية»); among equals its sector, its governorate and its region first, then size. A cluster
    of its sector that makes nothing like it is not similar (the heritage crafts hold basketry and granite carving)."""
    mine, my_words = _terms(cluster.products), _words(cluster.products)
    same = {c.id for c in sector}
    ranked = []
    for c in clusters:
        terms, words = len(mine & _terms(c.products)), len(my_words & _words(c.products))
        if c.id != cluster.id and (terms or words):
            ranked.append(((-min(terms, 2), -min(words, 2), c.id not in same), c))
    others = sorted(
        ranked,
        key=lambda item: (
            *item[0],
            item[1].governorate.code != cluster.governorate.code,
            item[1].governorate.region_en != cluster.governorate.region_en,
            -item[1].workers,
        ),
    )[:2]
    return "، ".join(f"{c.name} ({c.governorate.name_ar})" for _, c in others)


_WORKERS_MEAN = {  # a whole mean, counted (Formatter.counted): «٣ عمال في المتوسط»; a fractional one «٤٫٣ عامل»
    "one": "عامل واحد",
    "two": "عاملان",
    "few": "{n} عمال",
    "many": "{n} عاملا",
    "other": "{n} عامل",
}


def context_facts(dataset: Dataset, cluster: Cluster, fmt: Formatter, certified: bool = False) -> list[tuple[str, str]]:
    """Return the rows that place a cluster among the others: size of its workshops, output per worker,
    rank in its sector and share of its governorate (over every cluster in the workbook), partners; then,
    for a sheet with room (few interventions), its priority, exports and women against its sector, the
    nearest clusters of its sector and, without a certification, that it has none yet. Last rows give way first."""
    facts: list[tuple[str, str]] = []
    if cluster.enterprises:
        mean = cluster.workers / cluster.enterprises
        shown = fmt.average(mean)  # a whole mean is counted like any number of workers: «٣ عمال», «١١ عاملا»
        size = fmt.counted(round(mean), _WORKERS_MEAN) if shown.isdigit() else f"{shown} عامل"
        facts.append(("حجم المنشأة", f"{size} في المتوسط"))
    if cluster.annual_output_egp is not None and cluster.workers:
        facts.append(("إنتاج العامل", f"نحو {fmt.money_compact(cluster.annual_output_egp / cluster.workers)} في السنة"))
    sector = sorted((c for c in dataset.clusters if fold(c.sector) == fold(cluster.sector)), key=lambda c: -c.workers)
    if len(sector) > 1:
        rank = next(i for i, c in enumerate(sector, 1) if c.id == cluster.id)
        facts.append(("في قطاعه", f"الترتيب {fmt.integer(rank)} من {fmt.integer(len(sector))} حسب عدد العاملين"))
    same = [c for c in dataset.clusters if c.governorate.code == cluster.governorate.code]
    workers = sum(c.workers for c in same)
    if len(same) > 1 and workers:
        share = fmt.percent(cluster.workers / workers)
        facts.append(("في محافظته", f"{share} من العاملين في تجمعات المحافظة، وعددها {fmt.integer(len(same))}"))
    partners = list(dict.fromkeys(i.lead for i in interventions_of(dataset, cluster.id) if i.lead))
    if partners:
        facts.append(("الجهات الشريكة", "، ".join(partners)))
    if cluster.priority in PRIORITIES:
        facts.append(("الأولوية", f"{PRIORITIES[cluster.priority][1]} في الاستراتيجية الوطنية"))
    if exports := _versus(cluster.export_share, [c.export_share for c in sector if c.export_share is not None], fmt):
        facts.append(("التصدير", exports))
    if women := _versus(cluster.women_share, [c.women_share for c in sector if c.women_share is not None], fmt):
        facts.append(("عمل النساء", women))
    if peers := _peers(cluster, sector, dataset.clusters):
        facts.append(("تجمعات مماثلة", peers))
    if not certified:
        facts.append(("شهادة المطابقة", "لم يحصل التجمع بعد على شهادة مطابقة للعلامة المحلية"))
    if cluster.annual_output_egp is not None and cluster.enterprises:
        per = fmt.money_compact(cluster.annual_output_egp / cluster.enterprises)
        facts.append(("إنتاج المنشأة", f"نحو {per} في السنة"))
    region = sorted(
        (c for c in dataset.clusters if c.governorate.region_en == cluster.governorate.region_en),
        key=lambda c: -c.workers,
    )
    if len(region) > len(same) > 0:
        rank = next(i for i, c in enumerate(region, 1) if c.id == cluster.id)
        where = f"{fmt.integer(len(region))} في {region_label(cluster.governorate.region_ar)}"
        facts.append(("في إقليمه", f"الترتيب {fmt.integer(rank)} من {where} حسب عدد العاملين"))
    neighbours = [c.name for c in sorted(same, key=lambda c: -c.workers) if c.id != cluster.id][:3]
    if neighbours:
        facts.append(("تجمعات قريبة", "، ".join(neighbours)))  # a label fits its column on one line
    return facts


def national_programmes(dataset: Dataset) -> list[Intervention]:
    """Return the national programmes not yet done, largest budget first: what every cluster can take part in."""
    return sorted(
        (i for i in dataset.interventions if i.cluster_id is None and vocabulary_lookup(STATUSES, i.status) != "done"),
        key=lambda i: (-(i.budget_egp or 0), i.intervention),
    )


def fact_sheets(dataset: Dataset, clusters: list[Cluster], settings: Settings, fitter: Fitter) -> list[FactSheet]:
    """Return one fitted fact sheet per cluster, in the given order."""
    certs = {c.cluster_id: c for c in dataset.certifications}
    larger = Fitter(PAPERS["A4"], fitter.fmt) if fitter.paper.name != "A4" else None
    out = []
    for cluster in clusters:
        cert = certs.get(cluster.id)
        outcome = certification_outcome(dataset, cert, settings) if cert else None
        # A participant pack shows certified and conditionally certified brands; a refusal stays
        # between the cluster and its certifying body (it is in the dossier, not the handout).
        shown = cert is not None and outcome != "refused"
        box = fitter.certification(cert, outcome, settings) if cert and shown else None
        facts = context_facts(dataset, cluster, fitter.fmt, certified=cert is not None)
        own = interventions_of(dataset, cluster.id)

        def on_a4(labels, cluster=cluster, cert=cert, outcome=outcome, shown=shown, own=own, facts=facts) -> bool:
            """Return True when the cluster's A4 sheet prints every one of these rows."""
            if larger is None:
                return False
            big = larger.certification(cert, outcome, settings) if cert and shown else None
            return not set(labels) & set(larger.sheet(cluster, own, big, facts).left_out)

        out.append(fitter.sheet(cluster, own, box, facts, shown_larger=on_a4))
    return out
