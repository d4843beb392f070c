"""The standfirst: the lead paragraph shown between the headline and the article text.

Pages declare their lead as the description (og:description, meta description, JSON-LD
``description``); the standfirst is the element that shows that same text after the
headline and before the first paragraph of the body. A description that the page does
not show (a teaser written only for search and social cards) is not a standfirst.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml.html import HtmlElement

from . import rules
from .document import Page
from .jsonld import text_of
from .text import clean, element_text, leading_text, norm, region_around, spaceless_key
from .titles import heading_variants, in_navigation

MIN_STANDFIRST_CHARS = 40
# Element kinds that hold a lead; links, list items, captions and page furniture do not.
_LEAD_TAGS = frozenset({"p", "div", "h2", "h3", "span", "strong", "b", "section", "header"})
_NOT_LEAD = frozenset({"figure", "figcaption", "nav", "aside", "footer", "a", "li", "button", "form"})
PREFIX_CHARS = 24  # letters compared first, so long containers are not read in full
# A lead sits just under its headline: within a few levels of it and a few hundred elements.
MAX_LEVELS_UP = 3
MAX_ELEMENTS_LOOKED_AT = 300


def standfirst(page: Page, ld: dict | None, title: str | None, body: str | None) -> str | None:
    """The shown lead, as the page writes it, or None."""
    declared = _declared_descriptions(page, ld)
    if not declared:
        return None
    prefixes = {_prefix(text) for text in declared.values()}
    first_paragraph = body.split("\n\n", 1)[0] if body else None
    first_prefix = _prefix(first_paragraph) if first_paragraph else None
    headline_el = _headline_element(page.tree, title)
    if headline_el is None:
        return None
    for el in _after(headline_el):
        start = _prefix(leading_text(el, PREFIX_CHARS))
        if start in prefixes:
            text = element_text(el, joiner="")
            if text and norm(text) in declared and not any(a.tag in _NOT_LEAD for a in el.iterancestors()):
                return text if rules.on("standfirst") else None
        if el.tag == "p" and start == first_prefix and _same_text(el, first_paragraph or ""):
            break  # the body has begun: no lead above it
    return None


def _after(headline_el: HtmlElement) -> Iterable[HtmlElement]:
    """Elements that may hold a lead, after the headline in page order, near it."""
    region = region_around(headline_el, MAX_LEVELS_UP)
    started = False
    looked_at = 0
    for el in region.iter():
        if not started:
            started = el is headline_el
            continue
        if el.tag in _LEAD_TAGS:
            looked_at += 1
            if looked_at > MAX_ELEMENTS_LOOKED_AT:
                return
            yield el


def _headline_element(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The heading that shows the title, else the article's h1: the lead comes after it.

    A title taken from a declaration that trims the heading (a clause or a kicker left
    out) is shown by no heading word for word; the page's own h1 still stands above the lead.
    """
    if not title:
        return None
    key = norm(title)
    for el in tree.iter("h1", "h2"):
        if any(norm(text) == key for text in heading_variants(el)):
            return el
    return next((h1 for h1 in tree.iter("h1") if not in_navigation(h1) and heading_variants(h1)), None)


def _declared_descriptions(page: Page, ld: dict | None) -> dict[str, str]:
    """{comparison key: text} of the descriptions the page declares."""
    values = [page.meta_first(name) for name in ("og:description", "description", "twitter:description")]
    if ld:
        values.append(text_of(ld.get("description")))
    texts = (clean(value) for value in values)
    return {norm(text): text for text in texts if text and len(text) >= MIN_STANDFIRST_CHARS}


def _same_text(el: HtmlElement, text: str) -> bool:
    return norm(element_text(el, joiner="") or "") == norm(text)


def _prefix(text: str) -> str:
    """Cheap key of a text's start: most elements are ruled out by it before being read whole."""
    return spaceless_key(text)[:PREFIX_CHARS]
