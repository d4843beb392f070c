"""The record contract (scrapers/jobs/record.py) on records built the way the spider builds them."""

from __future__ import annotations

import copy

import pytest

from scrapers.extraction import extract_article
from scrapers.jobs.record import (
    Dedupe,
    Refused,
    Validator,
    clean_authors,
    clean_body,
    clean_date,
    clean_text,
    normalize,
)
from tests.regenerate_fixtures import case_dirs

PARAGRAPH = "The harbour board met on Tuesday to decide the future of the old crane. " * 6
PAGE = f"""<html lang="en"><head><title>Crane to stay | Gazette</title>
<link rel="canonical" href="https://news.example/business/2026/11/20/crane-to-stay.html?utm_source=x">
<meta name="author" content="By  Jane Doe and Omar Haddad">
<meta property="article:published_time" content="2026-11-20T08:30:00+01:00"></head>
<body><article><h1>Crane to stay</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH.upper()}</p></article></body></html>"""


def record() -> dict:
    data = extract_article(PAGE, url="https://news.example/business/2026/11/20/crane-to-stay.html").to_dict()
    data.update(fetched_at="2026-11-20T09:00:00+00:00", spider="news")
    return data


@pytest.mark.parametrize(
    ("value", "expected"),
    [("  A\u00a0 b\n c ", "A b c"), ("", None), (None, None), ("Cafe\u0301", "Caf\u00e9")],
)
def test_clean_text(value, expected) -> None:
    assert clean_text(value) == expected


def test_clean_body_keeps_paragraphs() -> None:
    assert clean_body("One  two.\n\n\n Three\nFour ") == "One two.\n\nThree\n\nFour"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["By Jane Doe and Omar Haddad"], ["Jane Doe", "Omar Haddad"]),
        (["Jane Doe", "jane doe"], ["Jane Doe"]),
        (["Von Klaus Weber"], ["Klaus Weber"]),
        (["Harbour Press Agency"], ["Harbour Press Agency"]),
        ([], []),
    ],
)
def test_clean_authors(value, expected) -> None:
    assert clean_authors(value) == expected


@pytest.mark.parametrize(
    ("value", "raw", "expected"),
    [
        ("2026-11-20T08:30:00+01:00", None, "2026-11-20T08:30:00+01:00"),
        (None, "2026-11-20T08:30:00.123+0100", "2026-11-20T08:30:00+01:00"),
        (None, "20 November 2026, 14:05 GMT", "2026-11-20T14:05:00+00:00"),
        (None, "2026-11-12", "2026-11-12"),
        (None, "not a date at all", None),
        ("yesterday", None, None),
    ],
)
def test_clean_date(value, raw, expected) -> None:
    assert clean_date(value, raw) == expected


def test_normalize_canonicalises_and_sets_ids() -> None:
    item = normalize(dict(record()))
    assert item["canonical_url"] == "https://news.example/business/2026/11/20/crane-to-stay.html?utm_source=x"
    assert len(item["id"]) == 32 and len(item["content_hash"]) == 64
    assert item["authors"] == ["Jane Doe", "Omar Haddad"]


class make_validate:
    def __init__(self, min_words: int = 50) -> None:
        self.check = Validator(min_words)

    def process_item(self, item: dict) -> dict:
        self.check(item)
        return item


def test_validate_accepts_a_real_record() -> None:
    item = normalize(record())
    assert make_validate().process_item(item) is item


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"body": "Too short to be an article."}, "not_article"),
        ({"date_published": "20/11/2026"}, "schema_violation"),
        ({"authors": "Jane Doe"}, "schema_violation"),
        ({"unexpected": 1}, "schema_violation"),
    ],
)
def test_validate_drops_with_reason(change, reason) -> None:
    item = normalize(record())
    item.update(change)
    with pytest.raises(Refused) as info:
        make_validate().process_item(item)
    assert info.value.reason == reason and info.value.stage == "validate"


def test_schema_1_0_records_without_standfirst_stay_valid() -> None:
    """Schema 1.1 added standfirst: a 1.1 record must carry it, a 1.0 record (older dumps) need not."""
    item = normalize(record())
    del item["standfirst"]
    with pytest.raises(Refused) as info:
        make_validate().process_item(dict(item))
    assert info.value.reason == "schema_violation"
    item["schema_version"] = "1.0"
    assert make_validate().process_item(item) is item


def test_dedupe_by_url_and_by_body() -> None:
    pipeline = Dedupe()
    first = normalize(record())
    pipeline(first)
    with pytest.raises(Refused, match="duplicate_url"):
        pipeline(copy.deepcopy(first))
    moved = copy.deepcopy(first)
    moved["id"] = "0" * 32
    with pytest.raises(Refused, match="duplicate_body"):
        pipeline(moved)


def test_extracted_records_are_already_normal() -> None:
    """Extraction gives every field its documented form: the pipeline has nothing left to change."""
    extracted = record()
    assert normalize(copy.deepcopy(extracted)) == extracted
    raw = dict(extracted)  # the same values in a plain dict go through every cleaner and come out the same
    assert normalize(raw) == extracted


def test_raw_records_are_normalised() -> None:
    raw = {**record(), "title": "  Crane\u00a0 to stay ", "authors": ["By Jane Doe and Omar Haddad"],
           "canonical_url": "https://news.example/b?y=2&x=1#top", "date_published": None,
           "date_published_raw": "20 November 2026, 14:05 GMT"}
    item = normalize(raw)
    assert item["title"] == "Crane to stay"
    assert item["authors"] == ["Jane Doe", "Omar Haddad"]
    assert item["canonical_url"] == "https://news.example/b?x=1&y=2"
    assert item["date_published"] == "2026-11-20T14:05:00+00:00"


@pytest.mark.parametrize("case", case_dirs(), ids=[c.name for c in case_dirs()])
def test_golden_records_are_already_normal(case) -> None:
    extracted = extract_article((case / "page.html").read_bytes(), url=(case / "url.txt").read_text().strip()).to_dict()
    assert normalize(dict(extracted)) == extracted
