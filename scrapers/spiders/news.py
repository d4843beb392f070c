"""The generic news spider: discovers a site's sources and sends article pages to extraction."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from lxml import etree
from scrapy.http import Response
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from scrapers.extraction import ExtractionError, SiteSelectors
from scrapers.extractor import ArticleExtractor, WorkerFailure
from scrapers.signals import page_failed
from scrapers.sites import SiteConfig, load_site
from scrapers.urls import host_of, in_domains, is_http, looks_like_article, looks_like_listing

_NEWS_SITEMAP_NS = b"google.com/schemas/sitemap-news"
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")
_NEXT_TEXT = re.compile(r"^\s*(?:next|older|more|weiter|suivant|siguiente|»|›|→)\b|^\s*[»›→]\s*$", re.I)
_FEED_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
_HTML_TYPES = (b"text/html", b"application/xhtml+xml")


class NewsSpider(scrapy.Spider):
    """Crawl a news site from its homepage: sitemaps from robots.txt, feeds, sections.

    ``-a url=URL[,URL...]`` crawls any site; ``-a site=NAME`` uses ``scrapers/sites/NAME.toml``
    (``url`` then overrides its start URLs).
    """

    name = "news"

    def __init__(self, url: str | None = None, site: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site_config: SiteConfig | None = load_site(site) if site else None
        config = self.site_config
        urls = [u.strip() for u in (url or "").split(",") if u.strip()] or (config.start_urls if config else [])
        if not urls:
            raise ValueError("nothing to crawl: pass -a url=https://site.example/ or -a site=NAME")
        for start in urls:
            if not is_http(start):
                raise ValueError(f"only http(s) URLs can be crawled, not {start!r}")
        self.start_urls = urls
        self.allowed_domains = (config.allowed_domains if config and config.allowed_domains else
                                sorted({host_of(u) for u in urls}))
        self.article_allow = [re.compile(p) for p in (config.article_allow if config else [])]
        self.article_deny = [re.compile(p) for p in (config.article_deny if config else [])]
        self.selectors = config.selectors if config else SiteSelectors()
        self.site_name = config.name if config else None
        self.listing_pages = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extractor = ArticleExtractor.from_crawler(crawler)
        crawler.signals.connect(spider._article_in_flight, signal=signals.request_reached_downloader)
        return spider

    @property
    def output_name(self) -> str:
        """The folder name of this crawl's dumps: the site config's name, else the spider's."""
        return self.site_name or self.name

    async def start(self) -> AsyncIterator[scrapy.Request]:
        config = self.site_config
        # A job resumed from JOBDIR: articles that were downloading when it stopped are in the
        # dupefilter but never reached the dump, so they are requested again.
        for url in sorted(self._in_flight()):
            yield self._article_request(url, source="resume").replace(dont_filter=True)
        for url in self.start_urls:
            yield scrapy.Request(urljoin(url, "/robots.txt"), callback=self.parse_robots, errback=self.on_error,
                                 meta={"stage": "robots"}, priority=10)
            yield scrapy.Request(url, callback=self.parse_homepage, errback=self.on_error,
                                 meta={"stage": "listing"}, priority=5)
        for url in config.sitemaps if config else []:
            yield self._sitemap_request(url)
        for url in config.feeds if config else []:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_error, meta={"stage": "feed"})

    # -- discovery ------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            yield self._sitemap_request(url)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        body = self._sitemap_body(response)
        if body is None:
            return
        try:
            sitemap = Sitemap(body)
        except (etree.XMLSyntaxError, StopIteration, ValueError) as err:
            self._fail(response.url, "sitemap", "malformed_sitemap", str(err))
            return
        is_news = _NEWS_SITEMAP_NS in body[:4096]
        for entry in sitemap:
            loc = entry.get("loc", "").strip()
            if not loc:
                continue
            url = urljoin(response.url, loc)
            if sitemap.type == "sitemapindex":
                yield self._sitemap_request(url)
            elif self._wants_article(url, listed_as_news=is_news):
                yield self._article_request(url, source="sitemap")

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            root = etree.fromstring(response.body, parser=_FEED_PARSER)
        except etree.XMLSyntaxError as err:
            self._fail(response.url, "feed", "malformed_feed", str(err))
            return
        if root is None:
            self._fail(response.url, "feed", "malformed_feed", "no XML root")
            return
        links = root.xpath("//*[local-name()='item']/*[local-name()='link']/text()")
        links += root.xpath("//*[local-name()='entry']/*[local-name()='link'][not(@rel) or @rel='alternate']/@href")
        for link in links:
            url = urljoin(response.url, str(link).strip())
            if self._wants_article(url, listed_as_news=True):
                yield self._article_request(url, source="feed")

    def parse_homepage(self, response: Response) -> Iterator[scrapy.Request]:
        if not self._is_html(response):
            self._fail(response.url, "listing", "not_html", self._content_type(response))
            return
        for href in response.xpath("//link[@rel='alternate']"):
            if (href.attrib.get("type") or "").lower() in _FEED_TYPES and href.attrib.get("href"):
                yield scrapy.Request(response.urljoin(href.attrib["href"]), callback=self.parse_feed,
                                     errback=self.on_error, meta={"stage": "feed"})
        yield from self.parse_listing(response, sections=True)

    def parse_listing(self, response: Response, sections: bool = False) -> Iterator[scrapy.Request]:
        if not self._is_html(response):
            self._fail(response.url, "listing", "not_html", self._content_type(response))
            return
        depth = response.meta.get("listing_depth", 0)
        max_depth = self.settings.getint("NEWS_LISTING_DEPTH")
        for url in self._links(response):
            if self._wants_article(url):
                yield self._article_request(url, source="listing")
            elif (sections or self._is_next_link(response, url)) and depth < max_depth and looks_like_listing(url):
                yield from self._listing_request(url, depth + 1)

    # -- articles -------------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[dict[str, Any]]:
        if not self._is_html(response):
            self._fail(response.url, "fetch", "not_html", self._content_type(response))
            return
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        try:
            record = await self.extractor.extract(response.body, response.url, content_type, self.selectors)
        except (ExtractionError, WorkerFailure) as err:
            self._fail(response.url, "extract", err.reason, err.detail)
            return
        finally:
            self._in_flight().discard(response.request.url)
        record["fetched_at"] = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
        record["spider"] = self.name
        if self.site_name:
            record["site"] = self.site_name
        yield record

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        self._in_flight().discard(request.url)
        stage = request.meta.get("stage", "fetch")
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = "http_4xx" if 400 <= status < 500 else "http_5xx" if status >= 500 else "http_error"
            self._fail(request.url, stage, reason, f"HTTP {status}")
            return
        if failure.check(IgnoreRequest):
            self.crawler.stats.inc_value("presswire/skipped/ignored_request")
            self.logger.debug("ignored %s: %s", request.url, failure.value)
            return
        reason = type(failure.value).__name__
        self._fail(request.url, stage, _network_reason(reason), str(failure.value)[:300])

    # -- helpers --------------------------------------------------------------------------

    def _in_flight(self) -> set[str]:
        """Article URLs handed to the downloader and not finished yet (kept only with JOBDIR)."""
        state = getattr(self, "state", None)
        return state.setdefault("articles_in_flight", set()) if isinstance(state, dict) else set()

    def _article_in_flight(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        if request.meta.get("stage") == "fetch" and request.callback == self.parse_article:
            self._in_flight().add(request.url)

    def _wants_article(self, url: str, listed_as_news: bool = False) -> bool:
        if not is_http(url) or not in_domains(url, self.allowed_domains):
            return False
        if any(p.search(url) for p in self.article_deny):
            return False
        if self.article_allow:
            return any(p.search(url) for p in self.article_allow)
        return listed_as_news or looks_like_article(url)

    def _article_request(self, url: str, source: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                              meta={"stage": "fetch", "source": source})

    def _sitemap_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error,
                              meta={"stage": "sitemap"}, priority=10)

    def _listing_request(self, url: str, depth: int) -> Iterable[scrapy.Request]:
        if self.listing_pages >= self.settings.getint("NEWS_MAX_LISTING_PAGES"):
            return []
        self.listing_pages += 1
        return [scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                               meta={"stage": "listing", "listing_depth": depth})]

    def _links(self, response: Response) -> Iterator[str]:
        seen: set[str] = set()
        for href in response.xpath("//a/@href").getall():
            url = response.urljoin(href.strip()).split("#", 1)[0]
            if url not in seen and is_http(url) and in_domains(url, self.allowed_domains):
                seen.add(url)
                yield url

    def _is_next_link(self, response: Response, url: str) -> bool:
        for a in response.xpath("//a[@href]"):
            if response.urljoin(a.attrib["href"]).split("#", 1)[0] != url:
                continue
            rel = (a.attrib.get("rel") or "").lower()
            text = " ".join(a.xpath(".//text()").getall())
            if "next" in rel.split() or _NEXT_TEXT.match(text):
                return True
        return False

    def _sitemap_body(self, response: Response) -> bytes | None:
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.settings.getint("SITEMAP_MAX_SIZE"))
            except Exception as err:  # gzip raises several types; all mean "unusable sitemap"
                self._fail(response.url, "sitemap", "bad_gzip", f"{type(err).__name__}: {err}")
                return None
        if b"<" not in body[:1024]:
            self._fail(response.url, "sitemap", "malformed_sitemap", "not XML")
            return None
        return body

    @staticmethod
    def _content_type(response: Response) -> str:
        return response.headers.get("Content-Type", b"").decode("latin-1") or "no Content-Type"

    def _is_html(self, response: Response) -> bool:
        content_type = response.headers.get("Content-Type", b"").lower()
        return not content_type or any(t in content_type for t in _HTML_TYPES)

    def _fail(self, url: str, stage: str, reason: str, detail: str = "") -> None:
        self.logger.warning("no article from %s (%s: %s) %s", url, stage, reason, detail)
        self.crawler.signals.send_catch_log(signal=page_failed, url=url, stage=stage, reason=reason,
                                            detail=detail, spider=self)


def _network_reason(exception_name: str) -> str:
    name = exception_name.lower()
    if "timeout" in name:
        return "timeout"
    if "dns" in name or "lookup" in name:
        return "dns_error"
    if "refused" in name or "connection" in name or "lost" in name:
        return "connection_error"
    return "download_error"
