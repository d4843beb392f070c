"""Who wrote the article: JSON-LD persons, author meta tags, and the byline on the page.

Sources are tried from the most to the least structured. A source that names only the
publisher itself ("Example Times" on example-times.com) is a CMS default, not a byline,
so the page's own byline is looked for before falling back to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from . import authors as authors_mod
from . import rules
from .document import Page
from .jsonld import resolve, text_of, types_of
from .lexicon import (
    ART_CREDIT_WORDS,
    AUTHOR_FIELD_LABELS,
    BYLINE_PREFIXES,
    COMPANY_SUFFIXES,
    CREDIT_BY,
    alternation,
    words,
)
from .text import clean, element_text, marker, norm

_BYLINE_MARKER = re.compile(r"byline|author|writer|contributor|autor|auteur|firma|verfasser", re.I)
# "By Jane Doe", not "By using this site": the name starts with a capital (or a letter without case).
_BYLINE_LINE = re.compile(rf"^\s*(?:{alternation(BYLINE_PREFIXES)})(?:\s*[:：]\s*|\s+)(?!(?-i:[a-z]))\S", re.I)
_FIELD_LABELS = frozenset(words(AUTHOR_FIELD_LABELS))
_LABEL_ELEMENTS = ("strong", "b", "dt", "th", "label")
MAX_FIELD_CHARS = 100
MIN_MENU_LINKS = 4
_MENU = re.compile(r"menu|nav|dropdown|footer|sidebar|related", re.I)
_COMPANY = re.compile(rf"\s(?:{alternation(COMPANY_SUFFIXES)})$", re.I)
# Short texts holding a copyright sign: the site's notice names its owner.
_RIGHTS_TEXTS = etree.XPath(
    "//text()[contains(., '©') or contains(., 'Copyright') or contains(., 'copyright')][string-length(.) < 300]",
    smart_strings=False,
)
_ART_BY_LINE = re.compile(rf"^\s*(?:{alternation(ART_CREDIT_WORDS)})\s+(?:{alternation(CREDIT_BY)})\s+(.+)$", re.I)
_ART_WORD = re.compile(rf"\s*(?:{alternation(ART_CREDIT_WORDS)})(?!\w)", re.I)
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.I)
_META_KEYS = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author", "byl")
# <span class="firstname">Jane</span> <span class="lastname">Doe</span>: one person in parts.
_NAME_PART = re.compile(r"(?:first|given|fore)[-_]?name", re.I)
_NAME_ELEMENTS = ("a", "span", "strong", "b", "li", "div", "p")
MAX_BYLINE_CHARS = 200
MAX_SIGNATURE_CHARS = 80
SIGNATURE_PLACES = 3  # paragraphs looked at from each end of the text

Byline = tuple[str | None, list[str]]
Reader = Callable[[Page, "dict | None", HtmlElement], Byline]


def read_authors(page: Page, ld: dict | None, scope: HtmlElement) -> Byline:
    """(byline as the page gives it, [author names])."""
    publisher = _publisher_keys(page, ld)
    fallback: Byline = (None, [])
    for reader in (_jsonld_authors, _meta_authors, _page_byline):
        raw, names = _names_from(reader, page, ld, scope, publisher)
        if not names:
            continue
        if any(not _is_publisher(n, publisher) and not _is_desk(reader, n) and not _weak_company(n) for n in names):
            return raw, authors_mod.dedupe_names(names + art_credits(scope))
        if reader is _jsonld_authors and _names_organization(page, ld):
            # A JSON-LD Organization author is a statement, not a CMS default: kept
            # unless the text is signed by persons.
            fallback = (raw, names)
            break
        if fallback[0] is None:
            fallback = (raw, names)
    art = art_credits(scope)
    signature = signature_line(scope)
    if signature:
        return signature, authors_mod.dedupe_names(authors_mod.split_authors(signature) + art)
    if fallback[1]:
        return fallback[0], authors_mod.dedupe_names(fallback[1] + art)
    return ("; ".join(art) if art else None), art


def _names_from(reader: Reader, page: Page, ld: dict | None, scope: HtmlElement, publisher: set[str]) -> Byline:
    raw, names = reader(page, ld, scope)
    names = _without_slug_duplicates(names)
    if len(names) > 1 and reader is not _jsonld_authors:
        owners = [n for n in names if _is_company(n) or _owns_the_site(n, page)]
        if owners and len(owners) < len(names) and rules.on("author.site_owner"):
            # "Example Media Inc.; Jane Doe": the company the notice names owns the site; the person wrote.
            names = [n for n in names if n not in owners]
    if any(not _DOMAIN.match(norm(n)) for n in names):
        # "Jane Doe; example.com": a domain is the site signing along, never a person.
        names = [n for n in names if not _DOMAIN.match(norm(n))]
    if reader is not _jsonld_authors and any(not _is_publisher(n, publisher) for n in names):
        # "Jane Doe, Example Times": on the page the outlet is a signature, not an author.
        names = [n for n in names if not _is_publisher(n, publisher)]
    return raw, names


def _weak_company(name: str) -> bool:
    """A company's name ('Example Media Inc.') is a default the page's byline outranks, like the publisher."""
    return _is_company(name) and rules.on("author.company_default")


def _is_company(name: str) -> bool:
    return bool(_COMPANY.search(name.rstrip()))


def _owns_the_site(name: str, page: Page) -> bool:
    """True when the page's copyright notice (meta or text) names ``name``."""
    key = norm(name)
    if len(key) < 3:
        return False
    notices = [page.meta_first("copyright", "dc.rights") or "", *_RIGHTS_TEXTS(page.tree)]
    return any(re.search(rf"(?<!\w){re.escape(key)}(?!\w)", norm(str(text))) for text in notices if text)


def _without_slug_duplicates(names: list[str]) -> list[str]:
    """Drop 'jane-doe' when 'Jane Doe' is there too (author meta tags often give both)."""
    slugs = {re.sub(r"\W+", "-", norm(n)).strip("-") for n in names if not _SLUG.match(n)}
    return [n for n in names if not (_SLUG.match(n) and n in slugs)]


def _publisher_keys(page: Page, ld: dict | None) -> set[str]:
    """Normalised names the site goes by: og:site_name, JSON-LD publisher, its domain."""
    names = [page.meta_first("og:site_name"), page.meta_first("application-name")]
    if ld:
        names.append(text_of(resolve(ld.get("publisher"), page.jsonld)))
    keys = {norm(n) for n in names if n}
    host = (urlsplit(page.url or "").hostname or "").lower()
    if host:
        host = host[4:] if host.startswith("www.") else host
        keys.add(host)
        labels = host.split(".")
        keys.add(labels[-2] if len(labels) >= 2 else labels[0])
    return {k for k in keys if k}


def _is_publisher(name: str, publisher: set[str]) -> bool:
    key = norm(name)
    if key in publisher or _DOMAIN.match(key):
        return True
    compact = re.sub(r"[\W_]+", "", key)
    first_word = re.sub(r"[\W_]+", "", key.split()[0]) if key.split() else ""
    initials = "".join(word[0] for word in key.split() if word[0].isalnum())
    for site in publisher:
        site_compact = re.sub(r"[\W_]+", "", site)
        # "Example Times", "example-times", "EXAMPLE Berlin" (an edition of the outlet)
        if len(site_compact) >= 3 and site_compact in (compact, first_word) and rules.on("author.publisher_spellings"):
            return True
        # "Example Daily Times" on edt.example: the site's name is its initials
        if len(initials) >= 2 and initials == site and len(key.split()) >= 2 and rules.on("author.publisher_spellings"):
            return True
    return False


def _jsonld_authors(page: Page, ld: dict | None, scope: HtmlElement) -> Byline:
    if not ld:
        return None, []
    values = ld.get("author") or ld.get("creator")
    values = values if isinstance(values, list) else [values]
    names: list[str] = []
    for value in values:
        value = resolve(value, page.jsonld)
        name = clean(text_of(value))
        if not name or name.startswith(("http://", "https://")):
            continue
        # A structured name is a name even when it reads like a role ("Review Desk").
        split = authors_mod.split_authors(name)
        names.extend(split or ([name.strip()] if rules.on("author.declared_desk_name") else []))
    return ("; ".join(names) if names else None), names


def _names_organization(page: Page, ld: dict | None) -> bool:
    values = (ld or {}).get("author") or []
    values = values if isinstance(values, list) else [values]
    return any(
        isinstance(v, dict) and bool(types_of(v) & {"organization", "newsmediaorganization"})
        for v in (resolve(value, page.jsonld) for value in values)
    )


def _meta_authors(page: Page, ld: dict | None, scope: HtmlElement) -> Byline:
    values = [
        v.strip() for key in _META_KEYS for v in page.meta.get(key, ())
        if v.strip() and not v.strip().startswith("http") and "@" not in v
    ]
    names = [n for v in values for n in authors_mod.split_authors(clean(v)) or _desk_name(v)]
    return ("; ".join(values) if values else None), names


def _is_desk(reader: Reader, name: str) -> bool:
    """A desk named by an author tag: a default the page's own byline outranks, like the publisher."""
    return reader is _meta_authors and not authors_mod.split_authors(name)


def _desk_name(value: str) -> list[str]:
    """An author tag naming a desk or team ("Example Staff", "Science Desk"): a name the page declares.

    Role words drop a role from a person's byline; a tag holding nothing but such a name is the
    signature itself.
    """
    name = clean(value)
    if (
        name
        and len(name.split()) <= authors_mod.MAX_NAME_WORDS
        and not any(ch.isdigit() for ch in name)
        and any(ch.isalpha() for ch in name)
        and authors_mod.norm_part(name) not in authors_mod.ACCOUNT_WORDS
        and rules.on("author.declared_desk_name")
    ):
        return [name]
    return []


def _page_byline(page: Page, ld: dict | None, scope: HtmlElement) -> Byline:
    found = _marked_byline(scope)
    if found[1]:
        return found
    for el in scope.iter("p", "span", "div", "address"):
        text = clean(el.text) if el.tag == "div" else element_text(el)
        if text and len(text) <= MAX_BYLINE_CHARS and _BYLINE_LINE.match(text):
            names = authors_mod.split_authors(text)
            if names and rules.on("author.labelled_byline"):
                return text, names
    found = _author_field(scope)
    if found[1] and rules.on("author.labelled_byline"):
        return found
    if scope is not page.tree:
        found = _marked_byline(page.tree, outside_menus=True)
        if found[1] and rules.on("author.byline_outside_article"):
            # The article element holds the text; the header above it holds the byline.
            return found
    return None, []


def _marked_byline(root: HtmlElement, outside_menus: bool = False) -> Byline:
    """The first element marked as a byline (class, id, itemprop, rel) whose text names someone.

    With ``outside_menus``, elements in a menu are passed over: a page's menus list its authors too.
    """
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "article", "main", "script", "style", "meta"):
            continue
        if not _BYLINE_MARKER.search(marker(el)):
            continue
        if outside_menus and _in_menu(el):
            continue
        text = byline_text(el)
        if not text or len(text) > MAX_BYLINE_CHARS:
            continue
        names = authors_mod.split_authors(text)
        if names:
            return text, names
        if authors_mod.only_dates(text) and rules.on("author.dated_byline_ends_search"):
            break  # the byline names nobody, only when: later marked elements are not bylines
    return None, []


def _author_field(scope: HtmlElement) -> Byline:
    """The value of a labelled "Author" field: '<dt>Author</dt><dd>Jane Doe</dd>', '<b>Autor:</b> Jane Doe'."""
    for el in scope.iter(*_LABEL_ELEMENTS):
        label = clean(el.text_content())
        if not label or len(label) > 40:
            continue
        parts = [part.strip(" :：") for part in re.split(r"[/|]", label.casefold())]
        if not all(" ".join(part.split()) in _FIELD_LABELS for part in parts):
            continue
        value = clean(el.tail)
        if not value:
            following = el.getnext()
            value = clean(following.text_content()) if following is not None else None
        value = value.lstrip(" :：") if value else None
        if value and len(value) <= MAX_FIELD_CHARS:
            names = authors_mod.split_authors(value)
            if names:
                return value, names
    return None, []


def _in_menu(el: HtmlElement) -> bool:
    """Inside a menu, a footer or a sidebar: a block of that kind with several links (a byline has one or two)."""
    return any(
        (node.tag in ("nav", "footer", "aside") or _MENU.search(f"{node.get('class', '')} {node.get('id', '')}"))
        and sum(1 for _ in node.iter("a")) >= MIN_MENU_LINKS
        for node in (el, *el.iterancestors())
    )


def signature_line(scope: HtmlElement) -> str | None:
    """A short bold line of names opening or closing the text: "<p><b>Jane Doe/Omar Haddad</b></p>".

    Only asked when no byline names a person: a bold line is also how subheads look, so
    it must read as names (capitalised, no digits, no link, no role words).
    """
    paragraphs = [(p, text) for p in scope.iter("p") if p.find(".//a") is None and (text := clean(p.text_content()))]
    for p, text in paragraphs[:SIGNATURE_PLACES] + paragraphs[-SIGNATURE_PLACES:]:
        if len(text) > MAX_SIGNATURE_CHARS or any(ch.isdigit() for ch in text):
            continue
        if clean("".join(b.text_content() for b in p.iter("strong", "b"))) != text:
            continue
        names = authors_mod.split_authors(text)
        if names and all(authors_mod.looks_like_person(n) for n in names):
            return text
    return None


def byline_text(el: HtmlElement) -> str | None:
    """Text of a byline element; sibling name elements ("<a>A</a><a>B</a>") kept apart."""
    parts: list[str] = []
    _collect(el, parts)
    return clean(" ".join(p for p in parts if p.strip()))


def _collect(el: HtmlElement, parts: list[str]) -> None:
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in ("script", "style", "noscript", "template", "svg"):
            before = len(parts)
            _collect(child, parts)
            # Two name elements in a row with nothing between them are two people.
            if (
                child.tag in _NAME_ELEMENTS
                and len(parts) > before
                and not (child.tail or "").strip()
                and not _NAME_PART.search(marker(child))
            ):
                next_el = child.getnext()
                if next_el is not None and next_el.tag == child.tag:
                    parts.append(",")
        if child.tail:
            parts.append(child.tail)


def art_credits(scope: HtmlElement) -> list[str]:
    """'Illustration by X' lines: the artist is credited as an author of the piece."""
    names: list[str] = []
    for el in scope.iter("p", "span", "div"):
        if len(el) > 2 or not _ART_WORD.match(el.text or ""):
            continue  # the cheap test first: most elements are not credit lines
        text = element_text(el)
        if text and len(text) <= MAX_BYLINE_CHARS:
            match = _ART_BY_LINE.match(text)
            if match:
                names.extend(authors_mod.split_authors(match.group(1)))
    return names
