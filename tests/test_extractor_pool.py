"""Extraction in worker processes: results as inline, crashed and hung workers replaced."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from demo_site.server import DEFAULT_ROOT, start_server
from scrapers.extraction import SiteSelectors
from scrapers.workers.pool import ArticleExtractor, WorkerFailure
from tests.conftest import TRUTH
from tests.inprocess import run_crawl
from tests.worker_functions import crash_or_hang_on_marker

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


def test_broken_pool_falls_back_to_inline_extraction() -> None:
    pool = ArticleExtractor(workers=1, timeout=10, max_tasks=10)
    pool.pool.stop()  # what a pool whose workers cannot start ends up as
    pool.pool.join()
    assert run(pool, PAGE)["title"] == "The quay reopens after repairs"
    assert pool.pool is None
