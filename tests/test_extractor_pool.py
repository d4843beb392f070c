"""Extraction in worker processes: results as inline, crashed and hung workers replaced."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest
from scrapy.settings import Settings

from demo_site.server import DEFAULT_ROOT, start_server
from scrapers.extraction import SiteSelectors
from scrapers.extraction.article import Record
from scrapers.extraction.text import word_units
from scrapers.jobs.run import CrawledRecord, CrawlMeta
from scrapers.workers.pool import ArticleExtractor, WorkerFailure, extract_record
from scrapers.workers.processes import WorkerPool
from tests.conftest import ROOT, TRUTH
from tests.inprocess import run_crawl
from tests.worker_functions import crash_or_hang_on_marker, worker_pid

PAGE = ("<html><head><title>The quay reopens after repairs | Gazette</title></head><body><article><h1>The quay reopens after repairs</h1>"
        + "<p>The quay reopened on Monday after a month of repairs to the old stone wall.</p>" * 8
        + "</article></body></html>").encode()


def run(extractor: ArticleExtractor, body: bytes) -> dict:
    return asyncio.run(extractor.extract(body, "https://news.example/a/quay-reopens-today", None, SiteSelectors()))


def test_pool_result_equals_inline() -> None:
    inline = ArticleExtractor(workers=0, timeout=10, max_tasks=10)
    pool = ArticleExtractor(workers=2, timeout=10, max_tasks=10)
    try:
        assert run(pool, PAGE) == run(inline, PAGE)
    finally:
        pool.close()


@pytest.mark.parametrize(("marker", "reason"), [(b"WORKER-CRASH", "worker_crash"), (b"WORKER-HANG", "timeout")])
def test_failed_worker_is_replaced(marker: bytes, reason: str) -> None:
    pool = ArticleExtractor(workers=1, timeout=2, max_tasks=10, function=crash_or_hang_on_marker)
    try:
        with pytest.raises(WorkerFailure) as info:
            run(pool, PAGE.replace(b"</body>", marker + b"</body>"))
        assert info.value.reason == reason
        assert run(pool, PAGE)["title"] == "The quay reopens after repairs"  # the pool still works afterwards
    finally:
        pool.close()


def test_crawl_records_worker_failures_and_goes_on(tmp_path: Path) -> None:
    site = tmp_path / "www"
    shutil.copytree(DEFAULT_ROOT, site)
    crash_path, hang_path, *_ = sorted(TRUTH["articles"])
    for path, marker in ((crash_path, "WORKER-CRASH"), (hang_path, "WORKER-HANG")):
        page = site / path.lstrip("/")
        page.write_text(page.read_text("utf-8").replace("</body>", f"<!-- {marker} --></body>"), "utf-8")
    with start_server(root=site) as server:
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={server.base_url}/", settings={
            "EXTRACTION_WORKERS": "2", "EXTRACTION_TIMEOUT": "3",
            "EXTRACTION_FUNCTION": "tests.worker_functions.crash_or_hang_on_marker"})
    assert result.returncode == 0, result.log[-2000:]
    failed = {f["url"][len(server.base_url):]: f["reason"] for f in result.failures}
    assert failed[crash_path] == "worker_crash"
    assert failed[hang_path] == "timeout"
    written = {r["url"][len(server.base_url):] for r in result.records}
    assert written == set(TRUTH["articles"]) - {crash_path, hang_path}


def test_a_pool_whose_workers_cannot_start_falls_back_to_inline_extraction(caplog: pytest.LogCaptureFixture) -> None:
    # a function the crawler process has and its workers cannot import (defined in a script's __main__,
    # a module made at run time): every worker dies as it starts
    ghost = types.ModuleType("presswire_test_ghost")

    def extract(body: bytes, url: str, content_type: str | None, selectors: SiteSelectors) -> dict:
        return extract_record(body, url, content_type, selectors)

    extract.__module__, extract.__qualname__ = ghost.__name__, "extract"
    ghost.extract = extract  # type: ignore[attr-defined]
    sys.modules[ghost.__name__] = ghost
    pool = ArticleExtractor(workers=1, timeout=10, max_tasks=10, function=extract)
    try:
        assert run(pool, PAGE)["title"] == "The quay reopens after repairs"
        assert pool.pool is None
        assert "extraction pool is broken (extraction workers exit as they start" in caplog.text
    finally:
        pool.close()
        del sys.modules[ghost.__name__]


def test_workers_retire_after_their_quota_and_pages_queue_for_a_free_worker() -> None:
    context = multiprocessing.get_context("forkserver")
    pool = WorkerPool(context, 2, worker_pid, timeout=10, max_tasks=3)

    async def many() -> list[int]:
        return list(await asyncio.gather(*(pool.submit(i) for i in range(12))))

    try:
        pids = asyncio.run(many())
    finally:
        pool.close()
    assert len(pids) == 12
    assert max(pids.count(pid) for pid in pids) == 3  # no worker runs past its quota
    assert len(set(pids)) >= 4  # so 12 pages take at least four workers


def test_a_page_larger_than_the_socket_buffer_goes_through_both_ways() -> None:
    big = PAGE.replace(b"</article>", b"<p>" + b"The wall was rebuilt stone by stone. " * 60_000 + b"</p></article>")
    pool = ArticleExtractor(workers=1, timeout=30, max_tasks=10)
    try:
        record = run(pool, big)
    finally:
        pool.close()
    assert len(big) > 2_000_000
    assert record["body"].count("The wall was rebuilt stone by stone.") == 60_000


def test_a_crash_fails_only_its_own_page() -> None:
    # one worker: the next page already waits in its socket when it dies, and goes to its replacement
    pool = ArticleExtractor(workers=1, timeout=10, max_tasks=10, function=crash_or_hang_on_marker)

    async def both() -> list[object]:
        crash = PAGE.replace(b"</body>", b"WORKER-CRASH</body>")
        return list(await asyncio.gather(*(pool.extract(body, "https://news.example/a/quay-reopens-today", None,
                                                        SiteSelectors()) for body in (crash, PAGE, PAGE)),
                                         return_exceptions=True))

    try:
        crashed, first, second = asyncio.run(both())
    finally:
        pool.close()
    assert isinstance(crashed, WorkerFailure) and crashed.reason == "worker_crash"
    assert isinstance(first, dict) and first["title"] == "The quay reopens after repairs"
    assert first == second


def test_a_page_waiting_behind_one_that_times_out_goes_to_the_next_worker() -> None:
    pool = ArticleExtractor(workers=1, timeout=2, max_tasks=10, function=crash_or_hang_on_marker)

    async def both() -> list[object]:
        hang = PAGE.replace(b"</body>", b"WORKER-HANG</body>")
        return list(await asyncio.gather(*(pool.extract(body, "https://news.example/a/quay-reopens-today", None,
                                                        SiteSelectors()) for body in (hang, PAGE)),
                                         return_exceptions=True))

    started = time.monotonic()
    try:
        hung, waited = asyncio.run(both())
    finally:
        pool.close()
    assert isinstance(hung, WorkerFailure) and hung.reason == "timeout"
    assert isinstance(waited, dict) and waited["title"] == "The quay reopens after repairs"
    assert time.monotonic() - started < 10


def test_closing_with_a_page_in_hand_abandons_it_at_once() -> None:
    pool = ArticleExtractor(workers=1, timeout=60, max_tasks=10, function=crash_or_hang_on_marker)

    async def close_mid_page() -> None:
        page = asyncio.ensure_future(pool.extract(PAGE.replace(b"</body>", b"WORKER-HANG</body>"),
                                                  "https://news.example/a/quay-reopens-today", None, SiteSelectors()))
        await asyncio.sleep(1.0)
        started = time.monotonic()
        pool.close()
        assert time.monotonic() - started < 3
        with pytest.raises(WorkerFailure, match="closed with the page in hand"):
            await page

    asyncio.run(close_mid_page())


def test_workers_run_at_the_niceness_the_settings_add() -> None:
    settings = Settings({"EXTRACTION_WORKERS": "1", "EXTRACTION_TIMEOUT": "10", "EXTRACTION_MAX_TASKS_PER_WORKER": "5",
                         "EXTRACTION_FUNCTION": "tests.worker_functions.worker_niceness",
                         "EXTRACTION_MEMORY_LIMIT_MB": "0", "EXTRACTION_WORKER_NICE": "7"})
    pool = ArticleExtractor.from_settings(settings)
    try:
        assert run(pool, PAGE) == min(19, os.nice(0) + 7)  # type: ignore[comparison-overlap]
    finally:
        pool.close()


def test_a_record_from_a_worker_brings_its_body_word_count() -> None:
    pool = ArticleExtractor(workers=1, timeout=10, max_tasks=10)
    try:
        record = run(pool, PAGE)
    finally:
        pool.close()
    assert isinstance(record, Record)
    assert record.body_words == word_units(record["body"]) > 10
    crawled = CrawledRecord(record, CrawlMeta(fetched_at=None, spider="news"))
    assert crawled.body_words() == record.body_words
    crawled["body"] = "Nine words: a pipeline cut the body down here."
    assert crawled.body_words() == 9  # counted again: the body it was counted for is gone


OWNER = """
import asyncio, sys
from scrapers.workers.processes import WorkerPool
import multiprocessing
from tests.worker_functions import worker_pid_slowly

async def main():
    pool = WorkerPool(multiprocessing.get_context("forkserver"), 2, worker_pid_slowly, timeout=10, max_tasks=100)
    pids = set(await asyncio.gather(*(pool.submit(i) for i in range(8))))
    print(" ".join(map(str, sorted(pids))), flush=True)
    await asyncio.sleep(600)

if __name__ == "__main__":
    asyncio.run(main())
"""


def test_workers_exit_when_the_crawler_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "owner.py"
    script.write_text(OWNER, "utf-8")
    owner = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert owner.stdout is not None
        pids = [int(pid) for pid in owner.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(pid) for pid in pids)
    finally:
        owner.kill()  # SIGKILL: no clean-up of its own runs
        owner.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in pids)  # each saw the end of its socket and left


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for this purpose
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
