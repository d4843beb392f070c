"""Decode a page once, parse it once, and index what every metadata reader needs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring
from w3lib.encoding import html_to_unicode

from .article import ExtractionError
from .jsonld import read_jsonld

# Bytes sniffed for signatures of binary formats a server may label text/html.
_BINARY_SIGNATURES = (
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"PK\x03\x04",
    b"RIFF",
    b"\x00\x00\x01\x00",
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_PARSER = HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
MAX_PAGE_CHARS = 30_000_000


@dataclass
class Page:
    """A parsed page: the one lxml tree plus the indexes the readers share."""

    tree: HtmlElement
    url: str | None
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
        return urljoin(self.url, link) if self.url else link


def decode_html(html: str | bytes, content_type: str | None = None) -> str:
    """Bytes to text: HTTP charset, then BOM, then ``<meta charset>``, then detection."""
    if isinstance(html, str):
        return html
    if not html.strip():
        raise ExtractionError("empty", "no content")
    head = html[:8].lstrip()
    if any(head.startswith(sig) for sig in _BINARY_SIGNATURES):
        raise ExtractionError("binary", "content is a binary file, not HTML")
    _, text = html_to_unicode(content_type, html)
    return text


def parse_page(html: str | bytes, url: str | None = None, content_type: str | None = None) -> Page:
    text = decode_html(html, content_type)
    if len(text) > MAX_PAGE_CHARS:
        raise ExtractionError("too_large", f"{len(text)} characters")
    text = _XML_DECLARATION.sub("", text.replace("\x00", ""), count=1)
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
    if base is not None and url:
        url_base = urljoin(url, base.get("href", ""))
    else:
        url_base = url
    page = Page(tree=tree, url=url_base)
    page.meta = _read_meta(tree)
    page.jsonld = read_jsonld(tree)
    page.url = url
    return page


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
