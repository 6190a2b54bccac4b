"""Downloads tested without the network: a fake opener, and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path


class FakeOpener:
    """Serves ``pages[url]``; raises for the first ``failures`` calls; records calls."""

    def __init__(self, pages, failures=0):
        self.pages, self.failures, self.calls = pages, failures, []

    def __call__(self, url, timeout):
        self.calls.append(url)
        if self.failures:
            self.failures -= 1
            raise OSError("connection reset (fake)")
        if url not in self.pages:
            raise OSError(f"404 {url}")
        return io.BytesIO(self.pages[url])


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free port of 127.0.0.1; yields the base URL (ending in /)."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
