"""A news site we write whose template changes between runs, on 127.0.0.1: each run is an edition with
its own new articles (listed in the sitemap with every earlier one), drawn by the current template.

Templates: ``normal``; ``byline_renamed`` (the byline's class changes); ``body_moved`` (the story goes into a
new container, the old one keeps only a short notice); ``empty`` (no sitemap, no links: a wrong site).
``missing_authors`` (0-1) leaves that share of an edition's articles without a byline (noise).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.harness import LocalServer

PER_EDITION = 12
WORDS = ("harbour council ferry timetable winter storm fishing quota school library budget bridge repair "
         "market traders festival lighthouse volunteers tide museum archive railway station").split()
SITE_CONFIG = r"""description = "The Tideford Courier, a site the health tests write"
start_urls = ["{base}/"]
article_allow = ['/\d{{4}}/\d{{2}}/\d{{2}}/[^/]+\.html$']
{extra}
[selectors]
byline = ".byline .writer-name"
body = "div.story-body > p"
"""


def paragraph(seed: int, count: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(count)).capitalize() + "."


class TemplateSite:
    def __init__(self) -> None:
        self.edition = 0
        self.template = "normal"
        self.missing_authors = 0.0
        self.rng = random.Random(23)
        self.without_byline: set[str] = set()
        self.server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def next_edition(self, template: str = "normal", missing_authors: float = 0.0) -> None:
        """A new edition: PER_EDITION new articles, drawn with ``template`` from now on."""
        self.edition += 1
        self.template = template
        for index in range(PER_EDITION):
            if self.rng.random() < missing_authors:
                self.without_byline.add(self.path(self.edition, index))

    @staticmethod
    def path(edition: int, index: int) -> str:
        return f"/2026/11/{edition:02d}/story-{edition}-{index}.html"

    def paths(self) -> list[str]:
        return [self.path(e, i) for e in range(1, self.edition + 1) for i in range(PER_EDITION)]

    def page(self, path: str) -> tuple[int, str, str]:
        if path == "/robots.txt":
            sitemap = "" if self.template == "empty" else f"Sitemap: {self.base_url}/sitemap.xml\n"
            return 200, "text/plain", f"User-agent: *\nAllow: /\n{sitemap}"
        if path == "/sitemap.xml" and self.template != "empty":
            urls = "".join(f"<url><loc>{self.base_url}{p}</loc></url>" for p in self.paths())
            return 200, "application/xml", (
                f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"{urls}</urlset>")
        if path == "/":
            links = "" if self.template == "empty" else "".join(
                f'<li><a href="{p}">Story</a></li>' for p in self.paths()[-PER_EDITION:])
            return 200, "text/html", (f"<!doctype html><html lang='en'><head><title>Tideford Courier</title></head>"
                                      f"<body><h1>Tideford Courier</h1><ul>{links}</ul></body></html>")
        if path in self.paths() and self.template != "empty":
            return 200, "text/html; charset=utf-8", self.article(path)
        return 404, "text/plain", "not found"

    def article(self, path: str) -> str:
        seed = sum(map(ord, path))
        title = f"Council {WORDS[seed % len(WORDS)]} plan number {seed} goes to a vote"
        paragraphs = "".join(f"<p>{paragraph(seed + n, 40)}</p>" for n in range(4))
        writer = f"Morwenna Penhale{seed % 7}"
        if path in self.without_byline:
            byline = ""
        elif self.template == "byline_renamed":
            byline = f'<div class="meta-strip"><span class="tag-b">{writer}</span></div>'
        else:
            byline = f'<div class="byline"><span class="writer-name">{writer}</span></div>'
        if self.template == "body_moved":
            body = ('<div class="story-body"><p>Subscribe to read the full story.</p></div>'
                    f'<section class="story-flow">{paragraphs}</section>')
        else:
            body = f'<div class="story-body">{paragraphs}</div>'
        day = path.split("/")[3]
        return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head><body>"
                f"<article><h1>{title}</h1>{byline}"
                f"<time class='published' datetime='2026-11-{day}T08:30:00+00:00'>{day} November 2026</time>"
                f"{body}</article></body></html>")


class _Handler(BaseHTTPRequestHandler):
    site: TemplateSite

    def do_GET(self) -> None:
        status, kind, text = self.site.page(self.path.split("?")[0])
        data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@contextmanager
def serve(site: TemplateSite) -> Iterator[TemplateSite]:
    handler = type("Handler", (_Handler,), {"site": site})
    site.server = LocalServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.server.shutdown()
        site.server.server_close()
        thread.join(timeout=10)
