"""Reading a site's sources: sitemaps (plain, gzipped, Google News) and RSS/Atom feeds.

Both refuse entity expansion and network access: a billion-laughs sitemap or an XXE entity
pointing at a local file yields nothing. Feeds are read by feedparser, which knows the formats'
corners (Atom ``xml:base``, an RSS item whose only link is its permalink ``<guid>``, broken XML).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import feedparser
from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

_NEWS_SITEMAP_NS = b"google.com/schemas/sitemap-news"
# A DOCTYPE's internal subset: where entity bombs and external entities are declared. No feed needs
# one, and feedparser's fallback (loose) parser would expand what the strict one refused.
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.S | re.I)


class SourceError(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


@dataclass
class SitemapContent:
    is_index: bool
    is_news: bool
    urls: list[str] = field(default_factory=list)


def read_sitemap(body: bytes, base_url: str, max_size: int) -> SitemapContent:
    """URLs of a sitemap or sitemap index; gzip is inflated up to ``max_size`` bytes."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=max_size)
        except Exception as err:  # gzip raises several types (and _DecompressionMaxSizeExceeded)
            raise SourceError("bad_gzip", f"{type(err).__name__}: {err}"[:300]) from err
    if b"<" not in body[:1024]:
        raise SourceError("malformed_sitemap", "not XML")
    try:
        sitemap = Sitemap(body)
    except (etree.XMLSyntaxError, StopIteration, ValueError) as err:
        raise SourceError("malformed_sitemap", str(err)[:300]) from err
    content = SitemapContent(is_index=sitemap.type == "sitemapindex", is_news=_NEWS_SITEMAP_NS in body[:4096])
    if sitemap.type not in ("sitemapindex", "urlset"):
        raise SourceError("malformed_sitemap", f"root element <{sitemap.type}>")
    try:
        for entry in sitemap:
            loc = (entry.get("loc") or "").strip()
            if loc:
                content.urls.append(urljoin(base_url, loc))
    except etree.XMLSyntaxError as err:
        if not content.urls:
            raise SourceError("malformed_sitemap", str(err)[:300]) from err
    return content


def read_feed(body: bytes, base_url: str) -> list[str]:
    """Article links of an RSS (0.9x, 1.0, 2.0) or Atom feed, absolute, in feed order."""
    if b"<!" in body:
        body = _DOCTYPE_SUBSET.sub(b"", body, count=1)
    # A stream, never a str: feedparser fetches a str that looks like a URL, or opens it as a file.
    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": base_url, "content-type": "application/xml"},
        resolve_relative_uris=True,
        sanitize_html=False,
    )
    if not parsed.get("version") and not parsed.entries:
        raise SourceError("malformed_feed", str(parsed.get("bozo_exception") or "not an RSS or Atom feed")[:300])
    links: list[str] = []
    for entry in parsed.entries:
        # feedparser resolves against xml:base and the feed's URL, and takes a permalink guid as the link
        link = (entry.get("link") or "").strip()
        if link:
            links.append(urljoin(base_url, link))
    return links
