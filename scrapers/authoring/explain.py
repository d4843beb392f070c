"""Where each field of an extracted article came from, and which candidates were passed over.

Built beside extraction, not inside it: the page is parsed as extraction parses it, each source that can carry
a field is read (the site config's selectors, JSON-LD, meta tags, the h1, byline elements, <time>, the
breadcrumb...), and every candidate is matched against the value the extractor returned. The first candidate
in the extractor's order that gives the final value is the source; the others agree, or were passed over (with
the reason). A value no single candidate gives was derived by the extractor's rules (a fallback), and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from ..extraction import Article, SiteSelectors, extract_article
from ..extraction.authors import split_authors
from ..extraction.bylines import byline_text
from ..extraction.dates import to_iso
from ..extraction.document import Page, parse_page
from ..extraction.jsonld import find_article, resolve, text_of
from ..extraction.selectors import select
from ..extraction.text import clean, norm
from ..extraction.titles import breadcrumb_section

_BYLINE_MARKER = re.compile(r"byline|author|writer|contributor|autor|auteur|verfasser", re.I)
_PAYWALL_MARKER = re.compile(r"paywall|premium-content|subscriber-only|piano-offer|plus-teaser", re.I)
_LEAD_MARKER = re.compile(r"standfirst|lead|dek|summary|intro|subhead|teaser", re.I)
_ART_BY = re.compile(r"^\s*(?:art|illustrations?|drawings?|graphics?)\s+by\s+\S", re.I)
_DATE_META = re.compile(r"publish|date|pubdate|created|issued", re.I)
_NOT_PUBLISHED_META = re.compile(r"modif|updat", re.I)
CHOSEN, AGREES = "chosen", "agrees"


@dataclass
class Candidate:
    source: str  # "JSON-LD headline", "meta og:title", "<h1 class=headline>", "selectors.title 'h1'"
    value: Any
    element: HtmlElement | None = None
    verdict: str = ""  # chosen, agrees, or why it was passed over
    parts: list[HtmlElement] = field(default_factory=list)  # elements the value was assembled from (the body)


@dataclass
class FieldOrigin:
    name: str
    value: Any
    candidates: list[Candidate] = field(default_factory=list)
    fallback: str | None = None  # how the value was made when no candidate gives it

    @property
    def chosen(self) -> Candidate | None:
        return next((c for c in self.candidates if c.verdict == CHOSEN), None)


def explain(html: str | bytes, url: str | None, selectors: SiteSelectors | None = None,
            content_type: str | None = None) -> tuple[Article, list[FieldOrigin], Page]:
    """The article, the origin of each of its fields, and the parsed page (for outlining)."""
    selectors = selectors or SiteSelectors()
    article = extract_article(html, url=url, content_type=content_type, selectors=selectors)
    page = parse_page(html, url, content_type)
    ld = find_article(page.jsonld)
    readers: list[tuple[str, Callable[[], list[Candidate]], Callable[[Any, Any], bool], str]] = [
        ("title", lambda: _titles(page, ld, selectors), _same_text,
         "the extractor's headline rules (a shortened or cleaned heading)"),
        ("authors", lambda: _bylines(page, ld, selectors), _shares_names,
         "names read from the text (a signature line) by the byline rules"),
        ("date_published", lambda: _published(page, ld, selectors), _same_date,
         "a dateline in the text, or htmldate's reading of the page (the last resort)"),
        ("date_modified", lambda: _modified(page, ld), _same_date, "none of the declared dates"),
        ("description", lambda: _declared(page, ld, ("og:description", "description", "twitter:description",
                                                     "dc.description"), "description"), _same_text, ""),
        ("standfirst", lambda: _standfirst(page, ld), _same_text,
         "the declared description, found again as the lead under the headline"),
        ("section", lambda: _section(page, ld), _same_text, ""),
        ("tags", lambda: _tags(page, ld), _shares_names, ""),
        ("language", lambda: _language(page, ld), _same_language, "detected from the body text (none declared)"),
        ("canonical_url", lambda: _canonical(page), _same_url, "the URL fetched"),
        ("is_paywalled", lambda: _paywall(page, ld), lambda a, b: a == b, "no declaration either way"),
        ("body", lambda: _body(page, article, selectors), lambda a, b: bool(a), ""),
    ]
    origins = []
    for name, read, same, fallback in readers:
        final = getattr(article, name)
        origin = FieldOrigin(name, final, read())
        raw = {"authors": article.byline_raw, "date_published": article.date_published_raw}.get(name)
        _judge(origin, same, raw)
        if origin.chosen is None and final not in (None, [], ""):
            origin.fallback = _part_of(origin) or fallback or "derived by the extractor's rules"
        origins.append(origin)
    origins.append(_images(article))
    return article, origins, page


def _judge(origin: FieldOrigin, same: Callable[[Any, Any], bool], raw: str | None) -> None:
    final = origin.value
    chosen: Candidate | None = None
    if raw:  # the value as found on the page (byline_raw, date_published_raw) names its own source
        chosen = next((c for c in origin.candidates if isinstance(c.value, str) and clean(c.value) == raw), None)
    for candidate in origin.candidates:
        if candidate.value in (None, "", []):
            candidate.verdict = "passed over: empty"
        elif candidate is not chosen and (final in (None, [], "") or not same(candidate.value, final)):
            candidate.verdict = "passed over: " + _why_not(origin.name, candidate, chosen)
        elif chosen is None or candidate is chosen:
            chosen = candidate
            candidate.verdict = CHOSEN
        else:
            candidate.verdict = AGREES
    if origin.name == "authors" and chosen is not None:
        for candidate in origin.candidates:
            if candidate.verdict == AGREES and candidate.source.startswith("art credit"):
                candidate.verdict = "added: an illustrator's credit line counts as an author"


def _part_of(origin: FieldOrigin) -> str | None:
    """A text value cut out of a longer candidate (a heading with its kicker, a <title> with the site's name)."""
    if not isinstance(origin.value, str):
        return None
    final = norm(origin.value)
    for candidate in origin.candidates:
        if isinstance(candidate.value, str) and final in norm(candidate.value):
            candidate.verdict = "shortened: the value is the part of it kept"
            return f"part of {candidate.source}, the rest (a kicker, a label, the site's name) dropped by the rules"
    return None


def _why_not(name: str, candidate: Candidate, chosen: Candidate | None) -> str:
    value = candidate.value
    if name in ("date_published", "date_modified") and isinstance(value, str):
        iso = to_iso(value)
        if not iso:
            return "not a date the extractor can read"
        final = chosen.value if chosen is not None else None
        if chosen is not None and isinstance(final, str) and (to_iso(final) or "")[:10] == iso[:10]:
            return f"the same day, read as {iso}; {chosen.source} ranks first"
    if name == "title" and isinstance(value, str) and chosen is not None and isinstance(chosen.value, str) \
            and norm(chosen.value) in norm(value) and norm(chosen.value) != norm(value):
        return "the headline with more around it (the site's name, a kicker)"
    if name == "authors" and chosen is not None:
        return "names the publisher or no person the byline rules accept"
    if chosen is not None:
        return f"a different value; {chosen.source} ranks first"
    return "a value the extractor's rules did not keep"


# -- candidates, in the extractor's order -------------------------------------------------------

def _selector(expression: str | None, field_name: str, page: Page) -> list[Candidate]:
    out = []
    for match in select(page.tree, expression)[:3] if expression else []:
        element = match if isinstance(match, HtmlElement) else None
        text = clean(" ".join(match.itertext())) if element is not None else clean(str(match))
        out.append(Candidate(f"site config selectors.{field_name} {expression!r}", text, element))
    if expression and not out:
        out.append(Candidate(f"site config selectors.{field_name} {expression!r} (matches nothing)", None))
    return out


def _ld(ld: dict | None, key: str, page: Page) -> Candidate | None:
    if ld and ld.get(key) is not None:
        return Candidate(f"JSON-LD {key}", text_of(resolve(ld.get(key), page.jsonld)))
    return None


def _meta(page: Page, name: str) -> Candidate | None:
    value = page.meta_first(name)
    return Candidate(f"meta {name}", value) if value else None


def _titles(page: Page, ld: dict | None, selectors: SiteSelectors) -> list[Candidate]:
    out = _selector(selectors.title, "title", page)
    out += [Candidate(f"<h1{_describe(h1)}>", clean(h1.text_content()), h1) for h1 in page.tree.iter("h1")]
    out += [c for c in (_ld(ld, "headline", page), _ld(ld, "name", page), _meta(page, "og:title"),
                        _meta(page, "twitter:title")) if c]
    title = page.tree.find(".//title")
    if title is not None:
        out.append(Candidate("<title>", clean(title.text_content())))
    return out


def _bylines(page: Page, ld: dict | None, selectors: SiteSelectors) -> list[Candidate]:
    out = _selector(selectors.byline, "byline", page)
    if ld and ld.get("author"):
        authors = ld["author"] if isinstance(ld["author"], list) else [ld["author"]]
        names = [text_of(resolve(a, page.jsonld)) for a in authors]
        out.append(Candidate("JSON-LD author", "; ".join(n for n in names if n)))
    out += [c for c in (_meta(page, name) for name in ("author", "article:author", "dc.creator", "parsely-author"))
            if c]
    out += [Candidate("rel=author link", clean(a.text_content()), a) for a in page.tree.iter("a")
            if "author" in (a.get("rel") or "").split()]
    for el in _marked(page.tree, _BYLINE_MARKER):
        text = byline_text(el)
        if text and len(text) <= 200:
            out.append(Candidate(f"byline element <{el.tag}{_describe(el)}>", text, el))
    for el in page.tree.iter("p", "span", "div"):
        text = clean(el.text_content()) or ""
        if _ART_BY.match(text) and len(text) <= 120:
            credited = re.split(r"\bby\s+", text, maxsplit=1)[1]  # the names after "by"
            out.append(Candidate(f"art credit <{el.tag}{_describe(el)}>", credited, el))
    return _unique(out)


def _published(page: Page, ld: dict | None, selectors: SiteSelectors) -> list[Candidate]:
    out = _selector(selectors.date, "date", page)
    out += [c for c in (_ld(ld, "datePublished", page), _ld(ld, "dateCreated", page)) if c]
    out += [Candidate(f"meta {name}", values[0]) for name, values in page.meta.items()
            if values and _DATE_META.search(name) and not _NOT_PUBLISHED_META.search(name)]
    for el in page.tree.iter("time"):
        out.append(Candidate(f"<time{_describe(el)}>", el.get("datetime") or clean(el.text_content()), el))
    for el in page.tree.xpath('//*[@itemprop="datePublished"]'):
        out.append(Candidate(f"itemprop=datePublished <{el.tag}>", el.get("content") or el.get("datetime")
                             or clean(el.text_content()), el))
    for el in _marked(page.tree, re.compile(r"date|time|stamp|dateline|published", re.I)):
        text = clean(el.text_content()) or ""
        if 6 <= len(text) <= 60 and re.search(r"\d{4}", text):
            out.append(Candidate(f"dateline text <{el.tag}{_describe(el)}>", text, el))
    return _unique(out)


def _modified(page: Page, ld: dict | None) -> list[Candidate]:
    out = [c for c in (_ld(ld, "dateModified", page),) if c]
    return out + [c for c in (_meta(page, n) for n in ("article:modified_time", "og:updated_time", "datemodified",
                                                       "dcterms.modified", "last-modified")) if c]


def _declared(page: Page, ld: dict | None, metas: tuple[str, ...], ld_key: str) -> list[Candidate]:
    return [c for c in (*(_meta(page, name) for name in metas), _ld(ld, ld_key, page)) if c]


def _standfirst(page: Page, ld: dict | None) -> list[Candidate]:
    """The lead shown under the headline: an element marked as one, then the declared descriptions it repeats."""
    shown = [Candidate(f"lead element <{el.tag}{_describe(el)}>", text, el)
             for el in _marked(page.tree, _LEAD_MARKER) if (text := clean(el.text_content()))]
    return _unique(shown[:3]) + _declared(page, ld, ("og:description", "description"), "description")


def _section(page: Page, ld: dict | None) -> list[Candidate]:
    out = _declared(page, ld, ("article:section", "og:article:section", "section", "parsely-section"),
                    "articleSection")
    crumb = breadcrumb_section(page.tree)
    return out + ([Candidate("the breadcrumb", crumb)] if crumb else [])


def _tags(page: Page, ld: dict | None) -> list[Candidate]:
    out = [Candidate("meta article:tag", page.meta.get("article:tag"))] if page.meta.get("article:tag") else []
    if ld and ld.get("keywords"):
        keywords = ld["keywords"]
        out.append(Candidate("JSON-LD keywords", [text_of(k) for k in keywords] if isinstance(keywords, list)
                             else [k.strip() for k in (text_of(keywords) or "").split(",")]))
    for name in ("news_keywords", "keywords"):
        if page.meta.get(name):
            out.append(Candidate(f"meta {name}", [k.strip() for v in page.meta[name] for k in v.split(",")]))
    return out


def _language(page: Page, ld: dict | None) -> list[Candidate]:
    html = page.tree
    out = [Candidate("<html lang>", html.get("lang"), None)] if html.get("lang") else []
    return out + [c for c in (_ld(ld, "inLanguage", page), _meta(page, "og:locale"),
                              _meta(page, "content-language")) if c]


def _canonical(page: Page) -> list[Candidate]:
    out = [Candidate("<link rel=canonical>", page.absolute(el.get("href")), el) for el in page.tree.iter("link")
           if "canonical" in (el.get("rel") or "").lower().split() and el.get("href")]
    out += [c for c in (_meta(page, "og:url"),) if c]
    for candidate in out[-1:] if out and out[-1].source == "meta og:url" else []:
        candidate.value = page.absolute(candidate.value)
    return out


def _paywall(page: Page, ld: dict | None) -> list[Candidate]:
    out = []
    if ld and "isAccessibleForFree" in ld:
        free = ld["isAccessibleForFree"]
        if isinstance(free, str):
            free = free.strip().lower() not in ("false", "no", "0")
        out.append(Candidate("JSON-LD isAccessibleForFree", not bool(free)))
    tier = page.meta_first("article:content_tier")
    if tier:
        out.append(Candidate("meta article:content_tier", tier.lower() in ("locked", "metered")))
    out += [Candidate(f"paywall marker <{el.tag}{_describe(el)}>", True, el)
            for el in _marked(page.tree, _PAYWALL_MARKER)][:1]
    return out


def _body(page: Page, article: Article, selectors: SiteSelectors) -> list[Candidate]:
    if not article.body:
        return []
    if selectors.body:
        return _selector(selectors.body, "body", page)
    paragraphs = {norm(p) for p in article.body.split("\n\n") if p.strip()}
    kept = [el for el in page.tree.iter("p", "li", "h2", "h3", "blockquote")
            if norm(el.text_content() or "") in paragraphs]
    holder = _common_ancestor(kept)
    label = f"the body extractor (trafilatura and the text rules): {len(kept)} elements of " \
            f"<{holder.tag}{_describe(holder)}>" if holder is not None else "the body extractor (trafilatura)"
    return [Candidate(label, article.body, holder, parts=kept)]


def _images(article: Article) -> FieldOrigin:
    origin = FieldOrigin("images", [image.url for image in article.images])
    for index, image in enumerate(article.images):
        credit = f", credit {image.credit!r}" if image.credit else ""
        origin.candidates.append(Candidate(f"image {index + 1}{' (lead)' if index == 0 else ''}: "
                                           f"caption {image.caption!r}{credit}", image.url, verdict=CHOSEN))
    return origin


# -- helpers --------------------------------------------------------------------------------------

def _marked(tree: HtmlElement, pattern: re.Pattern[str]) -> Iterator[HtmlElement]:
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag not in ("html", "body", "meta", "link", "script", "article", "main") \
                and pattern.search(f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"):
            yield el


def _describe(el: HtmlElement) -> str:
    parts = [f' {name}="{el.get(name)}"' for name in ("class", "id", "itemprop", "datetime") if el.get(name)]
    return "".join(parts)[:80]


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per (source, value): nested byline elements give the same text several times."""
    seen: set[tuple[str, str]] = set()
    out = []
    for candidate in candidates:
        key = (candidate.source.split(" <")[0], str(candidate.value))
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    if not elements:
        return None
    chain = list(elements[0].iterancestors())
    for ancestor in chain:
        if all(ancestor in set(el.iterancestors()) for el in elements[1:]):
            return ancestor
    return None


def _same_text(candidate: Any, final: Any) -> bool:
    return isinstance(candidate, str) and isinstance(final, str) and norm(candidate) == norm(final)


def _shares_names(candidate: Any, final: Any) -> bool:
    names = split_authors(candidate) if isinstance(candidate, str) else [str(v) for v in candidate or [] if v]
    finals = {norm(name) for name in final or []}
    return bool(names) and any(norm(name) in finals for name in names)


def _same_date(candidate: Any, final: Any) -> bool:
    return isinstance(candidate, str) and to_iso(candidate) == final


def _same_language(candidate: Any, final: Any) -> bool:
    return isinstance(candidate, str) and norm(candidate).replace("_", "-").split("-")[0] == final


def _same_url(candidate: Any, final: Any) -> bool:
    from w3lib.url import canonicalize_url

    try:
        return isinstance(candidate, str) and canonicalize_url(candidate) == final
    except ValueError:
        return False


# -- reports ------------------------------------------------------------------------------------

def report_lines(origins: list[FieldOrigin], max_chars: int = 100) -> list[str]:
    lines = []
    for origin in origins:
        lines.append(f"{origin.name}: {_short(origin.value, max_chars)}")
        chosen = origin.chosen
        if origin.name == "images":
            lines += [f"  {c.source}" for c in origin.candidates] or ["  none"]
            continue
        if chosen is not None:
            shown = "" if chosen.value == origin.value else " " + _short(chosen.value, max_chars // 2)
            lines.append(f"  from {chosen.source}{shown}")
        elif origin.fallback:
            lines.append(f"  from a fallback: {origin.fallback}")
        elif origin.value in (None, [], ""):
            lines.append("  none: no source on the page gives it")
        for candidate in origin.candidates:
            if candidate is not chosen:
                lines.append(f"  {candidate.verdict}: {candidate.source} {_short(candidate.value, max_chars // 2)}")
    return lines


def _short(value: Any, max_chars: int) -> str:
    text = repr(value) if not isinstance(value, str) else repr(" ".join(value.split()))
    return text if len(text) <= max_chars else text[: max_chars - 1] + "…"
