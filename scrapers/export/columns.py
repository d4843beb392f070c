"""The record's columns and their one type in every table, derived from the record's JSON Schema.

JSON leaves types to the reader: DuckDB's ``read_json_auto`` types ``date_published`` as a timestamp in
one dump and as text in another (a date-only value, or a column that is null in every line). The
spec below fixes one type per field, whatever a dump holds.

ISO 8601 dates become UTC timestamps: a value with an offset is converted, one without an offset is
taken as UTC, a date alone is midnight UTC. The JSONL keeps the precision the page gave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..extraction.schema import load_schema

# Kinds of column; each has one DuckDB type and one Arrow type (export/parquet.py).
TEXT, TIMESTAMP, BOOLEAN, INTEGER, TEXT_LIST, IMAGES = "text", "timestamp", "boolean", "integer", "text_list", "images"
# fetched_at has no $ref to isoDate (it always carries an offset) but is a time all the same
TIMESTAMP_FIELDS = {"fetched_at"}
IMAGE_FIELDS = ("url", "caption", "credit", "alt")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str


def record_columns(schema: dict[str, Any] | None = None) -> list[Column]:
    """Every field of the record, in the schema's order, with its kind."""
    schema = schema or load_schema()
    return [Column(name, _kind(name, spec)) for name, spec in schema["properties"].items()]


def _kind(name: str, spec: dict[str, Any]) -> str:
    if spec.get("$ref", "").endswith("/isoDate") or name in TIMESTAMP_FIELDS:
        return TIMESTAMP
    types = spec.get("type", "string")
    types = set(types) if isinstance(types, list) else {types}
    if "array" in types:
        items = spec.get("items", {})
        if items.get("type") == "object":
            if tuple(items.get("properties", {})) != IMAGE_FIELDS:
                raise ValueError(f"{name}: a list of objects other than images has no column type yet")
            return IMAGES
        return TEXT_LIST
    if "boolean" in types:
        return BOOLEAN
    if "integer" in types:
        return INTEGER
    return TEXT


def to_utc(value: str | None) -> dt.datetime | None:
    """An ISO 8601 value of the record as a UTC time (see the module's docstring); None stays None."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)
