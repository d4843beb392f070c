"""A kill at each transition of a job (docs/jobs.md), then (a) the same JOBDIR again or (b) a plain
re-run without it: no article is lost, and with the JOBDIR none is written twice. The killed crawl is a
subprocess (the kill is the point); the runs after it run in this process (tests/inprocess.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.faults.helpers import ARTICLES, KILL_AT, exactly_once, published_articles
from tests.harness import run_crawl as run_crawl_command
from tests.inprocess import run_crawl

POINTS = ["article_written:5", "closing", "pending_recorded", "dump_published", "failures_published",
          "manifest_temp", "manifest_published", "store_committed"]


@pytest.mark.parametrize("point", POINTS)
def test_kill_at_a_transition_loses_nothing(point: str, demo_server, tmp_path: Path) -> None:
    args = ["news", "-a", f"url={demo_server.base_url}/"]
    killed = tmp_path / "killed"
    first = run_crawl_command(killed / "out", *args, settings={"JOBDIR": str(killed / "job")}, env={KILL_AT: point})
    assert first.returncode == -9, first.log[-2000:]
    same, plain = tmp_path / "same", tmp_path / "plain"
    shutil.copytree(killed, same)
    shutil.copytree(killed, plain)

    resumed = run_crawl(same / "out", *args, settings={"JOBDIR": str(same / "job")})
    assert resumed.returncode == 0, resumed.log[-3000:]
    found = published_articles(same / "out", demo_server.base_url)
    assert exactly_once(found), (point, found)

    rerun = run_crawl(plain / "out", *args)
    assert rerun.returncode == 0, rerun.log[-3000:]
    found = published_articles(plain / "out", demo_server.base_url)
    assert sorted(found) == ARTICLES, (point, found)


def test_ctrl_c_with_jobdir_then_a_plain_run_loses_nothing(demo_server, tmp_path: Path) -> None:
    """An interrupted job's articles are in no published dump: the store must not call them written."""
    args = ["news", "-a", f"url={demo_server.base_url}/"]
    out = tmp_path / "out"
    stopped = run_crawl_command(out, *args, settings={"JOBDIR": str(tmp_path / "job")},
                        env={KILL_AT: "article_written:5", "PRESSWIRE_FAULT_SIGNAL": "SIGINT"})
    assert "Spider closed (shutdown)" in stopped.log, stopped.log[-2000:]
    rerun = run_crawl(out, *args)
    assert rerun.returncode == 0, rerun.log[-3000:]
    assert sorted(published_articles(out, demo_server.base_url)) == ARTICLES


def test_a_jobdir_is_reused_after_a_finished_run(demo_server, tmp_path: Path) -> None:
    args = ["news", "-a", f"url={demo_server.base_url}/"]
    settings = {"JOBDIR": str(tmp_path / "job"), "INCREMENTAL_ENABLED": "0"}
    first = run_crawl(tmp_path / "one", *args, settings=settings)
    assert first.returncode == 0, first.log[-2000:]
    second = run_crawl(tmp_path / "two", *args, settings=settings)
    assert second.returncode == 0, second.log[-2000:]
    assert exactly_once(published_articles(tmp_path / "two", demo_server.base_url))
