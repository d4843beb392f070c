"""Tables that lay out the page, not data: read as blocks of text.

Older templates (and some CMSs still) place the article, paragraphs and all, in table cells.
trafilatura renders every table it keeps as "| cell | cell |" rows, so such an article comes out
as one line between bars with its paragraphs run together. A table whose cells hold blocks
(paragraphs, headings), or a table of a few rows whose cells hold prose, is a layout: in the copy trafilatura reads,
its rows and cells become plain blocks. A data table (short cells) keeps its rows.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from . import rules
from .text import word_units

_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section")
# A cell with this many words is prose, not a datum...
MIN_PROSE_WORDS = 40
# A layout has a few rows (header, content, footer); a data table of many rows may describe
# each in a sentence or a paragraph.
MAX_LAYOUT_ROWS = 5
MIN_LAYOUT_PARAGRAPHS = 2
_TABLE_PARTS = frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"})


def without_layout_tables(tree: HtmlElement) -> None:
    """Turn, in place, the tables that lay out text into blocks (the copy trafilatura reads)."""
    headline = next(tree.iter("h1"), None)
    around_headline = {el for el in headline.iterancestors("table")} if headline is not None else set()
    # a table around the page's headline lays out the page, however many rows it has
    layouts = [table for table in tree.iter("table") if table in around_headline or _is_layout(table)]
    for table in layouts:
        if not rules.on("body.layout_tables"):
            return
        for el in _own_parts(table):
            el.tag = "div"
        table.tag = "div"


def _own_parts(table: HtmlElement) -> list[HtmlElement]:
    """Rows and cells of this table, not of tables nested in its cells."""
    parts = []
    stack = list(table)
    while stack:
        el = stack.pop()
        if el.tag in _TABLE_PARTS:
            parts.append(el)
            stack.extend(el)
    return parts


def _is_layout(table: HtmlElement) -> bool:
    parts = _own_parts(table)
    rows = sum(1 for el in parts if el.tag == "tr")
    if rows > MAX_LAYOUT_ROWS:
        return False  # a data table: many rows (a cell of one may well hold a <p>)
    cells = [el for el in parts if el.tag in ("td", "th")]
    return any(_holds_text_blocks(cell) or word_units(cell.text_content()) >= MIN_PROSE_WORDS for cell in cells)


def _holds_text_blocks(cell: HtmlElement) -> bool:
    """A heading, or paragraphs: a cell wrapping part of a page, not a datum."""
    paragraphs = 0
    for el in cell.iterdescendants(*_BLOCKS):
        if el.tag != "p":
            return True
        paragraphs += 1
        if paragraphs >= MIN_LAYOUT_PARAGRAPHS:
            return True
    return False
