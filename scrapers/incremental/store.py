"""What earlier runs wrote, in SQLite: for incremental crawls and versioned records.

Many crawls share one store (every site under one ``JSONL_ROOT``), so it is read during a crawl
and written only in short transactions: WAL mode (readers never wait for a writer), a bounded
busy timeout, and no transaction held open between pages. A job's articles are first recorded as
*pending* under its job id, with the path of the manifest that will publish them; they count as
written only once that manifest exists (``promote_published``), so a kill at any moment never
makes the store claim an article that is not in a published dump (docs/jobs.md).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from scrapy.settings import BaseSettings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS written (
    name TEXT NOT NULL,
    id TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT,
    version INTEGER NOT NULL,
    first_written TEXT NOT NULL,
    last_written TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (name, id)
);
CREATE INDEX IF NOT EXISTS written_url ON written (name, url);
CREATE INDEX IF NOT EXISTS written_last_seen ON written (last_seen);
CREATE TABLE IF NOT EXISTS pending_jobs (
    job_id TEXT PRIMARY KEY,
    manifest TEXT NOT NULL,
    recorded TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    job_id TEXT NOT NULL,
    name TEXT NOT NULL,
    id TEXT NOT NULL,
    url TEXT NOT NULL,
    content_hash TEXT,
    version INTEGER NOT NULL,
    written INTEGER NOT NULL,  -- 1: in the job's dump; 0: found unchanged (only last_seen moves)
    PRIMARY KEY (job_id, name, id)
);
"""


class Written(NamedTuple):
    content_hash: str | None
    version: int


class Entry(NamedTuple):
    """One article of a job, as the store will learn it."""

    id: str
    url: str
    content_hash: str | None
    version: int
    written: bool


class StoreUnusable(Exception):
    """The store cannot be opened, or SQLite reports it damaged: the crawl does not start."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"the incremental store {path} is unusable: {detail}")


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class SeenStore:
    """One row per (site or spider name, article id), plus the pending articles of unpublished jobs."""

    def __init__(self, path: Path, busy_timeout: float = 5.0) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit: every statement is its own short transaction unless we open one explicitly
            self.db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
            check = self.db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise StoreUnusable(path, f"integrity check: {check[0] if check else 'no answer'}")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as err:
            raise StoreUnusable(path, f"{type(err).__name__}: {err}") from None

    def lookup(self, name: str, record_id: str) -> Written | None:
        row = self.db.execute("SELECT content_hash, version FROM written WHERE name=? AND id=?",
                              (name, record_id)).fetchone()
        return Written(*row) if row else None

    def seen_since(self, name: str, url: str, since: dt.datetime) -> bool:
        row = self.db.execute("SELECT 1 FROM written WHERE name=? AND url=? AND last_seen>=? LIMIT 1",
                              (name, url, since.isoformat())).fetchone()
        return row is not None

    def expire(self, older_than: dt.datetime) -> int:
        """Forget articles not seen since ``older_than``: the store does not grow without bound."""
        with self._transaction():
            cursor = self.db.execute("DELETE FROM written WHERE last_seen < ?", (older_than.isoformat(),))
            self.db.execute("DELETE FROM pending WHERE job_id IN (SELECT job_id FROM pending_jobs WHERE recorded < ?)",
                            (older_than.isoformat(),))
            self.db.execute("DELETE FROM pending_jobs WHERE recorded < ?", (older_than.isoformat(),))
        return cursor.rowcount

    def record_pending(self, job_id: str, manifest: Path, name: str, entries: Iterable[Entry]) -> None:
        """The job's articles, not yet counted as written: replaces what an earlier session of the
        same job recorded."""
        with self._transaction():
            self.db.execute("DELETE FROM pending WHERE job_id=?", (job_id,))
            self.db.execute("INSERT OR REPLACE INTO pending_jobs VALUES (?, ?, ?)",
                            (job_id, self._relative(manifest), utcnow()))
            self.db.executemany(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((job_id, name, e.id, e.url, e.content_hash, e.version, int(e.written)) for e in entries),
            )

    def promote_published(self) -> list[str]:
        """Count as written the pending articles of every job whose manifest exists; returns their job ids."""
        jobs = self.db.execute("SELECT job_id, manifest FROM pending_jobs").fetchall()
        published = [job_id for job_id, manifest in jobs if self._absolute(manifest).exists()]
        for job_id in published:
            self.promote(job_id)
        return published

    def promote(self, job_id: str) -> None:
        now = utcnow()
        with self._transaction():
            self.db.execute(
                "INSERT INTO written SELECT name, id, url, content_hash, version, ?, ?, ? FROM pending "
                "WHERE job_id=? AND written=1 ON CONFLICT(name, id) DO UPDATE SET "
                "url=excluded.url, content_hash=excluded.content_hash, version=excluded.version, "
                "last_written=excluded.last_written, last_seen=excluded.last_seen",
                (now, now, now, job_id),
            )
            self.db.execute(
                "UPDATE written SET last_seen=? WHERE EXISTS (SELECT 1 FROM pending p WHERE p.job_id=? "
                "AND p.written=0 AND p.name=written.name AND p.id=written.id)",
                (now, job_id),
            )
            self.db.execute("DELETE FROM pending WHERE job_id=?", (job_id,))
            self.db.execute("DELETE FROM pending_jobs WHERE job_id=?", (job_id,))

    def close(self) -> None:
        self.db.close()

    def _transaction(self) -> sqlite3.Connection:
        """``with self._transaction():`` one short write transaction (BEGIN IMMEDIATE: the write lock
        is taken up front, waiting at most the busy timeout, so it never fails half-way)."""
        self.db.execute("BEGIN IMMEDIATE")
        return _Commit(self.db)  # type: ignore[return-value]

    def _relative(self, manifest: Path) -> str:
        # relative to the store, so a JSONL_ROOT moved or copied with its store keeps working
        return os.path.relpath(manifest.resolve(), self.path.resolve().parent)

    def _absolute(self, manifest: str) -> Path:
        return self.path.resolve().parent / manifest


class _Commit:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def store_path(settings: BaseSettings) -> Path:
    """INCREMENTAL_DB, or <JSONL_ROOT>/.state/seen.sqlite."""
    configured = settings.get("INCREMENTAL_DB")
    return Path(configured) if configured else Path(settings.get("JSONL_ROOT")) / ".state" / "seen.sqlite"
