"""The ccnews spider on WARC files the tests write, served from a local HTTP server (no internet)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.archive_files import SITE, Page, demo_articles, numbered_articles, write_warc, wrong_charset_page
from tests.conftest import TRUTH, CrawlResult, run_crawl
from tests.inprocess import InProcessCrawl
from tests.inprocess import run_crawl as run_in_process
from tests.range_server import serve_files

ARTICLES = sorted(TRUTH["articles"])
BIG_URL = f"{SITE}/world/2026/11/20/a-twenty-megabyte-page.html"
CREPE = "/food/2026/11/20/crepe-stall-wins-harbour-prize.html"


@pytest.fixture(scope="module")
def cc_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """crawl-data/CC-NEWS/2026/11/: a normal file, one with a 20 MB record, a truncated one."""
    root = tmp_path_factory.mktemp("cc")
    month = root / "crawl-data" / "CC-NEWS" / "2026" / "11"
    month.mkdir(parents=True)
    articles = demo_articles()
    write_warc(month / "CC-NEWS-1.warc.gz", [
        *articles[:10],
        Page(f"{SITE}/img/ferry.png", b"\x89PNG\r\n\x1a\n" + bytes(2000), content_type="image/png"),
        *numbered_articles("https://other.example", 5),
        wrong_charset_page(),
        *articles[10:20],
    ])
    filler = b"<p>" + b"The harbour master read the tide tables aloud. " * 50 + b"</p>\n"
    big = b"<html><body><article><h1>Huge</h1>" + filler * (20 * 1024 * 1024 // len(filler)) + b"</article></body></html>"
    write_warc(month / "CC-NEWS-2.warc.gz", [Page(BIG_URL, big), *articles[20:]])
    write_warc(root / "whole-3.warc.gz", numbered_articles("https://third.harbour.example", 12))
    data = (root / "whole-3.warc.gz").read_bytes()
    (month / "CC-NEWS-3.warc.gz").write_bytes(data[: len(data) - 5000])
    listing = "".join(f"crawl-data/CC-NEWS/2026/11/CC-NEWS-{n}.warc.gz\n" for n in (1, 2, 3))
    (month / "warc.paths.gz").write_bytes(gzip.compress(listing.encode()))
    with serve_files(root) as base_url:
        yield base_url, root


def ccnews(root: Path, base_url: str, *args: str, env: dict[str, str] | None = None,
           **settings: str) -> CrawlResult | InProcessCrawl:
    """In this process; a subprocess when ``env`` sets a fault hook (the signal is the point)."""
    every = {"CCNEWS_BASE_URL": base_url, "EXTRACTION_WORKERS": "1", **settings}
    if env:
        return run_crawl(root, "ccnews", *args, settings=every, env=env)
    return run_in_process(root, "ccnews", *args, settings=every)


def test_month_of_ccnews_filtered_by_domain(cc_server: tuple[str, Path], tmp_path: Path) -> None:
    base_url, _ = cc_server
    result = ccnews(tmp_path, base_url, "-a", "month=2026/11", "-a", "domains=harbour.example")
    assert result.returncode == 0, result.log[-3000:]
    paths = sorted(r["url"][len(SITE):] for r in result.records if r["url"].startswith(SITE))
    assert paths == sorted([*ARTICLES, CREPE])
    third = [r for r in result.records if r["url"].startswith("https://third.harbour.example")]
    assert 0 < len(third) < 12  # the truncated file: what came before the cut
    assert not [r for r in result.records if "other.example" in r["url"]]
    crepe = next(r for r in result.records if r["url"].endswith(CREPE))
    assert crepe["title"] == "Crêpe stall wins harbour prize"  # UTF-8 under an iso-8859-1 header
    assert all(r["spider"] == "ccnews" and r["warc_record_id"] and r["fetched_at"] == "2026-11-20T12:00:00+00:00"
               for r in result.records)
    failures = {(f["url"], f["reason"]) for f in result.failures}
    assert failures == {(BIG_URL, "too_large"), (f"{base_url}/crawl-data/CC-NEWS/2026/11/CC-NEWS-3.warc.gz",
                                                 "truncated_archive")}
    assert "WARC 2/3" in result.log and "done" in result.log


def test_urls_language_and_date_window(cc_server: tuple[str, Path], tmp_path: Path) -> None:
    base_url, _ = cc_server
    url = f"{base_url}/crawl-data/CC-NEWS/2026/11/CC-NEWS-1.warc.gz"
    result = ccnews(tmp_path, base_url, "-a", f"urls={url}", "-a", "language=de")
    assert result.returncode in (0, 1) and result.records == []
    result = ccnews(tmp_path / "b", base_url, "-a", f"urls={url}", "-a", "since=2026-11-21")
    assert result.records == []
    result = ccnews(tmp_path / "c", base_url, "-a", f"urls={url}", "-a", "since=2026-11-20", "-a", "until=2026-11-20",
                    "-a", "language=en")
    # the crêpe page declares no language: its text is detected as English, so the filter keeps it
    assert len(result.records) == 10 + 5 + 10 + 1 and [r for r in result.records if r["url"].endswith(CREPE)]


def test_resumes_at_the_record_offset(cc_server: tuple[str, Path], tmp_path: Path) -> None:
    """A job stopped (Ctrl-C) after a few articles continues each file where it stopped: every article
    of the file once in the job's one published dump (incremental off, so a repeat would show)."""
    base_url, _ = cc_server
    url = f"{base_url}/crawl-data/CC-NEWS/2026/11/CC-NEWS-1.warc.gz"
    settings = {"JOBDIR": str(tmp_path / "job"), "INCREMENTAL_ENABLED": "0", "CCNEWS_IN_FLIGHT": "1"}
    out = tmp_path / "out"
    first = ccnews(out, base_url, "-a", f"urls={url}", **settings,
                   env={"PRESSWIRE_FAULT_KILL_AT": "article_written:4", "PRESSWIRE_FAULT_SIGNAL": "SIGINT"})
    assert "Spider closed (shutdown)" in first.log, first.log[-3000:]
    assert first.records == []  # an interrupted job publishes nothing
    second = ccnews(out, base_url, "-a", f"urls={url}", **settings)
    assert second.returncode == 0, second.log[-3000:]
    urls = [r["url"] for r in second.records]
    assert len(urls) == len(set(urls)) == 26
    assert "reading from offset 0" not in second.log
