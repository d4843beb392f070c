"""The comparison with a site's normal, on health blocks we generate: noise flags nothing, real changes
do, and the history kept in the store (migrated into an older store) comes back in order, bounded."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from scrapers.health.measure import FIELDS, Meter, merge_blocks
from scrapers.health.normal import Thresholds, findings
from scrapers.incremental.store import SeenStore
from scrapers.sites import SiteConfig, SiteConfigError

COUNTS = {"articles_written": 40, "unchanged": 0, "urls_listed": 60, "failures_by_reason": {"http_4xx": 1}}


def record(rng: random.Random, missing_authors: float, body_words: int = 300) -> dict[str, Any]:
    return {"title": "A headline", "authors": [] if rng.random() < missing_authors else ["A. Writer"],
            "date_published": "2026-11-20T08:30:00+00:00", "body": "word " * rng.randint(body_words, body_words + 80),
            "images": [{"url": "https://x.example/a.jpg", "credit": "Photo Desk", "caption": None, "alt": None}],
            "language": "en", "section": "Harbour"}


def block(rng: random.Random, missing_authors: float, records: int = 40, **kwargs: Any) -> dict[str, Any]:
    meter = Meter(80)
    for _ in range(records):
        meter.add(record(rng, missing_authors, **kwargs))
    return meter.block(COUNTS)


def test_twenty_normal_runs_with_noisy_coverage_flag_nothing() -> None:
    for seed in range(20):  # twenty sites, each with twenty runs of 0-10 % missing authors
        rng = random.Random(seed)
        history: list[dict[str, Any]] = []
        for run in range(20):
            current = block(rng, rng.uniform(0.0, 0.10), records=rng.randint(12, 60))
            assert findings(current, history, Thresholds()) == [], (seed, run)
            history.append(current)


def test_a_fallen_field_a_short_body_and_a_rising_reason_are_each_one_line() -> None:
    rng = random.Random(1)
    history = [block(rng, 0.05) for _ in range(5)]
    lines = findings(block(rng, 0.97), history, Thresholds())
    assert len(lines) == 1 and lines[0].startswith("authors 9") and "byline markup" in lines[0]
    short = findings(block(rng, 0.05, body_words=5), history, Thresholds())
    assert short[0].startswith("body 100% → ") and short[1].startswith("median body "), short
    failing = {**block(rng, 0.05), "reasons": {"http_4xx": 0.6}}
    assert findings(failing, history, Thresholds()) == [
        "http_4xx 2% → 60% of pages: what do the failures file's http_4xx lines say?"]


def test_no_normal_before_three_runs_but_no_article_is_always_said() -> None:
    rng = random.Random(2)
    history = [block(rng, 0.0) for _ in range(2)]
    assert findings(block(rng, 1.0), history, Thresholds()) == []  # two runs: no normal yet
    empty = Meter().block({})
    assert findings(empty, history, Thresholds())[0].startswith("no article found; the last 2 runs found 40–40")
    assert findings(empty, [], Thresholds())[0].startswith("no article found, and no earlier run")
    assert findings(empty, [empty, empty, empty], Thresholds()) == []  # a site that never had articles


def test_merged_blocks_add_up_counts_and_recompute_shares() -> None:
    rng = random.Random(3)
    one, two = block(rng, 0.0, records=30), block(rng, 1.0, records=10)
    merged = merge_blocks([one, two])
    assert merged["records"] == 40 and merged["fields"]["authors"] == 0.75 and merged["processes"] == 2
    assert set(merged["fields"]) == set(FIELDS)


def test_the_store_keeps_a_bounded_history_per_site_and_migrates_an_older_store(tmp_path: Path) -> None:
    path = tmp_path / "seen.sqlite"
    old = sqlite3.connect(path)  # a store made before site health: the written table only
    old.execute("CREATE TABLE written (name TEXT NOT NULL, id TEXT NOT NULL, url TEXT NOT NULL, content_hash TEXT, "
                "version INTEGER NOT NULL, first_written TEXT NOT NULL, last_written TEXT NOT NULL, "
                "last_seen TEXT NOT NULL, PRIMARY KEY (name, id))")
    old.close()
    store = SeenStore(path)
    for n in range(8):
        store.record_health("courier", f"job{n}", "a", f"2026-12-0{n + 1}T04:00:00+00:00", {"records": n}, [], keep=5)
    store.record_health("courier", "job7", "b", "2026-12-08T04:01:00+00:00", {"records": 100}, ["x"], keep=5)
    store.record_health("quay", "job0", "a", "2026-12-01T04:00:00+00:00", {"records": 1}, [], keep=5)
    runs = store.health_runs("courier", 30)
    assert [job for job, _ in runs] == ["job3", "job4", "job5", "job6", "job7"]
    assert runs[-1][1] == [{"records": 7}, {"records": 100}]  # one block per process
    assert store.health_history("courier", 1)[0][3] == ["x"]
    assert store.health_keys() == ["courier", "quay"]
    store.close()


def test_a_site_config_switches_alerts_off_with_a_boolean_only() -> None:
    base = {"start_urls": ["https://courier.example/"]}
    assert SiteConfig.from_mapping("courier", {**base, "health_alerts": False}).health_alerts is False
    assert SiteConfig.from_mapping("courier", base).health_alerts is True
    with pytest.raises(SiteConfigError, match="health_alerts must be true or false, not 'no'"):
        SiteConfig.from_mapping("courier", {**base, "health_alerts": "no"}, source="courier.toml")
