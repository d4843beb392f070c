"""Resuming a JOBDIR job after a kill (SIGKILL, power loss), not just after Ctrl-C.

Scrapy's disk queue and dupefilter are written for a clean stop; after a kill they may be stale
or torn. Our own partial dump and failures file are written line by line and flushed, so they say
exactly which articles are done: the job restarts discovery and skips those.

A kill during publication (state ``closing``) may leave the dump under its final name without a
manifest: not published (README: only files with a manifest are), so it goes back to ``.part``
and the resumed job appends to it. A job killed after its manifest (state ``published``) is done:
the next run in the JOBDIR is a new job.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler

from scrapers.jobs.files import partial_path, read_records, reclaim_unpublished, run_files
from scrapers.jobs.state import SCRAPY_JOB_FILES, clear_scrapy_files, finish_job, job_state

RESUMED_AFTER_KILL = ("running", "closing", "failed")


def recover_killed_job(crawler: Crawler, spider: Spider) -> set[str]:
    """URLs a killed job already handled; empty when there is nothing to recover."""
    jobdir = crawler.settings.get("JOBDIR")
    if not jobdir:
        return set()
    state = job_state(jobdir)
    if state == "published":
        spider.logger.info("the job in %s was published before it was stopped: starting a new job", jobdir)
        finish_job(jobdir)
        return set()
    if state is None:
        if any((Path(jobdir) / name).exists() for name in SCRAPY_JOB_FILES):
            # left by a finished job of an older version, or by a job whose record was removed:
            # Scrapy's dupefilter would call every URL seen and the new job would fetch nothing
            spider.logger.info("JOBDIR %s holds a finished job's queue: starting a new job", jobdir)
            clear_scrapy_files(jobdir)
        return set()
    if state not in RESUMED_AFTER_KILL:
        return set()
    clear_scrapy_files(jobdir)
    files = run_files(crawler, spider)
    reclaim_unpublished(files.dump, files.manifest, files.gzip)
    reclaim_unpublished(files.failures, files.manifest, False)
    done = _urls_in(partial_path(files.dump)) | _urls_in(partial_path(files.failures))
    spider.logger.warning("job %s was killed: resuming, %d pages already handled", files.job_id, len(done))
    return done


def _urls_in(path: Path) -> set[str]:
    return {record["url"] for record in read_records(path) if record.get("url")}
