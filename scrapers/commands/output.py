"""``-o FILE`` of ``scrapy extract`` and ``scrapy reextract``: a dump like a crawl's, so its name ends in
``.jsonl`` or ``.jsonl.gz`` (written gzip-compressed) and it is published only when it holds a record.

The name is checked before anything is read: another suffix would give a dump that the data teams'
glob (``*.jsonl*``) and ``scrapy validate`` read wrong (JSON Lines under ``.gz`` or ``.csv``)."""

from __future__ import annotations

from pathlib import Path

from scrapy.exceptions import UsageError

from ..jobs.files import partial_path, publish

DUMP_SUFFIXES = (".jsonl", ".jsonl.gz")


def output_path(value: str) -> Path:
    """The ``-o`` file, checked; ``UsageError`` (one line, exit 2) names what is wrong."""
    path = Path(value).expanduser()
    if value.endswith(("/", "\\")) or path.is_dir():
        raise UsageError(f"-o {value} is a folder: give a file name ending in .jsonl or .jsonl.gz", print_help=False)
    if not path.name.endswith(DUMP_SUFFIXES) or path.name in DUMP_SUFFIXES:
        raise UsageError(f"-o {value}: expected a file name ending in .jsonl, or .jsonl.gz for a gzip-compressed "
                         "dump (JSON Lines, like a crawl's)", print_help=False)
    if not path.parent.is_dir():
        raise UsageError(f"-o {value}: the folder {path.parent} does not exist", print_help=False)
    return path


def publish_dump(path: Path, written: int) -> str | None:
    """Publish the dump written to its ``.part`` (gzip-compressed for ``.jsonl.gz``) and return None; a
    run that wrote no record publishes none and returns the summary's words for that. An older file
    of that name is removed then: the new manifest, ``"dump": null``, must not stand beside it."""
    if written:
        publish(path, use_gzip=path.name.endswith(".gz"))
        return None
    partial_path(path).unlink(missing_ok=True)
    note = "no dump published"
    if path.exists():
        path.unlink()
        note += f", the earlier {path.name} removed"
    return note
