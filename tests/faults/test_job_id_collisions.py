"""``-s JOB_ID=nightly`` given to two runs that write to the same folder (the same site twice in a day,
or two sites at once): the second job is ``nightly-2``, so no job ever overwrites another's dump,
failures file or manifest, and the store counts exactly what the published dumps hold."""

from __future__ import annotations

import json
from pathlib import Path

from tests.faults.stories import published_urls, store_written, stories, story_site
from tests.harness import start_crawl
from tests.hostile.site import page
from tests.inprocess import run_crawl


def _home(paths: list[str]) -> str:
    return "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in paths) + "</body></html>"


def test_the_same_job_id_twice_in_a_day_never_overwrites_the_first_job(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with story_site(12) as site:
        everything = stories(site)
        paths = [url[len(site.base_url):] for url in everything]
        site.routes["/"] = page(_home(paths[:8]))
        first = run_crawl(out, "news", "-a", f"url={site.base_url}/", settings={"JOB_ID": "nightly"})
        assert first.returncode == 0, first.log[-3000:]
        site.routes["/"] = page(_home(paths))
        second = run_crawl(out, "news", "-a", f"url={site.base_url}/", settings={"JOB_ID": "nightly"})
        assert second.returncode == 0, second.log[-3000:]
    assert first.manifest["job_id"] == "nightly" and second.manifest["job_id"] == "nightly-2"
    assert "job id nightly is taken" in second.log
    assert len(first.records) == 8 and len(second.records) == 4
    assert sorted(published_urls(out)) == everything and set(published_urls(out).values()) == {1}
    assert store_written(out) == set(everything)
    names = sorted(p.name for p in (out / "crawl=news").rglob("nightly*"))
    assert names == ["nightly-2.failures.ndjson", "nightly-2.jsonl", "nightly-2.manifest.json",
                     "nightly.failures.ndjson", "nightly.jsonl", "nightly.manifest.json"], names


def test_two_sites_running_at_once_with_one_job_id_keep_their_own_files(tmp_path: Path) -> None:
    """Two generic crawls share the output name ``news``, hence the folder, but not the run lock."""
    out = tmp_path / "out"
    with story_site(6, delay=0.1, topic="harbour") as one, story_site(6, delay=0.1, topic="river") as two:
        # each its own log (beside its own root), one JSONL_ROOT for both
        crawls = [start_crawl(tmp_path / site.base_url.rsplit(":", 1)[1], "news", "-a", f"url={site.base_url}/",
                              settings={"JOB_ID": "nightly", "JSONL_ROOT": str(out)})
                  for site in (one, two)]
        for crawl in crawls:
            assert crawl.wait(120) == 0, crawl.log[-3000:]
        everything = sorted(stories(one) + stories(two))
    manifests = sorted(json.loads(p.read_text("utf-8"))["job_id"] for p in out.rglob("*.manifest.json"))
    assert manifests == ["nightly", "nightly-2"]
    assert sorted(published_urls(out)) == everything and set(published_urls(out).values()) == {1}
    assert store_written(out) == set(everything)
