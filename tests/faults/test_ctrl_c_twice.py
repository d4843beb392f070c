"""Ctrl-C twice: Scrapy stops at once, the spider never closes and nothing is published. The crawl
says so in one line (how many articles, where the partial dump is, how to get them back), exits 130,
and the command it names does get every article back."""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings

from scrapers.commands.crawl import crawl_problems
from scrapers.commands.stopped import exit_code, stopped_line
from scrapers.jobs.counts import Counts
from scrapers.jobs.files import job_files
from scrapers.jobs.run import Run, RunSpec
from tests.faults.helpers import published_articles
from tests.harness import start_crawl, wait_for
from tests.hostile.site import Handler, HostileSite, Route, article_html, page, serve
from tests.inprocess import run_crawl

STORIES = [f"/news/2026/11/{10 + i}/story-number-{i}-about-the-harbour.html" for i in range(10)]
WRITTEN_BEFORE_STOP = 3


@pytest.fixture
def site() -> Iterator[tuple[HostileSite, threading.Event]]:
    """Stories answer slowly until ``fast`` is set, so the crawl is stopped in the middle."""
    fast = threading.Event()

    def story(i: int) -> Route:
        def route(h: Handler) -> None:
            if not fast.is_set():
                time.sleep(0.25)
            page(article_html(f"Story {i}"))(h)
        return route

    home = "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in STORIES) + "</body></html>"
    with serve({"/": page(home), **{p: story(i) for i, p in enumerate(STORIES)}}) as served:
        yield served, fast


def _lines_in_part(out: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in out.rglob("*.dump.part"))


def test_ctrl_c_twice_says_what_was_written_and_how_to_resume(
        site: tuple[HostileSite, threading.Event], tmp_path: Path) -> None:
    server, fast = site
    out = tmp_path / "out"
    args = ["news", "-a", f"url={server.base_url}/"]
    settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "JOBDIR": str(tmp_path / "job")}
    crawl = start_crawl(out, *args, settings=settings)
    wait_for(lambda: _lines_in_part(out) >= WRITTEN_BEFORE_STOP, 60, "the first articles in the partial dump")
    crawl.process.send_signal(signal.SIGINT)
    wait_for(lambda: "closing the crawl" in crawl.log, 20, "the first Ctrl-C's line")
    crawl.process.send_signal(signal.SIGINT)
    assert crawl.wait(30) == 128 + signal.SIGINT, crawl.log[-3000:]

    part = next(out.rglob("*.dump.part"))
    written = _lines_in_part(out)
    ours = [line for line in crawl.log.splitlines() if line.startswith("scrapy crawl:")]
    assert len(ours) == 2 and "Traceback" not in crawl.log, crawl.log[-3000:]
    first, last = ours
    assert "Ctrl-C (SIGINT): closing the crawl" in first
    assert f"keeping the job in JOBDIR={tmp_path / 'job'} for the same command to resume" in first
    assert last.startswith("scrapy crawl: stopped by a second Ctrl-C (SIGINT) before the crawl closed: "
                           f"{written} articles written to the partial dump {part}, nothing published; "), last
    assert "did not run" not in crawl.log
    assert not list(out.rglob("*.manifest.json"))

    # the advice works, and nothing is lost
    fast.set()
    again = run_crawl(out, *args, settings=settings)  # in this process: the exit code is not the point here
    assert again.returncode == 0, again.log[-3000:]
    found = published_articles(out, server.base_url)
    assert sorted(found) == sorted(STORIES)
    assert f"run the same command with the same -s JOBDIR={tmp_path / 'job'}: it keeps these {written}" in last
    assert set(found.values()) == {1}, found  # resumed: the stopped job's articles are not fetched twice


def _stopped_run(root: Path, written: int) -> Run:
    started = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)
    files = job_files(root, "crawl={name}/date={date}/{job_id}.jsonl", "news", "nightly", started)
    run = Run(RunSpec(spider="news", name="news"), files, min_body_words=50)
    run.counts.written = written
    return run


def test_without_jobdir_the_line_says_a_plain_rerun_fetches_them_again(tmp_path: Path) -> None:
    line = stopped_line(_stopped_run(tmp_path, 4), Settings(), signal.SIGINT)
    part = tmp_path / "crawl=news/date=2026-11-30/nightly.dump.part"
    assert line == ("stopped by a second Ctrl-C (SIGINT) before the crawl closed: 4 articles written to the partial "
                    f"dump {part}, nothing published; run the same command again: the incremental store did not "
                    "count these articles, so they are fetched again (with -s JOBDIR=DIR a later stop can be resumed)")


def test_a_second_sigterm_after_publication_says_nothing_is_lost(tmp_path: Path) -> None:
    run = _stopped_run(tmp_path, 4)
    assert run.files is not None
    run.files.manifest.parent.mkdir(parents=True)
    run.files.manifest.write_text("{}", "utf-8")
    line = stopped_line(run, Settings(), signal.SIGTERM)
    assert line == f"stopped by a second SIGTERM after the crawl published {run.files.dump} (4 articles): nothing is lost"
    assert exit_code(signal.SIGTERM) == 143 and exit_code(None) == 1


def test_one_ctrl_c_with_jobdir_says_the_job_waits_there() -> None:
    problems = crawl_problems(Counts(), {}, "shutdown", Settings({"JOBDIR": "/srv/job"}))
    assert problems[0] == ("the crawl ended early (finish reason: shutdown); nothing published yet: the job waits in "
                           "JOBDIR=/srv/job, run the same command with it to resume")
    assert crawl_problems(Counts(), {}, "shutdown", Settings())[0] == "the crawl ended early (finish reason: shutdown)"
