"""Decode a page once, parse it once, and index what every metadata reader needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction, document_fromstring

from .article import ExtractionError
from .encoding import decode_html
from .jsonld import is_jsonld, read_jsonld

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# Elements whose content is never page text: styles and drawings. Scripts and templates are
# dropped one by one: JSON-LD is data (trafilatura reads it too, to tell a forum thread from an
# article), and a template that declares a shadow root is shown by browsers.
_NOT_TEXT = ("style", "svg")
_SHADOW_ROOT = ("shadowrootmode", "shadowroot")
# The text goes to libxml2 as UTF-8 (a quarter faster than a Python string, which it converts first).
_PARSER = HTMLParser(
    remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False, encoding="utf-8"
)
# lxml.html looks up the Python class of every element it hands out in Python code (for its form
# classes): a third of a microsecond each, half a million times a page between our readers and
# trafilatura. Every element of our tree is a plain HtmlElement, chosen in C.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
    )
)
# Markup beyond this (scripts and styles not counted) is no article page: extraction time grows
# with it (about a second a megabyte), and a crawl must not stall on one page.
MAX_PAGE_CHARS = 4_000_000
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)(?=[\s/>])", re.I)
_END_OF = {"script": re.compile(r"</script[\s/>]", re.I), "style": re.compile(r"</style[\s/>]", re.I)}
# libxml2 compares each attribute of an element with all those before it: a tag with 50,000
# attributes takes it half a minute. No element needs more than MAX_ATTRIBUTES; the rest are
# dropped before parsing. An attribute as the HTML tokenizer reads one, every quantifier
# possessive (no backtracking), never across a "<" or ">": a match stays inside one tag, and
# in script text (read the same way) it never reaches the end tag. Only a tag with more than
# MAX_ATTRIBUTES matches, so a page without one costs one scan.
MAX_ATTRIBUTES = 100
_ATTRIBUTE = r"""(?>[\s/]*+[^\s/<>=][^\s/<>=]*+(?:\s*+=\s*+(?:"[^"<>]*+"|'[^'<>]*+'|[^\s<>]++))?+)"""
_CROWDED_TAG = re.compile(rf"(<[a-zA-Z][^\s/>]*+{_ATTRIBUTE}{{{MAX_ATTRIBUTES}}}){_ATTRIBUTE}++")
# C0 controls but tab and newlines, and DEL (as characters or character references): no text holds
# them, and trafilatura gives up on a tree whose text has one (lxml refuses such text), losing the body.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(9), 11, 12, *range(14, 32), 127])
_CONTROL_REFS = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01]|127)|[xX]0*(?:[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF]));", re.ASCII
)
_CONTROL_REF_BYTES = re.compile(_CONTROL_REFS.pattern.encode("ascii"))  # searched on the UTF-8 bytes
# Lone surrogates cannot be encoded (to UTF-8, or by lxml, which cuts the page at the first one).
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass
class Page:
    """A parsed page: the one lxml tree plus the indexes the readers share."""

    tree: HtmlElement  # without styles, SVG, and scripts and templates but JSON-LD and shadow roots
    url: str | None
    base_url: str | None = None  # <base href> when the page sets one: relative links resolve against it
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict] = field(default_factory=list)
    source: bytes = b""  # the page as parsed (UTF-8), scripts included: read only for what the tree drops

    def meta_first(self, *names: str) -> str | None:
        for name in names:
            for value in self.meta.get(name, ()):
                if value.strip():
                    return value.strip()
        return None

    def absolute(self, link: str | None) -> str | None:
        if not link:
            return None
        link = link.strip()
        if not link or link.startswith(("data:", "javascript:")):
            return None
        base = self.base_url or self.url
        try:
            return urljoin(base, link) if base else link
        except ValueError:  # "http://[::1", a port that is no number: a link we skip
            return None


def parse_page(html: str | bytes, url: str | None = None, content_type: str | None = None) -> Page:
    text = decode_html(html, content_type)
    if len(text) > MAX_PAGE_CHARS and markup_chars(text) > MAX_PAGE_CHARS:
        raise ExtractionError("too_large", f"{len(text)} characters of markup (limit {MAX_PAGE_CHARS})")
    text, data = _without_controls(text)  # the UTF-8 bytes for the parser come with the check
    declaration = _XML_DECLARATION.match(text)
    if declaration:
        text = text[declaration.end() :]
        data = text.encode("utf-8")
    # on every page: attributes need no value ("<div a1 a2 ...>"), so no cheaper count rules it out
    bounded = _CROWDED_TAG.sub(r"\1", text)
    if len(bounded) != len(text):
        text, data = bounded, bounded.encode("utf-8")
    if not text.strip():
        raise ExtractionError("empty", "no content")
    if "<" not in text[:4096] and _looks_binary(text):
        raise ExtractionError("binary", "content is not HTML text")
    try:
        tree = document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError) as err:
        raise ExtractionError("unparseable", str(err)) from err
    if tree is None or len(tree) == 0:
        raise ExtractionError("empty", "no HTML elements")
    base = next((el for el in tree.iter("base") if el.get("href") is not None), None)
    base_url = _join(url, base.get("href", "")) if base is not None and url else url
    jsonld = read_jsonld(tree)
    _drop_inert_elements(tree)
    return Page(tree=tree, url=url, base_url=base_url, meta=_read_meta(tree), jsonld=jsonld, source=data)


def _drop_inert_elements(tree: HtmlElement) -> None:
    """Drop what is never text of the page, once JSON-LD has been read; the text after each stays.

    No reader looks into them: gone, they cost no pass over the tree anything (an icon's <svg>
    alone can hold hundreds of elements), and no reader that takes an element's whole text can
    pick up a script's or a template's.
    """
    etree.strip_elements(tree, *_NOT_TEXT, with_tail=False)
    inert = [
        el for el in tree.iter("script", "template")
        if (el.tag == "script" and not is_jsonld(el))
        or (el.tag == "template" and not any(el.get(name) is not None for name in _SHADOW_ROOT))
    ]
    for el in inert:
        el.drop_tree()


def markup_chars(text: str) -> int:
    """Characters of the page outside scripts and styles, in one pass.

    A script or style never closed runs to the end of the page, as in a browser (a pattern
    that looked for each one's end tag rescanned the rest of the page for every such tag).
    """
    count = pos = 0
    while (start := _SCRIPT_OR_STYLE.search(text, pos)) is not None:
        count += start.start() - pos
        end = _END_OF[start.group(1).lower()].search(text, start.end())
        if end is None:
            return count
        close = text.find(">", end.start())
        pos = len(text) if close == -1 else close + 1
    return count + len(text) - pos


def _join(url: str, href: str) -> str:
    """``<base href>`` resolved against the page URL; the page URL when it is malformed."""
    try:
        return urljoin(url, href.strip())
    except ValueError:
        return url


def without_controls(text: str) -> str:
    """The page without control characters (as characters or references); lone surrogates as U+FFFD.

    Tab, CR and LF stay; so do the format characters of writing systems (ZWNJ, ZWJ), which are
    not controls. Most pages have none of these: the check runs on the UTF-8 bytes (a C loop,
    several times faster than a regex over a wide string), the copies only when one is found.
    """
    return _without_controls(text)[0]


def _without_controls(text: str) -> tuple[str, bytes]:
    """``without_controls(text)`` and its UTF-8 bytes, which the checks are run on."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATES.sub("\ufffd", text)
        data = text.encode("utf-8")
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        text = _CONTROLS.sub("", text)
        data = text.encode("utf-8")
    if b"&#" in data and _CONTROL_REF_BYTES.search(data):
        text = _CONTROL_REFS.sub("", text)
        data = text.encode("utf-8")
    return text, data


def _looks_binary(text: str) -> bool:
    sample = text[:2048]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    replacement = sample.count("\ufffd")
    return (controls + replacement) > len(sample) * 0.1


def _read_meta(tree: HtmlElement) -> dict[str, list[str]]:
    meta: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content is not None:
            meta.setdefault(key.strip().lower(), []).append(content)
    return meta
