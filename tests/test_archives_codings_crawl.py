"""A real crawl of a site that answers in br and zstd (HTTP/1.0), archived with WARC_ENABLED=1,
then ``scrapy reextract`` of its WARC: every article comes back, nothing fetched. The WARC
passes ``warcio check``, starts with a ``warcinfo`` record, and its request lines say HTTP/1.1,
the protocol Scrapy sent."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from backports import zstd
from warcio.archiveiterator import ArchiveIterator

from demo_site.server import _Handler, start_server
from scrapers.archives.check import main as check_warcs
from tests.commandline import Completed, run_command
from tests.conftest import TRUTH, CrawlResult, read_jsonl, run_crawl


class _CompressingHandler(_Handler):
    """The demo site, HTML in br or zstd (by path) when the client accepts them, over HTTP/1.0."""

    protocol_version = "HTTP/1.0"

    def _send(self, code: int, body: bytes, ctype: str, extra: dict | None = None) -> None:
        accepted = {c.strip() for c in self.headers.get("Accept-Encoding", "").split(",")}
        if ctype.startswith("text/html") and code == 200 and {"br", "zstd"} <= accepted:
            coding = "br" if len(self.path) % 2 else "zstd"
            body = brotli.compress(body) if coding == "br" else zstd.compress(body)
            extra = {**(extra or {}), "Content-Encoding": coding}
        super()._send(code, body, ctype, extra)


# one worker runs this file: its module fixture (a crawl) is made once, not once per worker and visit
pytestmark = pytest.mark.xdist_group("codings_crawl")


@pytest.fixture(scope="module")
def coded_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawlResult]:
    with start_server() as server:
        server._httpd.RequestHandlerClass = _CompressingHandler
        root = tmp_path_factory.mktemp("coded-crawl")
        yield run_crawl(root, "news", "-a", f"url={server.base_url}/", settings={"WARC_ENABLED": "1"})


def _warc(result: CrawlResult) -> Path:
    assert result.dump is not None
    return result.dump.with_name(result.dump.name.removesuffix(".jsonl") + ".warc.gz")


def test_the_warc_holds_br_and_zstd_bodies_as_received_and_passes_warcio_check(coded_crawl: CrawlResult) -> None:
    assert coded_crawl.returncode == 0, coded_crawl.log[-3000:]
    path = _warc(coded_crawl)
    said = io.StringIO()  # `python -m scrapers.archives.check -v FILE`, in this process
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        assert check_warcs(["-v", str(path)]) == 0, said.getvalue()
    codings: Counter[str] = Counter()
    with open(path, "rb") as handle:
        records = [(r.rec_type, r.raw_stream.read() if r.rec_type == "warcinfo" else b"", r.http_headers)
                   for r in ArchiveIterator(handle)]
    kind, info, _ = records[0]
    assert kind == "warcinfo"
    fields = dict(line.split(": ", 1) for line in info.decode().splitlines() if line)
    assert fields["software"].startswith("Presswire/") and fields["format"] == "WARC File Format 1.1"
    assert fields["robots"] == "obey" and "CONCURRENT_REQUESTS=" in fields["crawl-settings"]
    for rec_type, _, http in records[1:]:
        if rec_type == "request":  # warcio reads a request line as method, then "target protocol"
            assert http.statusline.endswith(" HTTP/1.1"), http.statusline
        elif rec_type == "response":
            assert http.protocol == "HTTP/1.0"
            codings[http.get_header("Content-Encoding") or "none"] += 1
    assert codings["br"] and codings["zstd"]


def test_reextract_of_the_warc_gives_every_article_back(coded_crawl: CrawlResult, tmp_path: Path) -> None:
    by_path = {r["url"].split("/", 3)[3]: r for r in coded_crawl.records}
    assert sorted("/" + p for p in by_path) == sorted(TRUTH["articles"])
    assert coded_crawl.dump is not None
    out = tmp_path / "again.jsonl"
    proc = run_command("reextract", str(coded_crawl.dump), "-o", str(out), "-s", "EXTRACTION_WORKERS=1")
    assert proc.returncode == 0, proc.stderr
    again = {r["id"]: r for r in read_jsonl(out)}
    assert sorted(again) == sorted(r["id"] for r in coded_crawl.records)
    for record in coded_crawl.records:
        assert again[record["id"]]["body"] == record["body"]
    manifest = json.loads(out.with_name("again.manifest.json").read_text("utf-8"))
    assert manifest["counts"]["failures"] == 0


def _reextract(source: Path) -> Completed:
    return run_command("reextract", str(source), "-s", "EXTRACTION_WORKERS=1")


def _read_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_reextract_chains_keeps_gzip_and_names_every_record_it_cannot_redo(coded_crawl: CrawlResult,
                                                                           tmp_path: Path) -> None:
    assert coded_crawl.dump is not None
    job = coded_crawl.dump.name.removesuffix(".jsonl")
    shutil.copy(_warc(coded_crawl), tmp_path)
    unarchived = {**coded_crawl.records[0], "id": "unarchived-1", "url": "https://quay.example/no-archive.html",
                  "warc_record_id": None}
    elsewhere = {**coded_crawl.records[1], "id": "elsewhere-1", "url": "https://quay.example/elsewhere.html",
                 "warc_record_id": "<urn:uuid:00000000-0000-4000-8000-000000000000>"}
    source = tmp_path / f"{job}.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        for record in [*coded_crawl.records, unarchived, elsewhere]:
            handle.write(json.dumps(record) + "\n")
    first = _reextract(source)
    assert first.returncode == 1 and "Traceback" not in first.stderr, first.stderr  # two records did not come back
    [out] = tmp_path.glob(f"{job}.reextract-*.jsonl.gz")
    assert sorted(r["id"] for r in _read_gz(out)) == sorted(r["id"] for r in coded_crawl.records)
    failures = read_jsonl(out.with_name(out.name.removesuffix(".jsonl.gz") + ".failures.ndjson"))
    assert sorted((f["url"], f["reason"]) for f in failures) == [
        ("https://quay.example/elsewhere.html", "not_in_archive"), ("https://quay.example/no-archive.html",
                                                                    "no_warc_record")]
    time.sleep(1.1)  # the next version's name has the UTC second in it
    second = _reextract(out)  # a reextract's own output is a source like any dump
    assert second.returncode == 0, second.stderr
    [again] = [p for p in tmp_path.glob(f"{job}.reextract-*.jsonl.gz") if p != out]
    assert {r["id"]: r["version"] for r in _read_gz(again)} == {r["id"]: r["version"] for r in _read_gz(out)}
