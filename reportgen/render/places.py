"""Where a template failed, said as the user knows it: the template's path and line."""

from __future__ import annotations

from pathlib import Path

from reportgen.errors import quoted
from reportgen.i18n import _
from reportgen.settings import builtin_templates_dir


def where(filename: str | None, line: int | None) -> str:
    """Return "my-templates/brief.html, line 3": the path as the user knows it (built-ins by name)."""
    if not filename:
        name = _("template")
    else:
        path = Path(filename)
        try:
            name = str(path.resolve().relative_to(Path.cwd().resolve()))
        except (ValueError, OSError):
            name = str(path)
        if path.resolve().is_relative_to(builtin_templates_dir().resolve()):
            name = _("{name} (built-in)").format(name=path.name)
    return _("{name}, line {line}").format(name=quoted(name), line=line) if line else quoted(name)


def traceback_place(exc: BaseException) -> tuple[str | None, int | None]:
    """Return the innermost template file and line in exc's traceback."""
    place: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        in_template = "template" in tb.tb_frame.f_globals.get("__name__", "")
        if code.co_filename.endswith((".html", ".j2", ".css")) or in_template:
            line = tb.tb_lineno
            compiled = tb.tb_frame.f_globals.get("__jinja_template__")
            if compiled is not None:  # a traceback Jinja did not rewrite (TemplateTimeout)
                line = compiled.get_corresponding_lineno(line)
            place = (code.co_filename, line)
        tb = tb.tb_next
    return place
