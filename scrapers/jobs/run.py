"""One run, whatever started it: a crawl, ``scrapy extract`` of pages or WARC files, ``scrapy reextract``
or the ``ccnews`` spider. Scrapy-free: ``jobs/extension.py`` builds it for a crawl, the commands build
it themselves.

A run owns its identity (output name, site, lock), its date window, its files (dump, failures,
manifest) and their publication, the versioning of its records (the incremental store, or a
re-extraction's source dump), and one set of counts. ``Run.finish`` takes an extracted record and its
crawl metadata and either writes it or records why not::

    stamp metadata -> normalise -> validate (schema: the field named) -> window -> dedupe -> version -> write
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from ..discovery.scope import redact
from ..discovery.window import Window
from ..extraction.article import Record
from ..extraction.text import word_units
from ..health.check import HealthCheck
from .counts import Counts
from .faults import kill_point
from .files import RunFiles, open_partial, partial_path, read_records
from .record import COUNTED_ONLY_STAGES, Dedupe, Refused, Validator, check_window, normalize

logger = logging.getLogger(__name__)

# failures-file stages that are refused records, not failed pages
REFUSAL_STAGES = frozenset({"validate", "window"})


@dataclass(frozen=True)
class RunSpec:
    """What a run is of: the spider (or command) that writes its records, its output name and site
    config, what it starts from, and its date window."""

    spider: str
    name: str
    site: str | None = None
    start_urls: tuple[str, ...] = ()
    window: Window = field(default_factory=Window)
    job_id: str | None = None  # given by the scheduler (Scrapyd's _job); else made up at start


@dataclass(frozen=True, slots=True)
class CrawlMeta:
    """How a record's page was fetched, typed and apart from the article; written into the record once,
    by ``Run.finish``. ``requested`` and ``lastmod`` are for incremental discovery (not in the record)."""

    fetched_at: str | None
    spider: str | None
    warc_record_id: str | None = None
    site: str | None = None
    requested: str | None = None
    lastmod: str | None = None


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class CrawledRecord(dict[str, Any]):
    """An extracted record on its way through Scrapy's item pipelines, with its crawl metadata beside it
    (a typed attribute, not fields of the record): item pipelines see the article as a dict."""

    __slots__ = ("meta", "clean", "_counted")

    def __init__(self, record: dict[str, Any], meta: CrawlMeta) -> None:
        super().__init__(record)
        self.meta = meta
        # built by extraction (a Record): every field already in its documented form, not normalised again,
        # and its body's words counted where it was built
        self.clean = isinstance(record, Record)
        words = record.body_words if isinstance(record, Record) else None
        self._counted: tuple[object, int] | None = None if words is None else (self.get("body"), words)

    def body_words(self) -> int:
        """The body's length in words (``word_units``), counted once for the renderer's test, the validator
        and the health meter: a long body costs a pass over its text each time it is counted."""
        body = self.get("body")
        if self._counted is None or self._counted[0] is not body:  # a pipeline may have replaced the body
            self._counted = (body, word_units(body if isinstance(body, str) else None))
        return self._counted[1]


def body_words(record: dict[str, Any]) -> int:
    """The body's length in words, counted once per record: where extraction built it (``Record.body_words``;
    what ``extract`` and WARC extraction hand to the run), or once on its way through the pipelines
    (``CrawledRecord.body_words``)."""
    if isinstance(record, CrawledRecord):
        return record.body_words()
    if isinstance(record, Record) and record.body_words is not None:  # as trusted as its other fields (normalize)
        return record.body_words
    body = record.get("body")
    return word_units(body if isinstance(body, str) else None)


@dataclass(frozen=True)
class Version:
    """The versioning step's answer: the record's version (None: unknown, the record has no ``version``),
    and whether it is written at all."""

    number: int | None
    kind: str  # "new", "changed" or "unchanged"
    write: bool = True
    meta: CrawlMeta | None = None  # replaces the record's metadata (a re-extraction keeps the fetch's)


class Versions(Protocol):
    """Numbers record versions: the incremental store (``incremental/versions.py``), a re-extraction's
    source dump, or every record is version 1 (``FirstVersions``)."""

    def decide(self, record: dict[str, Any], meta: CrawlMeta) -> Version: ...

    def recover(self, records: Iterable[dict[str, Any]]) -> None: ...

    def pending(self, files: RunFiles) -> None: ...

    def published(self, files: RunFiles) -> None: ...

    def written_ids(self) -> set[str]: ...

    def close(self) -> None: ...


class FirstVersions:
    """No store: every record is new, version 1 (``scrapy extract`` of pages), or of no known version
    (``number=None``: a crawl with the store off, ``-a all=1``; ``scrapy extract`` of WARC files)."""

    def __init__(self, number: int | None = 1) -> None:
        self.number = number

    def decide(self, record: dict[str, Any], meta: CrawlMeta) -> Version:
        return Version(self.number, "new")

    def recover(self, records: Iterable[dict[str, Any]]) -> None:
        pass

    def pending(self, files: RunFiles) -> None:
        pass

    def published(self, files: RunFiles) -> None:
        pass

    def written_ids(self) -> set[str]:
        return set()

    def close(self) -> None:
        pass


def dumps(record: dict[str, Any]) -> bytes:
    """One JSONL line: the record serialised once, as it is written."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8") + b"\n"


Sink = Callable[[dict[str, Any]], object]


class LineWriter(Protocol):
    """Where a run's dump lines go: its own ``.part`` file, or a command's output."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class Run:
    """One run's record path, files and counts (module docstring)."""

    def __init__(self, spec: RunSpec, files: RunFiles | None, *, min_body_words: int,
                 versions: Versions | None = None, versioned: bool = True,
                 dump: LineWriter | None = None, failures: Sink | None = None) -> None:
        self.spec = spec
        self.files = files
        self.window = spec.window
        self.validate = Validator(min_body_words)
        self.dedupe = Dedupe()
        self.versions: Versions = versions or FirstVersions()
        self.counts = Counts(versioned=versioned)
        self.errors: dict[str, str] = {}
        self.health: HealthCheck | None = None  # site health (scrapers/health): measures every record
        # pages a killed job of this JOBDIR already handled (its partial dump and failures file)
        self.done_urls: set[str] = set()
        self.on_write_error: Callable[[], None] = lambda: None
        self.manifest: dict[str, Any] | None = None  # set once this run's manifest is published
        self._dump: LineWriter | None = dump
        self._failure_sink = failures
        self._failures_handle: IO[bytes] | None = None
        self.failure_lines = 0  # lines in the failures file's .part (a resumed job's included)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def job_id(self) -> str | None:
        return self.files.job_id if self.files is not None else self.spec.job_id

    # -- files ---------------------------------------------------------------------------------

    def open_files(self) -> None:
        """Open the dump and the failures file for appending (a resumed job continues its own)."""
        if self.files is None:
            return
        self._recover()
        self._dump = open_partial(self.files.dump)
        self._failures_handle = open_partial(self.files.failures)
        logger.info("writing articles to %s", self.files.dump)

    def _recover(self) -> None:
        """A resumed job: what its partial files hold belongs to it, in its records and in its counts."""
        assert self.files is not None
        records = list(read_records(partial_path(self.files.dump)))
        self.versions.recover(records)
        for record in records:
            if self.health is not None:  # the job's health covers every session of it
                self.health.meter.add(record)
            self.counts.written += 1
            if int(record.get("version") or 1) > 1:
                self.counts.changed += 1
            else:
                self.counts.new += 1
        for entry in read_records(partial_path(self.files.failures)):
            self.failure_lines += 1
            if entry.get("stage") in REFUSAL_STAGES:
                self.counts.refuse(entry.get("reason", "unknown"))
            else:
                self.counts.fail(entry.get("reason", "unknown"))

    def close_files(self) -> None:
        for handle, what in ((self._dump, "the dump"), (self._failures_handle, "the failures file")):
            if handle is None:
                continue
            try:
                handle.close()
            except OSError as err:
                self.error("write", f"closing {what}: {err}")
        self._dump = self._failures_handle = None

    # -- records -------------------------------------------------------------------------------

    def finish(self, record: dict[str, Any], meta: CrawlMeta) -> dict[str, Any] | Refused:
        """Write the record, or record why not: returns the record as written, or the refusal."""
        self._stamp(record, meta)
        try:
            if not (isinstance(record, CrawledRecord) and record.clean):
                normalize(record)  # a Record passes as it is; a hand-built dict is cleaned once
            words = body_words(record)
            if self.health is not None:
                self.health.meter.add(record, words)
            self.validate(record, words)
            check_window(record, self.window)
            self.dedupe(record)
            version = self._version(record, meta)
        except Refused as refused:
            self.refused(refused, record)
            return refused
        if version.meta is not None:
            self._stamp(record, version.meta)
        if version.number is not None:
            record["version"] = version.number
        self.write(record)
        if version.kind == "new":
            self.counts.new += 1
        elif version.kind == "changed":
            self.counts.changed += 1
        else:
            self.counts.unchanged += 1
        return record

    @staticmethod
    def _stamp(record: dict[str, Any], meta: CrawlMeta) -> None:
        record["fetched_at"] = meta.fetched_at
        record["spider"] = meta.spider
        record["warc_record_id"] = meta.warc_record_id
        if meta.site:
            record["site"] = meta.site

    def _version(self, record: dict[str, Any], meta: CrawlMeta) -> Version:
        try:
            version = self.versions.decide(record, meta)
        except Refused:
            raise
        except Exception as err:  # the store is damaged mid-run: the record is lost, the run fails
            self.error("store", f"{type(err).__name__}: {err}")
            raise
        if not version.write:
            raise Refused("incremental", "unchanged", record.get("url") or "")
        return version

    def write(self, record: dict[str, Any]) -> None:
        if self._dump is None:
            self.counts.written += 1
            return
        line = dumps(record)
        try:
            self._dump.write(line)
            self._dump.flush()  # a killed crawl loses at most the line being written
        except OSError as err:
            # disk full, file-size limit: the dump is torn, so this job must not publish it
            self.error("write", f"writing {self.files.dump.name if self.files else 'the dump'}: {err}")
            self.on_write_error()
            raise
        self.counts.written += 1
        kill_point("article_written", self.counts.written)

    def refused(self, refused: Refused, record: dict[str, Any] | None = None) -> None:
        """Count a refusal; a refused record (not a duplicate or an unchanged one) is a failure line, whole."""
        if refused.stage in COUNTED_ONLY_STAGES:
            if refused.reason == "unchanged":
                self.counts.unchanged += 1
            else:
                self.counts.duplicates += 1
            return
        self.counts.refuse(refused.reason)
        self._line({"url": (record or {}).get("url"), "stage": refused.stage, "reason": refused.reason,
                    "detail": refused.detail, **({"record": record} if record is not None else {})})

    def fail(self, url: str | None, stage: str, reason: str, detail: str = "", **extra: Any) -> None:
        """A page (or file) that gave no article: counted by reason and a line of the failures file."""
        self.counts.fail(reason)
        self._line({"url": url, "stage": stage, "reason": reason, "detail": detail, **extra})

    def _line(self, entry: dict[str, Any]) -> None:
        # credentials in a URL never reach the failures file, whichever component reported it
        for key in ("url", "detail"):
            if isinstance(entry.get(key), str):
                entry[key] = redact(entry[key])
        entry["time"] = now_iso()
        if self._failures_handle is not None:
            try:
                self._failures_handle.write(dumps(entry))
                self._failures_handle.flush()
                self.failure_lines += 1
            except OSError as err:
                self.error("write", f"writing the failures file: {err}")
        elif self._failure_sink is not None:
            self._failure_sink(entry)

    def error(self, kind: str, detail: str) -> None:
        """A fault that fails the run; the first of a kind is kept (later ones are usually its consequences)."""
        if kind not in self.errors:
            self.errors[kind] = detail[:300]
            logger.error("job error (%s): %s", kind, detail[:300])

    def close(self) -> None:
        self.close_files()
        self.versions.close()
