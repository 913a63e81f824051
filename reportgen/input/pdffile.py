"""Finished PDFs read back (pypdfium2, the only reader): document metadata, embedded files, pages as pictures.

A page as a PNG (`page_png`, the previews of `reportgen serve`) goes through pypdfium2's own Pillow bridge.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

DPI = 200  # a 30 mm QR code of ~45 modules gets ~5 pixels a module: plenty for a reader
MAX_SIDE = 5000  # pixels; a hostile page size cannot ask for gigabytes of bitmap


class UnreadablePdf(ValueError):
    """Raised when bytes are not a PDF pdfium can open, or a page cannot be drawn."""


@dataclass(frozen=True)
class Bitmap:
    """A greyscale picture: height rows of width bytes, 0 black to 255 white."""

    width: int
    height: int
    pixels: bytes


# PDFium is not thread-safe, not even on different documents: one thread at a time in a process may hold a
# document open (`reportgen serve` reads previews and verifies dossiers from several request threads).
_PDFIUM = threading.RLock()


class FinishedPdf:
    """An open PDF; use it as a context manager so pdfium's memory (and its lock) is given back when done."""

    def __init__(self, data: bytes) -> None:
        import pypdfium2

        _PDFIUM.acquire()
        try:
            self._doc = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as exc:
            _PDFIUM.release()
            raise UnreadablePdf(str(exc)) from None
        except BaseException:
            _PDFIUM.release()
            raise

    def __enter__(self) -> FinishedPdf:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._doc.close()
        finally:
            _PDFIUM.release()

    @property
    def page_count(self) -> int:
        """Return the number of pages."""
        return len(self._doc)

    def metadata(self) -> dict[str, str]:
        """Return the document information (Title, Author, Subject, Keywords, ...), empty values left out."""
        return self._doc.get_metadata_dict(skip_empty=True)

    def embedded_file(self, name: str) -> bytes | None:
        """Return the contents of the first embedded file called name, or None when there is none."""
        import pypdfium2

        try:
            for i in range(self._doc.count_attachments()):
                attachment = self._doc.get_attachment(i)
                if attachment.get_name() == name:
                    return bytes(attachment.get_data())
        except pypdfium2.PdfiumError as exc:  # a damaged name tree or file stream
            raise UnreadablePdf(str(exc)) from None
        return None

    def _render(self, index: int, dpi: int, grayscale: bool):
        """Return page index drawn as a viewer shows it (annotations included), at dpi bounded by MAX_SIDE."""
        import pypdfium2

        if not 0 <= index < len(self._doc):
            raise UnreadablePdf(f"the file has no page {index + 1}")
        try:
            page = self._doc[index]
            width, height = page.get_size()
            scale = min(dpi / 72, MAX_SIDE / max(width, height, 1))
            return page.render(scale=scale, grayscale=grayscale, draw_annots=True)
        except pypdfium2.PdfiumError as exc:
            raise UnreadablePdf(str(exc)) from None

    def page_bitmap(self, index: int = 0, dpi: int = DPI) -> Bitmap:
        """Return page index drawn as a viewer shows it (annotations included), in greys on white."""
        bitmap = self._render(index, dpi, grayscale=True)
        rows = memoryview(bitmap.buffer).cast("B")
        if bitmap.stride == bitmap.width:
            pixels = bytes(rows[: bitmap.width * bitmap.height])
        else:  # rows padded to a word boundary
            pixels = b"".join(rows[y * bitmap.stride : y * bitmap.stride + bitmap.width] for y in range(bitmap.height))
        return Bitmap(bitmap.width, bitmap.height, pixels)

    def page_png(self, index: int, dpi: int) -> bytes:
        """Return page index as a colour PNG at dpi (bounded by MAX_SIDE), as a viewer shows it."""
        image = self._render(index, dpi, grayscale=False).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
