"""Rewrite tests/fixtures/*/expected.json from the current extraction output.

    python tests/regenerate_fixtures.py [CASE ...]

Review the diff before committing: the expected files are the specification, and this
script only saves a human from typing them. Cases are the folders of tests/fixtures;
with no argument every case is rewritten.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.extraction import extract_article

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Set by the spider and the pipelines, never by extract_article: not part of a golden record.
VOLATILE_FIELDS = ("fetched_at", "spider")


def case_dirs() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if (p / "page.html").is_file())


def extract_record(case: Path) -> dict[str, object]:
    """The record a golden case compares: to_dict() without the volatile fields."""
    url_file = case / "url.txt"
    url = url_file.read_text(encoding="utf-8").strip() if url_file.is_file() else None
    article = extract_article((case / "page.html").read_bytes(), url)
    record = article.to_dict()
    for name in VOLATILE_FIELDS:
        record.pop(name, None)
    return record


def main(names: list[str]) -> int:
    cases = [FIXTURES / n for n in names] if names else case_dirs()
    for case in cases:
        record = extract_record(case)
        text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
        (case / "expected.json").write_text(text, encoding="utf-8")
        print(f"wrote {case.name}/expected.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
