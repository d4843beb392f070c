"""``scrapy extract crawl.warc.gz [more...] -o out.jsonl``: the WARC side of the extract command.

Every HTML response of status 200 is extracted in the worker pool and goes through the crawl's
record path (``Run.finish``), written as the standard record (``fetched_at`` = its WARC-Date,
``warc_record_id`` = its record); pages that give no article go to the failures file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from ..archives.extract import ArchiveExtraction, archive_pages, is_warc_path
from ..archives.select import PageFilter, parse_day
from ..jobs.files import failures_path, manifest_path, publish
from ..jobs.publication import write_file_manifest
from ..jobs.run import FirstVersions, Run, RunSpec, dumps
from ..workers.pool import ArticleExtractor
from .interrupted import Interrupted, run_interruptible
from .output import GuardedOutput, output_path, partial_output, publish_dump, publishing
from .program import program

SPIDER = "extract"


def add_warc_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("WARC input (.warc, .warc.gz)")
    group.add_argument("--domain", action="append", default=[], metavar="DOMAIN",
                       help="only pages of this domain and its subdomains (repeat or comma-separate)")
    group.add_argument("--since", metavar="DATE", help="only pages archived (or published) on or after DATE")
    group.add_argument("--until", metavar="DATE", help="only pages archived (or published) on or before DATE")
    group.add_argument("--date-from", choices=("warc", "article"), default="warc",
                       help="--since/--until compare the WARC-Date (default) or the article's date_published")
    group.add_argument("--language", action="append", default=[], metavar="CODE",
                       help="only articles in this language (ISO 639 code; repeat or comma-separate)")
    group.add_argument("--failures", metavar="FILE",
                       help="failure lines go here (default: OUT.failures.ndjson beside -o, else stderr)")


def split_inputs(args: list[str], page_suffixes: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(archives, everything else): a folder counts as the archives under it when it holds no
    saved page, so ``extract crawls/`` reads a folder of WARCs."""
    archives: list[str] = []
    others: list[str] = []
    for name in args:
        path = Path(name)
        if path.is_dir():
            files = [p for p in sorted(path.rglob("*")) if p.is_file()]
            found = [str(p) for p in files if is_warc_path(p.name)]
            if found and not any(p.suffix.lower() in page_suffixes for p in files):
                archives += found
                continue
        (archives if is_warc_path(name) else others).append(name)
    return archives, others


def page_filter(opts: argparse.Namespace) -> PageFilter:
    def split(values: list[str]) -> tuple[str, ...]:
        return tuple(v.strip().lower() for value in values for v in value.split(",") if v.strip())

    try:
        since, until = parse_day(opts.since), parse_day(opts.until, end=True)
    except ValueError as err:
        raise UsageError(f"--since/--until take ISO dates (2026-11-01): {err}") from None
    return PageFilter(domains=split(opts.domain), since=since, until=until,
                      on_article_date=opts.date_from == "article", languages=split(opts.language))


def extract_warcs(paths: list[Path], settings: BaseSettings, selection: PageFilter, run: Run) -> None:
    """Extract the archived pages of ``paths`` in the pool every entry point uses, through ``run``."""
    with ArticleExtractor.from_settings(settings) as extractor:
        archive = ArchiveExtraction(extractor, selection, run, in_flight=max(4, 4 * extractor.workers))
        run_interruptible(archive.run_pages(archive_pages(paths, settings.getint("WARC_MAX_RECORD_SIZE"), run)))


def run_warc_extract(args: list[str], opts: argparse.Namespace, settings: BaseSettings,
                     pages: Callable[[Run], None] | None = None) -> int:
    """The command's exit code: 1 when nothing was extracted and something failed, or when an
    input file is not an archive (or breaks before its first record). ``pages``: saved pages given
    beside the archives, sent to the same run first (one output, one manifest)."""
    paths = [Path(a) for a in args]
    for path in paths:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
    output = output_path(opts.output) if opts.output else None
    selection = page_filter(opts)
    started_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    failures_file = Path(opts.failures) if opts.failures else (failures_path(output) if output else None)
    if failures_file is not None and output is not None and failures_file.resolve() == output.resolve():
        raise UsageError(f"--failures {failures_file} names the -o file too: give the failure lines a file of "
                         "their own (default: OUT.failures.ndjson beside -o)", print_help=False)
    if failures_file is not None and not failures_file.parent.is_dir():
        raise UsageError(f"--failures {failures_file}: the folder {failures_file.parent} does not exist",
                         print_help=False)
    with ExitStack() as stack:
        # -o: written as NAME.part and published with a manifest, as a crawl's dump (so is the failures file)
        out = stack.enter_context(partial_output(output, f"-o {output}")) if output \
            else GuardedOutput(sys.stdout.buffer, "standard output")
        failures = stack.enter_context(partial_output(failures_file, f"--failures {failures_file}")) \
            if failures_file else sys.stderr.buffer
        unreadable: list[str] = []

        def write_failure(entry: dict[str, Any]) -> None:
            failures.write(dumps(entry))
            if entry.get("stage") == "archive":  # a whole file: named on stderr whatever --failures says
                print(f"{program()} extract: {entry['url']}: {entry['reason']}: {entry['detail']}", file=sys.stderr)
                if not entry.get("offset"):
                    unreadable.append(entry["url"])

        run = Run(RunSpec(spider=SPIDER, name=SPIDER), None, min_body_words=settings.getint("VALIDATE_MIN_BODY_WORDS"),
                  versions=FirstVersions(None), dump=out, failures=write_failure, versioned=False)
        started = time.perf_counter()
        stopped: Interrupted | None = None
        try:
            if pages is not None:
                pages(run)
            extract_warcs(paths, settings, selection, run)
        except Interrupted as signalled:  # what was written is published, as a crawl's first Ctrl-C does
            stopped = signalled
            print(f"{program()} extract: {stopped}: stopped before the end of the input, the pages in progress "
                  "dropped; what was written is kept", file=sys.stderr)
        elapsed = time.perf_counter() - started
        counts = run.counts
        out.flush()
        failures.flush()
        skipped_counts = dict(sorted(counts.skipped.items()))
        where = ""
        with publishing(f"-o {output}" if output else f"--failures {failures_file}"):
            if failures_file:
                publish(failures_file)
            if output:
                note = publish_dump(output, counts.written)
                write_file_manifest(output, "extract", started_at, counts, failures_file=failures_file,
                                    extra_counts={"skipped": skipped_counts}, sources=[str(path) for path in paths],
                                    finish_reason=stopped.finish_reason if stopped else "finished")
                where = f": {note} ({manifest_path(output)})" if note else f" to {output}"
    skipped = ", ".join(f"{k}={v}" for k, v in skipped_counts.items()) or "none"
    failed = counts.without_article
    print(f"{counts.written} articles written{where}, "
          f"{failed} failed{f' ({failures_file})' if failures_file else ''}, skipped: {skipped}; "
          f"{elapsed:.1f}s ({counts.written / elapsed if elapsed else 0:.1f} articles/s)",
          file=sys.stderr)
    if stopped:
        return stopped.exit_code
    # 1: nothing came out of all that failed, or an input gave not one record (not an archive)
    return 1 if (failed and not counts.written) or unreadable else 0
