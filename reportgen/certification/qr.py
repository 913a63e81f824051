"""QR codes: make a certificate's code as a PNG (segno), and read every code on a page's picture (zxing-cpp)."""

from __future__ import annotations

import io

from reportgen.input.pdffile import Bitmap

ERROR_LEVEL = "m"  # 15 % of the symbol may be soiled and a phone still reads it
BORDER = 4  # quiet zone, in modules (the standard's minimum)
PIXELS_PER_MODULE = 8  # drawn with crisp edges, so the PNG stays small and sharp at any size


def png(payload: str) -> bytes:
    """Return a 1-bit PNG of the QR code for payload, with the standard quiet zone."""
    import segno

    buffer = io.BytesIO()
    segno.make(payload, error=ERROR_LEVEL, micro=False, boost_error=False).save(
        buffer, kind="png", scale=PIXELS_PER_MODULE, border=BORDER
    )
    return buffer.getvalue()


def read_all(picture: Bitmap) -> list[str]:
    """Return the text of every intact QR code (of any QR kind) in a greyscale picture, top to bottom."""
    import zxingcpp

    view = memoryview(picture.pixels).cast("B", (picture.height, picture.width))
    # Every QR kind a phone might read, so a Micro or rMQR code drawn beside ours cannot hide from verify.
    kinds = zxingcpp.BarcodeFormats(
        [zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode, zxingcpp.BarcodeFormat.RMQRCode]
    )
    found = zxingcpp.read_barcodes(view, formats=kinds, try_rotate=True, try_invert=True)
    found.sort(key=lambda code: (code.position.top_left.y, code.position.top_left.x))
    return [code.text for code in found if code.valid]
