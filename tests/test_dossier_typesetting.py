"""How the certificate and the decision letter are set, read from the finished PDF's lines (MuPDF, poppler):
the verification address whole, no word alone on a last line, honorifics with their names, every date with its
Hijri date, ordered lists numbered "١-" in every document."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pymupdf
import pytest
from markupsafe import Markup

from reportgen.render.formatting import NBSP
from reportgen.render.textruns import keep_last_two, web_address, with_honorifics
from tests.documents import SAMPLES, settings

URL = "https://certificates.example.org"
CLUSTERS = ("EG-LX-001", "EG-DK-001", "EG-C-002")  # granted, conditional (the tightest page), refused (a letter)
# A line ending with a title before a name (MuPDF gives "د." as "د" and "."): "… بقرار من د."
_ENDS_WITH_TITLE = re.compile(r"(?:^|\s)(?:أ\s?\.\s?د|د|م|أ)\s?\.$")
GREGORIAN = "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر"


@pytest.fixture(scope="module")
def dossiers():
    """Return {cluster id: (dossier plan, PDF bytes)} of the sample's granted, conditional and refused dossiers."""
    from reportgen.commands import common, issuing
    from reportgen.documents import dossier

    run = settings(verify_url=URL)
    parsed = common.load_clean(SAMPLES / "clusters.xlsx", run)
    issuing.setup(run, None)
    planned = [d for d in dossier.plan(parsed.dataset, run).dossiers if d.cluster.id in CLUSTERS]
    return {d.cluster.id: (d, issuing.render(d, SAMPLES).pdf or b"") for d in planned}


def visual_lines(pdf: bytes, page: int = 0) -> list[list[str]]:
    """Return the page's printed lines as MuPDF places its words, each right to left, a line's runs split where a
    wide gap separates them (two table columns on one baseline are two lines)."""
    rows: list[tuple[float, list[tuple[float, float, str]]]] = []
    for x0, _y0, x1, y1, word, *_ in sorted(
        pymupdf.open(stream=pdf, filetype="pdf")[page].get_text("words"), key=lambda w: (w[3], -w[0])
    ):
        if rows and abs(rows[-1][0] - y1) < 1.5:
            rows[-1][1].append((x0, x1, word))
        else:
            rows.append((y1, [(x0, x1, word)]))
    lines = []
    for _y, words in rows:
        words.sort(key=lambda w: -w[0])
        run = [words[0]]
        for before, word in zip(words, words[1:], strict=False):
            if before[0] - word[1] > 12:  # pt: more than a space apart
                lines.append([w for *_, w in run])
                run = []
            run.append(word)
        lines.append([w for *_, w in run])
    return lines


def poppler_lines(pdf: bytes) -> list[str]:
    """Return poppler's text lines (pdftotext), bidi controls removed."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    return [re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", line) for line in text.splitlines()]


# ----------------------------------------------------------------------------- the text filters themselves


def test_the_last_two_words_are_joined_in_text_and_in_markup():
    assert keep_last_two("الهيئة المصرية العامة للمواصفات والجودة").endswith(f"للمواصفات{NBSP}والجودة")
    marked = keep_last_two(Markup('<span class="label">الموقع:</span> القرنة، محافظة <b>الأقصر</b> '))
    assert marked == Markup(f'<span class="label">الموقع:</span> القرنة، محافظة{NBSP}<b>الأقصر</b> ')
    assert keep_last_two("كلمة") == "كلمة" and keep_last_two("<b>") == "&lt;b&gt;"  # plain text is escaped
    # a template's line break or a double space between the last two words is one gap, all of it joined
    assert keep_last_two(Markup("أول ثان\n      ثالث  رابع")) == Markup(f"أول ثان\n      ثالث{NBSP}رابع")
    assert keep_last_two(Markup("أول ثان\n      ثالث")) == Markup(f"أول ثان{NBSP}ثالث")


def test_honorifics_stay_with_their_names():
    text = with_honorifics("بقرار من د. نادية فؤاد، وأعضاء اللجنة أ.د. سارة كمال و م. طارق سامي، وقد أ. هبة")
    assert f"د.{NBSP}نادية" in text and f"أ.د.{NBSP}سارة" in text and f"م.{NBSP}طارق" in text
    assert "بقرار من " in text  # only the space after a title changes


def test_a_web_address_breaks_only_after_a_slash_of_its_path():
    html = str(web_address("https://certificates.example.org/verify/c/"))
    assert '<span class="nw">https://certificates.example.org</span>' in html
    assert html.count("<wbr>") == 3 and "https:/<wbr>" not in html


# ----------------------------------------------------------------------------- the rendered pages


def test_the_verification_address_is_never_split_from_its_host(dossiers):
    for cid, (_d, pdf) in dossiers.items():
        lines = [" ".join(line) for line in visual_lines(pdf)]
        holding = [line for line in lines if "https://" in line]
        assert holding, (cid, "the certificate prints its verification address")
        assert all("certificates.example.org" in line for line in holding), (cid, holding)


def test_no_short_line_of_the_certificate_ends_with_one_word_alone(dossiers):
    for cid, (d, pdf) in dossiers.items():
        alone = {line[0] for line in visual_lines(pdf) if len(line) == 1}
        texts = [d.certifying_body, d.cluster.name, d.holder_address, d.cert.scope, "تاريخ القرار والإصدار"]
        texts += ["أو اطلب من الجهة التحقق منها.", "ويحق لصاحبها استخدام العلامة المحلية"]
        last_words = {t.split()[-1] for t in texts if t and len(t.split()) > 1}
        assert not alone & last_words, (cid, sorted(alone & last_words))


def test_an_honorific_never_ends_a_line(dossiers):
    for cid, (_d, pdf) in dossiers.items():
        for page in range(len(pymupdf.open(stream=pdf, filetype="pdf"))):
            lines = [" ".join(line) for line in visual_lines(pdf, page)]
            stranded = [line for line in lines if _ENDS_WITH_TITLE.search(line)]
            assert not stranded, (cid, page + 1, stranded)


def test_every_date_on_the_certificate_has_its_hijri_date(dossiers):
    d, pdf = dossiers["EG-LX-001"]
    text = " ".join(" ".join(line) for line in visual_lines(pdf))
    gregorian = re.findall(rf"(?:{GREGORIAN})", text)
    assert len(gregorian) == 4, gregorian  # decision, effective date, validity end, audit
    assert text.count("هـ") == len(gregorian), text


# A list item's line as poppler gives it: its marker first ("-١" in visual order, or "١-"), the text right after.
_NEW_MARKER = re.compile(r"^\s*(?:-[٠-٩]+|[٠-٩]+-)(?![٠-٩])")
_OLD_MARKER = re.compile(r"^\s*(?:\.[٠-٩]+|[٠-٩]+\.)(?![٠-٩])")


def test_ordered_lists_are_numbered_with_a_dash_in_the_dossier(dossiers):
    for cid, (_d, pdf) in dossiers.items():
        lines = poppler_lines(pdf)
        assert not [line for line in lines if _OLD_MARKER.match(line)], cid
        markers = [line for line in lines if _NEW_MARKER.match(line)]
        assert len(markers) >= 5 + 5, (cid, markers)  # the rule's five steps, the five brand-use rules


@pytest.mark.parametrize("kind", ["brief", "handout"])
def test_every_documents_stylesheet_numbers_ordered_lists_with_a_dash(kind):
    """The brief and the handout have no ordered list today: one put in either is numbered ١- too."""
    from reportgen.commands import brief, handout
    from tests.layout import render

    small = SAMPLES / "small.xlsx"
    html = brief.html(small, settings())[0] if kind == "brief" else handout.html(small, settings(), paper="A5")[0]
    listed = html.replace("</body>", "<ol><li>البند الأول</li><li>البند الثاني</li><li>البند الثالث</li></ol></body>")
    lines = poppler_lines(render(kind, listed, SAMPLES).pdf)
    markers = [line for line in lines if _NEW_MARKER.match(line)]
    assert len(markers) == 3 and not [line for line in lines if _OLD_MARKER.match(line)], markers
