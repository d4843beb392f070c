"""Publishing a job, in one order (docs/jobs.md): an article counts as written for later runs only
once it is in a published dump.

closing → pending recorded in the store → dump fsync + rename → failures file fsync + rename →
manifest (temp, fsync, rename, directory fsync) = published → store commit → JOBDIR cleared.
A kill between any two steps is recovered by the same JOBDIR (``jobs/recovery.py``) or by a plain
re-run (the store never claims an article whose dump has no manifest).
"""

from __future__ import annotations

import json
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from scrapers.jobs.errors import job_errors, record_job_error
from scrapers.jobs.faults import kill_point
from scrapers.jobs.files import RunFiles, partial_path, publish, write_atomically
from scrapers.jobs.manifest import build_manifest
from scrapers.jobs.signals import job_closing, job_published
from scrapers.jobs.state import finish_job, mark_job


def publish_job(crawler: Crawler, spider: Spider, files: RunFiles, reason: str) -> dict[str, Any] | None:
    """Publish the job's files; returns the manifest, or None when a write error kept them back."""
    assert crawler.stats is not None
    jobdir = crawler.settings.get("JOBDIR")
    errors = {kind: detail for kind, detail in job_errors(crawler.stats.get_stats()).items() if kind == "write"}
    if errors:
        mark_job(jobdir, "failed")
        spider.logger.error("dump not published, kept as %s: %s", partial_path(files.dump),
                            "; ".join(f"{k}: {v}" for k, v in errors.items()))
        return None
    mark_job(jobdir, "closing")
    kill_point("closing")
    try:
        return _publish(crawler, spider, files, reason, jobdir)
    except OSError as err:
        # disk full, a file-size limit, permissions: a torn file is never published
        record_job_error(crawler, "write", f"publishing {files.dump.name}: {err}")
        mark_job(jobdir, "failed")
        return None


def _publish(crawler: Crawler, spider: Spider, files: RunFiles, reason: str, jobdir: str | None) -> dict[str, Any]:
    assert crawler.stats is not None
    crawler.signals.send_catch_log(signal=job_closing, files=files, spider=spider)
    kill_point("pending_recorded")
    publish(files.dump, files.gzip)
    kill_point("dump_published")
    publish(files.failures)
    kill_point("failures_published")
    manifest = build_manifest(files, spider, reason, crawler.stats.get_stats())
    data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    write_atomically(files.manifest, data, fault_point="manifest_temp")
    mark_job(jobdir, "published")
    kill_point("manifest_published")
    crawler.signals.send_catch_log(signal=job_published, files=files, spider=spider)
    kill_point("store_committed")
    finish_job(jobdir)
    return manifest
