"""Markup that would make the parser's cost grow faster than the page: bounded before parsing."""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article
from scrapers.extraction.document import MAX_ATTRIBUTES, markup_chars, parse_page

TEXT = "Die Hafenarbeiter legten am Montag die Arbeit nieder, um gegen die neuen Schichtpläne zu protestieren."


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("ab<script>x</script>cd", 4),
        ("ab<SCRIPT type='x'>x</Script >cd<style>y</style>ef", 6),
        ("ab<script>never closed <p>text</p>", 2),  # runs to the end of the page, as in a browser
        ("ab<scripts>cd</scripts>", 23),  # another element
        ("no scripts", 10),
    ],
)
def test_markup_chars(html: str, expected: int) -> None:
    assert markup_chars(html) == expected


@pytest.mark.parametrize("form", ["'{i}'", '"{i}"', "{i}", ""])
def test_attributes_past_the_bound_are_dropped(form: str) -> None:
    # "" : attributes without a value, and so without a single "=" on the page
    attributes = " ".join(f"data-a{i}" + ("=" + form.format(i=i) if form else "") for i in range(3 * MAX_ATTRIBUTES))
    page = parse_page(f"<html><body><div id=x {attributes}>kept</div><p>{TEXT}</p></body></html>")
    div = page.tree.find(".//div")
    assert len(div.attrib) == MAX_ATTRIBUTES
    assert div.get("id") == "x" and div.text == "kept"


def test_script_text_is_never_cut_past_its_end_tag() -> None:
    code = "for(i=0;i<n.length;i++){" + " ".join(f"v{i}=a[i]" for i in range(3 * MAX_ATTRIBUTES)) + "}"
    html = f"<html><body><article><h1>Streik</h1><script>{code}</script><p>{TEXT}</p></article></body></html>"
    article = extract_article(html, "https://news.example/a/story")
    assert article.body == TEXT
