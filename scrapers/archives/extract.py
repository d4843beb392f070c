"""Extract the articles of WARC files in the worker pool: ``scrapy extract``, ``scrapy reextract``.

The file is read in this process (warcio, streaming) while pages are extracted in worker
processes; at most ``in_flight`` pages wait at once, so memory stays bounded whatever the
file's size. Records come back in the order extraction finishes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from scrapers.archives.select import PageFilter, iso_seconds, warc_time
from scrapers.archives.warc import ArchivedPage, ArchiveError, iter_responses
from scrapers.extraction import ExtractionError, SiteSelectors
from scrapers.workers.pool import ArticleExtractor, WorkerFailure

# The record is finished (normalised, validated) by the caller; a refusal is (stage, reason, detail).
Finisher = Callable[[dict[str, Any]], "dict[str, Any] | tuple[str, str, str]"]
Sink = Callable[[dict[str, Any]], object]


@dataclass
class ExtractCounts:
    written: int = 0
    failed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def open_archive(path: Path) -> IO[bytes]:
    """A WARC file as stored: warcio finds out itself whether it is gzipped."""
    return open(path, "rb")


def page_failure(url: str, stage: str, reason: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"url": url, "stage": stage, "reason": reason, "detail": detail, **extra,
            "time": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()}


class ArchiveExtraction:
    """Pages in, records and failure lines out, through ``ArticleExtractor``."""

    def __init__(self, extractor: ArticleExtractor, page_filter: PageFilter, finish: Finisher,
                 write: Sink, fail: Sink, spider: str, in_flight: int = 8) -> None:
        self.extractor = extractor
        self.filter = page_filter
        self.finish = finish
        self.write = write
        self.fail = fail
        self.spider = spider
        self.in_flight = in_flight
        self.counts = ExtractCounts()

    async def run(self, pages: Iterable[ArchivedPage]) -> ExtractCounts:
        pending: set[asyncio.Task[None]] = set()
        for page in pages:
            skip = self.filter.skip_reason(page)
            if skip:
                self.counts.skipped[skip] += 1
                continue
            if len(pending) >= self.in_flight:
                _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            pending.add(asyncio.ensure_future(self.one(page)))
        if pending:
            await asyncio.wait(pending)
        return self.counts

    async def one(self, page: ArchivedPage) -> None:
        if page.problem or page.body is None:  # too large, undecodable, bad chunking, WARC-Truncated
            self._fail(page, "extract", *(page.problem or ("too_large", "")))
            return
        try:
            record = await self.extractor.extract(page.body, page.url, page.content_type, SiteSelectors())
        except (ExtractionError, WorkerFailure) as err:
            self._fail(page, "extract", err.reason, err.detail)
            return
        record["fetched_at"] = iso_seconds(warc_time(page.warc_date))
        record["spider"] = self.spider
        record["warc_record_id"] = page.record_id
        skip = self.filter.record_skip_reason(record)
        if skip:
            self.counts.skipped[skip] += 1
            return
        finished = self.finish(record)
        if isinstance(finished, tuple):
            self._fail(page, *finished, record=record)
            return
        self.write(finished)
        self.counts.written += 1

    def _fail(self, page: ArchivedPage, stage: str, reason: str, detail: str, **extra: Any) -> None:
        self.counts.failed += 1
        self.fail(page_failure(page.url, stage, reason, detail, warc_record_id=page.record_id, **extra))


def archive_pages(paths: Iterable[Path], max_body: int, fail: Sink) -> Iterable[ArchivedPage]:
    """The response records of several WARC files in turn; a file that is not an archive or
    breaks part-way is a failure line (its reason, the offset where reading stopped) and the
    next file is read."""
    for path in paths:
        with open_archive(path) as stream:
            try:
                yield from iter_responses(stream, max_body)
            except ArchiveError as err:  # the file's reason (scrapers/archives/warc.py ARCHIVE_REASONS)
                fail(page_failure(str(path), "archive", err.reason, str(err), offset=err.offset))


def is_warc_path(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))
