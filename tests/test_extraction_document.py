"""The parsed page: what the readers see of scripts, styles, templates and drawings."""

from __future__ import annotations

import json

from scrapers.extraction import extract_article
from scrapers.extraction.document import parse_page

PARAGRAPHS = [
    "The harbour board voted on Tuesday to rebuild the north pier before the winter storms arrive.",
    "Engineers told the meeting that the old timber piles had rotted below the waterline in several places.",
    "Fishing crews, who land most of the town's catch at the pier, asked for the work to be done in stages.",
    "The board agreed to keep two berths open while the first half of the pier is rebuilt.",
    "Work is expected to start next month and to last until the end of the spring.",
]

# Inside a template that declares a shadow root: browsers show it, so it is text of the page.
SHADOW_PARAGRAPH = "The north pier was first built in 1887 and was last repaired after the storms of 1953."

LD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Harbour board votes to rebuild the north pier",
    "datePublished": "2026-03-03T09:30:00+00:00",
    "author": {"@type": "Person", "name": "Mara Quill"},
}


def _page() -> str:
    body = "\n".join(f"<p>{text}</p>" for text in PARAGRAPHS[1:])
    return f"""<!doctype html><html lang="en"><head><title>Harbour board votes to rebuild the north pier</title>
<style>p {{ color: #222 }} .byline::before {{ content: "By" }}</style>
<script type="application/ld+json">{json.dumps(LD)}</script>
<script>window.dataLayer = [{{"published": "2019-01-01", "author": "Tracking Pixel"}}];</script>
</head><body>
<article>
<h1>Harbour board votes to rebuild the north pier</h1>
<div class="byline"><svg class="icon"><title>Author icon Sam Stub</title><path d="M0 0h24v24H0z"/></svg>
By <a href="/authors/mara-quill">Mara Quill</a></div>
<p>{PARAGRAPHS[0][:40]}<script>document.write('<i>2018-02-24 10:15</i> comment by Rex Reader');</script>{PARAGRAPHS[0][40:]}</p>
{body}
<template><p>Read next: a story this template would have shown after a click.</p></template>
<div class="factbox"><template shadowrootmode="open"><p>{SHADOW_PARAGRAPH}</p></template></div>
</article>
</body></html>"""


def test_scripts_styles_templates_and_svg_are_gone_from_the_tree_but_json_ld_and_shadow_roots() -> None:
    page = parse_page(_page(), "https://quayside.example/news/north-pier")
    tags = {el.tag for el in page.tree.iter() if isinstance(el.tag, str)}
    assert not tags & {"style", "svg", "path"}
    assert [el.get("shadowrootmode") for el in page.tree.iter("template")] == ["open"]
    assert [el.get("type") for el in page.tree.iter("script")] == ["application/ld+json"]
    assert [obj.get("headline") for obj in page.jsonld] == [LD["headline"]]


def test_text_around_a_removed_script_is_one_paragraph_and_nothing_of_them_is_text() -> None:
    article = extract_article(_page(), url="https://quayside.example/news/north-pier")
    assert article.body is not None
    assert article.body.split("\n\n") == [*PARAGRAPHS, SHADOW_PARAGRAPH]
    assert article.title == LD["headline"]
    assert article.authors == ["Mara Quill"]
    assert article.date_published is not None and article.date_published.startswith("2026-03-03T09:30")
    record = json.dumps(article.to_dict())
    for leaked in ("Rex Reader", "2018-02-24", "Tracking Pixel", "Sam Stub", "Read next", "color: #222"):
        assert leaked not in record
