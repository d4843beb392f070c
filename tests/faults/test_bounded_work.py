"""Extraction is bounded in the crawler process too, and a worker's memory is capped. The inline timeout
is a timer signal, which reaches only a main thread: those crawls are subprocesses, the others run in
this process (tests/inprocess.py)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from demo_site.server import DEFAULT_ROOT, start_server
from tests.conftest import TRUTH, run_crawl
from tests.hostile.site import article_html, page, serve
from tests.inprocess import run_crawl as run_in_process

FUNCTION = "tests.worker_functions.crash_or_hang_on_marker"


def _site_with_marker(tmp_path: Path, marker: str) -> tuple[Path, str]:
    site = tmp_path / "www"
    shutil.copytree(DEFAULT_ROOT, site)
    path = sorted(TRUTH["articles"])[0]
    page = site / path.lstrip("/")
    page.write_text(page.read_text("utf-8").replace("</body>", f"<!-- {marker} --></body>"), "utf-8")
    return site, path


def test_inline_extraction_runs_under_the_timeout(tmp_path: Path) -> None:
    site, hung = _site_with_marker(tmp_path, "WORKER-HANG")
    with start_server(root=site) as server:
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={server.base_url}/", timeout=150, settings={
            "EXTRACTION_WORKERS": "0", "EXTRACTION_TIMEOUT": "2", "EXTRACTION_FUNCTION": FUNCTION})
    assert result.returncode == 0, result.log[-2000:]
    failed = {f["url"][len(server.base_url):]: f["reason"] for f in result.failures}
    assert failed[hung] == "timeout"
    assert {r["url"][len(server.base_url):] for r in result.records} == set(TRUTH["articles"]) - {hung}


def test_a_worker_past_its_memory_limit_is_replaced_and_the_page_too_large(tmp_path: Path) -> None:
    site, hog = _site_with_marker(tmp_path, "WORKER-HOG")
    with start_server(root=site) as server:
        result = run_in_process(tmp_path / "out", "news", "-a", f"url={server.base_url}/", settings={
            "EXTRACTION_WORKERS": "1", "EXTRACTION_MEMORY_LIMIT_MB": "768", "EXTRACTION_FUNCTION": FUNCTION})
    assert result.returncode == 0, result.log[-2000:]
    failed = {f["url"][len(server.base_url):]: f["reason"] for f in result.failures}
    assert failed[hog] == "too_large"
    assert {r["url"][len(server.base_url):] for r in result.records} == set(TRUTH["articles"]) - {hog}


def test_extraction_timeouts_count_in_the_failure_ratio(tmp_path: Path) -> None:
    """4 of 6 pages (home page, our robots.txt request, 4 stories) time out in extraction: 67% failed,
    not 4 of 10 (an extraction timeout is a failed page, not one more attempted page)."""
    stories = [f"/news/2026/11/20/story-that-hangs-the-parser-{n}.html" for n in range(4)]
    routes = {"/": page("<html><body>" + "".join(f'<a href="{s}">s</a>' for s in stories) + "</body></html>"),
              **{s: page(article_html(f"Hang {n}", "<!-- WORKER-HANG -->")) for n, s in enumerate(stories)}}
    with serve(routes) as site:
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/", settings={
            "EXTRACTION_WORKERS": "0", "EXTRACTION_TIMEOUT": "1", "EXTRACTION_FUNCTION": FUNCTION})
    assert [f["reason"] for f in result.failures] == ["timeout"] * 4
    assert result.returncode == 1, result.log[-2000:]
    assert "4 of 6 pages failed" in result.log


def test_a_compression_bomb_is_too_large(tmp_path: Path) -> None:
    bomb = "/news/2026/11/20/story-that-is-a-compression-bomb.html"
    good = "/news/2026/11/20/good-story-about-the-harbour.html"
    packed = gzip.compress(b"<html><body>" + b"<p>x</p>" * 2_000_000 + b"</body></html>")
    routes = {"/": page(f'<html><body><a href="{bomb}">b</a><a href="{good}">g</a></body></html>'),
              good: page(article_html("Good story")),
              bomb: page(packed, Content_Encoding="gzip")}
    with serve(routes) as site:
        result = run_in_process(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                                settings={"DOWNLOAD_MAXSIZE": "1000000", "DOWNLOAD_WARNSIZE": "0"})
    failed = {f["url"][len(site.base_url):]: f["reason"] for f in result.failures}
    assert failed[bomb] == "too_large"
