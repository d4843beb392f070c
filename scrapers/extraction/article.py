"""The typed article record that extraction returns."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = "1.1"


class ExtractionError(Exception):
    """The page cannot yield an article; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # rebuilt from (reason, detail) when it crosses from an extraction worker process
        return (type(self), (self.reason, self.detail))


@dataclass
class Image:
    """One image of the article: ``credit`` is who made or owns it, as the page says."""

    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


@dataclass
class Article:
    """One extracted article. Every field but ``url`` may be absent (None or empty list).

    ``date_published``/``date_modified`` are ISO 8601: date and time with offset when the
    page gives them, wall-clock time when it gives no zone, date only when it gives only
    a date. ``body`` is plain text, paragraphs separated by a blank line.
    """

    url: str | None
    canonical_url: str | None = None
    site: str | None = None
    title: str | None = None
    description: str | None = None
    standfirst: str | None = None
    authors: list[str] = field(default_factory=list)
    byline_raw: str | None = None
    date_published: str | None = None
    date_published_raw: str | None = None
    date_modified: str | None = None
    body: str | None = None
    images: list[Image] = field(default_factory=list)
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    is_paywalled: bool | None = None
    fetched_at: str | None = None
    spider: str | None = None
    schema_version: str = SCHEMA_VERSION

    @property
    def id(self) -> str | None:
        """Stable id: a hash of the canonical URL (or the URL when there is none)."""
        key = self.canonical_url or self.url
        return record_id(key) if key else None

    @property
    def content_hash(self) -> str | None:
        return body_fingerprint(self.body) if self.body else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON record, fields in schema order."""
        data = asdict(self)
        record: dict[str, Any] = {"id": self.id}
        record.update(data)
        record["content_hash"] = self.content_hash
        record["schema_version"] = record.pop("schema_version")
        return record


def record_id(canonical_url: str) -> str:
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:32]


def body_fingerprint(body: str) -> str:
    """Hash of the body's words, so whitespace and case changes do not make a new version."""
    text = unicodedata.normalize("NFKC", body).casefold()
    words = re.findall(r"\w+", text)
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
