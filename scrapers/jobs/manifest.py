"""The manifest published beside each dump: what the job did, counted, and the dump's digest."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy import Spider

import scrapers
from scrapers.extraction import SCHEMA_VERSION
from scrapers.jobs.digest import file_digest
from scrapers.jobs.files import RunFiles, manifest_path, partial_path, read_records, write_atomically

# failures-file stages that are refused records, not failed pages
DROP_STAGES = {"validate", "window"}


def build_manifest(files: RunFiles, spider: Spider, reason: str, stats: dict[str, Any]) -> dict[str, Any]:
    """The manifest of a published dump: counts (from the failures file, so a resumed job's manifest
    covers every session of the job), times, versions, and the dump's sha256 and line count."""
    failures, refused = failure_counts(files)
    dropped = _by_reason(stats, "presswire/dropped/")
    duplicates = sum(v for k, v in dropped.items() if k.startswith("duplicate"))
    unchanged = dropped.get("unchanged", 0)
    sha, lines = file_digest(files.dump, files.gzip)
    return {
        "spider": spider.name,
        "site": getattr(spider, "site_name", None),
        "job_id": files.job_id,
        "started_at": files.started_at.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "finish_reason": reason,
        "dump": files.dump.name,
        "failures_file": files.failures.name,
        "counts": {
            "pages_fetched": stats.get("response_received_count", 0),
            "articles_written": lines,
            "duplicates": duplicates,
            "unchanged": unchanged,
            "dropped": sum(refused.values()),
            "dropped_by_reason": refused,
            "failures": sum(failures.values()),
            "failures_by_reason": failures,
            # incremental discovery and the date window (spiders/news.py): URLs never requested
            "sitemaps_read": stats.get("presswire/discovery/sitemaps_read", 0),
            "urls_listed": stats.get("presswire/discovery/urls_listed", 0),
            "article_requests": stats.get("presswire/discovery/article_requests", 0),
            "skipped_unchanged": stats.get("presswire/skipped/unchanged", 0),
            "out_of_window": stats.get("presswire/skipped/out_of_window", 0) + refused.get("out_of_window", 0),
        },
        # discovery budgets reached (SITEMAP_MAX_DEPTH, SITEMAP_MAX_COUNT, NEWS_MAX_ARTICLE_REQUESTS):
        # how many sitemaps or URLs each one left for a later run
        "budgets": _by_reason(stats, "presswire/budget/"),
        "window": {"since": _iso(getattr(spider, "window", None), "since"),
                   "until": _iso(getattr(spider, "window", None), "until")},
        "schema_version": SCHEMA_VERSION,
        "project_version": scrapers.__version__,
        "sha256": sha,
        "lines": lines,
        # files other components published with the job (the WARC archive), each with its
        # sha256: they put {"file", "kind", "sha256", "records"} entries in this stat
        "files": list(stats.get("presswire/published_files", [])),
    }


def failure_counts(files: RunFiles) -> tuple[dict[str, int], dict[str, int]]:
    """(failures, validation drops) by reason, counted from the failures file itself, so a
    resumed job's manifest covers every session of the job."""
    path = files.failures if files.failures.exists() else partial_path(files.failures)
    failures: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    for entry in read_records(path):
        (dropped if entry.get("stage") in DROP_STAGES else failures)[entry.get("reason", "unknown")] += 1
    return dict(sorted(failures.items())), dict(sorted(dropped.items()))


def _iso(window: Any, side: str) -> str | None:
    value = getattr(window, side, None)
    return value.isoformat() if value is not None else None


def _by_reason(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {key[len(prefix):]: value for key, value in sorted(stats.items()) if key.startswith(prefix)}


def write_file_manifest(dump: Path, kind: str, started_at: dt.datetime, counts: dict[str, Any],
                        failures_file: Path | None = None, **fields: Any) -> dict[str, Any]:
    """Publish the manifest of a dump written outside a crawl (``scrapy extract -o``, ``reextract``):
    ``<stem>.manifest.json`` beside it, written atomically, with the same digest fields as a crawl's,
    so ``scrapy validate`` checks such a dump like any other. Returns the manifest written."""
    sha, lines = file_digest(dump, dump.suffix == ".gz")
    manifest = manifest_path(dump)
    document = {
        "kind": kind,
        **fields,
        "started_at": started_at.isoformat(),
        "finished_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "dump": dump.name,
        "failures_file": failures_file.name if failures_file else None,
        "counts": {"articles_written": lines, **counts},
        "schema_version": SCHEMA_VERSION,
        "project_version": scrapers.__version__,
        "sha256": sha,
        "lines": lines,
    }
    write_atomically(manifest, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return document
