"""A generated news site with a long archive, for scheduled-crawl tests and benchmarks/scheduled.py.

    python benchmarks/archivegen.py --articles 100000 [--interval-minutes 15] [--port 0] [--port-file FILE]

Article ``i`` (0 = oldest) is published ``interval`` minutes after article ``i - 1``, the newest one
at ``--latest`` (default: when the server starts), at ``/YYYY/MM/DD/story-<i>.html``. Like a real
news site it lists them in a sitemap index (``/robots.txt`` names it) of monthly sitemaps, each entry
with ``<lastmod>``, plus a Google News sitemap of the last 48 hours (``news:publication_date``) and an
RSS feed of the newest 50. Every page is rendered on request from ``(i, revision)``: a million
articles cost no memory.

Changes and counters, for the benchmark and the tests (GET):
  /_admin/publish?n=20     publish n new articles now
  /_admin/rewrite?n=5      rewrite the n newest articles (new text, lastmod now)
  /_admin/hits             JSON: requests per kind, sitemaps fetched, the most requests of one article
  /_admin/reset            forget the counters
  /_admin/count?since=ISO  how many articles were published at or after ISO (the window's truth)

``--undated`` leaves every date out of the sitemaps and the feed (the article's own date decides);
``--endless-index`` adds an endless chain of nested sitemap indexes (the depth budget's test).
The server is a single-threaded asyncio HTTP/1.1 server, run as its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sitegen import serve_site  # the same HTTP server (benchmarks/ is on sys.path when run)

ARTICLE = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/story-(\d+)\.html$")
MONTHLY = re.compile(r"^/sitemaps/(\d{4})-(\d{2})\.xml$")
NESTED = re.compile(r"^/sitemaps/nested-(\d+)\.xml$")
WORDS = ("harbour council ferry budget storm vote wharf tide market school bridge trawler museum festival "
         "mayor union rail clinic library port quay lighthouse fishery pier dock cargo crane warehouse "
         "inquiry report plan tender contract grant repair flood beach dune estuary marsh channel").split()
NEWS_HOURS = 48
FEED_ITEMS = 50


def iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat()


class Archive:
    def __init__(self, articles: int, interval: dt.timedelta, latest: dt.datetime, undated: bool = False,
                 endless_index: bool = False) -> None:
        self.count = articles
        self.interval = interval
        self.latest = latest
        self.first = latest - interval * (articles - 1)
        self.undated = undated
        self.endless_index = endless_index
        self.extra: list[dt.datetime] = []          # published after start: article count + k
        self.revisions: dict[int, tuple[int, dt.datetime]] = {}   # i -> (revision, modified)
        self.hits: Counter[str] = Counter()
        self.article_hits: Counter[int] = Counter()
        self.sitemaps_fetched: list[str] = []
        self.base_url = ""

    # -- the articles ---------------------------------------------------------------------

    @property
    def total(self) -> int:
        return self.count + len(self.extra)

    def published(self, i: int) -> dt.datetime:
        return self.first + self.interval * i if i < self.count else self.extra[i - self.count]

    def modified(self, i: int) -> dt.datetime:
        return self.revisions.get(i, (0, self.published(i)))[1]

    def path(self, i: int) -> str:
        return self.published(i).strftime(f"/%Y/%m/%d/story-{i}.html")

    def in_month(self, year: int, month: int) -> list[int]:
        start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
        end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt.UTC)
        low = max(0, -(-(start - self.first) // self.interval))
        high = min(self.count, -(-(end - self.first) // self.interval))
        base = list(range(low, high)) if high > low else []
        return base + [self.count + k for k, when in enumerate(self.extra) if start <= when < end]

    def months(self) -> list[tuple[int, int]]:
        months = []
        year, month = self.first.year, self.first.month
        last = max(self.latest, *self.extra) if self.extra else self.latest
        while (year, month) <= (last.year, last.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def newest(self, n: int) -> list[int]:
        extra = list(range(self.total - 1, self.count - 1, -1))
        return (extra + list(range(self.count - 1, max(-1, self.count - 1 - n), -1)))[:n]

    # -- changes --------------------------------------------------------------------------

    def publish(self, n: int) -> list[int]:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        for k in range(n):
            self.extra.append(now - dt.timedelta(seconds=n - k))
        return list(range(self.total - n, self.total))

    def rewrite(self, n: int) -> list[int]:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        chosen = [i for i in self.newest(n + len(self.extra)) if i < self.count][:n]
        for i in chosen:
            self.revisions[i] = (self.revisions.get(i, (0, now))[0] + 1, now)
        return chosen

    # -- pages ----------------------------------------------------------------------------

    def route(self, target: str) -> tuple[int, str, bytes]:
        parts = urlsplit(target)
        path = parts.path
        if path.startswith("/_admin/"):
            return self.admin(path, parse_qs(parts.query))
        match = ARTICLE.match(path)
        if match and int(match.group(4)) < self.total and self.path(int(match.group(4))) == path:
            i = int(match.group(4))
            self.hits["article"] += 1
            self.article_hits[i] += 1
            return 200, "text/html; charset=utf-8", self.article(i)
        xml = "application/xml"
        if path == "/robots.txt":
            self.hits["robots"] += 1
            robots = f"User-agent: *\nAllow: /\n\nSitemap: {self.base_url}/sitemap_index.xml\n"
            return 200, "text/plain", robots.encode()
        if path == "/":
            self.hits["home"] += 1
            return 200, "text/html; charset=utf-8", self.homepage()
        if path == "/feed.xml":
            self.hits["feed"] += 1
            return 200, "application/rss+xml", self.feed()
        if path in ("/sitemap_index.xml", "/news-sitemap.xml") or MONTHLY.match(path) or NESTED.match(path):
            self.hits["sitemap"] += 1
            self.sitemaps_fetched.append(path)
            if path == "/sitemap_index.xml":
                return 200, xml, self.index()
            if path == "/news-sitemap.xml":
                return 200, xml, self.news_sitemap()
            nested = NESTED.match(path)
            if nested:
                return 200, xml, self.nested(int(nested.group(1)))
            monthly = MONTHLY.match(path)
            assert monthly is not None
            return 200, xml, self.monthly(int(monthly.group(1)), int(monthly.group(2)))
        self.hits["other"] += 1
        return 404, "text/html", b"<html><body>not here</body></html>"

    def admin(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        n = int(query.get("n", ["0"])[0])
        if path == "/_admin/publish":
            data: object = [self.path(i) for i in self.publish(n)]
        elif path == "/_admin/rewrite":
            data = [self.path(i) for i in self.rewrite(n)]
        elif path == "/_admin/hits":
            data = {"hits": dict(self.hits), "sitemaps": self.sitemaps_fetched,
                    "articles_fetched": len(self.article_hits),
                    "most_fetches_of_one_article": max(self.article_hits.values(), default=0)}
        elif path == "/_admin/count":
            since = dt.datetime.fromisoformat(query["since"][0])
            data = sum(1 for i in self.newest(self.total) if self.published(i) >= since)
        elif path == "/_admin/reset":
            self.hits.clear()
            self.article_hits.clear()
            self.sitemaps_fetched = []
            data = "reset"
        else:
            return 404, "text/plain", b"no such admin page\n"
        return 200, "application/json", json.dumps(data).encode()

    def _lastmod(self, when: dt.datetime) -> str:
        return "" if self.undated else f"<lastmod>{iso(when)}</lastmod>"

    def index(self) -> bytes:
        entries = [f"<sitemap><loc>{self.base_url}/news-sitemap.xml</loc>"
                   f"{self._lastmod(self.modified(self.newest(1)[0]))}</sitemap>"]
        for year, month in self.months():
            ids = self.in_month(year, month)
            if ids:
                newest = max(self.modified(i) for i in ids[-1:] + [i for i in self.revisions if i in set(ids)])
                entries.append(f"<sitemap><loc>{self.base_url}/sitemaps/{year:04d}-{month:02d}.xml</loc>"
                               f"{self._lastmod(newest)}</sitemap>")
        if self.endless_index:
            entries.append(f"<sitemap><loc>{self.base_url}/sitemaps/nested-1.xml</loc></sitemap>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                'sitemap/0.9">' + "\n".join(entries) + "</sitemapindex>\n").encode()

    def nested(self, depth: int) -> bytes:
        return ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.base_url}/sitemaps/nested-{depth + 1}.xml</loc></sitemap>"
                "</sitemapindex>").encode()

    def monthly(self, year: int, month: int) -> bytes:
        rows = "\n".join(f"<url><loc>{self.base_url}{self.path(i)}</loc>{self._lastmod(self.modified(i))}</url>"
                         for i in self.in_month(year, month))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + rows + "</urlset>\n").encode()

    def news_sitemap(self) -> bytes:
        since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=NEWS_HOURS)
        rows = []
        for i in self.newest(self.total):
            if self.published(i) < since:
                break
            date = "" if self.undated else f"<news:publication_date>{iso(self.published(i))}</news:publication_date>"
            rows.append(f"<url><loc>{self.base_url}{self.path(i)}</loc><news:news><news:publication>"
                        f"<news:name>The Archive Times</news:name><news:language>en</news:language>"
                        f"</news:publication>{date}<news:title>Story {i}</news:title></news:news></url>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + "\n".join(rows)
                + "</urlset>\n").encode()

    def feed(self) -> bytes:
        items = []
        for i in self.newest(FEED_ITEMS):
            stamp = self.published(i).strftime("%a, %d %b %Y %H:%M:%S +0000")
            date = "" if self.undated else f"<pubDate>{stamp}</pubDate>"
            items.append(f"<item><title>Story {i}</title><link>{self.base_url}{self.path(i)}</link>{date}</item>")
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>The Archive Times</title>'
                f"<link>{self.base_url}/</link>" + "".join(items) + "</channel></rss>").encode()

    def homepage(self) -> bytes:
        links = "".join(f'<li><a href="{self.path(i)}">Story {i}</a></li>' for i in self.newest(30))
        return ('<html lang="en"><head><title>The Archive Times</title><link rel="alternate" '
                'type="application/rss+xml" href="/feed.xml"></head><body><h1>The Archive Times</h1>'
                f"<ul>{links}</ul></body></html>").encode()

    def article(self, i: int) -> bytes:
        revision, modified = self.revisions.get(i, (0, self.published(i)))
        rng = random.Random(i * 7919 + revision)
        title = f"Story {i}: the {rng.choice(WORDS)} {rng.choice(WORDS)} and the {rng.choice(WORDS)}"
        paragraphs = []
        for p in range(4):
            words = " ".join(rng.choice(WORDS) for _ in range(30))
            paragraphs.append(f"<p>Paragraph {p + 1} of story {i} (revision {revision}): {words}.</p>")
        if revision:
            paragraphs.insert(0, f"<p>Update {revision}: this story was corrected after publication.</p>")
        published, changed = iso(self.published(i)), iso(modified)
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                         "datePublished": published, "dateModified": changed,
                         "author": {"@type": "Person", "name": "Ada Archer"}})
        return (f'<html lang="en"><head><title>{title}</title><meta property="og:type" content="article">'
                f'<meta property="og:title" content="{title}"><script type="application/ld+json">{ld}</script>'
                f'</head><body><article><h1>{title}</h1><p class="byline">By Ada Archer</p>'
                f'<time datetime="{published}">{published}</time>{"".join(paragraphs)}</article></body></html>'
                ).encode()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/archivegen.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--interval-minutes", type=float, default=15.0)
    parser.add_argument("--latest", default=None, help="ISO datetime of the newest article (default: now)")
    parser.add_argument("--undated", action="store_true", help="no dates in sitemaps and feed")
    parser.add_argument("--endless-index", action="store_true", help="add an endless chain of nested indexes")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", type=Path, default=None, help="write the base URL here once listening")
    args = parser.parse_args(argv)
    latest = (dt.datetime.fromisoformat(args.latest) if args.latest else dt.datetime.now(dt.UTC)).replace(microsecond=0)
    if latest.tzinfo is None:
        latest = latest.replace(tzinfo=dt.UTC)
    site = Archive(args.articles, dt.timedelta(minutes=args.interval_minutes), latest, args.undated, args.endless_index)
    def ready() -> str:
        return f"serving {site.base_url} ({site.count} articles, {len(site.months())} monthly sitemaps)"

    asyncio.run(serve_site(site, args.host, args.port, args.port_file, ready))
    return 0


if __name__ == "__main__":
    sys.exit(main())
