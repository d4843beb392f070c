"""Extract the articles of WARC files in the worker pool: ``scrapy extract``, ``scrapy reextract``.

The file is read in this process (warcio, streaming) while pages are extracted in worker
processes; at most ``in_flight`` pages wait at once, so memory stays bounded whatever the
file's size. Records go to the run (``Run.finish``) in the order extraction finishes; the ``ccnews``
spider sends each archived page through ``extract_archived`` too.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..extraction import ExtractionError, SiteSelectors
from ..jobs.run import CrawlMeta, Run
from ..workers.pool import ArticleExtractor, WorkerFailure
from .select import PageFilter, iso_seconds, warc_time
from .warc import ArchivedPage, ArchiveError, iter_responses


@dataclass(frozen=True)
class PageFailure:
    stage: str
    reason: str
    detail: str


def open_archive(path: Path) -> IO[bytes]:
    """A WARC file as stored: warcio finds out itself whether it is gzipped."""
    return open(path, "rb")


Extracted = tuple[dict[str, Any], CrawlMeta]


async def extract_archived(extractor: ArticleExtractor, page: ArchivedPage, page_filter: PageFilter, spider: str,
                           selectors: SiteSelectors | None = None) -> Extracted | PageFailure | str:
    """One archived page through the pool: the record and its fetch metadata (the WARC-Date, the
    record's id), a failure, or the filter's reason to skip the article (its language, its date)."""
    if page.problem is not None:  # too large, undecodable, bad chunking, WARC-Truncated
        return PageFailure("extract", *page.problem)
    assert page.body is not None
    try:
        record = await extractor.extract(page.body, page.url, page.content_type, selectors or SiteSelectors())
    except (ExtractionError, WorkerFailure) as err:
        return PageFailure("extract", err.reason, err.detail)
    skip = page_filter.record_skip_reason(record)
    if skip:
        return skip
    return record, CrawlMeta(fetched_at=iso_seconds(warc_time(page.warc_date)), spider=spider,
                             warc_record_id=page.record_id)


# A run that skips every record (a filter matching nothing in a large archive) still reaches the event
# loop this often, so a signal stops it within a few milliseconds
SKIPS_BETWEEN_AWAITS = 200


class ArchiveExtraction:
    """Archived pages in, through ``ArticleExtractor``, to the run (``Run.finish``, ``Run.fail``)."""

    def __init__(self, extractor: ArticleExtractor, page_filter: PageFilter, run: Run, in_flight: int = 8) -> None:
        self.extractor = extractor
        self.filter = page_filter
        self.run = run
        self.in_flight = in_flight
        self.skipped: Counter[str] = run.counts.skipped  # what the filters passed over, by reason

    async def run_pages(self, pages: Iterable[ArchivedPage]) -> Counter[str]:
        """Extract every page; returns what the filters skipped, by reason."""
        pending: set[asyncio.Task[None]] = set()
        for read, page in enumerate(pages, 1):
            skip = self.filter.skip_reason(page)
            if skip:
                self.skipped[skip] += 1
                if read % SKIPS_BETWEEN_AWAITS == 0:
                    await asyncio.sleep(0)
                continue
            if len(pending) >= self.in_flight:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                _raise_first(done)
            pending.add(asyncio.ensure_future(self.one(page)))
        if pending:
            done, _ = await asyncio.wait(pending)
            _raise_first(done)
        return self.skipped

    async def one(self, page: ArchivedPage) -> None:
        result = await extract_archived(self.extractor, page, self.filter, self.run.spec.spider)
        if isinstance(result, PageFailure):
            self.run.fail(page.url, result.stage, result.reason, result.detail, warc_record_id=page.record_id)
        elif isinstance(result, str):
            self.skipped[result] += 1
        else:
            self.run.finish(*result)


def _raise_first(done: set[asyncio.Task[None]]) -> None:
    """A page's error that is not a failure line (an output that cannot be written) ends the run; each
    finished page's error is read, so none is reported again as never retrieved."""
    errors = [error for task in done if not task.cancelled() and (error := task.exception()) is not None]
    if errors:
        raise errors[0]


def archive_pages(paths: Iterable[Path], max_body: int, run: Run) -> Iterable[ArchivedPage]:
    """The response records of several WARC files in turn; a file that is not an archive or
    breaks part-way is a failure line (its reason, the offset where reading stopped) and the
    next file is read."""
    for path in paths:
        with open_archive(path) as stream:
            try:
                yield from iter_responses(stream, max_body)
            except ArchiveError as err:  # the file's reason (scrapers/archives/warc.py ARCHIVE_REASONS)
                run.fail(str(path), "archive", err.reason, str(err), offset=err.offset)


def is_warc_path(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))
