"""Retries with backoff: honour Retry-After (bounded), back off exponentially on 5xx and 429."""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

from .botwalls import block_reason


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry middleware, waiting before each retry instead of retrying at once."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base_delay = settings.getfloat("RETRY_BACKOFF_BASE")
        self.max_delay = settings.getfloat("RETRY_BACKOFF_MAX")
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Any:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        if block_reason(response):
            return response  # a challenge does not go away by asking again; the spider records it
        retries = request.meta.get("retry_times", 0)
        delay = self._delay(response, retries)
        if delay is None:
            return response  # Retry-After beyond what we wait: give up now, recorded as an HTTP error
        if delay > 0 and retries < self.max_retry_times:
            await asyncio.sleep(delay)
        reason = f"HTTP {response.status}"
        return self._retry(request, reason) or response

    def _delay(self, response: Response, retries: int) -> float | None:
        header = response.headers.get("Retry-After")
        if header:
            seconds = _retry_after_seconds(header.decode("latin-1"))
            if seconds is not None:
                return seconds if seconds <= self.retry_after_max else None
        return min(self.max_delay, self.base_delay * (2**retries))


def _retry_after_seconds(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
