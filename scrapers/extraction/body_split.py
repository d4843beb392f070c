"""Articles whose text the template splits into several blocks of the same kind.

Many templates cut the article into consecutive blocks (``<div class="body__chunk">``) with an
advert, a video or a newsletter box between them. An extractor sometimes keeps only some of
those blocks; the paragraphs of the blocks it skipped are put back here, in page order.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from . import rules
from .body_attribution import is_credit_line
from .body_boilerplate import is_furniture_line, is_newsletter_prompt, is_social_prompt, is_widget_label
from .text import cheap_key, marker, region_around, spaceless_key

# The sibling blocks share an ancestor at most this many levels above the block, and never
# beyond the article (or the main part of the page) holding it.
MAX_LEVELS_UP = 4
# A recovered paragraph is a sentence or more, and mostly not link text.
MIN_PARAGRAPH_WORDS = 8
MAX_LINK_SHARE = 0.5
# A block inside one of these is page furniture that happens to share the article's class.
_FURNITURE_TAGS = frozenset({"aside", "nav", "footer", "figure", "form", "header"})
_FURNITURE_MARKER = re.compile(
    r"related|recommend|promo|teaser|newsletter|donat|sponsor|advert|\bads?\b|social|share|"
    r"follow|widget|sidebar|footer|disclosure|caption|credit",
    re.I,
)


def with_split_blocks(body: str | None, tree: HtmlElement) -> str | None:
    """``body`` plus the paragraphs of same-class sibling blocks of the blocks it came from."""
    if not body:
        return body
    parts = body.split("\n\n")
    wanted = {cheap_key(part) for part in parts}
    order: dict[HtmlElement, int] = {}
    seen: dict[str, int] = {}
    blocks: dict[HtmlElement, None] = {}
    for index, p in enumerate(tree.iter("p")):
        order[p] = index
        key = cheap_key(p.text_content())
        if key in wanted:
            seen.setdefault(key, index)
            parent = p.getparent()
            if parent is not None and parent.get("class"):
                blocks[parent] = None
    # Already there, perhaps cut in two at a link or a <br>: compared without any spaces.
    flat = spaceless_key(" ".join(parts))
    extra = [(order[p], text) for p, text in _skipped_paragraphs(blocks, wanted) if spaceless_key(text) not in flat]
    if not extra or not rules.on("body.split_blocks"):
        return body
    merged: list[tuple[int, int, str]] = []
    position = -1
    for i, part in enumerate(parts):
        position = max(position, seen.get(cheap_key(part), -1))
        merged.append((position, i, part))
    merged += [(index, -1, text) for index, text in extra]
    merged.sort(key=lambda item: (item[0], item[1]))
    return "\n\n".join(text for _, _, text in merged)


def _depth(el: HtmlElement, region: HtmlElement) -> int:
    depth = 0
    for ancestor in el.iterancestors():
        if ancestor is region:
            break
        depth += 1
    return depth


def _in_furniture(el: HtmlElement, shared: set[HtmlElement]) -> bool:
    """True when ``el`` or an ancestor the kept block does not share is named or tagged as furniture."""
    for node in (el, *el.iterancestors()):
        if node in shared:
            return False
        if node.tag in _FURNITURE_TAGS or (node is not el and _FURNITURE_MARKER.search(marker(node))):
            return True
    return False


def _is_furniture_text(text: str) -> bool:
    """Follow prompts, newsletter boxes, 'Powered by' footers, disclosures, donation calls, credit lines."""
    return (
        is_social_prompt(text)
        or is_newsletter_prompt(text)
        or is_furniture_line(text)
        or is_credit_line(text)
        or is_widget_label(text)
    )


def _skipped_paragraphs(blocks: dict[HtmlElement, None], wanted: set[str]) -> list[tuple[HtmlElement, str]]:
    found: list[tuple[HtmlElement, str]] = []
    done: set[str] = set()
    for block in blocks:
        region = region_around(block, MAX_LEVELS_UP)
        cls = block.get("class")
        depth = _depth(block, region)
        shared = {*block.iterancestors()}
        for other in region.iter(block.tag):
            if other is block or other in blocks or other.get("class") != cls:
                continue
            # A sibling chunk of the article sits where the kept chunks sit, not inside a widget.
            if _depth(other, region) != depth or _in_furniture(other, shared):
                continue
            for p in other.iterchildren("p"):
                text = " ".join(p.text_content().split())
                key = cheap_key(text)
                if key in wanted or key in done or len(text.split()) < MIN_PARAGRAPH_WORDS:
                    continue
                if _is_furniture_text(text):
                    continue
                linked = sum(len(a.text_content()) for a in p.iter("a"))
                if linked > MAX_LINK_SHARE * len(text):
                    continue
                done.add(key)
                found.append((p, text))
    return found
