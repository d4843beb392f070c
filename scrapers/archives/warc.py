"""Write fetched pages as WARC/1.1 request + response records, and read response records back.

Both sides are plain functions over file objects (warcio), independent of Scrapy, so the crawl
recorder, ``scrapy extract``, ``scrapy reextract`` and the ``ccnews`` spider share them.
"""

from __future__ import annotations

import datetime as dt
import io
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Twisted has already de-chunked the body it hands over: a Transfer-Encoding header kept in the
# archive would make readers de-chunk it a second time.
_DROPPED_HEADERS = {b"transfer-encoding"}
HTML_TYPES = ("text/html", "application/xhtml+xml")
# The DOM serialised by the browser (page.content()) is UTF-8 HTML whatever the page declared.
RENDERED_TYPE = "text/html; charset=utf-8"


def _header_pairs(headers: Iterable[tuple[bytes | str, list[bytes] | bytes | str]]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, values in headers:
        key = name if isinstance(name, str) else name.decode("latin-1")
        if key.lower().encode("latin-1") in _DROPPED_HEADERS:
            continue
        for value in values if isinstance(values, list) else [values]:
            pairs.append((key, value if isinstance(value, str) else value.decode("latin-1")))
    return pairs


class WarcRecorder:
    """Appends request/response pairs to a WARC file, one gzip member per record."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.writer = WARCWriter(handle, gzip=True, warc_version="1.1")
        self.records = 0

    def write_exchange(self, url: str, *, method: str, request_headers: Iterable, status: int,
                       response_headers: Iterable, body: bytes, protocol: str = "HTTP/1.1",
                       date: dt.datetime | None = None, rendered: bytes | None = None) -> str:
        """Write the request and the response (headers and body as received); returns the
        response's ``WARC-Record-ID``. ``rendered``: the page's DOM after a browser ran its scripts,
        written first as a ``conversion`` record that refers to the response (``iter_responses``
        then reads it in the response's place); its ID is returned instead."""
        when = (date or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        warc_date = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        response_http = StatusAndHeaders(f"{status} {reason}".strip(), _header_pairs(response_headers),
                                          protocol=protocol or "HTTP/1.1")
        response = self.writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                  http_headers=response_http,
                                                  warc_headers_dict={"WARC-Date": warc_date})
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        pairs = _header_pairs(request_headers)
        if not any(name.lower() == "host" for name, _ in pairs):
            pairs.insert(0, ("Host", parts.netloc))  # the HTTP client adds it after Scrapy's middlewares
        request_http = StatusAndHeaders(f"{method} {target} {protocol or 'HTTP/1.1'}", pairs, is_http_request=True)
        request = self.writer.create_warc_record(url, "request", http_headers=request_http,
                                                 warc_headers_dict={"WARC-Date": warc_date})
        response_id: str = response.rec_headers.get_header("WARC-Record-ID")
        conversion_id = self._write_conversion(url, rendered, response_id, warc_date) if rendered is not None else None
        self.writer.write_request_response_pair(request, response)
        self.handle.flush()  # a killed crawl loses at most the pair being written
        self.records += 2
        return conversion_id or response_id

    def _write_conversion(self, url: str, rendered: bytes, refers_to: str, warc_date: str) -> str:
        conversion = self.writer.create_warc_record(
            url, "conversion", payload=io.BytesIO(rendered), length=len(rendered),
            warc_headers_dict={"WARC-Date": warc_date, "WARC-Refers-To": refers_to,
                               "Content-Type": RENDERED_TYPE})
        self.writer.write_record(conversion)
        self.records += 1
        record_id: str = conversion.rec_headers.get_header("WARC-Record-ID")
        return record_id


@dataclass(frozen=True)
class ArchivedPage:
    """One HTTP response from a WARC file; ``body`` is None when it was over the size cap."""

    url: str
    record_id: str
    warc_date: str
    status: int
    content_type: str | None
    body: bytes | None
    offset: int
    length: int

    @property
    def is_html(self) -> bool:
        kind = (self.content_type or "").split(";")[0].strip().lower()
        return kind in HTML_TYPES or not kind


class TruncatedArchive(Exception):
    """The WARC file ends inside a record (a cut download, a killed writer)."""

    def __init__(self, offset: int, detail: str) -> None:
        self.offset = offset
        super().__init__(f"archive truncated after offset {offset}: {detail}")


def iter_responses(stream: IO[bytes], max_body: int, start_offset: int = 0) -> Iterator[ArchivedPage]:
    """The ``response`` records of a WARC stream (gzip per record or plain, WARC 1.0/1.1, ARC
    converted), in order. Bodies are decoded from chunking and Content-Encoding; a body over
    ``max_body`` bytes is not read (``body=None``), so memory stays bounded. ``start_offset`` is
    where ``stream`` starts in the file (a resumed read), so offsets stay file offsets.
    Raises ``TruncatedArchive`` when the stream ends inside a record.

    A page a browser rendered is archived as a ``conversion`` record (the DOM) written just before
    the ``response`` it refers to: the conversion is read in the response's place."""
    counted = _CountingReader(stream)
    iterator = ArchiveIterator(counted, arc2warc=True)
    last = start_offset
    replaced: set[str] = set()  # responses whose rendered DOM was read already
    try:
        for record in iterator:
            offset = start_offset + iterator.offset
            last = offset
            refers_to = record.rec_headers.get_header("WARC-Refers-To")
            if record.rec_type == "conversion" and refers_to:
                replaced.add(refers_to)
                status, content_type = 200, record.rec_headers.get_header("Content-Type")
            elif record.rec_type != "response" or record.http_headers is None:
                continue
            elif record.rec_headers.get_header("WARC-Record-ID") in replaced:
                replaced.discard(record.rec_headers.get_header("WARC-Record-ID"))
                continue
            else:
                try:
                    status = int(record.http_headers.get_statuscode() or 0)
                except ValueError:
                    status = 0
                content_type = record.http_headers.get_header("Content-Type")
            declared = record.rec_headers.get_header("Content-Length")
            too_big = declared is not None and declared.isdigit() and int(declared) > max_body + 65536
            body = None if too_big else record.content_stream().read(max_body + 1)
            if body is not None and len(body) > max_body:
                body = None
            iterator.read_to_end()
            if getattr(record.raw_stream, "limit", 0) > 0:  # the stream ended inside this record
                raise TruncatedArchive(offset, f"record of {record.length} bytes cut short")
            yield ArchivedPage(
                url=record.rec_headers.get_header("WARC-Target-URI") or "",
                record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
                warc_date=record.rec_headers.get_header("WARC-Date") or "",
                status=status,
                content_type=content_type,
                body=body,
                offset=offset,
                length=iterator.get_record_length(),
            )
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as err:
        raise TruncatedArchive(last, f"{type(err).__name__}: {err}"[:300]) from err
    # warcio ends quietly at a record cut short: bytes left over after the last whole record
    # (beyond the blank lines that separate records) mean the file was truncated.
    if counted.total - iterator.offset > 4:
        raise TruncatedArchive(start_offset + iterator.offset,
                               f"{counted.total - iterator.offset} bytes after the last whole record")


class _CountingReader:
    """Counts the bytes read from a stream (a socket, a file), and hides its position: warcio
    then counts offsets from where this reader started."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.total = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.total += len(data)
        return data


def whole_records_length(stream: IO[bytes]) -> int:
    """Bytes taken by the whole records at the start of a WARC stream: where a file a killed
    writer left with a torn last record must be cut before more records are appended."""
    iterator = ArchiveIterator(_CountingReader(stream), arc2warc=True)
    end = 0
    try:
        for record in iterator:
            iterator.read_to_end()
            if getattr(record.raw_stream, "limit", 0) > 0:
                break
            end = iterator.get_record_offset() + iterator.get_record_length()
    except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error):
        pass
    return end


def count_records(stream: IO[bytes]) -> int:
    """How many WARC records a file holds (every type)."""
    return sum(1 for _ in ArchiveIterator(stream, arc2warc=True))
