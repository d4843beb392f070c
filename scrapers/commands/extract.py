"""scrapy extract PATH... : run extraction on saved pages, print or write JSONL.

Records go through the same normalisation and validation as crawled ones (``pipelines.normalize``,
``pipelines.validate``), so the output passes ``scrapy validate``. A page saved without ``--url`` is
read at the URL it declares (``rel=canonical``, else ``og:url``), so relative links and images
resolve. A page that is not an article is reported on stderr, not written.

Exit codes: 0 every page gave an article; 1 some page did not (each is named on stderr, the others
are written); 2 usage error (no such file, no ``.html`` under a folder, ``--url`` not an http(s) URL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from pipelines.normalize import NormalizePipeline
from pipelines.validate import ValidatePipeline
from scrapers.commands.program import one_line_errors, program
from scrapers.commands.warc_extract import add_warc_options, run_warc_extract, split_inputs
from scrapers.extraction import ExtractionError, extract_article
from scrapers.jobs.drops import RecordDropped
from scrapers.jobs.files import partial_path, publish
from scrapers.jobs.manifest import write_file_manifest
from scrapers.workers.deadline import ExtractionTimeout, deadline

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


class Extractor:
    """One saved page -> one record, as the crawl's pipelines would write it."""

    def __init__(self, min_body_words: int, timeout: float | None = None) -> None:
        self.timeout = timeout
        self.normalize = NormalizePipeline()
        self.validate = ValidatePipeline(min_body_words)

    def record(self, path: Path, url: str | None) -> dict[str, Any]:
        html = path.read_bytes()
        with deadline(self.timeout):  # EXTRACTION_TIMEOUT, as in a crawl
            article = extract_article(html, url=url)
        not_article = declared_non_article(html)
        if not_article:
            raise RecordDropped("extract", "not_article", not_article)
        if url is None:
            # The page's own canonical/og:url: extracting again against it resolves relative links, and
            # the lead image found both in og:image (absolute) and in the figure (relative) is one image.
            declared = article.canonical_url
            if not declared or not is_http_url(declared):
                raise RecordDropped("extract", "no_url", "the page declares no canonical or og:url; pass --url URL "
                                    "(one page) or --base-url URL (a folder of pages)")
            with deadline(self.timeout):
                article = extract_article(html, url=declared)
        record = article.to_dict()
        # A saved page was fetched when it was saved: the file's time stands in for the fetch.
        saved = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0)
        record["fetched_at"] = saved.isoformat()
        record["spider"] = SPIDER
        record["version"] = 1
        record = self.normalize.process_item(record)
        return self.validate.process_item(record)


def extract_files(paths: list[str], url: str | None, out: IO[str], errors: IO[str],
                  min_body_words: int = 50, base_url: str | None = None,
                  timeout: float | None = None) -> tuple[int, int]:
    """Write one JSON line per article; pages without one are named on ``errors``. Returns (written, failed)."""
    extractor = Extractor(min_body_words, timeout)
    done = failed = 0
    for path, page_url in page_files(paths, base_url):
        try:
            record = extractor.record(path, url or page_url)
        except ExtractionError as err:
            failed += 1
            errors.write(f"{path}: not extracted ({err.reason}): {err}\n")
            continue
        except ExtractionTimeout as err:
            failed += 1
            errors.write(f"{path}: not extracted (timeout): {err}\n")
            continue
        except RecordDropped as err:
            failed += 1
            label = "not an article" if err.reason == "not_article" else err.reason
            errors.write(f"{path}: {label}: {err.detail}\n")
            continue
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        done += 1
    return done, failed


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
        archives, pages = split_inputs(args, PAGE_SUFFIXES)
        if archives and pages:  # one output, one kind of record source: two runs
            print(f"{program()} extract: {archives[0]} is an archive and {pages[0]} is not: give saved pages and "
                  "WARC files in separate runs", file=sys.stderr)
            self.exitcode = EXIT_USAGE
            return
        if archives:  # .warc/.warc.gz files, or folders of them: scrapers/commands/warc_extract.py
            assert self.settings is not None
            self.exitcode = run_warc_extract(archives, opts, self.settings)
            return
        assert self.settings is not None
        try:
            self.exitcode = self._extract(args, opts, self.settings.getint("VALIDATE_MIN_BODY_WORDS", 50))
        except ExtractUsage as err:
            print(f"{program()} extract: {err}", file=sys.stderr)
            self.exitcode = EXIT_USAGE

    def _extract(self, args: list[str], opts: argparse.Namespace, min_words: int) -> int:
        if opts.url is not None and not is_http_url(opts.url):
            raise ExtractUsage(f"--url {opts.url}: expected an http(s) URL, like https://site.example/a/story.html")
        if opts.base_url is not None and not is_http_url(opts.base_url):
            raise ExtractUsage(f"--base-url {opts.base_url}: expected an http(s) URL, like https://site.example/")
        pages = list(page_files(args))  # every path checked before anything is written
        if opts.url and len(pages) > 1:
            raise ExtractUsage(f"--url names one page, but {len(pages)} were given; use --base-url for a folder")
        timeout = self._timeout()
        if opts.output:
            folder = Path(opts.output).expanduser().parent
            if not folder.is_dir():
                raise ExtractUsage(f"-o {opts.output}: the folder {folder} does not exist")
            output = Path(opts.output)
            started = dt.datetime.now(dt.UTC).replace(microsecond=0)
            # written as NAME.part and published with a manifest, as a crawl's dump: complete or absent
            with open(partial_path(output), "w", encoding="utf-8") as out:
                done, failed = extract_files(args, opts.url, out, sys.stderr, min_words, opts.base_url, timeout)
            publish(output)
            write_file_manifest(output, "extract", started, {"failures": failed}, sources=args)
            print(f"{done} articles written to {opts.output}, {failed} pages without an article", file=sys.stderr)
        else:
            done, failed = extract_files(args, opts.url, sys.stdout, sys.stderr, min_words, opts.base_url, timeout)
        return EXIT_NOT_ALL if failed else 0

    def _timeout(self) -> float | None:
        return self.settings.getfloat("EXTRACTION_TIMEOUT") if self.settings is not None else None
