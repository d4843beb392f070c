"""The record is defined once, in ``scrapers.extraction.article``: the schema and docs/record.md follow it."""

from __future__ import annotations

import subprocess
import sys

from scrapers.extraction import Article
from scrapers.extraction.article import CRAWL_FIELDS
from scrapers.extraction.schema import load_schema
from tests.harness import ROOT


def test_schema_and_record_page_are_generated_from_article() -> None:
    proc = subprocess.run([sys.executable, "scripts/record_docs.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_every_record_field_is_in_the_schema_with_its_docstring() -> None:
    schema = load_schema()
    record = Article(url="https://site.example/a/1.html").to_dict()
    for name in record:
        assert schema["properties"][name]["description"], name
    assert set(schema["properties"]) == set(record) | set(CRAWL_FIELDS)
