"""Where one crawl run writes: the dump, its failures file and its manifest share one stem."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from scrapy import Spider
from scrapy.crawler import Crawler


@dataclass(frozen=True)
class RunFiles:
    job_id: str
    started_at: dt.datetime
    dump: Path
    failures: Path
    manifest: Path
    gzip: bool


def run_files(crawler: Crawler, spider: Spider) -> RunFiles:
    """The run's files, decided once per crawler so every component agrees on them."""
    existing = getattr(crawler, "_presswire_run_files", None)
    if existing is not None:
        return existing
    settings = crawler.settings
    state = getattr(spider, "state", None)  # persisted in JOBDIR: a resumed job keeps its id
    started_at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    job_id = settings.get("JOB_ID") or os.environ.get("SCRAPY_JOB")
    if isinstance(state, dict) and state.get("presswire_job_id"):
        job_id = state["presswire_job_id"]
        started_at = dt.datetime.fromisoformat(state["presswire_started_at"])
    job_id = job_id or f"{started_at:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    if isinstance(state, dict):
        state["presswire_job_id"] = job_id
        state["presswire_started_at"] = started_at.isoformat()
    use_gzip = settings.getbool("JSONL_GZIP")
    name = getattr(spider, "output_name", spider.name)
    relative = settings.get("JSONL_PATH_PATTERN").format(name=name, date=f"{started_at:%Y-%m-%d}", job_id=job_id)
    dump = Path(settings.get("JSONL_ROOT")) / relative
    stem = dump.with_suffix("")  # drop .jsonl
    files = RunFiles(
        job_id=job_id,
        started_at=started_at,
        dump=dump.with_name(dump.name + ".gz") if use_gzip else dump,
        failures=stem.with_name(stem.name + ".failures.jsonl"),
        manifest=stem.with_name(stem.name + ".manifest.json"),
        gzip=use_gzip,
    )
    crawler._presswire_run_files = files  # type: ignore[attr-defined]
    return files


def partial_path(path: Path) -> Path:
    """Records go to NAME.part while the run lasts; the final name appears only when complete."""
    return path.with_name(path.name + ".part")


def open_append(path: Path, use_gzip: bool) -> IO[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if use_gzip:
        return gzip.open(path, "ab")  # gzip members concatenate: appending after a resume is valid
    return open(path, "ab")


def publish(path: Path) -> None:
    """Atomically move NAME.part to NAME (fsync first so a crash never leaves a torn file)."""
    part = partial_path(path)
    if not part.exists():
        return
    with open(part, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(part, path)
