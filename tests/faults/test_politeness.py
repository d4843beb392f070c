"""Politeness, counted at the server: ``CONCURRENT_REQUESTS_PER_DOMAIN`` bounds the requests a site
sees at once, whatever path a URL took (links, a sitemap, a feed, robots.txt); and a robots.txt that
fails with a server error or times out means "disallow everything" (RFC 9309, 2.3.1.4), while a 4xx
means "allow everything"."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tests.hostile.site import Handler, Route, article_html, page, serve, slow
from tests.inprocess import run_crawl

STORIES = [f"/news/2026/11/{10 + i % 18}/story-number-{i}-about-the-harbour.html" for i in range(24)]


class ConcurrencyGauge:
    """How many requests the server is answering at once, and the most it ever was."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0

    def around(self, route: Route) -> Route:
        def counted(h: Handler) -> None:
            with self.lock:
                self.now += 1
                self.most = max(self.most, self.now)
            try:
                route(h)
            finally:
                with self.lock:
                    self.now -= 1
        return counted


def _listing(paths: list[str]) -> str:
    return "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in paths) + "</body></html>"


def _sitemap(base: str, paths: list[str]) -> str:
    return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths) + "</urlset>")


@pytest.mark.parametrize("per_domain", [1, 2])
def test_per_domain_concurrency_holds_at_the_server(tmp_path: Path, per_domain: int) -> None:
    gauge = ConcurrencyGauge()
    routes: dict[str, Route] = {}
    with serve(routes) as site:
        plain = {
            "/": page(_listing(STORIES[:12])),
            "/robots.txt": page(f"User-agent: *\nAllow: /\nSitemap: {site.base_url}/sitemap.xml\n",
                                content_type="text/plain"),
            "/sitemap.xml": page(_sitemap(site.base_url, STORIES[12:]), content_type="application/xml"),
            **{p: slow(0.1, page(article_html(f"Story {i}"))) for i, p in enumerate(STORIES)},
        }
        routes.update({path: gauge.around(route) for path, route in plain.items()})
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                           settings={"CONCURRENT_REQUESTS_PER_DOMAIN": str(per_domain), "CONCURRENT_REQUESTS": "16",
                                     "EXTRACTION_WORKERS": "1", "INCREMENTAL_ENABLED": "0"})
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.records) == len(STORIES)
    assert gauge.most <= per_domain, f"{gauge.most} requests at once with CONCURRENT_REQUESTS_PER_DOMAIN={per_domain}"


def _robots_site(robots: Route) -> tuple[dict[str, Route], list[str]]:
    return {
        "/robots.txt": robots,
        "/": page(_listing(STORIES[:3])),
        **{p: page(article_html(f"Story {i}")) for i, p in enumerate(STORIES[:3])},
    }, STORIES[:3]


def _fetched(site_requests: list[tuple[float, str]]) -> list[str]:
    return [p for _, p in site_requests if p != "/robots.txt"]


@pytest.mark.parametrize("status", [500, 503])
def test_robots_txt_server_error_disallows_everything(tmp_path: Path, status: int) -> None:
    routes, _ = _robots_site(page("oops", status=status, content_type="text/plain"))
    with serve(routes) as site:
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                           settings={"INCREMENTAL_ENABLED": "0", "RETRY_TIMES": "1"})
        fetched = _fetched(site.requests)
    assert fetched == [], f"robots.txt answered {status} and the crawl fetched {fetched}"
    assert result.returncode != 0, result.log[-3000:]
    assert "robots.txt" in result.log


def test_robots_txt_timeout_disallows_everything(tmp_path: Path) -> None:
    routes, _ = _robots_site(slow(8, page("User-agent: *\nAllow: /\n", content_type="text/plain")))
    with serve(routes) as site:
        started = time.monotonic()
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                           settings={"INCREMENTAL_ENABLED": "0", "DOWNLOAD_TIMEOUT": "2", "RETRY_TIMES": "0"})
        fetched = _fetched(site.requests)
    assert fetched == [], f"robots.txt timed out and the crawl fetched {fetched}"
    assert result.returncode != 0, result.log[-3000:]
    assert time.monotonic() - started < 60


def test_robots_txt_connection_reset_disallows_everything(tmp_path: Path) -> None:
    routes, _ = _robots_site(lambda h: h.reset_connection())
    with serve(routes) as site:
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                           settings={"INCREMENTAL_ENABLED": "0", "RETRY_TIMES": "1"})
        fetched = _fetched(site.requests)
    assert fetched == [], f"robots.txt reset the connection and the crawl fetched {fetched}"
    assert result.returncode != 0, result.log[-3000:]


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_robots_txt_client_error_allows_everything(tmp_path: Path, status: int) -> None:
    # an error page that reads like a robots.txt forbidding everything is still an error page
    routes, stories = _robots_site(page("User-agent: *\nDisallow: /\n", status=status, content_type="text/plain"))
    with serve(routes) as site:
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                           settings={"INCREMENTAL_ENABLED": "0"})
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(r["url"][len(site.base_url):] for r in result.records) == sorted(stories)
