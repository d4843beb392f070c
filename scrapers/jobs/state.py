"""A crawl job's identity and state, kept in ``JOBDIR/presswire-job.json`` so a resumed job keeps its id."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from pathlib import Path


def job_identity(jobdir: str | None, configured_id: str | None) -> tuple[str, dt.datetime]:
    """The job id and start time; a job resumed from JOBDIR keeps the ones it started with."""
    record = Path(jobdir) / JOB_RECORD if jobdir else None
    if record is not None and record.exists():
        saved = json.loads(record.read_text("utf-8"))
        if saved.get("state") == "interrupted":
            mark_job(jobdir, "running")
        return saved["job_id"], dt.datetime.fromisoformat(saved["started_at"])
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    job_id = configured_id or f"{started_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    if record is not None:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"job_id": job_id, "started_at": started_at.isoformat(), "state": "running"}),
                          "utf-8")
    return job_id, started_at


JOB_RECORD = "presswire-job.json"


def finish_job(jobdir: str | None) -> None:
    """A job that ran to its end is not resumed: a later run in the same JOBDIR gets a new id."""
    if jobdir:
        (Path(jobdir) / JOB_RECORD).unlink(missing_ok=True)


def job_state(jobdir: str | None) -> str | None:
    """'running' (also after a kill: nothing marked it otherwise), 'interrupted', or None."""
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
    tmp = record.with_suffix(".tmp")
    tmp.write_text(json.dumps(saved), "utf-8")
    os.replace(tmp, record)
