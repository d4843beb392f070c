"""Archive files in the shapes real tools write (and the broken ones they leave), written at test
time with warcio (gzip, brotli, zstd from the libraries the crawl uses): each shape with what a
reader must make of it, the pages or the file's failure reason."""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import brotli
from backports import zstd
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SITE = "https://quay.example"


def page_html(n: int) -> bytes:
    text = " ".join(f"The quay committee met for the {n}th time and counted {k} boats." for k in range(30))
    return f"<html><head><title>Quay story {n}</title></head><body><article><h1>Quay story {n}</h1><p>{text}</p>" \
           f"</article></body></html>".encode()


def chunked(data: bytes, size: int = 700) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(data[i:i + size]), data[i:i + size]) for i in range(0, len(data), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def response_record(writer: WARCWriter, n: int, payload: bytes, headers: list[tuple[str, str]],
              warc_headers: dict[str, str] | None = None, status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8"), *headers], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(f"{SITE}/news/{n}.html", "response", payload=io.BytesIO(payload),
                                                  length=len(payload), http_headers=http,
                                                  warc_headers_dict=warc_headers or {}))


def warc(records: Callable[[WARCWriter], None], gzip_members: bool = True) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_members, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record("shape.warc.gz", {"software": "presswire-tests"}))
    records(writer)
    return buffer.getvalue()


def coded(coding: str, encode: Callable[[bytes], bytes], n: int = 1) -> bytes:
    return warc(lambda w: response_record(w, n, encode(page_html(n)), [("Content-Encoding", coding)]))


def _deflate(data: bytes) -> bytes:
    return zlib.compress(data)


def _plain_pages(writer: WARCWriter) -> None:
    for n in (1, 2):
        response_record(writer, n, page_html(n), [])


def _revisit(writer: WARCWriter) -> None:
    response_record(writer, 1, page_html(1), [])
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_revisit_record(f"{SITE}/news/1.html", digest="sha1:AAAA",
                                                     refers_to_uri=f"{SITE}/news/1.html",
                                                     refers_to_date="2026-11-20T12:00:00Z", http_headers=http))


def _resources(writer: WARCWriter) -> None:
    for n, kind in ((1, "text/html"), (2, "image/png")):
        body = page_html(n) if kind == "text/html" else b"\x89PNG\r\n\x1a\n" + bytes(64)
        writer.write_record(writer.create_warc_record(f"{SITE}/stored/{n}", "resource", payload=io.BytesIO(body),
                                                      length=len(body), warc_content_type=kind))


def arc_file() -> bytes:
    """An ARC v1 file (Internet Archive's format before WARC): a filedesc record, then pages."""
    version = b"1 0 Presswire tests\nURL IP-address Archive-date Content-type Archive-length\n"
    out = b"filedesc://shape.arc 0.0.0.0 20261120120000 text/plain %d\n%s\n" % (len(version), version)
    for n in (1, 2):
        body = page_html(n)
        http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        out += b"%s/news/%d.html 127.0.0.1 20261120120000 text/html %d\n%s\n" % (SITE.encode(), n, len(http), http)
    return out


def bad_length() -> bytes:
    """A plain WARC whose first response declares more bytes than it holds."""
    data = warc(_plain_pages, gzip_members=False)
    marker = b"WARC-Type: response"
    at = data.index(marker)
    start = data.index(b"Content-Length: ", at) + len(b"Content-Length: ")
    end = data.index(b"\r\n", start)
    return data[:start] + str(int(data[start:end]) + 40).encode() + data[end:]


def cut_file() -> bytes:
    data = warc(_plain_pages)
    return data[:-200]


@dataclass(frozen=True)
class Shape:
    """``pages``: (URL path, reason or None) per page read, in order; ``reason``: the file's failure."""

    name: str
    data: Callable[[], bytes]
    pages: tuple[tuple[str, str | None], ...] = ()
    reason: str | None = None


ONE = (("/news/1.html", None),)
TWO = (("/news/1.html", None), ("/news/2.html", None))
SHAPES = [
    Shape("gzip per record", lambda: warc(_plain_pages), TWO),
    Shape("plain", lambda: warc(_plain_pages, gzip_members=False), TWO),
    Shape("Content-Encoding gzip", lambda: coded("gzip", gzip.compress), ONE),
    Shape("Content-Encoding deflate", lambda: coded("deflate", _deflate), ONE),
    Shape("Content-Encoding br", lambda: coded("br", brotli.compress), ONE),
    Shape("Content-Encoding zstd", lambda: coded("zstd", zstd.compress), ONE),
    Shape("Content-Encoding gzip, br", lambda: coded("gzip, br", lambda b: brotli.compress(gzip.compress(b))), ONE),
    Shape("chunked", lambda: warc(lambda w: response_record(w, 1, chunked(page_html(1)), [("Transfer-Encoding", "chunked")])),
          ONE),
    Shape("chunked br", lambda: warc(lambda w: response_record(w, 1, chunked(brotli.compress(page_html(1))), [
        ("Transfer-Encoding", "chunked"), ("Content-Encoding", "br")])), ONE),
    Shape("chunked header, body stored de-chunked",
          lambda: warc(lambda w: response_record(w, 1, page_html(1), [("Transfer-Encoding", "chunked")])), ONE),
    Shape("bad chunking", lambda: warc(lambda w: response_record(w, 1, chunked(page_html(1))[:-40] + b"zz\r\n", [
        ("Transfer-Encoding", "chunked")])), (("/news/1.html", "bad_chunking"),)),
    Shape("br that is not br", lambda: coded("br", lambda b: b"\x01" + os.urandom(200)),
          (("/news/1.html", "undecodable"),)),
    Shape("zstd that is not zstd", lambda: coded("zstd", lambda b: b"not zstd at all" * 20),
          (("/news/1.html", "undecodable"),)),
    Shape("unknown coding", lambda: coded("compress", lambda b: b), (("/news/1.html", "undecodable"),)),
    Shape("WARC-Truncated", lambda: warc(lambda w: response_record(w, 1, page_html(1)[:300], [],
                                                             {"WARC-Truncated": "length"})),
          (("/news/1.html", "truncated_record"),)),
    Shape("revisit", lambda: warc(_revisit), ONE),
    Shape("resource", lambda: warc(_resources), (("/stored/1", None), ("/stored/2", None))),
    Shape("ARC", arc_file, TWO),
    Shape("whole-file gzip", lambda: gzip.compress(warc(_plain_pages, gzip_members=False)), reason="whole_file_gzip"),
    Shape("truncated file", cut_file, ONE, reason="truncated_archive"),
    Shape("bad length", bad_length, reason="bad_length"),
    Shape("WARC/2.0", lambda: warc(_plain_pages, gzip_members=False).replace(b"WARC/1.1", b"WARC/2.0"),
          reason="unsupported_format"),
    Shape("a text file named .warc.gz", lambda: b"These are my notes about the quay.\n" * 20, reason="not_a_warc"),
    Shape("random bytes named .warc.gz", lambda: os.urandom(4096), reason="not_a_warc"),
    Shape("an HTML page named .warc.gz", lambda: page_html(1), reason="not_a_warc"),
    Shape("a gzipped HTML page named .warc.gz", lambda: gzip.compress(page_html(1)), reason="not_a_warc"),
    Shape("an empty file", lambda: b"", reason="not_a_warc"),
]
