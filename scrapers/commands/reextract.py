"""scrapy reextract output/<name>/<date>/<job>.jsonl : run the current extractor again over the
pages a job archived (``<job>.warc.gz`` beside it, ``WARC_ENABLED=1``), nothing fetched.

The pages re-extracted are those the job extracted: its records' archived responses and the
URLs its failures file lists at the extract or validate stage (all HTML 200 responses when only
a WARC is given). The new dump keeps each record's ``id`` (matched through ``warc_record_id``, else the id) and
raises ``version`` by one where the record changed; unchanged records are written as they are
with their version. Pages the old dump had no record for come out with version 1. The new
dump, its failures file and its manifest (naming the source job and the extractor version) are
published the way a crawl's are: ``<job>.reextract-<UTC time>.*`` beside the source.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
from pathlib import Path
from typing import Any

import trafilatura
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

import scrapers
from scrapers.archives.extract import page_failure
from scrapers.archives.recorder import warc_path
from scrapers.archives.select import PageFilter
from scrapers.commands.program import one_line_errors
from scrapers.commands.warc_extract import dumps, extract_warcs
from scrapers.jobs.files import failures_path, job_stem, manifest_path, open_partial, publish, read_records
from scrapers.jobs.manifest import write_file_manifest

# Fields that say when and by whom a page was fetched: a re-extraction does not change them.
KEPT_FIELDS = ("fetched_at", "spider", "site")


def locate(path: Path) -> tuple[Path | None, Path]:
    """(source dump or None, WARC) from either of them."""
    name = path.name
    if name.endswith((".warc.gz", ".warc")):
        stem = name.removesuffix(".gz").removesuffix(".warc")
        dump = next((p for p in (path.with_name(stem + ".jsonl"), path.with_name(stem + ".jsonl.gz")) if p.exists()),
                    None)
        return dump, path
    # a crawl's dump has <job>.warc.gz beside it; a reextract's (<job>.reextract-<time>.jsonl, or
    # -o elsewhere) names its source WARC in its manifest: versions build on each other
    candidates = [warc_path(path), path.with_name(path.name.split(".")[0] + ".warc.gz")]
    manifest = manifest_path(path)
    if manifest.exists():
        source = json.loads(manifest.read_text("utf-8")).get("source_warc")
        if source:
            candidates.insert(0, path.parent / source)
    warc = next((c for c in candidates if c.is_file()), None)
    if warc is None:
        raise UsageError(f"no archive beside {path}: expected {candidates[-1].name} (crawl with -s WARC_ENABLED=1)")
    return path, warc


def comparable(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("version", *KEPT_FIELDS)}


class Reversioner:
    """Matches new records to the source dump's and numbers their versions."""

    def __init__(self, old_records: list[dict[str, Any]]) -> None:
        self.by_warc = {r["warc_record_id"]: r for r in old_records if r.get("warc_record_id")}
        self.by_id = {r["id"]: r for r in old_records if r.get("id")}
        self.counts = {"changed": 0, "unchanged": 0, "new": 0}

    def apply(self, record: dict[str, Any]) -> dict[str, Any]:
        old = self.by_warc.get(record.get("warc_record_id")) or self.by_id.get(record.get("id"))
        if old is None:
            record["version"] = 1
            self.counts["new"] += 1
            return record
        record["id"] = old["id"]
        for name in KEPT_FIELDS:
            if name in old:
                record[name] = old[name]
        version = int(old.get("version") or 1)
        changed = comparable(record) != comparable(old)
        record["version"] = version + 1 if changed else version
        self.counts["changed" if changed else "unchanged"] += 1
        return record


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "DUMP.jsonl | JOB.warc.gz [-o new.jsonl]"

    def short_desc(self) -> str:
        return "Re-extract a job's archived pages (its WARC) into a new dump version; nothing is fetched"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "reextract")
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="the new dump (default: <job>.reextract-<UTC time>.jsonl beside the source)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one dump (.jsonl) or one WARC file")
        source = Path(args[0])
        if source.is_dir():
            raise UsageError(f"{source} is a folder: give one job's dump (its .jsonl) or WARC file in it")
        if not source.is_file():
            raise UsageError(f"no such file: {source}")
        dump, warc = locate(source)
        old = list(read_dump(dump)) if dump else []
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        job = (dump or warc).name.split(".")[0]
        # the source's compression is kept: .jsonl.gz in, .jsonl.gz out
        suffix = ".jsonl.gz" if dump is not None and dump.name.endswith(".gz") else ".jsonl"
        out = Path(opts.output) if opts.output else (dump or warc).with_name(f"{job}.reextract-{stamp}{suffix}")
        failures = failures_path(out)
        versions = Reversioner(old)
        started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        seen: set[str] = set()

        def write(record: dict[str, Any]) -> None:
            seen.add(record.get("warc_record_id") or "")
            out_handle.write(dumps(versions.apply(record)).encode("utf-8"))

        def fail(entry: dict[str, Any]) -> None:
            seen.add(entry.get("warc_record_id") or "")
            fail_handle.write(dumps(entry).encode("utf-8"))
            if entry.get("stage") == "archive":  # the WARC itself: named on stderr too
                print(f"scrapy reextract: {entry['url']}: {entry['reason']}: {entry['detail']}", file=sys.stderr)

        with open_partial(out) as out_handle, open_partial(failures) as fail_handle:
            assert self.settings is not None
            counts = extract_warcs([warc], self.settings, PageFilter(only=job_pages(dump, old)), write, fail,
                                   spider="reextract")
            # every record of the source that did not come back says why
            for entry in unmatched(old, seen, warc.name):
                fail(entry)
                counts.failed += 1
        publish(out, use_gzip=out.name.endswith(".gz"))
        publish(failures)
        manifest = write_file_manifest(
            out, "reextract", started,
            {**versions.counts, "failures": counts.failed, "skipped": dict(sorted(counts.skipped.items()))},
            failures_file=failures, source_job=job, source_dump=dump.name if dump else None,
            source_warc=warc.name,
            extractor_version={"presswire": scrapers.__version__, "trafilatura": trafilatura.__version__},
        )
        lines = manifest["lines"]
        print(f"{lines} articles written to {out} ({versions.counts['changed']} changed, "
              f"{versions.counts['unchanged']} unchanged, {versions.counts['new']} new), "
              f"{counts.failed} failed", file=sys.stderr)
        if counts.failed:  # some page of the source did not come back (each has a failure line)
            self.exitcode = 1


def job_pages(dump: Path | None, old: list[dict[str, Any]]) -> frozenset[str] | None:
    """The pages the job sent to extraction: its records' WARC-Record-IDs and the URLs that failed
    extraction or validation (the current extractor may do better). None: every archived page."""
    if dump is None:
        return None
    wanted = {r["warc_record_id"] for r in old if r.get("warc_record_id")}
    # dumps published before the data-team layout have <job>.failures.jsonl
    older = dump.with_name(job_stem(dump) + ".failures.jsonl")
    for entry in read_records(failures_path(dump) if failures_path(dump).exists() else older):
        if entry.get("stage") in ("extract", "validate") and entry.get("url"):
            wanted.add(entry["url"])
    return frozenset(wanted)


def unmatched(old: list[dict[str, Any]], seen: set[str], warc: str) -> list[dict[str, Any]]:
    """Failure lines for the source's records that were not re-extracted: no ``warc_record_id``
    (extracted without an archive) or an id the WARC does not hold."""
    missing = []
    for record in old:
        record_id = record.get("warc_record_id")
        if record_id in seen:
            continue
        reason, detail = ("no_warc_record", "the record has no warc_record_id: its page was not archived") \
            if not record_id else ("not_in_archive", f"{warc} holds no response {record_id}")
        missing.append(page_failure(record.get("url") or "", "reextract", reason, detail,
                                    warc_record_id=record_id, id=record.get("id")))
    return missing


def read_dump(path: Path) -> list[dict[str, Any]]:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    return list(read_records(path))

