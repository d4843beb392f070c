"""An archived HTTP body back to the bytes the server meant: de-chunked, then every content
coding undone (gzip, deflate, br, zstd: what the crawl advertises in Accept-Encoding).

The decoders are Scrapy's own (``HttpCompressionMiddleware``'s), so a page reads back from the
archive exactly as the crawl decoded it when it fetched it, with the same size bound against
bombs and the same brotli packages (Google's Brotli or brotlicffi). Only ``gunzip`` is public in
Scrapy; the others sit in ``scrapy.utils._compression``, which is why Scrapy is pinned and every
coding is covered by tests/test_archives_shapes.py. warcio's own decoding is not used: it
expects the brotlipy package and crashes on Google's Brotli.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable

import brotli
from scrapy.utils._compression import _CHUNK_SIZE as _CHUNK
from scrapy.utils._compression import _DecompressionMaxSizeExceeded, _inflate, _unzstd
from scrapy.utils.gz import gunzip
from warcio.bufferedreaders import ChunkedDataException, ChunkedDataReader

try:
    from compression.zstd import ZstdError  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # Python < 3.14: the backport Scrapy depends on
    from backports.zstd import ZstdError



def _unbrotli_whole(data: bytes, *, max_size: int = 0) -> bytes:
    """Scrapy's br decoding (bounded output, chunk by chunk), and a stream that stops before its last
    block is an error: Scrapy's ``_unbrotli`` returns what it decoded so far, so random bytes (or a cut
    body) could pass for a short page. One pass, so the decoder that read the stream says whether it ended."""
    decompressor = brotli.Decompressor()
    output = io.BytesIO()
    chunk = decompressor.process(data, output_buffer_limit=_CHUNK)
    while True:
        output.write(chunk)
        if max_size and output.tell() > max_size:
            raise _DecompressionMaxSizeExceeded(output.tell(), max_size)
        if decompressor.is_finished():
            return output.getvalue()
        chunk = decompressor.process(b"", output_buffer_limit=_CHUNK)
        if not chunk:
            raise brotli.error("the br stream stops before its last block")


_DECODERS: dict[str, Callable[..., bytes]] = {
    "gzip": gunzip, "x-gzip": gunzip, "deflate": _inflate, "br": _unbrotli_whole, "zstd": _unzstd,
}
SUPPORTED = ("gzip", "deflate", "br", "zstd")
# what a broken stream raises, per decoder (gzip.BadGzipFile is an OSError)
_DECODE_ERRORS = (zlib.error, brotli.error, ZstdError, OSError, EOFError)
_CHUNK_LINE = re.compile(rb"[0-9A-Fa-f]+[ \t]*(;[^\r\n]*)?\r\n")


class BodyTooLarge(Exception):
    """The decoded body grows past the size cap (``WARC_MAX_RECORD_SIZE``)."""


class Undecodable(Exception):
    """The body cannot be turned back into the page: ``reason`` is ``undecodable`` or ``bad_chunking``."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(detail)


def content_codings(values: list[str]) -> list[str]:
    """``Content-Encoding`` header values as a list of codings, in the order they were applied."""
    codings = [c.strip().lower() for value in values for c in value.split(",")]
    return [c for c in codings if c and c != "identity"]


def dechunk(data: bytes) -> bytes:
    """An HTTP/1.1 chunked body as archived by tools that keep ``Transfer-Encoding: chunked``.
    A body that does not start with a chunk-size line was stored de-chunked under the header
    (as many recorders do) and is returned as it is; one that starts chunked and breaks is
    ``bad_chunking``."""
    if not _CHUNK_LINE.match(data[:80]):
        return data
    reader = ChunkedDataReader(io.BytesIO(data), raise_exceptions=True)
    try:
        return reader.read()
    except ChunkedDataException as err:
        raise Undecodable("bad_chunking", f"Transfer-Encoding chunked, but {printable(err.args[0])}") from None


def decode_body(data: bytes, codings: list[str], max_size: int) -> bytes:
    """Undo ``codings`` (last applied first); raises ``Undecodable`` or ``BodyTooLarge``."""
    for coding in reversed(codings):
        decoder = _DECODERS.get(coding)
        if decoder is None:
            raise Undecodable("undecodable", f"Content-Encoding {coding!r} is not one we read "
                              f"({', '.join(SUPPORTED)})")
        try:
            data = decoder(data, max_size=max_size)
        except _DecompressionMaxSizeExceeded:
            raise BodyTooLarge(f"over {max_size} bytes once decoded") from None
        except _DECODE_ERRORS as err:
            raise Undecodable("undecodable", f"Content-Encoding {coding}: the body is not valid {coding} data "
                              f"({type(err).__name__}: {err})"[:300]) from None
    return data



def printable(value: bytes | str, limit: int = 80) -> str:
    """Bytes or text from a file as one short line of printable ASCII (escapes for the rest)."""
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    shown = text[:limit].encode("ascii", "backslashreplace").decode("ascii")
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)
    return shown + ("..." if len(text) > limit else "")
