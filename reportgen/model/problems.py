"""Located problems found in a workbook: what is wrong, where, and what was expected."""

from __future__ import annotations

import re
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem, located at sheet!cell when it has a place."""

    message: str
    sheet: str = ""
    cell: str = ""
    header: str = ""
    value: str = ""
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        """Return True when the problem blocks rendering."""
        return self.severity == ERROR

    @property
    def location(self) -> str:
        """Return 'sheet!C7', 'sheet' or '' when it has no place."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def describe(self) -> str:
        """Return one line: 'warning: clusters!C7 (عدد المنشآت): expected …, got "…"'."""
        where = self.location
        if self.header:
            where = f"{where} ({self.header})"
        text = f"{where}: {self.message}" if where else self.message
        if self.value:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            text += f', got "{shown}"'
        return f"{self.severity}: {visible(text)}"


# Control characters (ESC, CSI…) and bidi overrides in a cell could redraw or reorder the user's
# terminal when a message quotes the cell: show them as escapes instead.
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Return text with control characters and bidi controls written as \\x1b / \\u202e escapes."""
    return _HIDDEN.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
