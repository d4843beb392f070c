"""The disk holding JOBDIR full as the spider closes: every write there (the job record, Scrapy's queue
state and spider.state) fails with ENOSPC. A failure like the dump's: exit 1 with one line, nothing
published, nothing counted by the store, and re-running the same command publishes every article once.

The full disk is real ENOSPC from the kernel: the files JOBDIR writes at close are made symlinks to
``/dev/full`` (every write to it fails with "No space left on device") once the crawl is running."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from tests.conftest import run_crawl
from tests.faults.helpers import KILL_AT
from tests.faults.stories import published_urls, store_written, stories, story_site
from tests.harness import start_crawl, wait_for
from tests.inprocess import run_crawl as in_process

FULL = ("presswire-job.tmp", "spider.state", "requests.queue/active.json")


def _fill(jobdir: Path) -> None:
    for name in FULL:
        (jobdir / name).parent.mkdir(parents=True, exist_ok=True)
        (jobdir / name).unlink(missing_ok=True)
        os.symlink("/dev/full", jobdir / name)


def _free(jobdir: Path) -> None:
    for name in FULL:
        if (jobdir / name).is_symlink():
            (jobdir / name).unlink()


def test_jobdir_disk_full_at_close_fails_like_the_dump_and_a_rerun_recovers(tmp_path: Path) -> None:
    jobdir, out = tmp_path / "job", tmp_path / "out"
    gate = threading.Event()
    with story_site(6, gate=gate) as site:
        args = ("news", "-a", f"url={site.base_url}/")
        crawl = start_crawl(out, *args, settings={"JOBDIR": str(jobdir)})
        try:
            wait_for(lambda: (jobdir / "presswire-job.json").exists() and len(site.requests) >= 3, 60,
                     "the crawl to start")
            _fill(jobdir)
            gate.set()
            assert crawl.wait(120) == 1, crawl.log[-3000:]
        finally:
            gate.set()
            crawl.process.kill()
            crawl.process.wait()
        log = crawl.log
        last = log.strip().splitlines()[-1]
        assert last.startswith("scrapy crawl: crawl of news failed: jobdir error: JOBDIR"), last
        assert "No space left on device" in last and "nothing published" in last, last
        summary = next(line for line in log.splitlines() if line.startswith("summary: "))
        assert "; dump " not in summary and "nothing published" in summary, summary
        assert "Traceback" not in log, log[-3000:]
        assert not list(out.rglob("*.manifest.json")) and not list(out.rglob("*.jsonl"))
        assert store_written(out) == set()

        _free(jobdir)  # space freed: the same command again
        again = run_crawl(out, *args, settings={"JOBDIR": str(jobdir)})
        assert again.returncode == 0, again.log[-3000:]
        found = published_urls(out)
        assert sorted(found) == stories(site) and set(found.values()) == {1}
        assert store_written(out) == set(stories(site))


def test_a_job_whose_record_missed_published_is_not_resumed_over_its_manifest(tmp_path: Path) -> None:
    """Killed right after its manifest with the record still saying ``closing`` (the write that would
    have said ``published`` failed): the next run with the JOBDIR is a new job and leaves the
    published files as they are."""
    jobdir, out = tmp_path / "job", tmp_path / "out"
    with story_site(5) as site:
        args = ("news", "-a", f"url={site.base_url}/")
        killed = run_crawl(out, *args, settings={"JOBDIR": str(jobdir)}, env={KILL_AT: "manifest_published"})
        assert killed.returncode == -9
        record = jobdir / "presswire-job.json"
        saved = json.loads(record.read_text("utf-8"))
        record.write_text(json.dumps({**saved, "state": "closing"}), "utf-8")
        published = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file() and "crawl=" in str(p)}
        again = in_process(out, *args, settings={"JOBDIR": str(jobdir)})
        assert again.returncode == 0, again.log[-3000:]
    assert again.run.job_id != saved["job_id"]
    assert {name: (out / "crawl=news").rglob(name).__next__().read_bytes() for name in published} == published
    assert sorted(published_urls(out)) == stories(site)
