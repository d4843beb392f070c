"""A publication instant declared in UTC, written in the offset the page's own wall-clock time shows.

Pages written for these tests: a short council report whose CMS declares the instant in UTC and
prints its local time elsewhere (a data layer, a page variable, another field).
"""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article, rules

URL = "https://news.example/2024/03/05/council-budget"
TEXT = "<p>The council approved the budget late in the evening after a long debate about the harbour.</p>" * 4


def page(declared: str, extra: str = "") -> str:
    return (
        "<html lang='en'><head><meta charset='utf-8'><title>Council budget</title>"
        f"<meta property='article:published_time' content='{declared}'>{extra}</head>"
        f"<body><article><h1>Council approves the budget</h1>{TEXT}</article></body></html>"
    )


def published(html: str) -> str | None:
    return extract_article(html, URL).date_published


LOCAL_TWINS = [
    # a data layer in a script: 00:40 local, UTC+2 (the UTC day is the day before the publisher's)
    ("2024-03-05T22:40:12Z", "<script>var dataLayer=[{publishDate:'2024-03-06 00:40:12'}];</script>",
     "2024-03-06T00:40:12+02:00"),
    # west of UTC: the local evening is the UTC next day; a twin written without seconds
    ("2024-03-06T02:05:00+00:00", "<script>window.article={published:\"2024-03-05 21:05\"};</script>",
     "2024-03-05T21:05:00-05:00"),
    # another field gives the same instant with its own offset
    ("2024-03-05T22:30:00Z", "<meta name='pubdate' content='2024-03-06T03:30:00+05:00'>",
     "2024-03-06T03:30:00+05:00"),
]


@pytest.mark.parametrize(("declared", "extra", "expected"), LOCAL_TWINS)
def test_a_utc_instant_is_written_in_the_local_offset_the_page_shows(declared: str, extra: str, expected: str) -> None:
    assert published(page(declared, extra)) == expected


NO_CHANGE = [
    # no local time anywhere
    ("2024-03-05T21:40:12Z", "", "2024-03-05T21:40:12+00:00"),
    # the local time falls on the same day: the day as written is already the publisher's
    ("2024-03-05T10:40:12Z", "<script>var d='2024-03-05 12:40:12';</script>", "2024-03-05T10:40:12+00:00"),
    # another time of the page (a different second): not this instant's
    ("2024-03-05T22:40:12Z", "<script>var d='2024-03-06 00:40:59';</script>", "2024-03-05T22:40:12+00:00"),
    # two stamps that disagree on the offset: none is trusted
    ("2024-03-05T22:40:12Z", "<script>var a='2024-03-06 00:40:12', b='2024-03-06 01:40:12';</script>",
     "2024-03-05T22:40:12+00:00"),
    # a declared local offset is never changed
    ("2024-03-05T23:40:12+02:00", "<script>var d='2024-03-06 04:40:12';</script>", "2024-03-05T23:40:12+02:00"),
]


@pytest.mark.parametrize(("declared", "extra", "expected"), NO_CHANGE)
def test_the_instant_is_left_as_declared_without_one_local_time_of_it(declared: str, extra: str, expected: str) -> None:
    assert published(page(declared, extra)) == expected


def test_a_second_written_with_one_digit_keeps_its_zone() -> None:
    assert published(page("2024-03-05T10:15:0Z")) == "2024-03-05T10:15:00+00:00"


def test_the_rule_is_a_switch() -> None:
    html = page(*LOCAL_TWINS[0][:2])
    with rules.switched_off("date.local_offset"):
        assert published(html) == "2024-03-05T22:40:12+00:00"
