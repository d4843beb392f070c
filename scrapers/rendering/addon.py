"""Installs the browser only where it can run: the download handler, its bounds, the middleware.

With ``RENDER_ENABLED=0``, or without the browser or the Python packages, Scrapy's own HTTP handler
stays and no Playwright driver is ever started (the spider then says so in one line when a page
needs rendering). The handler serves both schemes (one driver, not one per scheme).
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from .availability import DEFAULT_BROWSER, browser_problem, launch_options
from .policy import RenderMiddleware

# Scrapy's HTTP handler that builds the browser handler (browser.py) for the first page to render
HANDLER = f"{__package__}.handler.RenderingHandler"
# next to the downloader (after the WARC recorder at 950): the scheduler never holds a browser object
MIDDLEWARE_ORDER = 960


class Rendering:
    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.getbool("RENDER_ENABLED"):
            return
        settings.setdefault_in_component_priority_dict("DOWNLOADER_MIDDLEWARES", RenderMiddleware, MIDDLEWARE_ORDER)
        executable = settings.get("RENDER_BROWSER") or DEFAULT_BROWSER
        if browser_problem(executable) is not None:
            return
        handlers = settings["DOWNLOAD_HANDLERS"]
        for scheme in ("http", "https"):
            handlers.set(scheme, HANDLER, "addon")
        timeout_ms = settings.getfloat("RENDER_TIMEOUT") * 1000
        settings.set("PLAYWRIGHT_BROWSER_TYPE", "chromium", "addon")
        settings.set("PLAYWRIGHT_LAUNCH_OPTIONS", launch_options(executable), "addon")
        settings.set("PLAYWRIGHT_MAX_CONTEXTS", 1, "addon")
        settings.set("PLAYWRIGHT_MAX_PAGES_PER_CONTEXT", settings.getint("RENDER_PAGES"), "addon")
        settings.set("PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT", timeout_ms, "addon")
        settings.set("PLAYWRIGHT_ABORT_REQUEST", f"{__package__}.policy.skip_resource", "addon")
