"""One store, many crawls: every site under one JSONL_ROOT shares ``.state/seen.sqlite``. Crawls in two
processes at once are subprocesses; the rest run in this process, the refusal through the crawl command's
entry function (tests/commandline.py)."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from demo_site.server import start_server
from scrapers.incremental.store import SeenStore
from tests.commandline import crawl_command
from tests.conftest import run_crawl
from tests.faults.helpers import ARTICLES, published_articles
from tests.inprocess import run_crawl as run_in_process

HOLD_STORE = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
db.execute("DELETE FROM written WHERE 0")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture()
def second_site():
    with start_server() as server:
        yield server


def test_two_sites_into_one_root_at_once_both_complete(demo_server, second_site, tmp_path: Path) -> None:
    """Also: two generic crawls of different sites take different run locks, so neither exits 75."""
    out = tmp_path / "out"
    sites = [demo_server.base_url, second_site.base_url]
    with ThreadPoolExecutor(2) as pool:
        crawls = list(pool.map(lambda base: run_crawl(out, "news", "-a", f"url={base}/"), sites))
    for crawl in crawls:
        assert crawl.returncode == 0, crawl.log[-3000:]
    for base in sites:
        found = _published_for(out, base)
        assert sorted(found) == ARTICLES and set(found.values()) == {1}, base
    locks = sorted(p.name for p in (out / ".locks").iterdir())
    assert locks == sorted(f"news_{b.split('://')[1].replace(':', '_')}.lock" for b in sites)


def test_a_store_held_by_another_process_fails_loudly_and_loses_nothing(demo_server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    store = out / ".state" / "seen.sqlite"
    SeenStore(store).close()  # an existing store, as after any earlier run
    holder = subprocess.Popen([sys.executable, "-c", HOLD_STORE, str(store), "300"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        # each of the run's writes to the store waits INCREMENTAL_BUSY_TIMEOUT, then fails
        crawl = run_in_process(out, "news", "-a", f"url={demo_server.base_url}/",
                               settings={"INCREMENTAL_BUSY_TIMEOUT": "1.5"})
    finally:
        holder.kill()
        holder.wait()
    # the crawl ran (reads never wait in WAL mode) and published, but the store could not learn the
    # articles: the run says so, and a later run writes them again rather than losing them
    assert crawl.returncode == 1, crawl.log[-3000:]
    assert "store error" in crawl.log and "database is locked" in crawl.log
    assert sorted(r["url"][len(demo_server.base_url):] for r in crawl.records) == ARTICLES
    again = run_in_process(out, "news", "-a", f"url={demo_server.base_url}/")
    assert again.returncode == 0, again.log[-3000:]
    assert sorted(r["url"][len(demo_server.base_url):] for r in again.records) == ARTICLES
    third = run_in_process(out, "news", "-a", f"url={demo_server.base_url}/")
    counts = third.manifest["counts"]
    # known to the store: not fetched again (nothing says they changed), or fetched and found unchanged
    assert third.returncode == 0 and third.records == [] and counts["unchanged"] == len(ARTICLES)


def test_a_corrupted_store_is_one_line_and_exit_1_before_the_crawl(demo_server, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_in_process(out, "news", "-a", f"url={demo_server.base_url}/")
    assert first.returncode == 0
    store = out / ".state" / "seen.sqlite"
    data = bytearray(store.read_bytes())
    assert len(data) > 3 * 4096
    data[2 * 4096:3 * 4096] = b"\xa5" * 4096  # one page of the table, overwritten
    store.write_bytes(bytes(data))
    already = len(demo_server.requested)
    crawl = crawl_command(out, "news", "-a", f"url={demo_server.base_url}/")
    assert crawl.returncode == 1
    lines = [line for line in crawl.log.splitlines() if line.startswith("scrapy crawl:")]
    assert len(lines) == 1 and "incremental store" in lines[0] and "unusable" in lines[0], crawl.log[-3000:]
    assert "Traceback" not in crawl.log
    assert demo_server.requested[already:] == []


def _published_for(out: Path, base: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for path, n in published_articles(out, "").items():
        if path.startswith(base + "/"):
            found[path[len(base):]] = n
    return found
