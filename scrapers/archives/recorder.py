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

The WARC is part of the job's transaction (docs/archives.md): it is published only when the job is,
so a ``<job>.warc.gz`` without the job's manifest (a kill between its rename and the manifest, or a
publication that failed after it) is not published; the resumed job takes it back as its part file,
as the dump's. A write error on it fails the run like one on the dump; the part file is locked by
the job writing it, and a published job's WARC is never replaced.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import IO

import scrapy
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response, TextResponse

from .. import __version__
from ..jobs.extension import job_error, run_files, stop_run
from ..jobs.files import RunFiles, job_stem, partial_path, publish
from ..jobs.signals import job_closing
from ..rendering.policy import NETWORK_BODY
from .warc import WarcRecorder, count_records, whole_records_length

PUBLISHED_FILES_STAT = "presswire/published_files"
logger = logging.getLogger(__name__)
CHUNK = 1 << 20


def warc_path(dump: Path) -> Path:
    """``<job>.warc.gz`` beside ``<job>.jsonl`` (or ``.jsonl.gz``)."""
    return dump.with_name(job_stem(dump) + ".warc.gz")


class WarcRecorderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.path: Path | None = None
        self.manifest: Path | None = None
        self.handle: IO[bytes] | None = None
        self.pending = io.BytesIO()  # the record being written, appended to the file once whole
        self.recorder: WarcRecorder | None = None
        self.earlier_records = 0  # in the part file a resumed job appends to
        self.records = 0
        self.published = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcRecorderMiddleware:
        if not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        # published as the job's first file, in the job's publication order (scrapers/jobs/publication.py)
        crawler.signals.connect(middleware.job_closing, signal=job_closing)
        crawler.signals.connect(middleware.engine_stopped, signal=signals.engine_stopped)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        files = run_files(self.crawler, spider)
        self.path, self.manifest = warc_path(files.dump), files.manifest
        part = partial_path(self.path)
        part.parent.mkdir(parents=True, exist_ok=True)
        if self.path.exists():
            if not self.path.is_file():
                self._refuse(f"{self.path} is not a file: the archive cannot be published under that name")
                return
            if self.manifest.exists():  # another job of this id was published: its WARC is never replaced
                self._refuse(f"{self.path} is the archive of a published job with the same job id "
                             f"({files.job_id}): not replaced; give each run its own JOB_ID")
                return
            reclaim(self.path)  # renamed by this job, killed before its manifest: not published
        # appended to, so a resumed JOBDIR job keeps what it archived before it stopped; a record
        # torn by a kill is cut off first, or readers would stop there
        try:
            # unbuffered: each record reaches the file in whole writes (``_append``), and a write error
            # leaves no bytes in a buffer that a later flush or close would write after the cut
            handle = open(part, "a+b", buffering=0)
        except OSError as err:  # a folder in its place, permissions, a full disk
            self._refuse(f"opening {part}: {err}")
            return
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            self._refuse(f"{part} is being written by another running job with the same job id "
                         f"({files.job_id}): give each run its own JOB_ID and JOBDIR")
            return
        self.handle = handle
        if handle.seek(0, 2):
            handle.seek(0)
            handle.truncate(whole_records_length(handle))
            handle.seek(0)
            self.earlier_records = count_records(handle)  # the manifest counts the whole file
            handle.seek(0, 2)
        self.recorder = WarcRecorder(self.pending)
        # first in a new file; a resumed job's session starts with its own (its settings may differ)
        self._write(lambda recorder: recorder.write_warcinfo(self.path.name if self.path else "",
                                                             warcinfo_fields(self.crawler, spider)))
        spider.logger.info("archiving every fetched page in %s", self.path)

    def _refuse(self, detail: str) -> None:
        """The job must not write or publish this WARC: the run fails and publishes nothing."""
        self.path = None
        self._fail(detail)

    def _fail(self, detail: str) -> None:
        job_error(self.crawler, "write", detail)  # publication refuses a run with a write error
        stop_run(self.crawler)

    def _write(self, write: Callable[[WarcRecorder], str | None]) -> str | None:
        """One record (or pair) appended whole, or none of it: a write error (disk full, the file-size
        limit) cuts the part file back to its last whole record and fails the run."""
        assert self.recorder is not None and self.handle is not None
        result = write(self.recorder)  # into memory: the record's gzip members
        data = self.pending.getvalue()
        self.pending.seek(0)
        self.pending.truncate()
        fd = self.handle.fileno()
        start = os.fstat(fd).st_size
        try:
            view = memoryview(data)
            while view:  # a short write (the disk filling up) is continued, never dropped
                view = view[os.write(fd, view):]
        except OSError as err:
            part = partial_path(self.path) if self.path else "the WARC"
            try:
                os.ftruncate(fd, start)
            except OSError:
                pass  # the resumed job cuts the torn record (whole_records_length)
            self.recorder = None
            self._fail(f"writing {part}: {err}")
            return None
        return result

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if self.recorder is None:
            return response
        body, rendered = archived_bodies(request, response)
        record_id = self._write(lambda recorder: recorder.write_exchange(
            response.url,
            method=request.method,
            request_headers=request.headers.items(),
            status=response.status,
            response_headers=response.headers.items(),
            body=body,
            protocol=response.protocol or "HTTP/1.1",
            rendered=rendered,
        ))
        if record_id is not None:
            request.meta["warc_record_id"] = record_id
            self.crawler.stats.inc_value("presswire/warc/records", 2 if rendered is None else 3)
        return response

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """No response comes after this: the archive is complete (a resumed job appends to its .part)."""
        if self.handle is not None:
            self.records = self.earlier_records + (self.recorder.records if self.recorder else 0)
            self._keep_part()
            self.handle.close()
            self.handle = self.recorder = None

    def _keep_part(self) -> None:
        """The part file deleted under the running job (a clean-up script, a user): written again
        from the open handle, so nothing archived is lost."""
        assert self.handle is not None and self.path is not None
        part = partial_path(self.path)
        try:
            on_disk = part.stat()
        except FileNotFoundError:
            on_disk = None
        ours = os.fstat(self.handle.fileno())
        if on_disk is not None and (on_disk.st_ino, on_disk.st_dev) == (ours.st_ino, ours.st_dev):
            return
        if on_disk is not None:  # not ours: never published under this job's name
            self._refuse(f"{part} was replaced by another file while the job wrote it: not published")
            return
        logger.warning("%s was deleted during the crawl: written again from the open file", part)
        self.handle.seek(0)
        tmp = part.with_name(part.name + ".tmp")
        with open(tmp, "wb") as copy:
            shutil.copyfileobj(self.handle, copy, CHUNK)
        os.replace(tmp, part)

    def job_closing(self, files: RunFiles, spider: Spider) -> None:
        """The job publishes: the WARC goes first, so the manifest can list it with its digest. A write
        error here stops the publication (``jobs/extension.py``): no manifest names a missing WARC."""
        if self.path is None:
            return
        self.spider_closed(spider, "finished")
        if self.path is None:  # refused while closing: the run has its write error
            return
        try:
            publish(self.path)
        except OSError as err:
            job_error(self.crawler, "write", f"publishing {self.path}: {err}")
            return
        self.published = True
        # counted as written, not by reading the file back (7.6 s for 2,000 pages, warcio parsing)
        sha, records = file_sha256(self.path), self.records
        published = list(self.crawler.stats.get_value(PUBLISHED_FILES_STAT, []))
        published.append({"file": self.path.name, "kind": "warc", "sha256": sha, "records": records})
        self.crawler.stats.set_value(PUBLISHED_FILES_STAT, published)
        spider.logger.info("archive %s: %d WARC records", self.path, records)

    def engine_stopped(self) -> None:
        """Publication failed after the WARC's rename (the dump's disk full, the store): without the
        job's manifest the WARC is not published, so it goes back to being the part file."""
        if self.published and self.path is not None and self.manifest is not None and not self.manifest.exists():
            reclaim(self.path)


def reclaim(path: Path) -> None:
    """``<job>.warc.gz`` without its job's manifest becomes ``<job>.warc.part`` again; a part file a
    later session started is appended to it (the older records first), never lost."""
    part = partial_path(path)
    if part.exists():
        with open(path, "ab") as whole, open(part, "rb") as later:
            shutil.copyfileobj(later, whole, CHUNK)
            whole.flush()
            os.fsync(whole.fileno())
    os.replace(path, part)
    logger.warning("%s has no manifest (a job killed or failed while publishing): taken back as %s",
                   path, part.name)


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

