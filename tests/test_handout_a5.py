"""The sample handout on A5, read from its PDF as a printer would: no type under 8 pt on a fact sheet, sub-heads
clear of their hairlines, and a sheet short of room leaving out whole groups that it names (issue 10's review)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pymupdf
import pytest

from reportgen.commands import handout as handout_command
from reportgen.documents.factsheet import GROUPS, MAX_ROWS_OUT, MIN_TYPE_PT, NAME_LISTS, group_title
from reportgen.settings import Settings
from tests.conftest import SAMPLES

SETTINGS = Settings(today=dt.date(2026, 11, 19))
SAMPLE = SAMPLES / "clusters.xlsx"
ZOOM = 6  # the pages read at 432 dpi: a pixel is 1/6 pt
INK = 128  # darker than this (0–255 grey) is a letter; the hairlines are light (about 210)
CLEAR_PT = 2.5  # no letter nearer a sub-head's hairline than this, above it (the sub-head) or below (the row)


@functools.cache
def _plan(paper: str):
    return handout_command.html(SAMPLE, SETTINGS, paper)[2]


@pytest.fixture(scope="module")
def a5(tmp_path_factory):
    """Return the sample handout on A5 (MuPDF document) and the run's warnings."""
    out = tmp_path_factory.mktemp("a5") / "handout.pdf"
    outcome = handout_command.run(SAMPLE, out, SETTINGS, paper="A5")
    return pymupdf.open(out), outcome.warnings


def _lines(page: pymupdf.Page) -> list[dict]:
    return [line for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])]


def _text(line: dict) -> str:
    return "".join(span["text"] for span in line["spans"]).strip()


def _sub_head(line: dict) -> bool:
    """Return True for a group's sub-head (MuPDF may read a run of it twice: «النشاط وا النشاط والإنتاج»)."""
    return any(_text(line).endswith(title) for title in GROUPS)


def _sheet_pages(doc: pymupdf.Document) -> list[pymupdf.Page]:
    """Return the fact sheets' pages: those with a group's sub-head."""
    return [page for page in doc if any(_sub_head(line) for line in _lines(page))]


def _clearance(page: pymupdf.Page, line: dict) -> tuple[float, float]:
    """Return the room between a sub-head's letters and its hairline, and between the hairline and the letters of
    the row under it, in pt, measured on the page's picture (the hairline: the first light row of pixels across
    the text block under the sub-head's baseline)."""
    y, size = line["spans"][0]["origin"][1], line["spans"][0]["size"]
    side = page.rect.width - line["bbox"][2]  # the block's right edge is the sub-head's; the margins are equal
    clip = pymupdf.Rect(side, y - size, page.rect.width - side, y + 2 * size)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), clip=clip, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width]
    ruled = np.flatnonzero((img < 250).mean(axis=1) > 0.9)
    ruled = ruled[ruled > size * ZOOM]  # under the baseline
    assert len(ruled), f"no hairline under {_text(line)}"
    top = ruled[0]
    bottom = ruled[ruled < top + ZOOM][-1]
    dark = np.flatnonzero((img < INK).any(axis=1))
    above = (top - dark[dark < top].max()) / ZOOM
    below = (dark[dark > bottom].min() - bottom) / ZOOM if (dark > bottom).any() else 2 * size
    return float(above), float(below)


def test_a5_sub_heads_keep_clear_of_their_hairlines(a5):
    """On a crowded A5 sheet a group's sub-head sat on its hairline and the row under it touched it (0.2 pt): each
    sub-head and the row under it now keep CLEAR_PT from the hairline, on every sheet, set closer or not."""
    doc, _warnings = a5
    plan = _plan("A5")
    measured = []
    for page in _sheet_pages(doc):
        for line in _lines(page):
            if _sub_head(line):
                measured.append((page.number + 1, _text(line), *_clearance(page, line)))
    assert len(measured) == sum(len(sheet.grouped) for sheet in plan.sheets)  # every sub-head of every sheet
    near = [m for m in measured if min(m[2], m[3]) < CLEAR_PT]
    assert near == [], near[:5]


def test_a5_fact_sheets_print_no_type_under_8_pt(a5):
    """The A5 sheets' labels, details and running heads were 7.3 pt: nothing on a fact sheet is under 8 pt."""
    doc, _warnings = a5
    pages = _sheet_pages(doc)
    assert len(pages) == len(_plan("A5").sheets)
    sizes = {
        round(span["size"], 2)
        for page in pages
        for line in _lines(page)
        for span in line["spans"]
        if span["text"].strip()
    }
    assert min(sizes) >= 8 - 0.01 and MIN_TYPE_PT == 8, sorted(sizes)[:5]  # print legibility
    assert _plan("A5").metrics.label_w >= 54  # the labels, set larger, still fit their column (test_handout.py)


def test_a5_sheets_short_of_room_leave_out_whole_groups_and_name_them(a5):
    """EG-SHG-001 squeezed every row and still left three out, one from each group: a sheet short of room now
    leaves out whole groups (partners and similar clusters first), at most MAX_ROWS_OUT row besides; its warning
    names the groups, and the page says the A4 edition has the full sheet when (and only when) it does."""
    doc, warnings = a5
    a4 = {sheet.cluster.id: sheet for sheet in _plan("A4").sheets}
    plan = _plan("A5")
    assert [s.cluster.id for s in plan.sheets if s.dropped] == [
        "EG-FYM-001",
        "EG-SHG-001",
        "EG-SHG-002",  # review 7: one gap above every sub-head costs these two their partners' group
        "EG-KN-002",
        "EG-LX-001",
        "EG-ASN-001",
        "EG-ASN-002",
    ]
    for sheet in plan.sheets:
        alone = [label for label in sheet.left_out if group_title(label) not in sheet.dropped]
        assert len(alone) <= MAX_ROWS_OUT, sheet.cluster.id
        assert not any(group_title(label) in sheet.dropped for label, _value in sheet.facts), sheet.cluster.id
        page = next(p for p in doc if sheet.cluster.id in p.get_text())
        on_a4 = not set(sheet.left_out) & set(a4[sheet.cluster.id].left_out)
        assert bool(sheet.dropped_note) == bool(sheet.dropped and on_a4), sheet.cluster.id
        assert ("A4" in page.get_text()) == bool(sheet.dropped_note), sheet.cluster.id
        said = [w.message for w in warnings if sheet.cluster.id in w.message]
        assert len(said) == bool(sheet.left_out), sheet.cluster.id
        assert all(title in said[0] for title in sheet.dropped), sheet.cluster.id
    shg = next(s for s in plan.sheets if s.cluster.id == "EG-SHG-001")
    assert shg.dropped == (GROUPS[2], GROUPS[1])  # the first group stays whole
    assert {label for label, _value in shg.facts} == {"حجم المنشأة", "إنتاج العامل", "إنتاج المنشأة"}


def _table_lines(page: pymupdf.Page) -> list[dict]:
    """Return the lines of a sheet's table of rows: from its first sub-head down to the interventions' heading."""
    lines = _lines(page)
    heads = [line for line in lines if _sub_head(line)]
    top, size = min(line["bbox"][1] for line in heads), heads[0]["spans"][0]["size"]
    # the interventions' heading: the first line under the sub-heads set larger than they are
    end = min(line["bbox"][1] for line in lines if line["bbox"][1] > top and line["spans"][0]["size"] > size + 0.5)
    return [line for line in lines if top <= line["bbox"][1] < end and not _sub_head(line)]


def test_a5_row_labels_line_up_and_the_rows_share_one_type_size(a5):
    """Review 6: two rows set side by side left the second label floating mid-page, aligned with nothing; and the
    sector and products were set larger than the rows under them. On every A5 sheet each row label (sector and
    products too) starts at the same x, its right edge, and every label and value of the table has one type size."""
    doc, _warnings = a5
    plan = _plan("A5")
    pages = _sheet_pages(doc)
    assert len(pages) == len(plan.sheets)
    for sheet, page in zip(plan.sheets, pages, strict=True):
        assert sheet.cluster.id in page.get_text()
        table = _table_lines(page)
        labels = ["القطاع", "المنتجات", *(label for label, _value in sheet.facts)]
        edges = {
            label: [round(line["bbox"][2], 1) for line in table if _text(line).endswith(label)] for label in labels
        }
        assert all(len(at) == 1 for at in edges.values()), (sheet.cluster.id, edges)
        assert max(at[0] for at in edges.values()) - min(at[0] for at in edges.values()) < 0.5, (
            sheet.cluster.id,
            edges,
        )
        sizes = {round(span["size"], 2) for line in table for span in line["spans"] if span["text"].strip()}
        assert len(sizes) == 1, (sheet.cluster.id, sizes)


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_no_name_on_a_fact_sheet_is_cut_short(paper, a5, tmp_path):
    """Review 6: A5 p30 printed «وزارة التربية والتعليم والتعليم…» for an intervention's lead body. A body's or a
    cluster's name is never cut with an ellipsis: each listed intervention prints its whole lead as typed, the name
    lists (partners, similar and nearby clusters) hold whole names, and no fact sheet page shows «…»."""
    if paper == "A5":
        doc = a5[0]
    else:
        out = tmp_path / "handout.pdf"
        handout_command.run(SAMPLE, out, SETTINGS, paper=paper)
        doc = pymupdf.open(out)
    _html, parsed, plan = handout_command.html(SAMPLE, SETTINGS, paper)
    leads = {i.intervention: i.lead for i in parsed.dataset.interventions}
    for sheet in plan.sheets:
        for item in sheet.interventions:
            if item.text in leads:  # its title printed whole: the lead is the typed one
                assert item.lead == leads[item.text], (sheet.cluster.id, item.lead)
        for label, value in sheet.facts:
            if label in NAME_LISTS:
                assert "…" not in value, (sheet.cluster.id, label, value)
        if sheet.certification:
            assert "…" not in sheet.certification.body, sheet.cluster.id
    cut = [page.number + 1 for page in _sheet_pages(doc) if "…" in page.get_text()]
    assert cut == [], cut


# A title that takes four lines of the A5 cover word by word, and five once each preposition is kept with the word
# after it (as the cover prints it): «في محافظات»، «من أسوان»، «إلى بني»، «ومن البحر»، «إلى الوادي»، «في إطار».
NEAR_FOUR_LINES = (
    "مؤتمر تنمية الإنتاجية والحرف اليدوية في محافظات الصعيد من أسوان إلى بني سويف ومن البحر الأحمر إلى الوادي "
    "في إطار الاستراتيجية الوطنية"
)


def test_the_cover_title_is_fitted_with_its_prepositions_kept_with_the_next_word(tmp_path):
    """The cover's fitter measured a title word by word while the cover joins a preposition to the next word with a
    no-break space: a title near four lines printed five (over the dates on A5). Measured as printed, it is shortened
    to four lines, and the PDF's cover shows four."""
    from reportgen.documents.factsheet import PAPERS
    from reportgen.documents.handout import COVER_TITLE_LINES, Cover
    from tests.conftest import write_xlsx
    from tests.helpers_handout import handout_sheets, settings_rows

    cover = Cover(PAPERS["A5"])
    assert cover.name.lines(NEAR_FOUR_LINES, cover.width) == COVER_TITLE_LINES  # word by word: it seemed to fit
    sheets = handout_sheets() | {"settings": settings_rows(conference=NEAR_FOUR_LINES)}
    workbook = write_xlsx(tmp_path / "conference.xlsx", sheets)
    plan = handout_command.html(workbook, SETTINGS, "A5", all_clusters=True)[2]
    assert plan.conference.endswith("…") and NEAR_FOUR_LINES.startswith(plan.conference[:-1].rstrip())
    out = tmp_path / "handout.pdf"
    handout_command.run(workbook, out, SETTINGS, paper="A5", all_clusters=True)
    title = {
        round(span["origin"][1])
        for line in _lines(pymupdf.open(out)[0])
        for span in line["spans"]
        if span["text"].strip() and abs(span["size"] - plan.cover.title_pt) < 0.1
    }
    assert len(title) == COVER_TITLE_LINES, sorted(title)


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_the_axes_table_shows_progress_by_status_and_keeps_to_its_page(paper, tmp_path):
    """The closing table gave each axis one total while its text promised progress: it counts the interventions
    done, in progress and planned (as the workbook's status column says), and the page still holds the table and
    the «more information» box together."""
    from reportgen.model.reference import AXES, STATUSES, vocabulary_lookup

    html, parsed, plan = handout_command.html(SAMPLE, SETTINGS, paper)
    ids = {sheet.cluster.id for sheet in plan.sheets}
    at = html.index('<table class="axes')
    table = html[at : html.index("</table>", at)]
    rows = re.findall(r"<tr><td class=\"axis\">.*?</tr>", table, re.DOTALL)
    assert len(rows) == len(AXES) and plan.axes_by_status and not plan.axes_unstated  # all have a status
    digits = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
    for key, row in zip(AXES, rows, strict=True):
        counts = [
            c.translate(digits).strip("\u2066\u2067\u2068\u2069")
            for c in re.findall(r'<td class="n count">([^<]*)</td>', row)
        ]
        statuses = [
            vocabulary_lookup(STATUSES, i.status)
            for i in parsed.dataset.interventions
            if i.axis == key and i.cluster_id in ids
        ]
        expected = [str(statuses.count(s)) for s in ("done", "in_progress", "planned")]  # ٠ as the brief (review 8)
        assert counts == expected, (key, counts, expected)
    out = tmp_path / "handout.pdf"
    handout_command.run(SAMPLE, out, SETTINGS, paper=paper)
    doc = pymupdf.open(out)
    closing = [page.number for page in doc if "لمزيد من المعلومات" in page.get_text()]
    assert len(closing) == 1  # one page: table and box
    # review 6: the headers said «منجزة/جارية/مخططة» while the sheets and the brief say the status labels
    heads = re.findall(r'<th class="count">([^<]*)</th>', table)
    assert heads == [STATUSES[key][1] for key in ("done", "in_progress", "planned")] == ["منجز", "قيد التنفيذ", "مخطط"]
    words = doc[closing[0]].get_text()
    assert all(word in words for word in heads) and not any(w in words for w in ("منجزة", "جارية", "مخططة"))
    # before the back cover (and the notes page an odd count gets, review 8): no page of its own for the box
    assert closing[0] == len(doc) - 2 - ("ملاحظات" in doc[len(doc) - 2].get_text())


def test_the_axes_table_gives_totals_on_a5_when_its_status_columns_would_not_fit(tmp_path):
    """Interventions without a status need a fourth count column, and a cluster's column may stand beside them: on
    A4 the table has room for them; on A5 the descriptions would take four lines and push the closing box onto a page
    of its own, so the table gives each axis's total there (tests/test_handout.py: the closing page holds)."""
    from tests.conftest import write_xlsx
    from tests.helpers_handout import handout_sheets

    workbook = write_xlsx(tmp_path / "conference.xlsx", handout_sheets(pathological=True))  # EG-T-001: no status
    a4 = handout_command.html(workbook, SETTINGS, "A4", all_clusters=True)[2]
    a5 = handout_command.html(workbook, SETTINGS, "A5", all_clusters=True)[2]
    assert a4.axes_by_status and a4.axes_unstated and a4.axes_count_heads[-1] == "دون حالة"
    assert not a5.axes_by_status and a5.axes_count_heads == ("التدخلات",)
    assert [a5.axis_counts(a) for a in a5.axes] == [(a.interventions,) for a in a5.axes]
    assert sum(sum(a4.axis_counts(a)) for a in a4.axes) == sum(a.interventions for a in a4.axes) == 61


def _visual_lines(page: pymupdf.Page) -> dict[int, str]:
    """Return the page's text by printed line (spans sharing a baseline, to the point), MuPDF's lines being runs."""
    rows: dict[int, list[str]] = {}
    for line in _lines(page):
        for span in line["spans"]:
            if span["text"].strip():
                rows.setdefault(round(span["origin"][1]), []).append(span["text"].strip())
    return {y: " ".join(texts) for y, texts in rows.items()}


def test_a_sheet_without_interventions_shows_zero_as_a_figure_with_its_caption():
    """Review 7: EG-MN-002's sixth tile said «لا توجد تدخلات» in bold with no caption, unlike the five beside it, and
    the list below said it again: the tile shows ٠ over «تدخلات» like the others; the list still says there are none."""
    html, _parsed, plan = handout_command.html(SAMPLE, SETTINGS, "A5")
    empty = [sheet for sheet in plan.sheets if not sheet.planned and not sheet.interventions]
    assert empty  # the sample has such a sheet (EG-MN-002)
    for sheet in empty:
        at = html.index(f'id="{sheet.anchor}"')
        section = html[at : html.index("</section>", at)]
        tiles = re.findall(
            r'<td class="fs-stat"><div class="v">([^<]*)</div><div class="l">([^<]*)</div></td>', section
        )
        assert len(tiles) == 6 and tiles[-1] in (("\u2068٠\u2069", "تدخلات"), ("٠", "تدخلات")), tiles
        assert "لا توجد تدخلات" not in section and "لا تدخلات خاصة بهذا التجمع" in section


def test_the_axes_budgets_line_up_on_their_decimal_separators(a5):
    """Review 7: the budget column was set flush left in Noto Sans Arabic's proportional digits, so ٢٢٫٦ put a digit
    out of line with ١٫٢ and ٤٫٣: flush right in equal-width figures, every separator shares one x (±0.5 pt)."""
    doc, _warnings = a5
    page = next(page for page in doc if "لمزيد من المعلومات" in page.get_text())
    budget = page.rect.width / 4  # the last column, on the left
    xs = [
        (char["bbox"][0] + char["bbox"][2]) / 2
        for block in page.get_text("rawdict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
        for char in span["chars"]
        if char["c"] == "٫" and char["bbox"][2] < budget
    ]
    assert len(xs) >= 5, xs  # the axes with interventions
    assert max(xs) - min(xs) <= 0.5, sorted(xs)


_LATIN = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def test_a_whole_average_drops_its_decimal_and_a_status_is_never_alone_on_a_line(a5):
    """Review 7 (A5 p30): «٣٫٠ عامل في المتوسط» where the mean is a whole number, and «قيد التنفيذ» alone on the
    last line of an intervention's details: the average reads «٣», the status stays with the word before it."""
    doc, _warnings = a5
    plan = _plan("A5")
    pages = _sheet_pages(doc)
    found = [m for page in pages for m in re.findall(r"(\S+)\xa0(عامل|عمال|عاملا) في المتوسط", page.get_text())]
    figures = [number for number, _noun in found]
    # a whole mean is counted as Arabic counts: ٣ to ١٠ take the plural «عمال», ١١ and more «عاملا»
    assert all(noun == ("عمال" if "٫" not in n and 3 <= int(n.translate(_LATIN)) <= 10 else noun) for n, noun in found)
    assert any(noun == "عمال" for _n, noun in found), found  # EG-SHG-001: 830 / 276 ≈ ٣ عمال
    means = [Decimal(s.cluster.workers) / s.cluster.enterprises for s in plan.sheets if s.cluster.enterprises]
    whole = [m for m in means if m.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) % 1 == 0]
    assert len(figures) == len(means) and whole  # the sample has a whole mean (EG-SHG-001: 830 / 276)
    assert len([f for f in figures if "٫" not in f]) == len(whole), figures
    alone = [(page.number + 1, y) for page in pages for y, text in _visual_lines(page).items() if text == "قيد التنفيذ"]
    assert alone == []


def test_the_formatter_gives_an_average_up_to_one_decimal():
    from reportgen.render.formatting import Formatter

    fmt = Formatter()
    assert [fmt.average(x) for x in (3.0, 3.04, 3.05, 12.96, 0.4)] == ["٣", "٣", "٣٫١", "١٣", "٠٫٤"]
    assert Formatter(digits="latin").average(5.25) == "5.3" and fmt.average(None) == ""


def _space_above(page: pymupdf.Page, line: dict) -> float:
    """Return the room between a line's text box and what is printed above it: the text box of a line or the
    figures' tinted boxes, in pt (text boxes from the fonts' ascent and descent, so letters' shapes do not count)."""
    top = line["bbox"][1]
    above = [other["bbox"][3] for other in _lines(page) if _text(other) and other["bbox"][3] <= top + 0.01]
    above += [
        d["rect"].y1 for d in page.get_drawings() if d.get("fill") and d["rect"].height > 5 and d["rect"].y1 <= top
    ]
    return top - max(above)


def test_every_sub_head_has_the_same_space_above_it(a5):
    """Review 7 (A5 p7): «مكانته بين التجمعات» sat hard under the row above, with less space than «النشاط والإنتاج»
    had under the figures: every sub-head of a sheet has the same space above it (±1 pt), set closer or not."""
    doc, _warnings = a5
    spaces = {
        page.number + 1: [_space_above(page, line) for line in _lines(page) if _sub_head(line)]
        for page in _sheet_pages(doc)
    }
    assert any(len(s) > 1 for s in spaces.values())
    uneven = {n: [round(x, 2) for x in s] for n, s in spaces.items() if max(s) - min(s) > 1}
    assert uneven == {}
