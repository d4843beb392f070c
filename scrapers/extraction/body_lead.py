"""The article's opening text that trafilatura's precision mode leaves out.

Two shapes lose it: a lead written straight into the article's container, not in a ``<p>``
("<div class=content><img>The lead.<br><br>The next paragraph..."), and an intro block set apart
next to the headline. Both sit between the headline and the first paragraph kept, in a block that
shares a container with the text: prose there (sentences, not links, not a caption, a byline or
page furniture) is put back in front of the body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

from . import rules
from .body_attribution import is_credit_line
from .body_boilerplate import is_furniture_line, is_newsletter_prompt, is_social_prompt
from .lexicon import CREDIT_LABELS, alternation
from .text import marker, spaceless_key, word_units

# A lead is a sentence or more: this many words (CJK counted by characters), ending as a sentence does.
MIN_LEAD_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?。！？…:;\"'”’»)\]]\s*$")
MAX_LINK_SHARE = 0.3
MAX_LEADS = 3
MIN_HEADLINE_WORDS = 3
# A description this share of the run's length or more is the run, shortened.
DESCRIPTION_SHARE = 0.8
# A caption ends with its credit in brackets: "(AP Photo/Jane Doe)", "(Foto: X)".
_CREDITED = re.compile(rf"[(\[][^()\[\]]*\b(?:{alternation(CREDIT_LABELS)})\b[^()\[\]]*[)\]]\s*$", re.I)
# The search for the first kept paragraph stops after this many texts past the headline.
MAX_UNITS = 200
# Letters of the first paragraph that identify where it starts in the page.
KEY_LETTERS = 30
_INLINE = frozenset(
    {"a", "b", "i", "em", "strong", "span", "sup", "sub", "abbr", "q", "cite", "mark", "small", "u", "s", "font",
     "time", "code", "bdi", "bdo"}
)
_NOT_LEAD_TAGS = frozenset(
    {"figure", "figcaption", "aside", "nav", "footer", "form", "button", "label", "address", "time", "blockquote",
     "ul", "ol", "li", "table", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "noscript", "select"}
)
_NOT_LEAD_MARKER = re.compile(
    r"caption|credit|byline|author|share|social|meta|date|related|teaser|promo|newsletter|subscri|breadcrumb|"
    r"\btags?\b|comment|advert|\bads?\b|cookie|sidebar|widget|recommend|bookmark|print|toolbar|disclaimer|"
    r"summary|\bsum_|abstract|\bdeck?\b|blurb|standfirst|sub-?title|sub-?head",
    re.I,
)
_OUTERMOST = frozenset({"html", "body"})
# Never read: their text is not the page's.
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "select", "button"})


def with_lead(body: str | None, tree: HtmlElement, scope: HtmlElement, descriptions: list[str]) -> str | None:
    """``body`` with the prose found between the headline and its first paragraph put in front.

    A text the page declares as its description is the standfirst (a field of its own), not a lead.
    """
    if not body:
        return body
    root = scope
    headline = _headline(scope)
    if headline is None:
        root = tree
        headline = _headline(tree)
    if headline is None:
        return body
    declared = [spaceless_key(d) for d in descriptions if d]
    headline_key = spaceless_key(headline.text_content())
    # the headline may open the text (it is dropped later): the first paragraph is the one after
    first = next((part for part in body.split("\n\n") if spaceless_key(part) not in headline_key), None)
    if first is None:
        return body
    first_key = spaceless_key(first)[:KEY_LETTERS]
    flat = spaceless_key(body)
    leads: list[tuple[str, HtmlElement]] = []
    start: HtmlElement | None = None
    for count, (run, container) in enumerate(_units_after(root, headline)):
        key = spaceless_key(run)
        if first_key in key:
            start = container
            break
        if count >= MAX_UNITS:
            break
        if key not in flat and _is_lead(run, container) and not any(_same(key, d) for d in declared):
            leads.append((run, container))
    if start is None or not leads:
        return body
    texts = [run for run, container in leads if _near(container, start)]
    if not texts or not rules.on("body.lead"):
        return body
    parts = body.split("\n\n")
    at = parts.index(first)  # after a headline that opens the text
    return "\n\n".join([*parts[:at], *texts[-MAX_LEADS:], *parts[at:]])


def _headline(root: HtmlElement) -> HtmlElement | None:
    """The first h1 with words in it (a logo in an h1 holds an image or the site's name)."""
    return next((h1 for h1 in root.iter("h1") if word_units(h1.text_content()) >= MIN_HEADLINE_WORDS), None)


def _same(run: str, declared: str) -> bool:
    """The run is the declared description, give or take a few words."""
    return bool(declared) and (
        run in declared or (declared in run and len(declared) >= DESCRIPTION_SHARE * len(run))
    )


def _units_after(root: HtmlElement, headline: HtmlElement) -> Iterator[tuple[str, HtmlElement]]:
    """The texts after the headline, in page order, each with the block holding it: a <p> whole,
    else a run of text written in a block (its own text, inline elements, tails of children), cut
    at <br> and at block children."""
    walker = etree.iterwalk(root, events=("start", "end"))
    stack: list[tuple[HtmlElement, list[str]]] = [(root, [])]
    after = False
    holders = set(headline.iterancestors())  # before the headline only these are entered

    def flush() -> tuple[str, HtmlElement] | None:
        block, pieces = stack[-1]
        text = " ".join("".join(pieces).split())
        pieces.clear()
        return (text, block) if text and after else None

    for event, el in walker:
        tag = el.tag
        if event == "start":
            if el is headline or tag == "p" or tag in _SKIPPED:
                if tag == "p" and after:
                    if (unit := flush()) is not None:
                        yield unit
                    text = " ".join(el.text_content().split())
                    if text:
                        yield text, el
                walker.skip_subtree()
            elif tag in _INLINE:
                stack[-1][1].append(el.text or "")
            else:
                if (unit := flush()) is not None:
                    yield unit
                stack.append((el, [el.text or ""]))
                if not after and el not in holders:
                    walker.skip_subtree()  # wholly before the headline
        else:
            if el is headline:
                stack[-1][1].clear()
                after = True
            elif tag in _INLINE or tag == "p" or tag in _SKIPPED:
                pass
            else:
                if (unit := flush()) is not None:
                    yield unit
                stack.pop()
            stack[-1][1].append(el.tail or "")
    if (unit := flush()) is not None:
        yield unit


def _is_lead(run: str, el: HtmlElement) -> bool:
    if word_units(run) < MIN_LEAD_WORDS or not _SENTENCE_END.search(run):
        return False
    if is_credit_line(run) or is_furniture_line(run) or is_newsletter_prompt(run) or is_social_prompt(run):
        return False
    if _CREDITED.search(run):
        return False  # a caption: "... on Friday. (Photo: Jane Doe/Agency)"
    for node in (el, *el.iterancestors()):
        if node.tag in _OUTERMOST:
            break
        if node.tag in _NOT_LEAD_TAGS or _NOT_LEAD_MARKER.search(marker(node)):
            return False
    if el.tag == "p":
        linked = sum(len(" ".join(a.text_content().split())) for a in el.iter("a"))
        return linked <= MAX_LINK_SHARE * len(run)
    return True


def _near(container: HtmlElement, start: HtmlElement) -> bool:
    """The lead and the first paragraph share a container below the page's <body>."""
    ancestors = {container, *container.iterancestors()}
    common = next((a for a in (start, *start.iterancestors()) if a in ancestors), None)
    return common is not None and common.tag not in _OUTERMOST
