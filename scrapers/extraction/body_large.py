"""The body of a page too large for trafilatura: its text blocks as written, in page order.

trafilatura's queries (``//p//text()`` among them) cost the square of the page in libxml2,
which checks every node set it merges for duplicates: 80,000 short paragraphs take it minutes.
No article has that many text nodes (the news pages we measure have under 5,000), so past
``MAX_TEXT_NODES`` the page is read directly, at a cost linear in its size: the text of each
paragraph-level element outside menus, asides, footers and forms.
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from .text import element_text, paragraphs

MAX_TEXT_NODES = 25_000
_TEXT_NODES = etree.XPath("count(//text())")  # one step: linear, unlike a path of several
# Elements whose text is one paragraph of the body.
_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "figcaption"})
# Containers: one whose children are not of these kinds holds a paragraph of its own.
_CONTAINERS = _BLOCKS | frozenset(
    {"div", "section", "article", "main", "ul", "ol", "dl", "table", "tbody", "tr", "td", "th", "header", "body"}
)
_NOT_BODY = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "nav", "aside", "footer", "form", "button", "select",
     "figure", "iframe", "h1"}
)


def too_large_for_trafilatura(tree: HtmlElement) -> bool:
    return float(_TEXT_NODES(tree)) > MAX_TEXT_NODES


def plain_body(tree: HtmlElement) -> str | None:
    """Text of the page's paragraph-level elements, one paragraph each, in page order."""
    parts: list[str] = []
    stack: list[HtmlElement] = [tree]
    while stack:
        el = stack.pop()
        tag = el.tag
        if not isinstance(tag, str) or tag in _NOT_BODY:
            continue
        if tag in _BLOCKS or (tag in _CONTAINERS and not any(child.tag in _CONTAINERS for child in el)):
            # inline markup joins as written ("<b>W</b>ord"); a line break keeps words apart
            text = element_text(el, joiner=" " if el.find(".//br") is not None else "")
            if text:
                parts.append(text)
            continue
        stack.extend(reversed(el))
    return paragraphs("\n".join(parts))
