"""Exceptions that reach the user as a message and an exit code, never a traceback."""

from __future__ import annotations

import re

import click


class ReportgenError(click.ClickException):
    """Any failure the user can act on; Click prints the message and exits with 1."""

    exit_code = 1

    prefix = "error: "

    def show(self, file=None) -> None:  # noqa: D102 - Click's own signature
        lines = self.format_message().split("\n")
        click.echo(self.prefix + "\n".join(visible(line) for line in lines), err=True)


class InvalidWorkbook(ReportgenError):
    """Raised when the workbook cannot be read or has blocking problems (exit 1)."""

    prefix = ""  # each line is a problem that says its own severity

    def __init__(self, problems) -> None:
        self.problems = list(problems)
        lines = [p.describe() for p in self.problems]
        errors = sum(1 for p in self.problems if p.is_error)
        super().__init__("\n".join(lines) + f"\n{errors} problem(s) found; nothing was written.")


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


def visible(text: str) -> str:
    """Return text with control characters and bidi controls written as \\x1b / \\u202e escapes."""
    return _HIDDEN.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
