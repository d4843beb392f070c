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


_CJK_PAGE = """<html><head><title>{title}</title>{site}</head><body>
<div class="header"><a href="/">ロゴ</a></div>
<div class="main"><h1>{h1}</h1>
<p>港の北側の桟橋が冬の嵐で二度壊れたため、港湾局は火曜日に建て替えを決めた。工事は五月に始まる。</p>
<p>秋の嵐の前に終わる見込みだと港湾局は話している。</p></div></body></html>"""


@pytest.mark.parametrize(
    ("title", "site", "h1", "expected"),
    [
        # "見出し：サイト名" with the site named in og:site_name
        ("北の桟橋を建て替えへ、港湾局が決定：港町新聞デジタル", '<meta property="og:site_name" content="港町新聞デジタル">',
         "", "北の桟橋を建て替えへ、港湾局が決定"),
        # no site name declared: the heading, then the full-width colon, then the site
        ("北の桟橋を建て替えへ、港湾局が決定：港湾局 広報室", "", "北の桟橋を建て替えへ、港湾局が決定",
         "北の桟橋を建て替えへ、港湾局が決定"),
        # a headline's own two halves stay joined
        ("北の桟橋を建て替えへ：工事は五月から", '<meta property="og:site_name" content="港町新聞デジタル">', "",
         "北の桟橋を建て替えへ：工事は五月から"),
    ],
)
def test_full_width_colon_before_the_site(title: str, site: str, h1: str, expected: str) -> None:
    page = _CJK_PAGE.format(title=title, site=site, h1=h1)
    assert extract_article(page, "https://minato.example/news/1").title == expected


def test_site_named_by_its_domain() -> None:
    page = _PAGE.format(title="Pier notes - Quaypaste.com", og="Pier notes - Quaypaste.com", h1="Pier notes",
                        extra='<meta property="og:site_name" content="Quaypaste">')
    assert extract_article(page, "https://quaypaste.example/abc").title == "Pier notes"


_LD_PAGE = """<html><head><title>{title}</title><meta property="og:title" content="{og}">
<meta name="description" content="{description}">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{headline}"}}</script></head><body>
<article><h1>{h1}</h1>
<p>The harbour board voted on Tuesday to rebuild the north pier, which storms damaged twice last winter.</p>
</article></body></html>"""

_SUMMARY = ("The harbour board voted on Tuesday to rebuild the north pier after two winter storms. "
            "Work starts in May and should end before autumn, the board said.")


def test_json_ld_headline_that_is_the_description_is_no_headline() -> None:
    h1 = "Harbour board votes to rebuild the storm-damaged north pier"
    page = _LD_PAGE.format(title="North pier to be rebuilt", og="North pier to be rebuilt", description=_SUMMARY,
                           headline=_SUMMARY, h1=h1)
    assert extract_article(page, "https://quay.example/news/pier").title == h1
    with rules.switched_off("title.ld_description"):
        assert extract_article(page, "https://quay.example/news/pier").title != h1


def test_json_ld_headline_also_used_as_description_stays_the_headline() -> None:
    headline = "North pier to be rebuilt after storms"
    page = _LD_PAGE.format(title=headline, og=headline, description=headline, headline=headline,
                           h1="Harbour board votes to rebuild the storm-damaged north pier")
    assert extract_article(page, "https://quay.example/news/pier").title == headline


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Harbour board rebuilds the north pier_Ports_Quay Courier", "Harbour board rebuilds the north pier"),
        ("港湾局が北の桟橋を建て替えへ_港湾_港町新聞", "港湾局が北の桟橋を建て替えへ"),
        # a second part of a headline's own, not a one- or two-word section, stays
        ("Harbour board rebuilds the north pier_after two storms hit_Quay Courier",
         "Harbour board rebuilds the north pier_after two storms hit"),
    ],
)
def test_section_before_the_site_name(title: str, expected: str) -> None:
    page = f"<html><head><title>{title}</title></head><body><h1>Quay Courier</h1><p>Text of the article.</p></body></html>"
    assert extract_article(page, "https://quay.example/news/pier").title == expected
