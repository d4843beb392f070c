"""A small news site of our own whose articles need a browser, served on 127.0.0.1 for one test.

Every article page is listed on the homepage, in the sitemap (named in robots.txt) and in the feed. Two are plain HTML; the others arrive with JavaScript
(from inline JSON, from a fetch() of a JSON file, through a client-side router), sit behind a consent
wall (a button in the page, a button in an iframe), or never become readable (a wall whose buttons
do nothing, a page whose text never stops growing). The server logs every request with whether the
browser made it (Chromium sends Sec-Fetch-Mode, Scrapy does not).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.harness import LocalServer

SENTENCES = (
    "The river ferry resumed its winter timetable on Monday after two weeks of repairs to the landing stage.",
    "Passengers waiting on the north bank said the crossing had been missed more than they expected.",
    "The operator said a second boat would join the route in spring if the council approves the new pier.",
    "Local traders reported that the market square had been quieter while the ferry was out of service.",
    "Engineers replaced four timber piles and the hand rail that the November floods had torn away.",
    "A public meeting about the future of the crossing is planned for the town hall later this month.",
)


def story(title: str) -> dict[str, object]:
    paragraphs = [" ".join(SENTENCES[i:] + SENTENCES[:i]) + f" ({title}, part {i + 1}.)" for i in range(4)]
    return {"title": title, "paragraphs": paragraphs}


def plain_page(title: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in story(title)["paragraphs"])  # type: ignore[union-attr]
    return (f"<!doctype html><html lang='en'><head><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>")


RENDER_JS = """
function render(s) {
  const root = document.getElementById('story');
  document.title = s.title;
  root.innerHTML = '<h1></h1>';
  root.querySelector('h1').textContent = s.title;
  for (const text of s.paragraphs) { const p = document.createElement('p'); p.textContent = text; root.appendChild(p); }
}
"""


def shell(title: str, script: str, extra: str = "") -> str:
    return (f"<!doctype html><html lang='en'><head><title>{title}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav>{extra}<article id='story'></article>"
            f"<script>{RENDER_JS}{script}</script></body></html>")


WALL = """
<div id='wall' style='position:fixed;inset:0;background:#fff'>
  <h2>We value your privacy</h2><p>Before you continue, choose which cookies we may use.</p>
  <button id='reject' type='button'>Reject all</button> <button id='accept' type='button'>Accept all</button>
</div>"""


def consent_page(title: str, opens: bool) -> str:
    on_click = ("document.getElementById('wall').remove(); render(STORY);" if opens else "/* the wall stays */")
    script = (f"const STORY = {json.dumps(story(title))};"
              "for (const id of ['reject', 'accept']) document.getElementById(id).addEventListener('click', () => {"
              f"  fetch('/api/consent?choice=' + id); {on_click} }});")
    return shell(title, script, extra=WALL)


CONSENT_FRAME = """<!doctype html><html><body><p>We value your privacy.</p>
<button type='button' onclick="fetch('/api/consent?choice=reject'); parent.postMessage('consent:reject', '*')">Reject all</button>
<button type='button' onclick="fetch('/api/consent?choice=accept'); parent.postMessage('consent:accept', '*')">Accept all</button>
</body></html>"""


def consent_frame_page(title: str) -> str:
    script = (f"const STORY = {json.dumps(story(title))};"
              "addEventListener('message', (e) => { if (String(e.data).startsWith('consent:')) {"
              "  document.getElementById('cmp').remove(); render(STORY); } });")
    frame = "<iframe id='cmp' src='/cmp/frame.html' style='position:fixed;inset:0;width:100%;height:100%'></iframe>"
    return shell(title, script, extra=frame)


ROUTER_SHELL = shell("Ferry News", "setTimeout(() => fetch('/api/route' + location.pathname)"
                     ".then(r => r.json()).then(render), 300);")

RESTLESS = shell("Restless Story", "let n = 0; setInterval(() => { const p = document.createElement('p');"
                 " p.textContent = 'Update ' + (n++) + ': the count goes on.';"
                 " document.getElementById('story').appendChild(p); }, 100);")

PLAIN = {"/news/2026/12/01/ferry-timetable-returns.html": "Ferry timetable returns",
         "/news/2026/12/01/market-square-reopens.html": "Market square reopens"}
RENDERED = {  # path -> title: written only with the browser
    "/news/2026/12/02/inline-json-story.html": "Pier plan drawn from inline data",
    "/news/2026/12/02/fetched-story.html": "Landing stage story fetched later",
    "/news/2026/12/03/routed-story.html": "Crossing story behind a router",
    "/news/2026/12/04/consent-button-story.html": "Council meeting behind a consent button",
    "/news/2026/12/04/consent-frame-story.html": "Timber piles behind a consent frame",
}
FAILING = {"/news/2026/12/05/wall-that-stays.html": "consent_wall",
           "/news/2026/12/05/restless-story.html": "render_timeout"}


def page_for(path: str, base: str = "") -> tuple[int, str, str]:
    """(status, content type, body) of a path; ``base``: the site's address, for sitemap and feed links."""
    html = "text/html; charset=utf-8"
    articles = [*PLAIN, *RENDERED, *FAILING]
    if path == "/":
        links = "".join(f"<li><a href='{p}'>{p}</a></li>" for p in articles)
        feed = "<link rel='alternate' type='application/rss+xml' href='/feed.xml'>"
        return 200, html, f"<!doctype html><html><head><title>Ferry News</title>{feed}</head><body><ul>{links}</ul></body></html>"
    if path == "/robots.txt":
        return 200, "text/plain", "User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n"
    if path == "/sitemap.xml":
        urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in articles)
        return 200, "application/xml", f"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
    if path == "/feed.xml":
        items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in articles)
        return 200, "application/rss+xml", f"<rss version='2.0'><channel><title>Ferry News</title>{items}</channel></rss>"
    if path in PLAIN:
        return 200, html, plain_page(PLAIN[path])
    inline_path, fetched_path, routed_path, button_path, frame_path = RENDERED
    if path == inline_path:
        data = json.dumps(story(RENDERED[path]))
        return 200, html, shell(RENDERED[path], "render(JSON.parse(document.getElementById('data').textContent));",
                                extra=f"<script type='application/json' id='data'>{data}</script>")
    if path == fetched_path:
        return 200, html, shell(RENDERED[path], "fetch('/api/stories/fetched.json').then(r => r.json()).then(render);")
    if path == "/api/stories/fetched.json":
        time.sleep(0.7)  # slower than the load event: a crawler that stops there gets the empty shell
        return 200, "application/json", json.dumps(story(RENDERED[fetched_path]))
    if path == routed_path:
        return 200, html, ROUTER_SHELL
    if path == "/api/route" + routed_path:
        return 200, "application/json", json.dumps(story(RENDERED[routed_path]))
    if path == button_path:
        return 200, html, consent_page(RENDERED[path], opens=True)
    if path == frame_path:
        return 200, html, consent_frame_page(RENDERED[path])
    if path == "/cmp/frame.html":
        return 200, html, CONSENT_FRAME
    if path == "/news/2026/12/05/wall-that-stays.html":
        return 200, html, consent_page("Wall that stays", opens=False)
    if path == "/news/2026/12/05/restless-story.html":
        return 200, html, RESTLESS
    if path.startswith("/api/consent"):
        return 204, "text/plain", ""
    return 404, html, "<html><body>not here</body></html>"


@dataclass
class RenderSite:
    base_url: str = ""
    requests: list[tuple[str, bool]] = field(default_factory=list)  # (path, made by the browser)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hits(self, path: str) -> tuple[int, int]:
        """(plain requests, browser requests) of a path."""
        with self.lock:
            browser = sum(1 for p, b in self.requests if p == path and b)
            plain = sum(1 for p, b in self.requests if p == path and not b)
        return plain, browser


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        with self.server.site.lock:
            self.server.site.requests.append((self.path, "Sec-Fetch-Mode" in self.headers))
        status, content_type, body = page_for(self.path, f"http://{self.headers['Host']}")
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(LocalServer):
    site: RenderSite


@contextmanager
def serve() -> Iterator[RenderSite]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.site = RenderSite(base_url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server.site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
