"""Write fetched pages as WARC/1.1 request + response records, and read response records back.

Both sides are plain functions over file objects (warcio), independent of Scrapy, so the crawl
recorder, ``scrapy extract``, ``scrapy reextract`` and the ``ccnews`` spider share them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import IO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .codings import BodyTooLarge, Undecodable, content_codings, dechunk, decode_body, printable

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


# gzip level of the records: warcio compresses at 9, which was two thirds of the cost of writing.
# Per page of the ../shared/bench pages: level 9 7.97 ms, 18.6 % of the HTML; level 3 2.44 ms,
# 21.1 % (benchmarks/archives.py's pages; generated ones: 0.90 ms vs 0.41 ms).
GZIP_LEVEL = 3


class _GzipMember:
    """One record as one gzip member, at ``GZIP_LEVEL`` (warcio's GzippingWrapper, levelled)."""

    def __init__(self, out: IO[bytes]) -> None:
        self.compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.out = out

    def write(self, data: bytes) -> None:
        self.out.write(self.compressor.compress(data))

    def flush(self) -> None:  # warcio calls it once the record is written: the member ends
        self.out.write(self.compressor.flush())
        self.out.flush()


class _LevelledWriter(WARCWriter):
    def _write_warc_record(self, out: IO[bytes], record: ArcWarcRecord) -> None:
        super()._write_warc_record(_GzipMember(out), record)  # built with gzip=False: wrapped once


class WarcRecorder:
    """Appends request/response pairs to a WARC file, one gzip member per record."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.writer = _LevelledWriter(handle, gzip=False, warc_version="1.1")
        self.records = 0

    def write_exchange(self, url: str, *, method: str, request_headers: Iterable, status: int,
                       response_headers: Iterable, body: bytes, protocol: str = "HTTP/1.1",
                       date: dt.datetime | None = None, rendered: bytes | None = None) -> str:
        """Write the request and the response (headers and body as received); returns the
        response's ``WARC-Record-ID``. ``protocol``: the response's, as Scrapy reports it
        (``HTTP/1.0``, ``HTTP/1.1``, ``h2``). ``rendered``: the page's DOM after a browser ran its
        scripts, written first as a ``conversion`` record that refers to the response
        (``iter_responses`` then reads it in the response's place); its ID is returned instead."""
        when = (date or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        warc_date = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        response_http = StatusAndHeaders(f"{status} {reason}".strip(), _header_pairs(response_headers),
                                          protocol=_http_version(protocol))
        response = self.writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                                  http_headers=response_http,
                                                  warc_headers_dict={"WARC-Date": warc_date})
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        pairs = _header_pairs(request_headers)
        if not any(name.lower() == "host" for name, _ in pairs):
            pairs.insert(0, ("Host", parts.netloc))  # the HTTP client adds it after Scrapy's middlewares
        request_http = StatusAndHeaders(f"{method} {target} {sent_protocol(protocol)}", pairs, is_http_request=True)
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


    def write_warcinfo(self, filename: str, fields: dict[str, str]) -> None:
        """The ``warcinfo`` record that says what wrote the records after it and how."""
        self.writer.write_record(self.writer.create_warcinfo_record(filename, fields))
        self.handle.flush()
        self.records += 1


def _http_version(protocol: str | None) -> str:
    """Scrapy's protocol names as HTTP versions: ``h2`` is ``HTTP/2.0``."""
    if not protocol:
        return "HTTP/1.1"
    return "HTTP/2.0" if protocol.lower() in ("h2", "http/2", "http/2.0") else protocol


def sent_protocol(response_protocol: str | None) -> str:
    """The protocol of the request line we sent. Scrapy's HTTP/1.x clients (Twisted's, and the
    aiohttp and httpx handlers) always send ``HTTP/1.1`` requests, whatever version the server
    answers in (an ``HTTP/1.0`` reply does not mean an ``HTTP/1.0`` request); only an HTTP/2
    connection carries both ways in HTTP/2."""
    return "HTTP/2.0" if _http_version(response_protocol) == "HTTP/2.0" else "HTTP/1.1"


@dataclass(frozen=True)
class ArchivedPage:
    """One HTTP response (or an HTML ``resource`` record) from a WARC file. ``body`` is the page
    as the server meant it (de-chunked, content codings undone); it is None when the page cannot
    be read, and ``problem`` says why."""

    url: str
    record_id: str
    warc_date: str
    status: int
    content_type: str | None
    body: bytes | None
    offset: int
    length: int
    # (reason, detail) when the body is there but unusable: undecodable, bad_chunking, truncated_record
    failure: tuple[str, str] | None = None

    @property
    def is_html(self) -> bool:
        kind = (self.content_type or "").split(";")[0].strip().lower()
        return kind in HTML_TYPES or not kind

    @property
    def problem(self) -> tuple[str, str] | None:
        """Why this page gives no body to extract (a failure line's reason and detail), or None."""
        if self.failure:
            return self.failure
        if self.body is None:
            return "too_large", "archived page over WARC_MAX_RECORD_SIZE"
        return None


class ArchiveError(Exception):
    """A file that cannot be read (further): ``reason`` is one of ``ARCHIVE_REASONS``; ``offset``
    is where the bad part starts (records before it were read)."""

    reason = "corrupt_archive"

    def __init__(self, offset: int, detail: str, reason: str | None = None) -> None:
        self.offset = offset
        self.detail = detail
        if reason:
            self.reason = reason
        super().__init__(detail)


class TruncatedArchive(ArchiveError):
    """The WARC file ends inside a record (a cut download, a killed writer)."""

    reason = "truncated_archive"

    def __init__(self, offset: int, detail: str) -> None:
        super().__init__(offset, f"archive truncated after offset {offset}: {detail}")


# why a whole file (or its rest) is not read; docs/archives.md explains each
ARCHIVE_REASONS = {
    "not_a_warc": "the file is not a WARC or ARC file (HTML, text, other binary data)",
    "unsupported_format": "a WARC version or ARC variant we do not read",
    "whole_file_gzip": "gzip as one member over the whole file, not one per record",
    "truncated_archive": "the file ends inside a record",
    "bad_length": "a record's Content-Length does not match where the next record starts",
    "corrupt_archive": "compressed data that does not decompress",
}
WARC_VERSIONS = (b"WARC/1.0", b"WARC/1.1", b"WARC/0.17", b"WARC/0.18")
_SNIFF = 65536


class _QuietURIRepair(logging.Filter):
    """warcio logs every WARC-Target-URI it repairs (spaces become %20) with the header's raw bytes: on a
    damaged file, binary on the user's terminal. The repaired URI is what is read, and damage is reported
    as its own failure line, so the message says nothing more while this module reads."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Replacing spaces in invalid WARC-Target-URI")


_WARCIO_LOADER = logging.getLogger("warcio.recordloader")
_QUIET_URI_REPAIR = _QuietURIRepair()


def iter_responses(stream: IO[bytes], max_body: int, start_offset: int = 0) -> Iterator[ArchivedPage]:
    """The ``response`` records (and ``resource`` records, status 200) of a WARC stream (gzip per
    record or plain, WARC 1.0/1.1, ARC converted), in order. A body over ``max_body`` bytes is not
    read (``body=None``), so memory stays bounded; a body that cannot be decoded, or a record
    marked ``WARC-Truncated``, comes with ``failure`` set. ``start_offset`` is where ``stream``
    starts in the file (a resumed read), so offsets stay file offsets.
    Raises ``ArchiveError`` (``TruncatedArchive`` when the stream ends inside a record) for a
    file that is not an archive or breaks part-way.

    A page a browser rendered is archived as a ``conversion`` record (the DOM) written just before
    the ``response`` it refers to: the conversion is read in the response's place."""
    head = stream.read(_SNIFF)
    if start_offset == 0:
        check_format(head)
    counted = _CountingReader(stream, head)
    iterator = _StrictIterator(counted, arc2warc=True)
    last = start_offset
    replaced: set[str] = set()  # responses whose rendered DOM was read already
    _WARCIO_LOADER.addFilter(_QUIET_URI_REPAIR)  # while this file is read (removed below)
    try:
        for record in iterator:
            offset = start_offset + iterator.offset
            last = offset
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            if record.rec_type == "response" and record_id in replaced:
                replaced.discard(record_id)
                continue
            refers_to = record.rec_headers.get_header("WARC-Refers-To")
            if record.rec_type == "conversion" and refers_to:
                replaced.add(refers_to)
            page = _page(record, offset, max_body)
            iterator.read_to_end()
            if getattr(record.raw_stream, "limit", 0) > 0:  # the stream ended inside this record
                raise TruncatedArchive(offset, f"record of {record.length} bytes cut short")
            if page is not None:
                yield dataclasses.replace(page, length=iterator.get_record_length())
    except ArchiveError as err:
        err.offset += start_offset
        raise
    except ArchiveLoadFailed as err:
        raise _load_failure(last, err, counted) from None
    except (ConnectionError, TimeoutError):
        raise  # the stream broke, not the file: read again from here (remote.DownloadCut)
    except (EOFError, OSError, ValueError, zlib.error) as err:
        raise TruncatedArchive(last, printable(f"{type(err).__name__}: {err}", 200)) from err
    finally:
        _WARCIO_LOADER.removeFilter(_QUIET_URI_REPAIR)
    # warcio ends quietly at a record cut short: bytes left over after the last whole record
    # (beyond the blank lines that separate records) mean the file was truncated.
    if counted.total - iterator.offset > 4:
        raise TruncatedArchive(start_offset + iterator.offset,
                               f"{counted.total - iterator.offset} bytes after the last whole record")


def _page(record: ArcWarcRecord, offset: int, max_body: int) -> ArchivedPage | None:
    """The page a record holds, or None for records that hold none (request, revisit, metadata...)."""
    headers = record.http_headers
    if record.rec_type == "response" and headers is not None:
        try:
            status = int(headers.get_statuscode() or 0)
        except ValueError:
            status = 0
        content_type = headers.get_header("Content-Type")
    elif record.rec_type in ("resource", "conversion"):
        # a stored file or a browser's DOM (no HTTP exchange): the WARC header types it
        status, content_type = 200, record.rec_headers.get_header("Content-Type")
    else:
        return None
    page = ArchivedPage(url=record.rec_headers.get_header("WARC-Target-URI") or "",
                        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
                        warc_date=record.rec_headers.get_header("WARC-Date") or "", status=status,
                        content_type=content_type, body=None, offset=offset, length=0)
    cut = record.rec_headers.get_header("WARC-Truncated")
    if cut:
        return dataclasses.replace(page, failure=(
            "truncated_record", f"WARC-Truncated: {printable(cut)}: the archive holds only the start of this page"))
    declared = record.rec_headers.get_header("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_body + 65536:
        return page
    raw = record.raw_stream.read(max_body + 1)
    if len(raw) > max_body:
        return page
    try:
        if headers is not None and (headers.get_header("Transfer-Encoding") or "").lower() == "chunked":
            raw = dechunk(raw)
        codings = content_codings([v for k, v in headers.headers if k.lower() == "content-encoding"]) \
            if headers is not None else []
        body = decode_body(raw, codings, max_body) if codings else raw
    except BodyTooLarge:
        return page
    except Undecodable as err:
        return dataclasses.replace(page, failure=(err.reason, err.detail))
    return dataclasses.replace(page, body=body)


def check_format(head: bytes) -> None:
    """Raises ``ArchiveError`` unless ``head`` (the file's first bytes) starts a WARC or ARC file."""
    if not head:
        raise ArchiveError(0, "the file is empty", "not_a_warc")
    text = head
    if head[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            text = inflater.decompress(head, _SNIFF)
        except zlib.error as err:
            raise ArchiveError(0, f"gzip data that does not decompress ({err})", "corrupt_archive") from None
        if text.startswith(WARC_VERSIONS) and _holds_two_records(text):
            raise ArchiveError(0, "one gzip member over the whole file, not one per record: "
                               "rewrite it with `warcio recompress IN OUT`", "whole_file_gzip")
    first_line = text.split(b"\n", 1)[0].rstrip(b"\r")
    if first_line.startswith(b"WARC/"):
        if not first_line.startswith(WARC_VERSIONS) or len(first_line) > 9:
            raise ArchiveError(0, f"{printable(first_line, 20)} (we read WARC/1.0 and WARC/1.1)",
                               "unsupported_format")
        return
    if first_line.startswith(b"filedesc://"):  # an ARC file's first record
        return
    raise ArchiveError(0, f"{_kind(text)}, not a WARC or ARC file (it starts with \"{printable(text, 32)}\")",
                       "not_a_warc")


def _holds_two_records(text: bytes) -> bool:
    """Whether the decompressed start of a gzip member runs past its first WARC record."""
    header_end = text.find(b"\r\n\r\n")
    found = re.search(rb"\r\nContent-Length:\s*(\d+)", text[:header_end], re.I)
    if header_end < 0 or not found:
        return False
    record_end = header_end + 4 + int(found.group(1)) + 4
    return len(text) > record_end and text[record_end:].lstrip(b"\r\n").startswith(b"WARC/")


def _kind(data: bytes) -> str:
    sample = data[:2048]
    if re.match(rb"\s*(<!doctype html|<html|<head|<!--)", sample, re.I):
        return "an HTML page"
    if data[:2] == b"\x1f\x8b":
        return "gzip data"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        return "binary data"
    return "a text file"


def _load_failure(offset: int, err: ArchiveLoadFailed, counted: _CountingReader) -> ArchiveError:
    """warcio's ArchiveLoadFailed, told apart by what it means here."""
    message = str(err.msg if hasattr(err, "msg") else err)
    if "non-chunked gzip" in message:
        return ArchiveError(offset, "one gzip member over several records, not one per record: "
                            "rewrite it with `warcio recompress IN OUT`", "whole_file_gzip")
    if offset == 0:
        return ArchiveError(0, printable(message.strip(), 200), "unsupported_format")
    if counted.ended:  # the file stops part-way into a record's first lines: cut, not mislaid
        return TruncatedArchive(offset, f"the file ends inside the record at offset {offset}")
    return ArchiveError(offset, f"the record before offset {offset} ends where its Content-Length says, but no "
                        f"record starts there ({printable(message.strip(), 120)})", "bad_length")


class _StrictIterator(ArchiveIterator):
    """warcio's iterator, except that a record not followed by a blank line (its Content-Length
    is wrong) stops the file with ``bad_length`` instead of a warning printed on stderr with the
    raw bytes found there and a body of the wrong length."""

    def _consume_blanklines(self) -> tuple[bytes | None, int]:
        empty_size = 0
        while True:
            line = self.reader.readline()
            if not line:
                return None, empty_size
            if line.strip():
                if not empty_size:
                    end = self.fh.tell() - self.reader.rem_length() - len(line)
                    raise ArchiveError(self.offset, f"the record at offset {self.offset} is not followed by a "
                                       f"blank line at {end} (its Content-Length is wrong): found "
                                       f"\"{printable(line.strip(), 40)}\"", "bad_length")
                return line, empty_size
            empty_size += len(line)


class _CountingReader:
    """Counts the bytes read from a stream (a socket, a file), and hides its position: warcio
    then counts offsets from where this reader started. ``head``: bytes already read from it."""

    def __init__(self, stream: IO[bytes], head: bytes = b"") -> None:
        self.stream = stream
        self.head = head
        self.total = 0
        self.ended = False  # a read found the end of the stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size < 0:
                data, self.head = self.head + self.stream.read(), b""
            else:
                data, self.head = self.head[:size], self.head[size:]
        else:
            data = self.stream.read(size)
        if size != 0 and not data:
            self.ended = True
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
