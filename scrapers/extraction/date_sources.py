"""Where on the page a publication date is looked for when nothing declares one: <time> elements
that belong to the article, then htmldate."""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from . import rules
from .text import marker

_DATE_PUBLISHED_ITEMS = etree.XPath('//*[@itemprop="datePublished"]')
# A <time> in these stamps something else than the article: the site's clock in the header,
# a comment, a related story, a video's availability, an event's schedule, an update.
_ELSEWHERE_TAGS = frozenset({"nav", "footer", "aside"})
_ELSEWHERE_MARKER = re.compile(
    r"comment|related|recommend|clock|weather|ticker|video|player|event|schedule|updated|modified|"
    r"expir|avail|teaser|sidebar|widget",
    re.I,
)
_OTHER_ITEMPROPS = frozenset(
    {"datemodified", "uploaddate", "startdate", "enddate", "expires", "availabilityends", "availabilitystarts",
     "commenttime"}
)
_PUBLISHED_MARKER = re.compile(r"publish|pubdate|posted|created", re.I)
# A <time> this many levels up is still read as the article's (its own block and a few wrappers).
MAX_MARKER_LEVELS = 6
# An article's header links to its author and section; a site's to every section.
MIN_SITE_HEADER_LINKS = 8
# htmldate's extensive search stands a year alone in for January 1st: such an answer is no day.
_NEW_YEAR = re.compile(r"^\d{4}-01-01$")


def time_element_dates(tree: HtmlElement, scope: HtmlElement) -> list[str]:
    """Date texts of <time> elements, itemprop=datePublished first, the article's before the page's."""
    values = [el.get("content") or el.get("datetime") or _text(el) for el in _DATE_PUBLISHED_ITEMS(tree)]
    inside = list(scope.iter("time"))
    seen = set(inside)
    outside = [el for el in tree.iter("time") if el not in seen]
    for el in inside + outside:
        if _stamps_something_else(el, scope) and rules.on("date.other_time_elements"):
            continue
        values.append(el.get("datetime") or _text(el))
    return [v for v in values if v]


def _stamps_something_else(el: HtmlElement, scope: HtmlElement) -> bool:
    if (el.get("itemprop") or "").lower() in _OTHER_ITEMPROPS:
        return True
    if _PUBLISHED_MARKER.search(marker(el)):
        return False  # "entry-date published updated": the publication date, never modified since
    node: HtmlElement | None = el
    for _ in range(MAX_MARKER_LEVELS):
        if node is None or node is scope:
            break
        if node.tag in _ELSEWHERE_TAGS or _ELSEWHERE_MARKER.search(marker(node)):
            return True
        node = node.getparent()
    return False


def in_site_furniture(el: HtmlElement) -> bool:
    """The element sits in the site's header (one without the headline: its clock, its weather),
    a navigation bar, a side block or the footer: a date there is not the article's."""
    for node in el.iterancestors():
        if node.tag in _ELSEWHERE_TAGS or (node.tag == "header" and _site_header(node)):
            return rules.on("date.site_furniture")
    return False


def _site_header(header: HtmlElement) -> bool:
    """A page's header, not an article's: no headline, or the site's menus (a nav, many links)."""
    if next(header.iter("h1"), None) is None or next(header.iter("nav"), None) is not None:
        return True
    return sum(1 for _ in header.iter("a")) >= MIN_SITE_HEADER_LINKS


def _text(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def htmldate_date(tree: HtmlElement, url: str | None) -> str | None:
    """htmldate's day; its extensive search (the page's text and links) when the quick one finds none."""
    from htmldate import find_date

    found = find_date(tree, url=url, extensive_search=False, outputformat="%Y-%m-%d")
    if found:
        return found
    found = find_date(tree, url=url, extensive_search=True, outputformat="%Y-%m-%d")
    if not found or (_NEW_YEAR.match(found) and rules.on("date.htmldate_new_year")):
        return None
    return found if rules.on("date.htmldate_extensive") else None
