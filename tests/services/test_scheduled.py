"""`scrapy crawl` for scheduled runs: its exit code tells a failed crawl, and runs never overlap. The command
runs in this process (tests/commandline.py); the run holding the lock is a process of its own."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from demo_site.server import DemoServer
from scrapers import settings as project_settings
from scrapers.commands.crawl import crawl_problems
from scrapers.jobs.counts import Counts
from scrapers.jobs.lock import acquire
from tests.commandline import crawl_command
from tests.services.conftest import ARTICLE_PATHS, dumps_under, free_port, read_jsonl, start_crawl, wait_for

EXIT_LOCKED = 75
SETTINGS_DEFAULTS = {name: getattr(project_settings, name) for name in
                     ("SCHEDULED_MAX_FAILURES", "SCHEDULED_MAX_FAILURE_RATIO", "SCHEDULED_MIN_ARTICLES")}


def test_good_crawl_exits_zero(site: DemoServer, tmp_path: Path) -> None:
    crawl = crawl_command(tmp_path / "out", "news", "-a", f"url={site.base_url}/")
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert "scrapy crawl:" not in crawl.log
    records = [r for dump in dumps_under(tmp_path / "out") for r in read_jsonl(dump)]
    assert sorted(r["url"][len(site.base_url):] for r in records) == ARTICLE_PATHS


def test_nothing_fetched_exits_nonzero(tmp_path: Path) -> None:
    crawl = crawl_command(tmp_path / "out", "news", "-a", f"url=http://127.0.0.1:{free_port()}/")
    assert crawl.returncode == 1
    assert "scrapy crawl: crawl of news failed: no pages fetched" in crawl.log


def test_tiny_failure_threshold_fails_the_run(site: DemoServer, tmp_path: Path) -> None:
    # The demo site has two broken article links (a 404 and a 500) among ~47 pages.
    crawl = crawl_command(tmp_path / "out", "news", "-a", f"url={site.base_url}/", settings={"SCHEDULED_MAX_FAILURES": "1"})
    assert crawl.returncode == 1, crawl.log[-3000:]
    assert "scrapy crawl: crawl of news failed: " in crawl.log
    assert "failed pages, more than SCHEDULED_MAX_FAILURES=1; failures by reason: http_4xx=1, http_5xx=1" in crawl.log
    assert len(dumps_under(tmp_path / "out")) == 1  # the dump is still published; only the exit code says "failed"


def counts(pages: int = 0, robots: int = 0, written: int = 0, unchanged: int = 0, run_pages: int = 0,
           **failures: int) -> Counts:
    return Counts(pages_fetched=pages, robots_fetched=robots, written=written, unchanged=unchanged,
                  run_pages=run_pages, failures=Counter(failures))


GOOD = dict(pages=48, robots=1, written=32, http_4xx=1, http_5xx=1)


@pytest.mark.parametrize(("found", "reason", "settings", "expected"), [
    (GOOD, "finished", {}, []),
    (GOOD, "closespider_itemcount", {}, []),
    (GOOD, "shutdown", {}, ["the crawl ended early (finish reason: shutdown)"]),
    (dict(dns_error=2), "finished", {},
     ["no pages fetched", "2 of 2 pages failed (100%), more than SCHEDULED_MAX_FAILURE_RATIO=0.5"]),
    # a process of a distributed run whose peers fetched every page
    (dict(run_pages=47), "finished", {}, []),
    (GOOD, "finished", {"SCHEDULED_MAX_FAILURES": 2}, []),
    (GOOD, "finished", {"SCHEDULED_MAX_FAILURES": 1}, ["2 failed pages, more than SCHEDULED_MAX_FAILURES=1"]),
    (GOOD, "finished", {"SCHEDULED_MAX_FAILURE_RATIO": 0.01},
     ["2 of 47 pages failed (4%), more than SCHEDULED_MAX_FAILURE_RATIO=0.01"]),
    (GOOD, "finished", {"SCHEDULED_MAX_FAILURE_RATIO": None}, []),
    ({**GOOD, "written": 2, "unchanged": 30}, "finished", {"SCHEDULED_MIN_ARTICLES": 32}, []),
    (GOOD, "finished", {"SCHEDULED_MIN_ARTICLES": 100}, ["32 articles, fewer than SCHEDULED_MIN_ARTICLES=100"]),
])
def test_crawl_problems(found: dict[str, Any], reason: str, settings: dict[str, Any], expected: list[str]) -> None:
    run_counts = counts(**found)
    problems = crawl_problems(run_counts, {}, reason, Settings({**SETTINGS_DEFAULTS, **settings}))
    failures = [p for p in problems if p.startswith("failures by reason: ")]
    assert [p for p in problems if p not in failures] == expected
    assert len(failures) == (1 if expected and run_counts.failures else 0)


def test_second_run_of_the_same_name_is_refused(site: DemoServer, tmp_path: Path) -> None:
    root = tmp_path / "out"
    origin = site.base_url.split("://", 1)[1]
    lock_file = root / ".locks" / f"news_{origin.replace(':', '_')}.lock"
    # The first run is slowed down so that it holds the lock while the second one starts.
    first = start_crawl(root, "news", "-a", f"url={site.base_url}/",
                        settings={"DOWNLOAD_DELAY": "0.5", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"})
    try:
        wait_for(lambda: lock_file.exists() and lock_file.read_text().strip() == str(first.pid), 30,
                 "the first run to take the lock")
        second = crawl_command(tmp_path / "second.d", "news", "-a", f"url={site.base_url}/",
                               settings={"RUN_LOCK_DIR": str(root / ".locks")})
        assert second.returncode == EXIT_LOCKED, second.log[-3000:]
        assert f"another crawl of news@{origin} is running (pid {first.pid})" in second.log
        assert dumps_under(tmp_path / "second.d") == [] and not list((tmp_path / "second.d").rglob("*.part"))
        assert first.process.poll() is None  # untouched by the refused run
    finally:
        first.process.kill()  # a crashed crawl: SIGKILL, no chance to clean up
        first.process.wait()
    # The kernel freed the lock with the killed process: the next run can start.
    os.close(acquire(lock_file, "news"))
