"""The strategy brief: figures in the chosen digits, fonts, outline, metadata, narrowing, golden HTML."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import pytest
from markupsafe import escape

from reportgen.commands import brief as brief_command
from reportgen.commands import common
from reportgen.errors import InvalidWorkbook, ReportgenError
from reportgen.render.formatting import isolate_latin
from reportgen.settings import Settings
from tests import golden
from tests.conftest import SAMPLES, cluster_row
from tests.pdftext import font_names, outline_titles, pages_text

SETTINGS = Settings(today=dt.date(2026, 11, 19))
BUNDLED = {"RG-Naskh", "RG-Naskh-Bold", "RG-Sans", "RG-Sans-Bold", "RG-Latin", "RG-Latin-Bold", "RG-Symbols"}


@pytest.fixture(scope="module")
def small_brief(tmp_path_factory):
    out = tmp_path_factory.mktemp("brief") / "brief.pdf"
    brief_command.run(SAMPLES / "small.xlsx", out, SETTINGS)
    return out


def test_headline_figures_in_arabic_digits(small_brief):
    parsed = common.load(SAMPLES / "small.xlsx", SETTINGS)
    clusters = parsed.dataset.clusters
    text = "\n".join(pages_text(small_brief))
    fmt = common.formatter_for(SETTINGS)
    for value in (len(clusters), sum(c.enterprises for c in clusters), sum(c.workers for c in clusters)):
        assert fmt.integer(value) in text


def test_every_page_after_the_cover_is_numbered_out_of_the_total(small_brief):
    pages = pages_text(small_brief)
    fmt = common.formatter_for(SETTINGS)
    assert "صفحة" not in pages[0]  # the cover has no footer
    for number, text in enumerate(pages[1:], start=2):
        assert f"صفحة {fmt.integer(number)} من {fmt.integer(len(pages))}" in text


def test_only_bundled_fonts_are_embedded(small_brief):
    assert font_names(small_brief) <= BUNDLED


def test_outline_and_metadata(small_brief):
    from pypdf import PdfReader

    titles = outline_titles(small_brief)
    for section in (
        "الملخص التنفيذي",
        "محاور الاستراتيجية والتدخلات المخططة",
        "توزيع التجمعات",
        "التجمعات ذات الأولوية",
        "ملحق: قائمة التجمعات",
        "الابتكار",
        "حسب المحافظة",
    ):
        assert section in titles
    reader = PdfReader(str(small_brief))
    assert reader.metadata.title == common.load(SAMPLES / "small.xlsx", SETTINGS).dataset.settings.title
    assert reader.metadata.title == "تجمعات الأقصر وقنا وأسوان وسوهاج"  # the workbook's own, with no scope added
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Direction"] == "/R2L"


def test_latin_digits_switch_everything(tmp_path):
    out = tmp_path / "latin.pdf"
    brief_command.run(SAMPLES / "small.xlsx", out, SETTINGS.with_(digits="latin"))
    text = "\n".join(pages_text(out))
    assert not re.search("[٠-٩]", text)
    assert "صفحة" in text and re.search(r"\d+\s*من\s*\d+", text)


def test_narrowed_brief_says_so(make_workbook, basic_sheets, tmp_path):
    path = make_workbook(basic_sheets)
    html, _ = brief_command.html(path, SETTINGS, governorates=("الأقصر", "Qena"))
    assert "محافظات الأقصر وقنا" in html
    assert "تجمع اختبار ١" in html and "تجمع اختبار ٢" in html and "تجمع اختبار ٣" not in html  # the digits style
    html, _ = brief_command.html(path, SETTINGS, region="Upper Egypt")
    assert "صعيد مصر" in html and "تجمع اختبار ٣" not in html
    with pytest.raises(ReportgenError, match="unknown region"):
        brief_command.html(path, SETTINGS, region="Atlantis")


def test_cell_html_prints_as_text(make_workbook, basic_sheets):
    basic_sheets["clusters"][1] = cluster_row(1, name='<img src="http://127.0.0.1:9/x.png">{{ 7*7 }}')
    html, _ = brief_command.html(make_workbook(basic_sheets), SETTINGS)
    raw = '<img src="http://127.0.0.1:9/x.png">{{ 7*7 }}'
    assert str(escape(isolate_latin(raw, "arabic"))) in html and "{{ ٧*٧ }}" in html  # text, not evaluated
    assert '<img src="http://127.0.0.1' not in html


def test_invalid_workbook_writes_nothing_and_keeps_old_file(make_workbook, basic_sheets, tmp_path):
    out = tmp_path / "brief.pdf"
    out.write_bytes(b"%PDF- an earlier good file")
    basic_sheets["clusters"][1] = cluster_row(1, enterprises="many")
    with pytest.raises(InvalidWorkbook, match=r"clusters!G2"):
        brief_command.run(make_workbook(basic_sheets), out, SETTINGS, force=True)  # may replace it, if valid
    assert out.read_bytes() == b"%PDF- an earlier good file"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".brief")] == []


@functools.cache
def _rendered() -> dict[str, str]:
    return golden.rendered()


def _golden_cases() -> dict[str, str]:
    return {name: golden.normalise(html) for name, html in _rendered().items()}


@pytest.mark.parametrize("name", golden.NAMES)
def test_golden_html(name):
    path = golden.GOLDEN / name
    assert path.is_file(), f"{name} is missing: run `make golden` and review the file"
    fresh = _golden_cases()[name]
    assert fresh == path.read_text("utf-8"), f"{name} changed: review, then run `make golden`"


def test_every_golden_file_is_a_case():
    """A golden file no case makes would never be compared: it is stale."""
    assert sorted(_golden_cases()) == sorted(golden.NAMES)
    assert sorted(p.name for p in golden.GOLDEN.glob("*.html")) == sorted(golden.NAMES)


def test_golden_files_hold_no_stylesheet():
    """A CSS edit must not rewrite the golden files: their inlined stylesheet is elided."""
    for name in golden.NAMES:
        html = (golden.GOLDEN / name).read_text("utf-8")
        assert "<style>…</style>" in html and "font-family" not in html, name


@pytest.mark.parametrize("name", golden.NAMES)
def test_every_css_variable_used_is_declared(name):
    """WeasyPrint drops a declaration whose var() names nothing, silently: a misspelt variable is caught here."""
    html = _rendered()[name]
    styles = "".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL))
    declared = set(re.findall(r"(--[a-z0-9-]+)\s*:", styles))
    used = set(re.findall(r"var\((--[a-z0-9-]+)\)", styles))
    assert used and used <= declared, sorted(used - declared)


TEMPLATES = sorted((Path(__file__).resolve().parent.parent / "templates" / "ar").iterdir())


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_lay_out_and_do_not_compute(path):
    """Sums, arithmetic and decisions on numbers live in the planners, where tests reach them."""
    source = path.read_text("utf-8")
    expressions = re.findall(r"\{\{(.*?)\}\}|\{%(.*?)%\}", source, re.DOTALL)
    code = [re.sub(r'"[^"]*"|\'[^\']*\'', '""', e1 or e2) for e1, e2 in expressions]  # not inside strings
    for expression in code:
        assert not re.search(r"[^\s(][\s]*[-+*/%][\s]*[\w(]|\s[<>]=?\s", expression), expression
        assert not re.search(r"\|\s*(sum|round)\b|namespace\(", expression), expression
