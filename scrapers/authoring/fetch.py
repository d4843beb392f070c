"""Fetch a handful of pages the way a crawl does (robots.txt, scope, size limits, retries, user agent),
with none of a crawl's outputs: no dumps, no job files, no incremental state.

``QUIET_SETTINGS`` is what every authoring spider runs with: the project's downloader middlewares stay (they
are the politeness), its item pipelines, extensions and add-ons go.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from ..discovery.failures import classify
from ..discovery.scope import Scope

QUIET_SETTINGS: dict[str, Any] = {
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {},
    "ADDONS": {},
    "JSONL_ENABLED": False,
    "INCREMENTAL_ENABLED": False,
    "WARC_ENABLED": False,
    "RUN_LOCK_ENABLED": False,
    "LOG_LEVEL": "ERROR",
    "CLOSESPIDER_TIMEOUT": 300,  # bounded, whatever the site does
}


@dataclass(frozen=True)
class Fetched:
    requested: str
    url: str  # after redirects
    body: bytes
    content_type: str | None


class PageFetcher(scrapy.Spider):
    """Fetches the URLs it is given; ``pages`` and ``problems`` (URL -> one line) are filled as it goes."""

    name = "presswire-fetch"
    custom_settings = QUIET_SETTINGS

    def __init__(self, urls: list[str], pages: dict[str, Fetched], problems: dict[str, str],
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = list(urls)
        self.scope = Scope.of(self.start_urls)
        self.pages = pages
        self.problems = problems

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.keep, errback=self.failed, dont_filter=True,
                                 cb_kwargs={"requested": url})

    def keep(self, response: Response, requested: str) -> None:
        content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
        if content_type and "html" not in content_type.lower():
            self.problems[requested] = f"not an HTML page ({content_type})"
            return
        self.pages[requested] = Fetched(requested, response.url, response.body, content_type)

    def failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errback failures
        self.problems[request.cb_kwargs.get("requested", request.url)] = describe_failure(failure)


def describe_failure(failure: Failure) -> str:
    classified = classify(failure)
    if classified is None:
        return "skipped: robots.txt disallows it, or it is outside the site"
    reason, detail = classified
    return f"{reason}: {detail}" if detail else reason
