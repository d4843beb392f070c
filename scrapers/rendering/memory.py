"""Which hosts needed the browser, remembered for the next run (``RENDER_MEMORY_DB``).

A host whose article pages came back as app shells ``RENDER_AFTER`` times in a row is rendered
directly for the rest of the run, and recorded here so the next run renders it from its first page
instead of fetching every page twice. One small SQLite file beside the incremental store (default
``<JSONL_ROOT>/.state/rendering.sqlite``), shared by every crawl under the root: written once per
host, in one short transaction. A store that cannot be opened leaves the run without memory (one
warning), never without its crawl.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

_SCHEMA = "CREATE TABLE IF NOT EXISTS needs_rendering (host TEXT PRIMARY KEY, since TEXT NOT NULL)"


def memory_path(settings: BaseSettings) -> Path:
    configured = settings.get("RENDER_MEMORY_DB")
    return Path(configured) if configured else Path(settings.get("JSONL_ROOT")) / ".state" / "rendering.sqlite"


class RenderMemory:
    def __init__(self, path: Path | None, busy_timeout: float = 5.0) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.hosts: set[str] = set()
        if path is None:
            return
        try:
            with self._connect() as db:
                self.hosts = {host for (host,) in db.execute("SELECT host FROM needs_rendering")}
        except (OSError, sqlite3.Error) as err:
            logger.warning("RENDER_MEMORY_DB=%s cannot be read (%s): this run remembers nothing", path, err)
            self.path = None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One short transaction, committed (or rolled back) and closed on leaving."""
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=self.busy_timeout)
        try:
            with db:
                db.execute(_SCHEMA)
                yield db
        finally:
            db.close()

    def remember(self, host: str) -> None:
        if host in self.hosts:
            return
        self.hosts.add(host)
        if self.path is None:
            return
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        try:
            with self._connect() as db:
                db.execute("INSERT OR IGNORE INTO needs_rendering VALUES (?, ?)", (host, now))
        except (OSError, sqlite3.Error) as err:
            logger.warning("RENDER_MEMORY_DB=%s cannot be written (%s): %s is not remembered", self.path, err, host)
