"""One crawl per output name at a time: an exclusive ``flock`` held for the whole run.

The lock file is ``<RUN_LOCK_DIR>/<name>.lock`` (default dir: ``<JSONL_ROOT>/.locks``), where the
name is the spider's ``output_name`` (the site config's name, else the spider's name). It holds
the owner's pid. The kernel drops the lock when the process ends, however it ends, so a killed
crawl never leaves a stale lock behind. Processes of one distributed run (``REDIS_URL``) share a
frontier instead of overlapping, so the lock is not taken for them.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


class RunLocked(Exception):
    """Another crawl of the same name holds the lock."""

    def __init__(self, name: str, pid: int | None, path: Path) -> None:
        self.name, self.pid, self.path = name, pid, path
        super().__init__(f"another crawl of {name} is running (pid {pid if pid else 'unknown'}); lock file {path}")


def lock_path(settings: BaseSettings, name: str) -> Path:
    folder = settings.get("RUN_LOCK_DIR") or Path(settings.get("JSONL_ROOT")) / ".locks"
    return Path(folder) / (re.sub(r"[^\w.-]", "_", name) + ".lock")


def acquire(path: Path, name: str) -> int:
    """Take the lock or raise RunLocked; returns the open descriptor that holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode("ascii", "replace").strip()
        os.close(fd)
        raise RunLocked(name, int(holder) if holder.isdigit() else None, path) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    return fd


class RunLock:
    """Extension: takes the lock as the crawler starts (before any pipeline opens), frees it at the end."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self.fd: int | None = acquire(path, name)
        logger.info("run lock %s taken", path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLock:
        settings = crawler.settings
        if not settings.getbool("RUN_LOCK_ENABLED") or settings.get("REDIS_URL"):
            raise NotConfigured
        spider = crawler.spider
        if spider is None:
            raise NotConfigured("no spider to name the run lock after")
        name = getattr(spider, "output_name", None) or spider.name
        lock = cls(lock_path(settings, name), name)
        crawler.signals.connect(lock.release, signal=signals.engine_stopped)
        return lock

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the flock; the file stays for the next run
            self.fd = None
