"""Document → HTML: the only importer of Jinja2; a strict, autoescaping, sandboxed environment."""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from pathlib import Path

from markupsafe import Markup, escape

from reportgen.errors import TemplateError
from reportgen.model.reference import AREAS, AXES, DECISIONS, PRIORITIES, SEVERITIES
from reportgen.render.formatting import COUNTED, LRI, NBSP, PDI, Formatter, isolate, isolate_latin, ltr
from reportgen.settings import Settings, builtin_templates_dir

# The sandbox keeps templates from Python's internals but bounds neither time nor memory.
TEMPLATE_SECONDS = 60  # a render taking longer is an endless loop (the 145-cluster brief takes < 1 s)
MAX_REPEAT = 1_000_000  # characters or items a template may make with * ('x' * n, [0] * n)
MAX_EXPONENT = 1_000  # a ** b with b larger is refused (10 ** 10 ** 10 would never finish)


class TemplateTimeout(BaseException):  # not an Exception: no `except Exception` in a filter swallows it
    """Raised inside a template that runs past TEMPLATE_SECONDS."""


def _sandbox_class():
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    class Sandbox(SandboxedEnvironment):
        """Jinja's sandbox, with * and ** checked so that one expression cannot exhaust memory or time."""

        intercepted_binops = frozenset({"*", "**"})  # also stops Jinja from folding them at compile time

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"an exponent above {MAX_EXPONENT:,}")
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                        raise SecurityError(f"repeating to more than {MAX_REPEAT:,} characters or items")
            return super().call_binop(context, operator, left, right)

    return Sandbox


def _contained_loader(folders: list[str]):
    """Return a FileSystemLoader that refuses a template whose real path leaves its folder.

    Template folders travel as archives, and an archive can carry a symbolic link ("part.html" →
    ~/.ssh/id_rsa) that a template would then include and print.
    """
    import jinja2

    class ContainedLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            if not any(real.is_relative_to(Path(folder).resolve()) for folder in self.searchpath):
                raise TemplateError(
                    f"{filename}: the template leads outside its folder (a symbolic link to {real}); refusing it"
                )
            return source, filename, uptodate

    return ContainedLoader(folders)


def environment(settings: Settings, formatter: Formatter):
    """Return the Jinja environment: user templates first, built-ins after, every filter registered."""
    import jinja2

    # The sandbox applies to built-in templates too: one code path, and user templates
    # (which may extend or include ours) can never reach Python internals.
    env = _sandbox_class()(
        loader=_contained_loader([str(d) for d in settings.template_dirs()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    f = formatter

    def number(n):
        return isolate(f.integer(n))

    env.filters.update(
        {
            "num": number,
            "dec": lambda v, places=1: isolate(f.decimal(v, places)),
            "pct": lambda v, places=0: isolate(f.percent(v, places)),
            "money": lambda v, places=0: isolate(f.money(v, places)),
            "money_short": lambda v: isolate(f.money_compact(v)),
            "date": lambda v: isolate(f.date(v)),
            "month": lambda v: isolate(f.month(v)),
            "hijri": lambda v: isolate(f.hijri(v)),
            "date_hijri": lambda v: isolate(f.date_with_hijri(v)),
            "time": lambda v: isolate(f.time(v)),
            "period": lambda start, end: f.period(start, end, month=lambda d: isolate(f.month(d))),
            "counted": lambda n, forms: f.counted(n, COUNTED[forms] if isinstance(forms, str) else forms, number),
            "digits": f.digits,
            "ltr": lambda v: ltr(f.digits(str(v))) if settings.digits == "arabic" and _numeric(v) else ltr(str(v)),
            "code": lambda v: ltr(str(v)),
            "isolate": lambda v: isolate(str(v)),
            "bidi": unbreakable,
            "nowidow": no_widow,
            "in_unit": lambda v, scale: isolate(f.in_unit(v, scale)),
            "unit_name": f.unit_name,
        }
    )
    env.globals["labels"] = {
        name: {k: ar for k, (_en, ar) in vocab.items()}
        for name, vocab in (
            ("priority", PRIORITIES),
            ("decision", DECISIONS),
            ("severity", SEVERITIES),
            ("area", AREAS),
            ("axis", AXES),
        )
    }
    env.globals["counter_style"] = "arabic-indic" if settings.digits == "arabic" else "decimal"
    return env


def templates_used(settings: Settings, template: str) -> list[Path] | None:
    """Return the files template reads (itself, what it extends, includes and imports, in the lookup order
    of the settings' folders); None when a name is computed at render time, so that any file may be used."""
    import jinja2
    from jinja2 import meta

    env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(d) for d in settings.template_dirs()]))
    found: dict[str, Path] = {}
    todo = [template]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        assert env.loader is not None
        try:
            source, filename, _ = env.loader.get_source(env, name)
            references = list(meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateError:
            return None  # the render itself will say what is wrong
        if filename is None or None in references:
            return None
        found[name] = Path(filename)
        todo.extend(r for r in references if r is not None)
    return [found[name] for name in sorted(found)]


# A number and the unit or symbol after it (±10 °C, 0.5 ppm, 12 kg): one unit of meaning, kept on one line.
_NUMBER_UNIT = re.compile(r"(?<![\w.])([±+\-−]?\d[\d.,٫٬]*) (°C|°F|°|ppm|%|kg|g|mg|t|km|m|cm|mm|ml|l)(?![\w])")
_ISOLATED = re.compile(f"{LRI}[^{PDI}]{{1,40}}{PDI}")


def unbreakable(text: object) -> Markup:
    """Return free text with its Latin runs isolated (see isolate_latin) and kept on one line.

    A code or standard split at its space or hyphen ("ISO 105-" / "C06") reads as two things, and
    a measure torn from its number ("±10" / "°C") reads as nothing; both are set in a no-wrap span.
    """
    isolated = isolate_latin(_NUMBER_UNIT.sub(lambda m: ltr(f"{m.group(1)}{NBSP}{m.group(2)}"), str(text or "")))
    out, last = [], 0
    for m in _ISOLATED.finditer(isolated):
        out.append(escape(isolated[last : m.start()]))
        out.append(Markup('<span class="nw">%s</span>') % m.group())
        last = m.end()
    out.append(escape(isolated[last:]))
    return Markup("").join(out)


def no_widow(text: object) -> Markup:
    """Return a heading or title with its last two words kept on one line (a no-wrap span, so the words still
    copy with a plain space) and its Latin runs kept whole: it never ends with one word on a line of its own."""
    words = str(text or "").split(" ")
    if len(words) < 3:
        return unbreakable(" ".join(words))
    head, tail = " ".join(words[:-2]), " ".join(words[-2:])
    return unbreakable(head) + Markup(' <span class="nw">') + unbreakable(tail) + Markup("</span>")


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def render_html(env, template: str, context: dict) -> str:
    """Return the rendered template; TemplateError naming the file and line on any template failure."""
    import jinja2
    from jinja2.sandbox import SecurityError

    try:
        with _time_limit(TEMPLATE_SECONDS):
            return env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"{_where(exc.filename or exc.name, exc.lineno)}: syntax error: {exc.message}") from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from exc
    except (
        jinja2.UndefinedError,
        SecurityError,
        TypeError,
        ValueError,
        AttributeError,
        ArithmeticError,
        LookupError,
        TemplateTimeout,
        RecursionError,
        MemoryError,
    ) as exc:
        filename, line = _traceback_place(exc)
        if isinstance(exc, SecurityError):
            what = f"not allowed in a template: {exc}"
        elif isinstance(exc, TemplateTimeout):
            what = f"the template ran for more than {TEMPLATE_SECONDS} s (an endless loop?)"
        elif isinstance(exc, RecursionError):
            what = "macros or includes call themselves without end"
        elif isinstance(exc, MemoryError):
            what = "the template asked for more memory than there is"
        else:
            what = f"error: {exc}"
        raise TemplateError(f"{_where(filename, line)}: {what}") from exc


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise TemplateTimeout in the block after seconds (main thread on Unix; elsewhere no limit)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TemplateTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _where(filename: str | None, line: int | None) -> str:
    """Return "my-templates/brief.html, line 3": the path as the user knows it (built-ins by name)."""
    if not filename:
        name = "template"
    else:
        path = Path(filename)
        try:
            name = str(path.resolve().relative_to(Path.cwd().resolve()))
        except (ValueError, OSError):
            name = str(path)
        if path.resolve().is_relative_to(builtin_templates_dir().resolve()):
            name = f"{path.name} (built-in)"
    return f"{name}, line {line}" if line else name


def _traceback_place(exc: BaseException) -> tuple[str | None, int | None]:
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
