"""No reach outside: cell text prints as text, nothing is fetched, a logo stays in the workbook's folder.

A listener on 127.0.0.1 (a random port) records every connection while the real commands render a
workbook whose every text cell, and the user's own template, point at it; it must record none.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reportgen.cli import cli
from reportgen.commands.brief import html as brief_html
from reportgen.commands.common import load
from reportgen.settings import Settings
from tests.hostile_corpus import valid_sheets, write_xlsx

SETTINGS = Settings(today=dt.date(2026, 11, 19))
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it, in a thread."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)  # bounded accept: the thread checks for the end ten times a second
        self.port = self.sock.getsockname()[1]
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.requests.append(conn.recv(500) or b"(connected)")
                except OSError:
                    self.requests.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_the_listener_does_see_a_fetch(listener):
    """The harness itself: a real request to the listener is recorded (so an empty list means something)."""
    import time
    import urllib.request

    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{listener.port}/probe", timeout=2)
    for _ in range(50):
        if listener.requests:
            break
        time.sleep(0.05)
    assert listener.requests and listener.requests[0].startswith(b"GET /probe")


def payloads(port: int) -> list[str]:
    """Return cell texts that would fetch from the listener if anything treated them as markup."""
    url = f"http://127.0.0.1:{port}"
    return [
        f'<img src="{url}/img">',
        f'<link rel="stylesheet" href="{url}/link">',
        f"<style>@import url({url}/import); body {{ background: url({url}/bg) }}</style>",
        f'<div style="background-image: url({url}/style)">x</div>',
        f'<svg><image href="{url}/svg"/></svg>',
        f'<iframe src="{url}/iframe"></iframe>',
        f'<object data="{url}/object"></object>',
        "file:///etc/passwd",
        f"{url}/plain",
        "{{ 7*7 }}",
        "{% raw %}{{ x }}",
        "<script>alert(1)</script>",
        "a & b < c > d \" e ' f",
    ]


def hostile_workbook(folder: Path, port: int) -> Path:
    """Return a valid workbook whose every free-text cell carries one of the payloads."""
    p = payloads(port)
    sheets = valid_sheets()
    settings = dict(sheets["settings"][1:])
    settings.update(
        {"title": p[0] + " عنوان", "organization": p[1], "subtitle": p[2], "conference": p[9], "city": p[7]}
    )
    sheets["settings"] = [["key", "value"], *([k, v] for k, v in settings.items())]
    for row, text in zip(sheets["clusters"][1:], p[3:], strict=False):
        row[1], row[3], row[5] = f"تجمع {text} {p[9]}", p[8], p[10]  # name, locality, products
        row[4] = p[11] if row is sheets["clusters"][1] else row[4]  # sector (in the charts, too)
    sheets["interventions"][1][2:4] = [p[4], p[5]]
    sheets["interventions"][0] += ["kpi", "status"]
    sheets["interventions"][1] += [p[6], p[12]]
    sheets["certifications"][0] += ["scope", "lead_auditor"]
    sheets["certifications"][1] += [p[2], p[9]]
    sheets["programme"][1][3:6] = [p[0], p[4], p[9]]
    return write_xlsx(folder / "hostile.xlsx", sheets)


RENDER_ARGS = {
    "brief": ["-o", "brief.pdf"],
    "dossiers": ["-o", "dossiers", "--jobs", "1", "--unsigned"],
    "handout": ["-o", "handout.pdf"],
}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


@pytest.mark.parametrize("command", [c for c in RENDER_ARGS if c in cli.commands])
def test_cell_markup_fetches_nothing(tmp_path, listener, command):
    workbook = hostile_workbook(tmp_path, listener.port)
    r = run(command, str(workbook), *RENDER_ARGS[command], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert listener.requests == [], listener.requests
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("logo", ["http://127.0.0.1:{port}/logo.png", "//127.0.0.1:{port}/logo.png"])
def test_logo_pointing_at_the_network_is_refused_and_fetches_nothing(tmp_path, listener, logo):
    sheets = valid_sheets()
    sheets["settings"].append(["logo", logo.format(port=listener.port)])
    workbook = write_xlsx(tmp_path / "logo.xlsx", sheets)
    for command in [c for c in RENDER_ARGS if c in cli.commands]:
        r = run(command, str(workbook), *RENDER_ARGS[command], cwd=tmp_path)
        assert r.returncode == 1 and "settings!B10 (الشعار): the logo" in r.stderr, r.stderr
    assert listener.requests == []


def test_cell_markup_prints_as_text(tmp_path, listener):
    workbook = hostile_workbook(tmp_path, listener.port)
    html, _ = brief_html(workbook, SETTINGS)
    port = listener.port
    assert f"&lt;img src=&#34;http://127.0.0.1:{port}/img&#34;&gt;" in html
    assert "{{ ٧*٧ }}" in html  # printed as text (in the document's digits), never evaluated
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'<img src="http://127.0.0.1:{port}' not in html and "<script>" not in html
    assert "a &amp; b &lt; c &gt; d &#34; e &#39; f" in html


def test_user_template_reaching_out_fetches_nothing(tmp_path, listener):
    """A template may write any markup; the URL fetcher still serves only data: and our own files."""
    url = f"http://127.0.0.1:{listener.port}"
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "brief.html").write_text(
        f'<html><head><link rel="stylesheet" href="{url}/a.css"><style>@import url({url}/b.css);'
        f"@font-face {{ font-family: X; src: url({url}/font.ttf) }} body {{ background: url({url}/bg.png) }}"
        f'</style></head><body><img src="{url}/c.png"><img src="file:///etc/passwd"><img src="/etc/hostname">'
        f'<object data="{url}/d"></object><iframe src="{url}/e"></iframe><embed src="{url}/f">'
        f'<svg><image href="{url}/g.png"/><use href="file:///etc/passwd#x"/></svg>'
        f'<a href="{url}/link">a link is only an annotation</a><p style="font-family: X">نص</p></body></html>',
        encoding="utf-8",
    )
    workbook = write_xlsx(tmp_path / "good.xlsx", valid_sheets())
    r = run("brief", str(workbook), "-o", "out.pdf", "--templates", str(folder), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert listener.requests == [], listener.requests
    assert b"root:x:0:0" not in (tmp_path / "out.pdf").read_bytes()


def test_svg_logo_with_entities_and_links_fetches_nothing(tmp_path, listener):
    url = f"http://127.0.0.1:{listener.port}"
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    (tmp_path / "logo.svg").write_text(
        f'<?xml version="1.0"?><!DOCTYPE svg [{laughs}<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
        f'height="10"><image href="{url}/x.png" width="5" height="5"/><image xlink:href="file:///etc/passwd"/>'
        f"<text>&xxe;&l9;</text></svg>",
        encoding="utf-8",
    )
    sheets = valid_sheets()
    sheets["settings"].append(["logo", "logo.svg"])
    workbook = write_xlsx(tmp_path / "logo.xlsx", sheets)
    r = run("brief", str(workbook), "-o", "out.pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert listener.requests == []
    assert b"root:x:0:0" not in (tmp_path / "out.pdf").read_bytes()


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("../../etc/passwd", "the logo must be a file in the workbook's folder (or below it)"),
        ("/etc/passwd", "the logo must be a file in the workbook's folder (or below it)"),
        ("file:///etc/passwd", "not a web address"),
        ("http://127.0.0.1:9/logo.png", "not a web address"),
        ("data:image/png;base64,iVBORw0KGgo=", "not a web address"),
        ("outside-link.png", "the logo must be a file in the workbook's folder (or below it)"),
        ("linked-dir/logo.png", "the logo must be a file in the workbook's folder (or below it)"),
        ("missing.png", "the logo file does not exist beside the workbook"),
        ("notes.txt", "the logo must be a PNG, JPEG, GIF or SVG image"),
    ],
)
def test_logo_outside_the_workbook_folder_is_refused(tmp_path, logo, message):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "logo.png").write_bytes(PNG)
    folder = tmp_path / "programme"
    folder.mkdir()
    os.symlink(outside / "logo.png", folder / "outside-link.png")  # a link pointing out of the folder
    os.symlink(outside, folder / "linked-dir")
    (folder / "notes.txt").write_text("x")
    sheets = valid_sheets()
    sheets["settings"].append(["logo", logo])
    [problem] = load(write_xlsx(folder / "wb.xlsx", sheets), SETTINGS).errors
    assert problem.location == "settings!B10" and problem.header == "الشعار"
    assert message in problem.message


@pytest.mark.parametrize("logo", ["logo.png", "assets/logo.png", "inside-link.png"])
def test_logo_inside_the_folder_is_used(tmp_path, logo):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(PNG)
    (tmp_path / "logo.png").write_bytes(PNG)
    os.symlink(tmp_path / "logo.png", tmp_path / "inside-link.png")
    sheets = valid_sheets()
    sheets["settings"].append(["logo", logo])
    parsed = load(write_xlsx(tmp_path / "wb.xlsx", sheets), SETTINGS)
    assert parsed.errors == []
    html, _ = brief_html(tmp_path / "wb.xlsx", SETTINGS)
    assert 'class="logo" src="file://' in html


SECRET = b"-----BEGIN OPENSSH PRIVATE KEY----- reportgen-test-secret"


@pytest.mark.parametrize("command", ["brief", "handout", "dossiers"])
def test_template_attaches_only_declared_assets(tmp_path, command):
    """`<link rel="attachment">`, `<img>` and `<a>` to a file of the workbook's folder: nothing of it in the PDF.

    A file in the templates' own folder and the logo are declared assets and may be attached.
    """
    import pypdf

    from reportgen.settings import builtin_templates_dir

    (tmp_path / ".ssh").mkdir()
    (tmp_path / ".ssh" / "id_rsa").write_bytes(SECRET)
    (tmp_path / "notes.txt").write_bytes(SECRET)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "terms.txt").write_text("conditions of use", encoding="utf-8")
    page = (builtin_templates_dir() / "base.html").read_text(encoding="utf-8")  # every document extends it
    links = (
        '<link rel="attachment" href=".ssh/id_rsa"><link rel="attachment" href="notes.txt">'
        f'<link rel="attachment" href="{(tmp_path / "notes.txt").as_uri()}">'
        f'<link rel="attachment" href="{(folder / "terms.txt").as_uri()}"><img src="notes.txt">'
    )
    assert "</head>" in page
    (folder / "base.html").write_text(page.replace("</head>", links + "</head>", 1), encoding="utf-8")
    sheets = valid_sheets()
    workbook = write_xlsx(tmp_path / "good.xlsx", sheets)
    out = tmp_path / ("out" if command == "dossiers" else "out.pdf")
    extra = ("--unsigned",) if command == "dossiers" else ()  # what a template may attach, not signing
    r = run(command, str(workbook), "-o", str(out), "--templates", str(folder), *extra, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    pdfs = sorted(out.glob("*.pdf")) if out.is_dir() else [out]
    assert pdfs
    for pdf in pdfs:
        attached = pypdf.PdfReader(pdf).attachments
        assert all(SECRET not in data for files in attached.values() for data in files), pdf
        assert SECRET not in pdf.read_bytes()
        assert "terms.txt" in attached, attached  # the templates' own folder is declared
