"""Incremental discovery: is a URL that an earlier run wrote worth fetching again?

The site says so (its sitemap ``lastmod`` or feed date is newer than what we fetched), or the
article is young enough to be edited and was not fetched for a while (the refresh policy). Only
URLs whose article is in a published dump are known (incremental/store.py), so a URL that failed,
or whose job was never published, is always fetched again.

| what the site lists for the URL | fetched again when |
|---|---|
| not written by an earlier run | always (new) |
| a lastmod / feed date | it is newer than the one we fetched it with (or than our last fetch) |
| no date | the article is younger than INCREMENTAL_REFRESH_HOURS and was last fetched at least
  INCREMENTAL_REFRESH_INTERVAL_HOURS ago |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scrapy.settings import BaseSettings

from .shared import SharedFetches
from .store import Fetched, SeenStore, store_path

NEW, CHANGED, REFRESH, UNCHANGED = "new", "changed", "refresh", "unchanged"


@dataclass(frozen=True)
class RefreshPolicy:
    young: dt.timedelta      # articles younger than this may still be edited
    interval: dt.timedelta   # and are fetched again at most this often

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RefreshPolicy:
        return cls(dt.timedelta(hours=settings.getfloat("INCREMENTAL_REFRESH_HOURS")),
                   dt.timedelta(hours=settings.getfloat("INCREMENTAL_REFRESH_INTERVAL_HOURS")))

    def decide(self, known: Fetched | None, lastmod: dt.datetime | None, now: dt.datetime) -> str:
        """NEW, CHANGED or REFRESH (fetch it) or UNCHANGED (skip it)."""
        if known is None:
            return NEW
        if lastmod is not None:
            if known.lastmod is not None:
                return CHANGED if lastmod > known.lastmod else UNCHANGED
            # fetched from a listing without a lastmod: changed at or after that fetch (same second:
            # fetch again rather than miss an edit)
            return CHANGED if known.last_fetched is None or lastmod >= known.last_fetched else UNCHANGED
        born = known.published
        if born is not None and now - born < self.young:
            if known.last_fetched is None or now - known.last_fetched >= self.interval:
                return REFRESH
        return UNCHANGED


class KnownUrls:
    """Read side of incremental discovery for one crawl: the local store, and Redis when shared."""

    def __init__(self, store: SeenStore, shared: SharedFetches | None, name: str, policy: RefreshPolicy) -> None:
        self.store = store
        self.shared = shared
        self.name = name
        self.policy = policy

    @classmethod
    def from_settings(cls, settings: BaseSettings, name: str) -> KnownUrls:
        store = SeenStore(store_path(settings), settings.getfloat("INCREMENTAL_BUSY_TIMEOUT"))
        return cls(store, SharedFetches.from_settings(settings, name), name, RefreshPolicy.from_settings(settings))

    def decide(self, url: str, lastmod: dt.datetime | None, now: dt.datetime) -> str:
        return self.policy.decide(self.lookup(url), lastmod, now)

    def lookup(self, url: str) -> Fetched | None:
        local = self.store.fetched(self.name, url)
        shared = self.shared.get(url) if self.shared is not None else None
        if local is None or shared is None:
            return local or shared
        # several processes or machines: the newest fetch wins
        return max(local, shared, key=lambda f: f.last_fetched or dt.datetime.min.replace(tzinfo=dt.UTC))

    def close(self) -> None:
        self.store.close()
