"""What goes to the browser without starting one: app-shell detection and the site config's keys."""

from __future__ import annotations

import pytest

from scrapers.rendering.consent import ConsentRecipes
from scrapers.rendering.policy import skip_resource
from scrapers.rendering.shell import looks_like_app_shell
from scrapers.sites import SiteConfig, SiteConfigError
from tests.rendering import site

SHORT_PLAIN = "<html><body><h1>Not found</h1><p>No page at this address.</p></body></html>"
MOUNT_POINT = "<html><body><div id='root'></div><script src='/app.js'></script></body></html>"
NOSCRIPT = "<html><body><noscript>Please enable JavaScript to read this page.</noscript></body></html>"


@pytest.mark.parametrize(("html", "expected"), [
    (site.plain_page("Ferry timetable returns"), False),
    (SHORT_PLAIN, False),
    ("", False),
    (MOUNT_POINT, True),
    (NOSCRIPT, True),
    (site.page_for("/news/2026/12/02/inline-json-story.html")[2], True),
    (site.page_for("/news/2026/12/02/fetched-story.html")[2], True),
    (site.ROUTER_SHELL, True),
    (site.consent_frame_page("Frame"), True),
    (site.RESTLESS, True),
], ids=["plain-article", "short-plain", "empty", "mount-point", "noscript", "inline-json", "fetch", "router",
        "consent-frame", "restless"])
def test_app_shell(html: str, expected: bool) -> None:
    assert looks_like_app_shell(html.encode("utf-8")) is expected


def test_render_keys_of_a_site_config() -> None:
    config = SiteConfig.from_mapping("ferry", {"start_urls": ["https://ferry.example/"], "render": "always",
                                               "render_wait_for": "article p", "consent_buttons": ["#ok"]})
    assert (config.render, config.render_wait_for, config.consent_buttons) == ("always", "article p", ["#ok"])
    with pytest.raises(SiteConfigError, match=r"site 'ferry': render must be one of never, auto, always"):
        SiteConfig.from_mapping("ferry", {"start_urls": ["https://ferry.example/"], "render": "sometimes"})


def test_site_buttons_come_first_then_refusals() -> None:
    groups = [name for name, _ in ConsentRecipes.bundled(["#site-ok"]).groups()]
    assert groups == ["site", "reject", "accept"]


class _Frame:
    def __init__(self, page_url: str, parent: object = None) -> None:
        self.page = type("Page", (), {"url": page_url})()
        self.parent_frame = parent


class _BrowserRequest:
    """The three things skip_resource reads of a Playwright request."""

    def __init__(self, url: str, page_url: str, resource_type: str = "fetch", navigation: bool = False) -> None:
        self.url, self.resource_type, self.navigation = url, resource_type, navigation
        self.frame = _Frame(page_url)

    def is_navigation_request(self) -> bool:
        return self.navigation


@pytest.mark.parametrize(("url", "page_url", "kind", "navigation", "skipped"), [
    ("https://news.example/api/story.json", "https://news.example/a.html", "fetch", False, False),
    ("https://news.example/photo.jpg", "https://news.example/a.html", "image", False, True),
    ("https://cdn.example/font.woff2", "https://news.example/a.html", "font", False, True),
    ("http://169.254.169.254/latest/meta-data/", "https://news.example/a.html", "fetch", False, True),
    ("http://127.0.0.1:8080/admin", "https://news.example/a.html", "xhr", False, True),
    ("http://localhost/", "https://news.example/a.html", "script", False, True),
    ("http://127.0.0.1:8080/api.json", "http://127.0.0.1:8080/a.html", "fetch", False, False),
    ("http://10.0.0.5/a.html", "about:blank", "document", True, False),
], ids=["same-site-api", "image", "font", "metadata", "loopback", "localhost", "local-site", "the-page-itself"])
def test_what_the_browser_does_not_fetch(url: str, page_url: str, kind: str, navigation: bool, skipped: bool) -> None:
    assert skip_resource(_BrowserRequest(url, page_url, kind, navigation)) is skipped
