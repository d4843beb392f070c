"""``scrapy reextract`` of a job whose WARC is damaged or missing: it fails loudly and publishes
nothing (docs/archives.md, "reextract"); with nothing written it publishes no empty dump."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.archive_files import numbered_articles, write_warc
from tests.conftest import ROOT, read_jsonl
from tests.incommand import scrapy as command

SITE = "https://quay.example"
PAGES = 6


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    """``scrapy ARGS -s EXTRACTION_WORKERS=0`` in this process (tests/incommand.py)."""
    return command(*args, "-s", "EXTRACTION_WORKERS=0")


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A job's dump and its WARC (``job.jsonl`` beside ``job.warc.gz``), the dump extracted from the WARC."""
    folder = tmp_path_factory.mktemp("job")
    write_warc(folder / "job.warc.gz", numbered_articles(SITE, PAGES))
    made = scrapy("extract", str(folder / "job.warc.gz"), "-o", str(folder / "job.jsonl"))
    assert made.returncode == 0, made.stderr
    assert len(read_jsonl(folder / "job.jsonl")) == PAGES
    return folder / "job.jsonl"


def copy_job(job: Path, to: Path, warc: bytes | None = None) -> Path:
    """The job in a folder of its own, its manifest listing the whole WARC as a crawl's does."""
    to.mkdir()
    (to / job.name).write_bytes(job.read_bytes())
    whole = job.with_name("job.warc.gz").read_bytes()
    manifest = json.loads(job.with_name("job.manifest.json").read_text("utf-8"))
    manifest["files"] = [{"file": "job.warc.gz", "kind": "warc", "sha256": hashlib.sha256(whole).hexdigest()}]
    (to / "job.manifest.json").write_text(json.dumps(manifest), "utf-8")
    if warc is not None:
        (to / "job.warc.gz").write_bytes(warc)
    return to / job.name


def published(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".reextract-" in p.name or p.suffix == ".part")


def test_a_whole_warc_gives_every_record_back(job: Path, tmp_path: Path) -> None:
    source = copy_job(job, tmp_path / "whole", job.with_name("job.warc.gz").read_bytes())
    proc = scrapy("reextract", str(source))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith(f"{PAGES} articles written")


@pytest.mark.parametrize("damage", ["cut", "cut_at_a_record", "bytes_flipped"])
def test_a_damaged_warc_publishes_nothing_and_fails(job: Path, tmp_path: Path, damage: str) -> None:
    whole = job.with_name("job.warc.gz").read_bytes()
    if damage == "cut":
        data = whole[: len(whole) // 2]
    elif damage == "cut_at_a_record":  # whole records only: warcio reads it without a complaint
        data = whole[: whole.index(b"\x1f\x8b", len(whole) // 2)]
    else:
        middle = len(whole) // 2
        data = whole[:middle] + bytes(b ^ 0xFF for b in whole[middle:middle + 64]) + whole[middle + 64:]
    source = copy_job(job, tmp_path / damage, data)
    if damage != "cut_at_a_record":  # read to where it breaks; the one cut between records, by its digest
        (source.parent / "job.manifest.json").unlink()
    proc = scrapy("reextract", str(source))
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothing published" in lines[0] and "Traceback" not in proc.stderr, proc.stderr
    assert published(source.parent) == []


def test_a_missing_warc_is_one_line(job: Path, tmp_path: Path) -> None:
    """A real ``scrapy reextract`` process: a fresh interpreter's stderr holds the one line and nothing else."""
    source = copy_job(job, tmp_path / "missing")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "scrapy", "reextract", str(source), "-s", "EXTRACTION_WORKERS=0"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "job.warc.gz" in proc.stderr, proc.stderr
    assert published(source.parent) == []


def test_nothing_written_publishes_no_empty_dump(job: Path, tmp_path: Path) -> None:
    """Every page fails (over VALIDATE_MIN_BODY_WORDS): a failures file and a manifest with
    ``"dump": null``, no empty dump; the summary says so, and the exit code is 1."""
    source = copy_job(job, tmp_path / "none", job.with_name("job.warc.gz").read_bytes())
    proc = scrapy("reextract", str(source), "-s", "VALIDATE_MIN_BODY_WORDS=100000")
    assert proc.returncode == 1, proc.stderr
    assert "0 articles written: no dump published" in proc.stderr, proc.stderr
    [manifest] = source.parent.glob("*.reextract-*.manifest.json")
    document = json.loads(manifest.read_text("utf-8"))
    assert document["dump"] is None and document["lines"] == 0
    assert not list(source.parent.glob("*.reextract-*.jsonl*")) and not list(source.parent.glob("*.part"))
    assert len(read_jsonl(manifest.with_name(document["failures_file"]))) == PAGES


@pytest.mark.parametrize("name", ["new.json", "new.csv", "new.jsonl.bz2"])
def test_reextract_output_names_a_jsonl_file(job: Path, tmp_path: Path, name: str) -> None:
    source = copy_job(job, tmp_path / "named", job.with_name("job.warc.gz").read_bytes())
    proc = scrapy("reextract", str(source), "-o", str(tmp_path / name))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and ".jsonl.gz" in proc.stderr, proc.stderr
    assert not list(tmp_path.glob("new*"))


def test_reextract_never_writes_over_its_source(job: Path, tmp_path: Path) -> None:
    source = copy_job(job, tmp_path / "over", job.with_name("job.warc.gz").read_bytes())
    before = {p.name: p.read_bytes() for p in source.parent.iterdir()}
    for name in ("job.jsonl", "job.jsonl.gz"):
        proc = scrapy("reextract", str(source), "-o", str(source.parent / name))
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
        assert "would replace the source job's dump and manifest" in proc.stderr
    assert {p.name: p.read_bytes() for p in source.parent.iterdir()} == before


def test_two_reextracts_in_one_second_get_two_names(job: Path, tmp_path: Path) -> None:
    """The default name holds the UTC second: a second reextract of the job in that second wrote the same
    ``.part`` (now refused as busy, exit 75, though the user named nothing). It takes the next free name."""
    source = copy_job(job, tmp_path / "twice", job.with_name("job.warc.gz").read_bytes())
    now = dt.datetime.now(dt.UTC)
    # another reextract's files for every second this one may start in: one published, one in progress
    taken = [(now + dt.timedelta(seconds=s)).strftime("%Y%m%dT%H%M%SZ") for s in range(30)]
    for stamp in taken:
        (source.parent / f"job.reextract-{stamp}.jsonl").write_text("", "utf-8")
        (source.parent / f"job.reextract-{stamp}-2.dump.part").write_text("", "utf-8")
    proc = scrapy("reextract", str(source))
    assert proc.returncode == 0, proc.stderr
    [made] = [p for p in source.parent.glob("job.reextract-*-3.jsonl")]
    assert made.name[len("job.reextract-"):-len("-3.jsonl")] in taken and len(read_jsonl(made)) == PAGES
    assert all((source.parent / f"job.reextract-{stamp}-2.dump.part").read_text("utf-8") == "" for stamp in taken)
