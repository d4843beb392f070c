"""scrapy crawl, for scheduled runs: exits non-zero when the crawl failed or another one of the same
name is running, so cron, Scrapyd logs and CI can tell a bad run from a good one.

Exit codes: 0 the crawl worked; 1 it failed (the reasons go to stderr), including a start host or a
Redis that cannot be reached before the crawl starts; 2 usage or configuration error (a bad argument,
setting, site config or ``-o`` folder: nothing was fetched, see ``scrapers.commands.preflight``);
75 (EX_TEMPFAIL) another crawl of the same name holds the run lock, or another crawl runs with the same
``JOBDIR`` (``scrapers.jobs.lock``); a ``JOBDIR`` holding another crawl's unfinished job is refused with 2;
3 the crawl worked but its site health has findings (``scrapers.health``: a field's coverage, the body
length or a failure reason far from the site's normal, or no article at all), unless ``HEALTH_ALERTS=0``
or the site config's ``health_alerts = false``.

A crawl fails when it fetched no pages, ended early (``finish_reason`` other than ``finished`` or
a ``CLOSESPIDER_*`` limit), had more failed pages than ``SCHEDULED_MAX_FAILURES`` or a larger share
than ``SCHEDULED_MAX_FAILURE_RATIO``, or wrote fewer than ``SCHEDULED_MIN_ARTICLES`` articles.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from collections.abc import Mapping

# Imported here for its cost, not its names: Scrapy's TLS modules, which its HTTP download handler imports,
# build deprecated-class shims that call inspect.stack() (a read of every frame's source and a pass over
# every loaded module per frame). Here the stack is shallow; where the downloader would first import them,
# deep in the reactor with the whole crawl loaded, the same import costs about 0.2 s more CPU per crawl.
import scrapy.core.downloader.handlers.http11  # noqa: F401
from scrapy import signals
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from ..incremental.store import StoreUnusable
from ..jobs.counts import Counts
from ..jobs.extension import RunExtension
from ..jobs.lock import RunLocked
from ..jobs.run import Run
from ..jobs.state import JobRefused
from .crawl_help import crawl_epilog
from .logfile import guard_log_files
from .preflight import Refused, append_to_log, check_crawl
from .program import one_line_errors, program
from .stopped import SignalWatch, exit_code, resume_hint, signal_name, stopped_line
from .summary import Feed, local_feeds, summary_line

logger = logging.getLogger(__name__)

EXIT_FAILED = 1
EXIT_HEALTH = 3
EXIT_LOCKED = 75
COMPLETE_REASONS = {"finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"}


def crawl_problems(counts: Counts, errors: Mapping[str, str], finish_reason: str | None,
                   settings: BaseSettings) -> list[str]:
    """Why a finished crawl counts as failed; empty when it worked. Reads the run's counts, the same
    ones the progress line, the summary and the manifest show."""
    failures = counts.failures
    failed = counts.failed
    attempted = counts.attempted_pages()
    problems = [f"{kind} error: {detail}" for kind, detail in sorted(errors.items())]
    if finish_reason not in COMPLETE_REASONS:
        hint = resume_hint(finish_reason, settings)
        problems.append(f"the crawl ended early (finish reason: {finish_reason}){hint}")
    # In a distributed run (REDIS_URL) peers may have fetched every page: judge the run as a whole.
    if max(counts.pages_fetched - counts.robots_fetched, counts.run_pages) <= 0:
        problems.append("no pages fetched")
    max_failures = settings.get("SCHEDULED_MAX_FAILURES")
    if max_failures not in (None, "") and failed > int(max_failures):
        problems.append(f"{failed} failed pages, more than SCHEDULED_MAX_FAILURES={int(max_failures)}")
    max_ratio = settings.get("SCHEDULED_MAX_FAILURE_RATIO")
    if max_ratio not in (None, "") and attempted and failed / attempted > float(max_ratio):
        problems.append(f"{failed} of {attempted} pages failed ({failed / attempted:.0%}), more than "
                        f"SCHEDULED_MAX_FAILURE_RATIO={float(max_ratio):g}")
    min_articles = settings.getint("SCHEDULED_MIN_ARTICLES")
    articles = counts.written + counts.all_unchanged
    if articles < min_articles:
        problems.append(f"{articles} articles, fewer than SCHEDULED_MIN_ARTICLES={min_articles}")
    if failures and problems:
        problems.append("failures by reason: " + ", ".join(f"{k}={v}" for k, v in sorted(failures.items())))
    return problems


def crawl_exit_code(run: Run, problems: list[str]) -> int:
    """0, 1 (the crawl failed: ``problems``) or 3 (it worked, but site health findings alert)."""
    if problems:
        return EXIT_FAILED
    if run.health is not None and run.health.alerting:
        return EXIT_HEALTH
    return 0


def health_lines(run: Run) -> list[str]:
    """One line per site health finding, printed after the summary line."""
    return [f"health: {line}" for line in run.health.findings] if run.health is not None else []


class Command(ScrapyCrawlCommand):
    # Scheduled runs of one name never overlap; -s RUN_LOCK_ENABLED=0 switches the lock off.
    default_settings = {**ScrapyCrawlCommand.default_settings, "RUN_LOCK_ENABLED": True}

    def short_desc(self) -> str:
        return "Run a spider; exit non-zero when the crawl failed or one of the same name is running"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.usage = f"{program()} crawl [options] URL | NAME" if program() == "presswire" else parser.usage
        one_line_errors(parser, "crawl")
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        parser.epilog = crawl_epilog(program())

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if not args:
            raise UsageError("give what to crawl: a URL, or a spider or site name", print_help=False)
        if len(args) > 1:
            raise UsageError(f"one spider or site at a time, not {' '.join(args)} (several start URLs: "
                             "-a url=URL,URL)", print_help=False)
        # Before the crawler process exists: a refused crawl prints one line, not Scrapy's start-up banner.
        assert self.settings is not None
        loader = get_spider_loader(self.settings)
        names = sorted(loader.list())
        spidercls = loader.load(args[0]) if args[0] in names else None
        try:
            warnings = check_crawl(self.settings, names, spidercls, args[0], opts.spargs)
        except Refused as refused:
            for warning in refused.warnings:
                self._report(warning)
            self._report(str(refused))
            raise SystemExit(refused.exit_code) from None
        except KeyboardInterrupt:  # the start URL's host took its time to answer: Scrapy's handlers are not in yet
            self._report(f"{signal_name(signal.SIGINT)}: stopped before the crawl started; nothing fetched, nothing "
                         "written")
            raise SystemExit(exit_code(signal.SIGINT)) from None
        for warning in warnings:
            self._report(warning)
        # read before the feed exporter opens them: the summary says what -O replaced
        self._feeds: list[Feed] = local_feeds(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError  # process_options said why
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        # Scrapy installs the LOG_FILE handler again once the spider's settings are applied: guard the first
        # one now and the second when the spider opens (this receiver is connected before any extension's)
        guard_log_files(self._say)
        crawler.signals.connect(lambda: guard_log_files(self._say), signal=signals.spider_opened, weak=False)
        # What is alive when the spider opens (modules, classes, settings, the components: about 80,000
        # objects) lives as long as the crawl: frozen, the garbage collector no longer scans it in each of
        # the crawl's older-generation collections (about 0.08 s of CPU per 1,000 pages); unfrozen when the
        # engine stops. (Lambdas: pydispatch cannot call a builtin function.)
        crawler.signals.connect(lambda: gc.freeze(), signal=signals.spider_opened, weak=False)
        crawler.signals.connect(lambda: gc.unfreeze(), signal=signals.engine_stopped, weak=False)
        self._locked: RunLocked | None = None
        self._unusable: StoreUnusable | None = None
        self._refused: JobRefused | None = None
        running = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(running, Deferred):  # CrawlerProcess
            running.addErrback(self._on_lock_conflict)
        else:  # AsyncCrawlerProcess: an asyncio.Task
            running.add_done_callback(self._on_task_done)  # type: ignore[attr-defined]
        self._signals = SignalWatch(self.crawler_process, self.settings.get("JOBDIR") if self.settings else None)
        self.crawler_process.start()
        if self._locked is not None:
            self._report(str(self._locked))
            self.exitcode = EXIT_LOCKED
        elif self._unusable is not None:
            self._report(str(self._unusable))
            self.exitcode = EXIT_FAILED
        elif self._refused is not None:
            self._report(str(self._refused))
            self.exitcode = self._refused.exit_code
        elif self.crawler_process.bootstrap_failed:
            self._report("the crawl could not start (see the log)")
            self.exitcode = EXIT_FAILED
        else:
            self._summary(crawler)
            self.exitcode = self._judge(crawler)

    def _on_lock_conflict(self, failure: Failure) -> Failure | None:
        if isinstance(failure.value, RunLocked):
            self._locked = failure.value
            return None
        if isinstance(failure.value, StoreUnusable):
            self._unusable = failure.value
            return None
        if isinstance(failure.value, JobRefused):
            self._refused = failure.value
            return None
        return failure

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        # Retrieving the exception stops asyncio from logging it as unhandled, so log other errors here.
        error = None if task.cancelled() else task.exception()
        if isinstance(error, RunLocked):
            self._locked = error
        elif isinstance(error, StoreUnusable):
            self._unusable = error
        elif isinstance(error, JobRefused):
            self._refused = error
        elif error is not None:
            logger.error("the crawl failed to start", exc_info=error)

    @staticmethod
    def _run(crawler: Crawler) -> Run | None:
        """The crawl's run, its counts up to date; None when the crawl never got that far."""
        if crawler.stats is None or "finish_reason" not in crawler.stats.get_stats():
            return None
        try:
            extension = crawler.get_extension(RunExtension)
        except RuntimeError:  # the extensions were never built
            return None
        return extension.counts() if extension is not None else None

    def _judge(self, crawler: Crawler) -> int:
        run = self._run(crawler)
        if run is None:
            return self._unfinished(crawler)
        assert crawler.stats is not None
        problems = crawl_problems(run.counts, run.errors, crawler.stats.get_value("finish_reason"), crawler.settings)
        code = crawl_exit_code(run, problems)
        if code == EXIT_FAILED:
            self._report(f"crawl of {run.name} failed: " + "; ".join(problems))
        elif code == EXIT_HEALTH:
            assert run.health is not None
            self._report(f"crawl of {run.name} worked, but {len(run.health.findings)} site health finding(s) "
                         "(the health: lines above, the manifest's health block)")
        return code

    def _unfinished(self, crawler: Crawler) -> int:
        """A crawl that never closed: stopped by a second signal, or one that never ran."""
        forced = self._signals.forced
        try:
            extension = crawler.get_extension(RunExtension)
        except RuntimeError:  # the extensions were never built
            extension = None
        if extension is not None:
            self._report(stopped_line(extension.counts(), crawler.settings, forced))
        elif forced:
            self._report(f"stopped by a second {signal_name(forced)} before the crawl started: nothing fetched")
        else:  # the engine never ran: the error is logged above
            self._report("the crawl did not run (see the log)")
        return exit_code(forced)

    def _summary(self, crawler: Crawler) -> None:
        """The end-of-run line, at every log level: what was written and why the rest was not."""
        run = self._run(crawler)
        if run is None:
            return
        # Not prefixed "scrapy crawl:": that prefix marks a failed or refused run (cron greps for it).
        line = summary_line(run, crawler.settings, getattr(self, "_feeds", []))
        assert self.settings is not None
        for text in (line, *health_lines(run)):
            print(text, file=sys.stderr, flush=True)
            if self.settings.get("LOG_FILE"):
                logger.info(text)

    @staticmethod
    def _say(message: str) -> None:
        print(f"{program()} crawl: {message}", file=sys.stderr, flush=True)

    def _report(self, message: str) -> None:
        """stderr for cron and the terminal; also the log file when there is one (Scrapyd's job log)."""
        print(f"{program()} crawl: {message}", file=sys.stderr)
        assert self.settings is not None
        log_file = self.settings.get("LOG_FILE")
        if log_file and logging.getLogger().handlers:
            logger.error(message)
        elif log_file:  # refused before Scrapy set logging up: logging would print it to stderr again
            append_to_log(log_file, f"{logger.name} ERROR: {message}")
