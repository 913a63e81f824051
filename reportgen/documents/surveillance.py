"""The programme of visits after a certification decision: follow-up, surveillance and recertification."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from reportgen.model.records import Assessment


@dataclass(frozen=True)
class Visit:
    """A planned audit after certification."""

    kind: str  # "surveillance" | "follow_up" | "recertification"
    number: int  # 1, 2, … among visits of its kind
    due: dt.date  # planned date (recertification: the latest date)
    earliest: dt.date | None = None  # recertification window start


def add_months(day: dt.date, months: int) -> dt.date:
    """Return day moved by whole months, on the month's last day when it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_valid_until(start: dt.date, years: int) -> dt.date:
    """Return the last day of validity: the day before the start date's anniversary after years."""
    return add_months(start, 12 * years) - dt.timedelta(days=1)


def schedule(
    decided: dt.date,
    valid_until: dt.date,
    every_months: int,
    conditions: tuple[Assessment, ...] = (),
    window_months: int = 3,
) -> tuple[Visit, ...]:
    """Return the visits: a follow-up after the last condition's deadline, surveillance every_months from
    the decision (the first at most that long after it), and recertification in the window before expiry.

    Only conditions due after the decision get a follow-up (one due on or before it is no condition, and
    the rule refuses); undated conditions are checked at the first surveillance.
    """
    visits: list[Visit] = []
    dated = [a.due for a in conditions if a.due and a.due > decided]
    if dated:
        visits.append(Visit("follow_up", 1, max(dated)))
    window = max(add_months(valid_until, -window_months), decided + dt.timedelta(days=1))
    k = 1
    while every_months > 0 and (due := add_months(decided, k * every_months)) < window:
        visits.append(Visit("surveillance", k, due))
        k += 1
    visits.append(Visit("recertification", 1, valid_until, window))
    return tuple(sorted(visits, key=lambda v: (v.due, v.kind)))
