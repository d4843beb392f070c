"""Other stories on the article's page: teasers and articles of their own, not its text.

Pages that show several article-like blocks (a story with long teasers for other stories
under it, a page of several articles) mark each as an ``<article>`` element or an
``itemtype`` Article. When the extractor's text takes in paragraphs that are shown only
inside such a block other than the article the headline belongs to, those paragraphs
are another story and leave the body.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from . import rules
from .text import cheap_key
from .titles import in_navigation

_ARTICLE_TYPE = re.compile(r"(?:News|Blog|Report|Analysis|Opinion)?Article\b|BlogPosting|LiveBlogPosting", re.I)
_TYPED = etree.XPath("//*[@itemtype]")
# The body must keep at least this share of its paragraphs for the cut to be trusted.
MIN_KEPT_SHARE = 0.3


def without_other_stories(body: str | None, tree: HtmlElement, scope: HtmlElement) -> str | None:
    """``body`` without paragraphs shown only inside an article block other than the main one."""
    if not body:
        return body
    blocks = _article_blocks(tree)
    main = _main_article(tree, scope, blocks) if len(blocks) > 1 else None
    if main is None:
        return body
    others = [el for el in blocks if el is not main and not _related(el, main)]
    if not others:
        return body
    main_keys = {cheap_key(p.text_content()) for p in main.iter("p")}
    other_keys = {cheap_key(p.text_content()) for other in others for p in other.iter("p")} - main_keys
    if not other_keys:
        return body
    parts = body.split("\n\n")
    own = [part for part in parts if cheap_key(part) not in other_keys]
    if len(own) == len(parts) or len(own) < MIN_KEPT_SHARE * len(parts):
        return body
    # Only the run that closes the text: another story's paragraphs follow the article. One that
    # the article's own text also shows in the middle (a quote, a repeated line) is the article's.
    end = len(parts)
    while end > 0 and cheap_key(parts[end - 1]) in other_keys:
        end -= 1
    kept = parts[:end]
    if len(kept) == len(parts):
        return body
    if not rules.on("body.other_stories"):
        return body
    return "\n\n".join(kept)


def _article_blocks(tree: HtmlElement) -> list[HtmlElement]:
    blocks = list(tree.iter("article"))
    blocks += [el for el in _TYPED(tree) if el.tag != "article" and _ARTICLE_TYPE.search(el.get("itemtype", ""))]
    return blocks


def _main_article(tree: HtmlElement, scope: HtmlElement, blocks: list[HtmlElement]) -> HtmlElement | None:
    """The article block holding the page's headline (its first h1 outside navigation)."""
    if scope in blocks:
        return scope
    h1 = next((h for h in tree.iter("h1") if not in_navigation(h)), None)
    if h1 is None:
        return None
    holders = [block for block in h1.iterancestors() if block in blocks]
    return holders[-1] if holders else None  # the outermost: a live blog's posts sit inside it


def _related(a: HtmlElement, b: HtmlElement) -> bool:
    """True when one element contains the other."""
    return any(node is b for node in a.iterancestors()) or any(node is a for node in b.iterancestors())
