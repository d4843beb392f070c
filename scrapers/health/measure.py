"""What a run measures of itself: the ``health`` block of its manifest.

Records are measured as extracted and normalised, before validation refuses any (a body that became the
cookie notice is a short body here, not only a refused page), so the block says what the site's
template gave this run. Pages that gave no article come from the run's counts.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from ..extraction.text import word_units

# The fields whose coverage (share of records that have it) is measured, in the report's order.
FIELDS = ("title", "authors", "date_time", "body", "images", "image_credits", "language", "section")


def _has_time(value: Any) -> bool:
    """An ISO date with a time of day (``2026-12-07T09:30:00+00:00``), not only a day."""
    return isinstance(value, str) and len(value) > 10 and "T" in value


def field_checks(record: Mapping[str, Any], body_words: int, min_body_words: int) -> dict[str, bool]:
    images = record.get("images") or []
    return {
        "title": bool(record.get("title")),
        "authors": bool(record.get("authors")),
        "date_time": _has_time(record.get("date_published")),
        "body": body_words >= min_body_words,
        "images": bool(images),
        "image_credits": any(isinstance(image, Mapping) and image.get("credit") for image in images),
        "language": bool(record.get("language")),
        "section": bool(record.get("section")),
    }


class Meter:
    """Counts, per field, the records that have it, and keeps each body's length in words."""

    def __init__(self, min_body_words: int = 80) -> None:
        self.min_body_words = min_body_words
        self.records = 0
        self.present: Counter[str] = Counter()
        self.body_words: list[int] = []

    def add(self, record: Mapping[str, Any], words: int | None = None) -> None:
        """``words``: the body's length (``word_units``) when the caller has counted it already."""
        if words is None:
            body = record.get("body")
            words = word_units(body) if isinstance(body, str) else 0
        self.records += 1
        self.body_words.append(words)
        for name, present in field_checks(record, words, self.min_body_words).items():
            if present:
                self.present[name] += 1

    def block(self, counts: Mapping[str, Any]) -> dict[str, Any]:
        """The health block, from this meter and the run's counts (``Counts.manifest()``)."""
        return health_block(self.records, self.present, self.body_words, counts)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def health_block(records: int, present: Mapping[str, int], body_words: list[int],
                 counts: Mapping[str, Any]) -> dict[str, Any]:
    """Shares are of ``records`` (fields) or of ``pages`` (each page with an outcome: an article written,
    found unchanged or a duplicate, or no article); None when there is nothing to share."""
    articles = int(counts.get("articles_written", 0)) + int(counts.get("unchanged", 0))
    reasons: Counter[str] = Counter()
    for key in ("failures_by_reason", "dropped_by_reason"):
        reasons.update(counts.get(key) or {})
    # skipped_unchanged articles were not fetched: they are articles, not pages of this run
    pages = articles - int(counts.get("skipped_unchanged", 0)) + int(counts.get("duplicates", 0)) + sum(
        reasons.values())
    median = statistics.median(body_words) if body_words else None
    block = _block(records, present, median, reasons, pages, articles, int(counts.get("urls_listed", 0)))
    block["out_of_window"] = int(counts.get("out_of_window", 0))
    return block


def merge_blocks(blocks: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """One block for a job that ran in several processes (Redis): counts add up, shares are recomputed
    from them, and the median body length is the records-weighted mean of the processes' medians."""
    if len(blocks) == 1:
        return dict(blocks[0])
    present: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for block in blocks:
        present.update(block.get("field_counts") or {})
        reasons.update(block.get("reason_counts") or {})
    weighted = [(b["median_body_words"], int(b.get("records", 0))) for b in blocks
                if b.get("median_body_words") is not None and b.get("records")]
    median = (sum(m * n for m, n in weighted) / sum(n for _, n in weighted)) if weighted else None
    merged = _block(sum(int(b.get("records", 0)) for b in blocks), present, median, reasons,
                    sum(int(b.get("pages", 0)) for b in blocks), sum(int(b.get("articles", 0)) for b in blocks),
                    sum(int(b.get("urls_listed", 0)) for b in blocks))
    merged["processes"] = len(blocks)
    merged["out_of_window"] = sum(int(b.get("out_of_window") or 0) for b in blocks)
    return merged


def _block(records: int, present: Mapping[str, int], median: float | None, reasons: Mapping[str, int],
           pages: int, articles: int, listed: int) -> dict[str, Any]:
    return {
        "records": records,
        "articles": articles,
        "pages": pages,
        "fields": {name: _share(present.get(name, 0), records) for name in FIELDS},
        "field_counts": {name: int(present.get(name, 0)) for name in FIELDS},
        "median_body_words": median,
        "no_article_share": _share(sum(reasons.values()), pages),
        "reasons": {reason: _share(n, pages) for reason, n in sorted(reasons.items())},
        "reason_counts": dict(sorted(reasons.items())),
        "articles_per_listed_url": _share(articles, listed),
        "urls_listed": listed,
    }
