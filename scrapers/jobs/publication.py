"""Publishing a run, in one order (docs/jobs.md), and the manifest published beside each dump: an
article counts as written for later runs only once it is in a published dump.

closing → the ``.part`` checked against what the run wrote (lines, and every id the store will count)
→ pending recorded in the store → dump fsync + rename → failures file fsync + rename →
manifest (temp, fsync, rename, directory fsync) = published → store commit → JOBDIR cleared.
A run that wrote no article publishes no dump (an hourly no-change job would leave 24 empty files a
day in the data teams' glob): its manifest, with ``"dump": null`` and ``"lines": 0``, records the run
and its counts, and promotes its store entries (unchanged articles' fetch times) like any other.
A kill between any two steps is recovered by the same JOBDIR (``jobs/state.py``) or by a plain
re-run (the store never claims an article whose dump has no manifest). A file that no longer holds
what the run wrote (a ``.part`` deleted, cut or replaced; a dump deleted as it is published) fails
the run with nothing published or claimed (``LostOutput``), so a re-run writes those articles again.
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


class LostOutput(Exception):
    """A file of the job no longer holds what the run wrote (deleted, cut or replaced meanwhile)."""


AGAIN = "none counted as written: re-run the crawl to write them again"


def publish_run(run: Run, reason: str, jobdir: str | None, closing: Callable[[], list[dict[str, Any]]]
                ) -> dict[str, Any] | None:
    """Publish the run's files; returns the manifest, or None when a write error or a lost file kept them
    back. ``closing`` runs first (the WARC recorder publishes its archive) and gives the files it published."""
    files = run.files
    assert files is not None
    part = partial_path(files.dump)
    if "write" in run.errors:
        _mark(run, jobdir, "failed")
        logger.error("dump not published, kept as %s: write: %s", part, run.errors["write"])
        return None
    try:
        mark_job(jobdir, "closing")
    except OSError as err:  # the JOBDIR's disk is full: a failure like the dump's, nothing published
        run.error("jobdir", f"JOBDIR {jobdir} cannot be written ({err}): nothing published, the dump kept as {part}; "
                            "free space there and re-run the same command")
        return None
    kill_point("closing")
    try:
        check_part(run, part)
        check_failures(run, partial_path(files.failures))
        run.versions.pending(files)
        published = closing()
        kill_point("pending_recorded")
        if run.counts.written:
            publish(files.dump, files.gzip)
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
        size = files.dump.stat().st_size if manifest["dump"] else 0  # checked again before the store commit
        data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        write_atomically(files.manifest, data, fault_point="manifest_temp")
    except LostOutput as err:
        run.error("lost", f"{err}: nothing published; {AGAIN}")
        _mark(run, jobdir, "failed")
        return None
    except OSError as err:
        # disk full, a file-size limit, permissions: a torn file is never published
        run.error("write", f"publishing {files.dump.name}: {err}")
        _mark(run, jobdir, "failed")
        return None
    if not run.counts.written:
        part.unlink(missing_ok=True)  # the name's claim (files.claim_job_files), kept until the manifest
    run.manifest = manifest
    try:
        mark_job(jobdir, "published")
    except OSError as err:  # the manifest publishes the job; the JOBDIR record only follows it
        run.error("jobdir", f"JOBDIR {jobdir} cannot be written ({err}); the dump was published")
    kill_point("manifest_published")
    if manifest["dump"] is not None and not _unchanged(files.dump, size):
        run.error("lost", f"{files.dump} was deleted or replaced right after its manifest: {AGAIN}")
    else:
        run.versions.published(files)
    kill_point("store_committed")
    if run.health is not None:
        run.health.remember(files.job_id, manifest["finished_at"])
    try:
        finish_job(jobdir)
    except OSError as err:
        run.error("jobdir", f"JOBDIR {jobdir}: {err}; the dump was published")
    return manifest


def _mark(run: Run, jobdir: str | None, state: str) -> None:
    try:
        mark_job(jobdir, state)
    except OSError as err:
        run.error("jobdir", f"JOBDIR {jobdir} cannot be written ({err})")


def check_part(run: Run, part: Path) -> None:
    """Before anything is published or claimed: the dump's ``.part`` holds every line this run wrote, and
    every article the store will count as written (LostOutput names what is missing)."""
    expected = run.versions.written_ids()
    written = run.counts.written
    lines, found = 0, set()
    try:
        with open(part, "rb") as handle:
            for line in handle:
                lines += 1
                if expected:
                    try:
                        found.add(json.loads(line).get("id"))
                    except (ValueError, AttributeError):
                        continue
    except FileNotFoundError:
        if written or expected:
            raise LostOutput(f"{part} was deleted during the crawl ({written} articles written)") from None
        return
    missing = len(expected - found)
    if lines != written or missing:
        raise LostOutput(f"{part} holds {lines} lines of the {written} articles written"
                         + (f", {missing} of them missing" if missing else "") + ": cut or replaced during the crawl")


def check_failures(run: Run, part: Path) -> None:
    """The failures file's ``.part`` holds every failure line this run wrote: the manifest counts them."""
    try:
        with open(part, "rb") as handle:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except FileNotFoundError:
        lines = 0
    if lines != run.failure_lines:
        raise LostOutput(f"{part} holds {lines} of the {run.failure_lines} failure lines written: deleted, cut or "
                         "replaced during the crawl")


def _unchanged(dump: Path, size: int) -> bool:
    try:
        return dump.stat().st_size == size
    except OSError:
        return False


def crawl_manifest(run: Run, reason: str, published: list[dict[str, Any]]) -> dict[str, Any]:
    """What the job did (``Run.counts``, the same counts the summary line and the exit code read), its
    times and versions, and the dump's sha256 and line count."""
    files = run.files
    assert files is not None
    sha, lines = None, 0
    if run.counts.written:
        try:
            sha, lines = file_digest(files.dump, files.gzip)
        except FileNotFoundError:
            raise LostOutput(f"{files.dump} vanished as it was published") from None
        if lines != run.counts.written:
            raise LostOutput(f"{files.dump} holds {lines} lines of the {run.counts.written} articles written: "
                             "replaced as it was published")
    window = run.window
    return {
        "spider": run.spec.spider,
        "site": run.spec.site,
        "job_id": files.job_id,
        "started_at": files.started_at.isoformat(),
        "finished_at": now_iso(),
        "finish_reason": reason,
        "dump": files.dump.name if run.counts.written else None,  # None: no article, no dump
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
