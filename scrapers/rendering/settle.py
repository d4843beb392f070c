"""Wait for the article, not the load event; answer a consent wall on the way.

Playwright returns at the load event, when a script-built article is often still on its way (an API
call, a client-side route). ``PageVisit.settle`` runs after it: it clicks a consent button when one
shows (refusals first), and returns once the page's text has stopped growing for ``quiet`` seconds
with no fetch/XHR in flight (or once the site's ``render_wait_for`` selector has text), bounded by
``timeout``. A page still changing at the timeout raises ``RenderTimeout``; a wall still there after
its button was clicked raises ``ConsentWallStays``, so a teaser is never taken for the article.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Page
from playwright.async_api import Request as BrowserRequest
from playwright.async_api import Response as BrowserResponse

from .consent import ConsentRecipes
from .errors import ConsentWallStays, RenderTimeout

POLL = 0.1
# Consent buttons are looked for less often than the text is measured (a look costs 0.1 s of the
# browser's CPU: every recipe in every frame), and only while the page shows less text than an
# article: a banner beside a readable article needs no answer, the text is in the DOM either way.
CONSENT_EVERY = 0.5
CONSENT_TEXT = 2000
CLICK_TIMEOUT_MS = 2000
# A wall that comes back after this many clicks is not going away.
MAX_CLICKS = 3
_BUSY_TYPES = frozenset({"fetch", "xhr", "script", "document"})
_TEXT_LENGTH = "() => document.body ? document.body.innerText.length : 0"


@dataclass
class PageVisit:
    """One page in the browser: what it waits for, and what it saw (read back by the WARC recorder)."""

    url: str
    consent: ConsentRecipes
    timeout: float
    quiet: float = 0.5
    wait_for: str | None = None
    in_flight: set[BrowserRequest] = field(default_factory=set)
    network: BrowserResponse | None = None
    network_body: bytes | None = None
    clicked: list[str] = field(default_factory=list)
    opened: bool = False

    async def attach(self, page: Page, request: Any) -> None:
        """Before navigation (scrapy-playwright's page init callback): watch the page's requests."""
        self.opened = True
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)
        page.on("response", self._response)

    def _started(self, request: BrowserRequest) -> None:
        if request.resource_type in _BUSY_TYPES:
            self.in_flight.add(request)

    def _ended(self, request: BrowserRequest) -> None:
        self.in_flight.discard(request)

    def _response(self, response: BrowserResponse) -> None:
        request = response.request
        if request.is_navigation_request() and request.frame.parent_frame is None and not 300 <= response.status < 400:
            self.network = response

    async def settle(self, page: Page) -> None:
        """Return when the page is done; raise RenderTimeout / ConsentWallStays when it is not."""
        deadline = time.monotonic() + self.timeout
        last_length, quiet_since, consent_looked = -1, time.monotonic(), 0.0
        while True:
            now = time.monotonic()
            if now >= deadline:
                raise RenderTimeout(f"still changing after {self.timeout:g} s" if self.wait_for is None
                                    else f"{self.wait_for!r} not on the page after {self.timeout:g} s")
            length = await page.evaluate(_TEXT_LENGTH)
            if (length < CONSENT_TEXT and len(self.clicked) < MAX_CLICKS
                    and now - consent_looked >= CONSENT_EVERY):
                consent_looked = now
                if await self._answer_consent(page):
                    last_length, quiet_since = -1, time.monotonic()
                    continue
            if length != last_length or self.in_flight or not await self._wanted_is_there(page):
                last_length, quiet_since = length, now
            elif now - quiet_since >= self.quiet:
                break
            await asyncio.sleep(POLL)
        if self.clicked and await self._visible_button(page) is not None:
            raise ConsentWallStays(f"still there after {len(self.clicked)} clicks on a {self.clicked[-1]} button")
        await self._keep_network_body()

    async def _wanted_is_there(self, page: Page) -> bool:
        if self.wait_for is None:
            return True
        try:
            return bool((await page.locator(self.wait_for).first.text_content(timeout=200) or "").strip())
        except PlaywrightError:
            return False

    async def _answer_consent(self, page: Page) -> bool:
        found = await self._visible_button(page)
        if found is None:
            return False
        frame, name, selector = found
        try:
            await frame.locator(selector).filter(visible=True).first.click(timeout=CLICK_TIMEOUT_MS)
        except PlaywrightError:
            pass  # a wall that swallows the click stays visible: ConsentWallStays after settling
        self.clicked.append(name)
        return True

    async def _visible_button(self, page: Page) -> tuple[Frame, str, str] | None:
        """The first visible consent button, group by group, in the page and then in its frames."""
        for name, group in self.consent.groups():
            for frame in page.frames:
                try:
                    if await frame.locator(group).filter(visible=True).count():
                        return frame, name, group
                except PlaywrightError:
                    continue  # a frame that navigated away or was detached meanwhile
        return None

    async def _keep_network_body(self) -> None:
        """The HTML as the server sent it, for the WARC record beside the rendered DOM."""
        if self.network is None:
            return
        try:
            self.network_body = await self.network.body()
        except PlaywrightError:
            self.network_body = None
