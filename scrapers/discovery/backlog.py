"""What discovery found and has not requested yet: sitemaps to read and article URLs to fetch.

The spider feeds the scheduler from here only while its queue is short, so a site listing a million
URLs costs a million short strings at most, never a million queued Requests; and sitemaps are read
one at a time, newest first, only when the article URLs already found are used up, so articles flow
from the first sitemap on and a one-minute crawl reads only the sitemaps it needs.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """An article URL found by a sitemap or feed, with the dates it was listed with."""

    url: str
    source: str                          # sitemap, news_sitemap, feed
    lastmod: dt.datetime | None = None   # what says it changed
    date: dt.datetime | None = None      # what the window judged


@dataclass(frozen=True)
class PendingSitemap:
    url: str
    depth: int                           # 0: named by robots.txt or the site config
    lastmod: dt.datetime | None = None


class Backlog:
    def __init__(self) -> None:
        self._sitemaps: list[tuple[tuple[int, float, int], PendingSitemap]] = []
        self._order = itertools.count()
        self._articles: deque[Candidate] = deque()

    def add_sitemap(self, sitemap: PendingSitemap) -> None:
        """Newest first: top-level sitemaps (robots.txt: the index and the news sitemap), then by lastmod,
        newest first, then undated ones in the order they were listed."""
        stamp = -sitemap.lastmod.timestamp() if sitemap.lastmod else float("inf")
        heapq.heappush(self._sitemaps, ((0 if sitemap.depth == 0 else 1, stamp, next(self._order)), sitemap))

    def add_articles(self, found: list[Candidate], first: bool = False) -> None:
        """One sitemap's or feed's articles, newest first; ``first`` (news sitemaps and feeds: the last
        hours) puts them before everything found so far."""
        found = sorted(found, key=_newest_first)
        if first:
            self._articles.extendleft(reversed(found))
        else:
            self._articles.extend(found)

    def next_sitemap(self) -> PendingSitemap | None:
        return heapq.heappop(self._sitemaps)[1] if self._sitemaps else None

    def next_article(self) -> Candidate | None:
        return self._articles.popleft() if self._articles else None

    @property
    def articles(self) -> int:
        return len(self._articles)

    @property
    def sitemaps(self) -> int:
        return len(self._sitemaps)


def _newest_first(candidate: Candidate) -> float:
    when = candidate.date or candidate.lastmod
    return -when.timestamp() if when else 0.0
