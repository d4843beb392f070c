"""Golden pages: each tests/fixtures/<case>/ holds a page we wrote and the record we expect.

expected.json is the whole to_dict() record minus the fields the spider sets (see
VOLATILE_FIELDS in regenerate_fixtures.py). Fields are compared whole, and all
mismatching fields of a case are reported together. An expectation is refused before it
is compared when it is incomplete (only complete articles are test cases) or breaks a
promise of the README (a body that opens with the headline, a caption or the byline).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapers.extraction.text import norm
from tests.regenerate_fixtures import case_dirs, extract_record

CASES = case_dirs()
# Every golden page is a complete article: these fields may never be expected empty.
REQUIRED_FIELDS = ("title", "body", "authors", "date_published", "byline_raw")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_expectation_is_complete_and_clean(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    empty = [name for name in REQUIRED_FIELDS if expected.get(name) in (None, "", [])]
    assert not empty, f"expected.json leaves out {empty}: only complete articles are test cases"
    paragraphs = expected["body"].split("\n\n")
    first = norm(paragraphs[0])
    captions = {norm(image["caption"]) for image in expected["images"] if image.get("caption")}
    assert first != norm(expected["title"]), "the body opens with the headline"
    assert not any(first.startswith(caption) for caption in captions), "the body opens with a caption"
    assert first != norm(expected["byline_raw"]), "the body opens with the byline"
    assert all(part.strip() == part and part for part in paragraphs), "empty or padded paragraphs"
    page = (case / "page.html").read_text(encoding="utf-8")
    if page.count("<p>") > 1:
        assert len(paragraphs) > 1, "paragraphs of the page joined into one"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_page(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    actual = extract_record(case)
    assert set(actual) == set(expected)
    mismatches = {name: (actual[name], expected[name]) for name in expected if actual[name] != expected[name]}
    assert not mismatches, "fields differ (actual, expected):\n" + json.dumps(mismatches, ensure_ascii=False, indent=1)
