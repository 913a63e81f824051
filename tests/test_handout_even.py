"""Review 8: a plain handout printed on both sides ends on a verso: an even page count, a notes page when needed."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen.commands import handout as handout_command
from reportgen.commands.common import pdf_job
from reportgen.model.arabic import ascii_digits
from reportgen.render.pdf import pages_of
from reportgen.settings import Settings
from tests.conftest import SAMPLES
from tests.helpers_handout import write_handout_workbook
from tests.pdftext import pages_text

SETTINGS = Settings(today=dt.date(2026, 11, 19))
FOLIO = re.compile(r"صفحة ([٠-٩]+) من ([٠-٩]+)")


def _check_even(pdf: Path) -> list[str]:
    """Assert what a printer of the handout checks: an even page count, the back cover last (a verso), each folio
    its page's number of the true total, each fact sheet's link landing on its sheet. Return the pages' text."""
    text = pages_text(pdf)
    total = len(text)
    assert total % 2 == 0, f"{pdf.name}: {total} pages"
    assert "تنظيم" in text[-1] and not FOLIO.search(text[-1])  # the back cover: its organisers, no folio
    folios = {number: FOLIO.search(page) for number, page in enumerate(text, start=1)}
    printed = {number: tuple(int(ascii_digits(g)) for g in m.groups()) for number, m in folios.items() if m}
    assert len(printed) > total / 2
    assert all(found == (number, total) for number, found in printed.items()), printed
    reader = PdfReader(str(pdf))
    sheets = {str(name): reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()}
    ids = {name: name.removeprefix("sheet-") for name in sheets if name.startswith("sheet-")}
    assert ids and all(cluster in text[sheets[name]] for name, cluster in ids.items())
    return text


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_the_sample_handout_has_an_even_page_count_and_ends_on_its_back_cover(paper, tmp_path):
    """The sample (46 fact sheets: laid out in parts) had 53 pages on A4, the back cover on a recto."""
    out = tmp_path / "handout.pdf"
    handout_command.run(SAMPLES / "clusters.xlsx", out, SETTINGS, paper=paper)
    text = _check_even(out)
    closing = [n for n, page in enumerate(text) if "لمزيد من المعلومات" in page]
    notes = [n for n, page in enumerate(text) if page.strip() == "ملاحظات"]
    # the closing page, a notes page only when the pages would otherwise be odd, then the back cover
    assert closing == [len(text) - 2 - len(notes)] and notes in ([], [len(text) - 2])
    if paper == "A4":
        assert notes, "the A4 sample lays out to 53 pages: one page for notes makes 54"


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_short_handout_laid_out_whole_gets_a_notes_page_before_its_back_cover(paper, tmp_path):
    workbook = write_handout_workbook(tmp_path / "three.xlsx", clusters=3)
    render, parsed, _plan, svgs = handout_command.prepare(
        workbook, SETTINGS, paper, all_clusters=True, inline_maps=False
    )
    odd = pages_of(pdf_job(render(None), parsed.dataset, SETTINGS, svgs))
    assert odd % 2, "the case needs a handout that lays out to an odd page count"
    out = tmp_path / "handout.pdf"
    handout_command.run(workbook, out, SETTINGS, paper=paper, all_clusters=True)
    text = _check_even(out)
    assert len(text) == odd + 1
    assert text[-2].strip() == "ملاحظات" and "لمزيد من المعلومات" in text[-3]
    bled = tmp_path / "bled.pdf"
    handout_command.run(workbook, bled, SETTINGS, paper=paper, all_clusters=True, bleed_mm=3)
    assert len(pages_text(bled)) == odd + 1


def test_an_even_handout_is_left_as_it_is(tmp_path):
    workbook = write_handout_workbook(tmp_path / "four.xlsx", clusters=4)
    out = tmp_path / "handout.pdf"
    handout_command.run(workbook, out, SETTINGS, paper="A4", all_clusters=True)
    text = _check_even(out)
    assert not [page for page in text if page.strip() == "ملاحظات"] and "لمزيد من المعلومات" in text[-2]
