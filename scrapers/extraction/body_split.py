"""Articles whose text the template splits into several blocks of the same kind.

Many templates cut the article into consecutive blocks (``<div class="body__chunk">``) with an
advert, a video or a newsletter box between them. An extractor sometimes keeps only some of
those blocks; the paragraphs of the blocks it skipped are put back here, in page order.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from . import rules
from .text import cheap_key, region_around, spaceless_key

# The sibling blocks share an ancestor at most this many levels above the block, and never
# beyond the article (or the main part of the page) holding it.
MAX_LEVELS_UP = 4
# A recovered paragraph is a sentence or more, and mostly not link text.
MIN_PARAGRAPH_WORDS = 8
MAX_LINK_SHARE = 0.5


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


def _skipped_paragraphs(blocks: dict[HtmlElement, None], wanted: set[str]) -> list[tuple[HtmlElement, str]]:
    found: list[tuple[HtmlElement, str]] = []
    done: set[str] = set()
    for block in blocks:
        region = region_around(block, MAX_LEVELS_UP)
        cls = block.get("class")
        for other in region.iter(block.tag):
            if other is block or other in blocks or other.get("class") != cls:
                continue
            for p in other.iterchildren("p"):
                text = " ".join(p.text_content().split())
                key = cheap_key(text)
                if key in wanted or key in done or len(text.split()) < MIN_PARAGRAPH_WORDS:
                    continue
                linked = sum(len(a.text_content()) for a in p.iter("a"))
                if linked > MAX_LINK_SHARE * len(text):
                    continue
                done.add(key)
                found.append((p, text))
    return found
