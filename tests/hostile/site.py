"""A local server whose routes misbehave on purpose: one instance per test, on its own port."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.harness import LocalServer

Route = Callable[["Handler"], None]

WORDS = ("The harbour board met again on Tuesday to weigh the cost of repairs to the old sea wall, "
         "which storms have battered for three winters in a row. ")


def article_html(title: str, extra: str = "") -> str:
    paragraphs = "".join(f"<p>{WORDS * 3} Paragraph {i} of the story about {title.lower()}.</p>" for i in range(4))
    return (f"<html lang='en'><head><title>{title} | Test Times</title>"
            f"<meta property='og:title' content='{title}'></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}{extra}</article></body></html>")


@dataclass
class HostileSite:
    routes: dict[str, Route]
    base_url: str = ""
    requests: list[tuple[float, str]] = field(default_factory=list)

    def hits(self, path: str) -> list[float]:
        return [t for t, p in self.requests if p == path]


class Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.server.site
        site.requests.append((time.monotonic(), self.path))
        route = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_body(b"<html><body>not here</body></html>", status=404)
        else:
            route(self)

    def send_body(self, body: bytes | str, status: int = 200, content_type: str = "text/html; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def reset_connection(self) -> None:
        """Close with RST: what a crashing server or a middlebox looks like."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class _Server(LocalServer):
    site: HostileSite


def page(body: str | bytes, status: int = 200, content_type: str = "text/html; charset=utf-8",
         **headers: str) -> Route:
    return lambda h: h.send_body(body, status, content_type, {k.replace("_", "-"): v for k, v in headers.items()})


def redirect(location: str, status: int = 302) -> Route:
    return lambda h: h.send_body(b"", status, headers={"Location": location})


def slow(seconds: float, then: Route) -> Route:
    def route(h: Handler) -> None:
        time.sleep(seconds)
        then(h)
    return route


def sequence(*routes: Route) -> Route:
    """First request gets the first route, and so on; the last one repeats."""
    calls = iter(routes)
    last: list[Route] = [routes[-1]]

    def route(h: Handler) -> None:
        (next(calls, None) or last[0])(h)
    return route


@contextmanager
def serve(routes: dict[str, Route], host: str = "127.0.0.1") -> Iterator[HostileSite]:
    site = HostileSite(routes=routes)
    server = _Server((host, 0), Handler)
    server.site = site
    site.base_url = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
