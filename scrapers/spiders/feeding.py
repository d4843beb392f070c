"""Sitemap and feed discovery for the news spider: the backlog fed to the scheduler lazily.

Sitemap and feed entries are not requested as they are read: they go to a backlog
(discovery/backlog.py) that the spider's ``start()`` hands to the scheduler while its queue is shorter
than ``DISCOVERY_QUEUE_SIZE``, checking each against the date window, the budgets and what earlier
runs wrote (incremental/known.py). robots.txt and sitemaps are downloaded here, through the
downloader middlewares but not the scheduler, one sitemap at a time, newest first, when the backlog
runs dry. Also: what the spider needs to know of the engine for that.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task
from twisted.python.failure import Failure

from ..discovery.backlog import Backlog, Candidate, PendingSitemap
from ..discovery.scope import Scope
from ..discovery.sources import SourceError, iter_sitemap, read_feed_entries
from ..discovery.urls import clean_url, host_of, is_http
from ..discovery.window import Window
from ..incremental.known import UNCHANGED, KnownUrls
from ..jobs.run import Run

# Store lookups per refill, so a sitemap of known URLs never holds the reactor for long.
_CHECKS_PER_REFILL = 2000
DISCOVERY = "presswire/discovery/"


class BacklogDiscovery:
    """Mixed into NewsSpider (spiders/news.py), which provides the attributes declared here."""

    crawler: Crawler
    settings: Any
    logger: Any
    scope: Scope
    backlog: Backlog
    window: Window
    known: KnownUrls | None
    done_urls: set[str]
    articles_per_host: Counter[str]
    considered: set[int]
    skipped_undated: set[int]
    seen_sitemaps: set[str]
    sitemaps_requested: int

    @property
    def run(self) -> Run:
        raise NotImplementedError

    def _wants_article(self, url: str, listed_as_news: bool = False) -> bool:
        raise NotImplementedError

    def _article_request(self, url: str, source: str, lastmod: dt.datetime | None = None) -> scrapy.Request:
        raise NotImplementedError

    def _sitemap_request(self, url: str, depth: int = 0) -> scrapy.Request:
        raise NotImplementedError

    def _fail(self, url: str, stage: str, reason: str, detail: str = "") -> None:
        raise NotImplementedError

    def on_error(self, failure: Failure) -> None:
        raise NotImplementedError

    async def _feed_scheduler(self) -> AsyncIterator[scrapy.Request]:
        """Hand the backlog to the scheduler while its queue is short, reading the next sitemap (here,
        not through the scheduler: in a distributed run every process reads its own) when the backlog
        is empty; end once nothing is left and nothing in flight can find more."""
        target = self.settings.getint("DISCOVERY_QUEUE_SIZE")
        while True:
            handed = 0
            for request in self._refill(target - queued_requests(self.crawler)):
                handed += 1
                yield request
            if handed:
                continue
            if not self.backlog.articles and self.backlog.sitemaps:
                sitemap_request = self._next_sitemap_request()
                if sitemap_request is not None:
                    await self._read_sitemap(sitemap_request)
                continue
            if engine_idle(self.crawler) and not self.backlog.articles and not self.backlog.sitemaps:
                return
            # a refill that only skipped known URLs goes on at once (after letting the reactor run);
            # a full queue is looked at again shortly
            room = self.backlog.articles and queued_requests(self.crawler) < target
            await pause(0 if room else 0.05)

    def _refill(self, room: int) -> Iterator[scrapy.Request]:
        checked = 0
        while room > 0 and checked < _CHECKS_PER_REFILL:
            candidate = self.backlog.next_article()
            if candidate is None:
                return
            checked += 1
            request = self._candidate_request(candidate)
            if request is not None:
                room -= 1
                yield request

    def _next_sitemap_request(self) -> scrapy.Request | None:
        while (pending := self.backlog.next_sitemap()) is not None:
            if pending.url in self.seen_sitemaps:
                continue
            limit = self.settings.getint("SITEMAP_MAX_COUNT")
            if limit and self.sitemaps_requested >= limit:
                self._budget_hit("SITEMAP_MAX_COUNT")
                continue
            self.seen_sitemaps.add(pending.url)
            self.sitemaps_requested += 1
            return self._sitemap_request(pending.url, pending.depth)
        return None

    async def _read_sitemap(self, request: scrapy.Request) -> None:
        response = await self._download_directly(request)
        if response is not None:
            self.parse_sitemap(response)

    async def _download_directly(self, request: scrapy.Request) -> Response | None:
        """Download through the downloader middlewares (robots.txt, scope, retries, size limits) but
        not the scheduler; a failure is classified and recorded as an errback would, and gives None."""
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as err:  # any download failure
            failure = Failure(err)
        else:
            if 200 <= response.status < 300:
                return response
            failure = Failure(HttpError(response, f"Ignoring non-200 response ({response.status})"))
        failure.request = request  # type: ignore[attr-defined]
        self.on_error(failure)
        return None

    def _outside_window(self, url: str) -> None:
        """An article URL dated outside the window (by its listing or its path): not fetched, from a
        section page either, and counted once however many sitemaps, feeds and pages list it."""
        key = hash(clean_url(url))
        if key not in self.considered:
            self.considered.add(key)
            self.run.counts.listed_out_of_window += 1

    def _candidate_request(self, candidate: Candidate) -> scrapy.Request | None:
        """The request for an article URL, or None: already done this job, over the article budget, or
        written by an earlier run and not changed since (incremental discovery)."""
        if candidate.url in self.done_urls:
            return None
        # one decision per URL and run, however many sitemaps, feeds and pages list it (a hash, not
        # the URL: 8 bytes a URL on a site listing millions)
        key = hash(clean_url(candidate.url))
        if key in self.considered:
            return None
        host = host_of(candidate.url)
        limit = self.settings.getint("NEWS_MAX_ARTICLE_REQUESTS")
        if limit and self.articles_per_host[host] >= limit:
            self._budget_hit("NEWS_MAX_ARTICLE_REQUESTS")
            return None
        counts = self.run.counts
        if self.known is not None:
            decision = self.known.decide(clean_url(candidate.url), candidate.lastmod, dt.datetime.now(dt.UTC))
            if decision == UNCHANGED:
                if candidate.lastmod is not None:
                    self.considered.add(key)
                    if key in self.skipped_undated:
                        self.skipped_undated.discard(key)
                        return None  # counted already
                elif key in self.skipped_undated:
                    return None
                else:
                    # listed without a date here (a Google News sitemap, a link): another listing with a
                    # lastmod may still say it changed, so the decision is not final
                    self.skipped_undated.add(key)
                counts.skipped_unchanged += 1
                return None
            if key in self.skipped_undated:
                self.skipped_undated.discard(key)
                counts.skipped_unchanged -= 1
            self.crawler.stats.inc_value(f"{DISCOVERY}{decision}")
        self.considered.add(key)
        self.articles_per_host[host] += 1
        return self._article_request(candidate.url, candidate.source, candidate.lastmod)

    def _budget_hit(self, setting: str) -> None:
        budgets = self.run.counts.budgets
        if not budgets[setting]:
            self.logger.warning("budget %s=%s reached: the rest is left for a later run", setting,
                                self.settings.get(setting))
        budgets[setting] += 1

    # -- discovery ------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> None:
        for line in response.body.splitlines():
            if line.strip().lower().startswith(b"sitemap:"):
                url = response.urljoin(line.split(b":", 1)[1].strip().decode("utf-8", "replace"))
                if is_http(url) and self.scope.allows(url):
                    self.backlog.add_sitemap(PendingSitemap(url, 0))

    def parse_sitemap(self, response: Response) -> None:
        """Read a sitemap entry by entry into the backlog: sub-sitemaps within the depth budget and
        newer than the window's start, article URLs inside the window."""
        counts = self.run.counts
        counts.sitemaps_read += 1
        depth = response.meta.get("sitemap_depth", 0)
        found: list[Candidate] = []
        news = False
        try:
            for entry in iter_sitemap(response.body, response.url, self.settings.getint("SITEMAP_MAX_SIZE")):
                if entry.is_index:
                    self._add_sitemap(entry.url, depth + 1, entry.lastmod)
                    continue
                counts.urls_listed += 1
                if not self.window.contains(entry.date) or self.window.excludes_path_of(entry.url):
                    self._outside_window(entry.url)
                elif self._wants_article(entry.url, listed_as_news=entry.is_news):
                    news = news or entry.is_news
                    found.append(Candidate(entry.url, "news_sitemap" if entry.is_news else "sitemap",
                                           entry.lastmod, entry.date))
        except SourceError as err:
            self._fail(response.url, "sitemap", err.reason, err.detail)
        self.backlog.add_articles(found, first=news)

    def _add_sitemap(self, url: str, depth: int, lastmod: dt.datetime | None) -> None:
        if not is_http(url) or not self.scope.allows(url):
            return
        if self.window.older_than_since(lastmod):
            self.crawler.stats.inc_value(f"{DISCOVERY}sitemaps_out_of_window")
            return
        if depth > self.settings.getint("SITEMAP_MAX_DEPTH"):
            self._budget_hit("SITEMAP_MAX_DEPTH")
            return
        self.backlog.add_sitemap(PendingSitemap(url, depth, lastmod))

    def parse_feed(self, response: Response) -> None:
        try:
            entries = read_feed_entries(response.body, response.url)
        except SourceError as err:
            self._fail(response.url, "feed", err.reason, err.detail)
            return
        found = []
        counts = self.run.counts
        for entry in entries:
            counts.urls_listed += 1
            if not self.window.contains(entry.date) or self.window.excludes_path_of(entry.url):
                self._outside_window(entry.url)
            elif self._wants_article(entry.url, listed_as_news=True):
                found.append(Candidate(entry.url, "feed", entry.updated, entry.date))
        self.backlog.add_articles(found, first=True)


def queued_requests(crawler: Crawler) -> int:
    """Requests waiting in the scheduler: Scrapy's queues, or with REDIS_URL the shared queue (so one
    process tops up the queue that every process of the run takes from)."""
    slot = getattr(crawler.engine, "_slot", None)
    scheduler = getattr(slot, "scheduler", None)
    if scheduler is not None and hasattr(scheduler, "__len__"):
        return len(scheduler)
    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    return int(stats.get("scheduler/enqueued", 0)) - int(stats.get("scheduler/dequeued", 0))


def engine_idle(crawler: Crawler) -> bool:
    """Nothing queued, downloading or being processed: no callback can add to the backlog any more.
    (Scrapy's own ``spider_is_idle`` is never true while ``start()`` runs, which is what waits here.)"""
    engine = crawler.engine
    slot = getattr(engine, "_slot", None)
    if engine is None or slot is None:
        return True
    scraper_slot = getattr(engine.scraper, "slot", None)
    return (not engine.downloader.active and not slot.inprogress
            and (scraper_slot is None or scraper_slot.is_idle())
            and not slot.scheduler.has_pending_requests())


async def pause(seconds: float) -> Any:
    """Wait without blocking the reactor (asyncio or not)."""
    # imported here: importing the reactor at module level would install the default one before Scrapy's
    from twisted.internet import reactor

    return await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))
