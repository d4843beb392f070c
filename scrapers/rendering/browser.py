"""The browser: Debian's Chromium headless shell driven by Playwright, as one Scrapy download handler.

Scrapy's HTTP handler (``handler.RenderingHandler``, one per scheme) builds it for the first page
``policy`` sends (``meta["playwright"]``) and hands it only those; this module, Playwright and
scrapy-playwright are imported then. Each scrapy-playwright handler starts its own Playwright driver
(about 280 MB), so ``BrowserHandler.from_crawler`` gives both schemes the same one. The driver and the
browser start with the first page that needs them, so a crawl that renders nothing pays nothing.

Bounds: ``RENDER_PAGES`` pages open at once in one browser; past ``RENDER_MEMORY_LIMIT_MB`` (PSS of
the browser's processes) the browser is closed once its open pages are done and the next page
starts a fresh one; a browser that dies fails its pages in flight as ``render_crashed`` and the next
page starts a fresh one. Playwright's own errors become typed failures (``errors``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from weakref import WeakKeyDictionary

from playwright._impl._errors import TargetClosedError
from playwright.async_api import Browser
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from ..discovery.refusals import Refused
from .availability import DEFAULT_BROWSER
from .errors import RenderCrashed, RenderFailed, RenderTimeout
from .footprint import browser_pss_kb
from .policy import VISIT

logger = logging.getLogger(__name__)

# Memory is measured every this many rendered pages (a pass over /proc costs a few milliseconds).
MEMORY_CHECK_EVERY = 5


class _ExpectedFailures(logging.Filter):
    """scrapy-playwright logs every failed page with a traceback; ours are failure lines already."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], Refused))


_QUIET = _ExpectedFailures()
_HANDLERS: WeakKeyDictionary[Crawler, BrowserHandler] = WeakKeyDictionary()


class BrowserHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler, shared by http and https, started on first use and bounded."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserHandler:
        handler = _HANDLERS.get(crawler)
        if handler is None:
            handler = _HANDLERS[crawler] = cls(crawler)
        return handler

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        logging.getLogger("scrapy-playwright").addFilter(_QUIET)  # the same filter is added once
        # a page in flight when the browser died fails (render_crashed) instead of being tried again
        # in a fresh browser that it might crash as well
        self.config.target_closed_max_retries = 0
        settings = crawler.settings
        self.executable = settings.get("RENDER_BROWSER") or DEFAULT_BROWSER
        self.memory_limit_kb = settings.getint("RENDER_MEMORY_LIMIT_MB") * 1024
        self.restart_wait = settings.getfloat("RENDER_TIMEOUT") * 2
        self.driver_lock = asyncio.Lock()
        self.restart_lock = asyncio.Lock()
        # taken before a page is asked for, so a restart that is due holds back every page not yet open
        self.slots = asyncio.Semaphore(settings.getint("RENDER_PAGES"))
        self.driver_started = False
        self.closed = False
        self.restart_due = False
        self.rendered = 0

    async def _maybe_launch_in_thread(self) -> None:
        """At engine start scrapy-playwright starts its driver; ours waits for the first page."""

    async def _start_driver(self) -> None:
        async with self.driver_lock:
            if not self.driver_started:
                try:
                    await self._launch()
                except Exception as err:  # the driver is a Node.js process: anything can stop it
                    raise RenderFailed(f"the Playwright driver did not start: {_first_line(err)}") from None
                self.driver_started = True

    async def _maybe_launch_browser(self) -> None:
        async with self.browser_launch_lock:
            if not hasattr(self, "browser"):
                started = time.monotonic()
                try:
                    browser = await self.browser_provider.launch_browser()
                except Exception as err:  # a missing library, a binary that is not a browser
                    raise RenderFailed(f"the browser did not start: {_first_line(err)}") from None
                self.browser = browser
                self.stats.inc_value("presswire/render/browser_starts")
                browser.on("disconnected", lambda: self._disconnected(browser))
                logger.info("browser started in %.1f s (%s)", time.monotonic() - started, self.executable)

    def _disconnected(self, browser: Browser) -> None:
        """The browser ended: forget it (the next page starts another) unless it was already replaced."""
        if getattr(self, "browser", None) is not browser:
            return
        del self.browser
        self.context_wrappers.clear()
        if not self.closed:
            self.stats.inc_value("presswire/render/browser_crashes")
            logger.warning("the browser ended unexpectedly: its pages in flight fail as render_crashed")

    async def _download_request(self, request: Request, spider: Spider | None = None) -> Response:
        await self._start_driver()
        for attempt in (1, 2):
            try:
                async with self.slots:
                    await self._restart_if_due()
                    response: Response = await super()._download_request(request, spider)
            except Refused:
                raise
            except PlaywrightTimeoutError as err:
                raise RenderTimeout(_first_line(err)) from None
            except TargetClosedError as err:
                visit = request.meta.get(VISIT)
                if attempt == 1 and visit is not None and not visit.opened:
                    continue  # it waited for a page in a browser that died meanwhile: never opened
                raise RenderCrashed(_first_line(err)) from None
            except PlaywrightError as err:
                message = _first_line(err)
                raise (RenderCrashed if "crash" in message.lower() else RenderFailed)(message) from None
            break
        self.stats.inc_value("presswire/render/pages")
        self.rendered += 1
        if self.memory_limit_kb and self.rendered % MEMORY_CHECK_EVERY == 0:
            self._check_memory()
        return response

    def _check_memory(self) -> None:
        used = browser_pss_kb(os.path.realpath(self.executable))
        self.stats.max_value("presswire/render/browser_pss_max_mb", used // 1024)
        if used > self.memory_limit_kb:
            self.restart_due = True

    async def _restart_if_due(self) -> None:
        """Past the memory ceiling: new pages wait until the open ones are done, then a fresh browser."""
        if not self.restart_due:
            return
        async with self.restart_lock:
            if not self.restart_due:
                return
            deadline = time.monotonic() + self.restart_wait
            while self._get_total_page_count() and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            self.restart_due = False
            browser = getattr(self, "browser", None)
            if browser is None:
                return
            del self.browser
            self.context_wrappers.clear()
            self.stats.inc_value("presswire/render/browser_restarts")
            logger.info("browser past RENDER_MEMORY_LIMIT_MB: restarting it")
            try:
                await browser.close()
            except PlaywrightError:
                pass  # it ended on its own meanwhile

    async def close(self) -> None:
        # built once for both schemes, so Scrapy closes it twice
        if self.closed:
            return
        self.closed = True
        if self.driver_started:
            await super().close()
        else:
            await super(ScrapyPlaywrightDownloadHandler, self).close()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
