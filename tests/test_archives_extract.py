"""``scrapy extract FILE.warc.gz``: real WARC files (written with warcio) extracted in the worker pool."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

from jsonschema import Draft202012Validator

from scrapers.extraction.schema import load_schema
from tests.archive_files import SITE, Page, demo_articles, write_warc, wrong_charset_page
from tests.commandline import Completed, run_command
from tests.conftest import TRUTH, read_jsonl

ARTICLES = sorted(TRUTH["articles"])


def scrapy_extract(*args: str, workers: int = 1) -> Completed:
    """``scrapy extract ARGS`` through its entry function in this process (tests/commandline.py); the
    pool's workers are processes of their own."""
    return run_command("extract", *args, "-s", f"EXTRACTION_WORKERS={workers}")


def by_path(records: list[dict]) -> dict[str, dict]:
    return {r["url"][len(SITE):]: r for r in records}


def test_extracts_every_html_200_response(tmp_path: Path) -> None:
    pages = [*demo_articles(), wrong_charset_page(),
             Page(f"{SITE}/img/ferry.png", b"\x89PNG\r\n\x1a\n" + bytes(500), content_type="image/png"),
             Page(f"{SITE}/missing/2026/11/20/gone.html", b"<html><body>Not found</body></html>", status=404),
             Page(f"{SITE}/2026/11/20/empty-story.html", b"   ")]
    warc = tmp_path / "crawl.warc.gz"
    ids = write_warc(warc, pages)
    out = tmp_path / "out.jsonl"
    proc = scrapy_extract(str(warc), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    records = by_path(read_jsonl(out))
    assert sorted(records) == sorted([*ARTICLES, "/food/2026/11/20/crepe-stall-wins-harbour-prize.html"])
    validator = Draft202012Validator(load_schema())
    for index, path in enumerate(ARTICLES):
        record = records[path]
        assert list(validator.iter_errors(record)) == [], path
        assert record["title"] == TRUTH["articles"][path]["title"]
        assert record["warc_record_id"] == ids[index]
        assert record["fetched_at"] == "2026-11-20T12:00:00+00:00" and record["spider"] == "extract"
    assert records["/food/2026/11/20/crepe-stall-wins-harbour-prize.html"]["title"] == "Crêpe stall wins harbour prize"
    failures = read_jsonl(tmp_path / "out.failures.ndjson")
    assert [(f["url"], f["reason"]) for f in failures] == [(f"{SITE}/2026/11/20/empty-story.html", "empty")]
    assert "skipped: not_html=1, status=1" in proc.stderr


def test_plain_warc_and_filters(tmp_path: Path) -> None:
    old = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    pages = demo_articles() + demo_articles("https://other.example", date=old)
    warc = tmp_path / "plain.warc"
    write_warc(warc, pages, gzip=False)
    out = tmp_path / "harbour.jsonl"
    proc = scrapy_extract(str(warc), "-o", str(out), "--domain", "harbour.example")
    assert proc.returncode == 0, proc.stderr
    assert sorted(by_path(read_jsonl(out))) == ARTICLES
    proc = scrapy_extract(str(warc), "-o", str(out), "--until", "2026-10-01")
    assert {r["url"].split("/")[2] for r in read_jsonl(out)} == {"other.example"}
    assert len(read_jsonl(out)) == len(ARTICLES)
    proc = scrapy_extract(str(warc), "-o", str(out), "--since", "2026-11-02", "--until", "2026-11-30",
                          "--date-from", "article", "--domain", "harbour.example")
    published = [r["date_published"][:10] for r in read_jsonl(out)]
    assert published and all("2026-11-02" <= d <= "2026-11-30" for d in published)


def test_truncated_archive_keeps_what_came_before(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, demo_articles())
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 3000])
    second = tmp_path / "second.warc.gz"
    write_warc(second, [wrong_charset_page()])
    out = tmp_path / "out.jsonl"
    proc = scrapy_extract(str(cut), str(second), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(out)
    assert len(records) == len(ARTICLES)  # the last article was cut; the second file is read
    failures = read_jsonl(tmp_path / "out.failures.ndjson")
    assert [(f["url"], f["reason"]) for f in failures] == [(str(cut), "truncated_archive")]
    assert gzip.decompress(second.read_bytes())  # the test's own file is whole


def test_warc_extraction_runs_under_the_worker_memory_limit(tmp_path: Path) -> None:
    """``scrapy extract`` of a WARC builds its pool from the same settings as a crawl: a page whose
    extraction needs more than EXTRACTION_MEMORY_LIMIT_MB is a too_large failure line, the rest is written."""
    pages = demo_articles()
    hog = Page(pages[0].url.replace(".html", "-hog.html"), pages[0].body.replace(b"</body>", b"WORKER-HOG</body>"))
    warc = tmp_path / "hog.warc.gz"
    write_warc(warc, [*pages, hog])
    out = tmp_path / "out.jsonl"
    proc = scrapy_extract(str(warc), "-o", str(out), "-s", "EXTRACTION_MEMORY_LIMIT_MB=600",
                          "-s", "EXTRACTION_FUNCTION=tests.worker_functions.crash_or_hang_on_marker")
    assert proc.returncode == 0, proc.stderr
    failures = read_jsonl(tmp_path / "out.failures.ndjson")
    assert [(f["url"], f["reason"]) for f in failures] == [(hog.url, "too_large")]
    assert len(read_jsonl(out)) == len(ARTICLES)
