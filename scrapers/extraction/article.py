"""The typed article record that extraction returns."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from .text import word_units

SCHEMA_VERSION = "1.1"

# Longest value of each one-line field, in characters; a longer value is cut at a word boundary and
# ends with "…". Far above any real value: they bound what a hostile or broken page can put in a record.
MAX_TITLE_CHARS = 500
MAX_DESCRIPTION_CHARS = 2000  # description and standfirst
MAX_AUTHOR_CHARS = 200  # each name
MAX_AUTHORS = 50
MAX_BYLINE_CHARS = 1000
MAX_CREDIT_CHARS = 300
MAX_CAPTION_CHARS = 2000  # caption and alt text
MAX_SECTION_CHARS = 200
MAX_TAG_CHARS = 100  # each tag
MAX_TAGS = 100
MAX_DATE_RAW_CHARS = 200


class ExtractionError(Exception):
    """The page cannot yield an article; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # rebuilt from (reason, detail) when it crosses from an extraction worker process
        return (type(self), (self.reason, self.detail))


class Record(dict[str, Any]):
    """A record built by ``Article.to_dict()``: each field is already in the form its docstring gives, so the
    crawl's normalisation passes it through (a plain dict from elsewhere is normalised field by field).

    ``body_words`` is the body's length in words (``text.word_units``), counted where the record is built:
    in a crawl that is a worker process, so the crawler process, which validates every record, does not
    pass over the text again (it travels with the record when the record is pickled)."""

    __slots__ = ("body_words",)

    def __init__(self, *args: Any, **fields: Any) -> None:
        super().__init__(*args, **fields)
        self.body_words: int | None = None


@dataclass
class Image:
    """One image of the article, as the page shows it."""

    url: str
    """Absolute http(s) URL of the image file, resolved against the page's URL; an image whose URL is malformed
    is left out."""
    caption: str | None = None
    """The caption shown with the image, without its credit, one line of at most 2000 characters; null when there
    is none."""
    credit: str | None = None
    """Who made or owns the image, without its label ("Photo:", "Foto:", "写真："): "Anadolu Agency/Getty"; one
    line of at most 300 characters."""
    alt: str | None = None
    """The image's alt text, one line of at most 2000 characters; null when absent or empty."""


@dataclass
class Article:
    """One extracted article: the record of a JSONL dump, minus what the crawl adds (``version``).

    Every field but ``url`` may be absent: null, or an empty list, never invented. Each field's
    docstring fixes its meaning and format; the JSON Schema's descriptions and the field table of
    docs/record.md are generated from them (``scripts/record_docs.py``), and a test keeps them in step.

    Whatever the page holds, every string is valid Unicode that encodes to UTF-8 (no lone surrogates),
    and a field said to be "one line" has no C0/C1 control characters (tab and newline included) and no
    bidi embedding, override or isolate characters (U+202A-U+202E, U+2066-U+2069); a longer value is cut
    at a word boundary and ends with "…" (limits in the ``MAX_*_CHARS`` constants). Characters that
    belong to a script (ZWNJ, ZWJ, directional marks) are kept everywhere.
    """

    url: str | None
    """The URL fetched, after redirects: absolute http(s)."""
    canonical_url: str | None = None
    """rel=canonical, else og:url, else url (a malformed one skipped); canonicalised with w3lib (sorted query, no
    fragment)."""
    site: str | None = None
    """The site config's name, or the canonical URL's host without "www."."""
    title: str | None = None
    """The on-page headline, one line of at most 500 characters: not the <title> with its " | Site" suffix, not a
    kicker or section label."""
    description: str | None = None
    """The page's declared summary (JSON-LD, og:description, meta description), one line of at most 2000
    characters."""
    standfirst: str | None = None
    """The lead shown between the headline and the text: the declared description when the page shows it there,
    else null; the body may open with the same paragraph when the page prints it as the text's first one. One line
    of at most 2000 characters."""
    authors: list[str] = field(default_factory=list)
    """Persons or agencies as the byline names them, one per entry, without "By"/"Von"/"Por" or roles; at most 50
    names, each one line of at most 200 characters."""
    byline_raw: str | None = None
    """The byline as found on the page, before splitting, one line of at most 1000 characters."""
    date_published: str | None = None
    """ISO 8601: "2026-11-20T08:30:00+01:00" when the page gives time and zone, "2026-11-20T08:30:00" with a time
    but no zone, "2026-11-20" when it gives only a date."""
    date_published_raw: str | None = None
    """The publication date string as found on the page (or in its metadata), one line of at most 200 characters."""
    date_modified: str | None = None
    """ISO 8601, as date_published."""
    body: str | None = None
    """The article text: paragraphs separated by a blank line; no headline, captions, bylines, ads, promos,
    newsletter boxes, related links or share buttons; no control characters but the newlines."""
    images: list[Image] = field(default_factory=list)
    """The article's images, lead image first, each {url, caption, credit, alt}."""
    language: str | None = None
    """ISO 639 code of the text ("en", "de", "ja"): the page's declared language, else detected from the text."""
    section: str | None = None
    """The site's section for the article ("World", "Sport"), as the page declares it; one line of at most 200
    characters."""
    tags: list[str] = field(default_factory=list)
    """Tags and keywords the page declares, each once, in page order; at most 100, each one line of at most 100
    characters."""
    is_paywalled: bool | None = None
    """true when the page declares the article not free to read (isAccessibleForFree, paywall markers);
    null when unknown."""
    fetched_at: str | None = None
    """UTC time of the fetch, ISO 8601 with offset ("2026-11-24T01:40:55+00:00"); null outside a crawl."""
    spider: str | None = None
    """The spider that wrote the record; null outside a crawl."""
    schema_version: str = SCHEMA_VERSION
    """Version of the record's JSON Schema that the record follows."""

    @property
    def id(self) -> str | None:
        """Stable id: the first 32 hex digits of sha256(canonical_url), or of url when there is none."""
        key = self.canonical_url or self.url
        return record_id(key) if key else None

    @property
    def content_hash(self) -> str | None:
        """sha256 of the body's words, casefolded: it changes only when the text does; null without a body."""
        return body_fingerprint(self.body) if self.body else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON record, fields in schema order (a ``Record``: every field already in its documented form)."""
        data = asdict(self)
        record = Record(id=self.id)
        record.update(data)
        record["content_hash"] = self.content_hash
        record["schema_version"] = record.pop("schema_version")
        record.body_words = word_units(self.body)
        return record


def record_id(canonical_url: str) -> str:
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:32]


def body_fingerprint(body: str) -> str:
    """Hash of the body's words, so whitespace and case changes do not make a new version."""
    text = unicodedata.normalize("NFKC", body).casefold()
    words = re.findall(r"\w+", text)
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


# Record fields that the crawl adds to ``Article.to_dict()``.
CRAWL_FIELDS = {
    "version": "1 when first written; raised by one each time a later run finds the article's text changed "
               "(same id).",
    "warc_record_id": "The WARC-Record-ID of the archived response the record came from (WARC_ENABLED=1, "
                      "scrapy extract on a WARC, reextract, ccnews); null when nothing was archived. Optional: "
                      "records without it stay valid.",
}
