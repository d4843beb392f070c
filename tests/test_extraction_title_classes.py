"""Title failure classes: the on-page headline over the social title; site names after full-width separators.

Pages and headlines are made up for the test.
"""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article, rules

_PAGE = """<html><head><title>{title}</title><meta property="og:title" content="{og}">{extra}</head><body>
<header class="masthead"><a href="/">Quay Courier</a></header>
<article><h1>{h1}</h1>
<p>The harbour board voted on Tuesday to rebuild the north pier, which storms damaged twice last winter.</p>
<p>Work starts in May and should be finished before the autumn storms, the board said.</p></article>
</body></html>"""


def _title(h1: str, og: str, title: str | None = None, extra: str = "") -> str | None:
    page = _PAGE.format(h1=h1, og=og, title=title or og, extra=extra)
    return extract_article(page, "https://quay.example/news/pier").title


def test_on_page_headline_over_a_rewritten_social_title() -> None:
    h1 = "Harbour board votes to rebuild the storm-damaged north pier"
    assert _title(h1, "North pier to be rebuilt after storms") == h1


def test_rule_switch() -> None:
    h1 = "Harbour board votes to rebuild the storm-damaged north pier"
    with rules.switched_off("title.h1_over_declared"):
        assert _title(h1, "North pier to be rebuilt after storms") == "North pier to be rebuilt after storms"


@pytest.mark.parametrize(
    "h1",
    [
        "Ports and Shipping Desk",  # a section heading sharing no word with the headline
        "About this page",
    ],
)
def test_heading_of_another_kind_yields_to_the_declared_title(h1: str) -> None:
    assert _title(h1, "North pier to be rebuilt after storms") == "North pier to be rebuilt after storms"


def test_json_ld_headline_keeps_deciding() -> None:
    ld = ('<script type="application/ld+json">{"@type": "NewsArticle", '
          '"headline": "North pier to be rebuilt after storms"}</script>')
    h1 = "Harbour board votes to rebuild the storm-damaged north pier"
    assert _title(h1, "North pier to be rebuilt after storms", extra=ld) == "North pier to be rebuilt after storms"
