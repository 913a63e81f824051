"""User templates (`--templates DIR`) are untrusted: the sandbox holds, and every failure names file and line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from reportgen.commands.brief import html as brief_html
from reportgen.errors import TemplateError
from reportgen.render import html as render
from reportgen.settings import Settings
from tests.conftest import SAMPLES

SMALL = SAMPLES / "small.xlsx"
PAGE = "<html><body>\n<p>ok</p>\n{}\n</body></html>\n"  # the payload is on line 3

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__['os'] }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ ''|attr('__class__') }}",
    "{{ self._TemplateReference__context }}",
    "{{ settings.__class__.__init__.__globals__ }}",
    "{{ doc.__dict__ }}",
    "{{ ({}).__class__.__base__.__subclasses__() }}",
    "{{ 'x' * 10**11 }}",
    "{{ [0] * 10**9 }}",
    "{{ 10 ** 10000000 }}",
    # every other way of making a long text in one step (each built gigabytes before, or ran out of memory)
    "{{ '%0900000000d' % 1 }}",
    "{{ '%.900000000f' % 1 }}",
    "{{ '%*d' % (900000000, 1) }}",
    "{{ '%(a)s' * 2000 % {'a': 'x' * 1000} }}",
    "{{ '{:>900000000}'.format('x') }}",
    "{{ '{:{w}}'.format('x', w=900000000) }}",
    "{{ '{0}{0}{0}{0}'.format('x' * 400000) }}",
    "{{ '{a:>900000000}'.format_map({'a': 1}) }}",
    "{{ 'x'.ljust(900000000) }}",
    "{{ 'x'.center(900000000) }}",
    "{{ 'x'['rjust'](900000000) }}",
    "{{ '1'.zfill(900000000) }}",
    "{{ ('\t' * 1000).expandtabs(1000000) }}",
    "{{ ('x' * 1000).replace('', 'y' * 1000) }}",
    "{{ ('x' * 1000000).join(['a'] * 1000) }}",
    "{{ '%0900000000d'|format(1) }}",
    "{{ 'x'|center(900000000) }}",
    "{{ ('a\\n' * 1000)|indent(1000000) }}",
    "{{ ('x' * 1000)|replace('x', 'y' * 10000) }}",
    "{{ (['y' * 1000] * 1000)|join('z' * 1000) }}",
    "{{ ('x ' * 10000)|wordwrap(1, wrapstring='y' * 1000) }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% set ns = namespace(s=['x']) %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% macro d(s) %}{{ s }}{{ s }}{% endmacro %}{% set ns = namespace(s='x') %}"
    "{% for i in range(40) %}{% set ns.s = d(ns.s) %}{% endfor %}",
]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, timeout=120)


def _render(folder, template: str = "brief.html") -> str:
    """Render a user template with a small context, as build does (sandbox, filters, strict undefined)."""
    from reportgen.commands.common import formatter_for
    from reportgen.documents.common import scope

    settings = Settings(today=dt.date(2026, 11, 19), templates_dir=folder)
    env = render.environment(settings, formatter_for(settings))
    return render.render_html(env, template, {"doc": scope(None, ()), "settings": settings})


@pytest.mark.parametrize("payload", ESCAPES)
def test_sandbox_escapes_fail_with_file_and_line(tmp_path, monkeypatch, payload):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "brief.html").write_text(PAGE.format(payload), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path / "mine")
    assert caught.value.message.startswith("mine/brief.html, line 3: not allowed in a template"), caught.value


def test_sandbox_escape_through_the_command_line(tmp_path):
    """Exit 1, file and line named, no PDF, no traceback, nothing run."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "brief.html").write_text(PAGE.format(ESCAPES[4]), encoding="utf-8")
    out = tmp_path / "x.pdf"
    r = run("brief", str(SMALL), "-o", str(out), "--templates", str(folder))
    assert r.returncode == 1, r.stderr
    assert "mine/brief.html, line 3: not allowed in a template: access to attribute '__globals__'" in r.stderr
    assert "Traceback" not in r.stderr and "uid=" not in r.stderr + r.stdout and not out.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{% if %}", "line 3: syntax error: Expected an expression"),
        ("{{ nothing_here }}", "line 3: error: 'nothing_here' is undefined"),
        ("{{ doc.no_such_field }}", "line 3: error: "),
        ("{{ 1 / 0 }}", "line 3: error: division by zero"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "line 3: macros or includes call themselves"),
        ("{% include '/etc/passwd' %}", "template not found: /etc/passwd"),
        ("{% include '../../../../etc/passwd' %}", "template not found"),
    ],
)
def test_template_errors_name_file_and_line(tmp_path, payload, message):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "brief.html").write_text(PAGE.format(payload), encoding="utf-8")
    settings = Settings(today=dt.date(2026, 11, 19), templates_dir=folder)
    with pytest.raises(TemplateError) as caught:
        brief_html(SMALL, settings)
    assert message in caught.value.message
    if "line 3" in message:
        assert caught.value.message.startswith("mine/brief.html, line 3")


def test_error_in_an_included_template_names_that_file(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "brief.html").write_text(PAGE.format("{% include 'part.html' %}"), encoding="utf-8")
    (folder / "part.html").write_text("<p>\n\n{{ ''.__class__ }}</p>", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"^mine/part\.html, line 3: not allowed in a template"):
        brief_html(SMALL, Settings(today=dt.date(2026, 11, 19), templates_dir=folder))


def test_endless_loop_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "TEMPLATE_SECONDS", 1)
    folder = tmp_path / "mine"
    folder.mkdir()
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    (folder / "brief.html").write_text(PAGE.format(loop), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"^mine/brief\.html, line 3: the template ran for more than 1 s"):
        brief_html(SMALL, Settings(today=dt.date(2026, 11, 19), templates_dir=folder))


def test_harmless_text_making_gives_what_python_gives(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    payload = (
        "{{ '%05.1f|%s' % (3.14159, 'a') }}#"
        "{{ '{:>6}|{:,}'.format('ab', 1234567) }}#{{ 'ab' ~ 3 ~ 'cd' }}#{{ 'ab' + 'cd' }}#"
        "{{ 'ab'.center(6, '*') }}#{{ 'ab'.zfill(5) }}#{{ 'a-b-c'.replace('-', '+') }}#{{ ', '.join(['x', 'y']) }}#"
        "{{ '%03d'|format(7) }}#{{ 'ab'|center(6) }}#{{ ['x', 'y']|join('/') }}#{{ 'aaa'|replace('a', 'bb', 2) }}#"
        "{% set b %}{{ 'q' * 3 }}{% endset %}{{ b }}"
    )
    (folder / "brief.html").write_text(PAGE.format(payload), encoding="utf-8")
    html, _ = brief_html(SMALL, Settings(today=dt.date(2026, 11, 19), templates_dir=folder))
    expected = [
        "%05.1f|%s" % (3.14159, "a"),  # noqa: UP031 (what the template does)
        "{:>6}|{:,}".format("ab", 1234567),
        "ab3cd",
        "abcd",
        "ab".center(6, "*"),
        "ab".zfill(5),
        "a+b+c",
        "x, y",
        "007",
        "ab".center(6),
        "x/y",
        "bbbba",
        "qqq",
    ]
    assert "#".join(expected) in html


def test_harmless_arithmetic_still_works(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "brief.html").write_text(PAGE.format("{{ 2 ** 10 }}|{{ 'ab' * 3 }}|{{ 6 * 7 }}"), encoding="utf-8")
    html, _ = brief_html(SMALL, Settings(today=dt.date(2026, 11, 19), templates_dir=folder))
    assert "1024|ababab|42" in html


def test_template_linking_outside_its_folder_is_refused(tmp_path, monkeypatch):
    """An archive of templates can carry a symbolic link to a private file; it is never read."""
    import os

    monkeypatch.chdir(tmp_path)
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN PRIVATE KEY-----")
    (tmp_path / "mine").mkdir()
    os.symlink(secret, tmp_path / "mine" / "part.html")
    (tmp_path / "mine" / "brief.html").write_text(PAGE.format("{% include 'part.html' %}"), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"part\.html: the template leads outside its folder") as caught:
        _render(tmp_path / "mine")
    assert "PRIVATE KEY" not in caught.value.message
    os.symlink(tmp_path / "mine" / "brief.html", tmp_path / "mine" / "inside.html")  # inside: fine
    (tmp_path / "mine" / "brief.html").write_text(PAGE.format("ok"), encoding="utf-8")
    assert "ok" in _render(tmp_path / "mine", "inside.html")
