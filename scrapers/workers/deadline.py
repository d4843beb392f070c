"""A time limit for extraction run in the calling process (``EXTRACTION_WORKERS=0``, the pool's
fallback, ``scrapy extract``): the same ``EXTRACTION_TIMEOUT`` as a pool worker's.

A timer signal (SIGALRM) interrupts the extraction where it stands, so a page that makes a parser
loop cannot stall the crawl; code inside one long C call is interrupted when the call returns.
Signals reach only the main thread, so called from another thread the block runs unbounded.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class ExtractionTimeout(Exception):
    """The extraction ran past its time limit."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise ExtractionTimeout inside the block once ``seconds`` have passed."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise ExtractionTimeout(f"extraction took more than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
