"""The headline as the page shows it: the article's h1, not the <title> with a site suffix."""

from __future__ import annotations

import re
import unicodedata

from lxml.html import HtmlElement

from . import rules
from .document import Page
from .jsonld import text_of
from .text import clean, marker, norm

# " | ", " - ", " :: " between spaces; "_" and "｜" also without ("Headline_SiteName", common on CJK sites).
_TITLE_SEPARATORS = re.compile(r"\s+[|–—:·•»-]\s+|\s+::\s+|\s*[_｜]\s*")
# ...and the full-width colon, which joins a site's name to a CJK headline ("見出し：サイト名") but
# also a headline's own two halves: read as a separator only before a site name or after the heading.
_WIDE_SEPARATORS = re.compile(r"\s+[|–—:·•»-]\s+|\s+::\s+|\s*[_｜：]\s*")
# "Example.com" for a site named "Example".
_DOMAIN_ENDING = re.compile(r"\.(?:com|net|org|info|co|io)(?:\.[a-z]{2})?$|\.[a-z]{2}$", re.I)
# Scripts written without spaces: about two characters make a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3\u0e00-\u0e7f]")
CHARS_PER_UNSPACED_WORD = 2
# A headline split into parts: the part that is the headline itself...
_HEADLINE_PART = re.compile(r"headline|title[_-]*text|content-title", re.I)
# ...and the parts that are not: kickers above it and text only screen readers get.
_NOT_HEADLINE = re.compile(
    r"kicker|overline|topline|dachzeile|eyebrow|roofline|spitzmarke|supertitle|pretitle|strapline|"
    r"sr-only|visually-hidden|offscreen|screen-reader",
    re.I,
)
_NAVIGATION = re.compile(r"breadcrumb", re.I)
_TITLE_MARKER = re.compile(r"title|headline|heading", re.I)
_BLOCK = frozenset({"div", "p", "br", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "section"})
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "button"})
MAX_TITLE_CHARS = 400
MIN_SHORTENED_WORDS = 4
MIN_HEADLINE_WORDS = 3
# A "headline" of several sentences, this long, is a summary.
MAX_HEADLINE_CHARS = 160
MAX_HEADLINE_WORDS = 20
_SENTENCES = re.compile(r"[.!?。]\s+\S")
MIN_CONTENT_WORD_CHARS = 4
# A section label in the headline's place: a word or two, and a declared headline of more.
MAX_LABEL_WORDS = 2
MAX_LABEL_CHARS = 30
MIN_EXTRA_HEADLINE_WORDS = 2
_WORD = re.compile(r"\w+")


def headline(page: Page, ld: dict | None, scope: HtmlElement) -> str | None:
    """The on-page headline, checked against the titles the page declares for itself.

    A heading may carry a kicker ("Kicker: Headline"); sites differ in whether their own
    title includes it, so the variant that equals a declared title wins. A heading shown in
    parts ("Kicker" and "Headline" in two spans) is written with the separator its declared
    title shows between them.
    """
    site_name = page.meta_first("og:site_name", "application-name")
    chosen = _headline(page, ld, scope, site_name)
    if not chosen:
        return chosen
    for title in _reference_titles(page, ld):
        title = strip_site_suffix(title, site_name) or title
        if (
            _letters(title) == _letters(chosen)
            and norm(title) != norm(chosen)
            and not title.endswith(("…", "..."))  # a truncated declaration, not another separator
            and len(_WORD.findall(title)) > 1
            and rules.on("title.kicker_separator")
        ):
            return title  # same words, other separators: the page's own way of joining them
    return chosen


def _headline(page: Page, ld: dict | None, scope: HtmlElement, site_name: str | None) -> str | None:
    references = _reference_titles(page, ld)
    keys = [norm(t) for t in references]
    headings = [h for h in page.tree.iter("h1") if heading_variants(h)]
    h1s = [heading_variants(h) for h in headings if not in_navigation(h)]
    declared = _declared_title(page, ld)
    shown = {norm(text) for variants in h1s for text in variants}
    if (
        declared
        and not shown & {norm(declared), norm(strip_site_suffix(declared, site_name, known_only=True) or "")}
        and rules.on("title.declared_over_h1")
    ):
        # JSON-LD and Open Graph agree on a headline the h1 does not show: two
        # independent declarations outweigh a template heading.
        return declared
    shortened = _shortened_heading(page, site_name, h1s)
    if shortened and rules.on("title.shortened_og"):
        return shortened
    stripped = [strip_site_suffix(t, site_name) or t for t in references]
    for h1 in headings:
        if not in_navigation(h1):
            fragment = first_fragment(h1, stripped)
            if fragment:
                return fragment
    headline_declared = _declared_headline(page, ld, site_name)
    if not h1s and rules.on("title.headline_element"):
        # The h1 is missing or is a breadcrumb: the article's own headline element stands in.
        element = headline_element(scope)
        if element is None:
            element = headline_element(page.tree, microdata_only=True)
        variants = heading_variants(element) if element is not None else []
        fragment = first_fragment(element, stripped, whole_too=True) if element is not None else None
        if fragment:
            return fragment
        if variants and headline_declared and is_label(variants[-1], headline_declared) and rules.on(
            "title.label_heading"
        ):
            # A section label standing where the headline would: the declared headline is the title.
            return headline_declared
        for text in variants:
            if norm(text) in keys:
                return text
        if variants:
            return variants[-1]
    if not h1s:
        h1s = [heading_variants(h) for h in headings]
    if (
        headline_declared
        and h1s
        and all(is_label(variants[0], headline_declared) for variants in h1s)
        and rules.on("title.label_heading")
    ):
        return headline_declared
    for variants in h1s:
        for text in variants:
            if norm(text) in keys and rules.on("title.declared_variant"):
                return text
    for variants in h1s:
        for text in variants:
            key = norm(text)
            if len(key) > 15 and any(_stands_for(key, ref) for ref in keys) and rules.on("title.stands_for"):
                return text
    shown_headline = _plausible_headline(h1s, site_name, keys)
    if shown_headline and not ld_headline(page, ld) and rules.on("title.h1_over_declared"):
        # The page's one headline over the social/SEO title (og:title, <title>) it declares in its
        # stead; a JSON-LD headline is the article's own statement and is left to decide.
        return shown_headline
    for candidate in references:
        return strip_site_suffix(candidate, site_name)
    return h1s[0][0] if h1s else None


def _plausible_headline(h1s: list[list[str]], site_name: str | None, declared: list[str]) -> str | None:
    """The page's only h1 when it reads as a headline of its own.

    A few words, not the site's name, and not a part of a declared title: an h1 that a declared
    title contains is the site's or section's name, or a kicker.
    """
    if len(h1s) != 1 or len(h1s[0]) != 1 or not declared:
        return None  # several h1s, or one with a kicker: the declared title is the safer reading
    text = h1s[0][0]
    key = norm(text)
    if _word_count(text) < MIN_HEADLINE_WORDS or (site_name and norm(site_name) in key):
        return None
    if any(key in title for title in declared):
        return None
    # Two titles of one article share a content word; a label or a page heading ("About this site") need not.
    words = {w for w in _WORD.findall(key) if len(w) >= MIN_CONTENT_WORD_CHARS}
    if not any(words & set(_WORD.findall(title)) for title in declared):
        return None
    return text


def _declared_headline(page: Page, ld: dict | None, site_name: str | None) -> str | None:
    """The headline JSON-LD, a headline meta or og:title declares (without a site suffix), if any."""
    for value in (ld_headline(page, ld), page.meta_first("headline"),
                  page.meta_first("og:title", "twitter:title")):
        text = strip_site_suffix(clean(value), site_name, known_only=True)
        if text:
            return text
    return None


def is_label(text: str, headline: str) -> bool:
    """True when ``text`` is a section label ("Politics", "Weather") next to a real ``headline``.

    A label is a word or two without sentence punctuation; the headline has more words and
    does not merely repeat the label.
    """
    words = _word_count(text)
    return (
        words <= MAX_LABEL_WORDS
        and len(text) <= MAX_LABEL_CHARS
        and not text.rstrip().endswith(("?", "!", "."))
        and _word_count(headline) >= words + MIN_EXTRA_HEADLINE_WORDS
        and norm(text) not in norm(headline)
    )


def first_fragment(el: HtmlElement, declared: list[str], whole_too: bool = False) -> str | None:
    """The first part of a heading split into parts (spans, lines) when a declared title is that part.

    A heading that prints its headline over several elements, followed by a second line of
    its own, is named by its first part: not by a later one, nor by the text of them all.
    With ``whole_too``, a declared title that is the heading's text (its kicker left out, the
    parts however joined) is taken as the declaration writes it.
    """
    fragments = _fragments(el)
    if len(fragments) < 2:
        return None
    first, whole = _letters(fragments[0]), _letters(heading_text(el) or "")
    for title in declared:
        letters = _letters(title)
        if letters and letters in (first, whole if whole_too else None) and rules.on("title.split_heading"):
            return fragments[0] if letters == first else title
    return None


def _letters(text: str) -> str:
    """Letters and digits, case kept: two texts equal by it differ only in spacing and punctuation."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def _fragments(el: HtmlElement) -> list[str]:
    """Texts of a heading's parts: its child elements and the lines between <br>s, in order."""
    parts: list[str] = []
    line: list[str] = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str) or child.tag in _SKIP:
            line.append(child.tail or "")
            continue
        if child.tag == "br":
            parts.append("".join(line))
            line = [child.tail or ""]
            continue
        parts.append("".join(line))
        parts.append(_visible_text(child, drop_kicker=False) or "")
        line = [child.tail or ""]
    parts.append("".join(line))
    return [text for text in (clean(part) for part in parts) if text]


def _shortened_heading(page: Page, site_name: str | None, h1s: list[list[str]]) -> str | None:
    """og:title when it is an h1 with words left out, else None.

    A publisher that trims the on-page headline for its declared title (dropping a
    kicker, a clause or a qualifier) names the article by the trimmed one; a truncated
    title ("…") is not a trim, and a title with words of its own is a different headline.
    """
    og_title = strip_site_suffix(clean(page.meta_first("og:title")), site_name, known_only=True)
    if not og_title or og_title.endswith(("…", "...")):
        return None
    key = norm(og_title)
    title_words = _WORD.findall(key)
    if len(title_words) < MIN_SHORTENED_WORDS or any(norm(text) == key for texts in h1s for text in texts):
        return None
    for variants in h1s:
        heading_words = _WORD.findall(norm(variants[0]))
        remaining = iter(heading_words)
        if len(title_words) < len(heading_words) and all(word in remaining for word in title_words):
            return og_title
    return None


def _stands_for(heading: str, title: str) -> bool:
    """True when ``title`` is the heading with a kicker before it or a site suffix after it.

    A heading that only starts a title, without a separator after it, is the title's
    kicker ("Kicker: Headline" with the headline elsewhere), not the headline.
    """
    if title.endswith(heading):
        return True
    at = title.find(heading)
    while at != -1:
        if _TITLE_SEPARATORS.match(title, at + len(heading)) or (
            # norm() gives the full-width colon as ":"; right after a CJK heading it was "："
            title.startswith((":", "："), at + len(heading)) and not heading[-1:].isascii()
            and rules.on("title.fullwidth_colon")
        ):
            return True  # "Headline | Site", "Kicker: Headline | Site", "見出し：サイト名"
        at = title.find(heading, at + 1)
    return False


def _declared_title(page: Page, ld: dict | None) -> str | None:
    """The headline when JSON-LD and og:title give the same one, else None."""
    declared = ld_headline(page, ld)
    og_title = clean(page.meta_first("og:title"))
    if declared and og_title and norm(declared) == norm(og_title):
        return og_title
    return None


def ld_headline(page: Page, ld: dict | None) -> str | None:
    """JSON-LD ``headline``, unless it is the article's description put there by the template."""
    value = clean(text_of(ld.get("headline"))) if ld else None
    if not value:
        return None
    descriptions = (text_of(ld.get("description")) if ld else None,
                    page.meta_first("og:description", "description", "twitter:description"))
    key = norm(value)
    # A headline the CMS also used as the description stays a headline: a description reads as prose.
    prose = value.rstrip().endswith((".", "。")) or len(_WORD.findall(value)) > MAX_HEADLINE_WORDS
    is_description = (
        prose
        and any(d and norm(d) == key for d in descriptions)
        and key != norm(page.meta_first("og:title") or "")
    ) or (len(value) > MAX_HEADLINE_CHARS and _SENTENCES.search(value) is not None)
    if is_description and rules.on("title.ld_description"):
        return None
    return value


def _reference_titles(page: Page, ld: dict | None) -> list[str]:
    values = [
        ld_headline(page, ld),
        page.meta_first("headline"),
        page.meta_first("og:title", "twitter:title"),
    ]
    title_el = page.tree.find(".//title")
    values.append(title_el.text_content() if title_el is not None else None)
    return [t for t in (clean(v) for v in values) if t]


def in_navigation(el: HtmlElement) -> bool:
    """True for a heading that is part of a breadcrumb trail or a menu, not the article."""
    parent = el.getparent()
    if parent is not None and sum(1 for child in parent if child.tag == "a") >= 2:
        return True  # Home > Section > <h1>: a trail of links ending in the heading
    for node in (el, *el.iterancestors()):
        if node.tag in ("nav", "li") or _NAVIGATION.search(marker(node)):
            return True
        if node.tag in ("article", "main", "body"):
            return False
    return False


def breadcrumb_section(tree: HtmlElement) -> str | None:
    """The innermost section of the breadcrumb trail: 'Home > World > <article>' -> 'World'."""
    for el in tree.iter("nav", "ol", "ul", "div"):
        if not _NAVIGATION.search(marker(el)):
            continue
        links = [a for a in el.iter("a") if clean(a.text_content())]
        names = [clean(a.text_content()) for a in links if (a.get("href") or "").strip() not in ("/", "", "#")]
        names = [n for n in names if n and len(n) <= 60]
        if names:
            return names[-1]
    return None


def headline_element(scope: HtmlElement, microdata_only: bool = False) -> HtmlElement | None:
    """The article's headline when it is not an h1: itemprop=headline, or a titled h2."""
    for el in scope.iter():
        if not isinstance(el.tag, str) or el.tag in ("meta", "link", "script"):
            continue
        if "headline" in (el.get("itemprop") or "").split() and heading_text(el):
            return el
    if microdata_only:
        return None
    for el in scope.iter("h2"):
        if in_navigation(el) or _in_aside(el):
            continue
        parent = el.getparent()
        context = [el, parent] if parent is not None else [el]
        if (
            parent is not None and parent.tag in ("header", "hgroup")
            or any(_TITLE_MARKER.search(marker(node)) for node in context)
            or any(_HEADLINE_PART.search(marker(d)) for d in el.iterdescendants() if isinstance(d.tag, str))
        ):
            if heading_text(el):
                return el
    return None


def _in_aside(el: HtmlElement) -> bool:
    return any(node.tag in ("aside", "footer") for node in el.iterancestors())


def heading_variants(el: HtmlElement) -> list[str]:
    """[whole heading, headline without kicker] (one entry when they are the same)."""
    whole = _visible_text(el, drop_kicker=False)
    bare = heading_text(el)
    return [t for t in dict.fromkeys((whole, bare)) if t]


def heading_text(el: HtmlElement) -> str | None:
    """Text of a heading without its kicker, or only its marked headline part."""
    for part in el.iterdescendants():
        if isinstance(part.tag, str) and _HEADLINE_PART.search(marker(part)):
            text = _visible_text(part)
            if text:
                return text
    return _visible_text(el)


def _visible_text(el: HtmlElement, drop_kicker: bool = True) -> str | None:
    parts: list[str] = []
    _collect(el, parts, drop_kicker, top=True)
    text = clean("".join(parts))
    return text if text and len(text) <= MAX_TITLE_CHARS else None


def _collect(el: HtmlElement, parts: list[str], drop_kicker: bool, top: bool = False) -> None:
    if not top and drop_kicker and (el.get("aria-hidden") == "true" or _NOT_HEADLINE.search(marker(el))):
        return
    if el.tag in _BLOCK:
        parts.append(" ")  # inline parts join as written; blocks are separate lines
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in _SKIP:
            _collect(child, parts, drop_kicker)
        if child.tail:
            parts.append(child.tail)


def strip_site_suffix(title: str | None, site_name: str | None, known_only: bool = False) -> str | None:
    """'Headline | Site' -> 'Headline'; keeps titles whose last part is not a site name.

    Without a matching ``site_name``, a short last part after a long first part is taken
    for the site, unless ``known_only``.
    """
    if not title:
        return None
    parts = _TITLE_SEPARATORS.split(title)
    if site_name and "：" in title:
        wide = _WIDE_SEPARATORS.split(title)
        if len(wide) > len(parts) and _names_site(wide[-1], site_name) and rules.on("title.fullwidth_colon"):
            return title[: title.rfind(wide[-1])].rstrip(" |–—:·•»-_｜：") or title
    if len(parts) < 2:
        return title
    if site_name and _names_site(parts[-1], site_name):
        return _without_section(title[: title.rfind(parts[-1])].rstrip(" |–—:·•»-_｜") or title, title)
    if site_name and norm(parts[0]) == norm(site_name):
        return title[len(parts[0]):].lstrip(" |–—:·•»-_｜") or title
    if (
        not known_only
        and _word_count(parts[-1]) <= 4
        and _word_count(parts[0]) >= 3
        and rules.on("title.guess_site_suffix")
    ):
        return _without_section(title[: title.rfind(parts[-1])].rstrip(" |–—:·•»-_｜") or title, title)
    return title


def _without_section(rest: str, title: str) -> str:
    """'Headline_Section' left of a stripped '_Site': the section goes too ('Headline_Tech_Example').

    Only after the separator the site's name followed, and only a word or two after a longer headline.
    """
    separators = _TITLE_SEPARATORS.findall(title)
    parts = _TITLE_SEPARATORS.split(rest)
    if (
        len(parts) >= 2
        and len(set(s.strip() for s in separators)) == 1
        and _word_count(parts[-1]) <= MAX_LABEL_WORDS
        and _word_count(parts[0]) >= MIN_HEADLINE_WORDS
        and rules.on("title.section_after_site")
    ):
        return rest[: rest.rfind(parts[-1])].rstrip(" |–—:·•»-_｜") or rest
    return rest


def _names_site(part: str, site_name: str) -> bool:
    """'Example', and 'Example.com' for a site named 'Example' (or 'Example.com')."""
    key, site = norm(part), norm(site_name)
    if key == site:
        return True
    bare_key, bare_site = _DOMAIN_ENDING.sub("", key), _DOMAIN_ENDING.sub("", site)
    return (bare_key != key or bare_site != site) and bare_key == bare_site and rules.on("title.site_domain")


def _word_count(text: str) -> int:
    """Words of a text, counting scripts without spaces by characters."""
    return max(len(text.split()), len(_UNSPACED.findall(text)) // CHARS_PER_UNSPACED_WORD)
