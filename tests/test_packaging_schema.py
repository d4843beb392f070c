"""The published JSON Schema names its version in ``$id``, and it is the version records carry."""

from __future__ import annotations

import re

from scrapers.extraction import SCHEMA_VERSION
from scrapers.extraction.schema import load_schema


def test_schema_id_and_schema_version_agree() -> None:
    schema = load_schema()
    match = re.fullmatch(r"https://presswire\.example/schema/article-(\d+\.\d+)\.json", schema["$id"])
    assert match, schema["$id"]
    assert match.group(1) == SCHEMA_VERSION
    assert SCHEMA_VERSION in schema["properties"]["schema_version"].get("enum", [SCHEMA_VERSION])
