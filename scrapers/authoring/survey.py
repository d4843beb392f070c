"""Read a site as the generic spider would, in miniature: robots.txt and its sitemaps, the feeds and the
sections the homepage links to; collect the article URLs found, then fetch and extract a few samples.

Bounded everywhere (sitemaps, feeds, sections, URLs read, samples) and polite (the crawl's downloader
middlewares: robots.txt, scope, size limits, retries; AutoThrottle). ``new-site`` turns the ``Survey`` into a
site config (draft.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from .. import extraction  # extraction.extract_article is imported on first use
from ..discovery.failures import classify
from ..discovery.scope import Scope
from ..discovery.sources import SourceError, iter_sitemap, read_feed
from ..discovery.urls import clean_url, is_http, looks_like_article, looks_like_listing
from ..extraction import Article, ExtractionError
from .fetch import QUIET_SETTINGS, describe_failure

MAX_SITEMAPS = 6
MAX_SITEMAP_URLS = 2000  # per sitemap: the newest are at the top of most
MAX_FEEDS = 3
MAX_SECTIONS = 6
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


@dataclass
class Survey:
    start_url: str
    home_url: str | None = None  # after redirects
    site_name: str | None = None  # og:site_name of the homepage
    robots_sitemaps: list[str] = field(default_factory=list)
    sitemaps: dict[str, int] = field(default_factory=dict)  # sitemap -> article URLs it listed
    feeds: dict[str, int] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    articles: dict[str, set[str]] = field(default_factory=dict)  # URL -> where it was found
    others: set[str] = field(default_factory=set)  # links that are not articles (sections, tags, pages)
    samples: dict[str, Article] = field(default_factory=dict)
    sample_failures: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # sources that could not be read
    skipped: list[str] = field(default_factory=list)  # refused by robots.txt or out of scope

    def found(self, url: str, source: str) -> None:
        self.articles.setdefault(url, set()).add(source)


class SurveySpider(scrapy.Spider):
    name = "presswire-survey"
    custom_settings = {**QUIET_SETTINGS, "AUTOTHROTTLE_ENABLED": True, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}

    def __init__(self, url: str, survey: Survey, samples: int = 6, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [url]
        self.scope = Scope.of(self.start_urls)
        self.survey = survey
        self.sample_count = samples
        self.sampled = False

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SurveySpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        url = self.start_urls[0]
        yield scrapy.Request(url, callback=self.parse_homepage, errback=self.home_failed, priority=5)
        yield scrapy.Request(urljoin(url, "/robots.txt"), callback=self.parse_robots, errback=self.ignore,
                             dont_filter=True)

    # -- sources ----------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        for line in response.body.splitlines():  # as the generic spider reads it (spiders/feeding.py)
            if line.strip().lower().startswith(b"sitemap:"):
                sitemap = response.urljoin(line.split(b":", 1)[1].strip().decode("utf-8", "replace"))
                self.survey.robots_sitemaps.append(sitemap)
                yield from self._sitemap(sitemap, depth=0)

    def _sitemap(self, url: str, depth: int) -> Iterator[scrapy.Request]:
        if len(self.survey.sitemaps) < MAX_SITEMAPS and url not in self.survey.sitemaps and self.scope.allows(url):
            self.survey.sitemaps[url] = 0
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.source_failed,
                                 cb_kwargs={"depth": depth}, priority=3)

    def parse_sitemap(self, response: Response, depth: int) -> Iterator[scrapy.Request]:
        try:
            for index, entry in enumerate(iter_sitemap(response.body, response.url, 50 * 1024 * 1024)):
                if index >= MAX_SITEMAP_URLS:
                    break
                if entry.is_index:
                    if depth < 2:
                        yield from self._sitemap(entry.url, depth + 1)
                elif self._article(entry.url, f"sitemap {response.url}", listed_as_news=entry.is_news):
                    self.survey.sitemaps[response.url] = self.survey.sitemaps.get(response.url, 0) + 1
        except SourceError as err:
            self.survey.problems.append(f"sitemap {response.url}: {err}")

    def parse_homepage(self, response: Response) -> Iterator[scrapy.Request]:
        self.survey.home_url = response.url
        self.survey.site_name = response.xpath("//meta[@property='og:site_name']/@content").get()
        for link in response.xpath("//link[@rel='alternate'][@href]"):
            if (link.attrib.get("type") or "").lower() in _FEED_TYPES and len(self.survey.feeds) < MAX_FEEDS:
                feed = response.urljoin(link.attrib["href"])
                if is_http(feed) and self.scope.allows(feed) and feed not in self.survey.feeds:
                    self.survey.feeds[feed] = 0
                    yield scrapy.Request(feed, callback=self.parse_feed, errback=self.source_failed, priority=3)
        known = {url.rstrip("/") for url in self.survey.sections}
        for url in self._links(response, "homepage"):
            if looks_like_listing(url) and len(self.survey.sections) < MAX_SECTIONS and url.rstrip("/") not in known:
                known.add(url.rstrip("/"))
                self.survey.sections.append(url)
                yield scrapy.Request(url, callback=self.parse_section, errback=self.source_failed)

    def parse_section(self, response: Response) -> None:
        for _ in self._links(response, f"section {response.url}"):
            pass

    def parse_feed(self, response: Response) -> None:
        try:
            links = read_feed(response.body, response.url)
        except SourceError as err:
            self.survey.problems.append(f"feed {response.url}: {err}")
            return
        feed = response.request.url if response.request is not None else response.url
        for url in links:
            if self._article(url, f"feed {feed}", listed_as_news=True):
                self.survey.feeds[feed] = self.survey.feeds.get(feed, 0) + 1

    def _links(self, response: Response, source: str) -> Iterator[str]:
        """Every in-scope link of a page, once; article-like ones are recorded as found, the others kept."""
        seen: set[str] = set()
        for href in response.xpath("//a/@href").getall():
            url = clean_url(response.urljoin(href.strip()))
            if url in seen or not is_http(url) or not self.scope.allows(url):
                continue
            seen.add(url)
            if not self._article(url, source):
                self.survey.others.add(url)
                yield url

    def _article(self, url: str, source: str, listed_as_news: bool = False) -> bool:
        url = clean_url(url)
        if not is_http(url) or not self.scope.allows(url):
            return False
        if listed_as_news or looks_like_article(url):
            self.survey.found(url, source)
            return True
        return False

    # -- samples ------------------------------------------------------------------------------

    def idle(self) -> None:
        if self.sampled:
            return
        self.sampled = True
        picked = pick_samples(self.survey.articles, self.sample_count)
        if not picked:
            return
        for url in picked:
            request = scrapy.Request(url, callback=self.parse_sample, errback=self.sample_failed,
                                     cb_kwargs={"requested": url})
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def parse_sample(self, response: Response, requested: str) -> None:
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        try:
            self.survey.samples[requested] = extraction.extract_article(response.body, url=response.url,
                                                             content_type=content_type)
        except ExtractionError as err:
            self.survey.sample_failures[requested] = str(err)

    def sample_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errback failures
        self.survey.sample_failures[request.cb_kwargs.get("requested", request.url)] = describe_failure(failure)

    def home_failed(self, failure: Failure) -> None:
        self.survey.problems.append(f"homepage {self.start_urls[0]}: {describe_failure(failure)}")

    def source_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errback failures
        if classify(failure) is None:
            self.survey.skipped.append(request.url)  # robots.txt keeps it out: as the crawl will
        else:
            self.survey.problems.append(f"{request.url}: {describe_failure(failure)}")

    def ignore(self, failure: Failure) -> None:
        """No robots.txt is no problem: there is simply no sitemap named there."""


def pick_samples(articles: dict[str, set[str]], count: int) -> list[str]:
    """Up to ``count`` URLs, spread over the first path segments (sections), those listed by more sources first."""
    groups: dict[str, list[str]] = {}
    for url in sorted(articles, key=lambda u: (-len(articles[u]), u)):
        first = next((s for s in urlsplit(url).path.split("/") if s), "")
        groups.setdefault(first, []).append(url)
    picked: list[str] = []
    while len(picked) < count and any(groups.values()):
        for first in sorted(groups):
            if groups[first] and len(picked) < count:
                picked.append(groups[first].pop(0))
    return picked
