"""Scheduled crawls on a generated archive site (benchmarks/archivegen.py in its own process): the date
window, incremental discovery (lastmod and the refresh policy), the budgets, quiet logs."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import urllib.request
from pathlib import Path

import pytest

from scrapers.discovery.sources import iter_sitemap
from scrapers.discovery.window import Window, parse_bound
from scrapers.incremental.known import CHANGED, NEW, REFRESH, UNCHANGED, RefreshPolicy
from scrapers.incremental.store import Fetched, SeenStore
from tests.archive_site import ArchiveSite, archive_site
from tests.commandline import crawl_command
from tests.inprocess import run_crawl

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


def listed(site: ArchiveSite) -> dict[str, tuple[str, dt.datetime | None]]:
    """Every article URL of the site's monthly sitemaps -> (sitemap path, lastmod), read as the spider does."""
    def read(url: str) -> list:
        with urllib.request.urlopen(url, timeout=10) as response:
            return list(iter_sitemap(response.read(), url, 10_000_000))
    found = {}
    for sitemap in read(f"{site.base_url}/sitemap_index.xml"):
        if "/sitemaps/" in sitemap.url:
            for entry in read(sitemap.url):
                found[entry.url] = (sitemap.url[len(site.base_url):], entry.lastmod)
    site.reset()
    return found


def since_of(manifest: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(manifest["window"]["since"])


# -- the window, the policy, the sitemap reader: pure ---------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("3d", NOW - dt.timedelta(days=3)),
    ("6h", NOW - dt.timedelta(hours=6)),
    ("90m", NOW - dt.timedelta(minutes=90)),
    ("2w", NOW - dt.timedelta(weeks=2)),
    ("2026-11-29", dt.datetime(2026, 11, 29, tzinfo=dt.UTC)),
    ("2026-11-29T06:30:00Z", dt.datetime(2026, 11, 29, 6, 30, tzinfo=dt.UTC)),
    ("2026-11-29T06:30:00+02:00", dt.datetime(2026, 11, 29, 4, 30, tzinfo=dt.UTC)),
])
def test_window_bounds(value: str, expected: dt.datetime) -> None:
    assert parse_bound(value, NOW) == expected


@pytest.mark.parametrize("value", ["yesterday", "3x", "2026-13-01", ""])
def test_bad_window_bounds_say_what_is_expected(value: str) -> None:
    with pytest.raises(ValueError, match="expected an ISO date"):
        parse_bound(value, NOW)


def test_window_rules() -> None:
    window = Window.parse("3d", "1d", now=NOW)
    assert window.contains(None)  # no date: the article's own date decides
    assert window.contains(NOW - dt.timedelta(days=2))
    assert not window.contains(NOW - dt.timedelta(days=4)) and not window.contains(NOW)
    assert window.older_than_since(NOW - dt.timedelta(days=4)) and not window.older_than_since(None)
    with pytest.raises(ValueError, match="empty"):
        Window.parse("1d", "3d", now=NOW)


HOUR = dt.timedelta(hours=1)
POLICY = RefreshPolicy(young=48 * HOUR, interval=6 * HOUR)


@pytest.mark.parametrize(("known", "lastmod", "expected"), [
    (None, None, NEW),
    (Fetched(NOW - 10 * HOUR, NOW - 20 * HOUR, NOW - 400 * HOUR), NOW - HOUR, CHANGED),      # lastmod moved
    (Fetched(NOW - 10 * HOUR, NOW - 20 * HOUR, NOW - 400 * HOUR), NOW - 20 * HOUR, UNCHANGED),
    (Fetched(NOW - 10 * HOUR, None, NOW - 400 * HOUR), NOW - 11 * HOUR, UNCHANGED),          # before our fetch
    (Fetched(NOW - 10 * HOUR, None, NOW - 400 * HOUR), NOW - 9 * HOUR, CHANGED),
    (Fetched(NOW - 7 * HOUR, None, NOW - 24 * HOUR), None, REFRESH),                         # young, due
    (Fetched(NOW - 5 * HOUR, None, NOW - 24 * HOUR), None, UNCHANGED),                       # young, not due
    (Fetched(NOW - 70 * HOUR, None, NOW - 72 * HOUR), None, UNCHANGED),                      # old
])
def test_refresh_policy(known: Fetched | None, lastmod: dt.datetime | None, expected: str) -> None:
    assert POLICY.decide(known, lastmod, NOW) == expected


def test_sitemap_entries_carry_their_dates() -> None:
    body = b"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>https://a.example/1.html</loc><lastmod>2026-11-30</lastmod></url>
      <url><loc>https://a.example/2.html</loc><news:news><news:publication_date>2026-12-01T10:00:00+01:00
      </news:publication_date></news:news></url><url><loc>https://a.example/3.html</loc></url></urlset>"""
    entries = list(iter_sitemap(body, "https://a.example/", 1_000_000))
    assert [(e.url[-6:], e.lastmod, e.published, e.is_news) for e in entries] == [
        ("1.html", dt.datetime(2026, 11, 30, tzinfo=dt.UTC), None, False),
        ("2.html", None, dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), True),
        ("3.html", None, None, False),
    ]


def test_a_store_made_before_the_fetch_columns_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite"
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE written (name TEXT NOT NULL, id TEXT NOT NULL, url TEXT NOT NULL, content_hash TEXT,
            version INTEGER NOT NULL, first_written TEXT NOT NULL, last_written TEXT NOT NULL,
            last_seen TEXT NOT NULL, PRIMARY KEY (name, id));
        CREATE TABLE pending (job_id TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL, url TEXT NOT NULL,
            content_hash TEXT, version INTEGER NOT NULL, written INTEGER NOT NULL, PRIMARY KEY (job_id, name, id));
        INSERT INTO written VALUES ('news', 'abc', 'https://a.example/1.html', 'h', 3, '2026-11-01T00:00:00+00:00',
            '2026-11-02T00:00:00+00:00', '2026-11-03T00:00:00+00:00');
    """)
    old.commit()
    old.close()
    store = SeenStore(path)
    assert store.lookup("news", "abc") == (("h", 3))
    # an old row: its last sighting stands for the last fetch, its first writing for its age
    assert store.fetched("news", "https://a.example/1.html") == Fetched(
        dt.datetime(2026, 11, 3, tzinfo=dt.UTC), None, dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    store.close()
    SeenStore(path).close()  # a second open finds the columns there


# -- crawls -----------------------------------------------------------------------------------


def test_a_window_fetches_what_it_holds_and_the_newest_sitemaps_only(tmp_path: Path) -> None:
    with archive_site(tmp_path, "--articles", "400", "--interval-minutes", "60") as site:
        articles = listed(site)
        crawl = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/", "-a", "since=3d")
        hits = site.hits()
    assert crawl.returncode == 0, crawl.log[-3000:]
    since = since_of(crawl.manifest)
    inside = {url for url, (_, lastmod) in articles.items() if lastmod and lastmod >= since}
    assert {r["url"] for r in crawl.records} == inside
    assert hits["hits"]["article"] == len(inside)  # not one request outside the window
    # monthly sitemaps whose lastmod is older than the window's start are never fetched
    fetched_monthly = {path for path in hits["sitemaps"] if path.startswith("/sitemaps/")}
    newest_per_sitemap: dict[str, dt.datetime] = {}
    for path, lastmod in articles.values():
        assert lastmod is not None
        newest_per_sitemap[path] = max(lastmod, newest_per_sitemap.get(path, lastmod))
    assert fetched_monthly == {path for path, newest in newest_per_sitemap.items() if newest >= since}
    counts = crawl.manifest["counts"]
    assert counts["out_of_window"] > 0 and counts["articles_written"] == len(inside)
    assert counts["sitemaps_read"] == len(hits["sitemaps"])
    assert "summary: " in crawl.log and "out of window" in crawl.log


def test_a_rerun_fetches_only_new_and_changed_articles(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with archive_site(tmp_path, "--articles", "300", "--interval-minutes", "30") as site:
        first = run_crawl(out, "news", "-a", f"url={site.base_url}/", "-a", "since=2d")
        assert first.returncode == 0, first.log[-3000:]
        new = site.admin("publish?n=3")
        rewritten = site.admin("rewrite?n=2")
        site.reset()
        second = run_crawl(out, "news", "-a", f"url={site.base_url}/", "-a", "since=2d")
        second_hits = site.hits()
        site.reset()
        third = run_crawl(out, "news", "-a", f"url={site.base_url}/", "-a", "since=2d")
        third_hits = site.hits()
    assert second.returncode == 0, second.log[-3000:]
    assert second_hits["hits"]["article"] == 5, (rewritten, new, second.log[-4000:])
    versions = {r["url"][len(site.base_url):]: r["version"] for r in second.records}
    assert versions == {**dict.fromkeys(new, 1), **dict.fromkeys(rewritten, 2)}
    assert second.manifest["counts"]["skipped_unchanged"] == len(first.records) - 2
    assert third.returncode == 0 and third.records == [] and "article" not in third_hits["hits"]
    assert third.manifest["counts"]["skipped_unchanged"] == len(first.records) + 3


def test_undated_urls_are_judged_by_the_articles_own_date(tmp_path: Path) -> None:
    # 60 articles 90 minutes apart reach 88 hours back: a path's day is skipped when it ended a day's slack before
    # since (1d), so the articles older than 72 hours are skipped whatever the hour the test runs at
    with archive_site(tmp_path, "--articles", "60", "--interval-minutes", "90", "--undated") as site:
        crawl = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/", "-a", "since=1d")
        hits = site.hits()
    assert crawl.returncode == 0, crawl.log[-3000:]
    since = since_of(crawl.manifest)
    # no dates listed: the ones whose path holds a day more than a day before since are not fetched,
    # every other article is, and judged by its own date ...
    counts = crawl.manifest["counts"]
    by_path = counts["out_of_window"] - counts["dropped"]
    assert by_path > 0 and hits["hits"]["article"] == 60 - by_path
    assert crawl.records and all(dt.datetime.fromisoformat(r["date_published"]) >= since for r in crawl.records)
    dropped = [f for f in crawl.failures if f["reason"] == "out_of_window"]
    # ... and the ones outside the window are counted, not lost silently
    assert len(dropped) == 60 - by_path - len(crawl.records) and {f["stage"] for f in dropped} == {"window"}
    assert counts["dropped_by_reason"] == {"out_of_window": len(dropped)} and counts["failures"] == 0


def test_young_undated_articles_are_refreshed_at_most_every_interval(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with archive_site(tmp_path, "--articles", "48", "--interval-minutes", "60", "--undated") as site:
        first = run_crawl(out, "news", "-a", f"url={site.base_url}/")
        assert first.returncode == 0 and len(first.records) == 48, first.log[-3000:]
        site.reset()
        refresh = {"INCREMENTAL_REFRESH_HOURS": "12", "INCREMENTAL_REFRESH_INTERVAL_HOURS": "0"}
        due = run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=refresh)
        due_hits = site.hits()
        site.reset()
        not_due = run_crawl(out, "news", "-a", f"url={site.base_url}/", settings={"INCREMENTAL_REFRESH_HOURS": "12"})
        not_due_hits = site.hits()
    assert due.returncode == 0, due.log[-3000:]
    started = dt.datetime.fromisoformat(due.manifest["started_at"])
    young = [r for r in first.records if started - dt.datetime.fromisoformat(r["date_published"]) < dt.timedelta(hours=12)]
    # the articles younger than 12 hours (the boundary one may cross it while the crawl runs)
    assert len(young) - 1 <= due_hits["hits"]["article"] <= len(young)
    fetched_unchanged = due.manifest["counts"]["unchanged"] - due.manifest["counts"]["skipped_unchanged"]
    assert due.records == [] and fetched_unchanged == due_hits["hits"]["article"]
    assert not_due.returncode == 0 and "article" not in not_due_hits["hits"]


def test_budgets_stop_endless_indexes_and_are_recorded(tmp_path: Path) -> None:
    with archive_site(tmp_path, "--articles", "50", "--interval-minutes", "60", "--endless-index") as site:
        crawl = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                          settings={"SITEMAP_MAX_DEPTH": "2", "NEWS_MAX_ARTICLE_REQUESTS": "10"})
        hits = site.hits()
    assert crawl.returncode == 0, crawl.log[-3000:]
    nested = sorted(p for p in hits["sitemaps"] if "nested" in p)
    assert nested == ["/sitemaps/nested-1.xml", "/sitemaps/nested-2.xml"]
    assert hits["hits"]["article"] == 10 and len(crawl.records) == 10
    assert set(crawl.manifest["budgets"]) == {"SITEMAP_MAX_DEPTH", "NEWS_MAX_ARTICLE_REQUESTS"}
    assert "budget SITEMAP_MAX_DEPTH=2 reached" in crawl.log
    assert "budgets reached: NEWS_MAX_ARTICLE_REQUESTS, SITEMAP_MAX_DEPTH" in crawl.log


def test_unchanged_drops_are_logged_quietly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with archive_site(tmp_path, "--articles", "20", "--interval-minutes", "60") as site:
        refetch = {"INCREMENTAL_DISCOVERY": "0"}
        assert run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=refetch).returncode == 0
        again = run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=refetch)
    assert again.returncode == 0 and again.manifest["counts"]["unchanged"] == 20
    # at DEBUG, without the record: nothing at INFO, and no article text anywhere in the log
    assert not re.search(r"(INFO|WARNING): Dropped", again.log) and "Paragraph 1 of story" not in again.log


def test_a_bad_window_is_refused_before_the_crawl(tmp_path: Path) -> None:
    crawl = crawl_command(tmp_path / "out", "news", "-a", "url=http://127.0.0.1:9/", "-a", "since=yesterday")
    assert crawl.returncode == 2
    assert "scrapy crawl: -a since='yesterday': expected an ISO date" in crawl.log


def test_urls_dated_outside_the_window_are_not_fetched_and_counted_once(tmp_path: Path) -> None:
    """Dates in URL paths (a day, or a month's archive page) outside ``since``: not fetched, whether a
    sitemap, the homepage or a section page links them; each counted once as out of window."""
    from tests.hostile.site import article_html, page, serve

    today = dt.datetime.now(dt.UTC)
    fresh = f"/{today:%Y/%m/%d}/harbour-lights-return-to-the-quay.html"
    stale = "/2024/03/05/an-old-story-about-the-tide-tables.html"
    stale_section = "/2024/04/06/another-old-story-on-the-river-ferry.html"
    archive = "/archive/2024/02/"  # a month long before the window
    home = f"<html><body><a href='{fresh}'>Fresh</a> <a href='{stale}'>Old</a> <a href='/world/'>World</a>" \
           f" <a href='{archive}'>February</a></body></html>"
    section = f"<html><body><a href='{stale}'>Old</a> <a href='{stale_section}'>Older</a></body></html>"
    with serve({"/": page(home), "/world/": page(section), archive: page(section),
                fresh: page(article_html("Harbour lights return")),
                stale: page(article_html("Tide tables")), stale_section: page(article_html("River ferry"))}) as site:
        sitemap = (f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                   f"<url><loc>{site.base_url}{stale}</loc></url></urlset>")
        site.routes["/sitemap.xml"] = page(sitemap, content_type="application/xml")
        site.routes["/robots.txt"] = page(f"Sitemap: {site.base_url}/sitemap.xml\n", content_type="text/plain")
        crawl = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/", "-a", "since=2d")
        fetched = {path for _, path in site.requests}
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert fresh in fetched and "/world/" in fetched
    assert not fetched & {stale, stale_section, archive}, fetched
    assert [r["url"] for r in crawl.records] == [site.base_url + fresh]
    # stale (in the sitemap, on the homepage and the section: counted once), stale_section and the
    # dated archive page (a dated path looks like an article to discovery/urls.py)
    assert crawl.manifest["counts"]["out_of_window"] == 3
    assert crawl.manifest["counts"]["failures"] == 0
