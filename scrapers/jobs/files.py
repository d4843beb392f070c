"""Where one crawl job writes (the dump, its failures file and its manifest share one stem), and how a file
is written while the job runs (``NAME.part``) and published (fsync, atomic rename).

The names keep one glob for data teams (README, "Output for data teams"): ``*.jsonl*`` under
``crawl=*/date=*/`` matches the published dumps (``.jsonl``, ``.jsonl.gz``) and nothing else, so the
failures file is ``.failures.ndjson`` and a dump being written is ``<job>.dump.part``."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .faults import kill_point

FAILURES_SUFFIX = ".failures.ndjson"
MANIFEST_SUFFIX = ".manifest.json"


@dataclass(frozen=True)
class RunFiles:
    job_id: str
    started_at: dt.datetime
    dump: Path
    failures: Path
    manifest: Path
    gzip: bool


def job_files(root: str | Path, pattern: str, name: str, job_id: str, started_at: dt.datetime,
              use_gzip: bool = False) -> RunFiles:
    """A job's files: ``<root>/<pattern>`` with the output name, the start date and the job id."""
    relative = pattern.format(name=name, date=f"{started_at:%Y-%m-%d}", job_id=job_id)
    dump = Path(root) / relative
    return RunFiles(
        job_id=job_id,
        started_at=started_at,
        dump=dump.with_name(dump.name + ".gz") if use_gzip else dump,
        failures=failures_path(dump),
        manifest=manifest_path(dump),
        gzip=use_gzip,
    )


# a JOB_ID taken by an earlier job in the same folder: the next free of nightly-2 ... nightly-999
MAX_SUFFIX = 999


class NoFreeJobName(Exception):
    """Every suffixed name of a job id is taken in its folder."""


def claim_job_files(root: str | Path, pattern: str, name: str, job_id: str, started_at: dt.datetime,
                    use_gzip: bool = False) -> RunFiles:
    """A new job's files under a name no other job has used: ``job_id``, else ``job_id-2``, ``-3``...
    A name is taken when any of its files (dump, failures file, manifest, their ``.part``) exists; the
    dump's ``.part`` is created with O_EXCL as the claim, so two jobs starting at once never share one."""
    for n in range(1, MAX_SUFFIX + 1):
        files = job_files(root, pattern, name, job_id if n == 1 else f"{job_id}-{n}", started_at, use_gzip)
        taken = (files.dump, files.failures, files.manifest, partial_path(files.failures))
        if any(path.exists() for path in taken):
            continue
        part = partial_path(files.dump)
        part.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.close(os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        return files
    raise NoFreeJobName(f"job id {job_id}: {job_id}-2 to {job_id}-{MAX_SUFFIX} are taken in {files.dump.parent} "
                        "too; give the crawl another JOB_ID")


def job_stem(dump: Path) -> str:
    """``<job>`` of ``<job>.jsonl`` or ``<job>.jsonl.gz``: the name the job's other files share."""
    return dump.name.removesuffix(".gz").removesuffix(".jsonl")


def failures_path(dump: Path) -> Path:
    return dump.with_name(job_stem(dump) + FAILURES_SUFFIX)


def manifest_path(dump: Path) -> Path:
    return dump.with_name(job_stem(dump) + MANIFEST_SUFFIX)


def is_dump(path: Path) -> bool:
    """A published dump's name: ``.jsonl`` or ``.jsonl.gz``, not a failures file of an older layout."""
    name = path.name
    return name.endswith((".jsonl", ".jsonl.gz")) and ".failures." not in name


def find_dumps(paths: list[Path]) -> list[Path]:
    """The published dumps among files and under folders, in a stable order; FileNotFoundError names
    a path that does not exist. A file given by name is taken as it is."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.jsonl*") if is_dump(p))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(str(path))
    return found


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a (possibly partial) JSONL file; a torn line left by a kill is skipped."""
    if not path.exists():
        return
    with open(path, "rb") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


def partial_path(path: Path) -> Path:
    """Lines go to NAME.part (always plain JSONL) while the run lasts; NAME appears only when complete.
    A dump's is ``<job>.dump.part``: no ``.jsonl`` in it, so the data teams' glob never matches it."""
    name = path.name.removesuffix(".gz")
    if name.endswith(".jsonl"):
        return path.with_name(name.removesuffix(".jsonl") + ".dump.part")
    return path.with_name(name + ".part")


def open_partial(path: Path) -> IO[bytes]:
    """Open NAME.part for appending, first trimming a torn last line left by a killed run."""
    part = partial_path(path)
    part.parent.mkdir(parents=True, exist_ok=True)
    handle = open(part, "a+b")
    size = handle.seek(0, os.SEEK_END)
    if size:
        handle.seek(max(0, size - 65536))
        tail = handle.read()
        if not tail.endswith(b"\n"):
            cut = tail.rfind(b"\n")
            keep = size - len(tail) + cut + 1 if cut >= 0 else (0 if size <= 65536 else size)
            handle.truncate(keep)
        handle.seek(0, os.SEEK_END)
    return handle


def reclaim_unpublished(path: Path, manifest: Path, use_gzip: bool) -> None:
    """A file under its final name without the job's manifest was renamed by a job killed while it
    published: it is not published, so it becomes the ``.part`` again, and the resumed job appends
    to it instead of publishing a shorter file over it."""
    part = partial_path(path)
    if manifest.exists() or not path.exists():
        return
    if part.exists():
        # the rename happened (the gzip copy was renamed, or the .part re-created): keep the longer
        if _size(part) >= _size(path, use_gzip):
            path.unlink()
            return
    if use_gzip:
        with gzip.open(path, "rb") as packed, open(part, "wb") as raw:
            shutil.copyfileobj(packed, raw)
        path.unlink()
    else:
        os.replace(path, part)


def _size(path: Path, use_gzip: bool = False) -> int:
    if not use_gzip:
        return path.stat().st_size
    with gzip.open(path, "rb") as packed:
        return sum(len(chunk) for chunk in iter(lambda: packed.read(1 << 20), b""))


def write_atomically(path: Path, data: bytes, fault_point: str = "") -> None:
    """Temp file, fsync, rename, directory fsync: a reader sees the old file or the whole new one."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:  # a full disk, Ctrl-C: no half-written temp file left beside the old one
        tmp.unlink(missing_ok=True)
        raise
    kill_point(fault_point)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(path: Path, use_gzip: bool = False) -> None:
    """Move NAME.part to NAME atomically (compressing it first for .gz); fsync before the rename."""
    part = partial_path(path)
    if not part.exists():
        part.parent.mkdir(parents=True, exist_ok=True)
        part.touch()
    source = part
    if use_gzip:
        source = part.with_name(part.name + ".gz")
        with open(part, "rb") as raw, gzip.open(source, "wb") as packed:
            shutil.copyfileobj(raw, packed)
    with open(source, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(source, path)
    if source != part:
        part.unlink()
    fsync_dir(path.parent)


CHUNK = 1 << 20


def file_digest(path: Path, is_gzip: bool) -> tuple[str, int]:
    """sha256 of the file as stored, and the line count of its (decompressed) content, read in chunks:
    a dump can be far larger than memory."""
    sha = hashlib.sha256()
    lines = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            sha.update(chunk)
            if not is_gzip:
                lines += chunk.count(b"\n")
    if is_gzip:
        with gzip.open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                lines += chunk.count(b"\n")
    return sha.hexdigest(), lines


def published_whole(manifest: Path) -> bool:
    """Whether the job of ``manifest`` is published: its manifest exists and names a dump (or none) that
    is there and matches its sha256 and line count. Before a later run counts the job's articles as
    written: a dump deleted or replaced after its manifest never makes the store claim them."""
    try:
        document = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(document, dict):
        return False
    if document.get("dump") is None:
        return True
    dump = manifest.with_name(str(document["dump"]))
    try:
        return file_digest(dump, dump.suffix == ".gz") == (document.get("sha256"), document.get("lines"))
    except OSError:
        return False
