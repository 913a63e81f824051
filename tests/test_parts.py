"""A long document laid out in parts (output/chunks.py) reads, page by page, as the same document laid out whole."""

from __future__ import annotations

import io
from dataclasses import replace

import pypdf
import pypdfium2 as pdfium
import pytest

from reportgen.commands import handout
from reportgen.commands.common import pdf_job
from reportgen.output import chunks, finishing, rows
from reportgen.output.imposition import anchor_pages, booklet, crop_marks, page_count
from reportgen.render import pdf
from reportgen.render.pdf import render_pdf
from tests.documents import SAMPLES, settings

SIZE = 3  # fact sheets per part: several parts from a regional handout


@pytest.fixture(scope="module")
def both():
    """Return (whole, parted, the parted job): Upper Egypt's handout laid out whole and in parts of SIZE sheets."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795046400")  # 2026-11-19: the same dates, the same bytes
        yield _both()


def _both():
    render, parsed, plan, svgs = handout.prepare(
        SAMPLES / "clusters.xlsx", settings(), paper="A4", region="Upper Egypt", inline_maps=False
    )

    def job_for(text):
        return pdf_job(text, parsed.dataset, settings(), svgs)

    job = handout.parts(render, plan, job_for, size=SIZE)
    assert len(job.parts) >= 3, "the test needs a document spanning several parts"
    whole = render_pdf(job_for(render(None)))
    return whole, chunks.render(job), job


def texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def pixels(pdf: bytes) -> list[bytes]:
    document = pdfium.PdfDocument(pdf)
    return [document[i].render(scale=0.6).to_pil().tobytes() for i in range(len(document))]


def outline(reader) -> list[tuple[int, str, int, float, float, bool]]:
    """Every bookmark: depth, title, page, where on the page, and whether it is open."""

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                place = (round(float(item.left), 2), round(float(item.top), 2))
                yield depth, item.title, reader.get_destination_page_number(item), *place, item.get("/Count", 0) >= 0

    return list(walk(reader.outline, 0))


def destinations(reader) -> dict[str, tuple[int, float, float]]:
    """Every named destination: its page and where on it."""
    return {
        str(name): (reader.get_destination_page_number(d), round(float(d.left), 2), round(float(d.top), 2))
        for name, d in reader.named_destinations.items()
    }


def links(reader) -> list[tuple[int, list[int], str]]:
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A") or {}
            target = annotation.get("/Dest") or action.get("/D") or action.get("/URI")
            found.append((number, [round(float(v)) for v in annotation["/Rect"]], str(target)))
    return found


def test_every_page_reads_and_looks_the_same(both):
    whole, parted, _ = both
    assert parted is not None
    expected, got = texts(whole), texts(parted)
    assert len(got) == len(expected)
    for number, (a, b) in enumerate(zip(expected, got, strict=True), start=1):
        assert a == b, f"page {number}"
    for number, (a, b) in enumerate(zip(pixels(whole), pixels(parted), strict=True), start=1):
        assert a == b, f"page {number} is drawn differently"


def test_the_index_prints_each_sheets_page_laid_out_in_another_part(both):
    """The front is laid out alone: the index's numbers come from Python (each sheet one page after the front)."""
    _, parted, job = both
    pages, anchors = texts(parted), anchor_pages(parted)
    front = anchors[job.parts[0].anchors[0]]
    index = " ".join(pages[:front])
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    for number, anchor in enumerate((a for part in job.parts for a in part.anchors), start=front + 1):
        assert anchors[anchor] == number - 1 and str(number).translate(arabic) in index.split(), anchor


def test_page_numbers_and_running_heads_continue(both):
    _, parted, job = both
    pages = texts(parted)
    total = len(pages)
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    for number, text in enumerate(pages[1:-1], start=2):  # the covers (first and last page) print none
        folio = text.split()[-4:]  # the footer, last drawn: صفحة N من M (in the extractor's order)
        assert str(number).translate(arabic) in "".join(folio) and folio[-1] == str(total).translate(arabic)
    anchors = anchor_pages(parted)
    for part in job.parts:  # each part's first page: the section's running head, set in the front's pages
        assert {"بطاقات", "التجمعات"} <= set(pages[anchors[part.anchors[0]]].split()), part.anchors[0]


def test_outline_links_destinations_and_metadata_are_the_whole_documents(both):
    whole, parted, job = both
    a, b = pypdf.PdfReader(io.BytesIO(whole)), pypdf.PdfReader(io.BytesIO(parted))
    assert outline(b) == outline(a) and len(outline(a)) > SIZE
    sheets = [item for item in outline(a) if item[0] == 1 and item[2] >= anchor_pages(whole)[job.parts[0].anchors[0]]]
    assert len(sheets) == sum(len(part.anchors) for part in job.parts)  # the fact sheets: level 2, in their parts
    assert links(b) == links(a) and len(links(a)) >= 2 * len(sheets)  # the index: the name and the page number
    assert destinations(b) == destinations(a)
    assert b.metadata == a.metadata
    assert [p.mediabox for p in b.pages] == [p.mediabox for p in a.pages]
    assert b.trailer["/Root"]["/ViewerPreferences"] == a.trailer["/Root"]["/ViewerPreferences"]


def test_the_same_bytes_on_every_run(both):
    _, parted, job = both
    assert chunks.render(job) == parted


def test_a_part_longer_than_its_pages_is_refused(both):
    _, _, job = both
    first = job.parts[0]
    wrong = chunks.PartedJob(job.front, [chunks.Part(first.anchors[:-1], first.job), *job.parts[1:]], job.back)
    assert chunks.render(wrong) is None


def test_the_worker_imposes_the_parted_handout_as_the_parent_did(both, tmp_path):
    """Laid out and imposed in one worker task (output/finishing.py): the bytes the joined PDF imposed gives."""
    _, parted, job = both
    done = finishing.render(finishing.FinishingJob(job, booklet=True))
    assert done.data == booklet(parted) and done.pages == page_count(parted) > 2 * SIZE
    assert done.anchors is None  # each part laid out to one page per sheet: no sheet ran over
    written = finishing.render(finishing.FinishingJob(job, booklet=True, to=tmp_path / "booklet.pdf"))
    assert written.written and written.data is None and (tmp_path / "booklet.pdf").read_bytes() == done.data
    plain = finishing.render(finishing.FinishingJob(job, to=tmp_path / "handout.pdf"))  # joined into the file
    assert plain.written and plain.pages == page_count(parted) and (tmp_path / "handout.pdf").read_bytes() == parted
    wrong = chunks.PartedJob(job.front, [chunks.Part((*job.parts[0].anchors, "x"), job.parts[0].job)], job.back)
    assert finishing.render(finishing.FinishingJob(wrong, booklet=True)).data is None


def test_the_worker_bleeds_a_handout_laid_out_whole_and_reads_its_anchors(both):
    _, _, job = both
    alone = job.parts[1].job  # three fact sheets, laid out as a document of their own
    plain = render_pdf(alone)
    done = finishing.render(finishing.FinishingJob(alone, bleed_mm=3))
    assert done.data == crop_marks(plain, 3) and done.pages == page_count(plain) == SIZE
    assert done.anchors == anchor_pages(plain) and len(done.anchors) >= SIZE


@pytest.fixture(scope="module")
def even():
    """Return (whole, parted, odd): the handout of `both` with a notes page before its back cover (its pages would be
    odd without: a plain handout printed on both sides ends on a verso), laid out whole and in parts of SIZE sheets,
    and its page count without."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795046400")
        render, parsed, plan, svgs = handout.prepare(
            SAMPLES / "clusters.xlsx", settings(), paper="A4", region="Upper Egypt", inline_maps=False
        )

        def job_for(text):
            return pdf_job(text, parsed.dataset, settings(), svgs)

        job = handout.parts(render, plan, job_for, size=SIZE, even=True)
        yield render_pdf(job_for(render(None, notes=True))), chunks.render(job), pdf.pages_of(job_for(render(None)))


def test_a_parted_handout_made_even_reads_and_looks_as_the_whole_made_even(even, both):
    """The parts number their pages with the total the notes page makes (review 8: 53 pages, the back cover on a
    recto); the notes page goes before the back cover, after the closing page."""
    whole, parted, odd = even
    assert parted is not None and odd % 2 and page_count(both[1]) == odd
    expected, got = texts(whole), texts(parted)
    assert len(got) == len(expected) == odd + 1
    assert got == expected
    assert got[-2].strip() == "ملاحظات" and "المعلومات" in got[-3].split()
    arabic = str(odd + 1).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert all(page.split()[-1] == arabic for page in got[1:-2])  # صفحة N من M: the total with the notes page
    for number, (a, b) in enumerate(zip(pixels(whole), pixels(parted), strict=True), start=1):
        assert a == b, f"page {number} is drawn differently"
    a, b = pypdf.PdfReader(io.BytesIO(whole)), pypdf.PdfReader(io.BytesIO(parted))
    assert outline(b) == outline(a) and links(b) == links(a) and destinations(b) == destinations(a)


ROWS = 50  # index rows per part: the national handout's index of 145 clusters in three parts


@pytest.fixture(scope="module")
def national():
    """Return (whole, parted, job): every cluster's handout, its index laid out ROWS rows at a time (output/rows.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1795046400")
        render, parsed, plan, svgs = handout.prepare(
            SAMPLES / "clusters.xlsx", settings(), paper="A4", all_clusters=True, inline_maps=False
        )

        def job_for(text):
            return pdf_job(text, parsed.dataset, settings(), svgs)

        job = handout.parts(render, plan, job_for, rows=ROWS)
        yield render_pdf(job_for(render(None))), chunks.render(job), job


def test_a_long_index_laid_out_in_parts_of_rows_reads_and_looks_the_same(national):
    """The front's index in parts of rows (its page numbers and links to sheets in other parts): the whole's pages."""
    whole, parted, job = national
    assert parted is not None
    anchors = [a for part in job.parts for a in part.anchors]
    front = anchor_pages(whole)[anchors[0]]
    planned = rows.plan(rows.RowsJob(replace(job.front, targets=chunks._targets(anchors, front)), "index", ROWS))
    assert planned is not None and len(planned.parts) >= 3 and planned.pages == front  # the index is parted
    assert texts(parted) == texts(whole)
    for number, (a, b) in enumerate(zip(pixels(whole), pixels(parted), strict=True), start=1):
        assert a == b, f"page {number} is drawn differently"
    a, b = pypdf.PdfReader(io.BytesIO(whole)), pypdf.PdfReader(io.BytesIO(parted))
    assert outline(b) == outline(a)
    assert links(b) == links(a) and len(links(a)) >= 2 * len(anchors)
    assert destinations(b) == destinations(a)
    assert b.metadata == a.metadata
