"""What the document kinds share: narrowing by region or governorate, and summary sums."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reportgen.errors import ReportgenError, quoted
from reportgen.i18n import _
from reportgen.model.records import Cluster, Dataset, Governorate
from reportgen.model.reference import find_governorate, find_region, governorates

PT_PER_MM = 72 / 25.4  # PDF points per millimetre: papers are in mm, type and boxes in points
MONEY_SCALES = (10**9, 10**6, 10**3, 1)  # مليار، مليون، ألف، جنيه


@dataclass(frozen=True)
class Scope:
    """Which clusters a document covers, and how its title says so."""

    label_ar: str  # "" for the whole country
    codes: frozenset[str]  # governorate codes included
    places_ar: tuple[str, ...] = ()  # the region's and governorates' names in the label (صعيد مصر, الأقصر)
    label_in_ar: str = ""  # the label after a preposition: في محافظتي الأقصر وقنا (the dual takes its genitive)
    governorates_only: bool = False  # the label names every governorate in scope (no region)

    def includes(self, cluster: Cluster) -> bool:
        """Return True when the cluster's governorate is in scope."""
        return cluster.governorate.code in self.codes


def region_label(region_ar: str) -> str:
    """Return how a text names a region: "إقليم صعيد مصر", but "المحافظات الحدودية" as it is."""
    return region_ar if region_ar.startswith(("إقليم", "المحافظات")) else f"إقليم {region_ar}"


def scope(region: str | None, names: tuple[str, ...] | list[str]) -> Scope:
    """Return the scope for --region and --governorate (both may be given: their union)."""
    codes: set[str] = set()
    labels: list[str] = []
    places: list[str] = []
    if region:
        found = find_region(region)
        if found is None:
            from reportgen.model.reference import regions

            known = _(", ").join(f"{en} / {ar}" for en, ar in regions())
            raise ReportgenError(
                _("unknown region {name}; known regions: {known}").format(name=quoted(repr(region)), known=known)
            )
        codes |= {g.code for g in governorates() if g.region_en == found[0]}
        labels.append(region_label(found[1]))
        places.append(found[1])
    govs: list[Governorate] = []
    for name in names:
        gov = find_governorate(name)
        if gov is None:
            raise ReportgenError(
                _("unknown governorate {name}; give an Arabic or English name or an ISO code").format(
                    name=quoted(repr(name))
                )
            )
        govs.append(gov)
        codes.add(gov.code)
    after_in = list(labels)
    if govs:
        names_ar = " و".join(g.name_ar for g in govs)
        labels.append("محافظات " + names_ar if len(govs) > 1 else "محافظة " + names_ar)
        after_in.append({1: "محافظة ", 2: "محافظتي "}.get(len(govs), "محافظات ") + names_ar)
    if not codes:
        return Scope("", frozenset(g.code for g in governorates()))
    return Scope(
        " و".join(labels),
        frozenset(codes),
        tuple(places + [g.name_ar for g in govs]),
        " و".join(after_in),
        governorates_only=not region,
    )


@dataclass(frozen=True)
class Totals:
    """Headline figures over a set of clusters."""

    clusters: int
    governorates: int
    enterprises: int
    workers: int
    output_egp: Decimal
    export_share: float | None  # mean over clusters that report one
    women_share: float | None


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def totals(clusters: list[Cluster]) -> Totals:
    """Return the headline figures of the clusters."""
    return Totals(
        clusters=len(clusters),
        governorates=len({c.governorate.code for c in clusters}),
        enterprises=sum(c.enterprises for c in clusters),
        workers=sum(c.workers for c in clusters),
        output_egp=sum((c.annual_output_egp or Decimal(0) for c in clusters), Decimal(0)),
        export_share=_mean([c.export_share for c in clusters if c.export_share is not None]),
        women_share=_mean([c.women_share for c in clusters if c.women_share is not None]),
    )


def in_scope(dataset: Dataset, sc: Scope) -> list[Cluster]:
    """Return the dataset's clusters within scope, in governorate-table order then id."""
    order = {g.code: i for i, g in enumerate(governorates())}
    return sorted((c for c in dataset.clusters if sc.includes(c)), key=lambda c: (order[c.governorate.code], c.id))


def money_scale(values: list[Decimal | None]) -> int:
    """Return the one unit (10**9, 10**6, 10**3 or 1 pound) a money column is shown in, so rows compare by eye.

    The unit is the largest that the typical (median) amount reaches: small amounts then read 0.4, large ones
    a few thousand, never a mix of مليار and مليون in one column.
    """
    amounts = sorted(abs(v) for v in values if v)
    if not amounts:
        return 1
    median = amounts[len(amounts) // 2]
    return next(s for s in MONEY_SCALES if median >= s or s == 1)


def unit_places(scale: int) -> int:
    """Return the decimals an amount in a column's unit is printed with: one in thousands and above, none in pounds."""
    return 1 if scale > 1 else 0


def printed(value: Decimal | float, places: int) -> Decimal:
    """Return value as a table prints it: rounded half-up to places decimals."""
    as_decimal = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return as_decimal.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def adds_up(cells: list[Decimal] | list[float], total: Decimal | float, places: int) -> bool:
    """Return True when the cells as printed add up to the total as printed (rounding can make them differ)."""
    return sum((printed(c, places) for c in cells), Decimal(0)) == printed(total, places)
