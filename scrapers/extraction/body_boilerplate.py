"""Paragraphs an extractor keeps that no reader counts as article text.

Each rule is one kind of page furniture that sits inside or next to the article body on
news sites of every kind: newsletter sign-up boxes, "follow us on ..." prompts after the
last paragraph, lists of links to other stories, and the labels of widgets (adverts,
comments, tags) left over once the widget itself is gone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from lxml.html import HtmlElement

from . import rules
from .lexicon import (
    FOLLOW_STEMS,
    FOLLOW_WORDS,
    FURNITURE_PHRASES,
    INTERFACE_LABELS,
    NEWSLETTER_WORDS,
    REPRODUCTION_NOTICES,
    SIGN_UP_STEMS,
    SIGN_UP_WORDS,
    WIDGET_LABELS,
    alternation,
    words,
)
from .text import cheap_key, norm, word_units

# A newsletter mentioned together with a call to sign up (or in a heading of a few words).
_NEWSLETTER = re.compile(alternation(NEWSLETTER_WORDS), re.I)
_SIGN_UP = re.compile(rf"\b(?:{alternation(SIGN_UP_WORDS)})\b|\b(?:{alternation(SIGN_UP_STEMS)})", re.I)
MAX_PROMPT_WORDS = 60
MAX_HEADING_WORDS = 6
# "Follow us on Twitter", "Folgen Sie uns auf Instagram": only after the last paragraph.
_SOCIAL = re.compile(
    rf"(?:\b(?:{alternation(FOLLOW_WORDS)})\b|\b(?:{alternation(FOLLOW_STEMS)})\w*).{{0,80}}?"
    r"\b(?:twitter|facebook|instagram|youtube|tiktok|linkedin|whatsapp|threads|bluesky|telegram|snapchat)\b",
    re.I,
)
MAX_TRAILING_PROMPTS = 4
# Labels of widgets (an advert slot, the comment box, the tag list) left alone in the text.
_WIDGET_LABELS = frozenset(words(WIDGET_LABELS))
MAX_LABEL_CHARS = 40
_LABEL_PUNCT = re.compile(r"[\s:|»>–—-]+$")
# A list of links to other pages: this many link-only paragraphs in a row.
MIN_LINK_RUN = 2
MIN_LINK_SHARE = 0.75
MAX_LINK_WORDS = 30
_BULLET = re.compile(r"^\s*(?:[-–—•·*▪►>]+\s*)")
# "More on this:", "ALSO ON THE SITE": the heading of a link list goes with it.
MAX_LIST_LABEL_WORDS = 10
# "Powered by ...", an advertising disclosure, a call for donations: in a short line.
_FURNITURE = re.compile(rf"(?<!\w)(?:{alternation(FURNITURE_PHRASES)})(?!\w)", re.I)
MAX_FURNITURE_WORDS = 40
# Above this many links on the page, a paragraph is compared with them by lookups, not one by one.
MAX_LINKS_SCANNED = 500
# The page's tools left as text ("Print", "Bookmark | Share"): a line of nothing else.
_INTERFACE_LABELS = frozenset(words(INTERFACE_LABELS, WIDGET_LABELS))
_TOOL_SEPARATORS = re.compile(r"\s*[|·•/]\s*")
# "No reproduction without permission": in a short line.
_REPRODUCTION = re.compile(alternation(REPRODUCTION_NOTICES), re.I)
MAX_NOTICE_WORDS = 40
# ...among the first lines, with the page's tools, before the text (one closing the text is
# taken as the text's by the benchmarks' truth, so it stays).
NOTICE_PLACES = 3
_URL_LIKE = re.compile(r"^(?:https?://|www\.)\S+$|^\S+@\S+$", re.I)


def without_boilerplate(body: str | None, tree: HtmlElement) -> str | None:
    """``body`` without sign-up prompts, trailing social prompts, link lists and widget labels."""
    if not body:
        return body
    parts = body.split("\n\n")
    keep = [
        not (is_newsletter_prompt(part) and rules.on("boilerplate.newsletter"))
        and not (is_widget_label(part) and rules.on("boilerplate.widget_labels"))
        and not (is_interface_line(part) and rules.on("boilerplate.interface_lines"))
        and not (i < NOTICE_PLACES and is_reproduction_notice(part) and rules.on("boilerplate.reproduction_notices"))
        for i, part in enumerate(parts)
    ]
    for start, end in _link_runs(parts, tree):
        if not rules.on("boilerplate.link_runs"):
            break
        if start > 0 and _is_list_label(parts[start - 1]):
            start -= 1
        keep[start:end] = [False] * (end - start)
    _drop_trailing_social(parts, keep)
    kept = [part for part, ok in zip(parts, keep, strict=True) if ok]
    return "\n\n".join(kept) if kept else body


def is_newsletter_prompt(text: str) -> bool:
    """'Sign up for our daily newsletter', or a short 'Morning Briefing Newsletter' box heading."""
    if not _NEWSLETTER.search(text):
        return False
    words = word_units(text)  # a CJK paragraph has no spaces: one "word" by split()
    return words <= MAX_HEADING_WORDS or (words <= MAX_PROMPT_WORDS and bool(_SIGN_UP.search(text)))


def is_social_prompt(text: str) -> bool:
    return len(text.split()) <= MAX_PROMPT_WORDS and bool(_SOCIAL.search(text))


def is_furniture_line(text: str) -> bool:
    """A short line every article of the site repeats: 'Powered by X', a disclosure, a donation call."""
    return len(text.split()) <= MAX_FURNITURE_WORDS and bool(_FURNITURE.search(text))


def is_interface_line(text: str) -> bool:
    """'Print', 'Bookmark | Share', '印刷': the labels of the page's tools and nothing else."""
    if len(text) > MAX_LABEL_CHARS * 2:
        return False
    pieces = [_LABEL_PUNCT.sub("", norm(piece)) for piece in _TOOL_SEPARATORS.split(text.strip())]
    pieces = [piece for piece in pieces if piece]
    return bool(pieces) and all(piece in _INTERFACE_LABELS for piece in pieces) and not is_widget_label(text)


def is_reproduction_notice(text: str) -> bool:
    return word_units(text) <= MAX_NOTICE_WORDS and bool(_REPRODUCTION.search(text))


def is_widget_label(text: str) -> bool:
    return len(text) <= MAX_LABEL_CHARS and _LABEL_PUNCT.sub("", norm(text)) in _WIDGET_LABELS


def _is_list_label(text: str) -> bool:
    words = text.split()
    if len(words) > MAX_LIST_LABEL_WORDS:
        return False
    return text.rstrip().endswith(":") or (len(words) <= 4 and not re.search(r"[.!?]\s*$", text))


def _drop_trailing_social(parts: list[str], keep: list[bool]) -> None:
    """'Follow us on ...' prompts among the last paragraphs: the article has ended there."""
    kept = [i for i, ok in enumerate(keep) if ok]
    for i in kept[-MAX_TRAILING_PROMPTS:]:
        if is_social_prompt(parts[i]) and i != kept[0] and rules.on("boilerplate.trailing_social"):
            keep[i] = False


def link_texts(tree: HtmlElement) -> set[str]:
    """Comparison keys of the texts of links to other pages (not in-page anchors, not bare URLs)."""
    texts: set[str] = set()
    for a in tree.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        text = a.text_content()
        if " " in text.strip() and not _URL_LIKE.match(text.strip()):
            texts.add(cheap_key(text))
    return texts


def _is_link_text(key: str, links: set[str]) -> bool:
    """The whole paragraph is a link, or nearly: "Story title [VIDEO]", "Story title (AP)"."""
    if key in links:
        return True
    shortest = math.ceil(MIN_LINK_SHARE * len(key))
    if len(links) <= MAX_LINKS_SCANNED:
        return any(shortest <= len(link) <= len(key) and link in key for link in links)
    # Many links: look the key's long enough slices up instead (their number depends on the key
    # alone), so a page of thousands of links costs in proportion, not its square.
    return any(key[start:start + size] in links for size in range(shortest, len(key) + 1)
               for start in range(len(key) - size + 1))


def _link_runs(parts: list[str], tree: HtmlElement) -> Iterable[tuple[int, int]]:
    """Runs of at least MIN_LINK_RUN consecutive paragraphs that are each the text of a link."""
    # Candidates are short and read like titles, not sentences (no final full stop).
    short = [len(part.split()) <= MAX_LINK_WORDS and not part.rstrip().endswith(".") for part in parts]
    if not any(a and b for a, b in zip(short, short[1:], strict=False)):
        return  # no two such paragraphs in a row: no need to read the page's links
    links = link_texts(tree)
    start = None
    for i, part in enumerate([*parts, ""]):
        linked = bool(part) and short[i] and _is_link_text(cheap_key(_BULLET.sub("", part)), links)
        if linked and start is None:
            start = i
        elif not linked and start is not None:
            if i - start >= MIN_LINK_RUN:
                yield start, i
            start = None
