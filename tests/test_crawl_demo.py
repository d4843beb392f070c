"""A real crawl of the demo site with the generic spider, judged on the JSONL it writes."""

from __future__ import annotations

import gzip
import hashlib
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from scrapers.extraction.schema import load_schema
from tests.conftest import TRUTH, CrawlResult

ARTICLE_PATHS = sorted(TRUTH["articles"])
COMPARED_FIELDS = ("title", "standfirst", "authors", "date_published", "date_modified", "section", "tags", "language",
                   "is_paywalled")


def test_crawl_exits_cleanly(demo_crawl: CrawlResult) -> None:
    assert demo_crawl.returncode == 0, demo_crawl.log[-3000:]
    assert "Traceback" not in demo_crawl.log
    assert "Spider error" not in demo_crawl.log
    assert {f["reason"] for f in demo_crawl.failures} == {"http_4xx", "http_5xx"}


def test_every_article_written_once(demo_crawl: CrawlResult, demo_server) -> None:
    paths = [r["url"][len(demo_server.base_url):] for r in demo_crawl.records]
    assert sorted(paths) == ARTICLE_PATHS
    ids = [r["id"] for r in demo_crawl.records]
    assert len(set(ids)) == len(ids)


def test_error_pages_are_failures_not_articles(demo_crawl: CrawlResult, demo_server) -> None:
    failed = {f["url"][len(demo_server.base_url):]: f for f in demo_crawl.failures}
    for path, status in TRUTH["errors"].items():
        assert path in failed, f"{path} ({status}) missing from failures"
        assert failed[path]["reason"] == ("http_4xx" if status < 500 else "http_5xx")
        assert failed[path]["stage"] == "fetch" and failed[path]["time"]


def test_non_articles_and_disallowed_pages_are_not_written(demo_crawl: CrawlResult, demo_server) -> None:
    written = {r["url"][len(demo_server.base_url):] for r in demo_crawl.records}
    for path in TRUTH["not_articles"] + TRUTH["disallowed"]:
        assert path not in written
    for path in TRUTH["disallowed"]:
        assert path not in demo_crawl.requested, "robots.txt forbids it"


def test_each_article_fetched_once(demo_crawl: CrawlResult, demo_server) -> None:
    fetched = [p for p in demo_crawl.requested if p in TRUTH["articles"]]
    assert sorted(fetched) == ARTICLE_PATHS


def test_no_boilerplate_in_any_body(demo_crawl: CrawlResult) -> None:
    for record in demo_crawl.records:
        for phrase in TRUTH["boilerplate_phrases"]:
            assert phrase.casefold() not in (record["body"] or "").casefold(), (record["url"], phrase)


def test_every_record_matches_the_schema(demo_crawl: CrawlResult) -> None:
    validator = Draft202012Validator(load_schema())
    for record in demo_crawl.records:
        assert list(validator.iter_errors(record)) == [], record["url"]
        assert record["spider"] == "news" and record["fetched_at"]


def test_manifest_agrees_with_the_files(demo_crawl: CrawlResult) -> None:
    manifest = demo_crawl.manifest
    data = demo_crawl.dump.read_bytes()
    assert manifest["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["lines"] == len(demo_crawl.records) == manifest["counts"]["articles_written"]
    assert manifest["counts"]["failures"] == len(demo_crawl.failures)
    assert not list(demo_crawl.root.rglob("*.part"))


def _expected_images(entry: dict[str, Any], base_url: str) -> list[dict[str, Any]]:
    return [{**image, "url": image["url"].replace("{{BASE_URL}}", base_url)} for image in entry["images"]]


@pytest.mark.parametrize("path", ARTICLE_PATHS)
def test_article_fields(path: str, demo_crawl: CrawlResult, demo_server) -> None:
    record = demo_crawl.by_path(demo_server.base_url).get(path)
    assert record is not None, f"{path} not written"
    entry = TRUTH["articles"][path]
    assert {k: record[k] for k in COMPARED_FIELDS} == {k: entry[k] for k in COMPARED_FIELDS}
    assert record["images"] == _expected_images(entry, demo_server.base_url)
    body = record["body"]
    assert body.startswith(entry["body_first_words"]), body[:200]
    assert body.endswith(entry["body_last_words"]), body[-200:]
    assert record["canonical_url"] == demo_server.base_url + path


def test_gzip_dump_is_readable(demo_server, tmp_path) -> None:
    from tests.inprocess import run_crawl

    result = run_crawl(tmp_path, "news", "-a", f"url={demo_server.base_url}/", settings={"JSONL_GZIP": "1"})
    assert result.returncode == 0
    assert result.dump.name.endswith(".jsonl.gz")
    lines = gzip.decompress(result.dump.read_bytes()).decode("utf-8").splitlines()
    assert len(lines) == len(ARTICLE_PATHS) == result.manifest["lines"]
