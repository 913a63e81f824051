"""uvicorn (the only importer): the app served on 127.0.0.1, on a socket bound before the browser is told of it."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator

HOST = "127.0.0.1"  # never another interface: nothing is reachable from another machine


def bind(port: int = 0) -> socket.socket:
    """Return a listening socket on 127.0.0.1:port (0: a free port the system chooses)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)  # connections wait here until uvicorn accepts them: the address works as soon as it is printed
    return sock


def _server(app, stopping: Callable[[], None]):
    import uvicorn

    class Server(uvicorn.Server):
        async def shutdown(self, sockets=None) -> None:
            stopping()  # open progress streams end now, so that shutting down waits for no one
            await super().shutdown(sockets)

    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, timeout_graceful_shutdown=5)
    return Server(config)


def run(app, sock: socket.socket, stopping: Callable[[], None]) -> None:
    """Serve app on sock until interrupted (Ctrl-C or SIGTERM: stopping() is called, then uvicorn shuts down)."""
    _server(app, stopping).run(sockets=[sock])


@contextlib.contextmanager
def in_thread(app, stopping: Callable[[], None], port: int = 0) -> Iterator[str]:
    """Serve app from a thread while the block runs (the browser tests); yield its base URL."""
    sock = bind(port)
    server = _server(app, stopping)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
