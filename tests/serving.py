"""`reportgen serve` started for a test: in a thread of the test process, on a free port, with a known token."""

from __future__ import annotations

import contextlib
import http.client
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reportgen.serve import app, server
from reportgen.serve.session import Session

TOKEN = "test-token-0123456789abcdef"
READY_TRIES = 50  # /health answered within this many tries, each bounded by its own timeout


@dataclass
class Served:
    """A running server: its base URL, its session and the URL that opens it (with the token)."""

    url: str
    session: Session

    @property
    def start(self) -> str:
        return f"{self.url}/?token={TOKEN}"

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        """Return the response to a GET of path, its bytes read into .body (no cookie: headers carry the token)."""
        host, port = self.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response


def _wait_ready(served: Served) -> None:
    """Return once /health answers 200; the socket listens before the thread starts, so this is quick."""
    pause = threading.Event()
    for _ in range(READY_TRIES):
        try:
            if served.get("/health", {"X-Reportgen-Token": TOKEN}).status == 200:
                return
        except OSError:
            pass
        pause.wait(0.1)  # between tries only; readiness is what the loop waits on
    raise AssertionError(f"reportgen serve did not answer /health after {READY_TRIES} tries")


@contextlib.contextmanager
def serving(workbook: Path | None = None, language: str = "ar") -> Iterator[Served]:
    """Yield a running server; stop it and remove its temporary folder afterwards."""
    with Session.open(workbook, language, token=TOKEN) as session:
        with server.in_thread(app.create(session), session.closing.set) as url:
            served = Served(url, session)
            _wait_ready(served)
            yield served
