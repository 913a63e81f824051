"""Document → HTML: the only importer of Jinja2; a strict, autoescaping, sandboxed environment."""

from __future__ import annotations

from pathlib import Path

from .errors import TemplateError
from .formatting import Formatter, isolate, isolate_latin, ltr
from .reference import AREAS, AXES, DECISIONS, PRIORITIES, SEVERITIES
from .settings import Settings


def environment(settings: Settings, formatter: Formatter):
    """Return the Jinja environment: user templates first, built-ins after, every filter registered."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    # The sandbox applies to built-in templates too: one code path, and user templates
    # (which may extend or include ours) can never reach Python internals.
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in settings.template_dirs()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    f = formatter
    env.filters.update({
        "num": lambda v: isolate(f.integer(v)),
        "dec": lambda v, places=1: isolate(f.decimal(v, places)),
        "pct": lambda v, places=0: isolate(f.percent(v, places)),
        "money": lambda v, places=0: isolate(f.money(v, places)),
        "money_short": lambda v: isolate(f.money_compact(v)),
        "date": lambda v: isolate(f.date(v)),
        "month": lambda v: isolate(f.month(v)),
        "hijri": lambda v: isolate(f.hijri(v)),
        "date_hijri": lambda v: isolate(f.date_with_hijri(v)),
        "time": lambda v: isolate(f.time(v)),
        "digits": f.digits,
        "ltr": lambda v: ltr(f.digits(str(v))) if settings.digits == "arabic" and _numeric(v) else ltr(str(v)),
        "code": lambda v: ltr(str(v)),
        "isolate": lambda v: isolate(str(v)),
        "bidi": isolate_latin,
    })
    env.globals["labels"] = {name: {k: ar for k, (_en, ar) in vocab.items()} for name, vocab in (
        ("priority", PRIORITIES), ("decision", DECISIONS), ("severity", SEVERITIES), ("area", AREAS),
        ("axis", AXES))}
    env.globals["counter_style"] = "arabic-indic" if settings.digits == "arabic" else "decimal"
    return env


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def render_html(env, template: str, context: dict) -> str:
    """Return the rendered template; TemplateError naming the file and line on any template failure."""
    import jinja2
    from jinja2.sandbox import SecurityError

    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{_where(exc.filename or exc.name, exc.lineno)}: syntax error: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from exc
    except (jinja2.UndefinedError, SecurityError, TypeError, ValueError, AttributeError) as exc:
        filename, line = _traceback_place(exc)
        kind = "not allowed in a template" if isinstance(exc, SecurityError) else "error"
        raise TemplateError(f"{_where(filename, line)}: {kind}: {exc}") from exc


def _where(filename: str | None, line: int | None) -> str:
    name = Path(filename).name if filename else "template"
    return f"{name}, line {line}" if line else name


def _traceback_place(exc: BaseException) -> tuple[str | None, int | None]:
    """Return the innermost template file and line in exc's traceback."""
    place: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        in_template = "template" in tb.tb_frame.f_globals.get("__name__", "")
        if code.co_filename.endswith((".html", ".j2", ".css")) or in_template:
            place = (code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return place
