"""What an extractor keeps with the text that is not the text: captions, the byline, credit lines.

Extractors take a figure's caption, the byline line or a closing "Photos: X" line for a
paragraph when it sits inside the article element. The README promises a body of article
text only: a paragraph that is exactly a caption shown on the page, or the byline the text
opens or closes with, is dropped, and a closing credit line becomes an image credit.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from . import rules
from .lexicon import ART_CREDIT_WORDS, CREDIT_BY, CREDIT_LABELS, CREDIT_SEPARATORS, alternation
from .text import element_text, marker, norm

# Caption elements as templates name them (a <figcaption> is one by its tag).
CAPTION_MARKER = re.compile(r"caption|legend|bildunterschrift|image-?desc|media-?desc|media-?info", re.I)
# Every CAPTION_MARKER match holds one of these (lower case): a cheaper test that rules out most elements.
_CAPTION_HINT = re.compile(r"caption|legend|bildunterschrift|desc|media-?info")
_NOT_CAPTION_TAGS = frozenset({"html", "body", "article", "main", "section"})
MAX_CAPTION_CHARS = 600
MAX_BYLINE_CHARS = 200
LEADING_PLACES = 3  # a byline comes before the text, among its first paragraphs...
CLOSING_PLACES = 1  # ...or closes it, as its last
CLOSING_CREDIT_PLACES = 2  # credit lines close the text: "Photos: X", then "Art by Y"
MAX_CREDIT_LINE_CHARS = 120
# "Art by Jane Doe", "Illustrations: Jane Doe", "Photos: Jane Doe", "Foto: Jana Beispiel".
_CREDIT_LINE = re.compile(
    rf"^\s*(?:{alternation(ART_CREDIT_WORDS, CREDIT_LABELS)})"
    rf"(?:\s+(?:{alternation(CREDIT_BY)})\s+|\s*[{CREDIT_SEPARATORS}]\s*)(?P<credit>\S.*?)\s*\.?\s*$",
    re.I,
)


def caption_keys(scope: HtmlElement) -> set[str]:
    """Comparison keys of the captions shown in the article."""
    keys: set[str] = set()
    for el in scope.iter():
        if not isinstance(el.tag, str) or el.tag in _NOT_CAPTION_TAGS:
            continue
        if el.tag == "figcaption" or (el.tag != "figure" and _is_caption_marked(marker(el))):
            text = element_text(el)
            if text and len(text) <= MAX_CAPTION_CHARS:
                keys.add(norm(text))
    return keys


def _is_caption_marked(names: str) -> bool:
    return bool(names) and _CAPTION_HINT.search(names.lower()) is not None and CAPTION_MARKER.search(names) is not None


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
    if len(kept) == body.count("\n\n") + 1 or not rules.on("body.captions"):
        return body
    return "\n\n".join(kept) if kept else body


def without_byline(body: str | None, byline: str | None) -> str | None:
    """``body`` without the byline paragraph ("Por María López") among its first few or as its last."""
    if not body or not byline or len(byline) > MAX_BYLINE_CHARS:
        return body
    key = norm(byline)
    parts = body.split("\n\n")
    if len(parts) < 2:
        return body
    places = [*range(min(LEADING_PLACES, len(parts))), *range(len(parts) - CLOSING_PLACES, len(parts))]
    for index in dict.fromkeys(places):
        if norm(parts[index]) == key and rules.on("body.byline"):
            return "\n\n".join(parts[:index] + parts[index + 1:])
    return body


def is_credit_line(text: str) -> bool:
    """'Photos: Jane Doe', 'Art by Jane Doe': a line that credits the images, not text."""
    return len(text) <= MAX_CREDIT_LINE_CHARS and _CREDIT_LINE.match(text) is not None


def closing_credits(body: str | None) -> tuple[str | None, list[str]]:
    """(body, credits): credit lines closing the text ("Art by X", "Photos: Y") taken out of it."""
    if not body:
        return body, []
    parts = body.split("\n\n")
    credits: list[str] = []
    while len(parts) > 1 and len(credits) < CLOSING_CREDIT_PLACES and len(parts[-1]) <= MAX_CREDIT_LINE_CHARS:
        match = _CREDIT_LINE.match(parts[-1])
        if match is None or not rules.on("body.closing_credits"):
            break
        credits.insert(0, match.group("credit"))
        parts.pop()
    return "\n\n".join(parts), credits
