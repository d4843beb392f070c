"""The start-up settings table: every project setting has a row, its default passes, a bad value fails
with a message naming the setting."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.settings import Settings, default_settings

from scrapers import settings as project_settings
from scrapers.config.checks import SETTINGS, check_settings

# One wrong value per row, as it would arrive from -s NAME=VALUE.
BAD: dict[str, Any] = {
    "USER_AGENT": "",
    "RETRY_BACKOFF_BASE": "soon",
    "RETRY_BACKOFF_MAX": "-1",
    "RETRY_AFTER_MAX": "abc",
    "SITEMAP_MAX_SIZE": "0",
    "SITES_DIR": "  ",
    "NEWS_LISTING_DEPTH": "abc",
    "NEWS_MAX_LISTING_PAGES": "-1",
    "NEWS_MAX_PAGINATION": "2.5",
    "VALIDATE_MIN_BODY_WORDS": "many",
    "JSONL_ENABLED": "yes",
    "JSONL_ROOT": "",
    "JSONL_PATH_PATTERN": "{nope}/{job_id}.jsonl",
    "JSONL_GZIP": "maybe",
    "JOB_ID": "../escaped",
    "INCREMENTAL_ENABLED": "2",
    "INCREMENTAL_DB": "",
    "INCREMENTAL_RETENTION_DAYS": "0",
    "INCREMENTAL_RECRAWL_HOURS": "-5",
    "EXTRACTION_WORKERS": "abc",
    "EXTRACTION_TIMEOUT": "abc",
    "EXTRACTION_FUNCTION": "not a path",
    "EXTRACTION_MAX_TASKS_PER_WORKER": "0",
    "REDIS_URL": "localhost:6379",
    "REDIS_CRAWL_KEY": "",
    "REDIS_WORKER_TTL": "0",
    "REDIS_IDLE_TIMEOUT": "forever",
    "REDIS_POLL_INTERVAL": "0",
    "RUN_LOCK_ENABLED": "on",
    "RUN_LOCK_DIR": "",
    "SCHEDULED_MAX_FAILURES": "-1",
    "SCHEDULED_MAX_FAILURE_RATIO": "abc",
    "SCHEDULED_MIN_ARTICLES": "x",
    "HEALTH_ENABLED": "yes",
    "HEALTH_ALERTS": "maybe",
    "HEALTH_HISTORY_RUNS": "0",
    "HEALTH_MIN_RUNS": "0",
    "HEALTH_NORMAL_RUNS": "-1",
    "HEALTH_MIN_RECORDS": "x",
    "HEALTH_COVERAGE_DROP": "25%",
    "HEALTH_BODY_RATIO": "0",
    "HEALTH_FAILURE_RISE": "1.5",
    "HEALTH_BODY_WORDS": "0",
    "PREFLIGHT_ENABLED": "maybe",
    "PROGRESS_INTERVAL": "often",
    "WARC_ENABLED": "maybe",
    "EXTRACTION_MEMORY_LIMIT_MB": "lots",
    "EXTRACTION_WORKER_NICE": "20",
    "INCREMENTAL_BUSY_TIMEOUT": "0",
    "SCOPE_PRIVATE_ADDRESSES": "sometimes",
    "WARC_MAX_RECORD_SIZE": "big",
    "CCNEWS_BASE_URL": "",
    "CCNEWS_IN_FLIGHT": "0",
    "CCNEWS_FILES_AT_ONCE": "-1",
    "SITEMAP_MAX_DEPTH": "-1",
    "SITEMAP_MAX_COUNT": "lots",
    "NEWS_MAX_ARTICLE_REQUESTS": "1.5",
    "DISCOVERY_QUEUE_SIZE": "0",
    "CRAWL_SINCE": "yesterday",
    "CRAWL_UNTIL": "2026-13-45",
    "INCREMENTAL_DISCOVERY": "sometimes",
    "INCREMENTAL_REFRESH_HOURS": "-1",
    "INCREMENTAL_REFRESH_INTERVAL_HOURS": "often",
    "REDIS_STATE_KEY": "",
    "LOG_FORMATTER": "not a path",
    "RENDER_ENABLED": "sometimes",
    "RENDER_MODE": "maybe",
    "RENDER_BROWSER": "",
    "RENDER_PAGES": "0",
    "RENDER_TIMEOUT": "0",
    "RENDER_MEMORY_LIMIT_MB": "-1",
    "RENDER_AFTER": "0",
    "RENDER_MEMORY_DB": " ",
    "WATCHDOG_MAX_RUNTIME": "a day",
    "REDIS_LOST_TIMEOUT": "0",
    "WATCHDOG_STALL_TIMEOUT": "-1",
    "WATCHDOG_CLOSE_TIMEOUT": "soon",
}

# Values a user may reasonably write, beyond the defaults.
GOOD: list[tuple[str, Any]] = [
    ("EXTRACTION_WORKERS", "auto"), ("EXTRACTION_WORKERS", "0"), ("EXTRACTION_WORKERS", "4"),
    ("JSONL_GZIP", "1"), ("JSONL_GZIP", "true"), ("JSONL_GZIP", False),
    ("SCHEDULED_MAX_FAILURE_RATIO", "None"), ("SCHEDULED_MAX_FAILURE_RATIO", "0.25"),
    ("SCHEDULED_MAX_FAILURES", "10"), ("JSONL_PATH_PATTERN", "{name}/{date}/{job_id}.jsonl"),
    ("REDIS_URL", "redis://redis.internal:6379/0"), ("EXTRACTION_TIMEOUT", "2.5"),
]


def project_setting_names() -> set[str]:
    own = {name for name in vars(project_settings) if name.isupper() and not hasattr(default_settings, name)}
    return own - {"BOT_NAME"}


def test_every_project_setting_has_a_row() -> None:
    missing = project_setting_names() - set(SETTINGS)
    assert not missing, f"add a check to scrapers/config/checks.py SETTINGS for: {sorted(missing)}"


def test_every_row_has_a_bad_example() -> None:
    assert set(BAD) == set(SETTINGS)


def test_the_project_defaults_pass() -> None:
    assert check_settings(Settings(vars(project_settings).copy() | {"SETTINGS_MODULE": None})) == []


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_a_bad_value_is_one_message_naming_the_setting(name: str) -> None:
    problems = check_settings({name: BAD[name]})
    assert len(problems) == 1
    assert problems[0].startswith(f"setting {name}=") and "expected" in problems[0]


@pytest.mark.parametrize(("name", "value"), GOOD, ids=[f"{n}={v}" for n, v in GOOD])
def test_good_values_pass(name: str, value: Any) -> None:
    assert check_settings({name: value}) == []
