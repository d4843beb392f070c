"""scrapy extract PATH... : run extraction on saved pages, print or write JSONL."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from scrapers.extraction import ExtractionError, extract_article
from scrapers.workers.deadline import ExtractionTimeout, deadline

PAGE_SUFFIXES = (".html", ".htm")


def page_files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())
        elif path.is_file():
            yield path
        else:
            raise UsageError(f"no such file or folder: {name}")


def extract_files(paths: list[str], url: str | None, out: IO[str], errors: IO[str],
                  timeout: float | None = None) -> tuple[int, int]:
    """Write one JSON line per page; failures go to ``errors``. Returns (extracted, failed)."""
    done = failed = 0
    for path in page_files(paths):
        try:
            with deadline(timeout):  # EXTRACTION_TIMEOUT, as in a crawl
                article = extract_article(path.read_bytes(), url=url)
        except (ExtractionError, ExtractionTimeout) as err:
            failed += 1
            errors.write(f"{path}: {err}\n")
            continue
        record = article.to_dict()
        record["source_file"] = str(path)
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
        return "Extract articles from saved HTML files or folders of .html files"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--url", help="URL the page was fetched from (resolves relative links)")
        parser.add_argument("-o", "--output", metavar="FILE", help="write JSONL here instead of stdout")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give at least one file or folder")
        if opts.output:
            with open(opts.output, "w", encoding="utf-8") as out:
                done, failed = extract_files(args, opts.url, out, sys.stderr, self._timeout())
            print(f"{done} articles written to {opts.output}, {failed} failed", file=sys.stderr)
        else:
            done, failed = extract_files(args, opts.url, sys.stdout, sys.stderr, self._timeout())
        if failed and not done:
            self.exitcode = 1

    def _timeout(self) -> float | None:
        return self.settings.getfloat("EXTRACTION_TIMEOUT") if self.settings is not None else None
