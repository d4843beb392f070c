"""What earlier runs wrote, in SQLite: for incremental crawls and versioned records."""

from __future__ import annotations

import datetime as dt
import sqlite3
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
"""


class Written(NamedTuple):
    content_hash: str | None
    version: int


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class SeenStore:
    """One row per (site or spider name, article id); changes commit only when asked."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        self.db.executescript(_SCHEMA)
        self.db.commit()

    def lookup(self, name: str, record_id: str) -> Written | None:
        row = self.db.execute("SELECT content_hash, version FROM written WHERE name=? AND id=?",
                              (name, record_id)).fetchone()
        return Written(*row) if row else None

    def remember(self, name: str, record_id: str, url: str, content_hash: str | None, version: int) -> None:
        now = utcnow()
        self.db.execute(
            "INSERT INTO written VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name, id) DO UPDATE SET "
            "url=excluded.url, content_hash=excluded.content_hash, version=excluded.version, "
            "last_written=excluded.last_written, last_seen=excluded.last_seen",
            (name, record_id, url, content_hash, version, now, now, now),
        )

    def touch(self, name: str, record_id: str) -> None:
        self.db.execute("UPDATE written SET last_seen=? WHERE name=? AND id=?", (utcnow(), name, record_id))

    def seen_since(self, name: str, url: str, since: dt.datetime) -> bool:
        row = self.db.execute("SELECT 1 FROM written WHERE name=? AND url=? AND last_seen>=? LIMIT 1",
                              (name, url, since.isoformat())).fetchone()
        return row is not None

    def expire(self, older_than: dt.datetime) -> int:
        """Forget articles not seen since ``older_than``: the store does not grow without bound."""
        cursor = self.db.execute("DELETE FROM written WHERE last_seen < ?", (older_than.isoformat(),))
        self.db.commit()
        return cursor.rowcount

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.close()


def store_path(settings: BaseSettings) -> Path:
    """INCREMENTAL_DB, or <JSONL_ROOT>/.state/seen.sqlite."""
    configured = settings.get("INCREMENTAL_DB")
    return Path(configured) if configured else Path(settings.get("JSONL_ROOT")) / ".state" / "seen.sqlite"
