"""Record versions, decided in one place for every entry point (``Run.finish`` asks a ``Versions``).

``StoreVersions`` (a crawl, ccnews): the incremental store says whether an article is new, changed
(written again, ``version`` + 1, same ``id``) or unchanged (not written). During the crawl the store is
only read; the job's articles are recorded as pending when publication begins and count as written
once the job's manifest exists (``jobs/publication.py``, docs/jobs.md). A job resumed from ``JOBDIR``
first re-reads its partial dump, so records written before an interruption belong to the job.

``SourceVersions`` (``scrapy reextract``): the source dump's record for the same archived response
(``warc_record_id``, else ``id``) decides: its id and fetch metadata are kept, and ``version`` is raised
by one where the new record differs.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from ..incremental.shared import SharedFetches
from ..incremental.store import Entry, SeenStore, utcnow
from .files import RunFiles, published_whole
from .run import CrawlMeta, FirstVersions, Version

logger = logging.getLogger(__name__)

Report = Callable[[str, str], None]


class StoreVersions:
    def __init__(self, store: SeenStore, name: str, retention_days: float,
                 shared: Callable[[], SharedFetches | None] = lambda: None) -> None:
        self.store: SeenStore | None = store
        self.name = name
        self.retention = dt.timedelta(days=retention_days)
        self.shared = shared
        # the run's job error (``Run.error``): a store error fails the run, never the dump
        self.report: Report = lambda kind, detail: logger.error("%s error: %s", kind, detail)
        # this job's articles, by id: what the store learns when the job is published
        self.entries: dict[str, Entry] = {}

    def housekeeping(self) -> None:
        """Before the first request: promote jobs killed after their manifest, expire old entries."""
        assert self.store is not None
        try:
            promoted, dropped = self.store.promote_published(published_whole)
            if promoted:
                logger.info("incremental store: articles of published jobs %s recorded", ", ".join(promoted))
            if dropped:
                logger.warning("incremental store: the dumps of jobs %s are missing or do not match their manifests: "
                               "their articles are not counted as written and will be written again",
                               ", ".join(dropped))
            expired = self.store.expire(dt.datetime.now(dt.UTC) - self.retention)
            if expired:
                logger.info("incremental store: %d entries older than %s expired", expired, self.retention)
        except sqlite3.OperationalError as err:
            # another crawl is writing: housekeeping waits for the next run
            logger.warning("incremental store busy, housekeeping skipped: %s", err)

    def recover(self, records: Iterable[dict[str, Any]]) -> None:
        """Records already in this job's partial dump (a resumed job) belong to this job."""
        for record in records:
            self._remember(record["id"], record.get("url"), record.get("content_hash"), record.get("version"))

    def decide(self, record: dict[str, Any], meta: CrawlMeta) -> Version:
        assert self.store is not None
        record_key = record["id"]
        try:
            known = self.store.lookup(self.name, record_key)
        except sqlite3.DatabaseError as err:
            raise sqlite3.DatabaseError(f"{self.store.path}: {err}") from err
        fetch = (meta.requested, meta.fetched_at, meta.lastmod, record.get("date_published"))
        if known is not None and known.content_hash == record.get("content_hash"):
            if record_key not in self.entries:
                self.entries[record_key] = Entry(record_key, record.get("url") or "", known.content_hash,
                                                 known.version, False, *fetch)
            return Version(known.version, "unchanged", write=False)
        version = known.version + 1 if known else 1
        self._remember(record_key, record.get("url"), record.get("content_hash"), version, fetch)
        return Version(version, "changed" if known else "new")

    def _remember(self, record_key: str, url: str | None, content_hash: str | None, version: int | None,
                  fetch: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)) -> None:
        self.entries[record_key] = Entry(record_key, url or "", content_hash, int(version or 1), True, *fetch)

    def pending(self, files: RunFiles) -> None:
        """Publication begins: the job's articles go into the store as pending, in one transaction."""
        self._write("recording the job's articles", lambda store: store.record_pending(
            store.job_key(files.manifest), files.manifest, self.name, self.entries.values()))

    def published(self, files: RunFiles) -> None:
        """The manifest exists: the job's articles now count as written for later runs (and, with
        REDIS_URL, for every process and machine crawling the site: incremental/shared.py)."""
        self._write("committing the published job", lambda store: store.promote(store.job_key(files.manifest)))
        try:
            shared = self.shared()
            if shared is not None:
                shared.put_many(self.entries.values(), utcnow())
        except Exception as err:  # redis errors: the local store has them; peers may fetch them again
            logger.warning("incremental state not shared in Redis: %s: %s", type(err).__name__, err)

    def _write(self, what: str, action: Callable[[SeenStore], object]) -> None:
        if self.store is None:
            return
        try:
            action(self.store)
        except sqlite3.Error as err:
            # the dump is still published; a later run finds the articles new and writes them again
            self.report("store", f"{what} in {self.store.path}: {type(err).__name__}: {err}")

    def written_ids(self) -> set[str]:
        """The ids the store will count as written once the job is published: each must be in its dump."""
        return {key for key, entry in self.entries.items() if entry.written}

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


# Fields that say when and by whom a page was fetched: a re-extraction does not change them.
KEPT_FIELDS = ("fetched_at", "spider", "site")


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("version", *KEPT_FIELDS)}


class SourceVersions(FirstVersions):
    """Matches re-extracted records to the source dump's and numbers their versions (no store to keep)."""

    def __init__(self, old_records: list[dict[str, Any]]) -> None:
        self.by_warc = {r["warc_record_id"]: r for r in old_records if r.get("warc_record_id")}
        self.by_id = {r["id"]: r for r in old_records if r.get("id")}
        self.matched: set[str] = set()  # the source's warc_record_ids that came back as records

    def decide(self, record: dict[str, Any], meta: CrawlMeta) -> Version:
        old = self.by_warc.get(record.get("warc_record_id")) or self.by_id.get(record.get("id"))
        if old is None:
            return Version(1, "new")
        self.matched.add(old.get("warc_record_id") or "")
        record["id"] = old["id"]
        kept = replace(meta, fetched_at=old.get("fetched_at", meta.fetched_at), spider=old.get("spider", meta.spider),
                       site=old.get("site") or meta.site)
        for name in KEPT_FIELDS:
            if name in old:
                record[name] = old[name]
        version = int(old.get("version") or 1)
        changed = comparable(record) != comparable(old)
        return Version(version + 1 if changed else version, "changed" if changed else "unchanged", meta=kept)
