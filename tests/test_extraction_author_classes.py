"""Author failure classes: dates glued to names, menus, labels, companies and bylines outside the article.

Every page and name here is made up for the test.
"""

from __future__ import annotations

import pytest

from scrapers.extraction import extract_article, rules
from scrapers.extraction.authors import split_authors


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        # dates and times printed with the name
        ("Mara Quill - Mar 3, 2021 9:15 pm UTC", ["Mara Quill"]),
        ("By Tobin Vale July 8, 2018", ["Tobin Vale"]),
        ("Harbour Home Submissions Nov 2, 2015", ["Harbour Home Submissions"]),
        ("Feb 4th 2019 10:12AM", []),
        ("March 9, 2020 at 4:40 PM ET by Ida Brenner", ["Ida Brenner"]),
        ("Written by Olek Sand in Gadgets on 3 May 2022 at 07:10 PM EDT. 12 Comments", ["Olek Sand"]),
        ("Juno Park Twitter", ["Juno Park"]),
        ("Lena Frost · Coast Radio · Posted: Sep 1, 2023 8:00 AM ET", ["Lena Frost", "Coast Radio"]),
        # a month name that is a name stays
        ("Theresa May", ["Theresa May"]),
        # a label inside the byline: what precedes it is a section
        ("Gadgets, by Piet Jansen", ["Piet Jansen"]),
        # a menu of account links marked like a byline
        ("Sign In | Sign Up | Subscribe", []),
        # surname first
        ("Quill, Mara", ["Mara Quill"]),
        ("AP, Reuters", ["AP", "Reuters"]),
        # a photographer's credit inside the byline
        ("By Mara Quill, Photos by Omar Haddad", ["Mara Quill"]),
        ("Text: Anna Beispiel, Fotos: Max Muster", ["Anna Beispiel"]),
        # labels of other languages
        ("投稿者 Kenji Mori", ["Kenji Mori"]),
        ("作者：王小明", ["王小明"]),
    ],
)
def test_split_authors_classes(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected


def test_rules_switch_the_classes_off() -> None:
    with rules.switched_off("author.byline_dates"):
        assert split_authors("Mara Quill - Mar 3, 2021") != ["Mara Quill"]
    with rules.switched_off("author.last_first"):
        assert split_authors("Quill, Mara") == ["Quill", "Mara"]


_HEADER_BYLINE = """<html><head><title>Tide tables rewritten</title></head><body>
<nav class="menu"><a href="/">Home</a><a href="/news/">News</a><a href="/sport/">Sport</a>
<a class="author-link" href="/authors/">Guest Authors</a></nav>
<div class="lede"><h1>Tide tables rewritten</h1>
<span class="author-name"><a href="/people/rosa-klee" rel="author">Rosa Klee</a></span></div>
<article><p>The harbour office has published new tide tables for the coming year after a long survey.</p>
<p>Boats that leave before dawn will have to check the tables again, the office said on Monday.</p></article>
</body></html>"""


def test_byline_above_the_article_element() -> None:
    assert extract_article(_HEADER_BYLINE, "https://quay.example/tides").authors == ["Rosa Klee"]


_OWNER_AS_AUTHOR = """<html><head><title>New ferry line</title>
<meta name="author" content="Harbour Media Group">
<meta name="article:author" content="Nils Brandt">
<meta name="copyright" content="Copyright (c) Harbour Media Group 2024">
</head><body><article><h1>New ferry line</h1>
<p>A ferry line between the two islands opens in spring, the council decided this week.</p></article>
<footer><p>&copy; 2024 Harbour Media Group. All rights reserved.</p></footer></body></html>"""

_COMPANY_AS_AUTHOR = _OWNER_AS_AUTHOR.replace("Harbour Media Group", "Pier Press Inc.").replace(
    '<meta name="copyright" content="Copyright (c) Pier Press Inc. 2024">', ""
)


@pytest.mark.parametrize("page", [_OWNER_AS_AUTHOR, _COMPANY_AS_AUTHOR])
def test_site_owner_is_not_an_author_next_to_a_person(page: str) -> None:
    assert extract_article(page, "https://ferries.example/new-line").authors == ["Nils Brandt"]


def test_site_owner_alone_is_kept() -> None:
    page = _OWNER_AS_AUTHOR.replace('<meta name="article:author" content="Nils Brandt">', "")
    assert extract_article(page, "https://ferries.example/new-line").authors == ["Harbour Media Group"]


def test_by_before_a_lower_case_word_is_no_byline() -> None:
    page = """<html><body><article><h1>Rope knots</h1>
<p>Sailors learn six knots in their first week on board, and most never need a seventh.</p>
<p>By using this site you agree to our cookie policy. Site design &amp; logo &copy; 2024 Knotwork</p>
</article></body></html>"""
    assert extract_article(page, "https://knots.example/six").authors == []


_FIELD_PAGE = """<html><head><title>Dune grass planted</title>
<meta name="author" content="Coastal Daily Post"></head><body>
<h1>Dune grass planted</h1>
<p>Volunteers planted dune grass along two kilometres of beach to hold the sand against winter storms.</p>
<ul class="facts"><li><strong>Date</strong> 03.04.2024</li><li><strong>Author/Reporter</strong> Ada Lindqvist</li></ul>
</body></html>"""


def test_labelled_author_field_over_the_publisher_initials() -> None:
    # the meta author is the outlet (its initials are the site's name); the page's field names the reporter
    assert extract_article(_FIELD_PAGE, "https://www.cdp.example/dunes").authors == ["Ada Lindqvist"]


def test_publisher_by_initials_alone_is_kept() -> None:
    page = _FIELD_PAGE.replace("<li><strong>Author/Reporter</strong> Ada Lindqvist</li>", "")
    assert extract_article(page, "https://www.cdp.example/dunes").authors == ["Coastal Daily Post"]


def test_definition_list_field() -> None:
    page = _FIELD_PAGE.replace(
        '<ul class="facts"><li><strong>Date</strong> 03.04.2024</li><li><strong>Author/Reporter</strong> Ada Lindqvist</li></ul>',
        "<dl><dt>Autorin</dt><dd>Ada Lindqvist und Jon Berg</dd></dl>",
    )
    assert extract_article(page, "https://www.cdp.example/dunes").authors == ["Ada Lindqvist", "Jon Berg"]


_DESK_PAGE = """<html><head><title>Night market returns</title><meta name="author" content="Quay Courier Staff"></head>
<body><article><h1>Night market returns</h1>
<div class="article__byline"><span class="article__byline__date">Jun 2nd 2024 9:05PM</span></div>
<div class="gallery" data-gallery-author="">Night market returns , Up Next , See Gallery , SHOW CAPTION</div>
<p>The night market on the quay opens again on Friday with forty stalls and a band from the old town.</p>
</article></body></html>"""


def test_author_tag_naming_a_desk_when_the_byline_holds_only_a_date() -> None:
    assert extract_article(_DESK_PAGE, "https://quaycourier.example/market").authors == ["Quay Courier Staff"]


def test_byline_of_a_person_outranks_a_desk_tag() -> None:
    page = _DESK_PAGE.replace(
        '<span class="article__byline__date">', '<span class="article__byline__name">By Ines Moreau</span> <span>'
    )
    assert extract_article(page, "https://quaycourier.example/market").authors == ["Ines Moreau"]


def test_byline_in_a_small_nav_block_above_the_article() -> None:
    page = _HEADER_BYLINE.replace(
        '<span class="author-name"><a href="/people/rosa-klee" rel="author">Rosa Klee</a></span>',
        '<nav class="post-by"><span>Edited by <a href="/people/rosa-klee"><span itemprop="author">Rosa Klee</span>'
        "</a></span></nav>",
    )
    assert extract_article(page, "https://quay.example/tides").authors == ["Rosa Klee"]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("Jane Doe | Kommentare (12) | Aufrufe (1.204)", ["Jane Doe"]),
        ("Omar Haddad, Reads(87)", ["Omar Haddad"]),
        ("Jane Doe and Omar Haddad, Reacties (0)", ["Jane Doe", "Omar Haddad"]),
    ],
)
def test_counters_beside_a_byline_are_not_names(byline: str, expected: list[str]) -> None:
    assert split_authors(byline) == expected
    with rules.switched_off("author.byline_dates"):
        assert split_authors(byline) != expected


_BLOG_PAGE = """<html><head><title>Plum cake</title><meta property="og:site_name" content="Mika Kitchen Notes">
<meta name="author" content="Mika Kitchen Notes"></head><body><article><h1>Plum cake</h1>
<div class="byline">Mika Kitchen Notes , Reacties (3) Weergaven( 815 )</div>
<p>The plums were ripe early this year, so the cake came out of the oven before the first frost of the season.</p>
</article></body></html>"""


def test_a_blog_signed_with_its_own_name_keeps_it_when_the_byline_holds_only_counters() -> None:
    assert extract_article(_BLOG_PAGE, "https://mika.blogs.example/plum-cake").authors == ["Mika Kitchen Notes"]
    with rules.switched_off("author.byline_dates"):
        assert extract_article(_BLOG_PAGE, "https://mika.blogs.example/plum-cake").authors != ["Mika Kitchen Notes"]


def test_a_desk_name_declared_in_json_ld_is_kept() -> None:
    page = """<html><head><title>Tide tables</title><script type="application/ld+json">
{"@type": "NewsArticle", "headline": "Tide tables", "author": {"@type": "Person", "name": "Harbour Desk"}}
</script></head><body><article><h1>Tide tables</h1>
<p>The harbour office has published next month's tide tables, with two spring tides in the second week.</p>
</article></body></html>"""
    assert extract_article(page, "https://quay.example/tides").authors == ["Harbour Desk"]
    with rules.switched_off("author.declared_desk_name"):
        assert extract_article(page, "https://quay.example/tides").authors == []
