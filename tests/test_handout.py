"""The conference handout: programme, one fact sheet per cluster on one page each, shortening, bleed, CLI."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from pypdf import PdfReader

from reportgen.commands import handout as handout_command
from reportgen.commands.common import formatter_for
from reportgen.errors import ReportgenError
from reportgen.fonts.metrics import ELLIPSIS, Font
from reportgen.model.arabic import ascii_digits
from reportgen.output import imposition
from reportgen.render.formatting import COUNTED, isolate_latin
from reportgen.settings import Settings
from tests.conftest import SAMPLES, write_xlsx
from tests.helpers_handout import CONFERENCE, LONG_NAME, LONG_PRODUCTS, handout_sheets, settings_rows
from tests.pdftext import outline_titles, pages_text

SETTINGS = Settings(today=dt.date(2026, 11, 19))
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"
MM = 72 / 25.4
CREAM = (246, 241, 228)  # --c-cream, the pauses' band


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|[\u2066-\u2069]", "", fragment)).strip()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """Return a workbook with three ordinary clusters and two pathological ones (all but one in Luxor)."""
    return write_xlsx(tmp_path_factory.mktemp("handout") / "conference.xlsx", handout_sheets(pathological=True))


@pytest.fixture(scope="module", params=["A4", "A5"])
def rendered(request, workbook, tmp_path_factory):
    """Return (paper, plan, outcome, pdf path) of the whole handout on each paper size."""
    out = tmp_path_factory.mktemp("pdf") / f"handout-{request.param}.pdf"
    outcome = handout_command.run(workbook, out, SETTINGS, paper=request.param, all_clusters=True)
    plan = handout_command.html(workbook, SETTINGS, request.param, all_clusters=True)[2]
    return request.param, plan, outcome, out


def _html(workbook, **kwargs) -> str:
    kwargs.setdefault("all_clusters", True)  # the conference is in Luxor: by default only its region
    return handout_command.html(workbook, kwargs.pop("settings", SETTINGS), **kwargs)[0]


# ----------------------------------------------------------------------------- programme


def test_programme_by_day_in_time_order_with_arabic_digits(workbook):
    html = _html(workbook).replace("\u00a0", " ")  # a title's last two words are joined by a no-break space
    day1, day2 = html.index("اليوم الأول"), html.index("اليوم الثاني")
    registration, opening, pause = html.index("التسجيل"), html.index("الجلسة الافتتاحية"), html.index("استراحة قهوة")
    assert day1 < registration < opening < pause < day2 < html.index("ورشة الاعتماد")  # 9:00 typed last
    # Each time is isolated (start on the right of its end, as Arabic reads); digits are Arabic-Indic.
    assert f'{FSI}٩:٣٠{PDI}<span class="dash">–</span>{FSI}١٠:٣٠{PDI}' in html
    assert f"{FSI}١٤:٠٥{PDI}" in html and "14:05" not in html
    assert "١٤ ديسمبر ٢٠٢٦" in html and "١٥ ديسمبر ٢٠٢٦" in html  # days dated from conference_dates
    assert '<tr class="pause">' in html
    assert f"{FSI}أ. د. سامي فريد{PDI}" in html and f"{FSI}Dr. Maria López (AECID){PDI}" in html  # speakers one by one


def test_latin_digits_keep_a_time_range_one_left_to_right_run(workbook):
    html = _html(workbook, settings=SETTINGS.with_(digits="latin"))
    assert f"{LRI}{FSI}9:30{PDI}–{FSI}10:30{PDI}{PDI}" in html
    assert not re.search("[٠-٩]", re.sub(r"<[^>]+>", "", html).split("ملاحظات")[0])


def test_programme_in_the_pdf(rendered):
    _paper, _plan, _outcome, pdf = rendered
    pages = pages_text(pdf)
    text = "\n".join(pages[1:3])
    assert "برنامج المؤتمر" in pages[1] and "اليوم الثاني" in pages[2]  # one day per page
    for title in ("التسجيل", "الجلسة الافتتاحية", "ورشة الاعتماد", "ISO 9001:2015"):
        # a title's last two words are joined by a no-break space, which pypdf reads in visual order
        assert title in text or all(word in text for word in title.split()), title
    for time in ("٩:٣٠", "١٥:٤٥"):  # pypdf puts the parts of a time in visual order; either will do
        assert time in text or ":".join(reversed(time.split(":"))) in text


def test_cover_dates_and_organisers(workbook):
    html = _html(workbook)
    assert CONFERENCE in html and "الأقصر" in html
    assert "من ١٤ إلى ١٥ ديسمبر ٢٠٢٦" in html
    assert "رجب ١٤٤٨ هـ" in html  # the Hijri dates beside them
    assert "<li>جهة التنظيم الأولى</li><li>جهة التنظيم الثانية</li>" in html


# ----------------------------------------------------------------------------- fact sheets


def test_one_fact_sheet_per_cluster_each_on_one_page(rendered):
    paper, plan, outcome, pdf = rendered
    assert len(plan.sheets) == 5
    pages = imposition.anchor_pages(pdf.read_bytes())
    anchors = [s.anchor for s in plan.sheets] + ["axes"]
    starts = [pages[a] for a in anchors]
    assert starts == list(range(starts[0], starts[0] + len(anchors))), f"{paper}: a sheet spilled over"
    pages_count = len(PdfReader(str(pdf)).pages)
    notes = pages_count - 2 - starts[-1]  # the closing page, a notes page for an even count (review 8), the back cover
    assert pages_count % 2 == 0 and notes in (0, 1)
    assert not [w for w in outcome.warnings if "runs over one page" in w.message]
    size = PdfReader(str(pdf)).pages[0].mediabox
    expected = {"A4": (210, 297), "A5": (148, 210)}[paper]
    assert (float(size.width) / MM, float(size.height) / MM) == pytest.approx(expected, abs=0.1)


def test_fact_sheets_are_bookmarked(rendered):
    _paper, plan, _outcome, pdf = rendered
    titles = outline_titles(pdf)
    assert {"برنامج المؤتمر", "بطاقات التجمعات", "محاور الاستراتيجية"} <= set(titles)
    assert isolate_latin(plan.sheets[0].name, "arabic") in titles  # as printed: in the document's digits


def test_pathological_cluster_is_shortened_at_words(rendered):
    paper, plan, _outcome, pdf = rendered
    sheet = next(s for s in plan.sheets if s.cluster.id == "EG-T-090")
    for shown, full in ((sheet.name, LONG_NAME), (sheet.products, LONG_PRODUCTS)):
        assert shown.endswith(ELLIPSIS) and len(shown) < len(full)
        kept = shown[:-1]
        assert full.startswith(kept) and full[len(kept)] in " ،"  # cut between words
    assert sheet.more_interventions > 0 and len(sheet.interventions) + sheet.more_interventions == 30
    assert all(len(i.text) < 300 for i in sheet.interventions)
    text = "\n".join(pages_text(pdf))
    assert f"و{sheet.more_interventions}" in re.sub(
        "[٠-٩]+", lambda m: m.group().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")), text
    )  # "و٢٥ تدخلا آخر"
    word = next(s for s in plan.sheets if s.cluster.id == "EG-T-091")
    assert word.products.endswith(ELLIPSIS) and len(word.products) < 2000  # one 2,000-letter word: cut


def test_more_interventions_wording(workbook):
    html = _html(workbook)
    assert re.search(f"و{FSI}[٠-٩]+{PDI} تدخلا آخر", html)


@pytest.mark.parametrize(
    "n, more, planned",
    [
        (1, "وتدخل آخر", "تدخل مخطط واحد"),
        (2, "وتدخلان آخران", "تدخلان مخططان"),
        (3, f"و{FSI}٣{PDI} تدخلات أخرى", f"{FSI}٣{PDI} تدخلات مخططة"),
        (10, f"و{FSI}١٠{PDI} تدخلات أخرى", f"{FSI}١٠{PDI} تدخلات مخططة"),
        (11, f"و{FSI}١١{PDI} تدخلا آخر", f"{FSI}١١{PDI} تدخلا مخططا"),
        (99, f"و{FSI}٩٩{PDI} تدخلا آخر", f"{FSI}٩٩{PDI} تدخلا مخططا"),
        (100, f"و{FSI}١٠٠{PDI} تدخل آخر", f"{FSI}١٠٠{PDI} تدخل مخطط"),
        (101, f"و{FSI}١٠١{PDI} تدخل آخر", f"{FSI}١٠١{PDI} تدخل مخطط"),
        (102, f"و{FSI}١٠٢{PDI} تدخل آخر", f"{FSI}١٠٢{PDI} تدخل مخطط"),
    ],
)
def test_counted_filter_in_a_template(n, more, planned):
    """The templates' `counted` filter: the noun agrees with the number, which is isolated like `num`'s."""
    from reportgen.render.formatting import Formatter
    from reportgen.render.html import environment

    env = environment(SETTINGS, Formatter())
    template = env.from_string('{{ n|counted("more_interventions") }}|{{ n|counted("planned_interventions") }}')
    assert template.render(n=n) == f"{more}|{planned}"
    assert env.from_string("{{ n|counted(forms) }}").render(
        n=n, forms={"other": "{n}!"}
    ) == f"{FSI}{n}{PDI}!".translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def test_planned_interventions_figure_counts_listed_and_left_off(rendered):
    _paper, plan, _outcome, _pdf = rendered
    for sheet in plan.sheets:
        assert sheet.planned == len(sheet.interventions) + sheet.more_interventions
    crowded = next(s for s in plan.sheets if s.cluster.id == "EG-T-090")
    assert crowded.planned == 30 and crowded.more_interventions > 0


def test_page_and_sheet_sizes_are_written_once_from_the_plan(rendered, workbook):
    """The page, cover and fact-sheet sizes the planner fits text with are the ones the CSS lays out with."""
    paper, plan, _outcome, pdf = rendered
    html = _html(workbook, paper=paper)
    values = re.search(r'<style class="values">(.*?)</style>', html, re.DOTALL).group(1)
    declared = dict(re.findall(r"(--[a-z0-9-]+): ([^;]+);", values))
    p, m, cover = plan.paper, plan.metrics, plan.cover
    assert declared["--page-width"] == f"{p.width_mm}mm" and declared["--page-height"] == f"{p.height_mm}mm"
    assert declared["--scale"] == str(p.scale) and declared["--cover-title"] == f"{cover.title_pt}pt"
    for name, value in (("body", m.body_pt), ("small-line", m.small_line), ("gap", m.gap), ("stat-h", m.stat_h)):
        assert declared[f"--sheet-{name}"] == f"{value}pt"
    page = PdfReader(str(pdf)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
        (p.width_mm * MM, p.height_mm * MM), abs=0.01
    )
    # The handout's stylesheet reads these variables; no number in it is worked out by the template.
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL).group(1)
    assert "var(--sheet-stat-h)" in style and "var(--page-width)" in style


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_headline_figures_share_the_maps_height(paper):
    from reportgen.documents.factsheet import HEADLINE_FIGURES, PAPERS, Metrics

    m = Metrics.for_paper(PAPERS[paper])
    rows = -(-HEADLINE_FIGURES // m.stat_columns)
    assert rows == (2 if paper == "A4" else 3)
    box = m.stat_h + m.stat_pad + m.stat_rule
    assert rows * box + (rows - 1) * m.gap / 2 == pytest.approx(m.facts_h)


def test_certification_status_and_brand(workbook):
    html = _html(workbook)
    assert "علامة الأقصر" in html and "شهادة سارية" in html and "شهادة مشروطة" in html  # the dossier's words
    assert f'<span class="nw">{LRI}ISO \u20609001:2015{PDI}</span>' in html  # one run, never split at its space
    assert "صالحة حتى" in html


def test_fact_sheet_free_text_keeps_latin_runs_whole_and_the_documents_digits(tmp_path):
    """Every free-text cell a fact sheet prints goes through the text-run filter (render/textruns.py)."""
    from tests.conftest import cluster_row

    mixed = "ISO 9001:2015 لعدد 150 ورشة"
    sheets = handout_sheets()
    sheets["clusters"][1] = cluster_row(1, "Luxor", sector="قطاع " + mixed, products="منتجات " + mixed)
    sheets["certifications"][1] = ["EG-T-001", "علامة " + mixed, mixed, dt.date(2026, 6, 1), "granted", None]
    sheets["certifications"][0] = sheets["certifications"][0][:6]
    html = _html(write_xlsx(tmp_path / "mixed.xlsx", sheets))
    start = html.index('<section class="fs" id="sheet-EG-T-001"')
    sheet = html[start : html.index("</section>", start)]
    kept = f'<span class="nw">{LRI}ISO \u20609001:2015{PDI}</span>'
    assert sheet.count(kept) == 4  # sector, products, brand, standard
    assert "150" not in sheet and "١٥٠" in sheet


def test_region_narrows_the_fact_sheets(workbook):
    plan = handout_command.html(workbook, SETTINGS, region="Upper Egypt")[2]
    assert {s.cluster.governorate.name_en for s in plan.sheets} == {"Luxor", "Qena"}
    assert plan.scope_label and plan.scope_label in plan.document_title
    plan = handout_command.html(workbook, SETTINGS, governorates=("دمياط",))[2]
    assert [s.cluster.id for s in plan.sheets] == ["EG-T-003"]


# ----------------------------------------------------------------------------- fitting


@hsettings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["تجمع", "الصناعات", "اليدوية", "ISO", "9001:2015", "٣٠٪", "و", "WWWW", "ـ"]),
        min_size=1,
        max_size=80,
    ),
    st.integers(min_value=1, max_value=4),
)
def test_fit_shortens_after_a_whole_word(words, max_lines):
    font = Font(("RG Naskh", "RG Latin"), 10.5)
    text = " ".join(words)
    fitted = font.fit(text, 200, max_lines)
    assert font.lines(fitted, 200) <= max_lines
    if fitted != text:
        kept = fitted.removesuffix(ELLIPSIS)
        assert fitted.endswith(ELLIPSIS) and text.startswith(kept)
        if len(kept) > 0 and " " in text[: len(kept) + 1]:
            assert text[len(kept)] == " " or kept.endswith(tuple(words))


# ----------------------------------------------------------------------------- print


def test_bleed_boxes_and_crop_marks(workbook, tmp_path):
    out = tmp_path / "press.pdf"
    handout_command.run(workbook, out, SETTINGS, bleed_mm=3)
    bleed, slug = 3 * MM, imposition.SLUG_MM * MM
    for page in PdfReader(str(out)).pages:
        trim, box, media = page.trimbox, page.bleedbox, page.mediabox
        assert (float(trim.left), float(trim.bottom)) == pytest.approx((0, 0), abs=0.01)
        assert (float(trim.width), float(trim.height)) == pytest.approx((210 * MM, 297 * MM), abs=0.01)
        assert float(box.width) == pytest.approx(float(trim.width) + 2 * bleed, abs=0.01)
        assert float(box.left) == pytest.approx(-bleed, abs=0.01)
        assert float(media.width) == pytest.approx(float(box.width) + 2 * slug, abs=0.01)  # room for the marks
        assert float(media.left) == pytest.approx(-bleed - slug, abs=0.01)
    html = _html(workbook, bleed_mm=3)
    assert "bleed: 3mm;" in html and "marks: crop" not in html and "@page cover { background: var(--c-brand); }" in html


def test_crop_marks_sit_outside_the_bleed_on_white(workbook, tmp_path):
    """The cover's colour fills the bleed and nothing else; the marks are drawn beyond it, in line with the trim."""
    pytest.importorskip("pypdfium2")
    import pypdfium2

    out = tmp_path / "press.pdf"
    handout_command.run(workbook, out, SETTINGS, bleed_mm=3)
    scale = 4  # pixels per point
    image = pypdfium2.PdfDocument(str(out))[0].render(scale=scale).to_pil().convert("RGB")
    slug, bleed = imposition.SLUG_MM * MM, 3 * MM
    # the media box's top-left corner is (−bleed − slug, top + bleed + slug): the trim's corner is here
    corner = round((slug + bleed) * scale)

    def at(dx_pt: float, dy_pt: float) -> tuple[int, int, int]:
        return image.getpixel((corner + round(dx_pt * scale), corner + round(dy_pt * scale)))

    brand = at(bleed / 2, bleed / 2)  # inside the bleed, outside the trim: the cover's colour
    assert brand == at(-bleed / 2, -bleed / 2) and sum(brand) < 3 * 200
    mark = imposition.MARK_OFFSET_MM * MM + bleed + imposition.MARK_LENGTH_MM * MM / 2
    assert max(at(-mark, 0)) < 230 and max(at(0, -mark)) < 230  # a (hairline) mark in line with each trim edge
    assert at(-mark, -mark) == (255, 255, 255)  # and white round it, beyond the bleed
    for dx in (-bleed / 2, -bleed + 0.5):  # nothing dark drawn over the colour in the bleed
        assert at(dx, 0.5) == brand


def test_conference_city_narrows_the_handout_by_default(workbook):
    plan = handout_command.html(workbook, SETTINGS)[2]  # the settings say the conference is in Luxor
    assert {s.cluster.governorate.region_en for s in plan.sheets} == {"Upper Egypt"}
    assert plan.scope_label == "إقليم صعيد مصر"
    every = handout_command.html(workbook, SETTINGS, all_clusters=True)[2]
    assert len(every.sheets) > len(plan.sheets) and not every.scope_label


@pytest.mark.parametrize(
    ("city", "region"),
    [("الأقصر", "Upper Egypt"), ("Luxor", "Upper Egypt"), ("صعيد مصر", "Upper Egypt"), ("شرم الشيخ", None),
     ("القاهرة", "Greater Cairo"), ("", None), ("Paris", None), ("الغردقة", "Frontier")],
)  # fmt: skip
def test_conference_region_of_a_city(city, region):
    from reportgen.documents.handout import conference_region

    assert conference_region(city) == region


def test_a_booklet_too_thick_to_saddle_stitch_is_warned_about():
    assert handout_command._too_thick(handout_command.SADDLE_STITCH_PAGES) == []
    (warning,) = handout_command._too_thick(65)
    assert not warning.is_error and "68 pages" in warning.message and "17 sheets" in warning.message


def test_no_bleed_by_default(rendered):
    _paper, _plan, _outcome, pdf = rendered
    page = PdfReader(str(pdf)).pages[0]
    assert page.mediabox == page.trimbox


# ----------------------------------------------------------------------------- errors and CLI


def test_missing_programme_is_a_clear_error(tmp_path):
    sheets = handout_sheets()
    del sheets["programme"]
    with pytest.raises(ReportgenError, match="programme.*البرنامج"):
        handout_command.html(write_xlsx(tmp_path / "w.xlsx", sheets), SETTINGS)


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, timeout=120)


def test_cli_usage_errors(workbook, tmp_path):
    result = _cli("handout", str(workbook), "-o", str(tmp_path / "x.pdf"), "--booklet", "--bleed", "3")
    assert result.returncode == 2 and "--booklet and --bleed" in result.stderr
    result = _cli("handout", str(workbook), "-o", str(tmp_path / "x.pdf"), "--paper", "A3")
    assert result.returncode == 2
    sheets = handout_sheets()
    del sheets["programme"]
    result = _cli("handout", str(write_xlsx(tmp_path / "w.xlsx", sheets)), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1 and "programme" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_written_pdf_has_metadata(rendered):
    _paper, plan, _outcome, pdf = rendered
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert reader.metadata.title == plan.document_title == CONFERENCE
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Direction"] == "/R2L"


def test_days_without_labels_dates_or_conference_settings(tmp_path):
    sheets = handout_sheets()
    sheets["settings"] = [["key", "value"]]
    sheets["programme"] = [
        ["day", "start", "title"],
        [None, dt.time(9), "أولى"],
        [dt.date(2026, 12, 15), dt.time(10), "ثانية"],
        [dt.date(2026, 12, 14), dt.time(11), "ثالثة"],
    ]
    html, _parsed, plan = handout_command.html(write_xlsx(tmp_path / "bare.xlsx", sheets), SETTINGS)
    assert [(d.label, d.date) for d in plan.days] == [
        ("اليوم الأول", None),
        ("", dt.date(2026, 12, 15)),
        ("", dt.date(2026, 12, 14)),
    ]
    assert "<h2></h2>" not in html and plan.conference and not plan.first_day


def test_long_conference_name_and_organisers_are_fitted_to_the_cover(tmp_path):
    sheets = handout_sheets()
    name = "مؤتمر " + "التجمعات والتنمية الاقتصادية في صعيد مصر " * 8
    organisers = "؛ ".join(["جهة طويلة الاسم " * 9] * 6)
    sheets["settings"] = [["key", "value"], ["conference", name], ["organization", organisers]]
    plan = handout_command.html(write_xlsx(tmp_path / "long.xlsx", sheets), SETTINGS, "A5")[2]
    assert plan.conference.endswith(ELLIPSIS) and name.startswith(plan.conference[:-1])
    assert len(plan.organisers) == 4 and all(o.endswith(ELLIPSIS) for o in plan.organisers)
    assert len(plan.running_title) < len(plan.conference)


def test_fact_sheets_place_the_cluster_in_context_and_give_way_to_interventions(rendered, workbook):
    from reportgen.commands.common import formatter_for, load_clean
    from reportgen.documents.factsheet import PAPERS, Fitter, context_facts, interventions_of

    paper, plan, _outcome, _pdf = rendered
    ordinary = next(s for s in plan.sheets if s.cluster.id == "EG-T-001")
    labels = [label for label, _value in ordinary.facts]
    assert labels[:2] == ["حجم المنشأة", "إنتاج العامل"] and "الجهات الشريكة" in labels
    busy = next(s for s in plan.sheets if s.cluster.id == "EG-T-090")  # 30 long interventions, status مخطط
    assert busy.interventions and all(i.status == "مخطط" and i.kpi == "عدد الورش" for i in busy.interventions)
    dataset = load_clean(workbook, SETTINGS).dataset
    fitter = Fitter(PAPERS[paper], formatter_for(SETTINGS))
    own, facts = interventions_of(dataset, "EG-T-090"), context_facts(dataset, busy.cluster, fitter.fmt)
    bare = fitter.sheet(busy.cluster, own, busy.certification)
    full = fitter.sheet(busy.cluster, own, busy.certification, facts)
    assert not bare.facts and len(full.interventions) >= min(3, len(bare.interventions))  # context gives way
    assert len(full.facts) < len(facts) or full.interventions == bare.interventions


@functools.cache
def _sample_handout(paper: str = "A4"):
    return handout_command.html(SAMPLES / "clusters.xlsx", SETTINGS, paper)


def _section(html: str, sheet) -> str:
    start = html.index(f'id="{sheet.anchor}"')
    return html[start : html.index("</section>", start)]


def test_national_programmes_are_printed_once_after_the_programme_not_on_every_sheet(tmp_path):
    """samples/clusters.xlsx: the national programmes not yet done, once; the sheets keep their room."""
    html, _parsed, plan = _sample_handout()
    assert plan.national and all(i.status != "منجز" for i in plan.national)  # a finished programme is not on offer
    first = plan.national[0].text
    assert re.sub(r"<[^>]+>|[\u2060\u2066-\u2069]", "", html).count(first) == 1
    assert html.index('id="national"') < html.index('id="sheets"') and html.count('id="national"') == 1
    for sheet in plan.sheets:
        assert 'class="national' not in _section(html, sheet)
    bare = [s for s in plan.sheets if not s.interventions and not s.more_interventions]
    from reportgen.documents.factsheet import NO_INTERVENTIONS

    assert bare and all(NO_INTERVENTIONS in _section(html, s) for s in bare)  # they say where to look
    # and the PDF prints it whole, in the parts too (a page reference there would come out blank)
    pdf = tmp_path / "h.pdf"
    handout_command.run(SAMPLES / "clusters.xlsx", pdf, SETTINGS)
    text = "\n".join(pages_text(pdf))
    assert text.count(NO_INTERVENTIONS.rstrip(".")) == len(bare)


def test_a_sheet_without_interventions_gives_the_cluster_before_note_lines():
    """A cluster with nothing planned of its own: its figures against its sector, its peers, its priority and
    certification fill the sheet; ruled lines take only the room left."""
    _html_text, _parsed, plan = _sample_handout()
    bare = [s for s in plan.sheets if not s.interventions and not s.more_interventions]
    m = plan.metrics
    for sheet in bare:
        labels = {label for label, _value in sheet.facts}
        assert {"التصدير", "تجمعات مماثلة", "الأولوية"} <= labels or len(sheet.facts) >= 8, labels
        assert sheet.note_lines * m.rule < 0.25 * plan.paper.content_height_pt  # was 60 %, then 30 % of the page


def test_amounts_on_a_sheet_take_the_cards_unit():
    """One convention per sheet: an intervention's budget in words of millions, as the cards, never 15000000."""
    html, _parsed, plan = _sample_handout()
    for sheet in plan.sheets:
        text = re.sub(r"<[^>]+>|[\u2066-\u2069]", "", _section(html, sheet))
        assert not re.search("[٠-٩]{1,3}(٬[٠-٩]{3}){2,}|[٠-٩]{7,}", text), sheet.cluster.id
    assert "مليون\u00a0ج.م" in html


def test_a_certificate_held_gives_its_number_and_validity_as_the_dossier_does():
    from reportgen.documents import dossier

    html, parsed, plan = _sample_handout()
    dossiers = {d.cluster.id: d for d in dossier.plan(parsed.dataset, SETTINGS).dossiers}
    held = [s for s in plan.sheets if s.certification and s.certification.outcome in ("granted", "conditional")]
    assert held
    fmt = formatter_for(SETTINGS)
    for sheet in held:
        d, box = dossiers[sheet.cluster.id], sheet.certification
        assert (box.number, box.valid_until) == (d.number, d.valid_until)
        text = re.sub(r"<[^>]+>|[\u2066-\u2069]", "", _section(html, sheet))
        assert f"رقم الشهادة {d.number}" in text and fmt.hijri(d.valid_until) in text


def test_the_running_head_does_not_say_the_region_twice():
    """The sample conference is "…في صعيد مصر" and its handout covers إقليم صعيد مصر: said once."""
    _html_text, _parsed, plan = _sample_handout()
    assert plan.scope_label == "إقليم صعيد مصر" and "صعيد مصر" in plan.conference
    assert plan.running_title == plan.conference == plan.document_title
    from reportgen.documents.common import scope

    assert scope("Upper Egypt", ("Cairo",)).places_ar == ("صعيد مصر", "القاهرة")


def test_run_warns_when_the_imposed_booklet_is_too_thick(workbook, tmp_path, monkeypatch):
    """The warning is wired to the booklet as rendered: its page count, rounded up to whole folded sheets."""
    monkeypatch.setattr(handout_command, "SADDLE_STITCH_PAGES", 4)
    outcome = handout_command.run(workbook, tmp_path / "b.pdf", SETTINGS, booklet=True, all_clusters=True)
    (warning,) = [w for w in outcome.warnings if "saddle" in w.message]
    pages = len(PdfReader(str(tmp_path / "b.pdf")).pages) * 2  # two booklet pages a side of a folded sheet
    assert f"{pages} pages" in warning.message and f"{pages // 4} sheets" in warning.message
    monkeypatch.setattr(handout_command, "SADDLE_STITCH_PAGES", 64)
    quiet = handout_command.run(workbook, tmp_path / "c.pdf", SETTINGS, booklet=True, all_clusters=True)
    assert not [w for w in quiet.warnings if "saddle" in w.message]


def test_a_conference_in_a_region_defaults_to_it(tmp_path):
    sheets = handout_sheets()
    sheets["settings"] = [row if row[0] != "city" else ["city", "صعيد مصر"] for row in sheets["settings"]]
    if not any(row[0] == "city" for row in sheets["settings"]):
        sheets["settings"].append(["city", "صعيد مصر"])
    plan = handout_command.html(write_xlsx(tmp_path / "region.xlsx", sheets), SETTINGS)[2]
    assert plan.scope_label == "إقليم صعيد مصر" and plan.sheets
    assert {s.cluster.governorate.region_en for s in plan.sheets} == {"Upper Egypt"}


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_every_context_label_fits_its_column_on_one_line(paper):
    """The fitter counts a context row as one line: its label (small bold sans) must fit the label column."""
    from reportgen.documents.factsheet import SANS, Metrics

    _html_text, _parsed, plan = _sample_handout(paper)
    m = Metrics.for_paper(plan.paper)
    font = Font(SANS, m.small_pt, bold=True)
    labels = {label for s in plan.sheets for label, _value in s.facts}
    assert len(labels) >= 10
    assert {label for label in labels if font.width(label) > m.label_w} == set()


def _cover_text(html: str) -> str:
    cover = re.search(r'<section class="cover">(.*?)</section>', html, re.DOTALL)[1]
    cover = re.sub(r'<div class="doctitle">.*?</div>', "", cover)  # the running head's text, not shown here
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>|[\u2066-\u2069]", " ", cover)).strip()


def test_cover_names_the_region_once_and_a_shared_hijri_month_once(tmp_path):
    """A title naming the conference's region is not followed by "إقليم صعيد مصر"; ٥–٦ رجب says the month once."""
    sheets = handout_sheets() | {"settings": settings_rows(conference="التجمعات والتنمية الاقتصادية في صعيد مصر")}
    html = handout_command.html(write_xlsx(tmp_path / "named.xlsx", sheets), SETTINGS)[0]
    cover = _cover_text(html)
    assert cover.count("صعيد مصر") == 1 and "إقليم" not in cover
    assert re.sub(r"\s+", " ", "من ٥ إلى ٦ رجب ١٤٤٨ هـ") in cover and cover.count("رجب") == 1
    other = _cover_text(_html(write_xlsx(tmp_path / "plain.xlsx", handout_sheets()), all_clusters=False))
    assert "إقليم صعيد مصر" in other  # a title that does not name the region: the scope is said under it


def test_hijri_range_says_a_shared_month_and_year_once():
    fmt = formatter_for(SETTINGS)
    assert fmt.hijri_range(dt.date(2026, 12, 14), dt.date(2026, 12, 15)) == "من ٥ إلى ٦ رجب ١٤٤٨ هـ"
    assert fmt.hijri_range(dt.date(2026, 12, 14)) == fmt.hijri(dt.date(2026, 12, 14))
    across = fmt.hijri_range(dt.date(2026, 12, 14), dt.date(2027, 1, 14))
    assert across.startswith("من ٥ رجب إلى ") and across.count("١٤٤٨") == 1
    assert fmt.hijri_range(dt.date(2026, 12, 14), dt.date(2027, 7, 14)).count("هـ") == 2  # two Hijri years


def test_a_sheet_without_interventions_shows_zero_like_the_other_figures(workbook):
    """Review 10 set "لا توجد تدخلات" in the tile; review 7 of issue 10 found it a bold sentence without a caption
    beside five figures, said again below: the tile shows ٠ over "تدخلات" like the others, and the list says there
    are none; the label under ٢ is the plural, not the dual that says two again; workers agree."""
    html = _html(workbook)
    stats = [_text(v) + " " + _text(label) for v, label in re.findall(
        r'<td class="fs-stat"><div class="v">(.*?)</div><div class="l">(.*?)</div>', html)]  # fmt: skip
    assert "٠ تدخلات" in stats and "لا توجد تدخلات" not in html and "لا تدخلات خاصة بهذا التجمع" in html
    assert not any(s.startswith("— ") and "تدخل" in s for s in stats)
    assert not any(s.endswith(" تدخلان") for s in stats)
    fmt = formatter_for(SETTINGS)
    assert fmt.counted(2, COUNTED["interventions_label"]) == "تدخلات"
    workers = [s for s in stats if "عامل" in s]
    fmt = formatter_for(SETTINGS)
    for s in workers:
        n = int(ascii_digits(s.split()[0]).replace("٬", ""))
        assert s.split(" ", 1)[1] == fmt.plural(n, COUNTED["workers_label"])


def test_axes_table_says_what_it_counts(workbook):
    html = _html(workbook, all_clusters=False)
    intro = _text(re.search(r'<h1 id="axes">.*?<p class="intro">(.*?)</p>', html, re.DOTALL)[1])
    assert "الأعداد للتدخلات" not in intro
    # review 10: the table counts each axis's interventions by status, and the text says so
    said = "عدد التدخلات الخاصة بتجمعات إقليم صعيد مصر: المنجز منها وقيد التنفيذ والمخطط، وعدد التجمعات التي تشملها"
    assert said in intro
    assert "كل تدخل منها لتجمع مختلف" not in intro


def test_every_pause_row_of_the_programme_is_shaded(tmp_path):
    """A pause on an even row was unshaded (the zebra rule won): each pause is drawn on the cream band."""
    pytest.importorskip("pypdfium2")
    import pypdfium2

    sheets = handout_sheets()
    lunch = ["اليوم الأول", dt.time(11, 0), dt.time(12, 0), "غداء", None, "المطعم"]  # the 4th row of day 1: even
    sheets["programme"] = [*sheets["programme"], lunch]
    out = tmp_path / "programme.pdf"
    handout_command.run(write_xlsx(tmp_path / "lunch.xlsx", sheets), out, SETTINGS)
    image = pypdfium2.PdfDocument(str(out))[1].render(scale=1).to_pil().convert("RGB")
    pixels = image.load()
    cream = [sum(pixels[x, y] == CREAM for x in range(image.width)) > image.width / 3 for y in range(image.height)]
    bands = sum(1 for y in range(1, len(cream)) if cream[y] and not cream[y - 1])
    assert bands == 2  # استراحة قهوة and غداء


def test_intro_paragraphs_never_end_with_one_word_alone(workbook):
    """ "…إن وجدت." ended a paragraph alone on its line: the last two words of every intro are joined."""
    html = _html(workbook, all_clusters=False)
    intros = [
        re.sub(r"<[^>]+>|[\u2066-\u2069]", "", p).strip()
        for p in re.findall(r'<p class="intro">(.*?)</p>', html, re.DOTALL)
    ]
    assert len(intros) >= 2
    for intro in intros:
        assert re.search("\u00a0[^ \u00a0]+$", intro.strip()), intro


def test_an_index_a_few_rows_too_long_is_set_tighter_to_stay_on_its_page(tmp_path):
    """40 fact sheets: set as usual, the index spilled a few rows (and the map credit) onto a page of their own."""
    workbook = write_xlsx(tmp_path / "forty.xlsx", handout_sheets(clusters=40))
    out = tmp_path / "forty.pdf"
    handout_command.run(workbook, out, SETTINGS, all_clusters=True)
    plan = handout_command.html(workbook, SETTINGS, "A4", all_clusters=True)[2]
    assert len(plan.sheets) == 40 and plan.index_compact
    pages = pages_text(out)
    index = next(i for i, text in enumerate(pages) if "بطاقة لكل تجمع" in text)
    assert plan.sheets[0].cluster.id in pages[index + 1]  # the first fact sheet follows the index's one page
    assert not handout_command.html(workbook, SETTINGS, "A5", all_clusters=True)[2].index_compact  # too many for A5


def test_similar_clusters_make_what_the_cluster_makes():
    """Review 8: فخار النزلة (pottery, in the broad heritage-crafts sector) listed basketry and carpets as similar;
    review 9: granite carving, Nubian jewellery and alabaster were offered basketry. Where other clusters share two
    of a cluster's products, those are the ones named (in the sample: 49 clusters); every cluster named shares a
    product or a product's word («تماثيل») with the cluster; a cluster whose products no other shares has no row."""
    from reportgen.commands.common import load_clean
    from reportgen.documents.factsheet import context_facts
    from reportgen.model.arabic import fold

    dataset = load_clean(SAMPLES / "clusters.xlsx", SETTINGS).dataset
    fmt = formatter_for(SETTINGS)
    by_name = {f"{c.name} ({c.governorate.name_ar})": c for c in dataset.clusters}

    def products(cluster):
        return {fold(term.strip()) for term in cluster.products.split("،") if term.strip()}

    def words(cluster):
        return {w.removeprefix("بال").removeprefix("ال") for term in products(cluster) for w in term.split()}

    checked = alone = 0
    for cluster in dataset.clusters:
        peers = dict(context_facts(dataset, cluster, fmt)).get("تجمعات مماثلة", "")
        named = [by_name[name] for name in peers.split("، ") if name in by_name]
        assert len(named) == len([n for n in peers.split("، ") if n]), peers  # every name read back
        for peer in named:
            assert products(peer) & products(cluster) or words(peer) & words(cluster), (cluster.name, peer.name)
        makers = [c for c in dataset.clusters if c.id != cluster.id and len(products(c) & products(cluster)) >= 2]
        if len(makers) >= 2:
            assert len(named) == 2 and all(c in makers for c in named), (cluster.id, cluster.name, peers)
            checked += 1
        alone += not named
    nazla = next(c for c in dataset.clusters if c.name == "فخار النزلة")
    assert "فخار" in dict(context_facts(dataset, nazla, fmt))["تجمعات مماثلة"]
    assert checked >= 40 and 0 < alone < 10
