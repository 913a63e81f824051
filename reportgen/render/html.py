"""Document → HTML: the only importer of Jinja2; a strict, autoescaping, sandboxed environment."""

from __future__ import annotations

import contextlib
import re
import signal
import threading
from pathlib import Path
from typing import Any

from reportgen.errors import TemplateError, quoted
from reportgen.i18n import _
from reportgen.model.reference import AREAS, AXES, DECISIONS, PRIORITIES, SEVERITIES, VERDICTS
from reportgen.render.formatting import COUNTED, NBSP, Formatter, isolate, ltr, rtl
from reportgen.render.places import traceback_place, where
from reportgen.render.textruns import keep_prepositions, no_widow, unbreakable, web_address, whole_name
from reportgen.settings import Settings

# The sandbox keeps templates from Python's internals but bounds neither time nor memory.
TEMPLATE_SECONDS = 60  # a render taking longer is an endless loop (the 145-cluster brief takes < 1 s)
MAX_REPEAT = 1_000_000  # characters or items one expression may make (*, +, ~, %, format, center, join…)
MAX_OUTPUT = 100_000_000  # characters of a block, a macro's output or the document (the 145-cluster brief: 0.4 M)
MAX_EXPONENT = 1_000  # a ** b with b larger is refused (10 ** 10 ** 10 would never finish)

# printf-style conversions (%-08.3f, %(name)s, %*d): the width and precision are what can be huge.
_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")
# str.format specs ([[fill]align][sign][z][#][0][width][grouping][.precision][type])
_FORMAT_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?")


class TemplateTimeout(BaseException):  # not an Exception: no `except Exception` in a filter swallows it
    """Raised inside a template that runs past TEMPLATE_SECONDS."""


def _refuse(what: str):
    from jinja2.sandbox import SecurityError

    return SecurityError(what)


def _bounded(result, limit: int = MAX_REPEAT):
    """Return result unless it is a string or list longer than limit (then refuse it)."""
    if isinstance(result, (str, list, tuple)) and len(result) > limit:
        raise _refuse(_("making a text or list of more than {n} characters or items").format(n=f"{limit:,}"))
    return result


def _expect(length: int) -> None:
    """Refuse before building a text whose length would be over MAX_REPEAT."""
    if length > MAX_REPEAT:
        raise _refuse(_("making a text or list of more than {n} characters or items").format(n=f"{MAX_REPEAT:,}"))


def _longest(values) -> int:
    return max((len(str(v)) for v in values), default=0)


def _printf_length(fmt: str, args) -> int:
    """Return at most how long fmt % args can be; refuse a width or precision given by '*' or over the limit."""
    values = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, tuple) else [args]
    fields, widest = 0, 0
    for match in _PRINTF.finditer(fmt):
        for number in match.groups()[:2]:
            if number == "*":
                raise _refuse(_("a width or precision given by '*' in a '%' format"))
            if number:
                _expect(int(number))
                widest = max(widest, int(number))
        fields += match.group(3) != "%"
    return len(fmt) + fields * (_longest(values) + widest)


def _format_length(fmt: str, args, kwargs) -> int:
    """Return at most how long fmt.format(*args, **kwargs) can be; refuse a huge or computed width."""
    import string

    widest, fields = 0, 0
    for _literal, field, spec, _conversion in string.Formatter().parse(fmt):
        if field is None:
            continue
        fields += 1
        if spec and "{" in spec:
            raise _refuse(_("a width computed inside a format field"))
        match = _FORMAT_SPEC.match(spec or "")
        for number in match.groups() if match else ():
            _expect(int(number or 0))
            widest = max(widest, int(number or 0))
    return len(fmt) + fields * (_longest([*args, *kwargs.values()]) + widest)


def _str_method_length(text: str, name: str, args: tuple, kwargs: dict) -> int | None:
    """Return at most how long text.NAME(*args, **kwargs) can be, for the methods that can grow a text."""
    if name in ("center", "ljust", "rjust", "zfill") and args and isinstance(args[0], int):
        return max(len(text), args[0])
    if name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        return len(text) + text.count("\t") * max(int(size), 0)
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        count = text.count(args[0]) if args[0] else len(text) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            count = min(count, args[2])
        return len(text) + count * max(len(args[1]) - len(args[0]), 0)
    return None


def _sandbox_class():
    import jinja2
    from jinja2 import filters
    from jinja2.compiler import CodeGenerator, optimizeconst
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    class CheckedConcat(CodeGenerator):
        """Compiles `a ~ b` into a call the sandbox checks (Jinja compiles it to a bare join)."""

        @optimizeconst
        def visit_Concat(self, node, frame):
            self.write("environment.checked_concat((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("), context.eval_ctx)")

    class Sandbox(SandboxedEnvironment):
        """Jinja's sandbox, with every way of making a long text or list bounded, so that one expression
        cannot exhaust memory: *, +, ~, %, **, str.format, the str methods and filters that pad or repeat."""

        intercepted_binops = frozenset({"*", "**", "+", "%"})  # also stops Jinja from folding them at compile time
        code_generator_class = CheckedConcat

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.filters.update(_checked_filters(jinja2, filters))

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
                raise SecurityError(_("an exponent above {n}").format(n=f"{MAX_EXPONENT:,}"))
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                        raise SecurityError(
                            _("repeating to more than {n} characters or items").format(n=f"{MAX_REPEAT:,}")
                        )
            if operator == "%" and isinstance(left, str):
                _expect(_printf_length(left, right))
            result = super().call_binop(context, operator, left, right)
            return _bounded(result) if operator in ("+", "*") else result

        def checked_concat(self, parts, eval_ctx):
            from jinja2.runtime import markup_join, str_join

            return _bounded((markup_join if eval_ctx.autoescape else str_join)(parts))

        def concat(self, parts):  # blocks, macros, the document
            return _bounded("".join(parts), MAX_OUTPUT)

        def wrap_str_format(self, value):
            owner = getattr(value, "__self__", None)
            if not isinstance(owner, str) or not callable(value):
                return super().wrap_str_format(value)
            name = getattr(value, "__name__", "")
            if name in ("format", "format_map"):
                wrapped = super().wrap_str_format(value)
                assert wrapped is not None  # a str's format or format_map: Jinja always wraps those

                def checked_format(*args, **kwargs):
                    mapping = args[0] if name == "format_map" and args and isinstance(args[0], dict) else kwargs
                    _expect(_format_length(owner, args if name == "format" else (), mapping))
                    return wrapped(*args, **kwargs)

                return checked_format
            if name == "join":

                def checked_join(items=(), /):
                    items = list(items)
                    _expect(sum(len(i) for i in items if isinstance(i, str)) + len(owner) * max(len(items) - 1, 0))
                    return value(items)

                return checked_join
            if name in ("center", "ljust", "rjust", "zfill", "expandtabs", "replace"):

                def checked(*args, **kwargs):
                    _expect(_str_method_length(owner, name, args, kwargs) or 0)
                    return value(*args, **kwargs)

                return checked
            return None

    return Sandbox


def _checked_filters(jinja2, filters) -> dict:
    """Return Jinja's filters that can grow a text (format, center, indent, replace, join, wordwrap), bounded."""

    def format_(value, *args, **kwargs):
        _expect(_printf_length(str(value), kwargs or args))
        return filters.do_format(value, *args, **kwargs)

    def center(value, width=80):
        _expect(max(len(str(value)), int(width)))
        return filters.do_center(value, width)

    def indent(value, width=4, first=False, blank=False):
        pad = len(width) if isinstance(width, str) else int(width)
        _expect(len(str(value)) + (str(value).count("\n") + 1) * pad)
        return filters.do_indent(value, width, first, blank)

    @jinja2.pass_eval_context
    def replace(eval_ctx, value, old, new, count=None):
        size = _str_method_length(str(value), "replace", (str(old), str(new), -1 if count is None else count), {})
        _expect(size or 0)
        return filters.do_replace(eval_ctx, value, old, new, count)

    @jinja2.pass_eval_context
    def join(eval_ctx, value, d="", attribute=None):
        items = list(value)
        if attribute is None:
            _expect(sum(len(str(i)) for i in items) + len(str(d)) * max(len(items) - 1, 0))
        return filters.sync_do_join(eval_ctx, items, d, attribute)

    @jinja2.pass_environment
    def wordwrap(environment, s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
        breaks = len(str(s)) // max(int(width), 1) + str(s).count("\n") + 1
        _expect(len(str(s)) + breaks * len(wrapstring or environment.newline_sequence))
        return filters.do_wordwrap(environment, s, width, break_long_words, wrapstring, break_on_hyphens)

    return {
        "format": format_,
        "center": center,
        "indent": indent,
        "replace": replace,
        "join": join,
        "wordwrap": wordwrap,
    }


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
                    _(
                        "{path}: the template leads outside its folder (a symbolic link to {target}); refusing it"
                    ).format(path=quoted(filename), target=quoted(real))
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
            # "٤٠٪" holds no strong letter: a first-strong isolate would set it left to right (٪ on the right).
            "pct": lambda v, places=0: (rtl if f.digit_style == "arabic" else isolate)(f.percent(v, places)),
            "money": lambda v, places=0: isolate(f.money(v, places)),
            "money_short": lambda v: isolate(f.money_compact(v)),
            "date": lambda v: isolate(f.date(v)),
            "month": lambda v: isolate(f.month(v)),
            "hijri": lambda v: isolate(f.hijri(v)),
            "date_hijri": lambda v: isolate(f.date_with_hijri(v)),
            "hijri_range": lambda a, b=None: isolate(f.hijri_range(a, b)),
            "time": lambda v: isolate(f.time(v)),
            "period": lambda start, end: f.period(start, end, month=lambda d: isolate(f.month(d))),
            "counted": lambda n, forms: f.counted(n, COUNTED[forms] if isinstance(forms, str) else forms, number),
            "digits": f.digits,
            "ltr": lambda v: ltr(f.digits(str(v))) if settings.digits == "arabic" and _numeric(v) else ltr(str(v)),
            "code": lambda v: ltr(str(v)),
            "isolate": lambda v: isolate(str(v)),
            "bidi": lambda v: unbreakable(v, f.digit_style),
            "nowidow": lambda v: no_widow(v, f.digit_style),
            "name": lambda v: whole_name(v, f.digit_style),  # a short name never broken in a narrow column
            "prepositions": keep_prepositions,  # a title's prepositions kept with the next word
            "url": web_address,
            "in_unit": lambda v, scale: isolate(f.in_unit(v, scale)),
            "unit_name": f.unit_name,
            # an amount in words of a given unit, with its decimal always: ٢٫٠ مليون ج.م beside ١٦٫٢ مليون ج.م
            "money_in": lambda v, scale: isolate(f"{f.in_unit(v, scale)}{NBSP}{f.unit_name(scale)}"),
        }
    )
    env.globals["labels"] = {
        name: {k: ar for k, (_en, ar) in vocab.items()}
        for name, vocab in (
            ("priority", PRIORITIES),
            ("decision", DECISIONS),
            ("verdict", VERDICTS),
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
            source, filename, _uptodate = env.loader.get_source(env, name)
            references = list(meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateError:
            return None  # the render itself will say what is wrong
        if filename is None or None in references:
            return None
        found[name] = Path(filename)
        todo.extend(r for r in references if r is not None)
    return [found[name] for name in sorted(found)]


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
        raise TemplateError(
            _("{place}: syntax error: {details}").format(
                place=where(exc.filename or exc.name, exc.lineno), details=exc.message
            )
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(_("template not found: {name}").format(name=quoted(exc.name))) from exc
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
        filename, line = traceback_place(exc)
        if isinstance(exc, SecurityError):
            what = _("not allowed in a template: {what}").format(what=exc)
        elif isinstance(exc, TemplateTimeout):
            what = _("the template ran for more than {seconds} s (an endless loop?)").format(seconds=TEMPLATE_SECONDS)
        elif isinstance(exc, RecursionError):
            what = _("macros or includes call themselves without end")
        elif isinstance(exc, MemoryError):
            what = _("the template asked for more memory than there is")
        else:
            what = _("{severity}: ").format(severity=_("error")) + str(exc)
        raise TemplateError(f"{where(filename, line)}: {what}") from exc


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


def page_environment(folder: Path, functions: dict) -> Any:
    """Return an autoescaping environment for reportgen's own web pages (`reportgen serve`), functions as globals.

    Its templates ship with reportgen and are trusted: no sandbox, but every value is escaped and an undefined
    name fails.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(functions)
    return env
