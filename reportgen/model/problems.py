"""Located problems found in a workbook: what is wrong, where, and what was expected."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.errors import visible

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
