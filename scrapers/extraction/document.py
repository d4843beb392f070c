"""Decode a page once, parse it once, and index what every metadata reader needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction, document_fromstring

from .article import ExtractionError
from .encoding import decode_html
from .jsonld import read_jsonld

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
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
_SCRIPTS_AND_STYLES = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
# C0 controls but tab and newlines, and DEL (as characters or character references): no text holds
# them, and trafilatura gives up on a tree whose text has one (lxml refuses such text), losing the body.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(9), 11, 12, *range(14, 32), 127])
_CONTROL_REFS = re.compile(r"&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01]|127)|[xX]0*(?:[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF]));")
# Lone surrogates cannot be encoded (to UTF-8, or by lxml, which cuts the page at the first one).
_SURROGATES = re.compile("[\ud800-\udfff]")


@dataclass
class Page:
    """A parsed page: the one lxml tree plus the indexes the readers share."""

    tree: HtmlElement
    url: str | None
    base_url: str | None = None  # <base href> when the page sets one: relative links resolve against it
    meta: dict[str, list[str]] = field(default_factory=dict)
    jsonld: list[dict] = field(default_factory=list)

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
    if len(text) > MAX_PAGE_CHARS and len(_SCRIPTS_AND_STYLES.sub("", text)) > MAX_PAGE_CHARS:
        raise ExtractionError("too_large", f"{len(text)} characters of markup (limit {MAX_PAGE_CHARS})")
    text = _XML_DECLARATION.sub("", without_controls(text), count=1)
    if not text.strip():
        raise ExtractionError("empty", "no content")
    if "<" not in text[:4096] and _looks_binary(text):
        raise ExtractionError("binary", "content is not HTML text")
    try:
        tree = document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError) as err:
        raise ExtractionError("unparseable", str(err)) from err
    if tree is None or len(tree) == 0:
        raise ExtractionError("empty", "no HTML elements")
    base = tree.find(".//base[@href]")
    base_url = _join(url, base.get("href", "")) if base is not None and url else url
    return Page(tree=tree, url=url, base_url=base_url, meta=_read_meta(tree), jsonld=read_jsonld(tree))


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
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        text = _SURROGATES.sub("\ufffd", text)
        data = text.encode("utf-8")
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        text = _CONTROLS.sub("", text)
    if "&#" in text and _CONTROL_REFS.search(text):
        text = _CONTROL_REFS.sub("", text)
    return text


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
