"""Faults that fail a job: recorded in the stats (``presswire/errors/<kind>``), where the crawl
command reads them to exit non-zero, and logged as one line each."""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

PREFIX = "presswire/errors/"
logger = logging.getLogger(__name__)


def record_job_error(crawler: Crawler, kind: str, detail: str) -> None:
    """The first error of a kind is kept (later ones are usually its consequences)."""
    assert crawler.stats is not None
    key = PREFIX + kind
    if crawler.stats.get_value(key) is None:
        crawler.stats.set_value(key, detail[:300])
        logger.error("job error (%s): %s", kind, detail[:300])


def job_errors(stats: dict[str, object]) -> dict[str, str]:
    return {key[len(PREFIX):]: str(value) for key, value in sorted(stats.items()) if key.startswith(PREFIX)}
