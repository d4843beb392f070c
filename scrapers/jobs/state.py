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
``.part`` and the resumed job appends to it. A job killed after its manifest (state ``published``, or
any state once the manifest the record names exists) is done: the next run in the JOBDIR is a new job.

A JOBDIR belongs to one job until it is published: the record names its owner (spider, output name,
what the crawl locks), and a crawl of another owner is refused (``JobRefused``, exit 2);
``jobs/lock.py`` keeps a second crawl out while one runs (exit 75).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import shutil
from pathlib import Path
from typing import Any

from .files import RunFiles, partial_path, read_records, reclaim_unpublished

logger = logging.getLogger(__name__)

JOB_RECORD = "presswire-job.json"
# Scrapy's own files in JOBDIR: the disk queue, the dupefilter's fingerprints, spider.state.
SCRAPY_JOB_FILES = ("requests.queue", "requests.seen", "spider.state")
RESUMED_AFTER_KILL = ("running", "closing", "failed")


class JobRefused(Exception):
    """The job cannot start: JOBDIR holds an unfinished job of another crawl or a record that cannot be
    read (exit 2, as a configuration error), or cannot be written (exit 1)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def owner_of(spider: str, name: str, crawl: str) -> dict[str, str]:
    """Whose job a JOBDIR holds: the spider, the output name and what the crawl locks (its site config's
    name, else the spider and its start origins: ``jobs/lock.py``)."""
    return {"spider": spider, "name": name, "crawl": crawl}


def read_record(jobdir: str | None) -> dict[str, Any] | None:
    """The job record in JOBDIR, or None when there is none; JobRefused when it cannot be read."""
    record = Path(jobdir) / JOB_RECORD if jobdir else None
    if record is None or not record.exists():
        return None
    try:
        saved = json.loads(record.read_text("utf-8"))
        if not isinstance(saved, dict) or "job_id" not in saved:
            raise ValueError("not a job record")
        return saved
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise JobRefused(f"JOBDIR {jobdir}: {record} cannot be read ({type(err).__name__}); re-run without "
                            f"-s JOBDIR={jobdir} (or with a new, empty one): nothing is lost, the store has not "
                            "counted that job's articles") from None


def check_owner(jobdir: str, owner: dict[str, str]) -> None:
    """A JOBDIR belongs to one job until that job is published: another crawl's job is refused, since
    Scrapy's queue, dupefilter and spider state in it are that job's."""
    saved = read_record(jobdir)
    theirs = saved.get("owner") if saved else None
    if saved is None or not isinstance(theirs, dict) or theirs == owner:
        return  # no job, or this crawl's own (a record of an older version names no owner)
    if _published(saved):
        return  # done: the record is cleared when this crawl starts (killed_job)
    raise JobRefused(
        f"JOBDIR {jobdir} belongs to job {saved['job_id']} of {theirs.get('crawl')} (output {theirs.get('name')}, "
        f"spider {theirs.get('spider')}, {saved.get('state', 'running')}), not to this crawl of {owner['crawl']}: "
        f"give this crawl its own JOBDIR, and finish that job by re-running its crawl with -s JOBDIR={jobdir}")


def resumed_identity(jobdir: str | None) -> tuple[str, dt.datetime] | None:
    """The job id and start time of the job this run resumes from JOBDIR; None for a new job."""
    saved = read_record(jobdir)
    if saved is None:
        return None
    if saved.get("state") in ("interrupted", "closing", "failed"):
        mark_job(jobdir, "running")
    return saved["job_id"], dt.datetime.fromisoformat(saved["started_at"])


def start_job(jobdir: str | None, job_id: str, started_at: dt.datetime, owner: dict[str, str],
              manifest: Path | None) -> None:
    """Record a new job in JOBDIR: its id, start, owner and the manifest that will publish it."""
    if not jobdir:
        return
    record = Path(jobdir) / JOB_RECORD
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(record, {"job_id": job_id, "started_at": started_at.isoformat(), "state": "running",
                                   "owner": owner, "manifest": str(manifest.resolve()) if manifest else None})
    except OSError as err:
        raise JobRefused(f"JOBDIR {jobdir}: the job record cannot be written ({err}); free space there or give "
                         "the crawl another JOBDIR", exit_code=1) from None


def new_job_id(configured_id: str | None, started_at: dt.datetime) -> str:
    return configured_id or f"{started_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


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
    """Move the job to ``state``; OSError when JOBDIR cannot be written (a full disk): the caller decides."""
    record = Path(jobdir) / JOB_RECORD if jobdir else None
    if record is None or not record.exists():
        return
    saved = json.loads(record.read_text("utf-8"))
    saved["state"] = state
    _write_atomically(record, saved)


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data))
        handle.flush()
        os.fsync(handle.fileno())  # a full disk fails here, not after the rename
    os.replace(tmp, path)


def killed_job(jobdir: str | None) -> bool:
    """Whether the job in JOBDIR was stopped by a kill (or a write error) and resumes from its partial
    files; clears what a published or finished job left, so the run starts a new job."""
    if not jobdir:
        return False
    state = job_state(jobdir)
    saved = read_record(jobdir) if state is not None else None
    if saved is not None and _published(saved):
        # the manifest is what publishes a job: a JOBDIR that could not record "published" (a full disk,
        # a kill) must not resume the job and write its files again
        state = "published"
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


def _published(saved: dict[str, Any]) -> bool:
    manifest = saved.get("manifest")
    return saved.get("state") == "published" or bool(manifest and Path(manifest).exists())


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
