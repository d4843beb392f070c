"""WARC files for the archive tests, written with warcio from the demo site's pages."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import ROOT, TRUTH

SITE = "https://harbour.example"
WWW = ROOT / "demo_site" / "www"
HTML = "text/html; charset=utf-8"


@dataclass
class Page:
    url: str
    body: bytes
    status: int = 200
    content_type: str = HTML
    date: dt.datetime = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
    extra_headers: list[tuple[str, str]] = field(default_factory=list)


def demo_article(path: str, site: str = SITE) -> bytes:
    """A demo article page as the demo server sends it, with its links on ``site``."""
    return (WWW / path.lstrip("/")).read_bytes().replace(b"{{BASE_URL}}", site.encode())


def demo_articles(site: str = SITE, **kwargs: object) -> list[Page]:
    return [Page(site + path, demo_article(path, site), **kwargs) for path in sorted(TRUTH["articles"])]


def write_warc(path: Path, pages: list[Page], gzip: bool = True, warcinfo: bool = True) -> list[str]:
    """Write request + response pairs (and a warcinfo record first, as Common Crawl does);
    returns the responses' WARC-Record-IDs."""
    ids = []
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip, warc_version="1.1")
        if warcinfo:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "presswire-tests"}))
        for page in pages:
            ids.append(write_page(writer, page))
    return ids


def write_page(writer: WARCWriter, page: Page) -> str:
    date = page.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = StatusAndHeaders(f"{page.status} OK", [("Content-Type", page.content_type),
                                                     ("Content-Length", str(len(page.body))), *page.extra_headers],
                               protocol="HTTP/1.1")
    response = writer.create_warc_record(page.url, "response", payload=io.BytesIO(page.body),
                                         length=len(page.body), http_headers=headers,
                                         warc_headers_dict={"WARC-Date": date})
    request = writer.create_warc_record(page.url, "request", http_headers=StatusAndHeaders(
        "GET / HTTP/1.1", [("Host", page.url.split("/")[2])], is_http_request=True),
        warc_headers_dict={"WARC-Date": date})
    writer.write_request_response_pair(request, response)
    return response.rec_headers.get_header("WARC-Record-ID")


def wrong_charset_page(site: str = SITE) -> Page:
    """UTF-8 bytes under a header that says ISO-8859-1: the text must come out right anyway."""
    words = " ".join(["Café owners along the quay say the new ferry timetable brings more custom."] * 12)
    body = (f"<html><head><title>Crêpe stall wins harbour prize</title></head><body><article><h1>Crêpe stall wins harbour prize</h1>"
            f"<p>{words}</p><p>{words}</p></article></body></html>").encode()
    return Page(f"{site}/food/2026/11/20/crepe-stall-wins-harbour-prize.html", body,
                content_type="text/html; charset=iso-8859-1")


def numbered_articles(site: str, count: int, **kwargs: object) -> list[Page]:
    """Small article pages with distinct text (the dedupe pipeline would drop copies)."""
    pages = []
    for n in range(count):
        sentences = " ".join(f"Report {n} from {site}: the council met on day {n + k} and voted {k} times on the "
                             f"plan number {n * 7 + k} for the quay." for k in range(8))
        body = (f"<html lang='en'><head><title>Council story {n}</title></head><body><article>"
                f"<h1>Council story {n}</h1><p>{sentences}</p><p>{sentences[::-1]}</p></article></body></html>")
        pages.append(Page(f"{site}/news/2026/11/20/council-story-{n}.html", body.encode(), **kwargs))
    return pages
