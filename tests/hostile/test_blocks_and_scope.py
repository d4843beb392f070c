"""Challenge pages and consent walls are recorded as blocked; nothing outside http(s) and the
site's domains is fetched."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from scrapers.discovery.botwalls import block_reason
from scrapers.sites import SiteConfig
from tests.hostile.site import WORDS, article_html, page, redirect, serve
from tests.inprocess import run_crawl

GOOD = "/news/2026/11/20/good-story-about-the-harbour.html"
CHALLENGE_403 = """<html><head><title>Just a moment...</title></head><body>
<div id="challenge-platform"><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script>
Checking your browser before accessing the site.</div></body></html>"""
CHALLENGE_202 = "<html><head><script>document.cookie='ok=1';location.reload()</script></head><body></body></html>"
COOKIE_WALL = """<html><head><title>Before you continue</title></head><body><div class="consent">
<h1>Before you continue</h1><p>We use cookies and data to deliver our services. Accept all cookies to continue
reading.</p><button>Accept all</button><button>Reject all</button></div></body></html>"""


def links(*paths: str) -> str:
    return "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in (GOOD, *paths)) + "</body></html>"


def test_challenges_and_consent_walls_are_blocked_not_articles(tmp_path: Path) -> None:
    paths = {"/news/2026/11/20/story-behind-a-challenge.html": page(CHALLENGE_403, 403),
             "/news/2026/11/20/story-behind-a-js-challenge.html": page(CHALLENGE_202, 202),
             "/news/2026/11/20/story-behind-a-cookie-wall.html": page(COOKIE_WALL),
             "/news/2026/11/20/story-behind-a-503-challenge.html": page(CHALLENGE_403, 503)}
    behind_scripts = "/news/2026/11/20/story-behind-scripts-with-a-comment-captcha.html"
    pages = {"/": page(links(*paths, behind_scripts)), GOOD: page(article_html("Good story")),
             behind_scripts: page(article_behind_scripts("Story behind scripts")), **paths}
    with serve(pages) as site:
        # what the plain HTML shows: with the browser the cookie wall is tried once more and fails as
        # consent_wall when its button does nothing (tests/rendering)
        result = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/", settings={"RENDER_ENABLED": "0"})
        assert len(site.hits("/news/2026/11/20/story-behind-a-503-challenge.html")) == 1, "no retries on a challenge"
    failures = {f["url"][len(site.base_url):]: f for f in result.failures}
    for path in paths:
        assert failures[path]["reason"] == "blocked", (path, failures.get(path))
        assert failures[path]["detail"]
    assert sorted(r["url"][len(site.base_url):] for r in result.records) == sorted([GOOD, behind_scripts])


def test_redirects_out_of_scope_are_recorded_not_followed(tmp_path: Path) -> None:
    to_file = "/news/2026/11/20/story-redirecting-to-a-file.html"
    offsite = "/news/2026/11/20/story-redirecting-elsewhere.html"
    with serve({"/": page(article_html("Other site"))}, host="localhost") as other:
        routes = {"/": page(links(to_file, offsite, "file:///etc/passwd", "ftp://127.0.0.1/x")),
                  GOOD: page(article_html("Good story")),
                  to_file: redirect("file:///etc/passwd"),
                  offsite: redirect(f"{other.base_url}/news/2026/11/20/elsewhere-story-here.html")}
        with serve(routes) as site:
            result = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/")
        assert other.requests == []
    failures = {f["url"][len(site.base_url):]: f["reason"] for f in result.failures}
    assert failures[to_file] == "redirect_refused"
    assert failures[offsite] == "offsite_redirect"
    assert "root:" not in result.log and all("passwd" not in (r["body"] or "") for r in result.records)


@pytest.mark.parametrize(
    "data",
    [
        {"start_urls": ["file:///etc/passwd"]},
        {"start_urls": ["https://news.example/"], "sitemaps": ["file:///etc/passwd"]},
        {"start_urls": ["https://news.example/"], "feeds": ["ftp://news.example/feed.xml"]},
    ],
)
def test_site_config_cannot_point_at_local_files(data: dict) -> None:
    with pytest.raises(ValueError, match="only http"):
        SiteConfig.from_mapping("bad", data)


def test_download_handlers_for_other_schemes_are_off() -> None:
    from scrapy.utils.project import get_project_settings

    handlers = get_project_settings().getdict("DOWNLOAD_HANDLERS")
    assert all(handlers[scheme] is None for scheme in ("file", "ftp", "s3", "data"))


def article_behind_scripts(title: str, paragraphs: int = 0) -> str:
    """A real article whose first 200 KB are script, with a captcha widget for its comment form."""
    bundle = "window.__STATE__ = {" + ",".join(f'"k{i}": "{"x" * 60}"' for i in range(4000)) + "};"
    assert len(bundle) > 250_000
    more = "".join(f"<p>{WORDS * 3} More on the harbour, part {i}.</p>" for i in range(paragraphs))
    html = article_html(title, extra=more + '<section class="comments"><div class="h-captcha" data-sitekey="s">'
                                     "</div><textarea></textarea><button>Post comment</button></section>")
    return html.replace("</head>", f'<script src="https://js.hcaptcha.com/1/api.js" async></script>'
                                   f"<script>{bundle}</script></head>")


@pytest.mark.parametrize(("status", "paragraphs"), [(200, 0), (200, 4), (202, 4)])
def test_an_article_embedding_a_captcha_after_200kb_of_script_is_not_blocked(status: int, paragraphs: int) -> None:
    body = article_behind_scripts("Harbour strike", paragraphs).encode()
    assert block_reason(HtmlResponse("https://news.example/a.html", status=status, body=body)) is None
    challenge = body.split(b"<article>")[0] + b"<p>Checking your browser before accessing the site.</p></body></html>"
    assert block_reason(HtmlResponse("https://news.example/a.html", status=status, body=challenge))
