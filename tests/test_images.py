"""The logo's header read by reportgen agrees with Pillow's; too many pixels or a mislabelled file is refused."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from reportgen.input import images


def _image(fmt: str, size: tuple[int, int], **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save)
    return out.getvalue()


@pytest.mark.parametrize("size", [(1, 1), (640, 480), (123, 4567), (4000, 4000)])
@pytest.mark.parametrize(
    ("fmt", "suffix", "save"),
    [
        ("PNG", ".png", {}),
        ("GIF", ".gif", {}),
        ("JPEG", ".jpg", {}),
        ("JPEG", ".jpeg", {"progressive": True}),
        ("JPEG", ".jpg", {"exif": b"Exif\x00\x00" + bytes(5000)}),
    ],
)
def test_header_sizes_agree_with_pillow(tmp_path, fmt, suffix, save, size):
    path = tmp_path / f"logo{suffix}"
    path.write_bytes(_image(fmt, size, **save))
    with Image.open(path) as oracle:
        expected = oracle.size
    kind, width, height = images._dimensions(path.read_bytes()[:65536], path)
    assert (kind, (width, height)) == (fmt, expected)
    images.check_logo(path)  # within the limits


@pytest.mark.parametrize(("fmt", "suffix"), [("PNG", ".png"), ("GIF", ".gif"), ("JPEG", ".jpg")])
def test_too_many_pixels_is_refused(tmp_path, fmt, suffix):
    path = tmp_path / f"logo{suffix}"
    path.write_bytes(_image(fmt, (4001, 4000)))
    with pytest.raises(images.BadImage, match="4,001 × 4,000 pixels, over the limit of 16 million"):
        images.check_logo(path)


def test_a_file_whose_name_lies_is_refused(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(_image("JPEG", (10, 10)))
    with pytest.raises(images.BadImage, match=r"named \.png but holds JPEG"):
        images.check_logo(path)


def test_a_jpeg_without_frame_header_is_refused(tmp_path):
    path = tmp_path / "logo.jpg"
    path.write_bytes(_image("JPEG", (10, 10))[:20])
    with pytest.raises(images.BadImage, match="damaged JPEG"):
        images.check_logo(path)


def test_svg_uses_are_expanded_as_drawn(tmp_path):
    def svg(levels: int, fan: int) -> str:
        parts = ['<g id="l0"><rect/></g>']
        for n in range(1, levels + 1):
            parts.append(f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * fan + "</g>")
        return f'<svg xmlns="http://www.w3.org/2000/svg"><defs>{"".join(parts)}</defs><use href="#l{levels}"/></svg>'

    path = tmp_path / "logo.svg"
    path.write_text(svg(3, 12), encoding="utf-8")  # about 11,000 elements counted (<defs> too): accepted
    images.check_logo(path)
    path.write_text(svg(4, 12), encoding="utf-8")  # about 80,000: refused
    with pytest.raises(images.BadImage, match="more than 20,000 elements"):
        images.check_logo(path)
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg"><g id="a"><use href="#a"/></g></svg>', encoding="utf-8")
    images.check_logo(path)  # a use of its own group draws nothing more


def test_a_logo_over_10_mb_is_refused_unread(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(_image("PNG", (10, 10)))
    with path.open("r+b") as fh:
        fh.truncate(12 * 1_048_576)  # sparse: costs no disk
    with pytest.raises(images.BadImage, match="the logo file is 12 MB, over the 10 MB limit"):
        images.check_logo(path)


def test_an_svg_logo_over_1_mb_is_refused(tmp_path):
    path = tmp_path / "logo.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg">' + " " * 1_048_576 + "</svg>", encoding="utf-8")
    with pytest.raises(images.BadImage, match="the SVG logo is 1,024 KB, over the 1,024 KB limit"):
        images.check_logo(path)
