"""Reading a site's sources: sitemaps (plain, gzipped, Google News) and RSS/Atom feeds.

Both parsers refuse entity expansion and network access: a billion-laughs sitemap or an
XXE entity pointing at a local file yields nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

_NEWS_SITEMAP_NS = b"google.com/schemas/sitemap-news"
_FEED_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False,
                               load_dtd=False)


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
    """Article links of an RSS 2.0, RSS 1.0 or Atom feed."""
    try:
        root = etree.fromstring(body, parser=_FEED_PARSER)
    except etree.XMLSyntaxError as err:
        raise SourceError("malformed_feed", str(err)[:300]) from err
    if root is None:
        raise SourceError("malformed_feed", "no XML root")
    links = root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")
    links += root.xpath("//*[local-name()='entry']/*[local-name()='link'][not(@rel) or @rel='alternate']/@href")
    return [urljoin(base_url, str(link).strip()) for link in links if str(link).strip()]
