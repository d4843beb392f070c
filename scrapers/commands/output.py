"""``-o FILE`` of ``scrapy extract`` and ``scrapy reextract``: a dump like a crawl's, so its name ends in
``.jsonl`` or ``.jsonl.gz`` (written gzip-compressed) and it is published only when it holds a record.

The name is checked before anything is read: another suffix would give a dump that the data teams'
glob (``*.jsonl*``) and ``scrapy validate`` read wrong (JSON Lines under ``.gz`` or ``.csv``).

An output that cannot be written (a full disk, a file-size limit, standard output piped to ``head``
that has closed) ends the command with ``OutputUnwritable``, which names it: its ``.part`` is removed
and nothing is published. A crawl's job goes on past a torn dump to publish its failures; a command
the user runs by hand has nothing to gain from extracting pages it cannot write. A ``.part`` is locked
from its first line to its publication: a second command given the same name is refused
(``OutputBusy``) instead of truncating the first one's lines.
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from scrapy.exceptions import UsageError

from ..jobs.files import partial_path, publish
from .program import program
from .stopped import exit_code

DUMP_SUFFIXES = (".jsonl", ".jsonl.gz")


class OutputUnwritable(Exception):
    """``target`` (``-o FILE``, ``--failures FILE``, standard output) could not be written."""

    def __init__(self, target: str, error: OSError, partial: bool = False) -> None:
        super().__init__(f"{target}: cannot write ({error.strerror or error})")
        self.error = error
        self.partial = partial  # a file written as .part: nothing of the run was published

    @property
    def reader_gone(self) -> bool:
        """Standard output's reader closed it (``| head``): the user has what they wanted."""
        return isinstance(self.error, BrokenPipeError)


class GuardedOutput:
    """A binary stream whose write errors end the command as ``OutputUnwritable`` naming ``target``."""

    def __init__(self, stream: IO[bytes], target: str, partial: bool = False) -> None:
        self.stream = stream
        self.target = target
        self.partial = partial

    def write(self, data: bytes) -> int:
        try:
            return self.stream.write(data)
        except OSError as err:
            raise OutputUnwritable(self.target, err, self.partial) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as err:
            raise OutputUnwritable(self.target, err, self.partial) from None

    def close(self) -> None:
        self.stream.close()


class OutputBusy(OutputUnwritable):
    """Another command is writing the same ``-o`` file now (two jobs given one name)."""

    def __init__(self, target: str, part: Path) -> None:
        Exception.__init__(self, f"{target}: another command is writing it now ({part} is locked); nothing "
                                 "written: give this run another name, or run it when that one has finished")
        self.error = BlockingIOError()
        self.partial = False


@contextmanager
def partial_output(path: Path, target: str) -> Iterator[GuardedOutput]:
    """``path``'s ``.part``, open for the run's lines and locked (``flock``) while the block lasts: publish
    inside it, so that no other command writes the same name between the last line and the rename. Removed
    when it, or another output of the run, could not be written (nothing is published then). Another
    command writing the same ``.part`` now: ``OutputBusy``, and its file is left alone."""
    part = partial_path(path)
    try:
        raw = open(part, "ab")  # not truncated before the lock is ours: it may be another command's
    except OSError as err:
        raise OutputUnwritable(target, err, partial=True) from None
    failed = True
    try:
        try:
            fcntl.flock(raw.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputBusy(target, part) from None
        raw.truncate(0)  # a killed run's lines are not this run's
        try:
            yield GuardedOutput(raw, target, partial=True)
        except BaseException:  # nothing is published: the lines written so far go too
            part.unlink(missing_ok=True)
            raise
        try:
            raw.flush()
        except OSError as err:
            part.unlink(missing_ok=True)
            raise OutputUnwritable(target, err, partial=True) from None
        failed = False
    finally:
        try:
            raw.close()  # after a failed write it tries the same bytes again
        except OSError as err:
            if not failed:
                part.unlink(missing_ok=True)
                raise OutputUnwritable(target, err, partial=True) from None


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


@contextmanager
def publishing(target: str) -> Iterator[None]:
    """Publication (the rename, a gzip copy, the manifest) on a disk that fills: ``OutputUnwritable``."""
    try:
        yield
    except OSError as err:
        raise OutputUnwritable(target, err) from None


# as a shell reports a command that SIGPIPE ended (``yes | head``)
EXIT_READER_GONE = exit_code(signal.SIGPIPE)


# another run holds the name: try again later (as a crawl whose site another run holds)
EXIT_BUSY = 75


def report_unwritable(error: OutputUnwritable, command: str) -> int:
    """One line (none when standard output's reader has closed it) and the command's exit code."""
    if isinstance(error, OutputBusy):
        print(f"{program()} {command}: {error}", file=sys.stderr)
        return EXIT_BUSY
    if error.reader_gone:
        # the reader has what it wanted; and Python's own flush of stdout at exit must not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_READER_GONE
    after = "; nothing published" if error.partial else ""
    print(f"{program()} {command}: {error}{after}", file=sys.stderr)
    return 1
