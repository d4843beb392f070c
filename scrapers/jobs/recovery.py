"""Resuming a JOBDIR job after a kill (SIGKILL, power loss), not just after Ctrl-C.

Scrapy's disk queue and dupefilter are written for a clean stop; after a kill they may be stale
or torn. Our own partial dump and failures file are written line by line and flushed, so they say
exactly which articles are done: the job restarts discovery and skips those.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler

from scrapers.jobs.files import partial_path, read_records, run_files
from scrapers.jobs.state import job_state

_SCRAPY_JOB_FILES = ("requests.queue", "requests.seen", "spider.state")


def recover_killed_job(crawler: Crawler, spider: Spider) -> set[str]:
    """URLs a killed job already handled; empty when there is nothing to recover."""
    jobdir = crawler.settings.get("JOBDIR")
    if job_state(jobdir) != "running":
        return set()
    for name in _SCRAPY_JOB_FILES:
        path = Path(jobdir) / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    files = run_files(crawler, spider)
    done = _urls_in(partial_path(files.dump)) | _urls_in(partial_path(files.failures))
    spider.logger.warning("job %s was killed: resuming, %d pages already handled", files.job_id, len(done))
    return done


def _urls_in(path: Path) -> set[str]:
    return {record["url"] for record in read_records(path) if record.get("url")}
