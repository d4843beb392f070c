"""Faults that used to be only a log line, or nothing: each one now fails the run with its reason,
and nothing torn is ever published. A crawl under a file-size limit (a process's resource limit) or
killed is a subprocess; the others run in this process."""

from __future__ import annotations

import hashlib
import json
import resource
from pathlib import Path

from tests.commandline import run_command
from tests.conftest import TRUTH, run_crawl
from tests.faults.helpers import ARTICLES, KILL_AT, published_articles
from tests.inprocess import run_crawl as run_in_process

FILE_SIZE_LIMIT = 40_000  # bytes: the dump of the demo site is about 100 kB


def _limit_file_size() -> None:
    # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))


def test_a_write_error_publishes_nothing_and_fails(demo_server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    # the store is switched off: under this limit SQLite's WAL index cannot be mapped (a disk I/O
    # error, reported before the crawl starts); the dump is the file that must hit the limit here
    crawl = run_crawl(out, "news", "-a", f"url={demo_server.base_url}/", preexec_fn=_limit_file_size,
                      settings={"INCREMENTAL_ENABLED": "0"})
    assert crawl.returncode == 1, crawl.log[-3000:]
    assert "write error" in crawl.log and "File too large" in crawl.log
    assert not list(out.rglob("*.manifest.json")) and not list(out.rglob("*.jsonl"))
    parts = list(out.rglob("*.dump.part"))
    assert parts and parts[0].stat().st_size <= FILE_SIZE_LIMIT  # kept for inspection


def test_a_pipeline_error_is_a_failure_line_and_every_pipeline_closes(demo_server, tmp_path: Path) -> None:
    victim = ARTICLES[0]
    marker = tmp_path / "closed"
    pipelines = {
        "tests.faults.raising_pipeline.MarkerPipeline": 250,
        "tests.faults.raising_pipeline.RaisingPipeline": 350,
        "pipelines.record.RecordPipeline": 800,
    }
    crawl = run_in_process(tmp_path / "out", "news", "-a", f"url={demo_server.base_url}/",
                      settings={"ITEM_PIPELINES": json.dumps(pipelines), "FAULT_RAISE_ON": victim,
                                "FAULT_CLOSED_MARKER": str(marker)})
    assert crawl.returncode == 1, crawl.log[-3000:]  # the bug in close_spider fails the run
    assert "pipeline error: tests.faults.raising_pipeline.RaisingPipeline.close_spider" in crawl.log
    errors = [f for f in crawl.failures if f["reason"] == "item_error"]
    assert [f["url"][len(demo_server.base_url):] for f in errors] == [victim]
    assert crawl.manifest["counts"]["failures_by_reason"]["item_error"] == 1
    assert sorted(r["url"][len(demo_server.base_url):] for r in crawl.records) == [a for a in ARTICLES if a != victim]
    assert marker.read_text("utf-8") == "closed"  # closed after the raising one (Scrapy closes in reverse)


def test_validate_reports_a_torn_or_missing_manifest(demo_crawl, tmp_path: Path) -> None:
    dump = tmp_path / demo_crawl.dump.name
    dump.write_bytes(demo_crawl.dump.read_bytes())
    manifest = dump.with_name(dump.name.removesuffix(".jsonl") + ".manifest.json")
    for text, finding in [(None, "no manifest"), ('{"job_id": "x", "sha', "is unreadable")]:
        if text is not None:
            manifest.write_text(text, "utf-8")
        result = run_command("validate", str(dump))
        assert result.returncode == 1, result.stdout
        assert finding in result.stdout and "Traceback" not in result.stderr, result.stdout + result.stderr


def test_validate_reports_a_manifest_whose_article_count_the_dump_does_not_hold(demo_crawl, tmp_path: Path) -> None:
    """A dump emptied before its manifest was written (two runs given one output name did that) matches the
    manifest's digest and line count: only the run's own count of articles written tells."""
    dump = tmp_path / demo_crawl.dump.name
    dump.write_bytes(b"")
    manifest = json.loads(demo_crawl.dump.with_name(dump.name.removesuffix(".jsonl") + ".manifest.json")
                          .read_text("utf-8"))
    written = manifest["counts"]["articles_written"]
    manifest.update(sha256=hashlib.sha256(b"").hexdigest(), lines=0)
    dump.with_name(dump.name.removesuffix(".jsonl") + ".manifest.json").write_text(json.dumps(manifest), "utf-8")
    result = run_command("validate", str(dump))
    assert result.returncode == 1, result.stdout
    assert f"the manifest counts {written} articles written, the file holds 0 records" in result.stdout


def test_a_kill_while_the_manifest_is_written_leaves_no_torn_manifest(demo_server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    crawl = run_crawl(out, "news", "-a", f"url={demo_server.base_url}/", env={KILL_AT: "manifest_temp"})
    assert crawl.returncode == -9
    assert not list(out.rglob("*.manifest.json"))
    result = run_command("validate", str(out))
    assert "no manifest" in result.stdout and "Traceback" not in result.stderr
    assert len(TRUTH["articles"]) == len(ARTICLES)
    assert published_articles(out, demo_server.base_url) == {}
