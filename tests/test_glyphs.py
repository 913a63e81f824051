"""Missing glyphs: a character none of the bundled fonts draws is a located warning, an error with --strict."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from reportgen.commands.brief import html as brief_html
from reportgen.commands.common import check_glyphs, load, printed_text
from reportgen.commands.handout import html as handout_html
from reportgen.documents import dossier as dossier_doc
from reportgen.errors import InvalidWorkbook
from reportgen.fonts import coverage as glyphs
from reportgen.settings import Settings
from tests.conftest import SAMPLES
from tests.hostile_corpus import valid_sheets, write_xlsx

SETTINGS = Settings(today=dt.date(2026, 11, 19))


def test_fonts_cover_arabic_latin_digits_and_symbols():
    for char in "ابتثجحخدذرزسشصضطظعغفقكلمنهوىيءآأإؤئة٠١٢٣٤٥٦٧٨٩٫٬٪؛،؟ـAZaz09.,;:!?()%€£©–—…«»≥≤±×→":
        assert not glyphs.uncovered([char]), glyphs.describe(char)
    for char in "😀✓𝄞中ㄱ":
        assert glyphs.uncovered([char]) == {char: char}


@pytest.mark.parametrize(
    "char",
    [
        "\u2066",
        "\u2069",
        "\u200d",
        "\u200c",
        "\u200f",
        "\u00ad",
        " ",
        "\u00a0",
        "\n",
        "\t",
        "\ufe0f",
        "\ufeff",
        "\u202f",
    ],
)
def test_invisible_and_space_characters_need_no_glyph(char):
    assert not glyphs.needs_glyph(char)
    assert glyphs.uncovered([f"a{char}b"]) == {}


def test_printed_text_is_the_body_and_css_content():
    html = (
        '<html><head><title>☃</title><style>.x { color: red } .y::before { content: "☄ " counter(page) }'
        "</style><script>var s = '☂';</script></head><body><p>نص ☀</p><svg><text>☁</text></svg>"
        "<p>&#x2603; &amp;</p></body></html>"
    )
    texts = printed_text(html)
    assert "☄ " in texts and any("نص ☀" in t for t in texts) and any("☃ &" in t for t in texts)
    assert not any(c in "".join(texts) for c in "☂☁") and "☃" not in texts  # title and script skipped


def test_built_in_documents_print_only_covered_characters():
    """Every string of the templates, formatting and samples is drawn by a bundled font."""
    html, _ = brief_html(SAMPLES / "clusters.xlsx", SETTINGS)
    assert glyphs.uncovered(printed_text(html)) == {}
    html, _, _ = handout_html(SAMPLES / "small.xlsx", SETTINGS)
    assert glyphs.uncovered(printed_text(html)) == {}
    parsed = load(SAMPLES / "clusters.xlsx", SETTINGS)
    planned = dossier_doc.plan(parsed.dataset, SETTINGS, ())
    assert glyphs.uncovered(glyphs.strings_of(planned.dossiers)) == {}


@pytest.fixture
def emoji_workbook(tmp_path):
    sheets = valid_sheets()
    sheets["clusters"][1][1] = "تجمع الفخار 😀 والخزف"
    sheets["clusters"][2][1] = "تجمع 😀"
    sheets["certifications"][1][1] = "علامة 𝄞"
    return write_xlsx(tmp_path / "emoji.xlsx", sheets)


def test_missing_character_is_a_located_warning(emoji_workbook):
    html, _ = brief_html(emoji_workbook, SETTINGS)
    found = check_glyphs(printed_text(html), emoji_workbook, SETTINGS)
    assert [(p.severity, p.location) for p in found] == [("warning", "clusters!B2"), ("warning", "clusters!B3")]
    assert found[0].describe() == (
        "warning: clusters!B2: the character '😀' (U+1F600 GRINNING FACE) is in none of the bundled fonts; "
        'it would print as an empty box or in a system font, got "تجمع الفخار 😀 والخزف"'
    )


def test_strict_makes_it_an_error(emoji_workbook):
    parsed = load(emoji_workbook, SETTINGS)
    planned = dossier_doc.plan(parsed.dataset, SETTINGS, ())
    with pytest.raises(InvalidWorkbook) as caught:
        check_glyphs(glyphs.strings_of(planned.dossiers), emoji_workbook, SETTINGS.with_(strict=True))
    assert "error: certifications!B2: the character '𝄞' (U+1D11E MUSICAL SYMBOL G CLEF)" in caught.value.message


def test_character_from_a_template_is_reported_with_its_text(tmp_path):
    found = check_glyphs(["شكراً ☃ للحضور"], write_xlsx(tmp_path / "wb.xlsx", valid_sheets()), SETTINGS)
    [problem] = found
    assert problem.location == "" and "(U+2603 SNOWMAN)" in problem.message and problem.value == "شكراً ☃ للحضور"


def test_many_cells_are_counted(tmp_path):
    cells = [("clusters", f"B{i}", "x 😀") for i in range(2, 12)]
    found = glyphs.problems({"😀": "x 😀"}, lambda: cells)
    assert [p.location for p in found[:-1]] == [f"clusters!B{i}" for i in range(2, 7)]
    assert found[-1].message.endswith("; 5 more cells hold it")


def test_command_line_warns_then_strict_refuses(emoji_workbook, tmp_path):
    def run(*extra):
        return subprocess.run(
            [sys.executable, "-m", "reportgen", "brief", str(emoji_workbook), *extra],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )

    r = run("-o", "loose.pdf")
    assert r.returncode == 0, r.stderr
    assert "warning: clusters!B2: the character '😀' (U+1F600 GRINNING FACE)" in r.stderr
    r = run("-o", "strict.pdf", "--strict")
    assert r.returncode == 1 and "error: clusters!B2: the character '😀'" in r.stderr
    assert "nothing was written" in r.stderr and not (tmp_path / "strict.pdf").exists()
