"""The record's JSON Schema (``article.schema.json``), shipped as package data, and a reader of its violations."""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


def load_schema() -> dict[str, Any]:
    return json.loads(resources.files(__name__).joinpath("article.schema.json").read_text("utf-8"))


def schema_validator(formats: bool = False) -> Draft202012Validator:
    """jsonschema's validator of the schema (``formats``: with its format checker), to name every violation.
    Imported on use: a crawl checks its records with the compiled schema and needs it only for a bad one."""
    from jsonschema import Draft202012Validator

    checker = Draft202012Validator.FORMAT_CHECKER if formats else None
    return Draft202012Validator(load_schema(), format_checker=checker)


def schema_errors(record: dict[str, Any], validator: Draft202012Validator) -> list[str]:
    """Each violation as 'field: message', in a stable order."""
    errors = sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'.'.join(str(p) for p in e.absolute_path) or '(record)'}: {e.message[:200]}" for e in errors]
