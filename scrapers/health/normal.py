"""A run against its site's normal: the median of the site's last runs, once there are enough of them.

Each finding is one line a person can act on (``authors 94% → 3% of records, the last 5 runs had
91–96%: has the byline markup changed?``). The margins are settings (``HEALTH_*``, docs/health.md):
coverage that falls by more than ``coverage_drop`` (a share, 0–1), a median body shorter than
``body_ratio`` of the normal, a failure reason whose share rises by more than ``failure_rise``, and a
run that finds no article when the runs before found some (or, with no history, at all).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .measure import FIELDS

# What a person should look at first when a field's coverage falls.
HINTS = {
    "title": "has the headline markup changed?",
    "authors": "has the byline markup changed?",
    "date_time": "has the date markup changed?",
    "body": "has the article body moved?",
    "images": "has the image markup changed?",
    "image_credits": "has the credit markup changed?",
    "language": "has the page's lang attribute changed?",
    "section": "has the section markup changed?",
}
LABELS = {"date_time": "date with time", "body": "body", "image_credits": "image credits"}


@dataclass(frozen=True)
class Thresholds:
    min_runs: int = 3              # HEALTH_MIN_RUNS: earlier runs needed before a normal exists
    normal_runs: int = 10          # HEALTH_NORMAL_RUNS: the normal is the median of at most this many
    min_records: int = 10          # HEALTH_MIN_RECORDS: fewer records measured: coverage not judged
    coverage_drop: float = 0.25    # HEALTH_COVERAGE_DROP
    body_ratio: float = 0.5        # HEALTH_BODY_RATIO
    failure_rise: float = 0.25     # HEALTH_FAILURE_RISE

    @classmethod
    def from_settings(cls, settings: Any) -> Thresholds:
        """From Scrapy settings (anything with ``getint``/``getfloat``)."""
        return cls(settings.getint("HEALTH_MIN_RUNS"), settings.getint("HEALTH_NORMAL_RUNS"),
                   settings.getint("HEALTH_MIN_RECORDS"), settings.getfloat("HEALTH_COVERAGE_DROP"),
                   settings.getfloat("HEALTH_BODY_RATIO"), settings.getfloat("HEALTH_FAILURE_RISE"))


# A share measured on n records is a sample: a change counts only when the 99 % Wilson bound of the
# share, on the side towards the normal, is still past the margin (12 records at 9/12 may be normal noise).
Z = 2.576


def wilson(share: float, n: int, upper: bool) -> float:
    """The Wilson score bound of ``share`` measured on ``n`` items (upper or lower)."""
    if n <= 0:
        return 1.0 if upper else 0.0
    centre = share + Z * Z / (2 * n)
    spread = Z * math.sqrt(share * (1 - share) / n + Z * Z / (4 * n * n))
    return (centre + spread if upper else centre - spread) / (1 + Z * Z / n)


def label(name: str) -> str:
    return LABELS.get(name, name)


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _values(history: Sequence[Mapping[str, Any]], get: Any) -> list[float]:
    return [value for value in (get(block) for block in history) if value is not None]


def normal_of(history: Sequence[Mapping[str, Any]], thresholds: Thresholds) -> dict[str, Any] | None:
    """The site's normal from its earlier runs' blocks (oldest first): the median of the last
    ``normal_runs`` of them, per measure; None until ``min_runs`` runs are known."""
    recent = list(history)[-thresholds.normal_runs:]
    if len(recent) < thresholds.min_runs:
        return None
    judged = [b for b in recent if int(b.get("records") or 0) >= thresholds.min_records]
    fields = {}
    for name in FIELDS:
        values = _values(judged, lambda b, n=name: (b.get("fields") or {}).get(n))
        fields[name] = (statistics.median(values), min(values), max(values), len(values)) if len(values) >= \
            thresholds.min_runs else None
    reasons = sorted({reason for b in recent for reason in (b.get("reasons") or {})})
    bodies = _values(recent, lambda b: b.get("median_body_words"))
    return {
        "runs": len(recent),
        "articles": statistics.median([int(b.get("articles") or 0) for b in recent]),
        "fields": fields,
        "median_body_words": statistics.median(bodies) if len(bodies) >= thresholds.min_runs else None,
        "reasons": {r: statistics.median([(b.get("reasons") or {}).get(r) or 0.0 for b in recent]) for r in reasons},
    }


def findings(block: Mapping[str, Any], history: Sequence[Mapping[str, Any]], thresholds: Thresholds) -> list[str]:
    """What is wrong with this run against its site's earlier runs (oldest first): one line each."""
    articles = int(block.get("articles") or 0)
    # articles listed outside the date window (-a since/until) were found, only not wanted
    none_found = articles == 0 and not block.get("out_of_window")
    if not history:
        return ["no article found, and no earlier run of this site to compare with: is the start URL right?"] \
            if none_found else []
    lines = []
    if none_found:
        earlier = [int(b.get("articles") or 0) for b in history[-thresholds.normal_runs:]]
        if any(earlier):
            lines.append(f"no article found; the last {len(earlier)} runs found {min(earlier)}–{max(earlier)}: "
                         "have the sitemaps, the start URL or the article template changed?")
    normal = normal_of(history, thresholds)
    if normal is None:
        return lines
    records = int(block.get("records") or 0)
    if records >= thresholds.min_records:
        for name in FIELDS:
            current = (block.get("fields") or {}).get(name)
            usual = normal["fields"].get(name)
            if current is None or usual is None:
                continue
            median, low, high, runs = usual
            if wilson(current, records, upper=True) < median - thresholds.coverage_drop:
                lines.append(f"{label(name)} {_pct(median)} → {_pct(current)} of records, the last {runs} runs had "
                             f"{low * 100:.0f}–{high * 100:.0f}%: {HINTS[name]}")
    body = block.get("median_body_words")
    usual_body = normal["median_body_words"]
    if body is not None and usual_body and body < usual_body * thresholds.body_ratio:
        lines.append(f"median body {body:.0f} words, normally {usual_body:.0f}: has the article body moved?")
    pages = int(block.get("pages") or 0)
    for reason, share in sorted((block.get("reasons") or {}).items()):
        usual_share = normal["reasons"].get(reason, 0.0)
        if share is not None and pages >= thresholds.min_records and \
                wilson(share, pages, upper=False) > usual_share + thresholds.failure_rise:
            lines.append(f"{reason} {_pct(usual_share)} → {_pct(share)} of pages: what do the failures file's "
                         f"{reason} lines say?")
    return lines
