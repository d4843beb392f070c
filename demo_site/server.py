"""Tiny static HTTP server for the bundled demo news site ("The Harbour Gazette").

Standard library only.  Serves the files under ``demo_site/www`` (or any other
folder given as ``root``) with a few rules that make the site behave like a
real news site on whatever port it happens to run:

* ``{{BASE_URL}}`` in text responses (.html, .htm, .xml, .txt, .rss, .json) is
  replaced by the server's base URL (``http://127.0.0.1:PORT``).
* ``/dir/`` serves ``dir/index.html``; ``/dir`` redirects (301) to ``/dir/``.
* ``X.xml.gz`` that does not exist on disk, while ``X.xml`` does, is served as
  the gzip of the (substituted) ``X.xml`` with ``Content-Type:
  application/x-gzip`` (no ``Content-Encoding``), like real gzipped sitemaps.
* ``_status.json`` in the root maps paths to status codes
  (``{"/some/page.html": 500}``); those paths answer with that status and a
  small HTML body.  Missing files answer 404.  Any path segment starting with
  ``_`` or ``.`` (including ``_status.json`` itself) is never served (404).

Use from Python::

    from demo_site.server import start_server
    with start_server() as srv:          # port 0 = pick a free port
        print(srv.base_url)              # "http://127.0.0.1:43123"

or from the command line::

    python -m demo_site.server [--host 127.0.0.1] [--port 0] [--root DIR]
                               [--port-file FILE] [--verbose]

which prints exactly one line ``serving http://127.0.0.1:PORT`` once
listening and serves until SIGINT/SIGTERM (exit status 0).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import mimetypes
import os
import posixpath
import signal
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["DEFAULT_ROOT", "DemoServer", "start_server", "main"]

DEFAULT_ROOT = Path(__file__).resolve().parent / "www"
PLACEHOLDER = b"{{BASE_URL}}"
STATUS_FILE = "_status.json"

TEXT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}
OTHER_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".gz": "application/x-gzip",
}


def _content_type(path: Path, body: bytes) -> str:
    ext = path.suffix.lower()
    if ext == ".xml" and b"<rss" in body[:500]:
        return "application/rss+xml"
    if ext in TEXT_TYPES:
        return TEXT_TYPES[ext]
    if ext in OTHER_TYPES:
        return OTHER_TYPES[ext]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def _error_page(code: int, message: str = "") -> bytes:
    try:
        phrase = HTTPStatus(code).phrase
    except ValueError:
        phrase = "Error"
    text = f"{code} {phrase}"
    detail = html.escape(message) if message else "The page could not be served."
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{text} | The Harbour Gazette</title></head>"
        f"<body><h1>{text}</h1><p>{detail}</p>"
        "<p><a href=\"/\">Back to the front page</a></p></body></html>\n"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "HarbourGazetteDemo/1.0"
    protocol_version = "HTTP/1.1"

    # ------------------------------------------------------------------ utils
    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} - - [{self.log_date_time_string()}] {format % args}\n")

    def _send(self, code: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_error_page(self, code: int, message: str = "") -> None:
        self._send(code, _error_page(code, message), "text/html; charset=utf-8")

    def _substitute(self, data: bytes) -> bytes:
        return data.replace(PLACEHOLDER, self.server.base_url.encode("ascii"))

    # --------------------------------------------------------------- routing
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        self.server.requested.append(self.path)
        split = urlsplit(self.path)
        raw_path = split.path or "/"
        url_path = unquote(raw_path)
        if not url_path.startswith("/"):
            url_path = "/" + url_path

        # Status overrides win over everything else.
        overrides = self.server.load_status_overrides()
        if url_path in overrides:
            code = overrides[url_path]
            self._send_error_page(code, f"Status override for {url_path}")
            return

        norm = posixpath.normpath(url_path)
        parts = [p for p in norm.split("/") if p]
        if any(p.startswith((".", "_")) or p == ".." for p in parts) or "\x00" in norm:
            self._send_error_page(404, "Not found")
            return

        root = self.server.root
        fs_path = root.joinpath(*parts) if parts else root
        try:
            fs_path.resolve().relative_to(root.resolve())
        except ValueError:
            self._send_error_page(404, "Not found")
            return

        if fs_path.is_dir():
            if not url_path.endswith("/"):
                location = self.server.base_url + raw_path + "/"
                if split.query:
                    location += "?" + split.query
                self._send(
                    301,
                    _error_page(301, f"Moved to {location}"),
                    "text/html; charset=utf-8",
                    {"Location": location},
                )
                return
            fs_path = fs_path / "index.html"

        if fs_path.is_file():
            data = fs_path.read_bytes()
            if fs_path.suffix.lower() in TEXT_TYPES:
                data = self._substitute(data)
            self._send(200, data, _content_type(fs_path, data))
            return

        # X.xml.gz generated on the fly from X.xml
        if fs_path.name.endswith(".xml.gz"):
            source = fs_path.with_name(fs_path.name[: -len(".gz")])
            if source.is_file():
                data = gzip.compress(self._substitute(source.read_bytes()), mtime=0)
                self._send(200, data, "application/x-gzip")
                return

        self._send_error_page(404, "Not found")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, root: Path, verbose: bool = False):
        self.root = Path(root).resolve()
        self.verbose = verbose
        self.base_url = ""
        self.requested: list[str] = []  # every GET path, in order: tests check what a crawl fetched
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address):
        # a client that went away mid-answer (a crawl stopped or killed) is no server fault: no traceback
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def load_status_overrides(self) -> dict:
        status_file = self.root / STATUS_FILE
        try:
            raw = json.loads(status_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): int(v) for k, v in raw.items()}


class DemoServer:
    """A running demo server (see :func:`start_server`)."""

    def __init__(self, httpd: _HTTPServer, thread: threading.Thread):
        self._httpd = httpd
        self._thread = thread
        self._closed = False
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """e.g. ``"http://127.0.0.1:43123"`` (no trailing slash)."""
        return self._httpd.base_url

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def host(self) -> str:
        return self.base_url.split("//", 1)[1].rsplit(":", 1)[0]

    @property
    def root(self) -> Path:
        return self._httpd.root

    @property
    def requested(self) -> list[str]:
        """Paths of every GET request served so far, in order (query strings included)."""
        return self._httpd.requested

    def url(self, path: str = "/") -> str:
        """Absolute URL for a site path (``srv.url("/world/")``)."""
        if not path.startswith("/"):
            path = "/" + path
        return self.base_url + path

    def shutdown(self) -> None:
        """Stop serving and close the listening socket (idempotent)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    close = shutdown

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()

    def __repr__(self) -> str:
        return f"<DemoServer {self.base_url} root={str(self.root)!r}>"


def start_server(
    root: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    verbose: bool = False,
) -> DemoServer:
    """Start serving ``root`` (default: ``demo_site/www``) in a daemon thread."""
    root_path = Path(root) if root is not None else DEFAULT_ROOT
    if not root_path.is_dir():
        raise FileNotFoundError(f"demo site root not found: {root_path}")
    httpd = _HTTPServer((host, port), root_path, verbose=verbose)
    bound_port = httpd.server_address[1]
    url_host = host if host not in ("", "0.0.0.0", "::") else "127.0.0.1"
    httpd.base_url = f"http://{url_host}:{bound_port}"
    thread = threading.Thread(
        target=httpd.serve_forever,
        kwargs={"poll_interval": 0.2},
        name=f"demo-site-{bound_port}",
        daemon=True,
    )
    thread.start()
    return DemoServer(httpd, thread)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo_site.server",
        description="Serve The Harbour Gazette demo news site.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--root", type=Path, default=None, help="site folder (default: demo_site/www)")
    parser.add_argument("--port-file", type=Path, default=None,
                        help="write the base URL to this file once listening")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    srv = start_server(args.root, host=args.host, port=args.port, verbose=args.verbose)
    try:
        if args.port_file is not None:
            tmp = args.port_file.with_name(args.port_file.name + ".tmp")
            tmp.write_text(srv.base_url, encoding="utf-8")
            os.replace(tmp, args.port_file)
        sys.stdout.write(f"serving {srv.base_url}\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        srv.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
