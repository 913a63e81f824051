"""Did you mean: the sheet or column of the workbook contract nearest to a name the contract does not know."""

from __future__ import annotations

import difflib

from reportgen.input.columns import ALL_SHEETS, Column, SheetSpec
from reportgen.model.arabic import fold
from reportgen.model.problems import Problem

CUTOFF = 0.75  # difflib's ratio: 'Clusterz' → 'clusters' (0.88) is a near miss, 'Notes' → 'settings' is not


def _names(item: Column | SheetSpec) -> dict[str, Column | SheetSpec]:
    return {fold(n): item for n in (item.key, item.en, item.ar, *item.aliases)}


def _nearest(name: str, items) -> str:
    """Return the label of the item whose name is nearest to name, "" when none is near or name is one of them."""
    names: dict[str, Column | SheetSpec] = {}
    for item in items:
        names.update(_names(item))
    folded = fold(name)
    if not folded or folded in names:
        return ""
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=CUTOFF)
    return names[close[0]].label if close else ""


def _spec_of(title: str) -> SheetSpec | None:
    return next((s for s in ALL_SHEETS if fold(title) in _names(s)), None)


def suggestion(problem: Problem) -> str:
    """Return the contract's sheet or column a problem's unknown name is a near miss of ('' when none).

    A problem at a sheet (no cell) whose sheet the contract does not know gets the nearest sheet; a problem at a
    header cell of a known sheet whose text is no column of it gets the nearest column.
    """
    if problem.sheet and not problem.cell:
        return _nearest(problem.sheet, ALL_SHEETS)
    spec = _spec_of(problem.sheet) if problem.sheet else None
    if spec is not None and problem.value and problem.cell and not problem.header:  # a header cell, not data
        return _nearest(problem.value, spec.columns)
    return ""
