"""scrapy extract PATH... : run extraction on saved pages, print or write JSONL.

Records take the crawl's record path (``scrapers.jobs.run.Run.finish``: validation, dedupe, stamping),
through the same extraction pool with the same settings, so the output passes ``scrapy validate``. A
page saved without ``--url`` is read at the URL it declares (``rel=canonical``, else ``og:url``), so
relative links and images resolve. A page that is not an article is reported on stderr, not written.
WARC/ARC files (or folders of them) go to ``warc_extract.py``; saved pages given beside them join that
run, so one output and one manifest hold both.

Exit codes: 0 every page gave an article; 1 some page did not (each is named on stderr, the others
are written), or ``-o`` could not be written (nothing published: scrapers/commands/output.py); 2 usage
error (no such file, no ``.html`` under a folder, ``--url`` not an http(s) URL); 141 standard output's
reader closed it (``| head``); 128 + a signal's number when Ctrl-C, SIGTERM or SIGHUP stopped it (what
was written is published, its manifest's ``finish_reason`` is ``shutdown``: scrapers/commands/interrupted.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from ..extraction import ExtractionError, SiteSelectors
from ..jobs.files import manifest_path
from ..jobs.publication import write_file_manifest
from ..jobs.record import Refused
from ..jobs.run import CrawlMeta, Run, RunSpec
from ..workers.pool import ArticleExtractor, WorkerFailure
from .interrupted import Interrupted, run_interruptible
from .output import (
    GuardedOutput,
    OutputUnwritable,
    output_path,
    partial_output,
    publish_dump,
    publishing,
    report_unwritable,
)
from .program import one_line_errors, program
from .warc_extract import add_warc_options, run_warc_extract, split_inputs

PAGE_SUFFIXES = (".html", ".htm")
EXIT_NOT_ALL = 1
EXIT_USAGE = 2
SPIDER = "extract"


_OG_TYPE = re.compile(rb"""<meta[^>]+property=["']og:type["'][^>]+content=["']([^"']+)""", re.I)
_LD_TYPE = re.compile(rb'"@type"\s*:\s*"([A-Za-z]+)"')
_ARTICLE_TYPES = {b"BlogPosting", b"Report", b"LiveBlogPosting"}


def declared_non_article(html: bytes) -> str | None:
    """What a page declares itself to be when that is not an article (og:type website, a JSON-LD WebSite
    or CollectionPage without any Article): a crawl never sends such pages to extraction, a folder may."""
    head = html[:200_000]
    ld_types = set(_LD_TYPE.findall(head))
    if any(t.endswith(b"Article") or t in _ARTICLE_TYPES for t in ld_types):
        return None
    og = _OG_TYPE.search(head)
    if og and not og.group(1).lower().startswith(b"article"):
        return f"the page declares og:type={og.group(1).decode('ascii', 'replace')}"
    listing = ld_types & {b"WebSite", b"CollectionPage", b"ItemList", b"SearchResultsPage", b"ProfilePage"}
    if listing:
        return f"the page declares JSON-LD @type {b', '.join(sorted(listing)).decode()}"
    return None


class ExtractUsage(Exception):
    """A usage problem, reported as one line with exit 2 (Scrapy's UsageError prints the whole help)."""


def is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def page_files(paths: list[str], base_url: str | None = None) -> Iterator[tuple[Path, str | None]]:
    """Each page and the URL it was saved from: ``base_url`` + its path under the folder given, or None."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            pages = sorted(p for p in path.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())
            if not pages:
                raise ExtractUsage(f"{name}: no .html or .htm files in this folder")
            for page in pages:
                yield page, urljoin(base_url, page.relative_to(path).as_posix()) if base_url else None
        elif path.is_file():
            yield path, urljoin(base_url, path.name) if base_url else None
        else:
            raise ExtractUsage(f"no such file or folder: {name}")


async def extract_page(extractor: ArticleExtractor, run: Run, path: Path, url: str | None) -> dict[str, Any] | Refused:
    """One saved page through the pool and the run: the record written, or why not."""
    try:
        html = path.read_bytes()
    except OSError as err:  # deleted or moved since the folder was listed, an I/O error
        return Refused("extract", "unreadable", f"cannot read it ({err.strerror or err})")
    try:
        record = await extractor.extract(html, url or "", None, SiteSelectors())
        not_article = declared_non_article(html)
        if not_article:
            raise Refused("extract", "not_article", not_article)
        if url is None:
            # The page's own canonical/og:url: extracting again against it resolves relative links, and
            # the lead image found both in og:image (absolute) and in the figure (relative) is one image.
            declared = record.get("canonical_url")
            if not declared or not is_http_url(declared):
                raise Refused("extract", "no_url", "the page declares no canonical or og:url; pass --url URL "
                              "(one page) or --base-url URL (a folder of pages)")
            record = await extractor.extract(html, declared, None, SiteSelectors())
    except ExtractionError as err:
        return Refused("extract", err.reason, str(err))
    except WorkerFailure as err:
        return Refused("extract", err.reason, err.detail)
    except Refused as refused:
        return refused
    # A saved page was fetched when it was saved: the file's time stands in for the fetch.
    saved = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0)
    return run.finish(record, CrawlMeta(fetched_at=saved.isoformat(), spider=SPIDER))


def extract_files(pages: list[tuple[Path, str | None]], url: str | None, run: Run, errors: IO[str],
                  settings: BaseSettings) -> None:
    """Each page to the run; pages without an article are named on ``errors``."""
    extractor = ArticleExtractor.from_settings(settings)

    async def extract_all() -> None:
        for path, page_url in pages:
            result = await extract_page(extractor, run, path, url or page_url)
            if not isinstance(result, Refused):
                continue
            if result.stage == "extract":  # refused before the run saw a record
                run.fail(str(path), result.stage, result.reason, result.detail)
            if result.stage == "extract" and result.reason not in ("not_article", "no_url"):
                errors.write(f"{path}: not extracted ({result.reason}): {result.detail}\n")
            else:
                label = "not an article" if result.reason == "not_article" else result.reason
                errors.write(f"{path}: {label}: {result.detail}\n")

    with extractor:
        run_interruptible(extract_all())


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "PATH... [--url URL] [-o out.jsonl]"

    def short_desc(self) -> str:
        return "Extract articles from saved HTML files or folders of .html files (valid records, as crawled)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        one_line_errors(parser, "extract")
        parser.add_argument("--url", help="URL the page was fetched from (default: the page's canonical/og:url)")
        parser.add_argument("--base-url", help="URL of the folder the pages were saved from: each page's URL is "
                            "this plus its path under the folder (default: the page's canonical/og:url)")
        parser.add_argument("-o", "--output", metavar="FILE", help="write JSONL here instead of stdout")
        add_warc_options(parser)  # WARC inputs: --domain, --since/--until, --language, --failures

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one file or folder")
        archives, others = split_inputs(args, PAGE_SUFFIXES)
        assert self.settings is not None
        settings = self.settings
        if opts.output:
            output_path(opts.output)  # before anything is read: a .gz name is written gzip-compressed
        try:
            pages = self._pages(others, opts)
            if archives:  # .warc/.warc.gz files, or folders of them: scrapers/commands/warc_extract.py
                # saved pages given beside them go to the same run, output and manifest first
                self.exitcode = run_warc_extract(
                    archives, opts, settings,
                    pages=(lambda run: extract_files(pages, opts.url, run, sys.stderr, settings)) if pages else None)
                return
            self.exitcode = self._extract(pages, args, opts, settings)
        except ExtractUsage as err:
            print(f"{program()} extract: {err}", file=sys.stderr)
            self.exitcode = EXIT_USAGE
        except OutputUnwritable as err:
            self.exitcode = report_unwritable(err, "extract")

    @staticmethod
    def _pages(args: list[str], opts: argparse.Namespace) -> list[tuple[Path, str | None]]:
        """The saved pages among the inputs, each with the URL it was saved from (or None): every path
        and URL option checked before anything is written."""
        if not args:
            return []
        if opts.url is not None and not is_http_url(opts.url):
            raise ExtractUsage(f"--url {opts.url}: expected an http(s) URL, like https://site.example/a/story.html")
        if opts.base_url is not None and not is_http_url(opts.base_url):
            raise ExtractUsage(f"--base-url {opts.base_url}: expected an http(s) URL, like https://site.example/")
        pages = list(page_files(args, opts.base_url))
        if opts.url and len(pages) > 1:
            raise ExtractUsage(f"--url names one page, but {len(pages)} were given; use --base-url for a folder")
        return pages

    def _extract(self, pages: list[tuple[Path, str | None]], args: list[str], opts: argparse.Namespace,
                 settings: BaseSettings) -> int:
        spec = RunSpec(spider=SPIDER, name=SPIDER)
        min_words = settings.getint("VALIDATE_MIN_BODY_WORDS", 50)
        if opts.output:
            output = output_path(opts.output)
            started = dt.datetime.now(dt.UTC).replace(microsecond=0)
            # written as NAME.part and published with a manifest, as a crawl's dump: complete or absent
            with partial_output(output, f"-o {output}") as out:
                run = Run(spec, None, min_body_words=min_words, dump=out, versioned=False)
                # stopped by a signal, what was written is published, as a crawl's first Ctrl-C does
                stopped = extract_until_stopped(pages, opts.url, run, settings)
                out.flush()
                with publishing(f"-o {output}"):
                    note = publish_dump(output, run.counts.written)
                    write_file_manifest(output, "extract", started, run.counts, sources=args,
                                        finish_reason=stopped.finish_reason if stopped else "finished")
            where = f": {note} ({manifest_path(output)})" if note else f" to {output}"
            print(f"{run.counts.written} articles written{where}, {run.counts.without_article} pages "
                  "without an article", file=sys.stderr)
        else:
            run = Run(spec, None, min_body_words=min_words, dump=GuardedOutput(sys.stdout.buffer, "standard output"),
                      versioned=False)
            stopped = extract_until_stopped(pages, opts.url, run, settings)
        if stopped:
            return stopped.exit_code
        return EXIT_NOT_ALL if run.counts.without_article or run.counts.duplicates else 0


def extract_until_stopped(pages: list[tuple[Path, str | None]], url: str | None, run: Run,
                          settings: BaseSettings) -> Interrupted | None:
    """``extract_files``; the signal that stopped it, if one did, said in one line."""
    try:
        extract_files(pages, url, run, sys.stderr, settings)
    except Interrupted as stopped:
        counts = run.counts
        done = counts.written + counts.without_article + counts.duplicates + counts.unchanged
        print(f"{program()} extract: {stopped}: stopped after {done} of {len(pages)} pages, the pages in progress "
              "dropped; what was written is kept", file=sys.stderr)
        return stopped
    return None

