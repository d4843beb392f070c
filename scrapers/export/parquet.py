"""Dumps to one Parquet file (pyarrow, optional: ``pip install 'presswire[parquet]'``), with the
columns and types of the DuckDB view (``export.columns``).

One row per article, its latest record, as the view ``articles`` (``all_versions``: every record, as
``article_versions``). Records are read a dump at a time and written in row groups: a first pass
notes each article's latest record, so memory holds one small entry per article, not the records.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import gzip
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from .columns import (
    BOOLEAN,
    IMAGE_FIELDS,
    IMAGES,
    INTEGER,
    TEXT_LIST,
    TIMESTAMP,
    Column,
    record_columns,
    to_utc,
)

ROW_GROUP = 10_000


class ParquetUnavailable(RuntimeError):
    """pyarrow is not installed: the export is optional."""


class DumpUnreadable(ValueError):
    """A dump line that is not a JSON record (or a .gz that is not gzip): the message names file and line."""


Position = tuple[int, int]  # (dump, line): where a record is
NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)  # a record without fetched_at comes before any other


def arrow_schema(columns: list[Column]) -> Any:
    pa = _pyarrow()
    types = {
        TIMESTAMP: pa.timestamp("us", tz="UTC"),
        BOOLEAN: pa.bool_(),
        INTEGER: pa.int64(),
        TEXT_LIST: pa.list_(pa.string()),
        IMAGES: pa.list_(pa.struct([(field, pa.string()) for field in IMAGE_FIELDS])),
    }
    return pa.schema([(c.name, types.get(c.kind, pa.string())) for c in columns])


def export_parquet(dumps: Iterable[Path], out: Path, all_versions: bool = False) -> int:
    """Write the latest record of every article (``all_versions``: every record) to ``out``; returns the
    number of rows. ``DumpUnreadable`` for a line that is not a record; ``OSError`` when ``out`` cannot
    be written (nothing is left behind)."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    dumps = list(dumps)
    latest, highest = _survey(dumps)
    columns = record_columns()
    schema = arrow_schema(columns)
    rows = 0
    # a name of this process's own: two exports to one file each write whole, the last rename wins
    tmp = out.with_name(f"{out.name}.{os.getpid()}.part")
    held = _hold(tmp)
    try:
        _remove_abandoned_parts(out)
        rows = _write(pq.ParquetWriter(tmp, schema), pa, schema, columns, dumps, latest, highest, all_versions)
        tmp.replace(out)  # a reader never sees half a file
    finally:
        tmp.unlink(missing_ok=True)
        os.close(held)
    return rows


def _hold(part: Path) -> int:
    """``part`` created and locked (``flock``) for as long as the export runs: a sign to other exports to
    the same name that it is in progress."""
    held = os.open(part, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
    except OSError:  # a file system without locks: the process id in the name still tells
        pass
    return held


def _remove_abandoned_parts(out: Path) -> None:
    """Remove the ``OUT.<pid>.part`` files that exports killed before their rename left: their process is
    gone from this machine and nothing holds their lock (an export on another machine sharing the folder
    holds its lock)."""
    pattern = re.compile(re.escape(out.name) + r"\.(\d+)\.part")
    for part in out.parent.iterdir():
        found = pattern.fullmatch(part.name)
        if found is None or int(found.group(1)) == os.getpid() or _process_exists(int(found.group(1))):
            continue
        try:
            held = os.open(part, os.O_WRONLY)
        except OSError:  # gone meanwhile, or not ours to open
            continue
        try:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            part.unlink(missing_ok=True)
        except OSError:  # locked: an export is writing it
            pass
        finally:
            os.close(held)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _write(writer: Any, pa: Any, schema: Any, columns: list[Column], dumps: list[Path],
           latest: dict[str, Position], highest: dict[str, int], all_versions: bool) -> int:
    rows = 0
    with writer:
        batch: list[dict[str, Any]] = []
        for position, record in _records(dumps):
            key = record.get("id")
            if not all_versions and isinstance(key, str) and latest.get(key) != position:
                continue
            if not isinstance(record.get("version"), int):
                record["version"] = highest.get(key, 1) if isinstance(key, str) else 1
            batch.append(_row(record, columns))
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                rows, batch = rows + len(batch), []
        if batch or not rows:  # an empty export still has the columns
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            rows += len(batch)
    return rows


def _survey(dumps: list[Path]) -> tuple[dict[str, Position], dict[str, int]]:
    """Each article's latest record (last fetched, then highest version: the view's order) and its
    highest version."""
    best: dict[str, tuple[tuple[dt.datetime, int], Position]] = {}
    highest: dict[str, int] = {}
    for position, record in _records(dumps):
        key = record.get("id")
        if not isinstance(key, str):
            continue
        version = record.get("version")
        if isinstance(version, int):
            highest[key] = max(version, highest.get(key, 1))
        fetched = to_utc(record.get("fetched_at")) if isinstance(record.get("fetched_at"), str) else None
        rank = (fetched or NEVER, version if isinstance(version, int) else 0)
        if key not in best or rank > best[key][0]:
            best[key] = (rank, position)
    return {key: position for key, (_, position) in best.items()}, highest


def _row(record: dict[str, Any], columns: list[Column]) -> dict[str, Any]:
    row = {}
    for column in columns:
        value = record.get(column.name)
        if column.kind == TIMESTAMP:
            value = to_utc(value)
        elif column.kind == IMAGES and value is not None:
            value = [{field: image.get(field) for field in IMAGE_FIELDS} for image in value]
        row[column.name] = value
    return row


def _records(dumps: list[Path]) -> Iterator[tuple[Position, dict[str, Any]]]:
    for index, path in enumerate(dumps):
        number = 0
        try:
            with _open(path) as handle:
                for number, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except ValueError:
                        record = None
                    if not isinstance(record, dict):
                        raise DumpUnreadable(f"{path} line {number}: not a JSON record")
                    yield (index, number), record
        except (gzip.BadGzipFile, EOFError, UnicodeDecodeError) as err:
            raise DumpUnreadable(f"{path}: not a readable dump ({err})") from None


def _open(path: Path) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "rb")) if path.name.endswith(".gz") else open(path, "rb")


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise ParquetUnavailable("the Parquet export needs pyarrow: pip install 'presswire[parquet]' "
                                 "(or pip install pyarrow)") from None
    return pyarrow
