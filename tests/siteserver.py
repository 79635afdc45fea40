"""Serve a built site on 127.0.0.1 the way a static host does: gzip for text, no caching
surprises. Used by the browser tests, and by hand: python tests/browser/siteserver.py DIR."""

from __future__ import annotations

import gzip
import http.server
import socket
import sys
import threading
from functools import lru_cache, partial
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")


class Handler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler plus gzip (GitHub Pages compresses too) and a 404 page."""

    protocol_version = "HTTP/1.1"

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the usual redirect to the slash URL
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
            if not path.is_file():
                self.send_error(404)
                return None
        gzipped = path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", "")
        stat = path.stat()
        body = _body(str(path), stat.st_mtime_ns, stat.st_size, gzipped)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=600")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def log_message(self, format, *args):
        pass


@lru_cache(maxsize=512)
def _body(path: str, mtime_ns: int, size: int, gzipped: bool) -> bytes:
    """A file's bytes, gzipped once rather than at every request (every browser context
    of the tests fetches the theme's bundles again); a rewritten file is read again."""
    body = Path(path).read_bytes()
    return gzip.compress(body, 6, mtime=0) if gzipped else body


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def free_port() -> socket.socket:
    """A socket bound to a free port on 127.0.0.1, kept until the server takes it over."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


class SiteServer:
    def __init__(self, root: Path, port: int = 0) -> None:
        self.httpd = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), partial(Handler, directory=str(root))
        )
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


if __name__ == "__main__":
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
    with SiteServer(Path(sys.argv[1]), port) as server:
        print(f"Serving {sys.argv[1]} on {server.url}")
        threading.Event().wait()
