"""JSON-LD: tolerant parsing, @graph flattening, and picking the article object."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "askpublicnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
    "report",
}
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Repairs for what CMS templates emit and browsers forgive: "// comment" or "/* comment */" lines
# around the object, a statement's ";" after it, and "\'" (a JavaScript escape, invalid in JSON).
_LINE_COMMENT = re.compile(r"^\s*//[^\n]*$", re.MULTILINE)
_BLOCK_COMMENT = re.compile(r"^\s*/\*.*?\*/", re.DOTALL)
_QUOTE_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\'")
# A \u escape of a surrogate: json.loads turns a lone one into a str that cannot be encoded.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_jsonld(script: HtmlElement) -> bool:
    return (script.get("type") or "").strip().lower() == "application/ld+json"


def read_jsonld(tree: HtmlElement) -> list[dict]:
    """Every JSON-LD object on the page, flattened (lists, @graph, nested mainEntity)."""
    objects: list[dict] = []
    for script in tree.iter("script"):
        if not is_jsonld(script):
            continue
        data = _loads(script.text or "")
        if data is not None:
            objects.extend(_flatten(data))
    return objects


def _loads(text: str) -> Any:
    text = text.strip()
    for prefix, suffix in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("//<![CDATA[", "//]]>")):
        if text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix) : -len(suffix)].strip()
    if not text:
        return None
    for candidate in _candidates(text):
        try:
            # NaN and Infinity are no JSON: read as null, they never become text.
            data = json.loads(candidate, strict=False, parse_constant=lambda _: None)
        except (ValueError, RecursionError):
            continue
        return _without_surrogates(data) if _SURROGATE_ESCAPE.search(candidate) else data
    return None


def _candidates(text: str) -> Iterator[str]:
    """The text as given, then repaired, then repaired and HTML-unescaped (each tried only if the last fails)."""
    yield text
    repaired = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", text)).strip().rstrip(";").strip()
    repaired = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", repaired))
    if "\\'" in repaired:
        repaired = _QUOTE_ESCAPE.sub(r"\1'", repaired)
    yield repaired
    if "&" in repaired:
        # a template that HTML-escapes the whole script: {&quot;@type&quot;: &quot;NewsArticle&quot;}
        unescaped = html.unescape(repaired)
        if unescaped != repaired:
            yield from _candidates(unescaped)


def _without_surrogates(data: Any) -> Any:
    """Lone surrogates (from "\\ud800"-style escapes) replaced by U+FFFD, in keys and values."""
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data)
    if isinstance(data, list):
        return [_without_surrogates(item) for item in data]
    if isinstance(data, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in data.items()}
    return data


def _flatten(data: Any, depth: int = 0) -> Iterator[dict]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)
        if "@type" in data:
            yield data
        main = data.get("mainEntity") or data.get("mainEntityOfPage")
        if isinstance(main, dict) and "@type" in main and is_article(main):
            yield main


def types_of(obj: dict) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1].lower() for v in values if v}


def is_article(obj: dict) -> bool:
    return bool(types_of(obj) & ARTICLE_TYPES)


def find_article(objects: list[dict]) -> dict | None:
    """The page's article object: the first article type with a headline, else any."""
    articles = [o for o in objects if is_article(o)]
    for obj in articles:
        if obj.get("headline") or obj.get("articleBody"):
            return obj
    return articles[0] if articles else None


def resolve(value: Any, objects: list[dict]) -> Any:
    """Follow an ``{"@id": ...}`` reference to the object it names in the same page."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
        for obj in objects:
            if obj.get("@id") == value["@id"] and len(obj) > 2:
                return obj
    return value


def text_of(value: Any) -> str | None:
    """A string field that may come as a string, a list, or an object with a name.

    Only strings are text: a number, boolean or null where a text belongs is no text.
    """
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            text = text_of(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        return text_of(value.get("name") or value.get("@value") or value.get("text"))
    return None
