"""A scheduled crawl always ends: a worker killed or frozen mid-page fails only its page, a crawl without progress or
past its time limit is closed, and a close that hangs ends the process; each with one line and,
for the crawl-level bounds, exit 1."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.conftest import run_crawl
from tests.hostile.site import article_html, page, serve, slow

STORIES = [f"/news/2026/11/{10 + i}/story-number-{i}-about-the-harbour.html" for i in range(8)]
POISON = STORIES[3]


def _site(poison: str = "", others_after: float = 0.0) -> dict[str, object]:
    """The home page links every story; the poisoned one answers at once, the others after ``others_after``
    seconds (so they reach the pool after the poisoned one did its harm)."""
    home = "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in STORIES) + "</body></html>"
    routes: dict[str, object] = {"/": page(home)}
    for i, path in enumerate(STORIES):
        story = page(article_html(f"Story {i}", poison if path == POISON else ""))
        routes[path] = story if path == POISON or not others_after else slow(others_after, story)
    return routes


@pytest.mark.parametrize(("marker", "reason"), [("WORKER-DIE", "worker_crash"), ("WORKER-DIE WORKER-FREEZE", "timeout")],
                         ids=["killed", "stopped"])
def test_a_worker_killed_or_frozen_mid_page_holds_up_only_its_page(tmp_path: Path, marker: str, reason: str) -> None:
    with serve(_site(f"<p>{marker}</p>", others_after=1.5)) as site:  # type: ignore[arg-type]
        started = time.monotonic()
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/", timeout=150,
                           settings={"EXTRACTION_WORKERS": "2", "EXTRACTION_TIMEOUT": "2",
                                     "EXTRACTION_FUNCTION": "tests.worker_functions.die_or_freeze_on_marker",
                                     "INCREMENTAL_ENABLED": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "8"})
    assert time.monotonic() - started < 60
    assert result.returncode == 0, result.log[-3000:]
    written = sorted(r["url"][len(site.base_url):] for r in result.records)
    assert written == sorted(p for p in STORIES if p != POISON)
    assert {f["url"][len(site.base_url):]: f["reason"] for f in result.failures} == {POISON: reason}


def test_a_crawl_without_progress_is_closed_by_the_watchdog(tmp_path: Path) -> None:
    routes = _site()
    routes[POISON] = slow(9, page(article_html("Slow")))  # a server that stops answering, for a while
    with serve(routes) as site:  # type: ignore[arg-type]
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/", timeout=100,
                           settings={"WATCHDOG_STALL_TIMEOUT": "4", "DOWNLOAD_TIMEOUT": "120",
                                     "INCREMENTAL_ENABLED": "0"})
    assert result.returncode == 1, result.log[-3000:]
    assert "no progress for WATCHDOG_STALL_TIMEOUT=4s" in result.log
    assert "finish reason: watchdog_stall" in result.log
    # what the job held was published
    assert len(result.records) >= len(STORIES) - 1


def test_a_close_that_hangs_ends_the_process(tmp_path: Path) -> None:
    pipelines = {"pipelines.record.RecordPipeline": 800, "tests.faults.raising_pipeline.HangingClosePipeline": 900}
    routes = _site()
    routes[POISON] = slow(60, page(article_html("Slow")))
    with serve(routes) as site:  # type: ignore[arg-type]
        started = time.monotonic()
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/", timeout=100,
                           settings={"WATCHDOG_MAX_RUNTIME": "3", "WATCHDOG_CLOSE_TIMEOUT": "3",
                                     "DOWNLOAD_TIMEOUT": "120", "INCREMENTAL_ENABLED": "0",
                                     "ITEM_PIPELINES": json.dumps(pipelines)})
    assert time.monotonic() - started < 40
    assert result.returncode == 1, result.log[-3000:]
    last = result.log.strip().splitlines()[-1]
    assert last.startswith("scrapy crawl: the crawl ran past WATCHDOG_MAX_RUNTIME=3s and did not close"), last
    assert "Traceback" not in result.log
