"""WARC_ENABLED=1: a real crawl of the demo site archives every fetched page, and the WARC opens with warcio."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.commandline import run_command
from tests.conftest import TRUTH, CrawlResult, read_jsonl
from tests.inprocess import run_crawl

# one worker runs this file: its module fixture (a crawl) is made once, not once per worker and visit
pytestmark = pytest.mark.xdist_group("archives_crawl")


@pytest.fixture(scope="module")
def warc_crawl(demo_server, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    root = tmp_path_factory.mktemp("warc-crawl")
    return run_crawl(root, "news", "-a", f"url={demo_server.base_url}/", settings={"WARC_ENABLED": "1"})


def _warc(result: CrawlResult) -> Path:
    assert result.dump is not None
    return result.dump.with_name(result.dump.name.removesuffix(".jsonl") + ".warc.gz")


def test_warc_is_published_beside_the_dump_and_in_the_manifest(warc_crawl: CrawlResult) -> None:
    assert warc_crawl.returncode == 0, warc_crawl.log[-3000:]
    path = _warc(warc_crawl)
    assert path.exists() and not list(warc_crawl.root.rglob("*.part"))
    [entry] = warc_crawl.manifest["files"]
    with open(path, "rb") as handle:
        records = list(ArchiveIterator(handle))
    assert entry == {"file": path.name, "kind": "warc", "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                     "records": len(records)}


def test_every_fetched_page_is_a_request_and_a_response(warc_crawl: CrawlResult, demo_server) -> None:
    responses: dict[str, dict[str, object]] = {}
    requests = response_records = 0
    with open(_warc(warc_crawl), "rb") as handle:
        for record in ArchiveIterator(handle):
            headers = record.rec_headers
            assert headers.protocol == "WARC/1.1"
            if record.rec_type == "warcinfo":  # the file's first record: what wrote it and how
                assert requests == response_records == 0
                continue
            assert headers.get_header("WARC-Date") and headers.get_header("WARC-Target-URI")
            if record.rec_type == "request":
                requests += 1
                assert headers.get_header("WARC-Concurrent-To")
                continue
            assert record.rec_type == "response"
            response_records += 1
            body = record.content_stream().read()
            digest = headers.get_header("WARC-Payload-Digest")
            assert digest and digest.startswith("sha1:")
            responses[headers.get_header("WARC-Target-URI")[len(demo_server.base_url):]] = {
                "id": headers.get_header("WARC-Record-ID"), "status": int(record.http_headers.get_statuscode()),
                "type": record.http_headers.get_header("Content-Type"), "body": body}
    assert requests == response_records >= len(responses)  # a retried URL has one pair per attempt
    assert "/robots.txt" in responses
    for path in TRUTH["articles"]:
        assert responses[path]["status"] == 200 and b"<html" in responses[path]["body"].lower()
    for path, status in TRUTH["errors"].items():  # failures with a response are archived too
        assert responses[path]["status"] == status
    by_url = {r["url"][len(demo_server.base_url):]: r for r in warc_crawl.records}
    for path, record in by_url.items():
        assert record["warc_record_id"] == responses[path]["id"]


def test_without_warc_records_say_null(demo_crawl: CrawlResult) -> None:
    assert demo_crawl.records and all(r["warc_record_id"] is None for r in demo_crawl.records)
    assert demo_crawl.manifest["files"] == []
    assert not list(demo_crawl.root.rglob("*.warc*"))


def test_reextract_makes_a_new_version_of_changed_records_only(warc_crawl: CrawlResult, tmp_path: Path) -> None:
    """The old dump as an older extractor wrote it: one title differs. Re-extraction from the WARC
    writes every record again, same ids, version 2 for that one, nothing fetched."""
    job = tmp_path / "job"
    job.mkdir()
    source = job / warc_crawl.dump.name
    shutil.copy(_warc(warc_crawl), job)
    old = [dict(r) for r in warc_crawl.records]
    old[0]["title"] = "A headline the old extractor got wrong"
    source.write_text("".join(json.dumps(r) + "\n" for r in old), "utf-8")
    proc = run_command("reextract", str(source), "-s", "EXTRACTION_WORKERS=1")
    assert proc.returncode == 0, proc.stderr
    [manifest_path] = job.glob("*.reextract-*.manifest.json")
    manifest = json.loads(manifest_path.read_text("utf-8"))
    new = {r["id"]: r for r in read_jsonl(manifest_path.with_name(manifest["dump"]))}
    assert manifest["source_job"] == source.name.removesuffix(".jsonl")
    assert manifest["extractor_version"]["presswire"] and manifest["lines"] == len(new) == len(old)
    assert manifest["counts"]["changed"] == 1 and manifest["counts"]["unchanged"] == len(old) - 1
    for record in old:
        again = new[record["id"]]
        assert again["warc_record_id"] == record["warc_record_id"]
        assert again["fetched_at"] == record["fetched_at"]
        assert again["version"] == (2 if record is old[0] else 1)
    assert new[old[0]["id"]]["title"] == warc_crawl.records[0]["title"]
    assert not list(job.glob("*.part"))
