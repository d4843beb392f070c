"""The WARC is part of the job's transaction (docs/archives.md, "The WARC and the job"): published only
whole, with every record the published dump names, also after a kill while publishing and a resume;
a write error on it fails the run and publishes nothing; a second writer never tears or replaces it."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import resource
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scrapers.archives.warc import iter_responses
from tests import inprocess
from tests.conftest import run_crawl
from tests.faults.helpers import KILL_AT, published_articles
from tests.hostile.site import HostileSite, article_html, page, serve
from tests.incommand import scrapy

# a WARC transaction needs a few articles, not a whole site: the pipelines below act at the third
ARTICLES = [f"/news/2026/11/{10 + i}/story-number-{i}-about-the-harbour.html" for i in range(6)]


@pytest.fixture(scope="module")
def site() -> Iterator[HostileSite]:
    home = "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in ARTICLES) + "</body></html>"
    with serve({"/": page(home), **{p: page(article_html(f"Story {i}")) for i, p in enumerate(ARTICLES)}}) as served:
        yield served


def warc_ids(path: Path) -> set[str]:
    """The WARC-Record-IDs of every record of a (whole) WARC file."""
    with open(path, "rb") as handle:
        return {record.rec_headers.get_header("WARC-Record-ID") for record in ArchiveIterator(handle)}


def published_jobs(root: Path) -> list[tuple[dict, Path | None, Path | None]]:
    """(manifest, dump, WARC) of every published job under ``root``."""
    jobs = []
    for manifest_path in sorted(root.rglob("*.manifest.json")):
        manifest = json.loads(manifest_path.read_text("utf-8"))
        dump = manifest_path.with_name(manifest["dump"]) if manifest.get("dump") else None
        warcs = [manifest_path.with_name(f["file"]) for f in manifest.get("files", []) if f["kind"] == "warc"]
        jobs.append((manifest, dump, warcs[0] if warcs else None))
    return jobs


def assert_warcs_hold_their_dumps(root: Path) -> int:
    """Every record of every published dump names a record of its job's published WARC, which
    matches the manifest's digest and count; returns how many records were checked."""
    checked = 0
    for manifest, dump, warc in published_jobs(root):
        assert warc is not None and warc.exists(), manifest
        [entry] = manifest["files"]
        ids = warc_ids(warc)
        assert entry["records"] == len(ids), (entry, len(ids))
        if dump is None:
            continue
        for line in dump.read_text("utf-8").splitlines():
            record_id = json.loads(line)["warc_record_id"]
            assert record_id in ids, (dump.name, record_id)
            checked += 1
    return checked


def published_files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in root.rglob("nightly.*") if not p.name.endswith(".part")}


# after the WARC is published (the first file of the job) and before the manifest; after the manifest
@pytest.mark.parametrize("point", ["pending_recorded", "dump_published", "manifest_temp"])
def test_a_kill_while_publishing_then_the_same_jobdir_keeps_every_archived_record(
        point: str, site: HostileSite, tmp_path: Path) -> None:
    args = ["news", "-a", f"url={site.base_url}/"]
    settings = {"JOBDIR": str(tmp_path / "job"), "WARC_ENABLED": "1"}
    out = tmp_path / "out"
    first = run_crawl(out, *args, settings=settings, env={KILL_AT: point})  # the kill: a real process
    assert first.returncode == -9, first.log[-2000:]
    resumed = inprocess.run_crawl(out, *args, settings=settings)
    assert resumed.returncode == 0, resumed.log[-3000:]
    found = published_articles(out, site.base_url)
    assert sorted(found) == ARTICLES and set(found.values()) == {1}, found
    assert assert_warcs_hold_their_dumps(out) == len(ARTICLES)
    if point != "pending_recorded":
        return
    [(_, dump, _)] = published_jobs(out)
    assert dump is not None
    again = scrapy("reextract", str(dump), "-s", "EXTRACTION_WORKERS=0")
    assert again.returncode == 0, again.stderr
    assert again.stderr.startswith(f"{len(ARTICLES)} articles written"), again.stderr


WARC_SIZE_LIMIT = 5_000  # bytes: the six-article WARC is about 10 kB, its dump about 15 kB


def _limit_file_size() -> None:
    # Python ignores SIGXFSZ, so a write past the limit fails with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (WARC_SIZE_LIMIT, WARC_SIZE_LIMIT))


def test_the_warc_at_the_file_size_limit_publishes_nothing_and_fails(site: HostileSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["news", "-a", f"url={site.base_url}/"]
    # the store is off: under this limit SQLite cannot even map its 32 kB WAL index (test_loud_faults.py)
    crawl = run_crawl(out, *args, settings={"WARC_ENABLED": "1", "INCREMENTAL_ENABLED": "0"},
                      preexec_fn=_limit_file_size)
    assert crawl.returncode == 1, crawl.log[-3000:]
    [line] = [x for x in crawl.log.splitlines() if x.startswith("scrapy crawl:")]
    assert ".warc.part" in line and "File too large" in line, line
    assert not list(out.rglob("*.manifest.json")) and not list(out.rglob("*.warc.gz"))
    # (the dump, at the limit too, logs its own item errors: not the WARC's concern here)
    assert "recorder.py" not in crawl.log, crawl.log[-3000:]
    [part] = out.rglob("*.warc.part")  # kept for inspection, cut back to its last whole record
    assert part.stat().st_size <= WARC_SIZE_LIMIT
    with open(part, "rb") as handle:  # the strict reader: a torn last record raises TruncatedArchive
        assert list(iter_responses(handle, 1 << 24))
    rerun = inprocess.run_crawl(out, *args, settings={"WARC_ENABLED": "1"})
    assert rerun.returncode == 0, rerun.log[-3000:]
    assert sorted(published_articles(out, site.base_url)) == ARTICLES
    assert assert_warcs_hold_their_dumps(out) == len(ARTICLES)


def test_a_warc_part_deleted_mid_crawl_is_written_again_whole(site: HostileSite, tmp_path: Path) -> None:
    pipelines = {"tests.faults.warc_pipeline.DeleteWarcPart": 100, "pipelines.record.RecordPipeline": 800}
    crawl = inprocess.run_crawl(tmp_path / "out", "news", "-a", f"url={site.base_url}/",
                                settings={"WARC_ENABLED": "1", "ITEM_PIPELINES": json.dumps(pipelines)})
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert "was deleted during the crawl" in crawl.log
    assert sorted(published_articles(crawl.root, site.base_url)) == ARTICLES
    assert assert_warcs_hold_their_dumps(crawl.root) == len(ARTICLES)


def test_a_second_job_id_never_replaces_a_published_warc(site: HostileSite, tmp_path: Path) -> None:
    """``JOB_ID=nightly`` twice: the first job's dump and WARC stay as published, and still hold
    each other; the second either fails in one line or publishes under a name of its own."""
    out = tmp_path / "out"
    settings = {"WARC_ENABLED": "1", "JOB_ID": "nightly", "INCREMENTAL_ENABLED": "0"}
    first = inprocess.run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=settings)
    assert first.returncode == 0, first.log[-3000:]
    before = published_files(out)
    second = inprocess.run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=settings)
    assert published_files(out) == before
    if second.returncode:
        assert "published job with the same job id (nightly)" in second.log, second.log[-3000:]
    assert assert_warcs_hold_their_dumps(out) >= len(ARTICLES)


def test_a_warc_another_process_is_writing_is_not_touched(site: HostileSite, tmp_path: Path) -> None:
    out = tmp_path / "out"
    settings = {"WARC_ENABLED": "1", "JOB_ID": "shared", "INCREMENTAL_ENABLED": "0"}
    folder = out / "crawl=news" / f"date={dt.datetime.now(dt.UTC):%Y-%m-%d}"
    folder.mkdir(parents=True)
    part = folder / "shared.warc.part"
    with open(part, "ab") as other:  # another job's writer holds it
        other.write(b"WARC/1.1\r\n")
        other.flush()
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        crawl = inprocess.run_crawl(out, "news", "-a", f"url={site.base_url}/", settings=settings)
        assert crawl.returncode == 1
        assert "being written by another running job" in crawl.log, crawl.log[-3000:]
        assert part.read_bytes() == b"WARC/1.1\r\n"
    assert not list(out.rglob("*.manifest.json")) and not list(out.rglob("*.warc.gz"))


@pytest.mark.parametrize("blocked", [".warc.gz", ".jsonl"])
def test_a_publication_that_fails_leaves_no_warc_published_and_the_store_unclaimed(
        blocked: str, site: HostileSite, tmp_path: Path) -> None:
    """The WARC's own rename fails, or the dump's after it: nothing is published (the WARC goes back to
    its .part), the run fails, and the next run writes every article (the store claimed none)."""
    out = tmp_path / "out"
    args = ["news", "-a", f"url={site.base_url}/"]
    pipelines = {"tests.faults.warc_pipeline.BlockPublication": 100, "pipelines.record.RecordPipeline": 800}
    crawl = inprocess.run_crawl(out, *args, settings={"WARC_ENABLED": "1", "ITEM_PIPELINES": json.dumps(pipelines),
                                                      "FAULT_BLOCK_SUFFIX": blocked})
    assert crawl.returncode == 1 and "write error" in crawl.log, crawl.log[-3000:]
    assert not list(out.rglob("*.manifest.json"))
    assert not [p for p in out.rglob("*.warc.gz") if p.is_file()]
    [part] = out.rglob("*.warc.part")
    assert warc_ids(part)
    for blocker in out.rglob("*" + blocked):
        shutil.rmtree(blocker)
    rerun = inprocess.run_crawl(out, *args, settings={"WARC_ENABLED": "1"})
    assert rerun.returncode == 0, rerun.log[-3000:]
    assert sorted(published_articles(out, site.base_url)) == ARTICLES
    assert assert_warcs_hold_their_dumps(out) == len(ARTICLES)


def test_a_warc_that_cannot_be_opened_fails_the_run_at_start(site: HostileSite, tmp_path: Path) -> None:
    """A folder where the job's ``.warc.part`` goes: one line, nothing published (it used to be two
    tracebacks in the log and the dump published without its WARC, exit 0)."""
    out = tmp_path / "out"
    folder = out / "crawl=news" / f"date={dt.datetime.now(dt.UTC):%Y-%m-%d}"
    (folder / "blocked.warc.part").mkdir(parents=True)
    crawl = inprocess.run_crawl(out, "news", "-a", f"url={site.base_url}/",
                                settings={"WARC_ENABLED": "1", "JOB_ID": "blocked", "INCREMENTAL_ENABLED": "0"})
    assert crawl.returncode == 1
    assert "write error: opening" in crawl.log and "Traceback" not in crawl.log, crawl.log[-3000:]
    assert not list(out.rglob("*.manifest.json")) and not list(out.rglob("*.warc.gz"))
