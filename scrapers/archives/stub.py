"""Downloader middleware: a request for a whole WARC file is answered with an empty response;
the spider's callback then streams the file itself (``scrapers.archives.remote``).

The request still goes through Scrapy's scheduler, so JOBDIR, Scrapyd and the Redis frontier
share out WARC files as they share pages; only the download is left to the spider. The answer
waits until the spider has a free file slot (``spider.file_slots``, released when a file is
done): a request waiting here counts against ``CONCURRENT_REQUESTS``, so a process takes no more
files from a shared queue than it is about to read, and the others get the rest.
"""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

STREAM_META = "stream_warc"


class WarcStreamStub:
    def __init__(self, files_at_once: int) -> None:
        self.files_at_once = max(1, files_at_once)
        self._slots: asyncio.Semaphore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcStreamStub:
        return cls(crawler.settings.getint("CCNEWS_FILES_AT_ONCE"))

    @property
    def slots(self) -> asyncio.Semaphore:
        """Made on first use, inside the running event loop."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.files_at_once)
        return self._slots

    def release(self) -> None:
        """A file is done: the next WARC request may be answered."""
        self.slots.release()

    async def process_request(self, request: Request) -> Response | None:
        if not request.meta.get(STREAM_META):
            return None
        await self.slots.acquire()  # the spider's callback releases it when the file is done
        return Response(request.url, status=200, request=request)
