"""Dumps to one Parquet file (pyarrow, optional: ``pip install 'presswire[parquet]'``), with the
columns and types of the DuckDB view (``export.columns``).

Records are read a dump at a time and written in row groups, so memory stays flat whatever the
number of dumps.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from scrapers.export.columns import (
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


def export_parquet(dumps: Iterable[Path], out: Path) -> int:
    """Write every record of the dumps to ``out``; returns the number of rows."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    columns = record_columns()
    schema = arrow_schema(columns)
    rows = 0
    tmp = out.with_name(out.name + ".part")
    with pq.ParquetWriter(tmp, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in _records(dumps):
            batch.append(_row(record, columns))
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                rows, batch = rows + len(batch), []
        if batch or not rows:  # an empty export still has the columns
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            rows += len(batch)
    tmp.replace(out)  # a reader never sees half a file
    return rows


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


def _records(dumps: Iterable[Path]) -> Iterator[dict[str, Any]]:
    for path in dumps:
        with _open(path) as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def _open(path: Path) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "rb")) if path.name.endswith(".gz") else open(path, "rb")


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise ParquetUnavailable("the Parquet export needs pyarrow: pip install 'presswire[parquet]' "
                                 "(or pip install pyarrow)") from None
    return pyarrow
