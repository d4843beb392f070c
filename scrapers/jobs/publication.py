"""Publishing a run, in one order (docs/jobs.md), and the manifest published beside each dump: an
article counts as written for later runs only once it is in a published dump.

closing → pending recorded in the store → dump fsync + rename → failures file fsync + rename →
manifest (temp, fsync, rename, directory fsync) = published → store commit → JOBDIR cleared.
A run that wrote no article publishes no dump (an hourly no-change job would leave 24 empty files a
day in the data teams' glob): its manifest, with ``"dump": null`` and ``"lines": 0``, records the run
and its counts, and promotes its store entries (unchanged articles' fetch times) like any other.
A kill between any two steps is recovered by the same JOBDIR (``jobs/state.py``) or by a plain
re-run (the store never claims an article whose dump has no manifest).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__
from ..extraction import SCHEMA_VERSION
from .counts import Counts
from .faults import kill_point
from .files import file_digest, manifest_path, partial_path, publish, write_atomically
from .run import Run, now_iso
from .state import finish_job, mark_job

logger = logging.getLogger(__name__)


def publish_run(run: Run, reason: str, jobdir: str | None, closing: Callable[[], list[dict[str, Any]]]
                ) -> dict[str, Any] | None:
    """Publish the run's files; returns the manifest, or None when a write error kept them back.
    ``closing`` runs first (the WARC recorder publishes its archive) and gives the files it published."""
    files = run.files
    assert files is not None
    if "write" in run.errors:
        mark_job(jobdir, "failed")
        logger.error("dump not published, kept as %s: write: %s", partial_path(files.dump), run.errors["write"])
        return None
    mark_job(jobdir, "closing")
    kill_point("closing")
    try:
        run.versions.pending(files)
        published = closing()
        kill_point("pending_recorded")
        if has_lines(partial_path(files.dump)):
            publish(files.dump, files.gzip)
        else:
            partial_path(files.dump).unlink(missing_ok=True)
        kill_point("dump_published")
        publish(files.failures)
        kill_point("failures_published")
        if run.health is not None:
            try:
                run.health.judge(run.counts.manifest(), files.job_id)
            except Exception as err:  # a fault in the check fails the run loudly, never costs the dump its manifest
                run.error("health", f"{type(err).__name__}: {err}")
                run.health = None
        manifest = crawl_manifest(run, reason, published)
        data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        write_atomically(files.manifest, data, fault_point="manifest_temp")
    except OSError as err:
        # disk full, a file-size limit, permissions: a torn file is never published
        run.error("write", f"publishing {files.dump.name}: {err}")
        mark_job(jobdir, "failed")
        return None
    mark_job(jobdir, "published")
    kill_point("manifest_published")
    run.versions.published(files)
    kill_point("store_committed")
    if run.health is not None:
        run.health.remember(files.job_id, manifest["finished_at"])
    finish_job(jobdir)
    return manifest


def has_lines(part: Path) -> bool:
    try:
        return part.stat().st_size > 0
    except FileNotFoundError:
        return False


def crawl_manifest(run: Run, reason: str, published: list[dict[str, Any]]) -> dict[str, Any]:
    """What the job did (``Run.counts``, the same counts the summary line and the exit code read), its
    times and versions, and the dump's sha256 and line count."""
    files = run.files
    assert files is not None
    sha, lines = file_digest(files.dump, files.gzip) if files.dump.exists() else (None, 0)
    window = run.window
    return {
        "spider": run.spec.spider,
        "site": run.spec.site,
        "job_id": files.job_id,
        "started_at": files.started_at.isoformat(),
        "finished_at": now_iso(),
        "finish_reason": reason,
        "dump": files.dump.name if files.dump.exists() else None,  # None: no article, no dump
        "failures_file": files.failures.name,
        "counts": run.counts.manifest(),
        # discovery budgets reached (SITEMAP_MAX_DEPTH, SITEMAP_MAX_COUNT, NEWS_MAX_ARTICLE_REQUESTS):
        # how many sitemaps or URLs each one left for a later run
        "budgets": dict(sorted(run.counts.budgets.items())),
        "window": {"since": window.since.isoformat() if window.since else None,
                   "until": window.until.isoformat() if window.until else None},
        "schema_version": SCHEMA_VERSION,
        "project_version": __version__,
        "sha256": sha,
        "lines": lines,
        # files published with the job (the WARC archive), each {"file", "kind", "sha256", "records"}
        "files": published,
        # site health (scrapers/health): this run measured, and its findings against the site's normal
        **({"health": run.health.entry()} if run.health is not None and run.health.block is not None else {}),
    }


def write_file_manifest(dump: Path, kind: str, started_at: dt.datetime, counts: Counts,
                        failures_file: Path | None = None, extra_counts: dict[str, Any] | None = None,
                        **fields: Any) -> dict[str, Any]:
    """Publish the manifest of a dump written outside a crawl (``scrapy extract -o``, ``reextract``):
    ``<stem>.manifest.json`` beside it, written atomically, with the same counts and digest fields as a
    crawl's, so ``scrapy validate`` checks such a dump like any other. A run that wrote no article
    publishes no dump: ``"dump": null``, as a crawl's. Returns the manifest written."""
    sha, lines = file_digest(dump, dump.suffix == ".gz") if dump.exists() else (None, 0)
    document = {
        "kind": kind,
        **fields,
        "started_at": started_at.isoformat(),
        "finished_at": now_iso(),
        "dump": dump.name if dump.exists() else None,
        "failures_file": failures_file.name if failures_file else None,
        "counts": {**counts.manifest(), **(extra_counts or {})},
        "schema_version": SCHEMA_VERSION,
        "project_version": __version__,
        "sha256": sha,
        "lines": lines,
    }
    write_atomically(manifest_path(dump), (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return document
