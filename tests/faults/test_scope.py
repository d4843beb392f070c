"""Scope by origin: another port of the same host is another site; credentials are never sent or
written down; a crawl treated as public never connects to a private address."""

from __future__ import annotations

import base64
from pathlib import Path

from tests.hostile.site import Handler, article_html, page, redirect, serve
from tests.inprocess import run_crawl

GOOD = "/news/2026/11/20/good-story-about-the-harbour.html"
ELSEWHERE = "/news/2026/11/20/story-on-another-port.html"
SECRET = "s3cr3t-pass"


def _links(*urls: str, base: str = "") -> str:
    head = f'<head><base href="{base}"></head>' if base else ""
    return f"<html>{head}<body>" + "".join(f'<a href="{u}">{u}</a>' for u in urls) + "</body></html>"


def test_links_redirects_sitemaps_and_base_href_stay_on_the_start_origin(tmp_path: Path) -> None:
    with serve({ELSEWHERE: page(article_html("Elsewhere")), "/": page(_links(ELSEWHERE)),
                "/sitemap.xml": page("<urlset/>", content_type="application/xml")}) as other:
        redirecting = "/news/2026/11/20/story-redirecting-to-another-port.html"
        based = "/section/based/"
        sitemap = (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                   f"<url><loc>{other.base_url}{ELSEWHERE}?from=sitemap</loc></url></urlset>")
        routes = {
            "/": page(_links(GOOD, f"{other.base_url}{ELSEWHERE}?from=link", redirecting, based)),
            "/robots.txt": page(f"Sitemap: {other.base_url}/sitemap.xml\nSitemap: /sitemap.xml\n",
                                content_type="text/plain"),
            "/sitemap.xml": page(sitemap, content_type="application/xml"),
            GOOD: page(article_html("Good story")),
            redirecting: redirect(f"{other.base_url}{ELSEWHERE}?from=redirect"),
            based: page(_links("news/2026/11/20/story-relative-to-base.html", base=f"{other.base_url}/")),
        }
        with serve(routes) as site:
            result = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/")
        assert other.requests == [], other.requests
    assert result.returncode == 0, result.log[-3000:]
    assert [r["url"][len(site.base_url):] for r in result.records] == [GOOD]
    failures = {f["url"][len(site.base_url):]: f["reason"] for f in result.failures}
    assert failures[redirecting] == "offsite_redirect"


def _auth_seen(seen: list[str]):
    def route(h: Handler) -> None:
        seen.append(h.headers.get("Authorization") or "")
        h.send_body(article_html("Protected"))
    return route


def test_urls_with_credentials_are_never_fetched_or_written_down(tmp_path: Path) -> None:
    seen: list[str] = []
    protected = "/news/2026/11/20/story-behind-a-password.html"
    redirecting = "/news/2026/11/20/story-redirecting-with-a-password.html"
    routes = {GOOD: page(article_html("Good story")), protected: _auth_seen(seen)}
    with serve(routes) as site:
        # routes are looked up per request, so they can name the server's own address
        with_creds = site.base_url.replace("://", f"://editor:{SECRET}@")
        routes[redirecting] = redirect(f"{with_creds}{protected}")
        routes["/"] = page(_links(GOOD, f"{with_creds}{protected}", redirecting))
        result = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/", settings={"LOG_LEVEL": "DEBUG"})
    assert seen == [], "the protected page was fetched"
    assert result.returncode == 0, result.log[-3000:]
    assert SECRET not in result.log and base64.b64encode(f"editor:{SECRET}".encode()).decode() not in result.log
    failures_text = "".join(str(f) for f in result.failures)
    assert SECRET not in failures_text
    failures = {f["url"][len(site.base_url):]: f["reason"] for f in result.failures}
    assert failures[redirecting] == "credentials_in_url"


def test_a_public_crawl_never_connects_to_a_private_address(tmp_path: Path) -> None:
    """SCOPE_PRIVATE_ADDRESSES=deny treats this local crawl as a public one: 127.0.0.1 is loopback."""
    with serve({"/": page(_links(GOOD)), GOOD: page(article_html("Good story"))}) as site:
        result = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/",
                           settings={"SCOPE_PRIVATE_ADDRESSES": "deny"})
        assert site.requests == []
    assert result.returncode == 1
    assert {f["reason"] for f in result.failures} == {"private_address"}
