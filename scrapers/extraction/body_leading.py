"""What an extractor keeps with the text that is not the text: image captions and the byline.

Extractors take a figure's caption or the byline line for a paragraph when it sits inside
the article element. The README promises a body of article text only, so a paragraph that
is exactly a caption shown on the page, or the byline the page opens with, is dropped.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .text import element_text, marker, norm

# Caption elements as templates name them (a <figcaption> is one by its tag).
CAPTION_MARKER = re.compile(r"caption|legend|bildunterschrift|image-?desc|media-?desc|media-?info", re.I)
_NOT_CAPTION_TAGS = frozenset({"html", "body", "article", "main", "section"})
MAX_CAPTION_CHARS = 600
MAX_BYLINE_CHARS = 200
LEADING_PLACES = 3  # a byline comes before the text, among its first paragraphs


def caption_keys(scope: HtmlElement) -> set[str]:
    """Comparison keys of the captions shown in the article."""
    keys: set[str] = set()
    for el in scope.iter():
        if not isinstance(el.tag, str) or el.tag in _NOT_CAPTION_TAGS:
            continue
        if el.tag == "figcaption" or (el.tag != "figure" and CAPTION_MARKER.search(marker(el))):
            text = element_text(el)
            if text and len(text) <= MAX_CAPTION_CHARS:
                keys.add(norm(text))
    return keys


def without_captions(body: str | None, scope: HtmlElement, descriptions: list[str]) -> str | None:
    """``body`` without the paragraphs that are an image caption of the page.

    A caption that repeats the start of the page's declared description is the article's
    lead sentence shown again under the photo: that paragraph is text, and stays.
    """
    if not body:
        return body
    captions = caption_keys(scope)
    if not captions:
        return body
    leads = [norm(text) for text in descriptions if text]
    kept = [
        part for part in body.split("\n\n")
        if (key := norm(part)) not in captions or any(lead.startswith(key) for lead in leads)
    ]
    return "\n\n".join(kept) if kept else body


def without_leading_byline(body: str | None, byline: str | None) -> str | None:
    """``body`` without a paragraph among its first few that is the byline ("Por María López")."""
    if not body or not byline or len(byline) > MAX_BYLINE_CHARS:
        return body
    key = norm(byline)
    parts = body.split("\n\n")
    for index, part in enumerate(parts[:LEADING_PLACES]):
        if norm(part) == key and len(parts) > 1:
            return "\n\n".join(parts[:index] + parts[index + 1:])
    return body
