"""The record contract, checked once for every entry point: normalise a hand-built record, refuse one
that is not an article or breaks the JSON Schema (naming the field), outside the date window, or a
duplicate within the run. Scrapy-free: ``jobs/run.py`` calls these in ``Run.finish``.

A record built by extraction (``Article.to_dict()``, a ``Record``) is already in its documented form:
extraction cleans every value where it reads it, so only a plain dict (a per-site callback, a record
built by hand) is normalised here, in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any

import fastjsonschema
from w3lib.url import canonicalize_url

from ..discovery.window import Window
from ..extraction.article import Record, body_fingerprint, record_id
from ..extraction.schema import load_schema, schema_errors, schema_validator
from ..extraction.text import CHARS_PER_WORD_UNIT, word_units

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:\d{2}|Z)?)?$")
_TEXT_FIELDS = ("title", "description", "standfirst", "byline_raw", "date_published_raw", "section", "language", "site")
# Refusals that are not failures: the article exists in this dump or an earlier one.
COUNTED_ONLY_STAGES = frozenset({"dedupe", "incremental"})


class Refused(Exception):
    """A record the run did not write; ``stage`` and ``reason`` are short codes, ``detail`` says why."""

    def __init__(self, stage: str, reason: str, detail: str = "") -> None:
        self.stage = stage
        self.reason = reason
        self.detail = detail
        super().__init__(f"{stage}/{reason}: {detail}" if detail else f"{stage}/{reason}")


# -- normalisation of records that arrive raw ------------------------------------------------

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
    from ..extraction.authors import split_authors  # its name lists load only for a record built by hand

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
    # dateparser (behind to_iso) is loaded only when a hand-built record needs a date parsed
    from ..extraction.dates import to_iso

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


def normalize(record: dict[str, Any]) -> dict[str, Any]:
    """A plain dict in the documented form, in place; a ``Record`` from extraction is returned as it is."""
    if isinstance(record, Record):
        return record
    for name in _TEXT_FIELDS:
        if name in record:
            record[name] = clean_text(record.get(name))
    body = clean_body(record.get("body"))
    # the fingerprint is recomputed only when cleaning changed the text it was computed from
    keep_hash = body == record.get("body") and bool(record.get("content_hash"))
    record["body"] = body
    record["authors"] = clean_authors(record.get("authors"))
    record["tags"] = clean_list(record.get("tags"))
    record["date_published"] = clean_date(record.get("date_published"), record.get("date_published_raw"))
    record["date_modified"] = clean_date(record.get("date_modified"))
    record["images"] = [
        {key: clean_text(image.get(key)) for key in ("url", "caption", "credit", "alt")}
        for image in record.get("images") or []
        if isinstance(image, dict) and image.get("url")
    ]
    url = record.get("canonical_url") or record.get("url")
    if url:
        record["canonical_url"] = canonicalize_url(url)
        record["id"] = record_id(record["canonical_url"])
    if not keep_hash:
        record["content_hash"] = body_fingerprint(body) if body else None
    return record


# -- refusals ----------------------------------------------------------------------------------

class Validator:
    """Refuses records that are no article or break the schema.

    ``min_body_words`` is a length in words that means the same in every language: whitespace-separated
    words, or ``CHARS_PER_WORD_UNIT`` (2) characters of a script written without spaces (Chinese,
    Japanese, Thai...) per word. 50 is 50 words, or 100 such characters.
    """

    def __init__(self, min_body_words: int) -> None:
        self.min_body_words = min_body_words

    @cached_property
    def check(self) -> Callable[[dict[str, Any]], Any]:
        """The schema compiled to Python: fast enough for every record (jsonschema is ~20x slower)."""
        return fastjsonschema.compile(load_schema(), use_default=False)  # never writes into the record

    @cached_property
    def validator(self) -> Draft202012Validator:
        """Used only for a record that fails, to name every violation."""
        return schema_validator(formats=True)

    def __call__(self, record: dict[str, Any], words: int | None = None) -> None:
        """``words``: the body's ``word_units`` when the caller has counted them already."""
        if words is None:  # counted up to the minimum only: the exact figure matters only below it
            words = word_units(record.get("body"), enough=max(self.min_body_words, 1))
        if not record.get("title") and words == 0:
            raise Refused("validate", "not_article", "no title and no body")
        if words < self.min_body_words:
            raise Refused(
                "validate", "not_article",
                f"body has {words} words (< {self.min_body_words}; {CHARS_PER_WORD_UNIT} characters of a script "
                "without spaces count as one)",
            )
        try:
            self.check(record)
        except fastjsonschema.JsonSchemaException as err:
            errors = schema_errors(record, self.validator) or [str(err)]
            raise Refused("validate", "schema_violation", "; ".join(errors[:5])) from None


def check_window(record: dict[str, Any], window: Window) -> None:
    """An article whose own date is outside the window is refused; one without a date is kept (the
    sitemap or feed entry it came from had no date either, or it would not have been fetched)."""
    if window.is_open:
        return
    published = record.get("date_published")
    when = _parse(published)
    if when is not None and not window.contains(when):
        raise Refused("window", "out_of_window", f"date_published {published}; {window.describe()}")


def _parse(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class Dedupe:
    """A record seen before in this run: same canonical URL (id) or same body fingerprint."""

    def __init__(self) -> None:
        self.seen_ids: set[str] = set()
        self.seen_bodies: set[str] = set()

    def __call__(self, record: dict[str, Any]) -> None:
        record_key, content_hash = record.get("id"), record.get("content_hash")
        if record_key in self.seen_ids:
            raise Refused("dedupe", "duplicate_url", record.get("canonical_url") or "")
        if content_hash and content_hash in self.seen_bodies:
            raise Refused("dedupe", "duplicate_body", record.get("url") or "")
        self.seen_ids.add(str(record_key))
        if content_hash:
            self.seen_bodies.add(content_hash)
