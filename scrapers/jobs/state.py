"""A crawl job's identity and state, kept in ``JOBDIR/presswire-job.json`` (docs/jobs.md).

States: ``running`` (also after a kill: nothing marked it otherwise), ``interrupted`` (stopped
cleanly, Scrapy's queue kept for the resume), ``closing`` (publication has begun), ``published``
(the manifest is written: the dump is final) and ``failed`` (a write error: nothing published, the
``.part`` files kept). A finished job removes the record and Scrapy's own job files, so the next
run in the same JOBDIR is a new job.

Resuming after a kill (SIGKILL, power loss), not just after Ctrl-C: Scrapy's disk queue and dupefilter
are written for a clean stop; after a kill they may be stale or torn. Our own partial dump and failures
file are written line by line and flushed, so they say exactly which articles are done: the job restarts
discovery and skips those. A kill during publication (state ``closing``) may leave the dump under its
final name without a manifest: not published (only files with a manifest are), so it goes back to
``.part`` and the resumed job appends to it. A job killed after its manifest (state ``published``) is
done: the next run in the JOBDIR is a new job.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import shutil
from pathlib import Path

from .files import RunFiles, partial_path, read_records, reclaim_unpublished

logger = logging.getLogger(__name__)

JOB_RECORD = "presswire-job.json"
# Scrapy's own files in JOBDIR: the disk queue, the dupefilter's fingerprints, spider.state.
SCRAPY_JOB_FILES = ("requests.queue", "requests.seen", "spider.state")
RESUMED_AFTER_KILL = ("running", "closing", "failed")


def job_identity(jobdir: str | None, configured_id: str | None) -> tuple[str, dt.datetime]:
    """The job id and start time; a job resumed from JOBDIR keeps the ones it started with."""
    record = Path(jobdir) / JOB_RECORD if jobdir else None
    if record is not None and record.exists():
        saved = json.loads(record.read_text("utf-8"))
        if saved.get("state") in ("interrupted", "closing", "failed"):
            mark_job(jobdir, "running")
        return saved["job_id"], dt.datetime.fromisoformat(saved["started_at"])
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    job_id = configured_id or f"{started_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    if record is not None:
        record.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(record, {"job_id": job_id, "started_at": started_at.isoformat(), "state": "running"})
    return job_id, started_at


def finish_job(jobdir: str | None) -> None:
    """A published job is not resumed: a later run in the same JOBDIR is a new job, with a new id
    and without the old dupefilter (which would call every URL already seen)."""
    if jobdir:
        clear_scrapy_files(jobdir)
        (Path(jobdir) / JOB_RECORD).unlink(missing_ok=True)


def clear_scrapy_files(jobdir: str) -> None:
    for name in SCRAPY_JOB_FILES:
        path = Path(jobdir) / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def job_state(jobdir: str | None) -> str | None:
    """The state of the job in JOBDIR, or None when there is none."""
    record = Path(jobdir) / JOB_RECORD if jobdir else None
    if record is None or not record.exists():
        return None
    try:
        return json.loads(record.read_text("utf-8")).get("state", "running")
    except ValueError:
        return "running"


def mark_job(jobdir: str | None, state: str) -> None:
    record = Path(jobdir) / JOB_RECORD if jobdir else None
    if record is None or not record.exists():
        return
    saved = json.loads(record.read_text("utf-8"))
    saved["state"] = state
    _write_atomically(record, saved)


def _write_atomically(path: Path, data: dict[str, str]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), "utf-8")
    os.replace(tmp, path)


def killed_job(jobdir: str | None) -> bool:
    """Whether the job in JOBDIR was stopped by a kill (or a write error) and resumes from its partial
    files; clears what a published or finished job left, so the run starts a new job."""
    if not jobdir:
        return False
    state = job_state(jobdir)
    if state == "published":
        logger.info("the job in %s was published before it was stopped: starting a new job", jobdir)
        finish_job(jobdir)
        return False
    if state is None:
        if any((Path(jobdir) / name).exists() for name in SCRAPY_JOB_FILES):
            # left by a finished job of an older version, or by a job whose record was removed:
            # Scrapy's dupefilter would call every URL seen and the new job would fetch nothing
            logger.info("JOBDIR %s holds a finished job's queue: starting a new job", jobdir)
            clear_scrapy_files(jobdir)
        return False
    return state in RESUMED_AFTER_KILL


def recover_killed_job(jobdir: str, files: RunFiles) -> set[str]:
    """Take a killed job's files back (``killed_job``): URLs it already handled."""
    clear_scrapy_files(jobdir)
    reclaim_unpublished(files.dump, files.manifest, files.gzip)
    reclaim_unpublished(files.failures, files.manifest, False)
    done = _urls_in(partial_path(files.dump)) | _urls_in(partial_path(files.failures))
    logger.warning("job %s was killed: resuming, %d pages already handled", files.job_id, len(done))
    return done


def _urls_in(path: Path) -> set[str]:
    return {record["url"] for record in read_records(path) if record.get("url")}
