"""One table of every project setting with what it accepts, checked before a crawl starts.

A value given with ``-s NAME=VALUE`` arrives as a string; a typo there used to surface as a traceback
deep inside a component (or, for ``SCHEDULED_MAX_FAILURE_RATIO``, after the whole crawl had run).
``check_settings`` turns each into one line naming the setting and what it expects.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
import re
import string
from collections.abc import Callable, Iterable, Mapping
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


def integer(minimum: int | None = None, optional: bool = False, maximum: int | None = None) -> Check:
    def check(value: Any) -> None:
        if optional and value in (None, "", "None"):
            return
        expected = "a whole number" + (f" >= {minimum}" if minimum is not None else "")
        expected += f" and <= {maximum}" if maximum is not None else ""
        expected += " (or None)" if optional else ""
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"expected {expected}") from None
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"expected {expected}")
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
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


# A job id names files under JSONL_ROOT: one file-name part, never "..", a separator or an absolute path.
_JOB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def job_id(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _JOB_ID.fullmatch(value):
        raise ValueError("expected a name of letters, digits, '.', '_' and '-' starting with a letter or digit, "
                         "at most 128 characters (no '/', '\\' or '..': the dump's name is built from it)")


def path_pattern(value: Any) -> None:
    expected = ("expected a relative path ending in .jsonl using only {name}, {date} and {job_id}, "
                "like crawl={name}/date={date}/{job_id}.jsonl")
    if not isinstance(value, str) or not value.endswith(".jsonl") or value.startswith("/"):
        raise ValueError(expected)
    if "\\" in value or any(part in ("", ".", "..") for part in value.split("/")):
        raise ValueError(expected + " (no '..', '.', empty or '\\' parts: the dump stays under JSONL_ROOT)")
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
    "JOB_ID": job_id,
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
    "REDIS_LOST_TIMEOUT": number(positive=True),
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
    "EXTRACTION_WORKER_NICE": integer(0, maximum=19),
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
    "RENDER_ENABLED": boolean,
    "RENDER_MODE": one_of("never", "auto", "always"),
    "RENDER_BROWSER": text(optional=False),
    "RENDER_PAGES": integer(1),
    "RENDER_TIMEOUT": number(positive=True),
    "RENDER_MEMORY_LIMIT_MB": integer(0),
    "RENDER_AFTER": integer(1),
    "RENDER_MEMORY_DB": text(),
    "WATCHDOG_MAX_RUNTIME": number(),
    "WATCHDOG_STALL_TIMEOUT": number(),
    "WATCHDOG_CLOSE_TIMEOUT": number(),
}


def any_number(value: Any) -> None:
    if value is None or isinstance(value, int | float):
        return
    try:
        float(value)
    except (TypeError, ValueError):
        raise ValueError("expected a number") from None


def log_level(value: Any) -> None:
    # what logging's setLevel accepts: Scrapy hands the value over as it is
    if isinstance(value, int) or value in logging.getLevelNamesMapping():
        return
    upper = str(value).upper()
    hint = f" (in capitals: {upper})" if upper in logging.getLevelNamesMapping() else ""
    raise ValueError("expected one of CRITICAL, ERROR, WARNING, INFO, DEBUG" + hint)


def mapping(value: Any) -> None:
    # Scrapy's getdict reads a string as JSON
    if isinstance(value, Mapping):
        return
    try:
        parsed = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise ValueError('expected a JSON object, like {"name": 1}')


# Scrapy's own settings a crawl reads with getint (a float there is a traceback) or that have a range;
# the other Scrapy settings are checked by the type of their default (``scrapy_check``).
SCRAPY_SETTINGS: dict[str, Check] = {
    "CONCURRENT_REQUESTS": integer(1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": integer(1),
    "CONCURRENT_REQUESTS_PER_IP": integer(0),
    "CONCURRENT_ITEMS": integer(1),
    "CLOSESPIDER_ITEMCOUNT": integer(0),
    "CLOSESPIDER_PAGECOUNT": integer(0),
    "CLOSESPIDER_ERRORCOUNT": integer(0),
    "CLOSESPIDER_PAGECOUNT_NO_ITEM": integer(0),
    "CLOSESPIDER_TIMEOUT": number(),
    "CLOSESPIDER_TIMEOUT_NO_ITEM": number(),
    "DEPTH_LIMIT": integer(0),
    "DEPTH_PRIORITY": integer(),
    "RETRY_TIMES": integer(0),
    "REDIRECT_MAX_TIMES": integer(0),
    "DOWNLOAD_MAXSIZE": integer(0),
    "DOWNLOAD_WARNSIZE": integer(0),
    "DOWNLOAD_TIMEOUT": number(positive=True),
    "DOWNLOAD_DELAY": number(),
    "DNS_TIMEOUT": number(positive=True),
    "DNSCACHE_SIZE": integer(1),
    "AUTOTHROTTLE_START_DELAY": number(),
    "AUTOTHROTTLE_MAX_DELAY": number(),
    "AUTOTHROTTLE_TARGET_CONCURRENCY": number(positive=True),
    "MEMUSAGE_LIMIT_MB": integer(0),
    "MEMUSAGE_WARNING_MB": integer(0),
    "URLLENGTH_LIMIT": integer(0),
    "REACTOR_THREADPOOL_MAXSIZE": integer(1),
    "TELNETCONSOLE_ENABLED": boolean,
    "LOG_LEVEL": log_level,
}


# Settings with a command-line option of their own: the message names both.
OPTIONS = {"LOG_LEVEL": "-L"}


def scrapy_check(name: str, default: Any) -> Check | None:
    """The check for one of Scrapy's settings: from the table, else by the type of its default."""
    if name in SCRAPY_SETTINGS:
        return SCRAPY_SETTINGS[name]
    if isinstance(default, bool):
        return boolean
    if isinstance(default, int | float):
        return any_number
    if isinstance(default, dict):
        return mapping
    return None


def _scrapy_defaults() -> dict[str, Any]:
    from scrapy.settings import default_settings

    return {name: getattr(default_settings, name) for name in dir(default_settings) if name.isupper()}


def check_settings(settings: Mapping[str, Any]) -> list[str]:
    """One message per bad setting: ``setting NAME='value': expected …``."""
    checks = {name: check for name, default in _scrapy_defaults().items()
              if (check := scrapy_check(name, default)) is not None}
    checks.update(SETTINGS)
    problems = []
    for name, check in checks.items():
        if name not in settings:
            continue
        value = settings[name]
        try:
            check(value)
        except ValueError as err:
            option = f" ({OPTIONS[name]} {value})" if name in OPTIONS else ""
            problems.append(f"setting {name}={value!r}{option}: {err}")
    return problems


def check_names(given: Iterable[str], known: Iterable[str]) -> tuple[list[str], list[str]]:
    """Setting names given by the user that no one reads: (errors, warnings). A name close to a
    known one is a typo (an error that names the right one); any other is a warning, since a
    component the user added (an add-on, a middleware) may read settings of its own."""
    names = set(known) | set(SETTINGS) | set(_scrapy_defaults())
    errors, warnings = [], []
    for name in sorted(set(given) - names):
        close = difflib.get_close_matches(name.upper(), names, n=1, cutoff=0.8)
        if close:
            errors.append(f"unknown setting {name}: did you mean {close[0]}?")
        else:
            warnings.append(f"warning: setting {name} is not a Presswire or Scrapy setting: "
                            "only a component you added can read it")
    return errors, warnings
