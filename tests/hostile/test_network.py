"""Network faults: every bad response ends as a failure line with its reason; the crawl goes on."""

from __future__ import annotations

from pathlib import Path

from tests.hostile.site import article_html, page, redirect, sequence, serve, slow
from tests.inprocess import run_crawl

HOME = "/"
GOOD = "/news/2026/11/20/good-story-about-the-harbour.html"


def home(*paths: str) -> str:
    return "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in (GOOD, *paths)) + "</body></html>"


def crawl(site, tmp_path: Path, **settings: str):
    result = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/", settings=settings)
    assert "Traceback" not in result.log, result.log[-3000:]
    failures = {f["url"][len(site.base_url):]: f for f in result.failures}
    written = {r["url"][len(site.base_url):] for r in result.records}
    assert GOOD in written, "the good article must survive its neighbours"
    return result, failures


def test_timeouts_resets_and_redirect_loops(tmp_path: Path) -> None:
    slow_path = "/news/2026/11/20/slow-story-that-never-finishes.html"
    reset_path = "/news/2026/11/20/story-whose-connection-resets.html"
    loop_path = "/news/2026/11/20/story-that-redirects-forever.html"
    routes = {HOME: page(home(slow_path, reset_path, loop_path)), GOOD: page(article_html("Good story")),
              slow_path: slow(5, page(article_html("Slow"))),
              reset_path: lambda h: h.reset_connection(),
              loop_path: redirect(loop_path.replace(".html", "-b.html")),
              loop_path.replace(".html", "-b.html"): redirect(loop_path)}
    with serve(routes) as site:
        result, failures = crawl(site, tmp_path, DOWNLOAD_TIMEOUT="1", RETRY_TIMES="1")
    assert failures[slow_path]["reason"] == "timeout"
    assert failures[reset_path]["reason"] == "connection_error"
    loop = [f for p, f in failures.items() if p.startswith(loop_path.removesuffix(".html"))]
    assert [f["reason"] for f in loop] == ["redirect_loop"]
    assert result.returncode in (0, 1)  # 1: the scheduled-run guard may count the failures


def test_429_retry_after_is_honoured_and_bounded(tmp_path: Path) -> None:
    polite = "/news/2026/11/20/story-behind-a-rate-limit.html"
    rude = "/news/2026/11/20/story-behind-a-long-rate-limit.html"
    routes = {HOME: page(home(polite, rude)), GOOD: page(article_html("Good story")),
              polite: sequence(page("slow down", 429, Retry_After="1"), page(article_html("Rate limited"))),
              rude: page("come back tomorrow", 429, Retry_After="86400")}
    with serve(routes) as site:
        result, failures = crawl(site, tmp_path, RETRY_AFTER_MAX="5")
        first, second = site.hits(polite)[:2]
        assert second - first >= 0.9, "Retry-After: 1 must be waited for"
        assert len(site.hits(rude)) == 1, "a Retry-After beyond RETRY_AFTER_MAX is not waited for"
    assert polite not in failures and failures[rude]["reason"] == "http_4xx"


def test_5xx_retried_with_backoff(tmp_path: Path) -> None:
    flaky = "/news/2026/11/20/story-on-a-flaky-server.html"
    down = "/news/2026/11/20/story-on-a-dead-server.html"
    routes = {HOME: page(home(flaky, down)), GOOD: page(article_html("Good story")),
              flaky: sequence(page("oops", 503), page("oops", 502), page(article_html("Flaky"))),
              down: page("down", 500)}
    with serve(routes) as site:
        result, failures = crawl(site, tmp_path, RETRY_BACKOFF_BASE="0.3", RETRY_TIMES="2")
        hits = site.hits(flaky)
        assert len(hits) == 3 and hits[2] - hits[1] >= 2 * 0.3 * 0.9, "backoff doubles"
        assert len(site.hits(down)) == 3
    assert flaky not in failures and failures[down]["reason"] == "http_5xx"


def test_pages_over_download_maxsize(tmp_path: Path) -> None:
    huge = "/news/2026/11/20/story-that-is-far-too-large.html"
    routes = {HOME: page(home(huge)), GOOD: page(article_html("Good story")),
              huge: page(article_html("Huge", "<p>x</p>" * 100_000))}
    with serve(routes) as site:
        _, failures = crawl(site, tmp_path, DOWNLOAD_MAXSIZE="200000", DOWNLOAD_WARNSIZE="0")
    assert failures[huge]["reason"] == "too_large"


def test_crawler_traps_end(tmp_path: Path) -> None:
    """An endless calendar and session-id links: bounded pagination, one fetch per page."""
    story = "/news/2026/11/20/story-linked-with-session-ids.html"

    def calendar(h) -> None:
        day = int(h.path.rsplit("=", 1)[-1]) if "=" in h.path else 0
        links = "".join(f'<a href="{story}?sid={day}-{i}">story</a>' for i in range(3))
        h.send_body(f'<html><body>{links}<a rel="next" href="/calendar/?day={day + 1}">Next</a></body></html>')

    routes = {HOME: page(home("/calendar/")), GOOD: page(article_html("Good story")), "/calendar/": calendar,
              story: page(article_html("Session story"))}
    with serve(routes) as site:
        result, _ = crawl(site, tmp_path, NEWS_MAX_PAGINATION="10")
        calendar_hits = [p for _, p in site.requests if p.startswith("/calendar/")]
        story_hits = [p for _, p in site.requests if p.startswith(story)]
    assert 5 <= len(calendar_hits) <= 12
    assert story_hits == [story]
    assert len(result.records) == 2
