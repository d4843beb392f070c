"""Dumps as data teams use them: incremental re-runs, versions, schema checks, real loaders."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from demo_site.server import DEFAULT_ROOT, start_server
from tests.commandline import run_command
from tests.conftest import ROOT, TRUTH, CrawlResult
from tests.inprocess import run_crawl

ARTICLES = sorted(TRUTH["articles"])


def test_pandas_reads_the_documented_types(demo_crawl: CrawlResult) -> None:
    frame = pd.read_json(demo_crawl.dump, lines=True, dtype=False)
    assert len(frame) == len(ARTICLES)
    assert frame["id"].is_unique
    assert all(isinstance(v, list) for v in frame["authors"]) and all(isinstance(v, list) for v in frame["images"])
    published = pd.to_datetime(frame["date_published"].dropna(), utc=True, format="ISO8601")
    assert published.notna().all() and len(published) > 0
    assert set(frame["is_paywalled"].dropna()) <= {True, False}
    assert (frame["schema_version"] == "1.1").all()


def test_duckdb_reads_the_documented_types(demo_crawl: CrawlResult) -> None:
    con = duckdb.connect()
    rows = con.execute(
        "SELECT count(*), count(DISTINCT id), sum(len(authors)), max(len(images)) FROM read_json_auto(?)",
        [str(demo_crawl.dump)],
    ).fetchone()
    assert rows[0] == rows[1] == len(ARTICLES)
    assert rows[2] >= len(ARTICLES) - 2 and rows[3] >= 1
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_json_auto(?))",
                             [str(demo_crawl.dump)]).fetchall())
    assert types["authors"] == "VARCHAR[]"
    assert types["tags"] == "VARCHAR[]"
    assert types["is_paywalled"] == "BOOLEAN"
    assert types["images"].startswith("STRUCT(") and types["images"].endswith("[]")
    assert types["body"] == "VARCHAR"


def test_validate_command_accepts_a_real_dump_and_flags_a_broken_one(demo_crawl: CrawlResult, tmp_path) -> None:
    ok = run_command("validate", str(demo_crawl.dump))
    assert ok.returncode == 0, ok.stdout
    assert f"{len(ARTICLES)} records, {len(ARTICLES)} valid" in ok.stdout
    broken = tmp_path / "broken.jsonl"
    lines = demo_crawl.dump.read_text("utf-8").splitlines()
    record = json.loads(lines[0])
    record["date_published"] = "last Tuesday"
    broken.write_text("\n".join([json.dumps(record), lines[1], "{not json"]) + "\n", "utf-8")
    bad = run_command("validate", str(broken))
    assert bad.returncode == 1
    assert "3 records, 1 valid, 2 invalid" in bad.stdout
    assert "line 1: date_published" in bad.stdout and "line 3: not JSON" in bad.stdout


@pytest.fixture()
def site_copy(tmp_path: Path) -> Path:
    site = tmp_path / "www"
    shutil.copytree(DEFAULT_ROOT, site)
    return site


def test_second_run_writes_only_new_and_changed_articles(site_copy: Path, tmp_path: Path) -> None:
    """Every known URL fetched again and its text compared (the demo site's sitemaps do not say what
    changed, so incremental discovery would not fetch the corrected article: tests/test_scheduled.py)."""
    out = tmp_path / "out"
    changed_path, template_path = ARTICLES[0], ARTICLES[1]
    refetch = {"INCREMENTAL_DISCOVERY": "0"}
    with start_server(root=site_copy) as server:
        first = run_crawl(out, "news", "-a", f"url={server.base_url}/", settings=refetch)
        assert first.returncode == 0 and len(first.records) == len(ARTICLES)
        assert {r["version"] for r in first.records} == {1}

        unchanged = run_crawl(out, "news", "-a", f"url={server.base_url}/", settings={"JOB_ID": "rerun", **refetch})
        assert unchanged.records == [] and unchanged.manifest["counts"]["unchanged"] == len(ARTICLES)

        changed = site_copy / changed_path.lstrip("/")
        first_words = TRUTH["articles"][changed_path]["body_first_words"]
        changed.write_text(changed.read_text("utf-8").replace(first_words, "Correction: " + first_words, 1), "utf-8")
        new_path = template_path.replace(".html", "-follow-up.html")
        (site_copy / new_path.lstrip("/")).write_text(
            (site_copy / template_path.lstrip("/")).read_text("utf-8").replace(template_path, new_path)
            .replace(TRUTH["articles"][template_path]["body_first_words"], "In a follow-up to last week's story,"),
            "utf-8")
        index = site_copy / "index.html"
        index.write_text(index.read_text("utf-8").replace("</body>", f'<a href="{new_path}">Follow-up</a></body>'),
                         "utf-8")
        second = run_crawl(out, "news", "-a", f"url={server.base_url}/", settings={"JOB_ID": "second", **refetch})
    assert second.returncode == 0, second.log[-2000:]
    written = {r["url"][len(server.base_url):]: r for r in second.records}
    assert set(written) == {changed_path, new_path}
    assert written[changed_path]["version"] == 2
    assert written[changed_path]["id"] == next(r["id"] for r in first.records if r["url"].endswith(changed_path))
    assert written[changed_path]["body"].startswith("Correction: ")
    assert written[new_path]["version"] == 1
    assert second.manifest["counts"]["unchanged"] == len(ARTICLES) - 1
    assert second.manifest["counts"]["articles_written"] == second.manifest["lines"] == 2


def test_store_expires_old_entries(tmp_path: Path) -> None:
    import datetime as dt

    from scrapers.incremental.store import Entry, SeenStore

    store = SeenStore(tmp_path / "seen.sqlite")
    manifest = tmp_path / "job.manifest.json"
    store.record_pending("job", manifest, "news", [Entry("a" * 32, "https://news.example/a", "h1", 1, True)])
    manifest.touch()
    assert store.promote_published() == (["job"], [])
    assert store.expire(dt.datetime.now(dt.UTC) - dt.timedelta(days=1)) == 0
    assert store.expire(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)) == 1
    assert store.lookup("news", "a" * 32) is None


def test_interrupted_job_resumes_without_loss_or_duplicates(demo_server, tmp_path: Path) -> None:
    """Ctrl-C (SIGINT) mid-crawl, then the same JOBDIR again: every article exactly once."""
    import os
    import signal
    import time

    out, jobdir = tmp_path / "out", tmp_path / "job"
    args = ["news", "-a", f"url={demo_server.base_url}/"]
    slow = {"JOBDIR": str(jobdir), "CONCURRENT_REQUESTS": "1", "DOWNLOAD_DELAY": "0.15"}
    command = [sys.executable, "-m", "scrapy", "crawl", *args]
    for name, value in {"JSONL_ROOT": str(out), "AUTOTHROTTLE_ENABLED": "0", "EXTRACTION_WORKERS": "0",
                        **slow}.items():
        command += ["-s", f"{name}={value}"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    parts: list[Path] = []
    while time.monotonic() < deadline:
        parts = list(out.rglob("*.dump.part"))
        if parts and parts[0].read_bytes().count(b"\n") >= 3:
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, log = proc.communicate(timeout=60)
    assert "Spider closed (shutdown)" in log and "Traceback" not in log, log[-2000:]
    assert parts and not list(out.rglob("*.manifest.json")), "an interrupted job must not publish its dump"
    written_before = parts[0].read_bytes().count(b"\n")
    assert 3 <= written_before < len(ARTICLES)

    resumed = run_crawl(out, *args, settings={"JOBDIR": str(jobdir)})  # the resume needs no process of its own
    assert resumed.returncode == 0, resumed.log[-2000:]
    paths = sorted(r["url"][len(demo_server.base_url):] for r in resumed.records)
    assert paths == ARTICLES
    assert resumed.manifest["lines"] == len(ARTICLES)
    assert os.path.exists(resumed.dump) and not list(out.rglob("*.part"))


def test_recrawl_interval_skips_recently_written_articles(site_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with start_server(root=site_copy) as server:
        first = run_crawl(out, "news", "-a", f"url={server.base_url}/", settings={"INCREMENTAL_RECRAWL_HOURS": "1"})
        assert len(first.records) == len(ARTICLES)
        fetched_before = len(server.requested)
        second = run_crawl(out, "news", "-a", f"url={server.base_url}/",
                           settings={"INCREMENTAL_RECRAWL_HOURS": "1", "JOB_ID": "again"})
        refetched = [p for p in server.requested[fetched_before:] if p in TRUTH["articles"]]
    assert second.returncode == 0, second.log[-2000:]
    assert refetched == [] and second.records == []
