"""The WARC reader on archives in every shape we meet (tests/warc_shapes.py): the pages each gives
back, or the reason it is refused, never a crash; and ``scrapy extract`` on files that are not archives."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import brotli
import pytest

from scrapers.archives.warc import ARCHIVE_REASONS, ArchiveError, iter_responses
from tests.commandline import Completed, run_command
from tests.conftest import read_jsonl
from tests.warc_shapes import SHAPES, SITE, Shape, page_html, response_record, warc


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_each_shape_gives_its_pages_or_its_reason(shape: Shape) -> None:
    pages, reason = [], None
    try:
        for page in iter_responses(io.BytesIO(shape.data()), 1_000_000):
            pages.append(page)
    except ArchiveError as err:
        reason = err.reason
        assert err.reason in ARCHIVE_REASONS
        assert err.detail.isascii() and err.detail.isprintable(), err.detail
    assert reason == shape.reason
    assert [(p.url.removeprefix(SITE), p.problem and p.problem[0]) for p in pages] == list(shape.pages)
    for page in pages:
        if page.problem:
            assert page.body is None and page.problem[1].isprintable()
        elif page.is_html:
            assert page.body == page_html(int(page.url.rsplit("/", 1)[1].split(".")[0]))
            assert page.status == 200


def test_a_body_that_grows_past_the_cap_is_too_large() -> None:
    bomb = brotli.compress(b"<p>" + b"quay " * 200_000)  # 1 MB from a few hundred bytes
    data = warc(lambda w: response_record(w, 1, bomb, [("Content-Encoding", "br")]))
    [page] = iter_responses(io.BytesIO(data), 100_000)
    assert page.body is None and page.problem == ("too_large", "archived page over WARC_MAX_RECORD_SIZE")


def scrapy_extract(*args: str) -> Completed:
    return run_command("extract", *args, "-s", "EXTRACTION_WORKERS=1")


def test_extract_names_each_file_that_is_not_an_archive_and_exits_1(tmp_path: Path) -> None:
    good = tmp_path / "good.warc.gz"
    good.write_bytes(next(s for s in SHAPES if s.name == "Content-Encoding br").data())
    notes = tmp_path / "notes.warc.gz"
    notes.write_bytes(b"These are my notes about the quay.\n" * 20)
    noise = tmp_path / "noise.warc.gz"
    noise.write_bytes(os.urandom(2048))
    out = tmp_path / "out.jsonl"
    proc = scrapy_extract(str(notes), str(good), str(noise), "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.isascii()
    lines = proc.stderr.splitlines()
    assert any(line.startswith(f"scrapy extract: {notes}: not_a_warc: a text file") for line in lines), lines
    assert any(line.startswith(f"scrapy extract: {noise}: not_a_warc: binary data") for line in lines), lines
    assert [r["title"] for r in read_jsonl(out)] == ["Quay story 1"]
    failures = read_jsonl(tmp_path / "out.failures.ndjson")
    assert sorted((f["url"], f["reason"]) for f in failures) == sorted([(str(notes), "not_a_warc"),
                                                                       (str(noise), "not_a_warc")])


def test_extract_writes_a_failure_line_for_an_undecodable_body(tmp_path: Path) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(next(s for s in SHAPES if s.name == "br that is not br").data())
    out = tmp_path / "out.jsonl"
    proc = scrapy_extract(str(bad), "-o", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    [failure] = read_jsonl(tmp_path / "out.failures.ndjson")
    assert (failure["url"], failure["reason"]) == (f"{SITE}/news/1.html", "undecodable")


def test_a_folder_of_archives_is_read_and_pages_beside_archives_too(tmp_path: Path) -> None:
    folder = tmp_path / "crawls"
    (folder / "nov").mkdir(parents=True)
    shapes = {s.name: s for s in SHAPES}
    (folder / "a.warc.gz").write_bytes(shapes["Content-Encoding zstd"].data())
    (folder / "nov" / "b.arc").write_bytes(shapes["ARC"].data())
    out = tmp_path / "out.jsonl"
    proc = scrapy_extract(str(folder), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    # both archives hold story 1 at the same URL: one output, one record of it (the other is a duplicate)
    assert sorted(r["title"] for r in read_jsonl(out)) == ["Quay story 1", "Quay story 2"]
    # a saved page given beside archives goes to the same output and manifest
    page = tmp_path / "story.html"
    page.write_bytes(page_html(3))
    mixed = tmp_path / "mixed.jsonl"
    proc = scrapy_extract(str(page), str(folder / "a.warc.gz"), "--url", f"{SITE}/news/3.html", "-o", str(mixed))
    assert proc.returncode == 0, proc.stderr
    assert sorted(r["title"] for r in read_jsonl(mixed)) == ["Quay story 1", "Quay story 3"]
    assert json.loads(mixed.with_suffix(".manifest.json").read_text("utf-8"))["lines"] == 2


def test_reextract_of_a_job_whose_warc_is_not_an_archive_says_so(tmp_path: Path) -> None:
    dump = tmp_path / "job.jsonl"
    dump.write_text(json.dumps({"id": "a1", "url": f"{SITE}/news/1.html", "warc_record_id": "<urn:uuid:x>"}) + "\n",
                    "utf-8")
    (tmp_path / "job.warc.gz").write_bytes(page_html(1))
    proc = run_command("reextract", str(dump), "-s", "EXTRACTION_WORKERS=1")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"scrapy reextract: {tmp_path / 'job.warc.gz'}: not_a_warc: an HTML page" in proc.stderr
    assert "nothing published" in proc.stderr and proc.stderr.count("\n") == 1  # docs/archives.md, "reextract"
    assert not list(tmp_path.glob("job.reextract-*"))
