"""One table of every project setting with what it accepts, checked before a crawl starts.

A value given with ``-s NAME=VALUE`` arrives as a string; a typo there used to surface as a traceback
deep inside a component (or, for ``SCHEDULED_MAX_FAILURE_RATIO``, after the whole crawl had run).
``check_settings`` turns each into one line naming the setting and what it expects.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Mapping
from typing import Any

# A check returns nothing for a good value and raises ValueError("expected ...") for a bad one.
Check = Callable[[Any], None]

_TRUE_FALSE = {"0", "1", "true", "false", "True", "False"}
PATH_PLACEHOLDERS = frozenset({"name", "date", "job_id"})


def boolean(value: Any) -> None:
    # The spellings Scrapy's Settings.getbool accepts; "yes"/"maybe" would raise there mid-crawl.
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return
    if not isinstance(value, str) or value not in _TRUE_FALSE:
        raise ValueError("expected 1/0 or true/false")


def integer(minimum: int | None = None, optional: bool = False) -> Check:
    def check(value: Any) -> None:
        if optional and value in (None, "", "None"):
            return
        expected = "a whole number" + (f" >= {minimum}" if minimum is not None else "")
        expected += " (or None)" if optional else ""
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"expected {expected}") from None
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"expected {expected}")
        if minimum is not None and number < minimum:
            raise ValueError(f"expected {expected}")
    return check


def number(minimum: float = 0.0, maximum: float | None = None, positive: bool = False,
           optional: bool = False) -> Check:
    def check(value: Any) -> None:
        if optional and value in (None, "", "None"):
            return
        low = f"> {minimum:g}" if positive else f">= {minimum:g}"
        expected = f"a number {low}" + (f" and <= {maximum:g}" if maximum is not None else "")
        expected += " (or None)" if optional else ""
        try:
            parsed = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"expected {expected}") from None
        if parsed != parsed or parsed < minimum or (positive and parsed == minimum) or (
                maximum is not None and parsed > maximum):
            raise ValueError(f"expected {expected}")
    return check


def one_of(*choices: str) -> Check:
    def check(value: Any) -> None:
        if value not in choices:
            raise ValueError("expected one of " + ", ".join(choices))
    return check


def text(optional: bool = True) -> Check:
    def check(value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or not value.strip():
            raise ValueError("expected a non-empty string" + (" (or unset)" if optional else ""))
    return check


def workers(value: Any) -> None:
    if value in (None, "", "auto", "None"):
        return
    integer(0)(value)


def dotted_path(value: Any) -> None:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_][\w.]*\.[A-Za-z_]\w*", value):
        raise ValueError("expected a dotted path to a function, like package.module.function")


def path_pattern(value: Any) -> None:
    expected = ("expected a relative path ending in .jsonl using only {name}, {date} and {job_id}, "
                "like crawl={name}/date={date}/{job_id}.jsonl")
    if not isinstance(value, str) or not value.endswith(".jsonl") or value.startswith("/"):
        raise ValueError(expected)
    try:
        fields = {field for _, field, _, _ in string.Formatter().parse(value) if field is not None}
    except ValueError:
        raise ValueError(expected) from None
    if not fields <= PATH_PLACEHOLDERS or "job_id" not in fields:
        unknown = ", ".join("{" + f + "}" for f in sorted(fields - PATH_PLACEHOLDERS))
        raise ValueError(expected + (f" (unknown: {unknown})" if unknown else " ({job_id} is required)"))


def redis_url(value: Any) -> None:
    if value in (None, ""):
        return
    if not isinstance(value, str) or not re.match(r"^(redis|rediss|unix)://", value):
        raise ValueError("expected redis://HOST:PORT/DB, rediss://… or unix://PATH")


def window_bound(value: Any) -> None:
    """The same spellings as ``-a since=`` (scrapers/discovery/window.py; config imports no other feature)."""
    if value in (None, ""):
        return
    expected = "expected an ISO date (2026-11-29) or datetime, or a time before now (3d, 6h, 90m, 2w)"
    if not isinstance(value, str):
        raise ValueError(expected)
    text = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?\s*[mhdwMHDW]", text):
        return
    try:
        dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise ValueError(expected) from None


# Every setting the project defines (scrapers/settings.py) or reads; tests/test_settings_check.py
# fails when one is missing here, so a new setting cannot skip its start-up check.
SETTINGS: dict[str, Check] = {
    "USER_AGENT": text(optional=False),
    "RETRY_BACKOFF_BASE": number(),
    "RETRY_BACKOFF_MAX": number(),
    "RETRY_AFTER_MAX": number(),
    "SITEMAP_MAX_SIZE": integer(1),
    "SITES_DIR": text(),
    "NEWS_LISTING_DEPTH": integer(0),
    "NEWS_MAX_LISTING_PAGES": integer(0),
    "NEWS_MAX_PAGINATION": integer(0),
    "VALIDATE_MIN_BODY_WORDS": integer(0),
    "JSONL_ENABLED": boolean,
    "JSONL_ROOT": text(optional=False),
    "JSONL_PATH_PATTERN": path_pattern,
    "JSONL_GZIP": boolean,
    "JOB_ID": text(),
    "INCREMENTAL_ENABLED": boolean,
    "INCREMENTAL_DB": text(),
    "INCREMENTAL_RETENTION_DAYS": number(positive=True),
    "INCREMENTAL_RECRAWL_HOURS": number(),
    "EXTRACTION_WORKERS": workers,
    "EXTRACTION_TIMEOUT": number(positive=True),
    "EXTRACTION_FUNCTION": dotted_path,
    "EXTRACTION_MAX_TASKS_PER_WORKER": integer(1),
    "REDIS_URL": redis_url,
    "REDIS_CRAWL_KEY": text(),
    "REDIS_WORKER_TTL": number(positive=True),
    "REDIS_IDLE_TIMEOUT": number(),
    "REDIS_POLL_INTERVAL": number(positive=True),
    "RUN_LOCK_ENABLED": boolean,
    "RUN_LOCK_DIR": text(),
    "SCHEDULED_MAX_FAILURES": integer(0, optional=True),
    "SCHEDULED_MAX_FAILURE_RATIO": number(0.0, 1.0, optional=True),
    "SCHEDULED_MIN_ARTICLES": integer(0),
    "HEALTH_ENABLED": boolean,
    "HEALTH_ALERTS": boolean,
    "HEALTH_HISTORY_RUNS": integer(1),
    "HEALTH_MIN_RUNS": integer(1),
    "HEALTH_NORMAL_RUNS": integer(1),
    "HEALTH_MIN_RECORDS": integer(1),
    "HEALTH_COVERAGE_DROP": number(0.0, 1.0, positive=True),
    "HEALTH_BODY_RATIO": number(0.0, 1.0, positive=True),
    "HEALTH_FAILURE_RISE": number(0.0, 1.0, positive=True),
    "HEALTH_BODY_WORDS": integer(1),
    "PREFLIGHT_ENABLED": boolean,
    "PROGRESS_INTERVAL": number(),
    "WARC_ENABLED": boolean,
    "EXTRACTION_MEMORY_LIMIT_MB": integer(0),
    "INCREMENTAL_BUSY_TIMEOUT": number(positive=True),
    "SCOPE_PRIVATE_ADDRESSES": one_of("auto", "deny", "allow"),
    "WARC_MAX_RECORD_SIZE": integer(1),
    "CCNEWS_BASE_URL": text(optional=False),
    "CCNEWS_IN_FLIGHT": integer(1, optional=True),
    "CCNEWS_FILES_AT_ONCE": integer(1),
    "SITEMAP_MAX_DEPTH": integer(0),
    "SITEMAP_MAX_COUNT": integer(0),
    "NEWS_MAX_ARTICLE_REQUESTS": integer(0),
    "DISCOVERY_QUEUE_SIZE": integer(1),
    "CRAWL_SINCE": window_bound,
    "CRAWL_UNTIL": window_bound,
    "INCREMENTAL_DISCOVERY": boolean,
    "INCREMENTAL_REFRESH_HOURS": number(),
    "INCREMENTAL_REFRESH_INTERVAL_HOURS": number(),
    "REDIS_STATE_KEY": text(optional=False),
    "LOG_FORMATTER": dotted_path,
}


def check_settings(settings: Mapping[str, Any]) -> list[str]:
    """One message per bad setting: ``setting NAME='value': expected …``."""
    problems = []
    for name, check in SETTINGS.items():
        if name not in settings:
            continue
        value = settings[name]
        try:
            check(value)
        except ValueError as err:
            problems.append(f"setting {name}={value!r}: {err}")
    return problems
