"""A document ending in a long table, laid out in parts of rows (output/rows.py), reads and looks as the whole."""

from __future__ import annotations

import io

import pypdf
import pypdfium2 as pdfium
import pytest

from reportgen.commands import brief
from reportgen.commands.common import pdf_job
from reportgen.output import rows
from reportgen.render.pdf import render_pdf
from tests.documents import SAMPLES, settings
from tests.test_parts import links, outline, texts

SIZE = 50  # annex rows per part: the national brief's 145 rows in three parts, each over a page


@pytest.fixture(scope="module")
def both():
    """Return (whole, parted, the parted job): the national brief laid out whole and with its annex in parts."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795046400")  # 2026-11-19: the same dates, the same bytes
        html, parsed = brief.html(SAMPLES / "clusters.xlsx", settings())
        job = rows.RowsJob(pdf_job(html, parsed.dataset, settings()), "annex", SIZE)
        assert rows.worth_parting(job), "the test needs an annex spanning several parts"
        yield render_pdf(job.whole), rows.render(job), job


def pixels(pdf: bytes) -> list[bytes]:
    document = pdfium.PdfDocument(pdf)
    return [document[i].render(scale=0.7).to_pil().tobytes() for i in range(len(document))]


def test_every_page_reads_and_looks_the_same(both):
    """Same text and same pixels on every page: the columns' widths, stripes, header and rules are the whole's."""
    whole, parted, _ = both
    assert parted is not None
    assert texts(parted) == texts(whole)
    expected, got = pixels(whole), pixels(parted)
    assert len(got) == len(expected) > 4
    for number, (a, b) in enumerate(zip(expected, got, strict=True), start=1):
        assert a == b, f"page {number}"


def test_the_annex_runs_over_several_pages_with_folios_and_running_heads(both):
    _, parted, _ = both
    pages = texts(parted)
    annex = [n for n, text in enumerate(pages) if "ملحق" in text]
    assert len(annex) >= 3  # the running head names the annex on each of its pages
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    for number in annex:
        folio = "".join(pages[number].split()[-4:])
        assert str(number + 1).translate(arabic) in folio and str(len(pages)).translate(arabic) in folio


def test_outline_links_destinations_and_metadata_are_the_whole_documents(both):
    whole, parted, _ = both
    a, b = pypdf.PdfReader(io.BytesIO(whole)), pypdf.PdfReader(io.BytesIO(parted))
    assert outline(b) == outline(a) and outline(a)
    assert links(b) == links(a) and links(a)
    assert {k: b.get_destination_page_number(v) for k, v in b.named_destinations.items()} == {
        k: a.get_destination_page_number(v) for k, v in a.named_destinations.items()
    }
    assert b.metadata == a.metadata
    assert b.trailer["/ID"][0] == a.trailer["/ID"][0]  # the permanent identifier (the second is per version)
    assert [p.mediabox for p in b.pages] == [p.mediabox for p in a.pages]
    assert b.trailer["/Root"]["/ViewerPreferences"] == a.trailer["/Root"]["/ViewerPreferences"]


def test_the_same_bytes_on_every_run(both):
    _, parted, job = both
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795046400")
        assert rows.render(job) == parted


def test_parts_shorter_than_a_page_are_refused(both):
    """A part whose rows end on the page they start on cannot hand the next part a page: laid out whole."""
    _, _, job = both
    assert rows.render(rows.RowsJob(job.whole, "annex", 10)) is None


def test_a_document_without_the_table_is_not_parted(both):
    _, _, job = both
    assert not rows.worth_parting(rows.RowsJob(job.whole, "no-such-table", SIZE))
    assert rows.render(rows.RowsJob(job.whole, "no-such-table", SIZE)) is None
