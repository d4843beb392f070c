"""Which article pages go through the browser, decided per site and per page.

``render`` in a site config (``RENDER_MODE`` for the generic spider): ``never``; ``always`` (every
article page is rendered); ``auto`` (an article page whose plain HTML gave no article and looks like
an app shell, or shows a consent wall, is requested once more through the browser; a host that
needed it ``RENDER_AFTER`` times in a row is rendered directly from then on, and remembered for the
next run). Only article pages (``meta["stage"] == "fetch"``) are ever rendered: robots.txt,
sitemaps, feeds and listings never are. Without the browser a crawl that needs it says so in one
line and goes on without rendering.

This module imports neither Playwright nor scrapy-playwright: a crawl without them still starts.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from ..discovery.botwalls import block_reason
from ..discovery.scope import is_private
from ..discovery.urls import host_of
from ..extraction.text import word_units
from .availability import DEFAULT_BROWSER, browser_problem
from .consent import ConsentRecipes
from .memory import RenderMemory, memory_path
from .shell import looks_like_app_shell

logger = logging.getLogger(__name__)

MODES = ("never", "auto", "always")
# request.meta keys: why a page goes to the browser (plain values, kept by a JOBDIR queue), the
# visit in progress and the HTML as the server sent it (read by the WARC recorder)
RENDER = "presswire_render"
VISIT = "presswire_visit"
NETWORK_BODY = "presswire_network_body"
_PLAYWRIGHT_OBJECTS = ("playwright_page_init_callback", "playwright_page_methods", VISIT)
STATS = "presswire/render/"
# what the plain fetch left in the meta and the browser's fetch must not inherit
_FETCH_ONLY = frozenset({"download_latency", "download_slot", "redirect_times", "redirect_ttl", "redirect_urls",
                         "redirect_reasons", "retry_times", "warc_record_id"})
# Images, media and fonts do not make an article's text: never downloaded by the browser.
_SKIPPED_RESOURCES = frozenset({"image", "media", "font"})


@dataclass
class Rendering:
    """One crawl's rendering decisions for one spider (``NewsSpider.rendering``)."""

    crawler: Crawler
    mode: str
    problem: str | None
    memory: RenderMemory
    consent: ConsentRecipes
    wait_for: str | None = None
    after: int = 3
    timeout: float = 20.0
    min_words: int = 50
    shells_in_a_row: Counter[str] = field(default_factory=Counter)
    told: bool = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, config: Any = None) -> Rendering:
        """``config``: the spider's SiteConfig (its ``render``, ``render_wait_for``, ``consent_buttons``)."""
        settings = crawler.settings
        mode = (getattr(config, "render", "") or settings.get("RENDER_MODE") or "auto")
        if not settings.getbool("RENDER_ENABLED"):
            mode = "never"
        problem = browser_problem(settings.get("RENDER_BROWSER") or DEFAULT_BROWSER) if mode != "never" else None
        memory = RenderMemory(memory_path(settings) if mode == "auto" else None,
                              settings.getfloat("INCREMENTAL_BUSY_TIMEOUT"))
        return cls(crawler, mode, problem, memory,
                   ConsentRecipes.bundled(getattr(config, "consent_buttons", ()) or ()),
                   wait_for=getattr(config, "render_wait_for", "") or None,
                   after=settings.getint("RENDER_AFTER"), timeout=settings.getfloat("RENDER_TIMEOUT"),
                   min_words=settings.getint("VALIDATE_MIN_BODY_WORDS"))

    # -- called by the spider --------------------------------------------------------------

    def again(self, response: Response, record: dict[str, Any] | None = None,
              words: int | None = None) -> Request | None:
        """The same page once more through the browser, or None. Without ``record`` (a blocked page):
        when it shows a consent wall. With the page's extracted ``record``: when that has no article's
        worth of body (``words``: its ``word_units``, when counted already) and the page looks like an
        app shell."""
        request = response.request
        if self.mode != "auto" or request is None or request.meta.get(RENDER) or request.meta.get("stage") != "fetch":
            return None
        host = host_of(response.url)
        if record is None:
            if "consent" not in (block_reason(response) or ""):
                return None
            why = "consent"
        elif (words if words is not None else word_units(record.get("body"), enough=max(self.min_words, 1))) \
                >= self.min_words:
            self.shells_in_a_row.pop(host, None)  # a plain page with an article: the run is broken
            return None
        elif looks_like_app_shell(response.body):
            why = "shell"
        else:
            return None
        if self.problem is not None:
            self._tell_once(f"{response.url} looks built by JavaScript")
            self.crawler.stats.inc_value(STATS + "unavailable")
            return None
        self.shells_in_a_row[host] += 1
        if self.shells_in_a_row[host] >= self.after and host not in self.memory.hosts:
            logger.info("%s: %d article pages in a row needed the browser: rendering all of them from now on",
                        host, self.shells_in_a_row[host])
            self.memory.remember(host)
        self.crawler.stats.inc_value(STATS + f"again/{why}")
        meta = {key: value for key, value in request.meta.items() if key not in _FETCH_ONLY}
        return request.replace(dont_filter=True, meta={**meta, RENDER: why})

    # -- called by RenderMiddleware --------------------------------------------------------

    def why(self, request: Request) -> str | None:
        """Why this request goes to the browser, or None."""
        if self.mode == "never" or request.meta.get("stage") != "fetch":
            return None
        if request.meta.get(RENDER):
            return str(request.meta[RENDER])
        if self.mode == "always":
            return "always"
        if host_of(request.url) in self.memory.hosts:
            return "remembered"
        return None

    def prepare(self, request: Request) -> None:
        """Hand the request to the browser handler: what to wait for, which buttons to click."""
        why = self.why(request)
        if why is None:
            return
        if self.problem is not None:
            self._tell_once(f"{request.url} is to be rendered ({why})")
            request.meta.pop(RENDER, None)
            return
        from scrapy_playwright.page import PageMethod  # only with the browser installed

        from .settle import PageVisit
        visit = PageVisit(request.url, self.consent, self.timeout, wait_for=self.wait_for)
        request.meta.update({
            RENDER: why, VISIT: visit, "playwright": True,
            "playwright_page_init_callback": visit.attach,
            "playwright_page_methods": [PageMethod(visit.settle)],
            "playwright_page_goto_kwargs": {"wait_until": "domcontentloaded", "timeout": self.timeout * 1000},
        })
        self.crawler.stats.inc_value(STATS + f"requests/{why}")

    def _tell_once(self, what: str) -> None:
        if not self.told:
            self.told = True
            logger.warning("%s, but pages cannot be rendered: %s; going on without rendering", what, self.problem)


class RenderMiddleware:
    """Marks the article requests the spider's ``rendering`` sends to the browser (next to the
    downloader, so the scheduler only ever holds plain values), and takes the browser's objects off
    a request once it is done (a retry goes back to the scheduler)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.rendering: Rendering | None = None  # handed over by the spider when it opens (``use``)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RenderMiddleware:
        if not crawler.settings.getbool("RENDER_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def use(self, rendering: Rendering) -> None:
        self.rendering = rendering

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.rendering is not None:
            self.rendering.prepare(request)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        visit = request.meta.get(VISIT)
        if visit is not None and visit.network_body is not None:
            request.meta[NETWORK_BODY] = visit.network_body
        self._done(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        self._done(request)

    @staticmethod
    def _done(request: Request) -> None:
        for key in _PLAYWRIGHT_OBJECTS:
            request.meta.pop(key, None)


def skip_resource(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: what the browser does not download. Images, media and fonts; and what
    a page on a public host asks of a loopback, private, link-local or metadata address (its scripts'
    requests never pass ScopeMiddleware: this is its rule for them, on addresses written as such)."""
    if request.resource_type in _SKIPPED_RESOURCES:
        return True
    try:
        if request.is_navigation_request() and request.frame.parent_frame is None:
            return False  # the page itself: ScopeMiddleware has let it through
        page_host = urlsplit(request.frame.page.url).hostname or ""
    except Exception:  # a worker's request has no frame; Playwright's errors have no common base here
        page_host = ""
    return _is_private_literal(urlsplit(request.url).hostname or "") and not _is_private_literal(page_host)


def _is_private_literal(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return is_private(host)
    except ValueError:
        return False  # a name: the browser resolves it, not us
