"""The Scrapy side of a run: an extension that builds the crawl's ``Run`` (jobs/run.py) before any other
component opens, and ties it to the crawler's signals.

It takes the run lock, settles the job's identity (a resumed ``JOBDIR`` job keeps its own), opens the
incremental store, and later: opens the files when the spider opens, writes a failure line for each
page or record that gave no article, prints the progress line, publishes the job when the spider
closes, and frees the lock when the engine stops. Components get the run from it
(``RunExtension.of(crawler)``); the spider and the item pipeline are handed ``run`` and nothing else.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import sys
from typing import Any, Protocol, runtime_checkable

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task
from twisted.python.failure import Failure

from ..health.check import HealthCheck
from ..incremental.recrawl import RecrawlIntervalMiddleware
from ..incremental.shared import SharedFetches
from ..incremental.store import SeenStore, store_path
from .files import NoFreeJobName, RunFiles, claim_job_files, job_files, partial_path
from .lock import RunLock, lock_jobdir, lock_name, lock_path
from .publication import publish_run
from .record import COUNTED_ONLY_STAGES, Refused
from .run import FirstVersions, Run, RunSpec, Versions
from .signals import job_closing, page_failed
from .state import (
    JobRefused,
    check_owner,
    killed_job,
    mark_job,
    new_job_id,
    owner_of,
    recover_killed_job,
    resumed_identity,
    start_job,
)
from .versions import StoreVersions

# Close reasons after which a JOBDIR job will be resumed: keep the partial files for it.
RESUMABLE_REASONS = {"shutdown"}
PUBLISHED_FILES_STAT = "presswire/published_files"
logger = logging.getLogger(__name__)


@runtime_checkable
class RunSpider(Protocol):
    """A spider that says what its run is of (the news and ccnews spiders)."""

    def run_spec(self) -> RunSpec: ...


class RecordDropped(DropItem):
    """A record the run refused, as Scrapy's item pipelines report a drop."""

    def __init__(self, refused: Refused) -> None:
        self.stage, self.reason, self.detail = refused.stage, refused.reason, refused.detail
        # duplicates and unchanged articles are routine; refused records deserve attention
        super().__init__(str(refused), log_level="INFO" if refused.stage in COUNTED_ONLY_STAGES else "WARNING")


def make_versions(settings: BaseSettings, name: str) -> Versions:
    """The incremental store's versions, or every record new when the store is off (``-a all=1``).
    The store is opened here, before the first request: an unusable one stops the crawl with one line."""
    if not settings.getbool("INCREMENTAL_ENABLED"):
        return FirstVersions(None)  # the store is neither read nor updated: the version is not known
    store = SeenStore(store_path(settings), settings.getfloat("INCREMENTAL_BUSY_TIMEOUT"))
    versions = StoreVersions(store, name, settings.getfloat("INCREMENTAL_RETENTION_DAYS"),
                             shared=lambda: SharedFetches.from_settings(settings, name))
    versions.housekeeping()
    return versions


def open_run(spec: RunSpec, settings: BaseSettings) -> tuple[Run, list[RunLock]]:
    """A crawl's run from its settings: locks, job identity, files, store, recovery of a killed job."""
    locks: list[RunLock] = []
    try:
        if settings.getbool("RUN_LOCK_ENABLED") and not settings.get("REDIS_URL"):
            name = lock_name(spec)
            locks.append(RunLock(lock_path(settings, name), name))
        jobdir = settings.get("JOBDIR")
        owner = owner_of(spec.spider, spec.name, lock_name(spec))
        if jobdir:
            check_owner(jobdir, owner)
            locks.append(lock_jobdir(jobdir))
        killed = killed_job(jobdir)
        versions = make_versions(settings, spec.name)
        files = open_job(settings, spec, jobdir, owner)  # last: a refused start leaves no claimed name
        run = Run(spec, files, min_body_words=settings.getint("VALIDATE_MIN_BODY_WORDS"), versions=versions,
                  versioned=settings.getbool("INCREMENTAL_ENABLED"))
        if isinstance(versions, StoreVersions):
            versions.report = run.error
        if settings.getbool("HEALTH_ENABLED"):
            history = versions.store if isinstance(versions, StoreVersions) else None
            run.health = HealthCheck.from_settings(settings, lock_name(spec), spec.site, history,
                                                   process=f"{socket.gethostname()}:{os.getpid()}")
        if killed and jobdir and files is not None:
            run.done_urls = recover_killed_job(jobdir, files)
    except BaseException:
        for lock in locks:
            lock.release()
        raise
    return run, locks


def open_job(settings: BaseSettings, spec: RunSpec, jobdir: str | None, owner: dict[str, str]) -> RunFiles | None:
    """The job's files: a job resumed from JOBDIR keeps its own; a new job claims a name no earlier job
    used (``JOB_ID=nightly`` twice in a day: the second is ``nightly-2``) and is recorded in JOBDIR."""
    root, pattern = settings.get("JSONL_ROOT"), settings.get("JSONL_PATH_PATTERN")
    use_gzip = settings.getbool("JSONL_GZIP")
    resumed = resumed_identity(jobdir)
    if resumed is not None:
        job_id, started_at = resumed
        return job_files(root, pattern, spec.name, job_id, started_at, use_gzip) \
            if settings.getbool("JSONL_ENABLED") else None
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    # Scrapyd passes its job id as the spider argument _job (older versions: SCRAPY_JOB)
    configured = settings.get("JOB_ID") or spec.job_id or os.environ.get("SCRAPY_JOB")
    job_id = new_job_id(configured, started_at)
    files = None
    if settings.getbool("JSONL_ENABLED"):
        try:
            files = claim_job_files(root, pattern, spec.name, job_id, started_at, use_gzip)
        except NoFreeJobName as err:
            raise JobRefused(str(err)) from None
        if files.job_id != job_id:
            logger.warning("job id %s is taken in %s by an earlier job: this job is %s", job_id, files.dump.parent,
                           files.job_id)
    try:
        start_job(jobdir, files.job_id if files else job_id, started_at, owner, files.manifest if files else None)
    except JobRefused:
        if files is not None:
            partial_path(files.dump).unlink(missing_ok=True)  # the claim: the name is free again
        raise
    return files


class RunExtension:
    def __init__(self, crawler: Crawler, run: Run, locks: list[RunLock]) -> None:
        self.crawler = crawler
        self.run = run
        self.locks = locks
        self.loop: task.LoopingCall | None = None
        self.interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        run.on_write_error = self._stop_on_write_error
        self._stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunExtension:
        spider = crawler.spider
        if spider is None:
            raise NotConfigured("no spider")
        spec = spider.run_spec() if isinstance(spider, RunSpider) else RunSpec(spider=spider.name, name=spider.name)
        run, locks = open_run(spec, crawler.settings)
        extension = cls(crawler, run, locks)
        connect = crawler.signals.connect
        connect(extension.spider_opened, signal=signals.spider_opened)
        connect(extension.spider_closed, signal=signals.spider_closed)
        connect(extension.engine_stopped, signal=signals.engine_stopped)
        connect(extension.page_failed, signal=page_failed)
        connect(extension.item_dropped, signal=signals.item_dropped)
        connect(extension.item_error, signal=signals.item_error)
        connect(extension.spider_error, signal=signals.spider_error)
        return extension

    @staticmethod
    def of(crawler: Crawler) -> RunExtension:
        """The crawler's run extension (enabled in ``EXTENSIONS``; built before every pipeline and middleware)."""
        extension = crawler.get_extension(RunExtension)
        if extension is None:
            raise NotConfigured(f"{__name__}.RunExtension is not enabled in EXTENSIONS")
        return extension

    # -- the engine's own counters ---------------------------------------------------------

    def counts(self) -> Run:
        """The run, its counts brought up to date with what only the engine counts."""
        stats = self.crawler.stats.get_stats() if self.crawler.stats is not None else {}
        counts = self.run.counts
        counts.pages_fetched = int(stats.get("response_received_count", 0))
        counts.robots_fetched = int(stats.get("robotstxt/response_count", 0))
        counts.run_pages = int(stats.get("presswire/frontier/run_pages", 0))
        counts.queued = max(0, int(stats.get("scheduler/enqueued", 0)) - int(stats.get("scheduler/dequeued", 0)))
        return self.run

    # -- signals ---------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.run.open_files()
        recrawl = self.crawler.get_downloader_middleware(RecrawlIntervalMiddleware)
        if recrawl is not None:
            recrawl.use(self.run.name, self._skipped_recent)
        if self.interval > 0:
            self.loop = task.LoopingCall(self.report)
            self.loop.start(self.interval, now=False)

    def _skipped_recent(self) -> None:
        self.run.counts.skipped_recent += 1

    def report(self) -> None:
        line = self.counts().counts.progress_line()
        print(line, file=sys.stderr, flush=True)
        if self.crawler.settings.get("LOG_FILE"):
            logger.info(line)  # Scrapyd's job log

    def page_failed(self, url: str, stage: str, reason: str, detail: str = "", spider: Spider | None = None) -> None:
        self.run.fail(url, stage, reason, detail)

    def item_dropped(self, item: Any, response: Any, exception: Exception, spider: Spider) -> None:
        if isinstance(exception, RecordDropped):
            return  # the run counted it and wrote its line
        self.run.refused(Refused("pipeline", "dropped", str(exception)), dict(item) if isinstance(item, dict) else None)

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        """A pipeline raised something other than a drop: the record is lost to this dump, so it is a
        failure with its own reason, never only a log line."""
        url = item.get("url") if isinstance(item, dict) else None
        self.run.fail(url or (response.url if response is not None else None), "pipeline", "item_error",
                      f"{failure.type.__name__}: {failure.value}"[:500])

    def spider_error(self, failure: Any, response: Any, spider: Spider) -> None:
        self.run.fail(response.url if response is not None else None, "spider", "spider_error",
                      f"{failure.type.__name__}: {failure.value}"[:500])

    def _stop_on_write_error(self) -> None:
        """End the crawl: every later line would be lost the same way."""
        engine = self.crawler.engine
        if engine is not None and not self._stopping:
            self._stopping = True
            deferred_from_coro(engine.close_spider_async(reason="write_error"))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        run = self.counts()
        run.close_files()
        if run.files is None:
            return
        jobdir = self.crawler.settings.get("JOBDIR")
        if reason in RESUMABLE_REASONS and jobdir:
            mark_job(jobdir, "interrupted")
            spider.logger.info("crawl interrupted (%s): partial dump kept for the resumed job", reason)
            return
        manifest = publish_run(run, reason, jobdir, lambda: self._closing(spider))
        if manifest is not None:
            counts = run.counts
            spider.logger.info("dump %s: %d articles written, %d dropped, %d failed, %d duplicates, %d unchanged",
                               run.files.dump, counts.written, sum(counts.refused.values()), counts.failed,
                               counts.duplicates, counts.all_unchanged)

    def _closing(self, spider: Spider) -> list[dict[str, Any]]:
        """Components publishing a file with the job do it now (job_closing); the files they published.
        A file that could not be published (the WARC: disk full, a file-size limit) stops the job's
        publication: its OSError goes to ``publish_run``, which publishes nothing."""
        assert self.crawler.stats is not None
        results = self.crawler.signals.send_catch_log(signal=job_closing, files=self.run.files, spider=spider)
        for _, result in results:
            if isinstance(result, Failure):  # logged by Scrapy: a bug, but the file is not published
                self.run.error("write", f"publishing a file with the job: {result.value!r}")
        if "write" in self.run.errors:
            raise OSError(self.run.errors["write"])
        return list(self.crawler.stats.get_value(PUBLISHED_FILES_STAT, []))

    def engine_stopped(self) -> None:
        self.run.versions.close()
        while self.locks:
            self.locks.pop().release()


def run_files(crawler: Crawler, spider: Spider | None = None) -> RunFiles:
    """The crawl's files (for components that publish a file beside the dump, like the WARC recorder)."""
    files = RunExtension.of(crawler).run.files
    if files is None:
        raise NotConfigured("JSONL_ENABLED is off: the run writes no files")
    return files


def job_error(crawler: Crawler, kind: str, detail: str) -> None:
    """A fault that fails the run (``Run.error``), from a component that is not handed the run."""
    extension = crawler.get_extension(RunExtension)
    if extension is not None:
        extension.run.error(kind, detail)


def stop_run(crawler: Crawler) -> None:
    """End the crawl after a fault that fails the run (``job_error``) and makes every later page useless."""
    extension = crawler.get_extension(RunExtension)
    if extension is not None:
        extension.run.on_write_error()
