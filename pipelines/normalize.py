"""Normalise records that arrive raw: Unicode NFC and whitespace, author names, ISO dates, canonical URL, ids.

A record built by extraction (``Article.to_dict()``, a ``Record``) is already in that form: extraction
cleans every value where it reads it, per-site selector values included, so it passes through untouched.
A plain dict (a per-site callback, a record built by hand) is normalised here, in one pass.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from itemadapter import ItemAdapter
from w3lib.url import canonicalize_url

from scrapers.extraction.article import Record, body_fingerprint, record_id
from scrapers.extraction.authors import split_authors
from scrapers.extraction.dates import to_iso

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?$")
_TEXT_FIELDS = ("title", "description", "standfirst", "byline_raw", "date_published_raw", "section", "language", "site")


def clean_text(value: Any) -> str | None:
    """NFC, whitespace collapsed to single spaces; empty becomes None."""
    if value is None:
        return None
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    return text or None


def clean_body(value: Any) -> str | None:
    """Paragraphs kept (one blank line between), whitespace inside them collapsed."""
    if not value:
        return None
    text = unicodedata.normalize("NFC", str(value))
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(p for p in paragraphs if p) or None


def clean_authors(values: Any) -> list[str]:
    """Each byline entry split into persons ('By A and B' -> A, B), duplicates removed."""
    names: list[str] = []
    seen: set[str] = set()
    for value in values or []:
        text = clean_text(value)
        if not text:
            continue
        for name in split_authors(text) or [text]:
            if name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names


def clean_date(value: Any, raw: Any = None) -> str | None:
    """ISO 8601 as extraction gives it; anything else is parsed again from the raw string."""
    if isinstance(value, str) and _ISO.match(value):
        return value
    for candidate in (value, raw):
        if isinstance(candidate, str):
            iso = to_iso(candidate)
            if iso:
                return iso
    return None


def clean_list(values: Any) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values or []:
        text = clean_text(value)
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            out.append(text)
    return out


class NormalizePipeline:
    def process_item(self, item: Any) -> Any:
        if isinstance(item, Record):
            return item
        adapter = ItemAdapter(item)
        for name in _TEXT_FIELDS:
            if name in adapter:
                adapter[name] = clean_text(adapter.get(name))
        body = clean_body(adapter.get("body"))
        # the fingerprint is recomputed only when cleaning changed the text it was computed from
        keep_hash = body == adapter.get("body") and bool(adapter.get("content_hash"))
        adapter["body"] = body
        adapter["authors"] = clean_authors(adapter.get("authors"))
        adapter["tags"] = clean_list(adapter.get("tags"))
        adapter["date_published"] = clean_date(adapter.get("date_published"), adapter.get("date_published_raw"))
        adapter["date_modified"] = clean_date(adapter.get("date_modified"))
        adapter["images"] = [
            {key: clean_text(image.get(key)) for key in ("url", "caption", "credit", "alt")}
            for image in adapter.get("images") or []
            if isinstance(image, dict) and image.get("url")
        ]
        url = adapter.get("canonical_url") or adapter.get("url")
        if url:
            adapter["canonical_url"] = canonicalize_url(url)
            adapter["id"] = record_id(adapter["canonical_url"])
        if not keep_hash:
            adapter["content_hash"] = body_fingerprint(body) if body else None
        return item
