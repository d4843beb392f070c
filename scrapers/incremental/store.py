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
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

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
# Added for site health (issue 23): each job's health block, per site and per process (a distributed job
# has one row per process). Stores made before get the table when opened (CREATE TABLE IF NOT EXISTS).
_HEALTH_SCHEMA = """
CREATE TABLE IF NOT EXISTS health_runs (
    key TEXT NOT NULL,          -- the site: a site config's name, else the crawl's lock name
    job_id TEXT NOT NULL,
    process TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    block TEXT NOT NULL,        -- the manifest's health block, JSON
    findings TEXT NOT NULL,     -- its findings, a JSON list of lines
    PRIMARY KEY (key, job_id, process)
);
CREATE INDEX IF NOT EXISTS health_runs_finished ON health_runs (key, finished_at);
"""
# Added for incremental discovery (issue 12): which URL was requested for the article, when, with which
# sitemap/feed lastmod, and the article's publication date. Stores made before get the columns added
# (NULL in old rows: last_seen then stands for the last fetch).
_FETCH_COLUMNS = ("fetch_url", "last_fetched", "lastmod", "published")
_PENDING_FETCH_COLUMNS = ("fetch_url", "fetched", "lastmod", "published")
_WRITTEN_COLUMNS = "name, id, url, content_hash, version, first_written, last_written, last_seen, " + ", ".join(
    _FETCH_COLUMNS)
_PENDING_COLUMNS = "job_id, name, id, url, content_hash, version, written, " + ", ".join(_PENDING_FETCH_COLUMNS)


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
    fetch_url: str | None = None   # the URL requested (a sitemap/feed/link URL before redirects)
    fetched: str | None = None     # when
    lastmod: str | None = None     # the sitemap/feed date the request was made with
    published: str | None = None   # the article's date_published


class Fetched(NamedTuple):
    """What the store knows of a URL an earlier run wrote: for the re-fetch decision (incremental/known.py)."""

    last_fetched: dt.datetime | None
    lastmod: dt.datetime | None
    published: dt.datetime | None    # the article's date, else when it was first written


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
            self._migrate()
        except (sqlite3.Error, OSError) as err:
            raise StoreUnusable(path, f"{type(err).__name__}: {err}") from None

    def _migrate(self) -> None:
        """Add the fetch columns to a store made before them; each ALTER is its own short transaction."""
        for table, columns in (("written", _FETCH_COLUMNS), ("pending", _PENDING_FETCH_COLUMNS)):
            have = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            for column in columns:
                if column not in have:
                    try:
                        self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
                    except sqlite3.OperationalError as err:
                        if "duplicate column" not in str(err):  # another crawl migrated it first
                            raise
        self.db.execute("CREATE INDEX IF NOT EXISTS written_fetch_url ON written (name, fetch_url)")
        self.db.executescript(_HEALTH_SCHEMA)

    def fetched(self, name: str, url: str) -> Fetched | None:
        """The newest fetch of ``url`` (as requested, else as recorded) whose article was published."""
        for column in ("fetch_url", "url"):
            row = self.db.execute(
                "SELECT coalesce(last_fetched, last_seen), lastmod, coalesce(published, first_written) FROM written "
                f"WHERE name=? AND {column}=? ORDER BY coalesce(last_fetched, last_seen) DESC LIMIT 1",
                (name, url)).fetchone()
            if row:
                return Fetched(*(_when(value) for value in row))
        return None

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
                f"INSERT OR REPLACE INTO pending ({_PENDING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((job_id, name, e.id, e.url, e.content_hash, e.version, int(e.written), e.fetch_url, e.fetched,
                  e.lastmod, e.published) for e in entries),
            )

    def promote_published(self, is_published: Callable[[Path], bool] = Path.exists) -> tuple[list[str], list[str]]:
        """Count as written the pending articles of every job whose manifest exists and ``is_published``
        (its dump is there and whole); forget those of a job whose manifest exists but whose dump does not
        match it (deleted, replaced): they are in no published dump. Returns both lists of job keys."""
        jobs = self.db.execute("SELECT job_id, manifest FROM pending_jobs").fetchall()
        promoted, dropped = [], []
        for job_key, manifest in jobs:
            path = self._absolute(manifest)
            if not path.exists():
                continue
            if is_published(path):
                self.promote(job_key)
                promoted.append(job_key)
            else:
                self.forget(job_key)
                dropped.append(job_key)
        return promoted, dropped

    def forget(self, job_key: str) -> None:
        """Drop a job's pending articles: they will never be in a published dump."""
        with self._transaction():
            self.db.execute("DELETE FROM pending WHERE job_id=?", (job_key,))
            self.db.execute("DELETE FROM pending_jobs WHERE job_id=?", (job_key,))

    def job_key(self, manifest: Path) -> str:
        """A job's key in ``pending``: its manifest's path under the store's folder, unique to the job
        (a job id is unique only in its folder: two sites may each run ``JOB_ID=nightly``)."""
        return self._relative(manifest)

    def promote(self, job_id: str) -> None:
        now = utcnow()
        with self._transaction():
            self.db.execute(
                f"INSERT INTO written ({_WRITTEN_COLUMNS}) SELECT name, id, url, content_hash, version, ?, ?, ?, "
                "fetch_url, coalesce(fetched, ?), lastmod, published FROM pending "
                "WHERE job_id=? AND written=1 ON CONFLICT(name, id) DO UPDATE SET "
                "url=excluded.url, content_hash=excluded.content_hash, version=excluded.version, "
                "last_written=excluded.last_written, last_seen=excluded.last_seen, "
                "fetch_url=coalesce(excluded.fetch_url, fetch_url), last_fetched=excluded.last_fetched, "
                "lastmod=coalesce(excluded.lastmod, lastmod), published=coalesce(excluded.published, published)",
                (now, now, now, now, job_id),
            )
            # found unchanged: the article stays as written, but it was fetched again
            self.db.execute(
                "UPDATE written SET last_seen=?, last_fetched=coalesce(p.fetched, ?), "
                "fetch_url=coalesce(p.fetch_url, written.fetch_url), lastmod=coalesce(p.lastmod, written.lastmod), "
                "published=coalesce(p.published, written.published) FROM pending p WHERE p.job_id=? "
                "AND p.written=0 AND p.name=written.name AND p.id=written.id",
                (now, now, job_id),
            )
            self.db.execute("DELETE FROM pending WHERE job_id=?", (job_id,))
            self.db.execute("DELETE FROM pending_jobs WHERE job_id=?", (job_id,))

    def record_health(self, key: str, job_id: str, process: str, finished_at: str, block: Mapping[str, Any],
                      findings: list[str], keep: int) -> None:
        """One process's health block of a job; the site keeps its last ``keep`` jobs (one transaction)."""
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO health_runs VALUES (?, ?, ?, ?, ?, ?)",
                            (key, job_id, process, finished_at, json.dumps(block), json.dumps(findings)))
            self.db.execute(
                "DELETE FROM health_runs WHERE key=? AND job_id NOT IN (SELECT job_id FROM health_runs WHERE key=? "
                "GROUP BY job_id ORDER BY max(finished_at) DESC LIMIT ?)", (key, key, keep))

    def health_runs(self, key: str, limit: int) -> list[tuple[str, list[dict[str, Any]]]]:
        """The site's last ``limit`` jobs, oldest first: (job id, the block of each of its processes)."""
        return [(job_id, blocks) for job_id, blocks, _, _ in self.health_history(key, limit)]

    def health_history(self, key: str, limit: int) -> list[tuple[str, list[dict[str, Any]], str, list[str]]]:
        """As ``health_runs``, with each job's finish time and findings (every process's)."""
        rows = self.db.execute(
            "SELECT job_id, block, finished_at, findings FROM health_runs WHERE key=? AND job_id IN "
            "(SELECT job_id FROM health_runs WHERE key=? GROUP BY job_id ORDER BY max(finished_at) DESC LIMIT ?) "
            "ORDER BY finished_at, process", (key, key, limit)).fetchall()
        jobs: dict[str, tuple[list[dict[str, Any]], list[str], list[str]]] = {}
        for job_id, block, finished_at, found in rows:
            blocks, times, lines = jobs.setdefault(job_id, ([], [], []))
            blocks.append(json.loads(block))
            times.append(finished_at)
            lines.extend(line for line in json.loads(found) if line not in lines)
        ordered = sorted(jobs.items(), key=lambda item: max(item[1][1]))
        return [(job_id, blocks, max(times), lines) for job_id, (blocks, times, lines) in ordered]

    def health_keys(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT DISTINCT key FROM health_runs ORDER BY key")]

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


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def store_path(settings: BaseSettings) -> Path:
    """INCREMENTAL_DB, or <JSONL_ROOT>/.state/seen.sqlite."""
    configured = settings.get("INCREMENTAL_DB")
    return Path(configured) if configured else Path(settings.get("JSONL_ROOT")) / ".state" / "seen.sqlite"
