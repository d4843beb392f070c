"""Golden pages: each tests/fixtures/<case>/ holds a page we wrote and the record we expect.

expected.json is the whole to_dict() record minus the fields the spider sets (see
VOLATILE_FIELDS in regenerate_fixtures.py). Fields are compared whole, and all
mismatching fields of a case are reported together.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.regenerate_fixtures import case_dirs, extract_record

CASES = case_dirs()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_page(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    actual = extract_record(case)
    assert set(actual) == set(expected)
    mismatches = {name: (actual[name], expected[name]) for name in expected if actual[name] != expected[name]}
    assert not mismatches, "fields differ (actual, expected):\n" + json.dumps(mismatches, ensure_ascii=False, indent=1)
