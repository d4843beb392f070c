"""Extraction hygiene: control characters, writing-system characters, JSON-LD repairs, clean records."""

from __future__ import annotations

import pytest

from scrapers.extraction import Article, extract_article

URL = "https://news.example/2026/03/harbour-strike"
TEXT = "The harbour workers stopped work on Monday morning to protest against the new shift rota. "


def page(body: str, head: str = "", title: str = "Harbour workers strike", lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def extract(html: str | bytes) -> Article:
    return extract_article(html, URL)


@pytest.mark.parametrize("control", ["\x07", "&#7;", "\x1b", "\x0b", "&#x1F;", "\x7f"])
def test_a_control_character_does_not_cost_the_body(control: str) -> None:
    html = page(f"<p>{TEXT * 3}{control}{TEXT * 2}</p><p>{TEXT * 4}</p>")
    for data in (html, html.encode("utf-8")):
        article = extract(data)
        assert article.body is not None
        assert article.body.count("harbour workers") == 9
        assert control not in article.body and "\x07" not in article.body


# Persian needs ZWNJ inside words ("می‌خواهم", "کتاب‌ها"); Devanagari and Malayalam use ZWJ and ZWNJ.
PERSIAN_TITLE = "کتاب‌ها و نویسنده‌ها"
PERSIAN = "می‌خواهم این کتاب‌ها را بخوانم و درباره‌ی آن‌ها بنویسم. " * 4
HINDI = "क्‍ष और र‍्य जैसे रूप लिखे जाते हैं और यह वाक्य उदाहरण है। " * 4


def test_zwnj_and_zwj_are_kept_in_body_and_fields() -> None:
    head = (
        '<meta name="author" content="علی‌رضا احمدی">'
        '<meta name="description" content="درباره‌ی کتاب‌ها">'
        '<meta property="article:section" content="فرهنگ‌وهنر">'
    )
    paragraphs = [f"{n}. {PERSIAN}{HINDI}".strip() for n in range(1, 5)]
    html = page("".join(f"<p>{p}</p>" for p in paragraphs), head, PERSIAN_TITLE, "fa")
    article = extract(html)
    assert article.title == PERSIAN_TITLE
    assert article.authors == ["علی‌رضا احمدی"]
    assert article.description == "درباره‌ی کتاب‌ها"
    assert article.section == "فرهنگ‌وهنر"
    assert article.body == "\n\n".join(paragraphs)
