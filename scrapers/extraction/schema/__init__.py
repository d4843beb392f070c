"""The record's JSON Schema (``article.schema.json``), shipped as package data, and a reader of its violations."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator


def load_schema() -> dict[str, Any]:
    return json.loads(resources.files(__name__).joinpath("article.schema.json").read_text("utf-8"))


def schema_errors(record: dict[str, Any], validator: Draft202012Validator) -> list[str]:
    """Each violation as 'field: message', in a stable order."""
    errors = sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'.'.join(str(p) for p in e.absolute_path) or '(record)'}: {e.message[:200]}" for e in errors]
