"""One crawl per site at a time: an exclusive ``flock`` held for the whole run.

The lock file is ``<RUN_LOCK_DIR>/<name>.lock`` (default dir: ``<JSONL_ROOT>/.locks``), where the
name says what is crawled: the site config's name (``harbour``), else the spider's name and the
start URLs' hosts and ports (``news@site.example:443``, file ``news_site.example_443.lock``), so
two generic crawls of different sites run side by side and two of the same site do not. It holds
the owner's pid. The kernel drops the lock when the process ends, however it ends, so a killed
crawl never leaves a stale lock behind. Processes of one distributed run (``REDIS_URL``) share a
frontier instead of overlapping, so the lock is not taken for them.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from .run import RunSpec

logger = logging.getLogger(__name__)


class RunLocked(Exception):
    """Another crawl of the same name holds the lock."""

    def __init__(self, name: str, pid: int | None, path: Path) -> None:
        self.name, self.pid, self.path = name, pid, path
        super().__init__(f"another crawl of {name} is running (pid {pid if pid else 'unknown'}); lock file {path}")


class JobdirBusy(RunLocked):
    """Another crawl is running with the same JOBDIR (exit 75, like a run lock)."""

    def __init__(self, jobdir: str, pid: int | None, path: Path) -> None:
        Exception.__init__(self, f"another crawl is running with JOBDIR {jobdir} (pid {pid if pid else 'unknown'}); "
                                 "wait for it to end, or give this crawl its own JOBDIR")
        self.name, self.pid, self.path = f"JOBDIR {jobdir}", pid, path


JOBDIR_LOCK = "presswire-job.lock"


def lock_jobdir(jobdir: str) -> RunLock:
    """Held by the one crawl using JOBDIR, for its whole run, whatever its site or output root."""
    path = Path(jobdir) / JOBDIR_LOCK
    try:
        return RunLock(path, f"JOBDIR {jobdir}")
    except RunLocked as locked:
        raise JobdirBusy(jobdir, locked.pid, path) from None


def lock_path(settings: BaseSettings, name: str) -> Path:
    folder = settings.get("RUN_LOCK_DIR") or Path(settings.get("JSONL_ROOT")) / ".locks"
    stem = re.sub(r"[^\w.-]", "_", name)
    if len(stem) > 120:  # many start URLs: keep the file name short, still one per set of sites
        stem = stem[:80] + "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]
    return Path(folder) / (stem + ".lock")


def lock_name(spec: RunSpec) -> str:
    """What the crawl locks: its site config, else its spider and the origins it starts from."""
    if spec.site:
        return spec.site
    origins = sorted({_host_port(url) for url in spec.start_urls})
    return f"{spec.spider}@{'+'.join(origins)}" if origins else spec.spider


def _host_port(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


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
    """Held from the moment the run is built (before any file is opened) until the engine stops."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self.fd: int | None = acquire(path, name)
        logger.info("run lock %s taken", path)

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor drops the flock; the file stays for the next run
            self.fd = None
