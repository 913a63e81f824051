"""A document laid out, finished (imposed as a booklet, or bled) and written in one worker task.

Reading the laid-out PDF back (its named destinations, for the overflow check), imposing it with pypdf and
receiving its bytes cost reportgen's own process about 35, 180 and 50 MiB for a 1,450-cluster handout, on top
of the workbook and the plan it holds; done in the worker, after the layout has freed its pages, they do not
raise its peak. The worker writes the temporary file reportgen's process then puts in place (output.atomic).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from reportgen.output import chunks, imposition
from reportgen.render import pdf


@dataclass
class FinishingJob:
    """A document to lay out (whole or in parts), then impose as a booklet or give a bleed of bleed_mm."""

    job: pdf.PdfJob | chunks.PartedJob
    booklet: bool = False
    bleed_mm: float = 0
    to: Path | None = None  # where the worker writes the finished PDF (None: returned as bytes)
    filler: pdf.PdfJob | None = None  # a booklet's page printed in place of each blank before the back cover
    # a plain document's whole job with a notes page before its back cover, laid out instead of job when that has an
    # odd page count (a parted job carries its own: PartedJob.padded_back)
    padded: pdf.PdfJob | None = None


@dataclass
class Finished:
    """The finished PDF (neither data nor written: a part did not lay out to its given pages), what warnings need."""

    data: bytes | None
    written: bool = False  # written to the job's file (data is then None)
    pages: int = 0  # the laid-out document's pages, before imposition
    anchors: dict[str, int] | None = None  # {HTML id: 0-based page} when laid out whole; None when in parts


def render(job: FinishingJob) -> Finished:
    """Return job laid out and finished.

    A parted document's anchors are not read back: each part laid out to exactly its given pages (one per fact
    sheet, each beginning a page), or data is None.
    """
    if isinstance(job.job, chunks.PartedJob) and job.to is not None and not job.bleed_mm:
        return _parted_to_file(job, job.job, job.to)
    if isinstance(job.job, chunks.PartedJob):
        data, anchors = chunks.render(job.job), None
        if data is None:
            return Finished(None)
    else:
        data = pdf.render_pdf(job.job) if job.padded is None else pdf.render_even(job.job, job.padded)
        anchors = imposition.anchor_pages(data)
    pages = imposition.page_count(data)
    if job.booklet:
        filler = pdf.render_pdf(job.filler) if job.filler is not None and pages > 1 and pages % 4 else None
        data = imposition.booklet(data, filler)
    elif job.bleed_mm:
        data = imposition.crop_marks(data, job.bleed_mm)
    if job.to is None:
        return Finished(data, False, pages, anchors)
    job.to.write_bytes(data)
    return Finished(None, True, pages, anchors)


def _parted_to_file(job: FinishingJob, parted: chunks.PartedJob, to: Path) -> Finished:
    """Lay a parted document out into the job's file, as a booklet through a temporary file: no PDF in memory.

    A 1,500-page handout is about 24 MB, held twice (joined, then imposed) were it returned as bytes.
    """
    with tempfile.TemporaryFile() if job.booklet else to.open("w+b") as joined:
        if chunks.render(parted, joined) is None:
            return Finished(None)
        pages = imposition.page_count(joined)
        if job.booklet:
            filler = pdf.render_pdf(job.filler) if job.filler is not None and pages > 1 and pages % 4 else None
            with to.open("wb") as target:
                imposition.booklet(joined, filler, target)
    return Finished(None, True, pages, None)
