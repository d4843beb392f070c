"""One set of counts: the progress line, the summary line, the manifest and the exit code say the same
thing, and it is what the dump and the failures file hold. Checked after a fresh run, a re-run that
finds nothing changed, ``-a all=1``, and a JOBDIR job resumed after a kill (a Redis run:
tests/services/test_redis_counts.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from demo_site.server import DemoServer
from tests.harness import TRUTH, read_jsonl, run_crawl
from tests.inprocess import crawl

ARTICLES = len(TRUTH["articles"])
SUMMARY = re.compile(
    r"summary: (?P<written>\d+) articles written \((?:(?P<new>\d+) new, (?P<changed>\d+) changed|all, the incremental "
    r"store is off)\), (?P<unchanged>\d+) unchanged since an earlier run \((?P<skipped_unchanged>\d+) of them not "
    r"fetched again\), (?P<recent>\d+) skipped \(fetched less than INCREMENTAL_RECRAWL_HOURS ago\), "
    r"(?P<duplicates>\d+) duplicates, (?P<without>\d+) pages without an article; (?P<sitemaps>\d+) sitemaps read, "
    r"(?P<listed>\d+) URLs listed, (?P<requests>\d+) article requests, (?P<window>\d+) out of window")
PROGRESS = re.compile(r"progress: (?P<pages>\d+) pages fetched, (?P<written>\d+) articles written, (?P<unchanged>\d+) "
                      r"unchanged, (?P<failed>\d+) failed, \d+ queued")


def agree(summary: str, manifest: dict[str, Any], dump: Path, failures: Path, progress: str | None = None) -> None:
    """Every reader of the counts against the others and against the published files."""
    found = SUMMARY.search(summary)
    assert found, summary
    said = {k: int(v) if v is not None else None for k, v in found.groupdict().items()}
    counts = manifest["counts"]
    # a run that wrote nothing publishes no dump, only its manifest
    assert (manifest["dump"] is None) == (not dump.exists()) == (counts["articles_written"] == 0), manifest
    lines = len(read_jsonl(dump)) if dump.exists() else 0
    failure_lines = len(read_jsonl(failures)) if failures.exists() else 0
    assert said["written"] == counts["articles_written"] == manifest["lines"] == lines
    assert (said["new"], said["changed"]) == (counts["new"], counts["changed"])
    assert said["unchanged"] == counts["unchanged"] and said["skipped_unchanged"] == counts["skipped_unchanged"]
    assert said["recent"] == counts["skipped_recently_fetched"] and said["duplicates"] == counts["duplicates"]
    assert said["without"] == counts["failures"] + counts["dropped"] == failure_lines
    assert (said["sitemaps"], said["listed"], said["requests"], said["window"]) == (
        counts["sitemaps_read"], counts["urls_listed"], counts["article_requests"], counts["out_of_window"])
    if progress is not None:
        shown = PROGRESS.search(progress)
        assert shown, progress
        assert int(shown["pages"]) == counts["pages_fetched"] and int(shown["written"]) == counts["articles_written"]
        assert int(shown["unchanged"]) == counts["unchanged"] and int(shown["failed"]) == counts["failures"]


def test_fresh_rerun_and_all(demo_server: DemoServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    url = f"{demo_server.base_url}/"
    fresh = crawl(out, "news", url=url)
    assert fresh.exit_problems == [] and fresh.manifest["counts"]["new"] == ARTICLES
    assert fresh.dump is not None and len(fresh.items) == ARTICLES
    assert fresh.run.counts.manifest() == fresh.manifest["counts"]
    agree(fresh.summary, fresh.manifest, fresh.dump, fresh.dump.with_name(fresh.manifest["failures_file"]),
          fresh.progress)

    again = crawl(out, "news", url=url)
    assert again.exit_problems == [] and again.records == []
    counts = again.manifest["counts"]
    # an unchanged article is counted once: here every one was known and not fetched again
    assert counts["unchanged"] == counts["skipped_unchanged"] == ARTICLES
    assert f"{ARTICLES} unchanged since an earlier run ({ARTICLES} of them not fetched again)" in again.summary
    assert again.dump is not None
    agree(again.summary, again.manifest, again.dump, again.dump.with_name(again.manifest["failures_file"]),
          again.progress)

    everything = crawl(out, "news", url=url, all="1")
    assert everything.exit_problems == [] and len(everything.records) == ARTICLES
    assert "all, the incremental store is off" in everything.summary
    assert everything.manifest["counts"]["new"] is None and everything.manifest["counts"]["unchanged"] == 0
    assert everything.dump is not None
    agree(everything.summary, everything.manifest, everything.dump,
          everything.dump.with_name(everything.manifest["failures_file"]), everything.progress)


def test_a_resumed_job_counts_every_session(demo_server: DemoServer, tmp_path: Path) -> None:
    """A job killed after 5 lines and resumed in its JOBDIR: the summary, the manifest and the dump all
    count the job's every article, not only the second session's (the killed one a subprocess: the kill is
    the point; the resumed one in this process)."""
    out, jobdir = tmp_path / "out", tmp_path / "job"
    args = ("news", "-a", f"url={demo_server.base_url}/")
    killed = run_crawl(out, *args, settings={"JOBDIR": str(jobdir)}, env={"PRESSWIRE_FAULT_KILL_AT": "article_written:5"})
    assert killed.returncode == -9
    resumed = crawl(out, "news", url=f"{demo_server.base_url}/", settings={"JOBDIR": str(jobdir)})
    assert resumed.returncode == 0, resumed.log[-3000:]
    assert resumed.manifest["counts"]["articles_written"] == ARTICLES == len(resumed.records)
    [summary] = [line for line in resumed.log.splitlines() if line.startswith("summary: ")]
    assert resumed.dump is not None
    agree(summary, resumed.manifest, resumed.dump, resumed.dump.with_name(resumed.manifest["failures_file"]))
