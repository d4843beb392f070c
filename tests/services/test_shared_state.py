"""Incremental discovery state in Redis: machines with their own local stores agree on what is new."""

from __future__ import annotations

from pathlib import Path

from tests.archive_site import archive_site
from tests.inprocess import run_crawl
from tests.services.conftest import RedisServer


def test_a_machine_with_an_empty_store_skips_what_another_one_wrote(redis_server: RedisServer,
                                                                     tmp_path: Path) -> None:
    """Two 'machines' (two output roots, so two local SQLite stores) run the same scheduled job one
    after the other on one Redis: the second fetches only what changed since the first."""
    with archive_site(tmp_path, "--articles", "120", "--interval-minutes", "60") as site:
        settings = {"REDIS_URL": redis_server.url}
        first = run_crawl(tmp_path / "machine-a", "news", "-a", f"url={site.base_url}/", "-a", "since=2d",
                          settings=settings)
        assert first.returncode == 0, first.log[-3000:]
        written = len(first.records)
        assert written > 40
        rewritten = site.admin("rewrite?n=2")
        site.reset()
        second = run_crawl(tmp_path / "machine-b", "news", "-a", f"url={site.base_url}/", "-a", "since=2d",
                           settings=settings)
        hits = site.hits()
    assert second.returncode == 0, second.log[-3000:]
    assert hits["hits"]["article"] == 2
    # machine B's store knew nothing of them: these are version 1 in its own store, but only the two
    # rewritten articles were fetched
    assert sorted(r["url"][len(site.base_url):] for r in second.records) == sorted(rewritten)
    assert second.manifest["counts"]["skipped_unchanged"] == written - 2
    # the state outlives the runs (the frontier's own keys are deleted when a run ends)
    assert redis_server.client.hlen("presswire-incremental:fetched:news") == written
