"""A crawl job's identity and state, kept in ``JOBDIR/presswire-job.json`` (docs/jobs.md).

States: ``running`` (also after a kill: nothing marked it otherwise), ``interrupted`` (stopped
cleanly, Scrapy's queue kept for the resume), ``closing`` (publication has begun), ``published``
(the manifest is written: the dump is final) and ``failed`` (a write error: nothing published, the
``.part`` files kept). A finished job removes the record and Scrapy's own job files, so the next
run in the same JOBDIR is a new job.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
from pathlib import Path

JOB_RECORD = "presswire-job.json"
# Scrapy's own files in JOBDIR: the disk queue, the dupefilter's fingerprints, spider.state.
SCRAPY_JOB_FILES = ("requests.queue", "requests.seen", "spider.state")


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
