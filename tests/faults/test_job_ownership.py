"""A JOBDIR belongs to one job until that job is published: a crawl of another site given it is refused
at start (exit 2, one line naming the job that owns it); a second crawl of the same site while the first
runs is refused with exit 75. Nothing of the owning job is lost, and the refused crawl, given its own
JOBDIR, publishes all of its articles."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from scrapers.commands.crawl import EXIT_LOCKED
from tests.conftest import run_crawl
from tests.faults.helpers import KILL_AT
from tests.faults.stories import published_urls, stories, story_site
from tests.harness import start_crawl, wait_for
from tests.inprocess import run_crawl as in_process

ONE_AT_A_TIME = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1"}


def _refusal(log: str) -> str:
    assert "Traceback" not in log, log[-3000:]
    return log.strip().splitlines()[-1]


def test_a_running_jobs_jobdir_is_refused_to_another_site_and_to_the_same_site(tmp_path: Path) -> None:
    jobdir = tmp_path / "job"
    gate = threading.Event()  # the first crawl's articles wait until both refusals are checked
    with story_site(8, gate=gate) as harbour, story_site(5, topic="river") as river:
        first = start_crawl(tmp_path / "harbour", "news", "-a", f"url={harbour.base_url}/",
                            settings={"JOBDIR": str(jobdir), **ONE_AT_A_TIME})
        try:
            wait_for(lambda: (jobdir / "presswire-job.json").exists() and len(harbour.requests) >= 2, 60,
                     "the first crawl to start its job")
            other = run_crawl(tmp_path / "river", "news", "-a", f"url={river.base_url}/",
                              settings={"JOBDIR": str(jobdir)})
            line = _refusal(other.log)
            assert other.returncode == 2, other.log[-3000:]
            owner = "news@" + harbour.base_url.split("://")[1]
            assert line.startswith("scrapy crawl: JOBDIR") and owner in line and "its own JOBDIR" in line, line
            assert not list((tmp_path / "river").rglob("*.part")) and len(river.requests) == 0

            # the same site, another output root (so another run lock): the JOBDIR is still in use
            same = run_crawl(tmp_path / "again", "news", "-a", f"url={harbour.base_url}/",
                             settings={"JOBDIR": str(jobdir)})
            line = _refusal(same.log)
            assert same.returncode == EXIT_LOCKED, same.log[-3000:]
            assert f"another crawl is running with JOBDIR {jobdir} (pid {first.pid})" in line, line
            gate.set()
            assert first.wait(120) == 0, first.log[-3000:]
        finally:
            gate.set()
            first.process.kill()
            first.process.wait()
        assert sorted(published_urls(tmp_path / "harbour")) == stories(harbour)

        # the refused crawl, given its own JOBDIR
        again = in_process(tmp_path / "river", "news", "-a", f"url={river.base_url}/",
                          settings={"JOBDIR": str(tmp_path / "river-job")})
        assert again.returncode == 0, again.log[-3000:]
        assert sorted(published_urls(tmp_path / "river")) == stories(river)


def test_an_unfinished_jobs_jobdir_is_refused_to_another_site_and_the_job_resumes(tmp_path: Path) -> None:
    jobdir = tmp_path / "job"
    with story_site(6) as harbour, story_site(4, topic="river") as river:
        killed = run_crawl(tmp_path / "harbour", "news", "-a", f"url={harbour.base_url}/",
                           settings={"JOBDIR": str(jobdir)}, env={KILL_AT: "article_written:3"})
        assert killed.returncode == -9
        record = json.loads((jobdir / "presswire-job.json").read_text("utf-8"))
        assert record["owner"] == {"spider": "news", "name": "news",
                                   "crawl": "news@" + harbour.base_url.split("://")[1]}

        other = run_crawl(tmp_path / "river", "news", "-a", f"url={river.base_url}/",
                          settings={"JOBDIR": str(jobdir)})
        assert other.returncode == 2, other.log[-3000:]
        assert f"belongs to job {record['job_id']}" in _refusal(other.log)

        resumed = in_process(tmp_path / "harbour", "news", "-a", f"url={harbour.base_url}/",
                            settings={"JOBDIR": str(jobdir)})
        assert resumed.returncode == 0, resumed.log[-3000:]
        found = published_urls(tmp_path / "harbour")
        assert sorted(found) == stories(harbour) and set(found.values()) == {1}
        # published: the JOBDIR is free again, for any crawl
        reused = in_process(tmp_path / "river", "news", "-a", f"url={river.base_url}/",
                           settings={"JOBDIR": str(jobdir)})
        assert reused.returncode == 0, reused.log[-3000:]
        assert sorted(published_urls(tmp_path / "river")) == stories(river)


def test_a_published_jobs_jobdir_is_free_even_when_its_record_was_not_cleared(tmp_path: Path) -> None:
    """Killed after the store commit, before the record was removed: the job is done, so another site may
    use the JOBDIR."""
    jobdir = tmp_path / "job"
    with story_site(3) as harbour, story_site(3, topic="river") as river:
        killed = run_crawl(tmp_path / "harbour", "news", "-a", f"url={harbour.base_url}/",
                           settings={"JOBDIR": str(jobdir)}, env={KILL_AT: "store_committed"})
        assert killed.returncode == -9
        assert json.loads((jobdir / "presswire-job.json").read_text("utf-8"))["state"] == "published"
        other = in_process(tmp_path / "river", "news", "-a", f"url={river.base_url}/",
                           settings={"JOBDIR": str(jobdir)})
        assert other.returncode == 0, other.log[-3000:]
        assert sorted(published_urls(tmp_path / "river")) == stories(river)
        assert sorted(published_urls(tmp_path / "harbour")) == stories(harbour)
