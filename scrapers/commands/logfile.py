"""A log file whose disk fills during the crawl: Python's logging prints a traceback to stderr for every
record it cannot write (hundreds of lines, burying the summary). The crawl's output is the dump, not the
log: say once that the log is lost from there on, stop writing to it, and let the crawl go on."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable


def guard_log_files(report: Callable[[str], None]) -> None:
    """Give every file handler of the root logger (Scrapy's ``LOG_FILE``) a one-line failure."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            handler.handleError = _one_line(handler, report)  # type: ignore[method-assign,assignment]


def _one_line(handler: logging.FileHandler, report: Callable[[str], None]) -> Callable[[logging.LogRecord], None]:
    def failed(record: logging.LogRecord) -> None:
        if handler.level > logging.CRITICAL:
            return
        handler.setLevel(logging.CRITICAL + 1)  # no second attempt, no second line
        error = sys.exc_info()[1]
        reason = getattr(error, "strerror", None) or error
        report(f"LOG_FILE={handler.baseFilename}: cannot write ({reason}); the log is lost from here, the crawl "
               "goes on")
    return failed
