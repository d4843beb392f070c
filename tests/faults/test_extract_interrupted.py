"""A signal during ``scrapy extract`` (saved pages, WARCs) and ``scrapy reextract``
(scrapers/commands/interrupted.py). Before: Ctrl-C printed a 50-line ``KeyboardInterrupt`` traceback,
left a ``.dump.part`` behind and said nothing of what was written; SIGTERM killed the command on the
spot. Now: one line, exit 128 + the signal's number, what was written kept (``extract``) or nothing
published (``reextract``: a partial version would lack pages the job has), no ``.part`` and no worker
left. A process group of its own, as a terminal gives a command: its Ctrl-C reaches the workers too.
Also a crawl with extraction workers: its graceful stop from a terminal lets the pages in flight finish."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.archive_files import numbered_articles, write_warc
from tests.conftest import ROOT, read_jsonl
from tests.harness import wait_for
from tests.hostile.site import HostileSite, article_html, page, serve, slow

SITE = "https://quay.example"
PAGES = 60
SLOW = ["-s", "EXTRACTION_WORKERS=2", "-s", "EXTRACTION_FUNCTION=tests.worker_functions.slow_extraction"]


class Command:
    """``scrapy ARGS`` in a session (a process group) of its own, marked so its workers can be found."""

    def __init__(self, *args: str) -> None:
        self.mark = uuid.uuid4().hex
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PRESSWIRE_TEST_MARK": self.mark}
        self.process = subprocess.Popen([sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)

    def wait_for(self, check: Callable[[], Any], what: str) -> None:
        wait_for(lambda: check() or self.process.poll() is not None, 60, what)
        assert self.process.poll() is None, self.finish()

    def ctrl_c(self) -> None:
        """What a terminal does: SIGINT to every process of the foreground group."""
        os.killpg(self.process.pid, signal.SIGINT)

    def finish(self, timeout: float = 60) -> tuple[int, bytes, str]:
        stdout, stderr = self.process.communicate(timeout=timeout)
        return self.process.returncode, stdout, stderr.decode("utf-8", "replace")

    def left_behind(self) -> list[int]:
        """Processes of this command still alive (its workers, the forkserver), a moment after it exited."""
        def alive() -> list[int]:
            found = []
            for environ in Path("/proc").glob("[0-9]*/environ"):
                try:
                    if f"PRESSWIRE_TEST_MARK={self.mark}".encode() in environ.read_bytes():
                        found.append(int(environ.parent.name))
                except OSError:  # gone, or not ours to read
                    pass
            return found
        deadline = time.monotonic() + 5
        while alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        return alive()


def lines_in(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for n, found in enumerate(numbered_articles(SITE, PAGES)):
        (folder / f"story-{n:02}.html").write_bytes(found.body)
    return folder


@pytest.fixture(scope="module")
def warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warc") / "job.warc.gz"
    write_warc(path, numbered_articles(SITE, PAGES))
    return path


def test_ctrl_c_during_extract_of_pages_publishes_what_was_written(pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    command = Command("extract", str(pages), "--base-url", f"{SITE}/", "-o", str(out), *SLOW)
    command.wait_for(lambda: lines_in(tmp_path / "out.dump.part") >= 2, "the first articles in the partial output")
    command.ctrl_c()
    code, _, stderr = command.finish()
    assert code == 130 and "Traceback" not in stderr, stderr
    written = lines_in(out)
    assert 2 <= written < PAGES
    assert stderr.splitlines() == [
        f"scrapy extract: Ctrl-C (SIGINT): stopped after {written} of {PAGES} pages, the pages in progress "
        "dropped; what was written is kept",
        f"{written} articles written to {out}, 0 pages without an article"]
    manifest = json.loads((tmp_path / "out.manifest.json").read_text("utf-8"))
    assert (manifest["finish_reason"], manifest["lines"], manifest["counts"]["articles_written"]) == \
        ("shutdown", written, written)
    assert all(r["title"].startswith("Council story") for r in read_jsonl(out))
    assert not list(tmp_path.glob("*.part")) and command.left_behind() == []


def test_ctrl_c_during_extract_to_standard_output_ends_on_a_whole_line(pages: Path, tmp_path: Path) -> None:
    command = Command("extract", str(pages), "--base-url", f"{SITE}/", *SLOW)
    assert command.process.stdout is not None
    first = command.process.stdout.readline()  # the first record: the loop runs
    command.ctrl_c()
    code, stdout, stderr = command.finish()
    records = [json.loads(line) for line in (first + stdout).splitlines()]  # every line whole
    assert code == 130 and stderr.splitlines() == [
        f"scrapy extract: Ctrl-C (SIGINT): stopped after {len(records)} of {PAGES} pages, the pages in progress "
        "dropped; what was written is kept"]
    assert command.left_behind() == []


def test_sigterm_during_extract_of_a_warc_publishes_what_was_written(warc: Path, tmp_path: Path) -> None:
    """A service manager's stop: SIGTERM to the command alone (systemd's KillMode=mixed)."""
    out = tmp_path / "out.jsonl"
    command = Command("extract", str(warc), "-o", str(out), *SLOW)
    command.wait_for(lambda: lines_in(tmp_path / "out.dump.part") >= 2, "the first articles in the partial output")
    command.process.send_signal(signal.SIGTERM)
    code, _, stderr = command.finish()
    assert code == 143 and "Traceback" not in stderr, stderr
    written = lines_in(out)
    lines = stderr.splitlines()
    assert lines[0] == ("scrapy extract: SIGTERM: stopped before the end of the input, the pages in progress "
                        "dropped; what was written is kept")
    assert len(lines) == 2 and lines[1].startswith(f"{written} articles written to {out}, 0 failed ("), lines
    assert 2 <= written < PAGES
    assert json.loads((tmp_path / "out.manifest.json").read_text("utf-8"))["finish_reason"] == "shutdown"
    assert (tmp_path / "out.failures.ndjson").exists()
    assert not list(tmp_path.glob("*.part")) and command.left_behind() == []


def test_ctrl_c_during_reextract_publishes_nothing(warc: Path, tmp_path: Path) -> None:
    job = tmp_path / "job"
    job.mkdir()
    (job / "job.warc.gz").write_bytes(warc.read_bytes())
    made = subprocess.run([sys.executable, "-m", "scrapy", "extract", str(job / "job.warc.gz"), "-o",
                           str(job / "job.jsonl"), "-s", "EXTRACTION_WORKERS=0"], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    before = {p.name: p.read_bytes() for p in job.iterdir()}
    command = Command("reextract", str(job / "job.jsonl"), *SLOW)
    command.wait_for(lambda: any(lines_in(p) for p in job.glob("*.dump.part")), "the first re-extracted articles")
    command.ctrl_c()
    code, _, stderr = command.finish()
    assert code == 130 and "Traceback" not in stderr, stderr
    [line] = stderr.splitlines()
    assert line.startswith("scrapy reextract: Ctrl-C (SIGINT): stopped after ")
    assert line.endswith(f" of the {PAGES} records of job.jsonl; nothing published, the source is unchanged (run the "
                         "same command again)")
    assert {p.name: p.read_bytes() for p in job.iterdir()} == before
    assert command.left_behind() == []


STORIES = [f"/news/2026/11/{10 + i}/quay-story-{i}.html" for i in range(12)]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGHUP], ids=["Ctrl-C", "terminal-closed"])
def test_a_crawl_stopped_from_its_terminal_lets_the_extraction_workers_finish_their_pages(
        tmp_path: Path, signum: signal.Signals) -> None:
    """A terminal's Ctrl-C and its hang-up reach the extraction workers too. The crawl's graceful stop waits
    for the pages in flight; on SIGHUP each worker died mid-page and those pages became failure lines."""
    home = "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in STORIES) + "</body></html>"
    routes = {"/": page(home), **{p: slow(0.2, page(article_html(f"Quay story {i}"))) for i, p in enumerate(STORIES)}}
    with serve(routes) as site:
        crawl = _crawl(site, tmp_path)
        crawl.wait_for(lambda: any(lines_in(p) for p in (tmp_path / "out").rglob("*.dump.part")),
                       "the first articles in the partial dump")
        os.killpg(crawl.process.pid, signum)
        code, _, stderr = crawl.finish(90)
    assert "Traceback" not in stderr, stderr
    failures = [json.loads(line) for path in (tmp_path / "out").rglob("*.failures.ndjson")
                for line in path.read_text("utf-8").splitlines()]
    assert failures == [] and code == 1, (code, failures, stderr[-2000:])  # 1: a stopped crawl ended early
    assert crawl.left_behind() == []


def _crawl(site: HostileSite, tmp_path: Path) -> Command:
    return Command("crawl", "news", "-a", f"url={site.base_url}/", "-s", f"JSONL_ROOT={tmp_path / 'out'}",
                   "-s", "INCREMENTAL_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", "LOG_LEVEL=WARNING",
                   *SLOW)


def test_an_extract_killed_mid_run_publishes_nothing_and_the_next_run_writes_whole(pages: Path,
                                                                                  tmp_path: Path) -> None:
    """SIGKILL (the OOM killer) while ``-o`` is written: its ``.part`` is never published, and the next run
    takes the name over (the lock died with the process) and starts it afresh, no killed run's line in it."""
    out = tmp_path / "out.jsonl"
    command = Command("extract", str(pages), "--base-url", f"{SITE}/", "-o", str(out), *SLOW)
    command.wait_for(lambda: lines_in(tmp_path / "out.dump.part") >= 2, "the first articles in the partial output")
    command.process.kill()
    command.finish()
    assert not out.exists() and lines_in(tmp_path / "out.dump.part") >= 2
    again = subprocess.run([sys.executable, "-m", "scrapy", "extract", str(pages), "--base-url", f"{SITE}/", "-o",
                            str(out), "-s", "EXTRACTION_WORKERS=0"], cwd=ROOT, capture_output=True, text=True,
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert again.returncode == 0, again.stderr
    urls = [r["url"] for r in read_jsonl(out)]
    assert len(urls) == len(set(urls)) == PAGES and not (tmp_path / "out.dump.part").exists()
    assert command.left_behind() == []
