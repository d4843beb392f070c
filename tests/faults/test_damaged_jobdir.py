"""A JOBDIR left by Ctrl-C whose queue or spider state was torn afterwards (a disk that filled, a
copy cut short, a stop at the wrong moment) is detected at start: one line naming the file and
saying how to recover, exit 2, instead of a traceback at every later run. The Ctrl-C is a subprocess;
the refusals run the crawl command in this process (tests/commandline.py), the crawls after them too."""

from __future__ import annotations

import json
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.commandline import crawl_command
from tests.harness import start_crawl, wait_for
from tests.hostile.site import HostileSite, article_html, page, serve, slow
from tests.inprocess import run_crawl

STORIES = [f"/news/2026/11/{10 + i % 18}/story-number-{i}-about-the-harbour.html" for i in range(30)]
# one worker makes the interrupted JOBDIR (a Ctrl-C'd crawl) once and every test copies it
pytestmark = pytest.mark.xdist_group("damaged_jobdir")


@pytest.fixture(scope="module")
def site() -> Iterator[HostileSite]:
    home = "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in STORIES) + "</body></html>"
    with serve({"/": page(home), **{p: slow(0.5, page(article_html(f"Story {i}"))) for i, p in enumerate(STORIES)}}) \
            as served:
        yield served


@pytest.fixture(scope="module")
def interrupted(site: HostileSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JOBDIR of a crawl stopped with Ctrl-C while most of its requests were still queued (one request at a
    time: the requests Scrapy's downloader already holds are all fetched before it closes)."""
    folder = tmp_path_factory.mktemp("interrupted")
    jobdir = folder / "job"
    crawl = start_crawl(folder / "out", "news", "-a", f"url={site.base_url}/",
                        settings={"JOBDIR": str(jobdir), "CONCURRENT_REQUESTS": "1",
                                  "INCREMENTAL_ENABLED": "0"})
    wait_for(lambda: len(site.requests) >= 3, 60, "the crawl to fetch its first pages")
    crawl.process.send_signal(signal.SIGINT)
    crawl.wait(60)
    assert json.loads((jobdir / "presswire-job.json").read_text("utf-8"))["state"] == "interrupted"
    assert (jobdir / "spider.state").exists() and (jobdir / "requests.queue" / "active.json").exists()
    return jobdir


def _queue_file(jobdir: Path) -> Path:
    return next(p for p in (jobdir / "requests.queue").rglob("*") if p.is_file() and p.name != "active.json")


def _cut(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


DAMAGE: dict[str, Callable[[Path], str]] = {
    "queue-cut": lambda j: (_cut(_queue_file(j)), "requests.queue")[1],
    "queue-header-lies": lambda j: (_queue_file(j).write_bytes(b"\x00\x00\x03\xe8" + _queue_file(j).read_bytes()[4:]),
                                    "requests.queue")[1],
    "active-json-garbage": lambda j: ((j / "requests.queue" / "active.json").write_text("{\"127.0", "utf-8"),
                                      "active.json")[1],
    "spider-state-cut": lambda j: (_cut(j / "spider.state", 0.3), "spider.state")[1],
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_jobdir_is_refused_at_start_in_one_line(
        interrupted: Path, site: HostileSite, tmp_path: Path, damage: str) -> None:
    jobdir = tmp_path / "job"
    shutil.copytree(interrupted, jobdir)
    named = DAMAGE[damage](jobdir)
    before = len(site.requests)
    started = time.monotonic()
    result = crawl_command(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                           settings={"JOBDIR": str(jobdir), "INCREMENTAL_ENABLED": "0"})
    lines = result.log.strip().splitlines()
    assert result.returncode == 2, result.log[-3000:]
    assert len(lines) == 1, result.log[-3000:]
    assert named in lines[0] and "re-run without -s JOBDIR" in lines[0], lines[0]
    assert len(site.requests) == before, "the crawl started"
    assert time.monotonic() - started < 60
    if damage != "queue-cut":
        return
    # and the advice works: without the JOBDIR the crawl runs
    again = run_crawl(tmp_path / "again", "news", "-a", f"url={site.base_url}/", timeout=120,
                      settings={"INCREMENTAL_ENABLED": "0"})
    assert again.returncode == 0 and len(again.records) == len(STORIES), again.log[-3000:]


def test_an_undamaged_interrupted_jobdir_resumes(interrupted: Path, site: HostileSite, tmp_path: Path) -> None:
    jobdir = tmp_path / "job"
    shutil.copytree(interrupted, jobdir)
    result = run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/", timeout=120,
                       settings={"JOBDIR": str(jobdir), "INCREMENTAL_ENABLED": "0"})
    assert result.returncode == 0, result.log[-3000:]
