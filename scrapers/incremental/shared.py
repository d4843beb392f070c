"""Incremental discovery state in Redis, for crawls run by several processes or machines.

With ``REDIS_URL`` every process publishing a job also records its articles' fetches (URL, when,
with which lastmod, the article's date) in one hash per site, ``<REDIS_STATE_KEY prefix>:<name>``, so a
process on another machine, with its own local store, agrees on what is new. Written only after the
job's manifest exists (the same rule as the local store, docs/jobs.md); never expires by itself:
entries older than INCREMENTAL_RETENTION_DAYS are ignored when read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from scrapy.settings import BaseSettings

from .store import Entry, Fetched, _when


class SharedFetches:
    def __init__(self, server: Any, key: str, retention: dt.timedelta) -> None:
        self.server = server
        self.key = key
        self.retention = retention

    @classmethod
    def from_settings(cls, settings: BaseSettings, name: str) -> SharedFetches | None:
        url = settings.get("REDIS_URL")
        if not url:
            return None
        import redis  # only with REDIS_URL: a local crawl needs no Redis client

        return cls(redis.Redis.from_url(url), f"{settings.get('REDIS_STATE_KEY')}:{name}",
                   dt.timedelta(days=settings.getfloat("INCREMENTAL_RETENTION_DAYS")))

    def get(self, url: str) -> Fetched | None:
        raw = self.server.hget(self.key, url)
        if not raw:
            return None
        data = json.loads(raw)
        fetched = Fetched(_when(data.get("fetched")), _when(data.get("lastmod")), _when(data.get("published")))
        now = dt.datetime.now(dt.UTC)
        if fetched.last_fetched is not None and now - fetched.last_fetched > self.retention:
            return None
        return fetched

    def put_many(self, entries: Iterable[Entry], fallback_time: str) -> int:
        pipe = self.server.pipeline(transaction=False)
        count = 0
        for entry in entries:
            url = entry.fetch_url or entry.url
            if not url:
                continue
            pipe.hset(self.key, url, json.dumps({"fetched": entry.fetched or fallback_time, "lastmod": entry.lastmod,
                                                 "published": entry.published}))
            count += 1
            if count % 1000 == 0:
                pipe.execute()
        pipe.execute()
        return count
