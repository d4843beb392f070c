"""Probes in the spirit of issue 26: what else can a hostile page, a disk, a clock or another program do?
Each names the fault, what must hold, and (docs/failures.md "Further probes") the result as measured.
In-process crawls (tests/inprocess.py); the ones where the process is the point are in test_probe_signals.py."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scrapers.incremental.store import StoreUnusable
from tests.hostile.site import Handler, Route, article_html, page, serve
from tests.inprocess import InProcessCrawl, run_crawl

GOOD = "/news/2026/11/20/good-story-about-the-harbour.html"
SITEMAP_URLS = 20_000
LINKS = 20_000  # 100 000 took 17 s on a busy 2-core machine, all of it link handling; the bound is what is tested
QUIET = {"RETRY_TIMES": "0", "INCREMENTAL_ENABLED": "0", "HEALTH_ENABLED": "0"}


def home(*paths: str) -> Route:
    return page("<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in (GOOD, *paths)) + "</body></html>")


def crawl(routes: dict[str, Route], root: Path, **settings: str) -> tuple[InProcessCrawl, dict[str, str], str]:
    with serve(routes) as site:
        result = run_crawl(root, "news", "-a", f"url={site.base_url}/", settings={**QUIET, **settings}, timeout=60)
    failures = {f["url"][len(site.base_url):]: f["reason"] for f in result.failures}
    return result, failures, site.base_url


def written(result: InProcessCrawl, base_url: str) -> set[str]:
    return {r["url"][len(base_url):] for r in result.records}


# -- hostile servers -----------------------------------------------------------------------------


def test_a_page_that_trickles_its_body_times_out(tmp_path: Path) -> None:
    """Slowloris: headers at once, then one byte every 0.3 s for ever; DOWNLOAD_TIMEOUT bounds the whole download."""
    trickle = "/news/2026/11/20/story-sent-one-byte-at-a-time.html"

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", "100000")
        h.end_headers()
        try:
            for _ in range(200):  # 60 s at most, whatever the client does
                h.wfile.write(b"<")
                h.wfile.flush()
                time.sleep(0.3)
        except OSError:
            pass  # the crawler hung up: what must happen

    started = time.monotonic()
    result, failures, base = crawl({"/": home(trickle), GOOD: page(article_html("Good")), trickle: route}, tmp_path,
                                   DOWNLOAD_TIMEOUT="1")
    assert time.monotonic() - started < 30
    assert failures == {trickle: "timeout"} and written(result, base) == {GOOD}


def test_a_body_cut_short_is_a_failure_not_a_shorter_article(tmp_path: Path) -> None:
    """Content-Length promises more than the server sends before it closes: the page is not written half."""
    cut = "/news/2026/11/20/story-whose-connection-drops-halfway.html"
    body = article_html("Cut short", "<p>" + "Harbour works went on through the night. " * 400 + "</p>").encode()

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body[: len(body) // 2])
        h.wfile.flush()
        h.connection.shutdown(socket.SHUT_RDWR)
        h.close_connection = True

    result, failures, base = crawl({"/": home(cut), GOOD: page(article_html("Good")), cut: route}, tmp_path)
    assert written(result, base) == {GOOD}
    assert failures.get(cut) in ("download_error", "connection_error"), failures


def test_gigantic_headers_are_a_failure_not_a_hang(tmp_path: Path) -> None:
    """A response with 20 000 header lines (about 1 MB of headers) before its body."""
    huge = "/news/2026/11/20/story-behind-a-megabyte-of-headers.html"

    def route(h: Handler) -> None:
        data = article_html("Headers").encode()
        h.send_response(200)
        for i in range(20_000):
            h.send_header(f"X-Filler-{i}", "x" * 40)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        try:
            h.wfile.write(data)
        except OSError:
            pass

    started = time.monotonic()
    result, failures, base = crawl({"/": home(huge), GOOD: page(article_html("Good")), huge: route}, tmp_path,
                                   DOWNLOAD_TIMEOUT="10")
    assert time.monotonic() - started < 40
    assert GOOD in written(result, base)
    assert huge in written(result, base) or failures.get(huge) in ("download_error", "too_large"), failures


def test_a_page_with_twenty_thousand_links_is_bounded(tmp_path: Path) -> None:
    """NEWS_MAX_ARTICLE_REQUESTS bounds what one page can make the crawler ask for."""
    links = "".join(f'<a href="/news/2026/11/20/story-number-{i}-about-the-harbour.html">s</a>' for i in range(LINKS))
    routes: dict[str, Route] = {"/": page(f"<html><body><a href='{GOOD}'>g</a>{links}</body></html>"),
                                GOOD: page(article_html("Good"))}
    started = time.monotonic()
    with serve(routes) as site:
        result = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/", timeout=120,
                           settings={**QUIET, "NEWS_MAX_ARTICLE_REQUESTS": "50"})
        asked = [p for _, p in site.requests if p.startswith("/news/")]
    assert time.monotonic() - started < 60
    assert len(asked) <= 50, len(asked)
    assert result.manifest["budgets"], result.manifest  # the budget reached is recorded for a later run


def test_links_with_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    """A windows-1252 page whose links hold raw non-ASCII bytes and stray %FF escapes: fetched, percent-encoded."""
    accented = "/news/2026/11/20/caf\xe9-reopens-on-the-harbour-front.html"
    escaped = "/news/2026/11/20/story-%FF%FE-with-stray-escapes.html"
    home_page = ("<html><head><meta charset='windows-1252'></head><body>"
                 f"<a href='{GOOD}'>g</a><a href='{accented}'>a</a><a href='{escaped}'>e</a></body></html>"
                 ).encode("windows-1252")
    routes: dict[str, Route] = {"/": page(home_page, content_type="text/html; charset=windows-1252"),
                                GOOD: page(article_html("Good")),
                                "/news/2026/11/20/caf%C3%A9-reopens-on-the-harbour-front.html": page(article_html("Cafe")),
                                escaped: page(article_html("Escapes"))}
    result, failures, base = crawl(routes, tmp_path)
    assert written(result, base) == {GOOD, "/news/2026/11/20/caf%C3%A9-reopens-on-the-harbour-front.html", escaped}
    assert failures == {}


# -- the machine around the crawl -----------------------------------------------------------------


@pytest.fixture
def far_time_zone() -> Iterator[None]:
    """The crawl's machine 14 hours ahead of UTC (Kiribati): its local date is often tomorrow's."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Kiritimati"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_a_machine_in_another_time_zone_writes_utc(far_time_zone: None, tmp_path: Path) -> None:
    """fetched_at, the dump's date= folder and the -a since window are UTC whatever TZ says."""
    now = dt.datetime.now(dt.UTC)
    recent = now - dt.timedelta(hours=20)
    fresh = f"/news/{recent:%Y/%m/%d}/fresh-story-about-the-harbour.html"
    old = "/news/2026/01/02/story-from-long-ago-about-the-harbour.html"
    routes: dict[str, Route] = {
        "/": page(f"<html><body><a href='{fresh}'>f</a><a href='{old}'>o</a></body></html>"),
        fresh: page(article_html("Fresh").replace("<head>", "<head><meta property='article:published_time' "
                                                           f"content='{recent:%Y-%m-%dT%H:%M:%SZ}'>")),
        old: page(article_html("Stale").replace("<head>", "<head><meta property='article:published_time' "
                                                         "content='2026-01-02T10:00:00Z'>")),
    }
    with serve(routes) as site:
        result = run_crawl(tmp_path / "all", "news", "-a", f"url={site.base_url}/", settings=QUIET, timeout=60)
        # a window of two days, computed in UTC: the January story is out
        windowed = run_crawl(tmp_path / "since", "news", "-a", f"url={site.base_url}/", "-a", "since=2d",
                             settings=QUIET, timeout=60)
    assert written(result, site.base_url) == {fresh, old}
    [record] = [r for r in result.records if r["url"].endswith(fresh)]
    fetched = dt.datetime.fromisoformat(record["fetched_at"].replace("Z", "+00:00"))
    assert fetched.utcoffset() == dt.timedelta(0) and abs(fetched - now) < dt.timedelta(minutes=5)
    assert result.manifest["started_at"].endswith("+00:00")
    assert result.dump is not None and f"date={result.manifest['started_at'][:10]}" in str(result.dump)
    assert written(windowed, site.base_url) == {fresh}


def test_the_output_root_removed_mid_crawl_fails_loudly(tmp_path: Path) -> None:
    """Another program (a cleanup job) deletes JSONL_ROOT while the crawl writes into it."""
    root = tmp_path / "out"
    stories = [f"/news/2026/11/2{i}/story-number-{i}-about-the-harbour.html" for i in range(4)]

    def remove_root_then(route: Route) -> Route:
        def removing(h: Handler) -> None:
            shutil.rmtree(root, ignore_errors=True)
            route(h)
        return removing

    routes: dict[str, Route] = {"/": home(*stories), GOOD: page(article_html("Good")),
                                **{p: page(article_html(f"Story {i}")) for i, p in enumerate(stories)}}
    routes[stories[2]] = remove_root_then(routes[stories[2]])
    with serve(routes) as site:
        result = run_crawl(root, "news", "-a", f"url={site.base_url}/", timeout=60,
                           settings={**QUIET, "CONCURRENT_REQUESTS_PER_DOMAIN": "1"})
    assert result.returncode == 1, result.log[-3000:]
    assert not result.manifest or result.manifest["lines"] == result.manifest["counts"]["articles_written"]


def _replace_store_then(root: Path, route: Route, how: str) -> Route:
    def replacing(h: Handler) -> None:
        store = root / ".state" / "seen.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store}{suffix}").unlink(missing_ok=True)
        if how == "garbage":
            store.write_bytes(b"not a database, written by another program\n" * 100)
        route(h)
    return replacing


@pytest.mark.parametrize("how", ["deleted", "garbage"])
def test_the_incremental_store_replaced_mid_crawl_loses_nothing(tmp_path: Path, how: str) -> None:
    """Another program deletes the store (or writes over it) while the crawl runs: every article still ends
    up in a published dump, now or at the next run."""
    root = tmp_path / "out"
    stories = [f"/news/2026/11/2{i}/story-number-{i}-about-the-harbour.html" for i in range(4)]
    routes: dict[str, Route] = {"/": home(*stories), GOOD: page(article_html("Good")),
                                **{p: page(article_html(f"Story {i}")) for i, p in enumerate(stories)}}
    routes[stories[2]] = _replace_store_then(root, routes[stories[2]], how)
    settings = {"RETRY_TIMES": "0", "HEALTH_ENABLED": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    with serve(routes) as site:
        first = run_crawl(root, "news", "-a", f"url={site.base_url}/", timeout=60, settings=settings)
        assert first.returncode == 0 and "Traceback" not in first.log, first.log[-3000:]
        assert {r["url"][len(site.base_url):] for r in first.all_records()} == {GOOD, *stories}
        routes[stories[2]] = page(article_html("Story 2"))
        if how == "garbage":  # the next run stops before its first request (exit 1, one line: test_shared_store.py)
            with pytest.raises(StoreUnusable, match="file is not a database"):
                run_crawl(root, "news", "-a", f"url={site.base_url}/", timeout=60, settings=settings)
            return
        second = run_crawl(root, "news", "-a", f"url={site.base_url}/", timeout=60, settings=settings)
    # the store this run committed to was deleted: the next run finds everything new, and writes it again
    assert second.returncode == 0 and len(second.records) == 5, second.log[-3000:]


def test_a_sitemap_of_twenty_thousand_urls_is_bounded(tmp_path: Path) -> None:
    """robots.txt names a sitemap of 20 000 article URLs: NEWS_MAX_ARTICLE_REQUESTS bounds the fetching, and the
    budget reached is recorded for the next run. (200 000 URLs, 17 MB: the same, in 28 s on a busy 2-core
    machine: reading a sitemap entry costs about 0.15 ms, most of it urljoin/urlsplit, as links on a page do.)"""
    entries = "".join(f"<url><loc>{{base}}/news/2026/11/20/story-number-{i}-about-the-harbour.html</loc></url>"
                      for i in range(SITEMAP_URLS))
    text = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'

    def sitemap(h: Handler) -> None:
        h.send_body(text.replace("{base}", h.server.site.base_url), content_type="application/xml")

    def robots(h: Handler) -> None:
        h.send_body(f"User-agent: *\nAllow: /\nSitemap: {h.server.site.base_url}/sitemap.xml\n", content_type="text/plain")

    def story(h: Handler) -> None:
        h.send_body(article_html(h.path.rsplit("/", 1)[1].removesuffix(".html").replace("-", " ").title()))

    routes: dict[str, Route] = {"/": home(), GOOD: page(article_html("Good")), "/robots.txt": robots,
                                "/sitemap.xml": sitemap}
    started = time.monotonic()
    with serve(routes) as site:
        site.routes.update({f"/news/2026/11/20/story-number-{i}-about-the-harbour.html": story for i in range(SITEMAP_URLS)})
        result = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/", timeout=120,
                           settings={**QUIET, "NEWS_MAX_ARTICLE_REQUESTS": "20"})
        asked = [p for _, p in site.requests if p.startswith("/news/")]
    elapsed = time.monotonic() - started
    assert len(asked) <= 21, len(asked)  # 20, and the home page's own link
    assert result.manifest["budgets"], result.manifest
    assert elapsed < 60, elapsed


def test_a_meta_refresh_to_a_local_file_or_data_url_is_never_followed(tmp_path: Path) -> None:
    """<meta http-equiv=refresh> is a redirect the page itself makes: to file:// or data: it must go nowhere."""
    to_file = "/news/2026/11/20/story-that-refreshes-to-a-local-file.html"
    to_data = "/news/2026/11/20/story-that-refreshes-to-a-data-url.html"

    def refresh(target: str) -> Route:
        return page(f"<html><head><meta http-equiv='refresh' content='0;url={target}'></head><body></body></html>")

    routes = {"/": home(to_file, to_data), GOOD: page(article_html("Good")),
              to_file: refresh("file:///etc/passwd"), to_data: refresh("data:text/html,<h1>injected</h1>")}
    result, failures, base = crawl(routes, tmp_path)
    assert written(result, base) == {GOOD}
    assert "root:" not in result.dump.read_text("utf-8") if result.dump else True
    assert all(not r["url"].startswith(("file:", "data:")) for r in result.records)
    assert set(failures) <= {to_file, to_data}, failures
