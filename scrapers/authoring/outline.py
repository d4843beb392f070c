"""``explain --html``: the page as extraction read it, with the element each field came from outlined and
labelled, to open in a browser."""

from __future__ import annotations

from lxml import html as lxml_html
from lxml.html import HtmlElement

from ..extraction.document import Page
from .explain import FieldOrigin

COLOURS = {"title": "#d7263d", "authors": "#1b998b", "date_published": "#f46036", "date_modified": "#c5d86d",
           "body": "#2e294e", "section": "#7768ae", "is_paywalled": "#e4572e", "canonical_url": "#999999"}
_STYLE = ("[data-presswire]{outline:3px solid var(--pw);outline-offset:2px;position:relative}"
          "[data-presswire]::before{content:attr(data-presswire);position:absolute;top:-1.4em;left:0;"
          "font:12px/1.2 monospace;background:var(--pw);color:#fff;padding:1px 4px;z-index:9999}"
          "[data-presswire-part]{outline:1px dashed #2e294e}")


def outlined_html(page: Page, origins: list[FieldOrigin]) -> bytes:
    """The page with ``data-presswire`` labels and outlines on the chosen elements, links resolved."""
    tree = page.tree
    for origin in origins:
        chosen = origin.chosen or next((c for c in origin.candidates if c.verdict.startswith("shortened")), None)
        if chosen is None:
            continue
        colour = COLOURS.get(origin.name, "#444444")
        if chosen.element is not None:
            _mark(chosen.element, origin.name, colour)
        for part in chosen.parts:
            part.set("data-presswire-part", origin.name)
    head = tree.find("head")
    if head is None:
        head = lxml_html.Element("head")
        tree.insert(0, head)
    style = lxml_html.Element("style")
    style.text = _STYLE
    head.insert(0, style)
    if page.url and tree.find(".//base") is None:
        head.insert(0, lxml_html.Element("base", href=page.url))
    data: bytes = lxml_html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")
    return data


def _mark(element: HtmlElement, name: str, colour: str) -> None:
    label = element.get("data-presswire")
    element.set("data-presswire", f"{label}, {name}" if label else name)
    element.set("style", f"--pw:{colour};{element.get('style') or ''}")
