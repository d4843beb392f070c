"""extract_article: one parse, then each field read from the sources that carry it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement
from w3lib.url import canonicalize_url

from . import authors as authors_mod
from .article import Article, ExtractionError, Image
from .body import extract_body
from .body_attribution import closing_credits, without_byline
from .bylines import read_authors
from .captions import clean_credit, split_caption
from .date_sources import htmldate_date, in_site_furniture, time_element_dates
from .date_zone import in_local_offset
from .dates import to_iso
from .document import Page, parse_page
from .hygiene import clean_record, valid_url
from .images import article_images, fill_alt_texts, jsonld_images, merge_images, meta_image
from .jsonld import find_article, text_of
from .language import declared_language, detect_language
from .selectors import SiteSelectors, select_text
from .standfirst import standfirst
from .text import clean as _clean
from .text import paragraphs as _paragraphs
from .titles import breadcrumb_section, headline

_DATE_META = (
    "article:published_time",
    "article:published:time",
    "og:article:published_time",
    "published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "original-publish-date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified")
MAX_DATELINE_TRIES = 4
MAX_DATELINE_LABEL_WORDS = 3
# "12.03.2024", "2024-03-12", "March 12", "12. März": worth handing to dateparser.
# A word is letters with their combining marks: Devanagari, Bengali... vowel signs are marks.
_WORD = r"(?:[^\W\d_]|[\u0300-\u036f\u0900-\u0dff\u1000-\u109f\u1780-\u17ff])"
_DATE_SHAPE = re.compile(
    r"\d{1,2}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,4}\s*[年년月월]|"
    rf"{_WORD}{{3,}}\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\.?\s+{_WORD}{{3,}}"
)
_CLASSES = etree.XPath(".//@class", smart_strings=False)
_PAYWALL_CLASS = re.compile(r"paywall|premium-content|subscriber-only|piano-offer|plus-teaser")  # lower case


def extract_article(
    html: str | bytes,
    url: str | None = None,
    *,
    content_type: str | None = None,
    selectors: SiteSelectors | None = None,
) -> Article:
    """Extract one article from a page.

    ``html`` may be text or bytes in any charset (``content_type`` is the HTTP header, used
    for its charset). ``selectors`` are per-site overrides. Raises ``ExtractionError`` when
    the input is not an HTML page.
    """
    page = parse_page(html, url, content_type)
    try:
        return clean_record(_Extraction(page, selectors or SiteSelectors()).article())
    except ExtractionError:
        raise
    except Exception as err:
        # A page that trips a reader must cost that page, not the caller: the crawl records the
        # reason (the one the worker pool gives a crash) and goes on; the chained exception keeps
        # the traceback for whoever debugs it.
        raise ExtractionError("extraction_bug", f"{type(err).__name__}: {err}"[:300]) from err


class _Extraction:
    def __init__(self, page: Page, selectors: SiteSelectors) -> None:
        self.page = page
        self.selectors = selectors
        self.ld = find_article(page.jsonld)
        self.language = self._language()
        self.scope = _article_scope(page.tree)

    def article(self) -> Article:
        canonical = self._canonical_url()
        byline_raw, authors = self._authors()
        title = self._title()
        body, credits = closing_credits(self._body(title, byline_raw))
        body = without_byline(body, byline_raw)  # a byline above the closing credit lines
        lead = standfirst(self.page, self.ld, title, body)
        # declared first; the text is read only when the page declares no (valid) language
        language = self.language or detect_language(body)
        # dates are read in that language (its month names, its day/month order)
        published_raw, published = self._date_published(language)
        return Article(
            url=self.page.url,
            canonical_url=canonical,
            site=_site_of(canonical or self.page.url),
            title=title,
            description=self._description(),
            authors=authors,
            byline_raw=_clean(byline_raw) if byline_raw else None,
            date_published=published,
            date_published_raw=published_raw,
            date_modified=self._date_modified(),
            standfirst=lead,
            body=body,
            images=_with_closing_credits(self._images(), credits),
            language=language,
            section=self._section(),
            tags=self._tags(),
            is_paywalled=self._is_paywalled(),
        )

    # -- links and identity -------------------------------------------------------------

    def _canonical_url(self) -> str | None:
        link = None
        for el in self.page.tree.iter("link"):
            if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
                link = el.get("href")
                break
        link = link or self.page.meta_first("og:url")
        for candidate in (self.page.absolute(link), self.page.url):
            absolute = valid_url(candidate)
            if absolute and urlsplit(absolute).scheme in ("http", "https"):
                try:
                    return canonicalize_url(absolute)
                except ValueError:  # w3lib refuses some hosts urlsplit lets through ("[::1]x")
                    continue
        return self.page.url

    def _language(self) -> str | None:
        html_el = self.page.tree
        value = (
            html_el.get("lang")
            or html_el.get("{http://www.w3.org/XML/1998/namespace}lang")
            or (text_of(self.ld.get("inLanguage")) if self.ld else None)
            or self.page.meta_first("og:locale", "content-language", "language", "dc.language")
        )
        return declared_language(value)

    # -- title ----------------------------------------------------------------------------

    def _title(self) -> str | None:
        override = select_text(self.page.tree, self.selectors.title)
        if override:
            return _clean(override[0])
        return headline(self.page, self.ld, self.scope)

    def _description(self) -> str | None:
        value = self.page.meta_first("og:description", "description", "twitter:description", "dc.description")
        if not value and self.ld:
            value = text_of(self.ld.get("description"))
        return _clean(value) if value else None

    # -- byline ----------------------------------------------------------------------------

    def _authors(self) -> tuple[str | None, list[str]]:
        override = select_text(self.page.tree, self.selectors.byline)
        if override:
            raw = "; ".join(override)
            return raw, authors_mod.split_authors(raw.replace(";", ","))
        return read_authors(self.page, self.ld, self.scope)

    # -- dates ----------------------------------------------------------------------------

    def _date_published(self, language: str | None) -> tuple[str | None, str | None]:
        languages = [language] if language else None
        for raw in self._date_candidates():
            if raw:
                iso = to_iso(raw, languages)
                if iso:
                    return raw, in_local_offset(iso, self.page.source)
        return self._date_from_text(languages)

    def _date_candidates(self) -> Iterator[str | None]:
        """Declared dates, most explicit first; the page is searched only when none reads as one."""
        yield from select_text(self.page.tree, self.selectors.date)
        if self.ld:
            yield text_of(self.ld.get("datePublished"))
            yield text_of(self.ld.get("dateCreated"))
        for name in _DATE_META:
            yield self.page.meta_first(name)
        yield from time_element_dates(self.page.tree, self.scope)

    def _date_from_text(self, languages: list[str] | None) -> tuple[str | None, str | None]:
        """Short dateline-like texts in the article head, then htmldate as a last resort."""
        attempts = 0
        for el in self.scope.iter("p", "span", "div", "li"):
            if el.tag == "div" and len(el):
                continue
            text = _clean(el.text_content())
            if text and 6 <= len(text) <= 60 and re.search(r"\d{4}", text) and _DATE_SHAPE.search(text):
                if in_site_furniture(el):
                    continue
                attempts += 1
                if attempts > MAX_DATELINE_TRIES:
                    break  # dateparser is slow; a dateline sits near the top of the article
                for variant in _dateline_variants(text):
                    iso = to_iso(variant, languages)
                    if iso:
                        return text, iso
        found = htmldate_date(self.page.tree, self.page.url)
        return (found, found) if found else (None, None)

    def _date_modified(self) -> str | None:
        candidates = [text_of(self.ld.get("dateModified"))] if self.ld else []
        candidates += [self.page.meta_first(name) for name in _MODIFIED_META]
        for raw in candidates:
            iso = to_iso(raw) if raw else None
            if iso:
                return iso
        return None

    # -- body -----------------------------------------------------------------------------

    def _body(self, title: str | None, byline: str | None) -> str | None:
        override = select_text(self.page.tree, self.selectors.body)
        if override:
            return _paragraphs("\n".join(override))
        return extract_body(self.page, self.ld, title, self.scope, byline)

    # -- images ---------------------------------------------------------------------------

    def _images(self) -> list[Image]:
        lead = meta_image(self.page)
        images = merge_images(
            [lead] if lead else [],
            jsonld_images(self.page, self.ld),
            article_images(self.page, self.scope),
        )
        fill_alt_texts(images, self.page, self.scope)
        override = select_text(self.page.tree, self.selectors.image_credit)
        for image, credit in zip(images, override, strict=False):
            image.credit = split_caption(credit)[1] or credit
        return images

    # -- classification ------------------------------------------------------------------

    def _section(self) -> str | None:
        value = self.page.meta_first("article:section", "og:article:section", "section", "parsely-section")
        if not value and self.ld:
            value = text_of(self.ld.get("articleSection"))
        if not value:
            value = breadcrumb_section(self.page.tree)
        return _clean(value) if value else None

    def _tags(self) -> list[str]:
        values: list[str] = []
        values += self.page.meta.get("article:tag", [])
        if self.ld and self.ld.get("keywords"):
            keywords = self.ld["keywords"]
            # only strings are tags: a number or an object in "keywords" is no text
            values += [text_of(k) or "" for k in keywords] if isinstance(keywords, list) else \
                (text_of(keywords) or "").split(",")
        if not values:
            for key in ("news_keywords", "keywords", "parsely-tags"):
                for value in self.page.meta.get(key, []):
                    values += value.split(",")
        tags: list[str] = []
        seen: set[str] = set()
        for value in values:
            tag = _clean(value) if value else None
            if tag and tag.casefold() not in seen and len(tag) <= 100:
                seen.add(tag.casefold())
                tags.append(tag)
        return tags

    def _is_paywalled(self) -> bool | None:
        if self.ld and "isAccessibleForFree" in self.ld:
            free = self.ld["isAccessibleForFree"]
            if isinstance(free, str):
                free = free.strip().lower() not in ("false", "no", "0")
            return not bool(free)
        tier = (self.page.meta_first("article:content_tier") or "").lower()
        if tier in ("locked", "metered"):
            return True
        if tier == "free":
            return False
        # every class attribute of the article at once (XPath in C), searched in one go
        if _PAYWALL_CLASS.search(" ".join(_CLASSES(self.scope)).lower()):
            return True
        return None


def _with_closing_credits(images: list[Image], credits: list[str]) -> list[Image]:
    """Credit lines that closed the text go to the first image without a credit, else join the lead's."""
    for credit in filter(None, map(clean_credit, credits)):
        bare = next((image for image in images if not image.credit), None)
        if bare is not None:
            bare.credit = credit
        elif images and credit not in (images[0].credit or ""):
            images[0].credit = f"{images[0].credit}; {credit}"
    return images


def _dateline_variants(text: str) -> list[str]:
    """The dateline, then without the label words before the date: 'Veröffentlicht am 9. Juni 2026 um 08:12'.

    dateparser reads the date and time but gives up on a text that starts with words of its own.
    """
    variants = [text]
    words = text.split()
    for dropped in range(1, MAX_DATELINE_LABEL_WORDS + 1):
        if dropped >= len(words) or any(ch.isdigit() for ch in words[dropped - 1]):
            break
        variants.append(" ".join(words[dropped:]))
    return variants


def _article_scope(tree: HtmlElement) -> HtmlElement:
    """The element most likely to hold the article: the <article> with the h1, else main."""
    articles = list(tree.iter("article"))
    for article in articles:
        if next(article.iter("h1"), None) is not None:
            return article
    if len(articles) == 1:
        return articles[0]
    main = next(tree.iter("main"), None)
    if main is not None:
        return main
    body = tree.find("body")
    return body if body is not None else tree


def _site_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # the page URL as given may be malformed
        return None
    return host[4:] if host.startswith("www.") else (host or None)


__all__ = ["ExtractionError", "extract_article"]
