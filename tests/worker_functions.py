"""Extraction functions for worker-pool tests: real extraction, except on marked pages."""

from __future__ import annotations

import os
import time
from typing import Any

from scrapers.extraction import SiteSelectors
from scrapers.workers.pool import extract_record


def crash_or_hang_on_marker(body: bytes, url: str, content_type: str | None,
                            selectors: SiteSelectors) -> dict[str, Any]:
    if b"WORKER-CRASH" in body:
        os._exit(3)  # what a segfault in a C parser looks like from outside
    if b"WORKER-HANG" in body:
        time.sleep(600)
    if b"WORKER-HOG" in body:
        # 1 GB of zero pages: costs no real memory unless a limit refuses the address space
        hog = bytearray(1024**3)
        del hog
    return extract_record(body, url, content_type, selectors)


def die_or_freeze_on_marker(body: bytes, url: str, content_type: str | None,
                            selectors: SiteSelectors) -> dict[str, Any]:
    """On a marked page, die by SIGKILL (or freeze by SIGSTOP with WORKER-FREEZE): what a worker killed or
    stopped in the middle of a page (the OOM killer, an operator, a debugger) leaves behind."""
    if b"WORKER-DIE" in body:
        import signal

        os.kill(os.getpid(), signal.SIGSTOP if b"WORKER-FREEZE" in body else signal.SIGKILL)
    return extract_record(body, url, content_type, selectors)


def slow_extraction(body: bytes, url: str, content_type: str | None, selectors: SiteSelectors) -> dict[str, Any]:
    """Real extraction, a quarter of a second per page: a run long enough to be stopped part-way."""
    time.sleep(0.25)
    return extract_record(body, url, content_type, selectors)


def worker_pid(*_: object) -> int:
    """Which worker ran the page."""
    return os.getpid()


def worker_niceness(*_: object) -> int:
    """The niceness the page ran at."""
    return os.nice(0)


def worker_pid_slowly(*_: object) -> int:
    """Which worker ran the page, a fifth of a second later: pages spread over every worker."""
    time.sleep(0.2)
    return os.getpid()
