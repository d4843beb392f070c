"""``DOWNLOAD_MAXSIZE`` as a typed failure: a page too large to download, or a compressed one that
grows past it while it is decompressed (a compression bomb), is recorded ``too_large``."""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from .refusals import TooLarge

# request.meta key: set (to the limit) when a download was cut off for its size
EXCEEDED = "presswire_exceeded_maxsize"


class SizeLimitedCompression(HttpCompressionMiddleware):
    """Scrapy's decompression, refusing a bomb with ``TooLarge`` instead of a plain IgnoreRequest."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Any:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as err:
            if type(err) is IgnoreRequest:  # the only one it raises: decompressed past DOWNLOAD_MAXSIZE
                raise TooLarge("decompressed past DOWNLOAD_MAXSIZE") from err
            raise


class MaxSizeWatch:
    """Extension: marks a request whose download the handler will cut off for its size, so the
    cancellation that follows is told apart from a shutdown's."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MaxSizeWatch:
        watch = cls(crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        crawler.signals.connect(watch.headers_received, signal=signals.headers_received)
        crawler.signals.connect(watch.bytes_received, signal=signals.bytes_received)
        return watch

    def _limit(self, request: Request) -> int:
        return int(request.meta.get("download_maxsize", self.maxsize) or 0)

    def headers_received(self, headers: Any, body_length: int, request: Request, spider: Spider) -> None:
        limit = self._limit(request)
        if limit and isinstance(body_length, int) and body_length > limit:
            request.meta[EXCEEDED] = limit

    def bytes_received(self, data: bytes, request: Request, spider: Spider) -> None:
        limit = self._limit(request)
        if limit:
            received = request.meta.get("presswire_received", 0) + len(data)
            request.meta["presswire_received"] = received
            if received > limit:
                request.meta[EXCEEDED] = limit
