"""The ``ccnews`` spider: articles from Common Crawl News (or any WARC files served over HTTP).

    scrapy crawl ccnews -a month=2026/11 -a domains=bbc.co.uk,dw.com -a language=en
    scrapy crawl ccnews -a paths=warc.paths.gz          # a path list: local file or URL
    scrapy crawl ccnews -a urls=https://host/a.warc.gz,https://host/b.warc.gz

Each WARC file is one Scrapy request (so JOBDIR, Scrapyd and the Redis frontier share files out
as they share pages), answered at once by ``WarcStreamStub``; the callback then streams the file
over HTTP in a thread, a record at a time, and sends each HTML 200 response that passes the
filters (``domains``, ``since``/``until`` on the WARC-Date, ``language`` after extraction) to the
worker pool. Memory stays bounded: one record read ahead, at most ``CCNEWS_IN_FLIGHT`` pages
waiting for extraction, records over ``WARC_MAX_RECORD_SIZE`` skipped unread.

Resumable (``-s JOBDIR=...``): the spider state keeps, per file, the offset of the first record
not yet written (or "done"); a resumed job skips finished files and continues the others there
with an HTTP Range request.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from ..archives.extract import PageFailure, extract_archived
from ..archives.remote import ccnews_paths_url, open_warc, read_paths
from ..archives.select import PageFilter, parse_day
from ..archives.stub import STREAM_META, WarcStreamStub
from ..archives.warc import ArchivedPage, ArchiveError, iter_responses
from ..discovery.scope import ScopeMiddleware
from ..extraction import SiteSelectors
from ..incremental.everything import apply_all_argument
from ..jobs.extension import RunExtension
from ..jobs.run import CrawledRecord, Run, RunSpec
from ..workers.pool import ArticleExtractor

DONE = "done"
PROGRESS_EVERY = 1000


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip().lower() for v in (value or "").split(",") if v.strip())


class CCNewsSpider(scrapy.Spider):
    name = "ccnews"
    extractor: ArticleExtractor  # set in from_crawler: the extraction pool of this crawler
    custom_settings = {
        # WARC files are bulk data, not pages of a site: no robots.txt, no politeness delay per page
        "ROBOTSTXT_OBEY": False,
        # one file streams faster than the pool extracts it; the request for the next one waits
        # in WarcStreamStub meanwhile, so a process holds two files of a shared queue at most
        "CONCURRENT_REQUESTS": 1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOADER_MIDDLEWARES": {f"{WarcStreamStub.__module__}.WarcStreamStub": 10},
    }

    def __init__(self, paths: str | None = None, urls: str | None = None, month: str | None = None,
                 domains: str | None = None, language: str | None = None, since: str | None = None,
                 until: str | None = None, date_from: str = "warc", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not (paths or urls or month):
            raise ValueError("nothing to read: pass -a month=2026/11, -a paths=warc.paths.gz or -a urls=URL,URL")
        if month:
            ccnews_paths_url(month, "")  # a misspelt month is a usage error (the crawl command checks it first)
            year, number = (int(part) for part in month.strip().split("/"))
            today = dt.date.today()
            if (year, number) > (today.year, today.month):
                raise ValueError(f"-a month={month} is in the future: Common Crawl has no files for it yet")
        try:
            window = parse_day(since), parse_day(until, end=True)
        except ValueError:
            raise ValueError(f"-a since={since} / -a until={until}: expected ISO dates, like 2026-11-01") from None
        if date_from not in ("warc", "article"):
            raise ValueError(f"-a date_from={date_from}: expected warc or article")
        self.paths_source = paths
        self.month = month
        self.warc_urls = [u.strip() for u in (urls or "").split(",") if u.strip()]
        self.filter = PageFilter(domains=_split(domains), since=window[0], until=window[1],
                                 on_article_date=date_from == "article", languages=_split(language))
        self.selectors = SiteSelectors()
        self.site_name = None
        self.done_urls: set[str] = set()
        # what the run reads, for the Redis frontier's default crawl key (the digest of start_urls)
        self.start_urls = [*self.warc_urls, *([paths] if paths else []), *([f"month:{month}"] if month else []),
                           f"filter:{self.filter!r}"]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CCNewsSpider:
        apply_all_argument(crawler, kwargs.get("all"))
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.extractor = ArticleExtractor.from_crawler(crawler)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        return spider

    @property
    def output_name(self) -> str:
        return self.name

    def run_spec(self) -> RunSpec:
        """What this run is of (scrapers/jobs/extension.py builds the run from it)."""
        return RunSpec(spider=self.name, name=self.output_name, start_urls=tuple(self.start_urls),
                       job_id=self.__dict__.get("_job"))  # Scrapyd's job id, a spider argument

    @property
    def run(self) -> Run:
        """The run, built by the run extension: the record path, the files and the counts."""
        return RunExtension.of(self.crawler).run

    def _opened(self) -> None:
        # after a kill the offsets are lost with Scrapy's job files: pages already written are skipped
        self.done_urls = self.run.done_urls
        scope = self.crawler.get_downloader_middleware(ScopeMiddleware)
        if scope is not None:
            scope.use(None, self.start_urls)

    def _release_file_slot(self) -> None:
        """Taken by WarcStreamStub before the response was given (``CCNEWS_FILES_AT_ONCE``)."""
        stub = self.crawler.get_downloader_middleware(WarcStreamStub)
        if stub is not None:
            stub.release()

    def file_urls(self) -> list[str]:
        base = self.settings.get("CCNEWS_BASE_URL")
        urls = list(self.warc_urls)
        if self.month:
            urls += read_paths(ccnews_paths_url(self.month, base), base)
        if self.paths_source:
            urls += read_paths(self.paths_source, base)
        return urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        try:
            urls = await asyncio.to_thread(self.file_urls)
        except (OSError, ValueError) as err:  # no network, a 404 for the month, a path list that is not one
            # the run fails with this reason (exit 1, one line), not a start-up traceback
            reason = "not a text file of WARC paths" if isinstance(err, UnicodeDecodeError) else \
                getattr(err, "reason", None) or err
            self.run.error("paths", f"cannot read the list of WARC files "
                                    f"({self.paths_source or self.month or 'urls'}): {reason}")
            return
        self.logger.info("ccnews: %d WARC files to read", len(urls))
        offsets = self._offsets()
        for number, url in enumerate(urls, 1):
            if offsets.get(url) == DONE:
                continue
            # a file a stopped job was reading is not in the queue any more: ask for it again
            yield scrapy.Request(url, callback=self.parse_warc, errback=self.on_error,
                                 dont_filter=url in offsets, priority=-number,
                                 meta={STREAM_META: True, "stage": "archive", "file_number": number,
                                       "file_count": len(urls)})

    # -- one WARC file ------------------------------------------------------------------------

    async def parse_warc(self, response: Response) -> AsyncIterator[CrawledRecord]:
        try:
            async for item in self._read_warc(response):
                yield item
        finally:
            self._release_file_slot()

    async def _read_warc(self, response: Response) -> AsyncIterator[CrawledRecord]:
        url = response.url
        offsets = self._offsets()
        start = int(offsets.get(url) or 0)
        label = f"WARC {response.meta.get('file_number', '?')}/{response.meta.get('file_count', '?')} {url}"
        self.logger.info("%s: reading from offset %d", label, start)
        try:
            stream = await asyncio.to_thread(open_warc, url, start, self.settings.getfloat("DOWNLOAD_TIMEOUT"))
        except OSError as err:
            self._fail(url, "archive", _open_error_reason(err), str(err)[:300])
            return
        pages = iter_responses(stream, self.settings.getint("WARC_MAX_RECORD_SIZE"), start)
        limit = self.settings.getint("CCNEWS_IN_FLIGHT") or 2 * max(1, self.extractor.workers)
        pending: dict[asyncio.Task[CrawledRecord | None], int] = {}
        records = written = 0
        read_upto = start
        finished = False
        try:
            while not self._closing():
                try:
                    page = await asyncio.to_thread(next, pages, None)
                except ArchiveError as err:  # not an archive, truncated, bad length...: its own reason
                    self._fail(url, "archive", err.reason, str(err))
                    finished = True
                    break
                except OSError as err:  # the connection broke: the file is read again from here next time
                    self._fail(url, "archive", "connection_error", str(err)[:300])
                    break
                if page is None:
                    finished = True
                    break
                records += 1
                read_upto = page.offset + page.length
                skip = "already_written" if page.url in self.done_urls else self.filter.skip_reason(page)
                if skip:
                    self.run.counts.skipped[skip] += 1
                else:
                    # each archived page counts as a response received: the crawl's failure ratio
                    # and the manifest's pages_fetched are about pages, not WARC files
                    self.crawler.stats.inc_value("response_received_count")
                    pending[asyncio.ensure_future(self._extract(page))] = page.offset
                while len(pending) >= limit:
                    for item in await self._next_done(pending):
                        written += 1
                        yield item
                offsets[url] = min([*pending.values(), read_upto])
                if records % PROGRESS_EVERY == 0:
                    self.logger.info("%s: %d records read, %d articles, offset %d", label, records, written, read_upto)
            while pending:
                for item in await self._next_done(pending):
                    written += 1
                    yield item
        finally:
            stream.close()
        offsets[url] = DONE if finished else read_upto
        self.crawler.stats.inc_value("presswire/ccnews/records_read", records)
        if finished:
            self.crawler.stats.inc_value("presswire/ccnews/files_done")
        self.logger.info("%s: %s, %d records read, %d articles", label, "done" if finished else "stopped",
                         records, written)

    async def _next_done(self, pending: dict[asyncio.Task[CrawledRecord | None], int]) -> Iterator[CrawledRecord]:
        done, _ = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        items: list[CrawledRecord] = []
        for task in done:
            del pending[task]
            result = task.result()
            if result is not None:
                items.append(result)
        return iter(items)

    async def _extract(self, page: ArchivedPage) -> CrawledRecord | None:
        result = await extract_archived(self.extractor, page, self.filter, self.name, self.selectors)
        if isinstance(result, PageFailure):
            self._fail(page.url, result.stage, result.reason, result.detail)
            return None
        if isinstance(result, str):
            self.run.counts.skipped[result] += 1
            return None
        return CrawledRecord(*result)

    # -- helpers --------------------------------------------------------------------------

    def on_error(self, failure: Any) -> None:
        self._fail(failure.request.url, "archive", "download_error", str(failure.value)[:300])

    def _offsets(self) -> dict[str, Any]:
        """Per WARC URL: the offset to continue from, or "done" (kept in JOBDIR's spider state)."""
        state = getattr(self, "state", None)
        if not isinstance(state, dict):
            state = self.__dict__.setdefault("_offsets_without_jobdir", {})
        return state.setdefault("warc_offsets", {})

    def _closing(self) -> bool:
        """The crawl is stopping (Ctrl-C, CLOSESPIDER_*): stop reading, keep the offset."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        return engine is None or not engine.running or (slot is not None and slot.closing is not None)

    def _fail(self, url: str, stage: str, reason: str, detail: str = "") -> None:
        self.logger.warning("no article from %s (%s: %s) %s", url, stage, reason, detail)
        self.run.fail(url, stage, reason, detail)


def _open_error_reason(err: OSError) -> str:
    code = getattr(err, "code", None)
    if isinstance(code, int):
        return "http_4xx" if code < 500 else "http_5xx"
    return "connection_error"
