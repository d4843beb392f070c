"""scrapy crawl, for scheduled runs: exits non-zero when the crawl failed or another one of the same
name is running, so cron, Scrapyd logs and CI can tell a bad run from a good one.

Exit codes: 0 the crawl worked; 1 it failed (the reasons go to stderr), including a start host or a
Redis that cannot be reached before the crawl starts; 2 usage or configuration error (a bad argument,
setting, site config or ``-o`` folder: nothing was fetched, see ``scrapers.commands.preflight``);
75 (EX_TEMPFAIL) another crawl of the same name holds the run lock (``scrapers.jobs.lock``).

A crawl fails when it fetched no pages, ended early (``finish_reason`` other than ``finished`` or
a ``CLOSESPIDER_*`` limit), had more failed pages than ``SCHEDULED_MAX_FAILURES`` or a larger share
than ``SCHEDULED_MAX_FAILURE_RATIO``, or wrote fewer than ``SCHEDULED_MIN_ARTICLES`` articles.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Mapping
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings
from scrapy.spiderloader import get_spider_loader
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from scrapers.commands.crawl_help import crawl_epilog
from scrapers.commands.preflight import Refused, append_to_log, check_crawl
from scrapers.commands.program import one_line_errors, program
from scrapers.incremental.counts import CHANGED_STAT, NEW_STAT
from scrapers.incremental.store import StoreUnusable
from scrapers.jobs.errors import job_errors
from scrapers.jobs.lock import RunLocked
from scrapers.jobs.progress import discovery_counts

logger = logging.getLogger(__name__)

EXIT_FAILED = 1
EXIT_LOCKED = 75
FAILURE_PREFIX = "presswire/failures/"
# Requests that got no response (after retries): attempted pages in the failure ratio, counted by
# the spider. Stats from elsewhere without the count fall back to these reasons.
NO_RESPONSE_STAT = "presswire/requests_without_response"
NO_RESPONSE_REASONS = {"timeout", "dns_error", "connection_error", "download_error"}
COMPLETE_REASONS = {"finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"}


def crawl_problems(stats: Mapping[str, Any], settings: BaseSettings) -> list[str]:
    """Why a finished crawl counts as failed; empty when it worked."""
    pages = stats.get("response_received_count", 0) - stats.get("robotstxt/response_count", 0)
    failures = {key[len(FAILURE_PREFIX):]: n for key, n in stats.items() if key.startswith(FAILURE_PREFIX)}
    failed = sum(failures.values())
    # an extraction timeout has a response: it is a failed page, not one more attempted page
    no_response = stats.get(NO_RESPONSE_STAT)
    if no_response is None:
        no_response = sum(n for reason, n in failures.items() if reason in NO_RESPONSE_REASONS)
    attempted = pages + no_response
    problems = [f"{kind} error: {detail}" for kind, detail in job_errors(dict(stats)).items()]
    reason = stats.get("finish_reason")
    if reason not in COMPLETE_REASONS:
        problems.append(f"the crawl ended early (finish reason: {reason})")
    # In a distributed run (REDIS_URL) peers may have fetched every page: judge the run as a whole.
    if max(pages, stats.get("presswire/frontier/run_pages", 0)) <= 0:
        problems.append("no pages fetched")
    max_failures = settings.get("SCHEDULED_MAX_FAILURES")
    if max_failures not in (None, "") and failed > int(max_failures):
        problems.append(f"{failed} failed pages, more than SCHEDULED_MAX_FAILURES={int(max_failures)}")
    max_ratio = settings.get("SCHEDULED_MAX_FAILURE_RATIO")
    if max_ratio not in (None, "") and attempted and failed / attempted > float(max_ratio):
        problems.append(f"{failed} of {attempted} pages failed ({failed / attempted:.0%}), more than "
                        f"SCHEDULED_MAX_FAILURE_RATIO={float(max_ratio):g}")
    min_articles = settings.getint("SCHEDULED_MIN_ARTICLES")
    articles = (stats.get("presswire/articles_written", 0) + stats.get("presswire/dropped/unchanged", 0)
                + stats.get("presswire/skipped/unchanged", 0))
    if articles < min_articles:
        problems.append(f"{articles} articles, fewer than SCHEDULED_MIN_ARTICLES={min_articles}")
    if failures and problems:
        problems.append("failures by reason: " + ", ".join(f"{k}={v}" for k, v in sorted(failures.items())))
    return problems


def summary_line(stats: Mapping[str, Any], dump: str | None) -> str:
    written = stats.get("presswire/articles_written", 0)
    # fetched and found unchanged, and not fetched at all because nothing said they changed
    unchanged = stats.get("presswire/dropped/unchanged", 0) + stats.get("presswire/skipped/unchanged", 0)
    skipped = stats.get("presswire/skipped/recently_fetched", 0)
    duplicates = sum(v for k, v in stats.items() if k.startswith("presswire/dropped/duplicate"))
    refused = (sum(v for k, v in stats.items() if k.startswith("presswire/dropped/"))
               - stats.get("presswire/dropped/unchanged", 0) - duplicates)
    failed = sum(v for k, v in stats.items() if k.startswith(FAILURE_PREFIX))
    new, changed = stats.get(NEW_STAT), stats.get(CHANGED_STAT)
    # without the counters the incremental store was off (-a all=1, INCREMENTAL_ENABLED=0): every article
    which = f"{new} new, {changed} changed" if new is not None else "all, the incremental store is off"
    line = (f"{written} articles written ({which}), {unchanged} unchanged since an earlier run, "
            f"{skipped} skipped (fetched less than INCREMENTAL_RECRAWL_HOURS ago), {duplicates} duplicates, "
            f"{failed + refused} pages without an article")
    line += "; " + discovery_counts(stats)
    budgets = [k.rpartition("/")[2] for k in sorted(stats) if k.startswith("presswire/budget/")]
    if budgets:
        line += "; budgets reached: " + ", ".join(budgets)
    if dump:
        line += f"; dump {dump}"
    if unchanged or skipped:
        line += "; unchanged and skipped articles are not written again: -a all=1 writes them all"
    return line


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
        for warning in warnings:
            self._report(warning)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError  # process_options said why
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self._locked: RunLocked | None = None
        self._unusable: StoreUnusable | None = None
        running = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(running, Deferred):  # CrawlerProcess
            running.addErrback(self._on_lock_conflict)
        else:  # AsyncCrawlerProcess: an asyncio.Task
            running.add_done_callback(self._on_task_done)  # type: ignore[attr-defined]
        self.crawler_process.start()
        if self._locked is not None:
            self._report(str(self._locked))
            self.exitcode = EXIT_LOCKED
        elif self._unusable is not None:
            self._report(str(self._unusable))
            self.exitcode = EXIT_FAILED
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
        return failure

    def _on_task_done(self, task: asyncio.Task[None]) -> None:
        # Retrieving the exception stops asyncio from logging it as unhandled, so log other errors here.
        error = None if task.cancelled() else task.exception()
        if isinstance(error, RunLocked):
            self._locked = error
        elif isinstance(error, StoreUnusable):
            self._unusable = error
        elif error is not None:
            logger.error("the crawl failed to start", exc_info=error)

    def _judge(self, crawler: Crawler) -> int:
        stats = crawler.stats.get_stats() if getattr(crawler, "stats", None) is not None else {}
        if "finish_reason" not in stats:  # the engine never ran: the error is logged above
            self._report("the crawl did not run (see the log)")
            return EXIT_FAILED
        problems = crawl_problems(stats, crawler.settings)
        if not problems:
            return 0
        name = getattr(crawler.spider, "output_name", None) or getattr(crawler.spider, "name", "?")
        self._report(f"crawl of {name} failed: " + "; ".join(problems))
        return EXIT_FAILED

    def _summary(self, crawler: Crawler) -> None:
        """The end-of-run line, at every log level: what was written and why the rest was not."""
        stats = crawler.stats.get_stats() if getattr(crawler, "stats", None) is not None else {}
        if "finish_reason" in stats:
            files = getattr(crawler, "_presswire_run_files", None)
            # Not prefixed "scrapy crawl:": that prefix marks a failed or refused run (cron greps for it).
            line = "summary: " + summary_line(stats, str(files.dump) if files is not None else None)
            print(line, file=sys.stderr, flush=True)
            assert self.settings is not None
            if self.settings.get("LOG_FILE"):
                logger.info(line)

    def _report(self, message: str) -> None:
        """stderr for cron and the terminal; also the log file when there is one (Scrapyd's job log)."""
        print(f"{program()} crawl: {message}", file=sys.stderr)
        assert self.settings is not None
        log_file = self.settings.get("LOG_FILE")
        if log_file and logging.getLogger().handlers:
            logger.error(message)
        elif log_file:  # refused before Scrapy set logging up: logging would print it to stderr again
            append_to_log(log_file, f"{logger.name} ERROR: {message}")
