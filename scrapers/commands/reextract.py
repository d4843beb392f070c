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
from scrapers.archives.recorder import warc_path
from scrapers.archives.select import PageFilter
from scrapers.commands.warc_extract import extract_warcs
from scrapers.jobs.files import failures_path, job_stem, open_partial, publish, read_records
from scrapers.jobs.publication import write_file_manifest
from scrapers.jobs.run import Run, RunSpec, dumps
from scrapers.jobs.versions import SourceVersions


def locate(path: Path) -> tuple[Path | None, Path]:
    """(source dump or None, WARC) from either of them."""
    name = path.name
    if name.endswith((".warc.gz", ".warc")):
        stem = name.removesuffix(".gz").removesuffix(".warc")
        dump = next((p for p in (path.with_name(stem + ".jsonl"), path.with_name(stem + ".jsonl.gz")) if p.exists()),
                    None)
        return dump, path
    warc = warc_path(path)
    if not warc.exists():
        raise UsageError(f"no archive beside {path}: expected {warc.name} (crawl with -s WARC_ENABLED=1)")
    return path, warc


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
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="the new dump (default: <job>.reextract-<UTC time>.jsonl beside the source)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one dump (.jsonl) or one WARC file")
        source = Path(args[0])
        if not source.is_file():
            raise UsageError(f"no such file: {source}")
        dump, warc = locate(source)
        old = list(read_dump(dump)) if dump else []
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        job = (dump or warc).name.split(".")[0]
        out = Path(opts.output) if opts.output else (dump or warc).with_name(f"{job}.reextract-{stamp}.jsonl")
        failures = failures_path(out)
        started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        assert self.settings is not None
        with open_partial(out) as out_handle, open_partial(failures) as fail_handle:
            run = Run(RunSpec(spider="reextract", name=job), None,
                      min_body_words=self.settings.getint("VALIDATE_MIN_BODY_WORDS"), versions=SourceVersions(old),
                      dump=out_handle, failures=lambda entry: fail_handle.write(dumps(entry)))
            extract_warcs([warc], self.settings, PageFilter(only=job_pages(dump, old)), run)
        publish(out)
        publish(failures)
        counts = run.counts
        manifest = write_file_manifest(
            out, "reextract", started, counts, failures_file=failures,
            extra_counts={"skipped": dict(sorted(counts.skipped.items()))}, source_job=job,
            source_dump=dump.name if dump else None, source_warc=warc.name,
            extractor_version={"presswire": scrapers.__version__, "trafilatura": trafilatura.__version__},
        )
        lines = manifest["lines"]
        print(f"{lines} articles written to {out} ({counts.changed} changed, {counts.unchanged} unchanged, "
              f"{counts.new} new), {counts.without_article} failed", file=sys.stderr)
        if counts.without_article and not lines:
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


def read_dump(path: Path) -> list[dict[str, Any]]:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    return list(read_records(path))

