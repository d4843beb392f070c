"""Body rules: page furniture left out of the article text, split articles put back together."""

from __future__ import annotations

import json

import lxml.html
import pytest

from scrapers.extraction import extract_article
from scrapers.extraction.body_boilerplate import (
    is_newsletter_prompt,
    is_social_prompt,
    is_widget_label,
    without_boilerplate,
)
from scrapers.extraction.body_split import with_split_blocks

URL = "https://news.example.org/2024/05/02/harbour-bridge-reopens"

PARAGRAPHS = [
    "The harbour bridge reopened to traffic on Thursday morning after eight months of repairs to its steel deck, "
    "the city's transport department said in a statement.",
    "Engineers replaced more than four hundred corroded plates and repainted the main span, work that had been "
    "delayed twice by winter storms and a shortage of specialist welders.",
    "Commuters who had faced detours of up to forty minutes welcomed the news, although cyclists said the new "
    "lane markings on the eastern approach were still confusing.",
    "The department expects the final inspection of the lighting system to be completed by the end of the month, "
    "after which the speed limit on the bridge will return to its former level.",
]

FURNITURE_PAGE = f"""<!doctype html>
<html lang="en"><head><title>Harbour bridge reopens | Example News</title></head>
<body>
<nav><a href="/">Home</a> <a href="/city">City</a></nav>
<article>
  <h1>Harbour bridge reopens after eight months</h1>
  <p>{PARAGRAPHS[0]}</p>
  <p>{PARAGRAPHS[1]}</p>
  <p>Advertisement</p>
  <p>Sign up for the Morning Briefing newsletter and get the day's top stories in your inbox.</p>
  <p>{PARAGRAPHS[2]}</p>
  <p>{PARAGRAPHS[3]}</p>
  <p>Follow Example News on Twitter, Facebook and Instagram.</p>
</article>
<footer><p>© Example News</p></footer>
</body></html>"""


def test_extracted_body_leaves_out_page_furniture() -> None:
    article = extract_article(FURNITURE_PAGE, URL)
    assert article.body == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sign up for our free daily newsletter to get the latest news in your inbox.", True),
        ("Get the day's top headlines delivered to your inbox by subscribing to our newsletter.", True),
        ("Morning Review Newsletter", True),  # the heading of a sign-up box
        ("Der Newsletter informiert Sie jeden Abend über das Wichtigste – hier anmelden.", True),
        ("The company said its newsletter business grew by a third last year as readers paid for analysis.", False),
        ("Readers can sign up for the free trial until Friday, the company said.", False),  # no newsletter
    ],
)
def test_is_newsletter_prompt(text: str, expected: bool) -> None:
    assert is_newsletter_prompt(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Follow us on Twitter @examplenews and on Facebook.", True),
        ("Folgen Sie uns auf Instagram und Facebook.", True),
        ("Subscribe to our WhatsApp channel for breaking news.", True),
        ("The minister said she would follow the committee's advice on the matter.", False),
    ],
)
def test_is_social_prompt(text: str, expected: bool) -> None:
    assert is_social_prompt(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Advertisement", True),
        ("Anzeige", True),
        ("Comments", True),
        ("Read more", True),
        ("More:", True),
        ("Tags", True),
        ("Advertisement revenue fell by a fifth.", False),
        ("Results", False),  # a subheading is text
    ],
)
def test_is_widget_label(text: str, expected: bool) -> None:
    assert is_widget_label(text) is expected


def test_social_prompt_is_dropped_only_after_the_article() -> None:
    """A 'follow ... on Twitter' sentence inside the story stays; the same prompt after it goes."""
    tree = lxml.html.fromstring("<html><body><p>x</p></body></html>")
    quoted = "Fans were urged to follow the band on Instagram for news of the tour."
    body = "\n\n".join([PARAGRAPHS[0], quoted, PARAGRAPHS[1], PARAGRAPHS[2], PARAGRAPHS[3], PARAGRAPHS[0]])
    assert without_boilerplate(body, tree) == body
    prompt = "Follow us on Twitter and Facebook."
    assert without_boilerplate(f"{body}\n\n{prompt}", tree) == body


RELATED_PAGE = """<html><body><article>
<p>Text.</p>
<p><strong>ALSO ON THE SITE</strong><br>
<strong><a href="/news/1">Tram line extension approved by council</a> [VIDEO]</strong><br>
<strong><a href="/news/2">Ferry timetable changes for the summer</a></strong></p>
<ul><li><a href="/news/3">Where to park during the bridge works</a></li>
<li><a href="/news/4">Cycling lanes: what changes in June</a></li></ul>
<p>See the <a href="/news/5">full timetable</a> for details.</p>
</article></body></html>"""


def test_runs_of_links_to_other_stories_are_dropped_with_their_heading() -> None:
    tree = lxml.html.fromstring(RELATED_PAGE)
    body = "\n\n".join(
        [
            PARAGRAPHS[0],
            "ALSO ON THE SITE",
            "Tram line extension approved by council [VIDEO]",
            "Ferry timetable changes for the summer",
            PARAGRAPHS[1],
            "- Where to park during the bridge works",
            "- Cycling lanes: what changes in June",
        ]
    )
    assert without_boilerplate(body, tree) == "\n\n".join(PARAGRAPHS[:2])


def test_a_single_linked_paragraph_is_kept() -> None:
    """One paragraph that happens to be a link is often part of the story; only runs are link lists."""
    tree = lxml.html.fromstring(RELATED_PAGE)
    body = "\n\n".join([PARAGRAPHS[0], "Where to park during the bridge works", PARAGRAPHS[1]])
    assert without_boilerplate(body, tree) == body


SPLIT_PAGE = f"""<html><body><article>
<div class="text-block"><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div>
<div class="ad-slot"><p>Advertisement</p></div>
<div class="text-block"><p>{PARAGRAPHS[2]}</p><p>Short line.</p></div>
<div class="newsletter-box"><p>Sign up for the Morning Briefing newsletter, every weekday in your inbox.</p></div>
<div class="text-block"><p>{PARAGRAPHS[3]}</p></div>
</article>
<aside><div class="text-block"><p>Teaser text of another story on another part of the site entirely.</p></div></aside>
</body></html>"""


def test_skipped_blocks_of_a_split_article_are_put_back_in_order() -> None:
    tree = lxml.html.fromstring(SPLIT_PAGE)
    body = "\n\n".join(PARAGRAPHS[:2])  # an extractor that kept only the first block
    assert with_split_blocks(body, tree) == "\n\n".join(PARAGRAPHS)


def test_split_blocks_do_not_repeat_text_already_in_the_body() -> None:
    tree = lxml.html.fromstring(SPLIT_PAGE)
    # The extractor cut the third paragraph in two at a link: it is there already.
    third_first, third_rest = PARAGRAPHS[2][:60], PARAGRAPHS[2][60:]
    body = "\n\n".join([*PARAGRAPHS[:2], third_first, third_rest, PARAGRAPHS[3]])
    assert with_split_blocks(body, tree) == body


FURNITURE_BLOCKS_PAGE = f"""<html><body><article>
<div class="text-block"><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></div>
<div class="text-block"><p>Follow the Quay Ledger on Instagram and Facebook for more pictures of the city every day.</p></div>
<div class="text-block"><p>This page contains affiliate links, and we may earn a commission when you buy through them.</p></div>
<div class="text-block"><p>Donate now to keep our independent reporting on the harbour free for every reader in town.</p></div>
<div class="text-block"><p>Powered by the Tidewater publishing platform and hosted on servers in the old port district.</p></div>
<div class="text-block"><p>Photos: Marta Quillfeather and the picture desk of the Quay Ledger archive.</p></div>
<div class="text-block"><p>{PARAGRAPHS[2]}</p></div>
<div class="more-from-the-desk"><div class="wrapper"><div class="text-block">
  <p>Here are more stories from our transport desk about bridges, tunnels and the ferries of the bay.</p>
</div></div></div>
<div class="related-links"><div class="text-block">
  <p>A story about the ferry timetable that changes next week for every route across the bay.</p>
</div></div>
</article></body></html>"""


def test_split_blocks_do_not_put_back_page_furniture() -> None:
    tree = lxml.html.fromstring(FURNITURE_BLOCKS_PAGE)
    body = "\n\n".join(PARAGRAPHS[:2])
    # Only the real chunk of the article comes back: not prompts, disclosures, donation calls,
    # platform footers, credit lines, nor same-class blocks nested in a widget below the article.
    assert with_split_blocks(body, tree) == "\n\n".join(PARAGRAPHS[:3])


HEADLINE_PAGE = """<html lang="en"><head><title>{title} | Example News</title>
<meta property="og:title" content="{title}"></head><body><article>
<div class="top"><span class="section">Transport</span></div>
<h1><span class="kicker">After eight months</span><span class="headline">{title}</span></h1>
<div class="copy"><p>Transport</p><p>After eight months{glue}{title}</p>{paragraphs}</div>
</article></body></html>"""


@pytest.mark.parametrize("glue", ["", ": ", " – ", " "])
def test_headline_with_its_kicker_and_a_label_above_leaves_the_body(glue: str) -> None:
    html = HEADLINE_PAGE.format(
        title="Harbour bridge reopens to traffic", glue=glue, paragraphs="".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    )
    article = extract_article(html, URL)
    assert article.title == "Harbour bridge reopens to traffic"
    assert article.body == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        ("\n\n".join(PARAGRAPHS), True),  # the retry found more of the same article
        ("\n\n".join([PARAGRAPHS[0], "A subheading", PARAGRAPHS[2], "Another subheading"]), False),  # it lost two
    ],
)
def test_a_recall_retry_must_keep_the_first_reading(second: str, expected: bool) -> None:
    from scrapers.extraction.body import _keeps_text_of

    assert _keeps_text_of(second, "\n\n".join(PARAGRAPHS[:3])) is expected


OTHER_STORY = [
    "The ferry operator announced a new timetable for the winter season, with fewer crossings on weekdays and an "
    "extra late boat on Saturdays, citing rising fuel costs and a shortage of deckhands.",
    "Passengers will be able to buy tickets on board again from next month, after a trial of app-only sales was "
    "abandoned following complaints from older travellers and visitors without smartphones.",
]
LIVE_POST = (
    "Update at noon: the first lorries crossed the bridge shortly before midday, escorted by two police cars and "
    "watched by a small crowd of residents who had gathered on the eastern approach."
)
STORIES_PAGE = f"""<html><body><main>
<article class="story"><h1>Harbour bridge reopens after eight months</h1>
  <p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>
  <article class="post"><h3>12:00</h3><p>{LIVE_POST}</p></article>
  <p>{PARAGRAPHS[2]}</p>
</article>
<section class="more"><article class="card"><h2><a href="/ferry-timetable">Ferry timetable changes</a></h2>
  <p>{OTHER_STORY[0]}</p><p>{OTHER_STORY[1]}</p></article></section>
</main></body></html>"""


def test_paragraphs_of_other_stories_leave_the_body() -> None:
    from scrapers.extraction.body_stories import without_other_stories

    tree = lxml.html.fromstring(STORIES_PAGE)
    scope = next(tree.iter("article"))
    body = "\n\n".join([PARAGRAPHS[0], PARAGRAPHS[1], LIVE_POST, PARAGRAPHS[2], *OTHER_STORY])
    # The post inside the story is the story's own text; the teaser beside it is another story.
    assert without_other_stories(body, tree, scope) == "\n\n".join([PARAGRAPHS[0], PARAGRAPHS[1], LIVE_POST,
                                                                   PARAGRAPHS[2]])


def _jsonld_page(article_body: str, paragraphs: list[str]) -> str:
    ld = json.dumps({"@type": "NewsArticle", "headline": "Harbour bridge reopens", "articleBody": article_body})
    shown = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html><head><script type="application/ld+json">{ld}</script></head><body><article>'
            f"<h1>Harbour bridge reopens</h1>{shown}</article></body></html>")


def test_jsonld_article_body_that_is_a_teaser_does_not_replace_the_text() -> None:
    teaser = " ".join(["Our series on the city's infrastructure continues with a look at tunnels, ferries, "
                       "bus lanes and the plans for a new tram line across the river."] * 8)
    article = extract_article(_jsonld_page(teaser, PARAGRAPHS[:2]), URL)
    assert article.body == "\n\n".join(PARAGRAPHS[:2])


def test_jsonld_article_body_that_holds_the_text_and_more_replaces_a_partial_extraction() -> None:
    rest = [p.replace("bridge", "tunnel") for p in PARAGRAPHS] * 2
    full = "\n\n".join([*PARAGRAPHS[:2], *rest])
    article = extract_article(_jsonld_page(full, PARAGRAPHS[:2]), URL)
    assert article.body == full


def test_an_extracted_body_leaves_out_the_story_beside_the_article() -> None:
    parts = extract_article(STORIES_PAGE, URL).body.split("\n\n")
    assert not set(OTHER_STORY) & set(parts)
    assert {*PARAGRAPHS[:3], LIVE_POST} <= set(parts)
