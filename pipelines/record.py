"""The item pipeline of a crawl: each record goes to the run (``scrapers/jobs/run.py``), which validates,
dedupes, versions, stamps and writes it, or records why not. A thin adapter: the record path is the
same for every entry point, and ``scrapy extract``, ``reextract`` and the ``ccnews`` spider use it too."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.crawler import Crawler

# The crawler's building blocks sit beside this package: top-level ``scrapers`` in the repository,
# ``presswire.scrapers`` installed (setup.py). Named by where this package is, not by an import hook.
if TYPE_CHECKING or __package__ == "pipelines":
    from scrapers.jobs.extension import RecordDropped, RunExtension
    from scrapers.jobs.record import Refused
    from scrapers.jobs.run import CrawledRecord, CrawlMeta, Run, now_iso
else:
    from ..scrapers.jobs.extension import RecordDropped, RunExtension
    from ..scrapers.jobs.record import Refused
    from ..scrapers.jobs.run import CrawledRecord, CrawlMeta, Run, now_iso


class RecordPipeline:
    def __init__(self, run: Run) -> None:
        self.run = run

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordPipeline:
        return cls(RunExtension.of(crawler).run)

    def process_item(self, item: Any) -> dict[str, Any]:
        if isinstance(item, CrawledRecord):
            record: dict[str, Any] = item
            meta = item.meta
        else:  # a plain dict from a project's own callback: fetched now, by this run's spider
            record = dict(item)
            meta = CrawlMeta(record.get("fetched_at") or now_iso(), self.run.spec.spider,
                             record.get("warc_record_id"), self.run.spec.site)
        result = self.run.finish(record, meta)
        if isinstance(result, Refused):
            raise RecordDropped(result)
        return result
