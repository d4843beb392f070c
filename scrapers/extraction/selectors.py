"""Per-site CSS/XPath overrides, read from site configs and applied to the parsed tree."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from lxml.cssselect import CSSSelector
from lxml.etree import XPath, XPathError
from lxml.html import HtmlElement


@dataclass(frozen=True)
class SiteSelectors:
    """Optional overrides; each is a CSS selector, or XPath when it starts with '/' or '('."""

    title: str | None = None
    byline: str | None = None
    date: str | None = None
    body: str | None = None
    image_credit: str | None = None

    @classmethod
    def from_mapping(cls, data: dict[str, Any] | None) -> SiteSelectors:
        data = data or {}
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown selector fields: {', '.join(sorted(unknown))}")
        for value in data.values():
            if value is not None:
                compile_selector(value)  # fail early on a typo in a site config
        return cls(**data)

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


@lru_cache(maxsize=256)
def compile_selector(expression: str) -> Any:
    expression = expression.strip()
    try:
        if expression.startswith(("/", "(")):
            return XPath(expression)
        return CSSSelector(expression)
    except (XPathError, Exception) as err:  # cssselect raises its own SelectorError types
        raise ValueError(f"invalid selector {expression!r}: {err}") from err


def select(tree: HtmlElement, expression: str | None) -> list[Any]:
    if not expression:
        return []
    result = compile_selector(expression)(tree)
    return result if isinstance(result, list) else [result]


def select_text(tree: HtmlElement, expression: str | None) -> list[str]:
    """Text of each match: elements give their text, attributes and text() give themselves."""
    texts = []
    for match in select(tree, expression):
        if isinstance(match, HtmlElement):
            text = " ".join(" ".join(match.itertext()).split())
        else:
            text = " ".join(str(match).split())
        if text:
            texts.append(text)
    return texts
