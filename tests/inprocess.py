"""Real crawls in the test process, with Scrapy's own crawler API (``AsyncCrawlerRunner``).

Twisted's reactor runs once per process, so one asyncio reactor is started for the whole session in a
thread of its own (as crochet does); each crawl is scheduled on it and the test waits for its end.
What a crawl gives back: the items Scrapy scraped, its stats, the run (its counts, errors, files) and
the files it published. Subprocesses (``tests/harness.py``) stay for what the process boundary is
about: kills and signals, exit codes, the command line, the install.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import AsyncCrawlerRunner, Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.reactor import install_reactor, is_reactor_installed

from scrapers.commands.crawl import crawl_problems
from scrapers.commands.summary import summary_line
from scrapers.jobs.extension import RunExtension
from scrapers.jobs.run import Run
from tests.harness import TEST_SETTINGS, dump_of, dumps_under, manifests_under, read_jsonl

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


class ReactorThread:
    """The session's reactor, running in a daemon thread; ``call`` runs a coroutine on it and waits."""

    def __init__(self) -> None:
        if not is_reactor_installed():
            install_reactor(ASYNCIO_REACTOR)
        from twisted.internet import reactor

        self.reactor: Any = reactor
        self.thread = threading.Thread(target=reactor.run, kwargs={"installSignalHandlers": False},
                                       name="reactor", daemon=True)
        self.thread.start()

    def call(self, make: Any, timeout: float) -> Any:
        done: concurrent.futures.Future[Any] = concurrent.futures.Future()

        def start() -> None:
            task = asyncio.ensure_future(make())
            task.add_done_callback(lambda t: done.set_exception(t.exception()) if t.exception()
                                   else done.set_result(t.result()))

        self.reactor.callFromThread(start)
        return done.result(timeout=timeout)

    def stop(self) -> None:
        self.reactor.callFromThread(self.reactor.stop)
        self.thread.join(timeout=10)


_REACTOR: ReactorThread | None = None


def reactor_thread() -> ReactorThread:
    global _REACTOR
    if _REACTOR is None:
        _REACTOR = ReactorThread()
    return _REACTOR


@dataclass
class InProcessCrawl:
    """A finished in-process crawl: what Scrapy saw and what the run published."""

    crawler: Crawler
    root: Path
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    run: Run
    exit_problems: list[str]
    records: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    dump: Path | None = None
    requested: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return summary_line(self.run, self.crawler.settings)

    @property
    def progress(self) -> str:
        return self.run.counts.progress_line()

    # -- what tests of a `scrapy crawl` subprocess (tests/harness.Crawl) read -----------------
    log: str = ""

    @property
    def returncode(self) -> int:
        """The crawl command's exit code for this crawl: 0, or 1 when it failed (commands/crawl.py)."""
        return 1 if self.exit_problems else 0

    def all_records(self) -> list[dict[str, Any]]:
        return [record for dump in dumps_under(self.root) for record in read_jsonl(dump)]

    def by_path(self, base_url: str) -> dict[str, dict[str, Any]]:
        return {r["url"][len(base_url):]: r for r in self.records}


class _ListHandler(logging.Handler):
    """The crawl's log as ``scrapy crawl`` prints it, kept for the test to read."""

    def __init__(self, lines: list[str], level: str) -> None:
        super().__init__(logging.getLevelName(level))
        self.lines = lines
        self.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def run_crawl(root: Path, *args: str, settings: dict[str, Any] | None = None, timeout: float = 180) -> InProcessCrawl:
    """``tests.harness.run_crawl`` in this process: ``SPIDER -a NAME=VALUE ...``."""
    spider, rest = args[0], list(args[1:])
    arguments: dict[str, str] = {}
    while rest:
        flag, value = rest.pop(0), rest.pop(0)
        assert flag == "-a", f"only -a spider arguments run in-process, not {flag}"
        name, _, text = value.partition("=")
        arguments[name] = text
    return crawl(root, spider, settings=settings, timeout=timeout, **arguments)


def project_settings(root: Path, settings: dict[str, Any] | None = None) -> Settings:
    """The project's settings as ``scrapy crawl`` has them, plus the quiet test settings."""
    result = Settings()
    result.setmodule("scrapers.settings", priority="project")
    result.setdict({**TEST_SETTINGS, "RUN_LOCK_ENABLED": True, "PROGRESS_INTERVAL": 0, "JSONL_ROOT": str(root),
                    **(settings or {})}, priority="cmdline")
    return result


def crawl(root: Path, spider: str, settings: dict[str, Any] | None = None, timeout: float = 180,
          **arguments: Any) -> InProcessCrawl:
    """Run ``spider`` with spider ``arguments`` to its end in this process; read what it published."""
    root.mkdir(parents=True, exist_ok=True)
    configured = project_settings(root, settings)
    spidercls = get_spider_loader(configured).load(spider)
    items: list[dict[str, Any]] = []

    async def run() -> Crawler:
        runner = AsyncCrawlerRunner(configured)
        crawler = runner.create_crawler(spidercls)

        def scraped(item: Any) -> None:
            items.append(item)

        crawler.signals.connect(scraped, signal=signals.item_scraped, weak=False)
        await runner.crawl(crawler, **arguments)
        return crawler

    lines: list[str] = []
    handler = _ListHandler(lines, configured.get("LOG_LEVEL"))
    root_logger = logging.getLogger()
    level = root_logger.level
    root_logger.addHandler(handler)
    root_logger.setLevel(min(level or logging.WARNING, handler.level))
    try:
        crawler = reactor_thread().call(run, timeout)
    finally:
        root_logger.removeHandler(handler)
        root_logger.setLevel(level)
    assert crawler.stats is not None
    stats = crawler.stats.get_stats()
    extension = RunExtension.of(crawler)
    the_run = extension.counts()
    problems = crawl_problems(the_run.counts, the_run.errors, stats.get("finish_reason"), crawler.settings)
    result = InProcessCrawl(crawler, root, items, stats, the_run, problems)
    lines.append(result.summary)
    if problems:
        lines.append(f"scrapy crawl: crawl of {the_run.name} failed: " + "; ".join(problems))
    result.log = "\n".join(lines)
    manifests = manifests_under(root)
    if manifests:
        result.manifest = json.loads(manifests[-1].read_text("utf-8"))
        result.dump = dump_of(manifests[-1], result.manifest)
        result.records = read_jsonl(result.dump) if result.dump.suffix == ".jsonl" and result.dump.exists() else []
        failures = manifests[-1].with_name(result.manifest["failures_file"])
        result.failures = read_jsonl(failures) if failures.exists() else []
    return result
