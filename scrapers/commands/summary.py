"""The end-of-run summary line: the counts, then every file the run wrote or used — the dump, the
incremental store (an absolute path: a crawl run from another folder uses another store) and each
``-o``/``-O`` feed file with its line count, saying when it replaced or extended an earlier file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from ..incremental.store import store_path
from ..jobs.files import partial_path
from ..jobs.run import Run


@dataclass(frozen=True)
class Feed:
    """A feed file on the local disk, as it was before the crawl opened it."""

    path: Path
    overwrite: bool
    lines_before: int  # 0: no file, or an empty one


def line_count(path: Path) -> int:
    """Lines of a file (a last line without a newline counts); 0 when there is no file."""
    try:
        with path.open("rb") as handle:
            count, last = 0, b"\n"
            while chunk := handle.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 0
    return count + (last != b"\n")


def local_feeds(settings: BaseSettings) -> list[Feed]:
    """The ``FEEDS`` (``-o``/``-O``) written to a fixed local file, read before the crawl starts."""
    feeds = []
    for uri, options in settings.getdict("FEEDS").items():
        parts = urlsplit(str(uri))
        if parts.scheme and parts.scheme != "file" and len(parts.scheme) > 1:
            continue  # s3://, ftp://, … (a one-letter scheme is a Windows drive)
        path = parts.path if parts.scheme == "file" else str(uri)
        if "%(" in path:
            continue  # %(name)s and %(time)s are filled in when the feed opens
        overwrite = bool((options or {}).get("overwrite", False)) if isinstance(options, dict) else False
        target = Path(path).expanduser()
        feeds.append(Feed(target, overwrite, line_count(target)))
    return feeds


def feed_part(feed: Feed) -> str:
    part = f"feed {feed.path} ({line_count(feed.path)} lines"
    if feed.lines_before and feed.overwrite:
        part += f"; -O replaced an earlier file of {feed.lines_before} lines"
    elif feed.lines_before:
        part += f"; -o appended to an earlier file of {feed.lines_before} lines"
    return part + ")"


def summary_line(run: Run, settings: BaseSettings, feeds: list[Feed] | tuple[Feed, ...] = ()) -> str:
    """``summary: …``, as the crawl command prints it at every log level."""
    files = []
    # only a dump this run published (its manifest written) is named: never a .part, an older job's file
    published = run.manifest is not None and run.manifest.get("dump") is not None
    dump = str(run.files.dump) if run.files is not None and published else None
    if run.files is not None and run.manifest is not None and not published:
        files.append(f"no dump: nothing to write (the run and its counts are in {run.files.manifest})")
    elif run.files is not None and run.manifest is None and run.counts.written:
        files.append(f"nothing published (the articles written are kept in {partial_path(run.files.dump)})")
    if run.counts.versioned:
        files.append(f"store {store_path(settings).resolve()}")
    files += [feed_part(feed) for feed in feeds]
    return "summary: " + run.counts.summary_line(dump, files)
