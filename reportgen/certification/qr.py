"""QR codes: the only importer of segno; make a certificate's code as a PNG, and read one back.

Reading is for `verify`: the code on a dossier's page is a clean, axis-aligned image this
module made, so a small pure-Python reader suffices (no camera-grade decoder, no system
library). It checks the Reed-Solomon syndromes instead of correcting errors: a code that was
altered or damaged is reported unreadable rather than guessed at.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

ERROR_LEVEL = "m"  # 15 % of the symbol may be soiled and a phone still reads it
BORDER = 4  # quiet zone, in modules (the standard's minimum)
PIXELS_PER_MODULE = 8  # drawn with crisp edges, so the PNG stays small and sharp at any size

Matrix = list[list[bool]]  # rows of modules, True = dark


class Unreadable(ValueError):
    """Raised when a QR code cannot be read (not a QR code, damaged, or altered)."""


def png(payload: str) -> bytes:
    """Return a 1-bit PNG of the QR code for payload, with the standard quiet zone."""
    buffer = io.BytesIO()
    _symbol(payload).save(buffer, kind="png", scale=PIXELS_PER_MODULE, border=BORDER)
    return buffer.getvalue()


def matrix(payload: str) -> Matrix:
    """Return the module matrix (no quiet zone) of the QR code for payload."""
    return [[bool(v) for v in row] for row in _symbol(payload).matrix]


def _symbol(payload: str):
    import segno

    return segno.make(payload, error=ERROR_LEVEL, micro=False, boost_error=False)


# ----------------------------------------------------------------------------- image → modules


def modules_from_image(width: int, height: int, dark: Sequence[bool]) -> Matrix:
    """Return the module matrix of a QR code in an image given as row-major dark/light pixels."""
    rows = [dark[y * width : (y + 1) * width] for y in range(height)]
    dark_rows = [y for y, row in enumerate(rows) if any(row)]
    if not dark_rows:
        raise Unreadable("the image is blank")
    top, bottom = dark_rows[0], dark_rows[-1]
    left = min(row.index(True) for row in rows if any(row))
    right = max(width - 1 - row[::-1].index(True) for row in rows if any(row))
    # The top-left finder pattern starts with a run of 7 dark modules.
    run = 0
    while left + run < width and rows[top][left + run]:
        run += 1
    module = run / 7
    size = round((right - left + 1) / module) if module else 0
    if size < 21 or (size - 17) % 4 or abs((bottom - top + 1) / module - size) > 1:
        raise Unreadable("no QR code found in the image")
    pitch = (right - left + 1) / size
    return [
        [rows[int(top + (r + 0.5) * pitch)][int(left + (c + 0.5) * pitch)] for c in range(size)] for r in range(size)
    ]


# ----------------------------------------------------------------------------- modules → text


def decode(m: Matrix) -> str:
    """Return the text a QR code's module matrix carries; Unreadable if it is not intact."""
    from segno import consts

    size = len(m)
    version = (size - 17) // 4
    if size < 21 or (size - 17) % 4 or any(len(row) != size for row in m) or version > 40:
        raise Unreadable("not a QR code matrix")
    level, mask = _format(m)
    function = _function_modules(version, size)
    bits = []
    right = size - 1
    while right >= 1:
        if right == 6:
            right = 5  # the vertical timing pattern takes column 6
        upward = ((right + 1) & 2) == 0
        for vert in range(size):
            y = size - 1 - vert if upward else vert
            for x in (right, right - 1):
                if not function[y][x]:
                    bits.append(m[y][x] ^ _MASKS[mask](y, x))
        right -= 2
    codewords = [int("".join("1" if b else "0" for b in bits[i : i + 8]), 2) for i in range(0, len(bits) - 7, 8)]
    groups = consts.ECC[version][level]
    data = _deinterleave(codewords, [(g.num_total, g.num_data) for g in groups for _ in range(g.num_blocks)])
    return _segments(data, version)


def _format(m: Matrix) -> tuple[int, int]:
    """Return (segno error level, mask) from the format bits beside the top-left finder."""
    from segno import consts

    cells = [(r, 8) for r in range(6)] + [(7, 8), (8, 8), (8, 7)] + [(8, c) for c in range(5, -1, -1)]
    read = 0
    for i, (r, c) in enumerate(cells):  # cells hold bits 0..14, least significant first
        read |= m[r][c] << i
    # FORMAT_INFO lists the 32 valid words: M masks 0-7, L, H, Q (segno's level numbers 0..3).
    best = min(range(32), key=lambda i: bin(consts.FORMAT_INFO[i] ^ read).count("1"))
    if bin(consts.FORMAT_INFO[best] ^ read).count("1") > 3:
        raise Unreadable("the format information is damaged")
    level = (
        consts.ERROR_LEVEL_M,
        consts.ERROR_LEVEL_L,
        consts.ERROR_LEVEL_H,
        consts.ERROR_LEVEL_Q,
    )[best // 8]
    return level, best % 8


def _alignment_positions(version: int) -> list[int]:
    if version == 1:
        return []
    count = version // 7 + 2
    step = (version * 8 + count * 3 + 5) // (count * 4 - 4) * 2
    size = version * 4 + 17
    return [6] + sorted(size - 7 - i * step for i in range(count - 1))


def _function_modules(version: int, size: int) -> list[list[bool]]:
    """Return True for every module that carries no data (patterns, format and version info)."""
    f = [[False] * size for _ in range(size)]

    def mark(r0: int, c0: int, h: int, w: int) -> None:
        for r in range(max(r0, 0), min(r0 + h, size)):
            for c in range(max(c0, 0), min(c0 + w, size)):
                f[r][c] = True

    mark(6, 0, 1, size)  # timing patterns
    mark(0, 6, size, 1)
    for r, c in ((0, 0), (0, size - 8), (size - 8, 0)):  # finders, separators and format info
        mark(r, c, 8, 8)
    mark(8, 0, 1, 9)
    mark(0, 8, 9, 1)
    mark(8, size - 8, 1, 8)
    mark(size - 8, 8, 8, 1)
    positions = _alignment_positions(version)
    last = len(positions) - 1
    for i, r in enumerate(positions):
        for j, c in enumerate(positions):
            if (i, j) not in ((0, 0), (0, last), (last, 0)):
                mark(r - 2, c - 2, 5, 5)
    if version >= 7:
        mark(0, size - 11, 6, 3)
        mark(size - 11, 0, 3, 6)
    return f


_MASKS = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)


def _deinterleave(codewords: list[int], blocks: list[tuple[int, int]]) -> list[int]:
    """Return the data codewords after checking each block's Reed-Solomon syndromes."""
    data_parts: list[list[int]] = [[] for _ in blocks]
    ec_parts: list[list[int]] = [[] for _ in blocks]
    it = iter(codewords)
    try:
        for i in range(max(d for _, d in blocks)):
            for k, (_, d) in enumerate(blocks):
                if i < d:
                    data_parts[k].append(next(it))
        for i in range(max(t - d for t, d in blocks)):
            for k, (t, d) in enumerate(blocks):
                if i < t - d:
                    ec_parts[k].append(next(it))
    except StopIteration as exc:
        raise Unreadable("too few codewords for the version") from exc
    for data, ec in zip(data_parts, ec_parts, strict=True):
        if any(_syndromes(data + ec, len(ec))):
            raise Unreadable("the code's error-correction check fails (damaged or altered)")
    return [c for part in data_parts for c in part]


def _gf_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 512, [0] * 256
    x = 1
    for i in range(255):
        exp[i], log[x] = x, i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    for i in range(255, 512):
        exp[i] = exp[i - 255]
    return exp, log


_EXP, _LOG = _gf_tables()


def _syndromes(block: list[int], ec: int) -> list[int]:
    """Return the block's ec syndromes; all zero when the block is a valid Reed-Solomon codeword."""
    out = []
    for i in range(ec):
        s = 0
        for c in block:
            s = (_EXP[_LOG[s] + i] if s else 0) ^ c
        out.append(s)
    return out


def _segments(data: list[int], version: int) -> str:
    """Return the text of the data codewords' segments (numeric, alphanumeric, byte; ECI skipped)."""
    bits = "".join(f"{c:08b}" for c in data)
    pos = 0

    def take(n: int) -> int:
        nonlocal pos
        if pos + n > len(bits):
            raise Unreadable("a segment runs past the data")
        value = int(bits[pos : pos + n], 2) if n else 0
        pos += n
        return value

    band = 0 if version <= 9 else 1 if version <= 26 else 2
    out = bytearray()
    alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    while pos + 4 <= len(bits):
        mode = take(4)
        if mode == 0:
            break
        if mode == 1:
            n = take((10, 12, 14)[band])
            digits = ""
            while n >= 3:
                digits += f"{take(10):03d}"
                n -= 3
            if n:
                digits += f"{take(7 if n == 2 else 4):0{n}d}"
            out += digits.encode()
        elif mode == 2:
            n = take((9, 11, 13)[band])
            for _ in range(n // 2):
                v = take(11)
                out += (alnum[v // 45] + alnum[v % 45]).encode()
            if n % 2:
                out += alnum[take(6)].encode()
        elif mode == 4:
            n = take((8, 16, 16)[band])
            out += bytes(take(8) for _ in range(n))
        elif mode == 7:
            first = take(8)
            if first & 0x80:
                take(8 if not first & 0x40 else 16)
        else:
            raise Unreadable(f"unsupported segment mode {mode}")
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        return out.decode("iso-8859-1")
