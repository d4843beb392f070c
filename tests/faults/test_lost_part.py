"""The store counts an article as written only when a published dump that holds it exists: a dump's
``.part`` deleted, cut or replaced during the crawl, or a published dump deleted before the store
commit, fails the run loudly, claims nothing, and a plain re-run writes those articles again."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import run_crawl as run_subprocess
from tests.faults.helpers import KILL_AT
from tests.faults.stories import part_lines, published_urls, store_written, stories, story_site, when
from tests.hostile.site import HostileSite
from tests.inprocess import run_crawl

SLOW = {"CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
HELD = 4  # articles answered before the site waits for the test to damage the job's files


@pytest.fixture
def site() -> Iterator[HostileSite]:
    """Answers 4 articles, then holds the other 6 until the test opens ``site.gate``."""
    gate = threading.Event()
    with story_site(10, gate=gate, hold_after=HELD) as served:
        served.gate = gate  # type: ignore[attr-defined]
        yield served
        gate.set()


def damage_then_go(site: HostileSite, ready: Callable[[], bool], damage: Callable[[], object]) -> threading.Thread:
    def both() -> None:
        damage()
        site.gate.set()  # type: ignore[attr-defined]
    return when(ready, both)


def _delete(root: Path) -> None:
    for part in root.rglob("*.dump.part"):
        part.unlink()


def _shorten(root: Path) -> None:
    for part in root.rglob("*.dump.part"):
        replacement = part.with_name("replacement")
        replacement.write_bytes(b"".join(part.read_bytes().splitlines(keepends=True)[:1]))
        os.replace(replacement, part)


def _overwrite(root: Path) -> None:
    """Same line count, other content: the lines of another run (here: the first line, repeated)."""
    for part in root.rglob("*.dump.part"):
        lines = part.read_bytes().splitlines(keepends=True)
        part.write_bytes(lines[0] * len(lines))


def _append(root: Path) -> None:
    """Another writer appends to the .part (a second process given the same file)."""
    for part in root.rglob("*.dump.part"):
        with part.open("ab") as handle:
            handle.write(part.read_bytes().splitlines(keepends=True)[0])


DAMAGE: dict[str, Callable[[Path], None]] = {"deleted": _delete, "shortened": _shorten, "appended": _append}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_part_lost_during_the_crawl_fails_and_a_rerun_writes_everything(
        site: HostileSite, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "out"
    watcher = damage_then_go(site, lambda: part_lines(out) >= HELD, lambda: DAMAGE[damage](out))
    crawl = run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=SLOW)
    watcher.join(5)
    assert crawl.returncode == 1, crawl.log[-3000:]
    failed = crawl.log.splitlines()[-1]
    assert ".dump.part" in failed and "re-run the crawl" in failed, failed
    assert "; dump " not in crawl.summary, crawl.summary  # never names a dump that was not published
    assert not list(out.rglob("*.manifest.json")) and not list(out.rglob("*.jsonl"))
    assert store_written(out) == set()

    again = run_crawl(out, "news", "-a", f"url={site.base_url}/")
    assert again.returncode == 0, again.log[-3000:]
    assert sorted(published_urls(out)) == stories(site)
    assert store_written(out) == set(stories(site))


def test_a_part_overwritten_with_other_lines_is_not_published(site: HostileSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    watcher = damage_then_go(site, lambda: part_lines(out) >= HELD, lambda: _overwrite(out))
    crawl = run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=SLOW)
    watcher.join(5)
    assert crawl.returncode == 1, crawl.log[-3000:]
    assert "missing" in crawl.log.splitlines()[-1]
    assert store_written(out) == set()
    again = run_crawl(out, "news", "-a", f"url={site.base_url}/")
    assert again.returncode == 0, again.log[-3000:]
    assert sorted(published_urls(out)) == stories(site) and store_written(out) == set(stories(site))


def test_a_dump_deleted_before_the_store_commit_is_written_again(site: HostileSite, tmp_path: Path) -> None:
    """Killed after its manifest (the store commit is left to the next run), then the dump is lost."""
    out = tmp_path / "out"
    site.gate.set()  # type: ignore[attr-defined]
    killed = run_subprocess(out, "news", "-a", f"url={site.base_url}/", env={KILL_AT: "manifest_published"})
    assert killed.returncode == -9, killed.log[-2000:]
    dumps = list(out.rglob("*.jsonl"))
    assert len(dumps) == 1
    dumps[0].unlink()
    again = run_crawl(out, "news", "-a", f"url={site.base_url}/")
    assert again.returncode == 0, again.log[-3000:]
    assert "do not match their manifests" in again.log
    assert sorted(published_urls(out)) == stories(site)
    assert store_written(out) == set(stories(site))


def test_the_output_folder_deleted_during_the_crawl_fails_and_a_rerun_writes_everything(
        site: HostileSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    watcher = damage_then_go(site, lambda: part_lines(out) >= HELD, lambda: shutil.rmtree(next(out.glob("crawl=*"))))
    crawl = run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=SLOW)
    watcher.join(5)
    assert crawl.returncode == 1, crawl.log[-3000:]
    assert "was deleted during the crawl" in crawl.log.splitlines()[-1]
    assert not list(out.rglob("*.manifest.json")) and store_written(out) == set()
    again = run_crawl(out, "news", "-a", f"url={site.base_url}/")
    assert again.returncode == 0, again.log[-3000:]
    assert sorted(published_urls(out)) == stories(site) and store_written(out) == set(stories(site))


def test_a_failures_file_lost_during_the_crawl_is_not_published_short(tmp_path: Path) -> None:
    """The manifest counts failure lines the failures file must hold: a lost one fails the run."""
    out = tmp_path / "out"
    gate = threading.Event()
    with story_site(6, gate=gate, missing=2) as broken:
        def unlink_then_go() -> None:
            for part in out.rglob("*.failures.ndjson.part"):
                part.unlink()
            gate.set()
        watcher = when(lambda: part_lines(out, "*.failures.ndjson.part") >= 2, unlink_then_go)
        # every page at once: the held articles never keep the 404s from being fetched
        crawl = run_crawl(out, "news", "-a", f"url={broken.base_url}/",
                          settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "16"})
        watcher.join(5)
        assert crawl.returncode == 1, crawl.log[-3000:]
        assert "holds 0 of the 2 failure lines written" in crawl.log.splitlines()[-1]
        assert not list(out.rglob("*.manifest.json")) and store_written(out) == set()
        again = run_crawl(out, "news", "-a", f"url={broken.base_url}/")
        assert again.returncode == 0, again.log[-3000:]
        assert sorted(published_urls(out)) == stories(broken)
        assert again.manifest["counts"]["failures"] == len(again.failures) == 2
