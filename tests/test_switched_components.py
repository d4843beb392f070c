"""Scrapy's cookies middleware, telnet console and remote control stand behind their settings
(scrapers/config/switched.py): off by default, and each one Scrapy's own component again when its
setting is on."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.extensions.telnet import TelnetConsole

from tests.hostile.site import Handler, article_html, page, serve
from tests.inprocess import InProcessCrawl, run_crawl

STORY = "/news/2026/11/12/the-ferry-timetable-changes-for-winter.html"


def _crawl(tmp_path: Path, settings: dict[str, str]) -> tuple[InProcessCrawl, list[str]]:
    """A home page that sets a cookie and links one story; what the story's request sent as Cookie."""
    sent: list[str] = []

    def story(h: Handler) -> None:
        sent.append(h.headers.get("Cookie", ""))
        page(article_html("The ferry timetable changes for winter"))(h)

    routes = {"/": page(f'<html><body><a href="{STORY}">story</a></body></html>', Set_Cookie="visitor=quay-17"),
              STORY: story}
    with serve(routes) as site:  # type: ignore[arg-type]
        crawl = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                          settings={"INCREMENTAL_ENABLED": "0", **settings})
    assert crawl.exit_problems == [] and len(crawl.records) == 1, crawl.log[-3000:]
    return crawl, sent


def _components(crawl: InProcessCrawl) -> list[type]:
    """The downloader middlewares and extensions the crawl ran with (its managers outlive it)."""
    assert crawl.crawler.engine is not None
    return [type(m) for m in [*crawl.crawler.engine.downloader.middleware.middlewares,
                              *crawl.crawler.extensions.middlewares]]


def test_cookies_are_off_by_default(tmp_path: Path) -> None:
    crawl, sent = _crawl(tmp_path, {})
    assert sent == [""]
    assert not {CookiesMiddleware, TelnetConsole} & set(_components(crawl))


@pytest.mark.parametrize(("setting", "component"), [("COOKIES_ENABLED", CookiesMiddleware),
                                                    ("TELNETCONSOLE_ENABLED", TelnetConsole)])
def test_a_setting_switches_scrapys_own_component_on(tmp_path: Path, setting: str, component: type) -> None:
    crawl, sent = _crawl(tmp_path, {setting: "1"})
    assert component in _components(crawl)
    assert sent == (["visitor=quay-17"] if component is CookiesMiddleware else [""])
