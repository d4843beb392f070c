"""A hostile site puts ``user:pass@`` in every kind of URL it can hand the crawler: links, a feed, a
sitemap named in robots.txt, sitemap and feed entries, redirects, rel=canonical, og:url, og:image and
<img>. The secret must reach neither the server (URL or Authorization header), nor the log, nor any
file the crawl writes."""

from __future__ import annotations

import base64
from pathlib import Path

from tests.hostile.site import Handler, article_html, page, redirect, serve
from tests.inprocess import run_crawl

SECRET = "hunter2-s3cr3t"
USER = "editor"
PLAIN = "/news/2026/11/20/story-with-credentials-in-its-markup.html"
LINKED = "/news/2026/11/21/story-linked-with-credentials.html"
FROM_SITEMAP = "/news/2026/11/22/story-listed-in-the-sitemap.html"
FROM_FEED = "/news/2026/11/23/story-listed-in-the-feed.html"
REDIRECTING = "/news/2026/11/24/story-redirecting-with-credentials.html"
BASED = "/section/based-on-a-base-with-credentials/"


def _with_credentials(base_url: str) -> str:
    return base_url.replace("://", f"://{USER}:{SECRET}@")


def _routes(base: str) -> dict[str, object]:
    creds = _with_credentials(base)
    extra = (f'<figure><img src="{creds}/images/harbour.jpg" alt="The harbour wall">'
             f"<figcaption>The sea wall after the storm.</figcaption></figure>")
    marked = article_html("Story with credentials in its markup", extra).replace(
        "<head>", f'<head><link rel="canonical" href="{creds}{PLAIN}">'
                  f'<meta property="og:url" content="{creds}{PLAIN}">'
                  f'<meta property="og:image" content="{creds}/images/lead.jpg">'
                  f'<meta property="og:image:secure_url" content="https://{USER}:{SECRET}@cdn.example/lead.jpg">', 1)
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"<url><loc>{creds}{FROM_SITEMAP}</loc></url><url><loc>{base}{PLAIN}</loc></url></urlset>")
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Test Times</title>'
            f"<item><title>Feed story</title><link>{creds}{FROM_FEED}</link></item></channel></rss>")
    home = (f'<html><head><link rel="alternate" type="application/rss+xml" href="{creds}/feed.xml">'
            f'<link rel="alternate" type="application/rss+xml" href="/plain-feed.xml"></head><body>'
            f'<a href="{base}{PLAIN}">plain</a> <a href="{creds}{LINKED}">linked</a> '
            f'<a href="{REDIRECTING}">redirecting</a> <a href="{creds}/section/world/">section</a>'
            f'<a href="//{USER}:{SECRET}@{base.split("://", 1)[1]}{LINKED}?protocol-relative">pr</a>'
            f'<a href="{base.replace("://", f"://{USER}%3A{SECRET}@")}{LINKED}?encoded">encoded</a>'
            f'<a href="{BASED}">based</a></body></html>')
    based = (f'<html><head><base href="{creds}/"></head><body>'
             f'<a href="news/2026/11/25/story-relative-to-a-base-with-credentials.html">rel</a></body></html>')
    return {
        "/": page(home),
        "/robots.txt": page(f"User-agent: *\nAllow: /\nSitemap: {creds}/sitemap.xml\nSitemap: {base}/plain-sitemap.xml\n",
                            content_type="text/plain"),
        "/sitemap.xml": page(sitemap, content_type="application/xml"),
        "/plain-sitemap.xml": page(sitemap, content_type="application/xml"),
        "/feed.xml": page(feed, content_type="application/rss+xml"),
        "/plain-feed.xml": page(feed, content_type="application/rss+xml"),
        PLAIN: page(marked),
        LINKED: page(article_html("Linked story")),
        FROM_SITEMAP: page(article_html("Sitemap story")),
        FROM_FEED: page(article_html("Feed story")),
        REDIRECTING: redirect(f"{creds}{LINKED}?from=redirect"),
        BASED: page(based),
    }


def test_credentials_in_page_urls_reach_no_server_log_or_file(tmp_path: Path) -> None:
    authorizations: list[str] = []
    routes: dict[str, object] = {}
    with serve(routes) as site:  # type: ignore[arg-type]
        for path, route in _routes(site.base_url).items():
            def recording(h: Handler, route: object = route) -> None:
                authorizations.append(h.headers.get("Authorization") or "")
                route(h)  # type: ignore[operator]
            routes[path] = recording
        result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                           settings={"LOG_LEVEL": "DEBUG", "INCREMENTAL_ENABLED": "0"})
    encoded = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
    assert result.returncode == 0, result.log[-3000:]
    assert [a for a in authorizations if a] == [], "credentials were sent to the server"
    assert not [p for _, p in site.requests if SECRET in p or USER in p], site.requests
    assert SECRET not in result.log and encoded not in result.log
    written = {p: p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert written, "the crawl wrote nothing"
    leaked = [str(p) for p, data in written.items() if SECRET.encode() in data]
    assert leaked == [], leaked
    records = {r["url"][len(site.base_url):]: r for r in result.records}
    assert PLAIN in records, sorted(records)
    marked = records[PLAIN]
    # the credentials are dropped, the address kept: the record still names the page and its images
    assert marked["canonical_url"] == f"{site.base_url}{PLAIN}"
    image_urls = {image["url"] for image in marked["images"]}
    assert f"{site.base_url}/images/lead.jpg" in image_urls or f"{site.base_url}/images/harbour.jpg" in image_urls, \
        image_urls
