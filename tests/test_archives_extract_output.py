"""``scrapy extract -o``: a ``.jsonl.gz`` name is written gzip-compressed and passes ``scrapy validate``;
another name is refused in one line; a run that writes no article publishes no empty dump
(docs/archives.md, "Output")."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.archive_files import demo_article, numbered_articles, write_warc
from tests.conftest import ROOT, TRUTH
from tests.harness import fill, small_disk, wait_for
from tests.incommand import scrapy

SITE = "https://quay.example"
ARTICLE = sorted(TRUTH["articles"])[0]


def process(*args: str) -> subprocess.CompletedProcess[str]:
    """A real ``scrapy ARGS`` process from the project root."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("inputs")
    write_warc(folder / "crawl.warc.gz", numbered_articles(SITE, 3))
    page = folder / "story.html"
    page.write_bytes(demo_article(ARTICLE, SITE))
    return {"warc": folder / "crawl.warc.gz", "page": page}


@pytest.mark.parametrize("kind", ["warc", "page"])
def test_a_jsonl_gz_output_is_gzip_and_validates(inputs: dict[str, Path], tmp_path: Path, kind: str) -> None:
    out = tmp_path / "articles.jsonl.gz"
    extra = ["--url", SITE + ARTICLE] if kind == "page" else []
    proc = scrapy("extract", str(inputs[kind]), *extra, "-o", str(out), "-s", "EXTRACTION_WORKERS=0")
    assert proc.returncode == 0, proc.stderr
    with gzip.open(out, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    assert len(records) == (3 if kind == "warc" else 1)
    manifest = json.loads((tmp_path / "articles.manifest.json").read_text("utf-8"))
    assert manifest["dump"] == out.name and manifest["lines"] == len(records)
    checked = scrapy("validate", str(out))
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stdout + checked.stderr
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("name", ["articles.json", "articles.csv", "articles.gz", "articles.jsonl.bz2", "folder/"])
def test_other_output_names_are_refused_in_one_line(inputs: dict[str, Path], tmp_path: Path, name: str) -> None:
    (tmp_path / "folder").mkdir()
    for kind in ("warc", "page"):
        proc = scrapy("extract", str(inputs[kind]), "-o", str(tmp_path) + "/" + name)
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and ".jsonl.gz" in proc.stderr, proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]


@pytest.mark.parametrize("kind", ["warc", "page"])
def test_no_article_publishes_no_empty_dump_and_fails(inputs: dict[str, Path], tmp_path: Path, kind: str) -> None:
    """Every page refused (over VALIDATE_MIN_BODY_WORDS): no dump, a manifest saying ``"dump": null``,
    the summary says so, exit 1."""
    out = tmp_path / "articles.jsonl"
    out.write_text('{"an": "older run"}\n', "utf-8")
    extra = ["--url", SITE + ARTICLE] if kind == "page" else []
    proc = scrapy("extract", str(inputs[kind]), *extra, "-o", str(out), "-s", "VALIDATE_MIN_BODY_WORDS=100000",
                  "-s", "EXTRACTION_WORKERS=0")
    assert proc.returncode == 1, proc.stderr
    assert "0 articles written: no dump published, the earlier articles.jsonl removed" in proc.stderr, proc.stderr
    manifest = json.loads((tmp_path / "articles.manifest.json").read_text("utf-8"))
    assert manifest["dump"] is None and manifest["lines"] == 0 and manifest["sha256"] is None
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_a_failures_file_in_a_missing_folder_is_one_line(inputs: dict[str, Path], tmp_path: Path) -> None:
    """A real ``scrapy extract`` process: a fresh interpreter's stderr holds the one line and nothing else."""
    proc = process("extract", str(inputs["warc"]), "--failures", str(tmp_path / "nope" / "f.ndjson"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "does not exist" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("kind", ["warc", "page"])
def test_an_output_disk_that_is_full_is_one_line_and_leaves_nothing(inputs: dict[str, Path], tmp_path: Path,
                                                                     kind: str) -> None:
    """A 44-line traceback before, and the ``.part`` files left on the full disk."""
    with small_disk(tmp_path / "disk", "64k") as disk:
        fill(disk / "filler")
        out = disk / "out.jsonl"
        proc = scrapy("extract", str(inputs[kind]), "--base-url", f"{SITE}/", "-o", str(out),
                      "-s", "EXTRACTION_WORKERS=0")
        assert (proc.returncode, proc.stderr) == (
            1, f"scrapy extract: -o {out}: cannot write (No space left on device); nothing published\n")
        assert [p.name for p in disk.iterdir()] == ["filler"]


def test_a_reextract_whose_disk_is_full_is_one_line_and_leaves_nothing(inputs: dict[str, Path],
                                                                        tmp_path: Path) -> None:
    job = tmp_path / "job"
    job.mkdir()
    (job / "job.warc.gz").write_bytes(inputs["warc"].read_bytes())
    made = scrapy("extract", str(job / "job.warc.gz"), "-o", str(job / "job.jsonl"), "-s", "EXTRACTION_WORKERS=0")
    assert made.returncode == 0, made.stderr
    with small_disk(tmp_path / "disk", "64k") as disk:
        fill(disk / "filler")
        out = disk / "new.jsonl"
        proc = scrapy("reextract", str(job / "job.jsonl"), "-o", str(out), "-s", "EXTRACTION_WORKERS=0")
        assert (proc.returncode, proc.stderr) == (
            1, f"scrapy reextract: -o {out}: cannot write (No space left on device); nothing published\n")
        assert [p.name for p in disk.iterdir()] == ["filler"]


def test_standard_output_closed_by_its_reader_ends_quietly(tmp_path: Path) -> None:
    """``scrapy extract FOLDER | head -1``: a 44-line BrokenPipeError traceback before. Now it stops at once,
    says nothing (the reader has what it wanted) and exits 141, as a shell reports a command SIGPIPE ended."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pages = tmp_path / "pages"  # forty articles: more output than a pipe holds
    pages.mkdir()
    for n, found in enumerate(numbered_articles(SITE, 40)):
        (pages / f"story-{n:02}.html").write_bytes(found.body)
    extract = subprocess.Popen([sys.executable, "-m", "scrapy", "extract", str(pages), "--base-url", f"{SITE}/",
                                "-s", "EXTRACTION_WORKERS=0"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert extract.stdout is not None and extract.stderr is not None
    json.loads(extract.stdout.readline())  # the first record, whole
    extract.stdout.close()  # the reader goes, as head does
    stderr = extract.stderr.read().decode()
    assert (extract.wait(120), stderr.count("Traceback")) == (141, 0), stderr


def test_a_second_extract_to_the_same_output_is_refused_and_the_first_publishes_whole(tmp_path: Path) -> None:
    """Two jobs given one ``-o`` name: both said "N articles written", exit 0, and the published dump was empty
    (each truncated the other's ``.part``) while its manifest counted every article."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for n, found in enumerate(numbered_articles(SITE, 30)):
        (pages / f"story-{n:02}.html").write_bytes(found.body)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.Popen([sys.executable, "-m", "scrapy", "extract", str(pages), "--base-url", f"{SITE}/", "-o",
                              str(out), "-s", "EXTRACTION_WORKERS=1",
                              "-s", "EXTRACTION_FUNCTION=tests.worker_functions.slow_extraction"],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    part = tmp_path / "out.dump.part"
    wait_for(lambda: first.poll() is not None or (part.exists() and part.read_bytes().count(b"\n") >= 1), 60,
             "the first run's first line")
    second = scrapy("extract", str(pages), "--base-url", f"{SITE}/", "-o", str(out), "-s", "EXTRACTION_WORKERS=0")
    assert (second.returncode, second.stderr) == (75, (
        f"scrapy extract: -o {out}: another command is writing it now ({part} is locked); nothing written: give "
        "this run another name, or run it when that one has finished\n"))
    _, stderr = first.communicate(timeout=120)
    assert first.returncode == 0, stderr
    assert len(out.read_text("utf-8").splitlines()) == 30
    checked = scrapy("validate", str(out))
    assert checked.returncode == 0, checked.stdout


def test_failures_to_the_output_file_itself_is_a_usage_error(inputs: dict[str, Path], tmp_path: Path) -> None:
    """Both would be written to one ``.part``: the run refused itself as "another command is writing it"."""
    out = tmp_path / "out.jsonl"
    proc = scrapy("extract", str(inputs["warc"]), "-o", str(out), "--failures", str(out), "-s", "EXTRACTION_WORKERS=0")
    assert (proc.returncode, proc.stderr.strip()) == (2, (
        f"scrapy extract: --failures {out} names the -o file too: give the failure lines a file of their own "
        "(default: OUT.failures.ndjson beside -o) (`scrapy extract --help` shows the options)"))
    assert list(tmp_path.iterdir()) == []
