"""The WARC reader and writer on real files: offsets, truncation, torn records, size caps."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scrapers.archives.warc import TruncatedArchive, WarcRecorder, iter_responses, whole_records_length

HTML = [(b"Content-Type", [b"text/html; charset=utf-8"])]


def _write(handle: io.BufferedIOBase | io.BytesIO, count: int, start: int = 0, size: int = 200) -> list[str]:
    recorder = WarcRecorder(handle)
    return [recorder.write_exchange(f"https://a.example/{n}.html", method="GET", request_headers=[], status=200,
                                    response_headers=HTML, body=b"<p>%d</p>" % n + b"x" * size)
            for n in range(start, start + count)]


def test_pages_come_back_with_their_ids_and_resumable_offsets() -> None:
    buffer = io.BytesIO()
    ids = _write(buffer, 4)
    data = buffer.getvalue()
    pages = list(iter_responses(io.BytesIO(data), 10_000))
    assert [p.record_id for p in pages] == ids
    resumed = list(iter_responses(io.BytesIO(data[pages[2].offset:]), 10_000, pages[2].offset))
    assert [p.record_id for p in resumed] == ids[2:] and resumed[0].offset == pages[2].offset


def test_a_body_over_the_cap_is_not_read() -> None:
    buffer = io.BytesIO()
    _write(buffer, 2, size=50_000)
    assert [p.body for p in iter_responses(io.BytesIO(buffer.getvalue()), 10_000)] == [None, None]


@pytest.mark.parametrize("into", [5, 60, 200])
def test_a_file_cut_inside_a_response_raises_after_the_whole_ones(into: int) -> None:
    buffer = io.BytesIO()
    ids = _write(buffer, 3)
    data = buffer.getvalue()
    last = list(iter_responses(io.BytesIO(data), 10_000))[2].offset
    seen = []
    with pytest.raises(TruncatedArchive):
        for page in iter_responses(io.BytesIO(data[: last + into]), 10_000):
            seen.append(page.record_id)
    assert seen == ids[:2]


def test_a_torn_record_is_cut_before_appending(tmp_path: Path) -> None:
    path = tmp_path / "job.warc.part"
    with open(path, "wb") as handle:
        first = _write(handle, 3)
    path.write_bytes(path.read_bytes()[:-100])  # a kill in the middle of the last record
    with open(path, "a+b") as handle:
        handle.seek(0)
        handle.truncate(whole_records_length(handle))
        handle.seek(0, 2)
        more = _write(handle, 2, start=3)
    with open(path, "rb") as handle:
        responses = [r.rec_headers.get_header("WARC-Record-ID") for r in ArchiveIterator(handle)
                     if r.rec_type == "response"]
    assert responses == first + more


def test_a_target_uri_with_spaces_is_read_repaired_without_warcio_s_message(caplog: pytest.LogCaptureFixture) -> None:
    """warcio logs each WARC-Target-URI it repairs with the header's raw bytes (binary, when the file is
    damaged there); a command that logs nothing of its own printed it on stderr through logging's last resort."""
    buffer = io.BytesIO()
    WarcRecorder(buffer).write_exchange("https://a.example/a story.html", method="GET", request_headers=[],
                                        status=200, response_headers=HTML, body=b"<p>a story</p>")
    with caplog.at_level("WARNING"):
        [page] = list(iter_responses(io.BytesIO(buffer.getvalue()), 10_000))
    assert page.url == "https://a.example/a%20story.html"
    assert [r.getMessage() for r in caplog.records] == []
    # the message is held back only while a file is read
    with caplog.at_level("WARNING"):
        logging.getLogger("warcio.recordloader").warning("Replacing spaces in invalid WARC-Target-URI: x y")
    assert len(caplog.records) == 1
