"""`reportgen serve` without a browser: token, Host check, upload bound, temporary folder, did-you-mean."""

from __future__ import annotations

import http.client

from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.input.suggest import suggestion
from reportgen.model.problems import Problem
from tests.serving import TOKEN, serving


def test_without_the_token_every_path_is_forbidden():
    with serving() as served:
        for path in ("/", "/documents", "/verify", "/health", "/static/htmx.min.js", "/problems", "/jobs/job-1/file"):
            assert served.get(path).status == 403, path
        assert served.get("/", {"X-Reportgen-Token": "wrong"}).status == 403
        assert served.get("/?token=wrong").status == 403
        page = served.get("/", {"X-Reportgen-Token": TOKEN})
        assert page.status == 200
        assert "default-src 'self'" in page.getheader("content-security-policy")  # nothing loaded from elsewhere
        assert page.getheader("x-frame-options") == "DENY"


def test_the_token_in_the_address_becomes_a_strict_cookie_and_leaves_the_address():
    with serving() as served:
        response = served.get(f"/documents?token={TOKEN}")
        assert response.status == 303
        assert response.getheader("location") == "/documents"
        cookie = response.getheader("set-cookie")
        assert f"reportgen_token={TOKEN}" in cookie
        assert "samesite=strict" in cookie.lower() and "httponly" in cookie.lower()
        assert served.get("/documents", {"Cookie": f"reportgen_token={TOKEN}"}).status == 200


def test_another_host_name_is_refused_even_with_the_token():
    """A DNS-rebinding page reaches 127.0.0.1 under its own name: the Host header gives it away."""
    with serving() as served:
        for host in ("evil.example", "127.0.0.1.evil.example:80", "192.168.1.5"):
            assert served.get("/", {"Host": host, "X-Reportgen-Token": TOKEN}).status == 403, host
        assert served.get("/", {"Host": "localhost:1234", "X-Reportgen-Token": TOKEN}).status == 200


def test_an_upload_over_the_workbook_limit_is_refused_before_it_is_read(monkeypatch):
    from reportgen.input import container

    with serving() as served:
        host, port = served.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        connection.putrequest("POST", "/workbook")
        connection.putheader("X-Reportgen-Token", TOKEN)
        connection.putheader("HX-Request", "true")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(container.MAX_FILE_BYTES + 2 * 1024 * 1024))
        connection.endheaders()  # no body sent: the size alone is refused
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        connection.close()
        assert "50" in body and "ميجابايت" in body  # the limit, in the page's language
        assert served.session.workbook is None


def test_the_temporary_folder_is_removed_when_the_server_stops():
    with serving() as served:
        folder = served.session.folder
        served.session.place("upload")
        assert folder.is_dir()
    assert not folder.exists()


def test_serve_help_and_a_port_in_use():
    import socket

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "127.0.0.1" in result.output and "--no-browser" in result.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--no-browser", "--port", str(port)])
    assert result.exit_code == 2 and "leave --port out" in result.output


def test_did_you_mean_a_sheet_or_a_header():
    assert suggestion(Problem("unknown sheet", "Clusterz")) == "clusters / التجمعات"
    assert suggestion(Problem("unknown column", "clusters", "C1", value="Goverorate")) == "governorate / المحافظة"
    assert suggestion(Problem("unknown sheet", "Notes")) == ""  # nothing near: no guess
    # A data cell whose value looks like a header is not a header: no column is suggested for it.
    assert suggestion(Problem("bad value", "clusters", "C4", header="governorate", value="Goverorate")) == ""


def test_without_the_serve_extra_the_command_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "starlette", None)  # as if it were not installed
    for name in [m for m in sys.modules if m.startswith("starlette.") or m == "reportgen.serve.app"]:
        monkeypatch.delitem(sys.modules, name)
    import reportgen.serve

    monkeypatch.delattr(reportgen.serve, "app", raising=False)  # imported again, and failing
    from reportgen.serve import server

    def started(*args):
        raise AssertionError("the server started without Starlette")

    monkeypatch.setattr(server, "run", started)  # a regression fails here instead of serving forever
    result = CliRunner().invoke(cli, ["serve", "--no-browser"])
    assert result.exit_code == 2
    assert "pip install 'reportgen[serve]'" in result.output and "starlette" in result.output


def _post(served, path: str, fields: list[tuple[str, str]]) -> str:
    from urllib.parse import urlencode

    host, port = served.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    headers = {"X-Reportgen-Token": TOKEN, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", path, body=urlencode(fields), headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    assert response.status == 200, body
    return body


def _events(served, job_id: str) -> list[dict]:
    """Read a job's server-sent events to the end (the stream closes after "done" or "error")."""
    import json

    host, port = served.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    connection.request("GET", f"/jobs/{job_id}/events", headers={"X-Reportgen-Token": TOKEN})
    response = connection.getresponse()
    assert response.getheader("content-type").startswith("text/event-stream")
    text = response.read().decode("utf-8")
    connection.close()
    return [json.loads(line[len("data: ") :]) for line in text.splitlines() if line.startswith("data: ")]


def test_dossiers_are_generated_with_progress_naming_each_cluster_then_zipped(tmp_path):
    import io
    import re
    import zipfile

    from tests.conftest import SAMPLES

    with serving(SAMPLES / "clusters.xlsx") as served:
        page = _post(served, "/generate", [("kind", "dossiers"), ("cluster", "EG-LX-001"), ("cluster", "EG-KN-001")])
        (job_id,) = re.findall(r'data-events="/jobs/([\w-]+)/events"', page)
        events = _events(served, job_id)
        assert events[-1] == {"type": "done", "name": "dossiers.zip"}
        progress = [e for e in events if e["type"] == "progress"]
        assert [(e["done"], e["total"]) for e in progress] == [(0, 2), (1, 2), (2, 2)]
        named = [e["text"].split()[0] for e in events if e["type"] == "cluster"]
        assert sorted(named) == ["EG-KN-001", "EG-LX-001"]  # each cluster named as its dossier is done
        response = served.get(f"/jobs/{job_id}/file", {"X-Reportgen-Token": TOKEN})
        assert response.status == 200 and response.getheader("content-type") == "application/zip"
    names = sorted(zipfile.ZipFile(io.BytesIO(response.body)).namelist())
    assert names == ["dossiers/EG-KN-001.pdf", "dossiers/EG-LX-001.pdf", "dossiers/register.xlsx"]
    assert not (SAMPLES / "dossiers").exists()  # nothing beside the watched workbook


def test_a_choice_no_control_offers_is_refused_in_words():
    from tests.conftest import SAMPLES

    with serving(SAMPLES / "clusters.xlsx") as served:
        page = _post(served, "/preview", [("kind", "brief"), ("region", "Atlantis")])
        assert "إقليم غير معروف: Atlantis" in page
        page = _post(served, "/generate", [("kind", "handout"), ("booklet", "on"), ("bleed", "3")])
        assert "لا يجتمع ترتيب التدبيس وهامش النزف" in page
        assert served.session.jobs == {}


def test_the_command_serves_until_ctrl_c_then_removes_its_folder(tmp_path):
    """`reportgen serve` as a person runs it: the printed address answers; Ctrl-C stops it and cleans up."""
    import os
    import re
    import signal
    import subprocess
    import sys
    from urllib.parse import urlsplit

    from tests.conftest import SAMPLES

    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen.cli", "serve", str(SAMPLES / "clusters.xlsx"), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        printed = ""
        while not (found := re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", printed)):
            line = process.stdout.readline()  # waits for the next line the command prints
            assert line, f"no address printed: {printed!r} {process.stderr.read()!r}"
            printed += line
        address = urlsplit(found.group(0))
        assert [p.name for p in temp.iterdir()][0].startswith("reportgen-serve-")
        connection = http.client.HTTPConnection("127.0.0.1", address.port, timeout=60)
        connection.request("GET", f"/?{address.query}")
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 303 and "reportgen_token=" in response.getheader("set-cookie")
        # A progress stream open when Ctrl-C comes ends with the server, not in a traceback.
        token = {"X-Reportgen-Token": found.group(2)}
        form = {**token, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}
        connection = http.client.HTTPConnection("127.0.0.1", address.port, timeout=60)
        connection.request("POST", "/generate", body=b"kind=brief", headers=form)
        (job_id,) = re.findall(r'data-events="/jobs/([\w-]+)/events"', connection.getresponse().read().decode())
        connection.request("GET", f"/jobs/{job_id}/events", headers=token)
        stream = connection.getresponse()
        assert stream.readline().startswith(b"data: ")  # the first event: the stream is open
        process.send_signal(signal.SIGINT)
        rest, errors = process.communicate(timeout=600)  # the brief being laid out finishes its step first
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, errors
    connection.close()
    assert list(temp.iterdir()) == []  # the uploads' folder is gone, and no worker left a file behind
    assert "Traceback" not in errors and "ERROR" not in errors, errors


def test_an_upload_of_unknown_size_is_refused():
    with serving() as served:
        host, port = served.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        headers = {"X-Reportgen-Token": TOKEN, "HX-Request": "true", "Content-Type": "multipart/form-data; boundary=x"}
        connection.request("POST", "/workbook", body=iter([b"--x\r\n"]), headers=headers)  # sent in chunks
        body = connection.getresponse().read().decode("utf-8")
        connection.close()
        assert "لم يذكر الملف المرفوع حجمه" in body
        assert served.session.workbook is None


def test_pdfium_is_used_by_one_thread_at_a_time():
    """PDFium is not thread-safe: while a request thread holds a PDF open, another waits (previews, verify)."""
    import io
    import threading

    from pypdf import PdfWriter

    from reportgen.input import pdffile

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    made = io.BytesIO()
    writer.write(made)
    data = made.getvalue()
    tried: list[bool] = []

    def other() -> None:
        got = pdffile._PDFIUM.acquire(blocking=False)
        tried.append(got)
        if got:
            pdffile._PDFIUM.release()

    with pdffile.FinishedPdf(data):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert tried == [False, True]
