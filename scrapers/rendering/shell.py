"""Does a plain response look like an app shell, a page whose article arrives only with JavaScript?

Asked only of article pages that gave no article, so it may parse the page. A shell shows little
text of its own and has one of: a large script or hydration payload (the article as JSON in the
page), an empty mount point or article container that a script fills, or a ``<noscript>`` asking
for JavaScript. A short page without any of these (a 404 text, a gallery) is not rendered.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

# More visible text than this and the page is not a shell: an article of VALIDATE_MIN_BODY_WORDS
# (50 words) plus a menu and a footer passes it, a shell's menu and footer alone do not.
MAX_SHELL_TEXT = 1200
# Inline script (including JSON payloads) this many times the visible text: the content is in there.
SCRIPT_TO_TEXT = 2.0
MIN_SCRIPT_BYTES = 2000
_MOUNT_IDS = ("root", "app", "__next", "__nuxt", "___gatsby", "svelte", "main-app", "content-root")
_HYDRATION = ("__NEXT_DATA__", "__NUXT__", "__INITIAL_STATE__", "__PRELOADED_STATE__", "__APOLLO_STATE__",
              "__remixContext", "window.__data", "ng-state")


def looks_like_app_shell(body: bytes) -> bool:
    """True when the page shows little text and a script visibly holds or fetches its content."""
    if not body.strip():
        return False
    try:
        tree = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return False
    text = _visible_text(tree)
    if len(text) > MAX_SHELL_TEXT:
        return False
    scripts = tree.xpath("//script")
    inline = sum(len(s.text or "") for s in scripts)
    if inline >= MIN_SCRIPT_BYTES and inline >= SCRIPT_TO_TEXT * len(text):
        return True
    if any(marker in (s.text or "") or marker == s.get("id") for s in scripts for marker in _HYDRATION):
        return True
    if any(s.get("type", "").lower() == "application/json" for s in scripts):
        return True
    if scripts and _empty_container(tree):
        return True
    noscript = " ".join(n.text_content() for n in tree.xpath("//noscript")).lower()
    return "javascript" in noscript


def _visible_text(tree: lxml.html.HtmlElement) -> str:
    body = tree.find("body")
    if body is None:
        return ""
    parts = [t for t in body.xpath(".//text()[not(ancestor::*[self::script or self::style or self::noscript "
                                   "or self::template or self::svg])]")]
    return " ".join(" ".join(parts).split())


def _empty_container(tree: lxml.html.HtmlElement) -> bool:
    """A mount point (``<div id="root">``) or an ``<article>``/``<main>`` with no text: a script fills it."""
    for element in tree.xpath("//article | //main | //*[@id]"):
        if element.tag in ("article", "main") or element.get("id") in _MOUNT_IDS:
            if not element.text_content().strip():
                return True
    return False
