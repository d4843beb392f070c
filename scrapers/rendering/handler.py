"""The download handler a crawl installs when it may render: Scrapy's own HTTP handler, which hands the
pages ``policy`` sends to the browser (``meta["playwright"]``) to ``browser.BrowserHandler``, built for the
first of them. Playwright and scrapy-playwright are imported then, not at the crawl's start: a crawl that
renders nothing never loads them (half a second of start-up, counted in every page's share of CPU).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response

if TYPE_CHECKING:
    from .browser import BrowserHandler


class RenderingHandler(HTTP11DownloadHandler):
    """One per scheme, as Scrapy builds handlers; both share the crawl's one ``BrowserHandler``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.browser: BrowserHandler | None = None

    async def download_request(self, request: Request) -> Response:
        if request.meta.get("playwright"):
            return await self._browser().download_request(request)
        return await super().download_request(request)

    def _browser(self) -> BrowserHandler:
        if self.browser is None:
            from .browser import BrowserHandler

            self.browser = BrowserHandler.from_crawler(self._crawler)
        return self.browser

    async def close(self) -> None:
        await super().close()
        if self.browser is not None:
            await self.browser.close()  # shared by both schemes: it closes once
