"""The lexicon: every table names its languages, and patterns built from it try longer words first."""

from __future__ import annotations

import re

import pytest

from scrapers.extraction import lexicon

TABLES = {name: value for name, value in vars(lexicon).items() if name.isupper() and isinstance(value, dict)}
WORD_TABLES = {name: table for name, table in TABLES.items() if name != "ZONE_ABBREVIATIONS"}


@pytest.mark.parametrize("name", sorted(WORD_TABLES))
def test_tables_are_keyed_by_language(name: str) -> None:
    table = WORD_TABLES[name]
    assert table
    for language, group in table.items():
        assert language == "*" or re.fullmatch(r"[a-z]{2}", language), language
        assert group and all(isinstance(word, str) and word.strip() == word and word for word in group)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("photos: Jane", "photos"),  # "photos" before "photo"
        ("Photo: Jane", "Photo"),
        ("图片来源：新华社", "图片来源"),  # the whole label, not its first character
    ],
)
def test_alternation_prefers_the_longest_word(text: str, expected: str) -> None:
    pattern = re.compile(lexicon.alternation(lexicon.CREDIT_LABELS), re.I)
    match = pattern.match(text)
    assert match is not None and match.group() == expected


def test_zone_abbreviations_are_iana_zones() -> None:
    from zoneinfo import ZoneInfo

    for abbreviation, zone in lexicon.ZONE_ABBREVIATIONS.items():
        assert abbreviation.isupper()
        ZoneInfo(zone)
