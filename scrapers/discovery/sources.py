"""Reading a site's sources: sitemaps (plain, gzipped, Google News) and RSS/Atom feeds.

Both refuse entity expansion and network access: a billion-laughs sitemap or an XXE entity
pointing at a local file yields nothing. Feeds are read by feedparser, which knows the formats'
corners (Atom ``xml:base``, an RSS item whose only link is its permalink ``<guid>``, broken XML).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import feedparser
from lxml import etree
from scrapy.utils.gz import gunzip

from .window import to_datetime

_NEWS_SITEMAP_NS = b"google.com/schemas/sitemap-news"
# A DOCTYPE's internal subset: where entity bombs and external entities are declared. No feed needs
# one, and feedparser's fallback (loose) parser would expand what the strict one refused.
_DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.S | re.I)


class SourceError(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}")


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` or ``<sitemap>`` of a sitemap: its location and the dates it gives."""

    url: str
    is_index: bool                      # a <sitemap> of a sitemap index: another sitemap
    lastmod: dt.datetime | None = None
    published: dt.datetime | None = None  # news:publication_date (Google News sitemaps)
    is_news: bool = False               # listed with <news:news>: an article, whatever its URL

    @property
    def date(self) -> dt.datetime | None:
        """The date the window judges: the publication date when listed, else lastmod."""
        return self.published or self.lastmod


@dataclass
class SitemapContent:
    is_index: bool
    is_news: bool
    urls: list[str] = field(default_factory=list)


def iter_sitemap(body: bytes, base_url: str, max_size: int) -> Iterator[SitemapEntry]:
    """The entries of a sitemap or sitemap index, one at a time: lxml's iterparse clears each entry
    once read, so a 50 MB sitemap never becomes a tree. Gzip is inflated up to ``max_size`` bytes.
    A document broken half-way gives the entries before the break."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=max_size)
        except Exception as err:  # gzip raises several types (and _DecompressionMaxSizeExceeded)
            raise SourceError("bad_gzip", f"{type(err).__name__}: {err}"[:300]) from err
    if b"<" not in body[:1024]:
        raise SourceError("malformed_sitemap", "not XML")
    # no entity expansion, no network, no DTD: billion laughs and XXE yield nothing
    events = etree.iterparse(io.BytesIO(body), events=("start", "end"), recover=True, resolve_entities=False,
                             no_network=True, load_dtd=False, remove_comments=True, huge_tree=False)
    root: str | None = None
    given = 0
    try:
        for event, element in events:
            name = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if root is None:
                root = name
                if root not in ("urlset", "sitemapindex"):
                    raise SourceError("malformed_sitemap", f"root element <{root}>")
                continue
            if event != "end" or name not in ("url", "sitemap"):
                continue
            entry = _entry(element, base_url, name == "sitemap")
            # the parent keeps no reference to what was read: memory stays flat
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
            if entry is not None:
                given += 1
                yield entry
    except etree.XMLSyntaxError as err:
        if not given:
            raise SourceError("malformed_sitemap", str(err)[:300]) from err
    if root is None:
        raise SourceError("malformed_sitemap", "no root element")


def _entry(element: etree._Element, base_url: str, is_index: bool) -> SitemapEntry | None:
    loc = lastmod = published = None
    news = False
    for child in element.iter():
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name == "loc" and loc is None and child.getparent() is element:
            loc = (child.text or "").strip()
        elif name == "lastmod":
            lastmod = to_datetime(child.text)
        elif name == "publication_date":
            published = to_datetime(child.text)
        elif name == "news":
            news = True
    if not loc:
        return None
    return SitemapEntry(urljoin(base_url, loc), is_index, lastmod, published, news)


def read_sitemap(body: bytes, base_url: str, max_size: int) -> SitemapContent:
    """URLs of a sitemap or sitemap index, all at once (small sitemaps and tests; the spider streams)."""
    content = SitemapContent(is_index=False, is_news=_NEWS_SITEMAP_NS in body[:4096])
    for entry in iter_sitemap(body, base_url, max_size):
        content.is_index = content.is_index or entry.is_index
        content.urls.append(entry.url)
    return content


def is_news_sitemap(body: bytes) -> bool:
    """A Google News sitemap declares its namespace in the root element."""
    return _NEWS_SITEMAP_NS in body[:4096]


@dataclass(frozen=True)
class FeedEntry:
    url: str
    published: dt.datetime | None = None  # <pubDate> / <published>
    updated: dt.datetime | None = None    # Atom <updated>: what says the article changed

    @property
    def date(self) -> dt.datetime | None:
        return self.published or self.updated


def read_feed(body: bytes, base_url: str) -> list[str]:
    """Article links of an RSS (0.9x, 1.0, 2.0) or Atom feed, absolute, in feed order."""
    return [entry.url for entry in read_feed_entries(body, base_url)]


def read_feed_entries(body: bytes, base_url: str) -> list[FeedEntry]:
    """Article links of a feed with their dates. Feeds are short (the newest items), so feedparser
    reading the whole document is fine; sitemaps are the ones that get large."""
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
    links: list[FeedEntry] = []
    for entry in parsed.entries:
        # feedparser resolves against xml:base and the feed's URL, and takes a permalink guid as the link
        link = (entry.get("link") or "").strip()
        if link:
            links.append(FeedEntry(urljoin(base_url, link), _feed_date(entry, "published_parsed"),
                                   _feed_date(entry, "updated_parsed")))
    return links


def _feed_date(entry: Any, key: str) -> dt.datetime | None:
    parsed = dict.get(entry, key)  # not entry.get: feedparser maps updated to published, with a warning
    if not parsed:
        return None
    try:
        year, month, day, hour, minute, second = parsed[:6]  # feedparser gives UTC struct_time
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None
