"""Exceptions that reach the user as a message and an exit code, never a traceback."""

from __future__ import annotations

import re

import click

from reportgen.i18n import N_, _, is_arabic, ngettext


class ReportgenError(click.ClickException):
    """Any failure the user can act on; Click prints the message and exits with 1."""

    exit_code = 1

    severity = N_("error")

    def show(self, file=None) -> None:  # noqa: D102 - Click's own signature
        lines = self.format_message().split("\n")
        prefix = _("{severity}: ").format(severity=_(self.severity)) if self.severity else ""
        click.echo(prefix + "\n".join(visible(line, isolates=True) for line in lines), err=True)


class InvalidWorkbook(ReportgenError):
    """Raised when the workbook cannot be read or has blocking problems (exit 1)."""

    severity = ""  # each line is a problem that says its own severity

    def __init__(self, problems) -> None:
        self.problems = list(problems)
        lines = [p.describe() for p in self.problems]
        errors = sum(1 for p in self.problems if p.is_error)
        summary = ngettext(
            "{n} problem(s) found; nothing was written.", "{n} problem(s) found; nothing was written.", errors
        )
        super().__init__("\n".join(lines) + "\n" + summary.format(n=errors))


class UnreadableFile(ReportgenError):
    """Raised when an input file is missing, not a workbook, encrypted, or too large."""


class ConfigError(ReportgenError):
    """Raised when reportgen.toml or a command-line setting is wrong."""


class TemplateError(ReportgenError):
    """Raised when a template fails: syntax, undefined variable, sandbox violation (file and line named)."""


class RenderError(ReportgenError):
    """Raised when WeasyPrint cannot turn a document into PDF."""


# Control characters (ESC, CSI…), bidi overrides and invisible joiners in a cell could redraw, reorder or hide
# the user's terminal or a message quoting the cell: show them as escapes instead.
_HIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
# The same, but the first-strong isolate and its end (FSI, PDI) pass: quoted() wraps values already made visible
# in them, so that "clusters!C7" or a path stays one run, in order, inside an Arabic sentence.
_HIDDEN_BUT_ISOLATES = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2067\ufeff]")
FSI, PDI = "\u2068", "\u2069"


def _escape(match: re.Match) -> str:
    return repr(match.group())[1:-1] if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"


def visible(text: str, isolates: bool = False) -> str:
    """Return text with control characters and bidi controls written as \\x1b / \\u202e escapes.

    With isolates=True, FSI and PDI (added by quoted()) are kept.
    """
    return (_HIDDEN_BUT_ISOLATES if isolates else _HIDDEN).sub(_escape, text)


def quoted(value: object) -> str:
    """Return a value from the user's files made visible; in Arabic messages, isolated (FSI … PDI) as one run."""
    text = visible(str(value))
    return f"{FSI}{text}{PDI}" if is_arabic() else text
