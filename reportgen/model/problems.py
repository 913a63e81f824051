"""Located problems found in a workbook: what is wrong, where, and what was expected."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.errors import quoted, visible
from reportgen.i18n import N_, _

ERROR = "error"
WARNING = "warning"
SEVERITY_WORDS = {ERROR: N_("error"), WARNING: N_("warning")}  # the words shown, translated when shown


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
        """Return one line: 'warning: clusters!C7 (عدد المنشآت): expected …, got "…"', in the user's language.

        The message was translated when the problem was found; the values from the workbook (sheet, cell, header,
        value) are made visible here and, in Arabic, each isolated as one run so that "clusters!C7" reads in order.
        """
        text = visible(self.message, isolates=True)
        if self.location:
            where = quoted(self.location)
            if self.header:
                where = _("{place} ({header})").format(place=where, header=quoted(self.header))
            text = _("{place}: {message}").format(place=where, message=text)
        if self.value:
            shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
            text += _(', got "{value}"').format(value=quoted(shown))
        severity = _(SEVERITY_WORDS.get(self.severity, self.severity))
        return _("{severity}: {text}").format(severity=severity, text=text)
