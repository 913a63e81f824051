"""The strategy brief: figures in the chosen digits, fonts, outline, metadata, narrowing, golden HTML."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from pathlib import Path

import pytest

from reportgen.commands import brief as brief_command
from reportgen.commands import common
from reportgen.documents import brief as brief_doc
from reportgen.documents.common import money_scale, scope
from reportgen.errors import InvalidWorkbook, ReportgenError
from reportgen.model.reference import AXES
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
        "محاور الاستراتيجية وتدخلاتها",
        "توزيع التجمعات",
        "التجمعات ذات الأولوية",
        "ملحق: قائمة التجمعات",
        "نقل التكنولوجيا",
        "حسب المحافظة",
    ):
        assert section in titles
    assert "الابتكار" not in titles  # no innovation intervention in the small workbook: no empty section
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
    # the URL inside is a Latin run: isolated left to right and kept on one line, the markup around it ours;
    # the bare numbers take the document's digits: text, not evaluated
    html = re.sub('<span class="nw">|</span>|[\u2060\u2066\u2069]', "", html)
    assert "&lt;img src=&#34;http://127.0.0.1:9/x.png&#34;&gt;" in html and "{{ ٧*٧ }}" in html
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


TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates" / "ar"
TEMPLATES = sorted(p for p in TEMPLATES_DIR.rglob("*") if p.is_file())  # the verification site's, in site/, too


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES_DIR)))
def test_templates_lay_out_and_do_not_compute(path):
    """Sums, arithmetic and decisions on numbers live in the planners, where tests reach them."""
    source = path.read_text("utf-8")
    expressions = re.findall(r"\{\{(.*?)\}\}|\{%(.*?)%\}", source, re.DOTALL)
    code = [re.sub(r'"[^"]*"|\'[^\']*\'', '""', e1 or e2) for e1, e2 in expressions]  # not inside strings
    for expression in code:
        assert not re.search(r"[^\s(][\s]*[-+*/%][\s]*[\w(]|\s[<>]=?\s", expression), expression
        assert not re.search(r"\|\s*(sum|round)\b|namespace\(", expression), expression


# ----------------------------------------------------------------------------- what a decision-maker reads


def _small_html() -> str:
    return brief_command.html(SAMPLES / "small.xlsx", SETTINGS)[0]


def _cells(html: str, table_class: str) -> list[str]:
    table = re.search(f'<table class="{table_class}">(.*?)</table>', html, re.DOTALL)
    assert table, table_class
    return [re.sub(r"<[^>]+>|[\u2066-\u2069]", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table[1])]


def test_status_is_printed_in_arabic():
    """small.xlsx types its statuses in English (done, planned): the Arabic tables say منجز, مخطط."""
    cells = [c for part in _small_html().split('<table class="interventions">')[1:] for c in _cells(
        '<table class="interventions">' + part, "interventions")]  # fmt: skip
    assert {"منجز", "مخطط"} <= set(cells)
    assert not {"done", "planned", "in progress"} & {c.casefold() for c in cells}


def test_one_money_unit_per_column_said_in_its_header():
    html = _small_html()
    for part in html.split('<table class="interventions">')[1:]:
        table = part.split("</table>")[0]
        assert "الميزانية<br>(مليون\u00a0ج.م)" in table
        assert not re.search("مليار|مليون|ألف", re.sub(r"<thead>.*?</thead>", "", table, flags=re.DOTALL))


def test_summary_comes_first_with_progress_gap_and_ask():
    html = _small_html()
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", html)
    assert headings[0] == "الملخص التنفيذي" and headings[1] == "المحتويات"
    progress = _cells(html, "progress")
    assert progress[0] in {ar for _en, ar in AXES.values()}  # a row per axis with interventions
    assert "المطلوب من متخذ القرار" in html
    # one word for one status: "planned" is مخطط in the counts, the budget column, the key figure and the ask
    assert "ميزانية التدخلات المخططة" in html and not re.search("لم (يبدأ|تبدأ)", html)
    assert re.findall(r'<th class="n">(.*?)</th>', html)[:6] == [
        "منجز", "قيد التنفيذ", "مخطط", "الإجمالية", "منجز أو قيد التنفيذ", "مخطط"]  # fmt: skip
    plan = brief_doc.plan(common.load(SAMPLES / "small.xlsx", SETTINGS).dataset, SETTINGS, scope(None, ()))
    assert plan.not_started_egp + plan.committed_egp == plan.total_budget_egp
    assert plan.count("done") + plan.count("in_progress") + plan.count("planned") == plan.intervention_count
    assert all(a.rows for a in plan.axes) and len(plan.axes) + len(plan.idle_axes) == len(AXES)


def test_the_ask_says_which_axes_take_the_largest_share_of_the_planned_budget():
    """«أكبرها» referred to nothing: the ask says whose share it is, of what."""
    ask = _text(re.search(r'<div class="ask">(.*?)</ul>', _small_html(), re.DOTALL)[1])
    assert "أكبرها" not in ask and "اعتماد تمويل تدخلين مخططين بميزانية" in ask  # small.xlsx plans two
    largest = r"بميزانية قدرها [^،]+، أكبر حصة منها لمحور نقل التكنولوجيا \([^)]+\) ثم لمحور الدعم التسويقي"
    assert re.search(largest, ask)


def test_contents_list_only_what_follows_them_with_a_gap_before_the_leader(small_brief):
    """The summary comes before the contents: they do not list it; no title touches its dot leader."""
    html = _small_html()
    toc = re.search(r'<ul class="toc">(.*?)</ul>', html, re.DOTALL)[1]
    contents = html.index('id="toc"')
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert html.index(f'id="{anchor}"') > contents, anchor
    import pymupdf  # the glyphs' boxes: the gaps are a no-break space before the leader and the number's slot

    page = next(p for p in pymupdf.open(small_brief) if "المحتويات" in p.get_text() and "....." in p.get_text())
    rows: dict[int, list[tuple[str, float, float]]] = {}
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for c in span["chars"]:
                    if not c["c"].isspace():
                        rows.setdefault(round(c["origin"][1]), []).append((c["c"], c["bbox"][0], c["bbox"][2]))
    entries = [chars for chars in rows.values() if sum(c == "." for c, _, _ in chars) > 5]
    assert len(entries) >= 8
    for chars in entries:  # right to left: the title, a gap, the dots, a gap, the page number
        dots = [c for c in chars if c[0] == "."]
        title = [c for c in chars if c[1] > max(d[2] for d in dots) - 0.1 and c[0] != "."]
        number = [c for c in chars if c[2] < min(d[1] for d in dots)]
        assert title and number, chars
        assert min(c[1] for c in title) - max(d[2] for d in dots) >= 2.0, "".join(c for c, _, _ in title)
        assert min(d[1] for d in dots) - max(c[2] for c in number) >= 2.0, "".join(c for c, _, _ in title)


def test_priority_clusters_carry_the_figures_behind_their_priority():
    html = _small_html()
    plan = brief_doc.plan(common.load(SAMPLES / "small.xlsx", SETTINGS).dataset, SETTINGS, scope(None, ()))
    assert plan.priority and sum(p.workers_share for p in plan.priority) == pytest.approx(plan.priority_workers_share)
    header = re.search(r'<table class="priority">\s*<thead>(.*?)</thead>', html, re.DOTALL)[1]
    for column in ("العاملون", "الإنتاج السنوي", "التصدير", "النساء", "التدخلات"):
        assert column in header


def test_a_measure_and_a_code_are_kept_on_one_line():
    html = _small_html()
    # small.xlsx: "3 أفران بدقة ±10 °C": the number and its unit one right-to-left run, each kept whole
    assert '\u2067<span class="nw">\u2066±١٠\u2069</span>\u00a0<span class="nw">\u2066°C\u2069</span>\u2069' in html
    from reportgen.render.textruns import unbreakable

    assert unbreakable("وفق ISO 105-C06 و ES 7000:2023").replace("\u2060", "") == (  # word joiners aside
        'وفق <span class="nw">\u2066ISO 105-C06\u2069</span> و <span class="nw">\u2066ES 7000:2023\u2069</span>'
    )
    assert unbreakable("<b>") == "&lt;b&gt;"
    # a number stays with the noun it counts (and with لـ before it); a code's last digits are no count
    assert unbreakable("خريطة قيمة لـ 6 محافظات", "arabic") == "خريطة قيمة لـ\u00a0٦\u00a0محافظات"
    assert "\u00a0" not in unbreakable("ISO 105-C06 و 2026-09-02 وفق EG-LX-001 في").replace("\u2060", "")


@pytest.mark.parametrize(
    ("values", "scale"),
    [([], 1), ([None, 0], 1), ([500, 800], 1), ([1_200, 900_000, 5_000], 1000),
     ([800_000, 2_700_000, 1_200_000], 10**6), ([4 * 10**9, 2 * 10**9, 5 * 10**8], 10**9)],
)  # fmt: skip
def test_a_money_column_takes_the_unit_of_its_typical_amount(values, scale):
    from decimal import Decimal

    assert money_scale([Decimal(v) if v is not None else None for v in values]) == scale


@functools.cache
def _upper_egypt() -> tuple[str, brief_doc.Brief]:
    html, parsed = brief_command.html(SAMPLES / "clusters.xlsx", SETTINGS, region="Upper Egypt")
    return html, brief_doc.plan(parsed.dataset, SETTINGS, scope("Upper Egypt", ()))


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|[\u2066-\u2069]", "", fragment)).strip()


def test_the_ask_names_the_axis_without_interventions_and_agrees_with_it():
    html, plan = _upper_egypt()
    assert plan.idle_axes == ("التنسيق المؤسسي",)  # the samples plan nothing on it in Upper Egypt
    ask = _text(re.search(r'<div class="ask">(.*?)</div>\s*</div>|<div class="ask">(.*?)</ul>', html, re.DOTALL)[0])
    assert "النظر في تدخلات على محور التنسيق المؤسسي الذي لا يشمله أي تدخل في هذا النطاق." in ask
    assert "المحور التي" not in ask


def test_an_axis_says_what_its_count_of_interventions_counts():
    """An axis's figure counts every intervention, whatever its status: it says how many have each."""
    html, plan = _upper_egypt()
    figures = [_text(f) for f in re.findall(r'<p class="axis-figures">(.*?)</p>', html, re.DOTALL)]
    fmt = common.formatter_for(SETTINGS)
    from reportgen.render.formatting import COUNTED

    assert len(figures) == len(plan.axes)
    for axis, text in zip(plan.axes, figures, strict=True):
        parts = [fmt.counted(n, COUNTED[f"status_{p}"]) for p, n in axis.by_status]
        if len(parts) == 1:  # all of one status: جميعها مخططة, not "٣ تدخلات: ٣ مخططة"
            ((p, n),) = axis.by_status
            parts = [fmt.counted(n, COUNTED[f"status_all_{p}"])]
        said = fmt.counted(len(axis.rows), COUNTED["interventions"]) + ": " + "، و".join(parts) + "؛"
        assert text.startswith(said), (text, said)
        budget = common.formatter_for(SETTINGS).in_unit(axis.budget_egp, plan.budget_scale)
        assert text.endswith(f"الميزانية: {budget} مليون ج.م"), text  # each figure says what it is
        assert sum(n for _p, n in axis.by_status) == len(axis.rows)
        assert "مخطط" not in text or axis.count("planned")  # "planned" only for interventions not started


@pytest.mark.parametrize(
    ("n", "done", "planned"),
    [(1, "واحد منجز", "واحد مخطط"), (2, "اثنان منجزان", "اثنان مخططان"), (3, "٣ منجزة", "٣ مخططة"),
     (11, "١١ منجزا", "١١ مخططا"), (100, "١٠٠ منجز", "١٠٠ مخطط")],
)  # fmt: skip
def test_status_counts_agree_with_their_number(n, done, planned):
    from reportgen.render.formatting import COUNTED

    fmt = common.formatter_for(SETTINGS)
    assert fmt.counted(n, COUNTED["status_done"]) == done and fmt.counted(n, COUNTED["status_planned"]) == planned


@pytest.mark.parametrize(
    ("n", "status", "said"),
    [(1, "planned", "مخطط"), (2, "done", "كلاهما منجز"), (3, "planned", "جميعها مخططة"),
     (11, "in_progress", "جميعها قيد التنفيذ"), (100, "done", "جميعها منجزة")],
)  # fmt: skip
def test_interventions_all_of_one_status_are_said_once(n, status, said):
    from reportgen.render.formatting import COUNTED

    assert common.formatter_for(SETTINGS).counted(n, COUNTED[f"status_all_{status}"]) == said


def test_workers_and_priority_clusters_agree_with_their_number():
    """Upper Egypt's ١٢ priority clusters and ١٢٬٨٥٣ workers end in 11–99: the noun is accusative (عاملا، تجمعا ذا)."""
    html, plan = _upper_egypt()
    text = _text(html)
    n = len(plan.priority)
    assert 11 <= n % 100 <= 99 and 11 <= plan.priority_workers % 100 <= 99  # the samples' case
    assert f"{common.formatter_for(SETTINGS).integer(n)} تجمعا ذا أولوية عالية" in text
    assert f"{common.formatter_for(SETTINGS).integer(plan.priority_workers)} عاملا وعاملة" in text
    assert "تجمعا ذات" not in text


def test_running_text_paragraphs_never_end_with_one_word_alone():
    html, _plan = _upper_egypt()
    for start in ("<p>يعرض هذا الموجز", '<p class="intro-to-table">', "<p>تستند الأرقام"):
        paragraph = re.sub(
            r"<[^>]+>|[\u2066-\u2069]", "", html[html.index(start) : html.index("</p>", html.index(start))]
        )
        assert re.search("\u00a0[^ \u00a0]+$", paragraph.strip()), paragraph


def test_every_chart_says_its_source():
    national = brief_command.html(SAMPLES / "clusters.xlsx", SETTINGS)[0]
    captions = re.findall(r"<figcaption>([^<]*)</figcaption>\s*</figure>\s*(<p class=\"attribution\">)?", national)
    assert len(captions) == national.count("</figure>") == 3  # regions, governorates, sectors
    assert all("المصدر: " in caption or credit for caption, credit in captions)  # the map: its credit line


def test_running_head_names_the_section_a_page_opens_with_and_the_table_it_continues(tmp_path):
    """A heading lower on a page does not name the page; a table running over says "(تابع) <axis>" at its top.

    PDFium gives the margin's words in visual order: lines are compared as sets of words."""
    pypdfium2 = pytest.importorskip("pypdfium2")
    out = tmp_path / "brief.pdf"
    brief_command.run(SAMPLES / "clusters.xlsx", out, SETTINGS)
    band = 24 * 72 / 25.4  # the top margin, where the running heads are

    def words(text: str) -> frozenset[str]:
        return frozenset(re.findall(r"[\u0600-\u06ff]+", text))

    heads, lines = [], []
    for page in pypdfium2.PdfDocument(str(out)):
        width, height = page.get_size()
        text = page.get_textpage()
        heads.append(words(text.get_text_bounded(0, height - band, width, height)))
        body = text.get_text_bounded(0, 0, width, height - band)
        lines.append([words(line) for line in body.splitlines() if words(line)])
    continued = [h for h in heads if "تابع" in h and any(words(ar) <= h for _en, ar in AXES.values())]
    assert continued  # the sample's long axis tables run over a page
    checked = 0
    for head, body in zip(heads[3:], lines[3:], strict=True):  # after the contents page
        for section in map(words, ("توزيع التجمعات", "التجمعات ذات الأولوية", "ملاحظات منهجية")):
            if section in body:
                checked += 1
                assert (section <= head) == (body[0] == section), (sorted(head), sorted(body[0]))
    assert checked >= 3
    # As poppler reads the heads, in order: every continued page says so one way, «… (تابع)» at the head's end.
    import subprocess
    import unicodedata

    band_px = round(band)  # pdftotext crops in points at its default 72 dpi
    said = []
    for number in range(1, len(heads) + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-y", "0", "-H", str(band_px), "-W", "1000",
             str(out), "-"], capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        for line in text.splitlines():
            line = " ".join("".join(c for c in line if unicodedata.category(c) != "Cf").split())
            if "تابع" in line:
                said.append(line)
                assert line.endswith("(تابع)") and line.count("(تابع)") == 1, line
    assert len(said) >= 4


# ----------------------------------------------------------------------------- what a reader compares


@functools.cache
def _briefs() -> dict[str, str]:
    """Return the HTML of the sample's national and regional briefs and of the tests' many-rows brief."""
    import tempfile

    from tests.documents import long_text_workbook, many_rows_workbook

    folder = Path(tempfile.mkdtemp(prefix="brief-many-rows-"))
    return {
        "national": brief_command.html(SAMPLES / "clusters.xlsx", SETTINGS)[0],
        "upper-egypt": _upper_egypt()[0],
        "luxor-qena": brief_command.html(SAMPLES / "clusters.xlsx", SETTINGS, governorates=("الأقصر", "قنا"))[0],
        "many-rows": brief_command.html(many_rows_workbook(folder), SETTINGS)[0],
        "long-text": brief_command.html(long_text_workbook(folder), SETTINGS)[0],
    }


@pytest.mark.parametrize("name", ["national", "upper-egypt", "luxor-qena", "many-rows"])
def test_amounts_in_words_have_one_precision(name):
    """«٢ مليون» beside «١٦٫٢ مليون» reads as a different precision: every amount in words has its one decimal."""
    html = re.sub(r'<table class="interventions">.*?</table>', "", _briefs()[name], flags=re.DOTALL)
    text = _text(html)  # without the interventions' tables, whose KPIs are the workbook's text ("مبيعات 50 مليون")
    amounts = re.findall(r"([0-9٠-٩][0-9٠-٩٬٫,.]*) (?:ألف|مليون|مليار) ج\.م", text)
    assert len(amounts) >= 6  # the headline figures, the introduction, the ask and each axis
    assert [a for a in amounts if not re.search(r"[٫.][0-9٠-٩]$", a)] == []


def _columns(table: str) -> list[list[str]]:
    rows = [[_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)] for row in
            re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)]  # fmt: skip
    rows = [r for r in rows if r]
    return [list(column) for column in zip(*rows, strict=False)] if rows else []


@pytest.mark.parametrize("name", ["national", "upper-egypt", "luxor-qena", "many-rows"])
def test_no_share_column_is_near_zero_on_most_rows(name):
    """A column of ٠٫١٪ and ٠٫٣٪ on row after row tells a reader nothing: show the figure that matters instead."""
    to_latin = str.maketrans("٠١٢٣٤٥٦٧٨٩٫", "0123456789.")
    for table in re.findall(r"<table[^>]*>(.*?)</table>", _briefs()[name], re.DOTALL):
        for column in _columns(table):
            shares = [float(c.translate(to_latin).strip("٪%")) for c in column if re.fullmatch(r"[0-9٠-٩٫.]+[٪%]", c)]
            if len(shares) >= 3 and len(shares) >= len(column) // 2:
                assert sorted(shares)[len(shares) // 2] >= 1, (name, column[:4])  # the median row


def test_a_single_region_brief_has_no_one_row_table_by_region():
    """One region in the brief: no "by region" chart or table (one row repeating the total); the text names it."""
    briefs = _briefs()
    for name in ("upper-egypt", "luxor-qena", "many-rows"):
        html = briefs[name]
        assert 'id="by-region"' not in html and 'href="#by-region"' not in html, name
    assert "تقع التجمعات المشمولة كلها في إقليم صعيد مصر" in _text(briefs["many-rows"])
    assert "تقع التجمعات المشمولة كلها" not in _text(briefs["upper-egypt"])  # the scope names its region already
    assert 'id="by-region"' in briefs["national"] and 'href="#by-region"' in briefs["national"]


def test_a_continued_table_says_so_one_way():
    """Every running head of a continued table reads «<section> — <table> (تابع)» or «<section> (تابع)»."""
    for name, html in _briefs().items():
        marks = re.findall(r'data-contd="([^"]*)"', html)
        assert marks, name
        for mark in marks:
            assert re.fullmatch(r"(?: — [^()]+)? \(تابع\)", mark), (name, mark)


def _intro(html: str) -> str:
    start = html.index("<p>يعرض هذا الموجز")
    return _text(html[start : html.index("</p>", start)]).replace("\u00a0", " ")


def test_the_introduction_reads_as_a_ministrys_brief():
    """The scope named once after في (the dual in its genitive), counted nouns that agree, no «٢ من محافظات»."""
    briefs = _briefs()
    national, upper, lq = (_intro(briefs[n]) for n in ("national", "upper-egypt", "luxor-qena"))
    assert national.startswith("يعرض هذا الموجز الصورة الوطنية للتجمعات الإنتاجية الطبيعية، وهي قرى ومدن")
    assert upper.startswith("يعرض هذا الموجز التجمعات الإنتاجية الطبيعية في إقليم صعيد مصر، وهي")
    assert lq.startswith("يعرض هذا الموجز التجمعات الإنتاجية الطبيعية في محافظتي الأقصر وقنا، وهي")
    assert "ويبلغ عدد التجمعات المشمولة ٤٦ تجمعا في ٨ محافظات، تضم" in upper
    assert "ويبلغ عدد التجمعات المشمولة ١١ تجمعا، تضم" in lq  # the scope names its two governorates
    for text in (national, upper, lq):
        assert "من محافظات مصر" not in text and "من العاملين" not in text
        assert re.search(r"يعمل بها [٠-٩٬]+ (?:عاملا وعاملة|عامل وعاملة|عمال وعاملات)", text), text
    assert upper.count("صعيد مصر") == 1 and lq.count("الأقصر") == 1


@pytest.mark.parametrize(
    ("n", "clusters", "interventions"),
    [(1, "تجمعا واحدا", "تدخلا واحدا"), (2, "تجمعين", "تدخلين"), (3, "٣ تجمعات", "٣ تدخلات"),
     (46, "٤٦ تجمعا", "٤٦ تدخلا"), (100, "١٠٠ تجمع", "١٠٠ تدخل")],
)  # fmt: skip
def test_the_introductions_objects_take_the_accusative(n, clusters, interventions):
    """«يبلغ عدد التجمعات تجمعين» and «تشمل الاستراتيجية تدخلين», not تجمعان، تدخلان (the long-text brief's two)."""
    from reportgen.render.formatting import COUNTED

    fmt = common.formatter_for(SETTINGS)
    assert fmt.counted(n, COUNTED["clusters_object"]) == clusters
    assert fmt.counted(n, COUNTED["interventions_object"]) == interventions


def test_a_brief_of_two_clusters_says_so_in_the_accusative():
    intro = _intro(_briefs()["long-text"])  # two clusters in two governorates, two interventions
    assert "ويبلغ عدد التجمعات المشمولة تجمعين في محافظتين، تضم" in intro
    assert "وتشمل الاستراتيجية تدخلين: كلاهما مخطط." in intro  # not "تدخلين: اثنان مخططان"


@pytest.mark.parametrize("name", ["upper-egypt", "luxor-qena"])
def test_a_short_distribution_table_is_never_split_across_pages(name, tmp_path):
    """A table of a dozen rows or fewer (by governorate, by sector) is set on one page, as a typesetter would: the
    Upper Egypt brief left two of its eight governorates at a page's foot and the other six overleaf."""
    from tests.layout import render

    pages_of: dict[int, set[int]] = {}
    tables: dict[int, object] = {}

    def walk(box, number):
        box = getattr(box, "_box", box)
        element = getattr(box, "element", None)
        if element is not None and element.tag == "table":
            pages_of.setdefault(id(element), set()).add(number)
            tables[id(element)] = element
        for child in getattr(box, "children", ()):
            walk(child, number)

    for number, page in enumerate(render(name, _briefs()[name], SAMPLES).pages, start=1):
        walk(page._page_box, number)
    checked = 0
    for key, element in tables.items():
        first = "".join(element.find(".//th").itertext())
        rows = [r for body in element.findall("tbody") for r in body.findall("tr")]
        if first in ("الإقليم", "المحافظة", "القطاع") and len(rows) <= 13:  # a dozen rows and the total
            checked += 1
            assert len(pages_of[key]) == 1, (first, len(rows), sorted(pages_of[key]))
    assert checked >= 2


def test_no_amount_that_is_not_zero_prints_as_zero_in_a_distribution_table():
    """The national brief's output column in مليار printed ٠٫٠ for a governorate producing 33 million: a column's
    unit steps down until every amount that is not zero reads as one."""
    fmt = common.formatter_for(SETTINGS)
    zero = fmt.in_unit(0, 10**6)
    for sc in (scope(None, ()), scope("Upper Egypt", ()), scope(None, ("الأقصر", "قنا"))):
        plan = brief_doc.plan(common.load(SAMPLES / "clusters.xlsx", SETTINGS).dataset, SETTINGS, sc)
        for group in (*plan.regions, *plan.governorates, *plan.sectors):
            if group.output_egp:
                assert fmt.in_unit(group.output_egp, plan.group_scale) != zero, (group.label, plan.group_scale)


@pytest.fixture(scope="module")
def national_brief(tmp_path_factory):
    out = tmp_path_factory.mktemp("brief") / "national.pdf"
    brief_command.run(SAMPLES / "clusters.xlsx", out, SETTINGS)
    return out


@pytest.mark.parametrize(("which", "workbook"), [("national_brief", "clusters.xlsx"), ("small_brief", "small.xlsx")])
def test_a_status_is_never_broken_over_two_lines(request, which, workbook):
    """«قيد التنفيذ» wrapped in the interventions tables' narrow status column: a status's words share one line.

    MuPDF's words: each status cell's last word (the leftmost; with no punctuation after it, unlike the counts in
    the prose) sits at the height of the words before it, just right of it. Every in-progress intervention has one.
    """
    import pymupdf

    from reportgen.model.reference import STATUSES, vocabulary_lookup

    labels = [label.split() for _, label in STATUSES.values() if " " in label]
    assert labels, "a status of more than one word to check"
    broken, whole = [], 0
    for number, page in enumerate(pymupdf.open(request.getfixturevalue(which)), start=1):
        words = page.get_text("words")
        for words_of_label in labels:
            *before, last = words_of_label
            for w in (w for w in words if w[4] == last):
                right = sorted((v for v in words if v[0] >= w[2] - 1 and abs(v[1] - w[1]) < 1), key=lambda v: v[0])
                if [v[4] for v in right[: len(before)]] == before[::-1]:
                    whole += 1
                else:
                    broken.append((number, round(w[0]), round(w[1])))
    assert not broken, f"a status's last word on a line of its own (page, x, top): {broken}"
    parsed = common.load(SAMPLES / workbook, SETTINGS)
    in_progress = [i for i in parsed.dataset.interventions if vocabulary_lookup(STATUSES, i.status) == "in_progress"]
    assert whole >= len(in_progress) > 0


def _map_svg(html: str) -> str:
    """Return the SVG of the brief's governorate map (the figure after the "by governorate" heading)."""
    import base64

    after = html[html.index('id="by-governorate"') :]
    uri = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', after)
    assert uri is not None
    return base64.b64decode(uri.group(1)).decode("utf-8")


@pytest.mark.parametrize(
    ("name", "outside", "cairo"),
    [("national", "", "٩"), ("upper-egypt", "خارج الإقليم", ""), ("luxor-qena", "خارج النطاق", "")],
)
def test_the_map_keys_the_governorates_outside_the_scope_apart_from_none(name, outside, cairo):
    """A regional brief's map: the governorates outside the region have their own key, not «٠» (Cairo has 9)."""
    from reportgen.render.charts.base import OUTSIDE, ZERO
    from tests.test_charts import fill_of, texts

    svg = _map_svg(_briefs()[name])
    drawn = texts(svg)
    legend = drawn[drawn.index("عدد التجمعات") :]
    if outside:
        assert legend[-1] == outside and "٠" not in legend  # every governorate of the scope has a cluster
        assert fill_of(svg, "EG-C") == OUTSIDE != ZERO
        assert fill_of(svg, "EG-LX") not in (OUTSIDE, ZERO)
    else:  # the whole country: no key for an outside; every governorate has a cluster, so no «٠» either
        assert not any(label.startswith("خارج") or label == "٠" for label in legend)
        assert "القاهرة " + cairo in drawn and fill_of(svg, "EG-C") not in (OUTSIDE, ZERO)


@pytest.fixture(scope="module")
def regional_brief(tmp_path_factory):
    out = tmp_path_factory.mktemp("brief") / "upper-egypt.pdf"
    brief_command.run(SAMPLES / "clusters.xlsx", out, SETTINGS, region="Upper Egypt")
    return out


@pytest.mark.parametrize(("which", "widths"), [("national_brief", {1, 2}), ("regional_brief", {1})])
def test_the_contents_leaders_end_at_one_x_whatever_the_page_number(request, which, widths):
    """The dot leaders of the contents stop at one x (±0.5 pt) before one- and two-digit page numbers, a section's
    and a subsection's alike; the numbers sit flush with the text block's outer (left) edge. MuPDF's characters."""
    import pymupdf

    doc = pymupdf.open(request.getfixturevalue(which))
    page = next(p for p in doc if "المحتويات" in p.get_text() and "....." in p.get_text())
    last_dots, numbers = {}, {}
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for c in span["chars"]:
                    row = round(c["origin"][1])
                    if c["c"] == ".":
                        last_dots[row] = min(last_dots.get(row, math.inf), c["bbox"][0])
                    elif c["c"].isdigit():
                        numbers.setdefault(row, []).append(c["bbox"])
    assert len(last_dots) >= 12
    assert {len(numbers[row]) for row in last_dots} == widths  # the national brief: one- and two-digit numbers
    assert max(last_dots.values()) - min(last_dots.values()) <= 0.5, last_dots
    left = {round(min(b[0] for b in numbers[row]), 1) for row in last_dots}
    assert max(left) - min(left) <= 0.5 and min(left) < page.rect.width / 10  # flush with the outer edge
    assert all(max(b[2] for b in numbers[row]) < min(last_dots.values()) for row in last_dots)  # clear of the dots


def test_an_annex_row_keeps_its_governorates_name_on_one_line(national_brief):
    """«الوادي الجديد» wrapped in the annex's narrow governorate column: every row's governorate on its code's line.

    MuPDF's words: each annex row starts (on the right) with its cluster's code; the words of its governorate's name
    sit on that line (their middles within 3 pt of the code's; the next line is 9.5 pt lower)."""
    import pymupdf

    parsed = common.load(SAMPLES / "clusters.xlsx", SETTINGS)
    names = {c.id: c.governorate.name_ar.split() for c in parsed.dataset.clusters}
    assert any(len(words) > 1 for words in names.values())
    pages = list(pymupdf.open(national_brief))
    start = next(
        i for i, p in enumerate(pages) if "ملحق: قائمة التجمعات" in p.get_text() and "....." not in p.get_text()
    )
    checked, wrapped = 0, []
    for page in pages[start:]:
        words = page.get_text("words")
        top = min((w[3] for w in words if w[4].startswith("ملحق") and w[1] > 60), default=0)  # the annex's heading
        for code in (w for w in words if w[4] in names and w[1] > top):
            middle = (code[1] + code[3]) / 2
            line = {w[4] for w in words if abs((w[1] + w[3]) / 2 - middle) < 3}
            checked += 1
            if not set(names[code[4]]) <= line:
                wrapped.append((code[4], " ".join(names[code[4]])))
    assert checked == len(names)  # every cluster of the sample is listed once
    assert not wrapped, wrapped


@pytest.mark.parametrize("name", ["national", "upper-egypt", "luxor-qena"])
def test_the_notes_name_the_boundaries_source_in_one_sentence(name):
    """«...ومصدرها:» ended a paragraph and a centred credit line in another style followed: one sentence now."""
    from reportgen.render.charts import ATTRIBUTION

    html = _briefs()[name]
    notes = html[html.index('id="method"') : html.index('id="annex"')]
    paragraph = next(_text(p) for p in re.findall(r"<p[^>]*>(.*?)</p>", notes, re.DOTALL) if "ومصدرها" in p)
    assert paragraph.endswith("ومصدرها: " + ATTRIBUTION), paragraph
    assert 'class="attribution"' not in notes  # under the map only


def test_the_boundaries_source_is_set_as_the_sentence_around_it(regional_brief):
    """From the PDF (MuPDF's spans): the source's Arabic words in the font and size of «ومصدرها», not the credit's."""
    import pymupdf

    page = next(p for p in pymupdf.open(regional_brief) if "ومصدرها" in p.get_text())
    spans = [s for b in page.get_text("dict")["blocks"] for line in b.get("lines", []) for s in line["spans"]]
    sentence = next(s for s in spans if "ومصدرها" in s["text"])
    source = [s for s in spans if "مساهمو" in s["text"] and s["origin"][1] >= sentence["origin"][1] - 1]
    assert source
    assert all((s["font"], round(s["size"], 1)) == (sentence["font"], round(sentence["size"], 1)) for s in source)


@pytest.mark.parametrize("which", ["national_brief", "regional_brief"])
def test_the_method_notes_last_line_holds_two_words(request, which):
    """Review 9: «بعد.» alone on the last line of the method note (national p13, Upper Egypt p8): its last line,
    as poppler reads it, holds the two last words (joined by the nowidow filter)."""
    from tests.test_dossier_typesetting import poppler_lines

    lines = [line.strip() for line in poppler_lines(Path(request.getfixturevalue(which)).read_bytes())]
    ending = [i for i, line in enumerate(lines) if line.endswith("بعد.") and "بصرفه" in lines[i - 1] + line]
    assert len(ending) == 1, ending  # the note's last sentence: «…هي ما لم يلتزم بصرفه بعد.»
    assert "بصرفه" in lines[ending[0]], (lines[ending[0] - 1], lines[ending[0]])
