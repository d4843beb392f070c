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
import itertools
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from .. import __version__
from ..archives.recorder import file_sha256, warc_path
from ..archives.select import PageFilter
from ..jobs.files import failures_path, job_stem, manifest_path, partial_path, publish, read_records
from ..jobs.publication import write_file_manifest
from ..jobs.run import Run, RunSpec, dumps
from ..jobs.versions import SourceVersions
from .interrupted import Interrupted
from .output import OutputUnwritable, output_path, partial_output, publish_dump, publishing, report_unwritable
from .program import one_line_errors, program
from .warc_extract import extract_warcs


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
    listed = listed_archive(manifest_path(path))
    if listed:
        candidates.insert(0, path.parent / listed)
    warc = next((c for c in candidates if c.is_file()), None)
    if warc is None and listed:
        raise UsageError(f"{listed}, the archive {manifest_path(path).name} lists for {path.name}, is missing "
                         f"from {path.parent}: nothing to re-extract", print_help=False)
    if warc is None:
        raise UsageError(f"no archive beside {path}: expected {candidates[-1].name} (crawl with -s WARC_ENABLED=1)",
                         print_help=False)
    return path, warc


def _manifest(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return document if isinstance(document, dict) else {}


def _listed_warcs(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in document.get("files") or [] if isinstance(f, dict) and f.get("kind") == "warc" and f.get("file")]


def listed_archive(manifest: Path) -> str | None:
    """The WARC a dump's manifest names: a reextract's ``source_warc``, a crawl's ``files`` entry."""
    document = _manifest(manifest)
    if document.get("source_warc"):
        return str(document["source_warc"])
    warcs = _listed_warcs(document)
    return str(warcs[0]["file"]) if warcs else None


def damaged_against_manifest(dump: Path | None, warc: Path) -> str | None:
    """Why the WARC is not the one the job published (its manifest lists its sha256), or None. A WARC
    cut exactly between two records reads as whole: only its digest tells."""
    if dump is None:
        return None
    manifest = manifest_path(dump)
    for entry in _listed_warcs(_manifest(manifest)):
        if entry["file"] == warc.name and entry.get("sha256") and entry["sha256"] != file_sha256(warc):
            return (f"its sha256 is not the one {manifest.name} lists (damaged, cut or replaced since the job "
                    "published it)")
    return None


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
        try:
            self._reextract(args, opts)
        except OutputUnwritable as err:
            self.exitcode = report_unwritable(err, "reextract")

    def _reextract(self, args: list[str], opts: argparse.Namespace) -> None:
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
        out = output_path(opts.output) if opts.output else new_version_path(dump or warc, job, stamp, suffix)
        if dump is not None and manifest_path(out).resolve() == manifest_path(dump).resolve():
            raise UsageError(f"-o {opts.output} would replace the source job's dump and manifest: give another "
                             "name, or none (a new version goes beside the source)", print_help=False)
        failures = failures_path(out)
        started = dt.datetime.now(dt.UTC).replace(microsecond=0)
        assert self.settings is not None
        seen: set[str] = set()  # the source's archived responses that came back, as records or failures
        damage: list[dict[str, Any]] = []  # the WARC itself could not be read to its end

        def fail(entry: dict[str, Any]) -> None:
            seen.add(entry.get("warc_record_id") or (entry.get("record") or {}).get("warc_record_id") or "")
            if entry.get("stage") == "archive":
                damage.append(entry)
            fail_handle.write(dumps(entry))

        damaged = damaged_against_manifest(dump, warc)
        if damaged:
            print(f"{program()} reextract: {warc}: {damaged}; nothing published", file=sys.stderr)
            self.exitcode = 1
            return
        versions = SourceVersions(old)

        def publish_nothing() -> None:  # a version without some of the job's pages must not be published
            partial_path(out).unlink(missing_ok=True)
            partial_path(failures).unlink(missing_ok=True)

        # a fresh version each time: a killed reextract's parts are not this run's
        with partial_output(out, f"-o {out}") as out_handle, \
                partial_output(failures, f"the failures file {failures}") as fail_handle:
            run = Run(RunSpec(spider="reextract", name=job), None,
                      min_body_words=self.settings.getint("VALIDATE_MIN_BODY_WORDS"), versions=versions,
                      dump=out_handle, failures=fail)
            try:
                extract_warcs([warc], self.settings, PageFilter(only=job_pages(dump, old)), run)
            except Interrupted as stopped:  # the pages not reached yet would be missing
                publish_nothing()
                of = f" of the {len(old)} records of {dump.name}" if dump else " records"
                print(f"{program()} reextract: {stopped}: stopped after {run.counts.written}{of}; nothing "
                      "published, the source is unchanged (run the same command again)", file=sys.stderr)
                self.exitcode = stopped.exit_code
                return
            missing = unmatched(old, seen | versions.matched, warc.name)
            # every record of the source that did not come back says why
            for url, reason, detail, extra in missing:
                run.fail(url, "reextract", reason, detail, **extra)
            if damage:  # the WARC cannot be read to its end: the pages after the damage would be missing
                publish_nothing()
                absent = sum(1 for _, reason, _, _ in missing if reason == "not_in_archive")
                print(f"{program()} reextract: {warc}: {damage[0]['reason']}: {damage[0]['detail']} ({absent} of the "
                      f"{len(old)} records of {dump.name if dump else 'the job'} not read); nothing published",
                      file=sys.stderr)
                self.exitcode = 1
                return
            counts = run.counts
            out_handle.flush()
            fail_handle.flush()
            with publishing(f"-o {out}"):
                note = publish_dump(out, counts.written)
                publish(failures)
                manifest = write_file_manifest(
                    out, "reextract", started, counts, failures_file=failures,
                    extra_counts={"skipped": dict(sorted(counts.skipped.items()))}, source_job=job,
                    source_dump=dump.name if dump else None, source_warc=warc.name,
                    extractor_version={"presswire": __version__, "trafilatura": version("trafilatura")},
                )
        lines = manifest["lines"]
        where = f": {note} ({manifest_path(out)})" if note else f" to {out}"
        print(f"{lines} articles written{where} ({counts.changed} changed, {counts.unchanged} unchanged, "
              f"{counts.new} new), {counts.without_article} failed ({failures})", file=sys.stderr)
        if counts.without_article:  # some page of the source did not come back (each has a failure line)
            self.exitcode = 1


def new_version_path(source: Path, job: str, stamp: str, suffix: str) -> Path:
    """``<job>.reextract-<UTC second>.jsonl`` beside the source; ``-2``, ``-3`` … when another reextract of
    the same job took that second's name (published, or still writing it)."""
    for n in itertools.count(1):
        path = source.with_name(f"{job}.reextract-{stamp}{f'-{n}' if n > 1 else ''}{suffix}")
        if not path.exists() and not partial_path(path).exists():
            return path
    raise AssertionError("unreachable")


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


def unmatched(old: list[dict[str, Any]], seen: set[str],
              warc: str) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(url, reason, detail, extra fields) of the failure line for each of the source's records that
    was not re-extracted: no ``warc_record_id`` (extracted without an archive) or an id the WARC does
    not hold."""
    missing = []
    for record in old:
        record_id = record.get("warc_record_id")
        if record_id in seen:
            continue
        reason, detail = ("no_warc_record", "the record has no warc_record_id: its page was not archived") \
            if not record_id else ("not_in_archive", f"{warc} holds no response {record_id}")
        missing.append((record.get("url") or "", reason, detail, {"warc_record_id": record_id, "id": record.get("id")}))
    return missing


def read_dump(path: Path) -> list[dict[str, Any]]:
    if path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    return list(read_records(path))

