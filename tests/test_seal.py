"""The body's seal from the settings: checked like the logo, printed in the seal's place, a clean space without it."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw

from reportgen.cli import cli
from reportgen.output import incremental
from reportgen.settings import Settings
from tests.helpers_dossier import dossier_sheets, make_workbook

BLUE = (20, 40, 200)


def _seal_png(path, colour=BLUE) -> None:
    """Write a round stamp of one colour no other part of the certificate uses."""
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((10, 10, 390, 390), fill=(*colour, 255))
    image.save(path, "PNG")


def _workbook(folder, seal: str | None):
    sheets = dossier_sheets()
    if seal is not None:
        sheets["settings"].append(["الختم", seal])
    return make_workbook(folder, sheets)


def _problems(workbook) -> list[str]:
    result = CliRunner().invoke(cli, ["validate", str(workbook)])
    return result.output.splitlines()


def test_a_missing_seal_is_a_located_problem(tmp_path):
    problems = _problems(_workbook(tmp_path, "ختم.png"))
    assert any("settings!B4" in p and "الختم" in p and "the seal file does not exist" in p for p in problems), problems


def test_a_seal_that_is_not_what_its_name_says_is_refused(tmp_path):
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "JPEG")
    (tmp_path / "seal.png").write_bytes(out.getvalue())
    problems = _problems(_workbook(tmp_path, "seal.png"))
    assert any("the seal is named .png but holds JPEG" in p for p in problems), problems


def test_a_seal_outside_the_workbooks_folder_is_refused(tmp_path):
    (tmp_path / "inside").mkdir()
    _seal_png(tmp_path / "seal.png")
    problems = _problems(_workbook(tmp_path / "inside", "../seal.png"))
    assert any("the seal must be a file in the workbook's folder" in p for p in problems), problems


def test_the_seal_is_part_of_what_a_dossier_is_made_from(tmp_path):
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    _seal_png(first)
    _seal_png(second, (200, 30, 30))
    settings = Settings()
    bases = {incremental.dossier_digest_base(settings, None, None, seal) for seal in (None, first, second)}
    assert len(bases) == 3


def _blue_share(pdf_path) -> float:
    """Return the share of the certificate page's lower third drawn in the seal's blue (pypdfium2 renders it)."""
    import pypdfium2

    page = pypdfium2.PdfDocument(str(pdf_path))[0]
    image = page.render(scale=72 / 72).to_pil().convert("RGB")
    width, height = image.size
    lower = image.crop((0, height * 2 // 3, width, height))
    import numpy

    rgb = numpy.asarray(lower, dtype=numpy.int16)
    blue = (rgb[..., 2] > 150) & (rgb[..., 0] < 80) & (rgb[..., 1] < 100)
    return float(blue.mean())


@pytest.mark.parametrize("with_seal", [True, False])
def test_the_seal_is_printed_in_its_place_and_nothing_stands_there_without_it(tmp_path, with_seal):
    if with_seal:
        _seal_png(tmp_path / "seal.png")
    workbook = _workbook(tmp_path, "seal.png" if with_seal else None)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["dossiers", str(workbook), "-o", str(out), "--cluster", "EG-T-001", "--jobs", "1", "--unsigned"]
    )
    assert result.exit_code == 0, result.output
    share = _blue_share(out / "EG-T-001.pdf")
    if with_seal:
        assert share > 0.005  # a 24 mm disc in the lower third of the page
    else:
        assert share == 0
    from tests.pdftext import pages_text

    assert "الختم" not in pages_text(out / "EG-T-001.pdf")[0]  # no placeholder word where a stamp goes
