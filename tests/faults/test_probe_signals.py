"""Probes where the process is the point: a signal other than Ctrl-C, a working folder that is gone, a full
disk at start. Each names the fault and what must hold (docs/failures.md, "Further probes")."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.faults.helpers import published_articles
from tests.harness import fill, small_disk, start_crawl, wait_for
from tests.hostile.site import HostileSite, article_html, page, serve, slow
from tests.test_usage_walk import refusal

STORIES = [f"/news/2026/11/{10 + i}/story-number-{i}-about-the-harbour.html" for i in range(10)]


@pytest.fixture(scope="module")
def site() -> Iterator[HostileSite]:
    home = "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in STORIES) + "</body></html>"
    with serve({"/": page(home), **{p: slow(0.25, page(article_html(f"Story {i}"))) for i, p in enumerate(STORIES)}}) \
            as served:
        yield served


def _lines_in_part(out: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in out.rglob("*.dump.part"))


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_and_a_closed_terminal_close_the_crawl_and_publish(site: HostileSite, tmp_path: Path,
                                                                    signum: signal.Signals) -> None:
    """systemd's stop and `kill` send SIGTERM; closing the terminal (ssh gone) sends SIGHUP, which Scrapy
    leaves at its default: the process died on the spot, nothing published, nothing said."""
    out = tmp_path / "out"
    # one request at a time: the requests Scrapy's downloader holds are all fetched before it closes
    crawl = start_crawl(out, "news", "-a", f"url={site.base_url}/",
                        settings={"CONCURRENT_REQUESTS": "1", "INCREMENTAL_ENABLED": "0"})
    wait_for(lambda: _lines_in_part(out) >= 2, 60, "the first articles in the partial dump")
    crawl.process.send_signal(signum)
    assert crawl.wait(60) == 1, crawl.log[-3000:]
    assert f"scrapy crawl: {signum.name}: closing the crawl, publishing what was written" in crawl.log
    assert "finish reason: shutdown" in crawl.log and "Traceback" not in crawl.log
    found = published_articles(out, site.base_url)
    assert len(found) >= 2 and set(found.values()) == {1}, found


def test_a_working_folder_that_was_deleted_is_one_line(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    proc = subprocess.run([sys.executable, "-c", f"import os; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
                           "from scrapers.commands.cli import main; raise SystemExit(main(['crawl', 'http://127.0.0.1:9/']))"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stderr) == (2, "presswire: the current folder no longer exists (deleted or moved): "
                                                 "cd to a folder that exists\n")


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 kB tmpfs, filled up."""
    with small_disk(tmp_path / "full", "64k") as mount:
        fill(mount / "filler")
        yield mount


def test_a_full_output_disk_is_found_before_the_crawl(full_disk: Path, tmp_path: Path) -> None:
    """An empty file can still be made on a full disk: the check writes a byte. The dumps' disk, and the log's."""
    refused = refusal("news", {"url": "http://site.example/"}, full_disk / "out")
    assert str(refused) == f"JSONL_ROOT={full_disk / 'out'}: cannot write there (No space left on device)"
    refused = refusal("news", {"url": "http://site.example/"}, tmp_path / "out", LOG_FILE=str(full_disk / "crawl.log"))
    assert str(refused) == f"LOG_FILE={full_disk / 'crawl.log'}: cannot write there (No space left on device)"


def test_a_crawler_stopped_longer_than_the_download_timeout_loses_nothing(site: HostileSite, tmp_path: Path) -> None:
    """SIGSTOP for 3 s mid-crawl, then SIGCONT (a suspended laptop, a debugger, a frozen VM): the requests in
    flight come back past DOWNLOAD_TIMEOUT=2 (answered or timed out and retried, whichever the reactor sees
    first); every article is written once and the crawl succeeds."""
    out = tmp_path / "out"
    crawl = start_crawl(out, "news", "-a", f"url={site.base_url}/",
                        settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "INCREMENTAL_ENABLED": "0",
                                  "DOWNLOAD_TIMEOUT": "2"})
    wait_for(lambda: _lines_in_part(out) >= 1, 60, "the first article in the partial dump")
    crawl.process.send_signal(signal.SIGSTOP)
    written_before_the_stop = _lines_in_part(out)
    time.sleep(3)  # a second past DOWNLOAD_TIMEOUT for a request sent just before the stop
    crawl.process.send_signal(signal.SIGCONT)
    assert written_before_the_stop < len(STORIES)  # the fault happened mid-crawl
    assert crawl.wait(90) == 0, crawl.log[-3000:]
    assert published_articles(out, site.base_url) == {p: 1 for p in STORIES}


def test_a_log_disk_that_fills_during_the_crawl_is_one_line(site: HostileSite, tmp_path: Path) -> None:
    """LOG_FILE on a small disk that another program fills once the crawl writes articles, the dumps
    elsewhere: Python's logging printed a traceback for every record it could not write (hundreds of
    lines). Now one line says the log is lost from there; the crawl goes on."""
    with small_disk(tmp_path / "logs", "64k") as logs:
        out = tmp_path / "out"
        crawl = start_crawl(out, "news", "-a", f"url={site.base_url}/",
                            settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "INCREMENTAL_ENABLED": "0",
                                      "LOG_FILE": str(logs / "crawl.log")})
        wait_for(lambda: _lines_in_part(out) >= 1, 60, "a first article written")
        fill(logs / "filler")  # the disk fills mid-crawl
        fill(logs / "crawl.log")  # and the log's last page, which a small log line would still fit in
        assert crawl.wait(90) == 0, crawl.log[-3000:]
    lines = crawl.log.splitlines()
    assert lines[0] == (f"scrapy crawl: LOG_FILE={logs / 'crawl.log'}: cannot write (No space left on device); the "
                        "log is lost from here, the crawl goes on"), crawl.log[-3000:]
    assert len(lines) == 2 and lines[1].startswith("summary: 10 articles written")
    assert published_articles(out, site.base_url) == {p: 1 for p in STORIES}


@pytest.mark.parametrize("program", ["presswire", "scrapy"])
def test_ctrl_c_during_validate_is_one_line(tmp_path: Path, program: str) -> None:
    """Commands without a stop of their own (validate, export, health) printed Python's traceback."""
    record = json.dumps({"url": "https://site.example/a", "title": "T", "body": "word " * 400}) + "\n"
    (tmp_path / "big.jsonl").write_text(record * 20_000, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if program == "presswire":
        env.pop("SCRAPY_SETTINGS_MODULE", None)
        command = [sys.executable, "-c", "from scrapers.commands.cli import main; raise SystemExit("
                   f"main(['validate', {str(tmp_path)!r}]))"]
    else:
        command = [sys.executable, "-m", "scrapy", "validate", str(tmp_path)]
    process = subprocess.Popen(command, cwd=tmp_path if program == "presswire" else ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    fds = Path(f"/proc/{process.pid}/fd")
    wait_for(lambda: process.poll() is not None or any(
        os.readlink(fd).endswith("big.jsonl") for fd in fds.iterdir()), 60, "validate reading the dump")
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (130, f"{program} validate: Ctrl-C (SIGINT): stopped\n")


def _connecting_to(port: int) -> int:
    """Connections to 127.0.0.1:``port`` still waiting for the server's answer (SYN_SENT)."""
    state_syn_sent = "02"
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for row in rows if row.split()[2].endswith(f":{port:04X}") and row.split()[3] == state_syn_sent)


def test_ctrl_c_while_the_start_url_is_checked_is_one_line(tmp_path: Path) -> None:
    """A host that takes its time to answer (here a listening socket whose queue is full: connections wait)
    keeps the crawl in its start-up check, before Scrapy's signal handlers exist: Ctrl-C was a traceback."""
    with socket.socket() as server, socket.socket() as queued:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        queued.connect(("127.0.0.1", port))  # fills the queue: the next connection is not answered
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen([sys.executable, "-m", "scrapy", "crawl", "news", "-a",
                                    f"url=http://127.0.0.1:{port}/", "-s", f"JSONL_ROOT={tmp_path / 'out'}",
                                    "-s", "DOWNLOAD_TIMEOUT=60"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True)
        wait_for(lambda: process.poll() is not None or _connecting_to(port), 60, "the start URL's check")
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (130, "scrapy crawl: Ctrl-C (SIGINT): stopped before the crawl started; "
                                                 "nothing fetched, nothing written\n")
