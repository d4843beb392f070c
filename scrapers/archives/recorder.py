"""Record every fetched page of a crawl in ``<job>.warc.gz`` beside the dump (``WARC_ENABLED``).

A downloader middleware placed next to the downloader (``DOWNLOADER_MIDDLEWARES`` order 950): it
sees each response as it came off the wire, before decompression, redirects, retries and error
filtering, so articles, error pages, redirects and robots.txt are all archived with the headers
as received. The response's ``WARC-Record-ID`` goes into ``request.meta["warc_record_id"]`` for
the spider to put in the record.

The file is written as ``<job>.warc.part`` (records appended and flushed, one gzip member each)
and published with ``scrapers.jobs.files.publish`` first when the job publishes (``job_closing``); a JOBDIR job stopped
with Ctrl-C keeps its part file and the resumed job appends to it. Its name, sha256 and record
count go to the crawler stats under ``presswire/published_files``, which the manifest lists.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import IO

import scrapy
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse

from .. import __version__
from ..jobs.extension import run_files
from ..jobs.files import RunFiles, job_stem, partial_path, publish
from ..jobs.signals import job_closing
from ..rendering.policy import NETWORK_BODY
from .warc import WarcRecorder, count_records, whole_records_length

PUBLISHED_FILES_STAT = "presswire/published_files"
CHUNK = 1 << 20


def warc_path(dump: Path) -> Path:
    """``<job>.warc.gz`` beside ``<job>.jsonl`` (or ``.jsonl.gz``)."""
    return dump.with_name(job_stem(dump) + ".warc.gz")


class WarcRecorderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path: Path | None = None
        self.handle: IO[bytes] | None = None
        self.recorder: WarcRecorder | None = None
        self.earlier_records = 0  # in the part file a resumed job appends to
        self.records = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        # published as the job's first file, in the job's publication order (scrapers/jobs/publication.py)
        crawler.signals.connect(middleware.job_closing, signal=job_closing)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        self.path = warc_path(run_files(self.crawler, spider).dump)
        part = partial_path(self.path)
        part.parent.mkdir(parents=True, exist_ok=True)
        # appended to, so a resumed JOBDIR job keeps what it archived before it stopped; a record
        # torn by a kill is cut off first, or readers would stop there
        self.handle = open(part, "a+b")
        if self.handle.seek(0, 2):
            self.handle.seek(0)
            self.handle.truncate(whole_records_length(self.handle))
            self.handle.seek(0)
            self.earlier_records = count_records(self.handle)  # the manifest counts the whole file
            self.handle.seek(0, 2)
        self.recorder = WarcRecorder(self.handle)
        # first in a new file; a resumed job's session starts with its own (its settings may differ)
        self.recorder.write_warcinfo(self.path.name, warcinfo_fields(self.crawler, spider))
        spider.logger.info("archiving every fetched page in %s", self.path)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if self.recorder is None:
            return response
        body, rendered = archived_bodies(request, response)
        record_id = self.recorder.write_exchange(
            response.url,
            method=request.method,
            request_headers=request.headers.items(),
            status=response.status,
            response_headers=response.headers.items(),
            body=body,
            protocol=response.protocol or "HTTP/1.1",
            rendered=rendered,
        )
        request.meta["warc_record_id"] = record_id
        self.crawler.stats.inc_value("presswire/warc/records", 2 if rendered is None else 3)
        return response

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """No response comes after this: the archive is complete (a resumed job appends to its .part)."""
        if self.handle is not None:
            self.records = self.earlier_records + (self.recorder.records if self.recorder else 0)
            self.handle.close()
            self.handle = self.recorder = None

    def job_closing(self, files: RunFiles, spider: Spider) -> None:
        """The job publishes: the WARC goes first, so the manifest can list it with its digest."""
        if self.path is None:
            return
        self.spider_closed(spider, "finished")
        publish(self.path)
        # counted as written, not by reading the file back (7.6 s for 2,000 pages, warcio parsing)
        sha, records = file_sha256(self.path), self.records
        published = list(self.crawler.stats.get_value(PUBLISHED_FILES_STAT, []))
        published.append({"file": self.path.name, "kind": "warc", "sha256": sha, "records": records})
        self.crawler.stats.set_value(PUBLISHED_FILES_STAT, published)
        spider.logger.info("archive %s: %d WARC records", self.path, records)


def archived_bodies(request: Request, response: Response) -> tuple[bytes, bytes | None]:
    """(the body as the server sent it, the rendered DOM or None). A page the browser rendered
    (scrapers/rendering) is archived as both: its response holds the server's HTML, a conversion
    record beside it the DOM that was extracted. Without the server's HTML the DOM is the response."""
    network = request.meta.get(NETWORK_BODY)
    if "playwright" in response.flags and network is not None:
        # as UTF-8 whatever the page declared: the conversion record says so (warc.RENDERED_TYPE)
        return network, (response.text.encode("utf-8") if isinstance(response, TextResponse) else response.body)
    return response.body, None


# the settings that decide what a crawl fetched and how fast: what a reader of the WARC needs to
# judge it (e.g. pages missing for robots.txt, or cut at DOWNLOAD_MAXSIZE)
WARCINFO_SETTINGS = ("ROBOTSTXT_OBEY", "DOWNLOAD_MAXSIZE", "DOWNLOAD_TIMEOUT", "DOWNLOAD_DELAY",
                     "AUTOTHROTTLE_ENABLED", "CONCURRENT_REQUESTS", "CONCURRENT_REQUESTS_PER_DOMAIN",
                     "DEPTH_LIMIT", "REDIRECT_ENABLED", "COMPRESSION_ENABLED")


def warcinfo_fields(crawler: Crawler, spider: Spider) -> dict[str, str]:
    settings = crawler.settings
    return {
        "software": f"Presswire/{__version__} (Scrapy {scrapy.__version__}, warcio)",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
        "isPartOf": job_stem(run_files(crawler, spider).dump),
        "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        "http-header-user-agent": settings.get("USER_AGENT") or "",
        "spider": spider.name,
        "crawl-settings": " ".join(f"{name}={settings.get(name)}" for name in WARCINFO_SETTINGS),
    }


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            sha.update(chunk)
    return sha.hexdigest()

