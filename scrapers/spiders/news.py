"""The generic news spider: discovers a site's sources and sends article pages to extraction."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from ..discovery.backlog import Backlog, Candidate, PendingSitemap
from ..discovery.botwalls import block_reason
from ..discovery.failures import classify
from ..discovery.scope import Scope, ScopeMiddleware, has_credentials, redact
from ..discovery.start_urls import start_url_problem
from ..discovery.urls import clean_url, host_of, is_http, looks_like_article, looks_like_listing
from ..discovery.window import Window
from ..extraction import ExtractionError, SiteSelectors
from ..incremental.everything import apply_all_argument
from ..incremental.known import KnownUrls
from ..jobs.extension import RunExtension
from ..jobs.run import CrawledRecord, CrawlMeta, Run, RunSpec, now_iso
from ..rendering.policy import Rendering, RenderMiddleware
from ..sites import SiteConfig, load_site
from ..workers.pool import ArticleExtractor, WorkerFailure
from .feeding import BacklogDiscovery

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
_NEXT_TEXT = re.compile(r"^\s*(?:next|older|more|weiter|suivant|siguiente)\b|^\s*[»›→]\s*$", re.I)
_HTML_TYPES = (b"text/html", b"application/xhtml+xml")
DISCOVERY = "presswire/discovery/"


class NewsSpider(BacklogDiscovery, scrapy.Spider):
    """Crawl a news site from its homepage: sitemaps from robots.txt, feeds, sections.

    ``-a url=URL[,URL...]`` crawls any site; ``-a site=NAME`` uses ``scrapers/sites/NAME.toml``
    (``url`` then overrides its start URLs). ``-a since=`` / ``-a until=`` (or ``CRAWL_SINCE`` /
    ``CRAWL_UNTIL``) limit the crawl to a date window (discovery/window.py).

    Sitemap and feed entries are not requested as they are read: they go to a backlog
    (discovery/backlog.py) that ``start()`` feeds to the scheduler while its queue is shorter than
    ``DISCOVERY_QUEUE_SIZE``, checking each against the window, the budgets and what earlier runs
    wrote (incremental/known.py); the next sitemap is read only when the backlog runs dry.
    """

    name = "news"
    extractor: ArticleExtractor  # set in from_crawler: the extraction pool of this crawler
    rendering: Rendering  # set in from_crawler: which article pages go through the browser

    # A per-site spider (scrapers/spiders/sites.py) is this spider with its config name fixed.
    fixed_site: str | None = None

    def __init__(self, url: str | None = None, site: str | None = None, *args: Any,
                 sites_dir: str | None = None, since: str | None = None, until: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.window_arguments = (since, until)
        urls, self.site_config = self.resolve_arguments(url, site, sites_dir)
        config = self.site_config
        self.start_urls = urls
        self.allowed_domains = (config.allowed_domains if config and config.allowed_domains else
                                sorted({host_of(u) for u in urls}))
        # what links, redirects, sitemap and feed entries may lead to: the start URLs' origins, or
        # the config's allowed_domains (discovery/scope.py; ScopeMiddleware checks every request)
        self.scope = Scope.of(urls, config.allowed_domains if config else [])
        self.article_allow = [re.compile(p) for p in (config.article_allow if config else [])]
        self.article_deny = [re.compile(p) for p in (config.article_deny if config else [])]
        self.selectors = config.selectors if config else SiteSelectors()
        self.site_name = config.name if config else None
        self.listing_pages = 0
        self.articles_per_host: Counter[str] = Counter()
        self.done_urls: set[str] = set()
        self.backlog = Backlog()
        self.window = Window()
        self.known: KnownUrls | None = None
        self.sitemaps_requested = 0
        self.seen_sitemaps: set[str] = set()
        self.considered: set[int] = set()       # URLs requested, or skipped on a lastmod
        self.skipped_undated: set[int] = set()  # URLs skipped, listed without a date so far

    @staticmethod
    def resolve_window(since: str | None, until: str | None, settings: Any) -> Window:
        """The crawl's date window: ``-a since/until``, else the CRAWL_SINCE/CRAWL_UNTIL settings;
        ValueError with a one-line message for a bad bound (the crawl command checks it first)."""
        names = ("-a since" if since else "-s CRAWL_SINCE", "-a until" if until else "-s CRAWL_UNTIL")
        since = since or settings.get("CRAWL_SINCE") or None
        until = until or settings.get("CRAWL_UNTIL") or None
        return Window.parse(since, until, names=names)

    @classmethod
    def resolve_arguments(cls, url: str | None = None, site: str | None = None,
                          sites_dir: str | None = None) -> tuple[list[str], SiteConfig | None]:
        """The start URLs and site config for ``-a url=`` / ``-a site=``; ValueError with a one-line
        message when they cannot be crawled (the crawl command checks this before starting)."""
        site = cls.fixed_site or site
        config = load_site(site, sites_dir) if site else None
        urls = [u.strip() for u in (url or "").split(",") if u.strip()] or (config.start_urls if config else [])
        if not urls:
            raise ValueError("nothing to crawl: pass -a url=https://site.example/ or -a site=NAME")
        for start in urls:
            problem = start_url_problem(start, "-a url=" if url else "")
            if problem:
                where = f"-a url={redact(start)}" if url else f"site {site!r}: start_urls: {redact(start)}"
                raise ValueError(f"{where}: {redact(problem)}")
            if has_credentials(start):
                raise ValueError(f"a start URL cannot carry credentials: {redact(start)!r}")
        return urls, config

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        kwargs.setdefault("sites_dir", crawler.settings.get("SITES_DIR"))
        apply_all_argument(crawler, kwargs.get("all"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extractor = ArticleExtractor.from_crawler(crawler)
        spider.rendering = Rendering.from_crawler(crawler, spider.site_config)
        spider.window = cls.resolve_window(*spider.window_arguments, crawler.settings)
        settings = crawler.settings
        if settings.getbool("INCREMENTAL_ENABLED") and settings.getbool("INCREMENTAL_DISCOVERY"):
            spider.known = KnownUrls.from_settings(settings, spider.output_name)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider._article_in_flight, signal=signals.request_reached_downloader)
        crawler.signals.connect(spider._request_dropped, signal=signals.request_dropped)
        return spider

    @property
    def output_name(self) -> str:
        """The folder name of this crawl's dumps: the site config's name, else the spider's."""
        return self.site_name or self.name

    def run_spec(self) -> RunSpec:
        """What this crawl's run is of (scrapers/jobs/extension.py builds the run from it)."""
        return RunSpec(spider=self.name, name=self.output_name, site=self.site_name,
                       start_urls=tuple(self.start_urls), window=self.window,
                       job_id=self.__dict__.get("_job"))  # Scrapyd's job id, a spider argument

    @property
    def run(self) -> Run:
        """The crawl's run, built by the run extension: the record path, the files and the counts."""
        return RunExtension.of(self.crawler).run

    def _opened(self) -> None:
        self.done_urls = self.run.done_urls  # pages a killed job of this JOBDIR already handled
        # the scope middleware checks every request against this crawl's origins
        scope = self.crawler.get_downloader_middleware(ScopeMiddleware)
        if scope is not None:
            scope.use(self.scope, self.start_urls)
        # the render middleware prepares the requests this crawl's rendering sends to the browser
        render = self.crawler.get_downloader_middleware(RenderMiddleware)
        if render is not None:
            render.use(self.rendering)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        config = self.site_config
        # counted by the spider (0 so far), not guessed from failure reasons: the failure ratio's denominator
        self.run.counts.requests_without_response = 0
        # A job resumed after Ctrl-C: articles that were downloading when it stopped are in the
        # dupefilter but never reached the dump, so they are requested again.
        for url in sorted(self._in_flight()):
            yield self._article_request(url, source="resume").replace(dont_filter=True)
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_homepage, errback=self.on_error,
                                 meta={"stage": "listing"}, priority=5)
        # robots.txt and sitemaps are read by every process itself, not through the (shared) scheduler:
        # in a distributed run each process then holds the whole backlog, so a killed one loses nothing
        for url in self.start_urls:
            robots = scrapy.Request(urljoin(url, "/robots.txt"), callback=self.parse_robots, errback=self.on_error,
                                    meta={"stage": "robots"}, priority=10)
            response = await self._download_directly(robots)
            if response is not None:
                self.parse_robots(response)
        for url in config.sitemaps if config else []:
            self.backlog.add_sitemap(PendingSitemap(url, 0))
        for url in config.feeds if config else []:
            yield self._feed_request(url)
        if not self.window.is_open:
            self.logger.info("date window: %s", self.window.describe())
        async for request in self._feed_scheduler():
            yield request


    def parse_homepage(self, response: Response) -> Iterator[scrapy.Request]:
        if not self._usable_page(response, "listing", block_reason(response)):
            return
        for link in response.xpath("//link[@rel='alternate'][@href]"):
            if (link.attrib.get("type") or "").lower() in _FEED_TYPES:
                url = response.urljoin(link.attrib["href"])
                if is_http(url) and self.scope.allows(url):
                    yield self._feed_request(url)
        yield from self.parse_listing(response, sections=True)

    def parse_listing(self, response: Response, sections: bool = False) -> Iterator[scrapy.Request]:
        if not sections and not self._usable_page(response, "listing", block_reason(response)):
            return
        depth = response.meta.get("listing_depth", 0)
        page = response.meta.get("page_number", 1)
        next_links = self._next_links(response)
        for url in self._links(response):
            if self.window.excludes_path_of(url):  # a dated article or archive page outside the window
                if self._wants_article(url):
                    self._outside_window(url)
                else:
                    self.crawler.stats.inc_value(f"{DISCOVERY}listings_out_of_window")
                continue
            if self._wants_article(url):
                request = self._candidate_request(Candidate(url, "listing"))
                if request is not None:
                    yield request
            elif not looks_like_listing(url):
                continue
            elif url in next_links and page < self.settings.getint("NEWS_MAX_PAGINATION"):
                yield from self._listing_request(url, depth, page + 1)
            elif sections and depth < self.settings.getint("NEWS_LISTING_DEPTH"):
                yield from self._listing_request(url, depth + 1, 1)

    # -- articles -------------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[CrawledRecord | scrapy.Request]:
        try:
            # a consent wall, or an app shell that gave no article: once more through the browser
            blocked = block_reason(response)
            if blocked and (again := self.rendering.again(response)) is not None:
                yield again
                return
            if not self._usable_page(response, "fetch", blocked):
                return
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
            try:
                extracted = await self.extractor.extract(response.body, response.url, content_type, self.selectors)
            except (ExtractionError, WorkerFailure) as err:
                self._fail(response.url, "extract", err.reason, err.detail)
                return
            asked = response.url if response.request is None else response.request.url
            meta = CrawlMeta(fetched_at=now_iso(), spider=self.name,
                             warc_record_id=response.meta.get("warc_record_id"),  # set by the WARC recorder
                             site=self.site_name, requested=(response.meta.get("redirect_urls") or [asked])[0],
                             lastmod=response.meta.get("lastmod"))
            record = CrawledRecord(extracted, meta)
            if (again := self.rendering.again(response, record, record.body_words())) is not None:
                yield again
                return
        finally:
            self._in_flight().discard(response.url if response.request is None else response.request.url)
        yield record

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errback failures
        self._in_flight().discard(request.url)
        classified = classify(failure)
        if request.meta.get("stage") == "robots" and classified and classified[0] == "http_4xx":
            classified = None  # no robots.txt: everything is allowed, nothing failed
        if classified is None:
            self.crawler.stats.inc_value("presswire/skipped/policy")
            self.logger.debug("skipped %s: %s", request.url, failure.value)
            return
        if not failure.check(HttpError):
            counts = self.run.counts
            counts.requests_without_response = (counts.requests_without_response or 0) + 1
        first_url = (request.meta.get("redirect_urls") or [request.url])[0]
        self._fail(first_url, request.meta.get("stage", "fetch"), *classified)

    # -- helpers --------------------------------------------------------------------------

    def _usable_page(self, response: Response, stage: str, blocked: str | None) -> bool:
        """An HTML page that is what we asked for, not a challenge or a consent wall (``blocked``: the
        page's block_reason, worked out once per page by the caller)."""
        if blocked:
            self._fail(response.url, stage, "blocked", blocked)
            return False
        content_type = (response.headers.get("Content-Type") or b"").lower()
        if content_type and not any(t in content_type for t in _HTML_TYPES):
            self._fail(response.url, stage, "not_html", content_type.decode("latin-1"))
            return False
        return True

    def _in_flight(self) -> set[str]:
        """Article URLs handed to the downloader and not finished yet (kept only with JOBDIR)."""
        state = getattr(self, "state", None)
        return state.setdefault("articles_in_flight", set()) if isinstance(state, dict) else set()

    def _article_in_flight(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        if request.meta.get("stage") == "fetch":
            self._in_flight().add(request.url)

    def _scheduled(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """Article requests that entered the queue: not the ones a (shared) dupefilter refused."""
        if request.meta.get("stage") == "fetch":
            self.run.counts.article_requests += 1

    def _closed(self) -> None:
        if self.known is not None:
            self.known.close()
            self.known = None

    def _request_dropped(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """The dupefilter refused a redirect target: back along its own chain (a loop), or a page
        this crawl has already seen."""
        chain = request.meta.get("redirect_urls") or []
        stage = request.meta.get("stage", "fetch")
        if request.url in chain:
            self._fail(chain[0], stage, "redirect_loop", " -> ".join([*chain, request.url])[:500])
        elif chain:
            self.crawler.stats.inc_value("presswire/skipped/redirect_to_seen_page")

    def _wants_article(self, url: str, listed_as_news: bool = False) -> bool:
        if not is_http(url) or not self.scope.allows(url) or url in self.done_urls:
            return False
        if any(p.search(url) for p in self.article_deny):
            return False
        if self.article_allow:
            return any(p.search(url) for p in self.article_allow)
        return listed_as_news or looks_like_article(url)

    def _article_request(self, url: str, source: str, lastmod: dt.datetime | None = None) -> scrapy.Request:
        return scrapy.Request(clean_url(url), callback=self.parse_article, errback=self.on_error,
                              meta={"stage": "fetch", "source": source,
                                    "lastmod": lastmod.isoformat() if lastmod else None})

    def _sitemap_request(self, url: str, depth: int = 0) -> scrapy.Request:
        # read by the spider itself (_read_sitemap), never scheduled: a resumed job (JOBDIR) reads its
        # sitemaps again to refill the backlog, which is not kept; seen_sitemaps stops loops
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error,
                              meta={"stage": "sitemap", "sitemap_depth": depth}, priority=10)

    def _feed_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_feed, errback=self.on_error, meta={"stage": "feed"},
                              priority=8)

    def _listing_request(self, url: str, depth: int, page: int) -> list[scrapy.Request]:
        """Listing pages are bounded in total, so calendars and endless archives end."""
        if self.listing_pages >= self.settings.getint("NEWS_MAX_LISTING_PAGES"):
            self.crawler.stats.inc_value("presswire/skipped/listing_budget")
            return []
        self.listing_pages += 1
        return [scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                               meta={"stage": "listing", "listing_depth": depth, "page_number": page})]

    def _links(self, response: Response) -> Iterator[str]:
        seen: set[str] = set()
        for href in response.xpath("//a/@href").getall():
            url = clean_url(response.urljoin(href.strip()))
            if url not in seen and is_http(url) and self.scope.allows(url):
                seen.add(url)
                yield url

    def _next_links(self, response: Response) -> set[str]:
        links = set()
        for a in response.xpath("//a[@href] | //link[@rel='next'][@href]"):
            rel = (a.attrib.get("rel") or "").lower().split()
            text = " ".join(a.xpath(".//text()").getall())
            if "next" in rel or _NEXT_TEXT.match(text):
                links.add(clean_url(response.urljoin(a.attrib["href"])))
        return links

    def _fail(self, url: str, stage: str, reason: str, detail: str = "") -> None:
        url, detail = redact(url), redact(detail)
        self.logger.warning("no article from %s (%s: %s) %s", url, stage, reason, detail)
        self.run.fail(url, stage, reason, detail)
