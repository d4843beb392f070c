"""Bad usage ends in one line on stderr and a documented exit code, before any page is fetched.

Each case runs the real command in a subprocess; none of them may start a crawl (the start URLs point
at a port where nothing listens or at a host that does not exist, so a crawl would show up as
connection failures, not as the expected message)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

USAGE, FAILED = 2, 1
DEAD = "http://127.0.0.1:9/"  # the discard port: nothing listens there on a test machine

CONFIGS = {
    "syntax": 'start_urls = [\n  "http://x.example/"\n  oops\n',
    "unknownkey": 'start_urls = ["http://x.example/"]\nstart_url = "http://x.example/"\n',
    "stringurls": 'start_urls = "http://x.example/"\n',
    "badregex": 'start_urls = ["http://x.example/"]\narticle_allow = ["/news/(\\\\d+"]\n',
}


def run(*args: str, sites_dir: Path | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PRESSWIRE_SITES_DIR", None)
    if sites_dir is not None:
        env["PRESSWIRE_SITES_DIR"] = str(sites_dir)
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def broken_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sites")
    for name, text in CONFIGS.items():
        (folder / f"{name}.toml").write_text(text, "utf-8")
    return folder


def assert_one_line(proc: subprocess.CompletedProcess[str], code: int, *expected: str) -> None:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == code, proc.stderr[-3000:]
    assert len(lines) == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    for text in expected:
        assert text in lines[0], lines[0]


CRAWL_CASES = [
    # (id, arguments after `scrapy crawl`, exit code, texts the line must contain)
    ("no-scheme", ["news", "-a", "url=127.0.0.1:8765/"], USAGE, ["no scheme", "http://127.0.0.1:8765/"]),
    ("unknown-spider", ["nosuchsite"], USAGE, ["nosuchsite", "scrapy list"]),
    ("unknown-site", ["news", "-a", "site=nosuchsite"], USAGE, ["unknown site 'nosuchsite'", "scrapy sites"]),
    ("no-url", ["news"], USAGE, ["pass -a url="]),
    ("file-url", ["news", "-a", "url=file:///etc/passwd"], USAGE, ["only http(s) URLs"]),
    ("refused", ["news", "-a", f"url={DEAD}"], FAILED, ["failed: no pages fetched", "127.0.0.1:9", "before the crawl started"]),
    ("dns", ["news", "-a", "url=http://nosuchhost.invalid/"], FAILED, ["cannot resolve host 'nosuchhost.invalid'"]),
    ("missing-o-folder", ["news", "-a", f"url={DEAD}", "-o", "/nonexistent-presswire/out.jsonl"], USAGE,
     ["-o /nonexistent-presswire/out.jsonl", "does not exist"]),
    ("workers-abc", ["news", "-a", f"url={DEAD}", "-s", "EXTRACTION_WORKERS=abc"], USAGE,
     ["EXTRACTION_WORKERS='abc'", "whole number"]),
    ("workers-negative", ["news", "-a", f"url={DEAD}", "-s", "EXTRACTION_WORKERS=-3"], USAGE,
     ["EXTRACTION_WORKERS='-3'", ">= 0"]),
    ("timeout-abc", ["news", "-a", f"url={DEAD}", "-s", "EXTRACTION_TIMEOUT=abc"], USAGE, ["EXTRACTION_TIMEOUT"]),
    ("ratio-abc", ["news", "-a", f"url={DEAD}", "-s", "SCHEDULED_MAX_FAILURE_RATIO=abc"], USAGE,
     ["SCHEDULED_MAX_FAILURE_RATIO", "<= 1"]),
    ("depth-abc", ["news", "-a", f"url={DEAD}", "-s", "NEWS_LISTING_DEPTH=abc"], USAGE, ["NEWS_LISTING_DEPTH"]),
    ("gzip-maybe", ["news", "-a", f"url={DEAD}", "-s", "JSONL_GZIP=maybe"], USAGE, ["JSONL_GZIP", "true/false"]),
    ("pattern-nope", ["news", "-a", f"url={DEAD}", "-s", "JSONL_PATH_PATTERN={nope}/{job_id}.jsonl"], USAGE,
     ["JSONL_PATH_PATTERN", "unknown: {nope}"]),
    ("redis-nothing", ["news", "-a", f"url={DEAD}", "-s", "REDIS_URL=redis://127.0.0.1:9/0"], FAILED,
     ["REDIS_URL=redis://127.0.0.1:9/0", "does not answer"]),
]


@pytest.mark.parametrize(("args", "code", "expected"), [c[1:] for c in CRAWL_CASES], ids=[c[0] for c in CRAWL_CASES])
def test_crawl_refuses_with_one_line(args: list[str], code: int, expected: list[str], tmp_path: Path) -> None:
    proc = run("crawl", *args, "-s", f"JSONL_ROOT={tmp_path}")
    assert_one_line(proc, code, "scrapy crawl: ", *expected)
    assert not list(tmp_path.rglob("*.jsonl*")), "a refused crawl wrote output"


SITE_CASES = [
    ("syntax", ["syntax.toml", "not valid TOML", "line 3"]),
    ("unknownkey", ["unknownkey.toml", "unknown keys start_url"]),
    ("stringurls", ["stringurls.toml", "start_urls must be a list of strings"]),
    ("badregex", ["badregex.toml", "site 'badregex'", "article_allow[0]", "not a valid regex"]),
]


@pytest.mark.parametrize(("site", "expected"), SITE_CASES, ids=[c[0] for c in SITE_CASES])
def test_crawl_of_a_broken_site_config_names_file_and_problem(site: str, expected: list[str], broken_sites: Path,
                                                               tmp_path: Path) -> None:
    assert_one_line(run("crawl", site, "-s", f"JSONL_ROOT={tmp_path}", sites_dir=broken_sites), USAGE, *expected)
    assert_one_line(run("crawl", "news", "-a", f"site={site}", "-s", f"JSONL_ROOT={tmp_path}",
                        sites_dir=broken_sites), USAGE, *expected)


@pytest.mark.parametrize("command", ["list", "sites"])
def test_list_and_sites_report_broken_configs(command: str, broken_sites: Path) -> None:
    proc = run(command, sites_dir=broken_sites)
    assert proc.returncode == USAGE
    assert "Traceback" not in proc.stderr
    problems = proc.stderr.strip().splitlines()
    assert sorted(line.split(": ")[2].rsplit("/", 1)[-1] for line in problems) == sorted(f"{n}.toml" for n in CONFIGS)
    assert "harbour" in proc.stdout and not any(name in proc.stdout for name in CONFIGS)


def test_a_missing_sites_dir_is_one_line(tmp_path: Path) -> None:
    proc = run("crawl", "news", "-a", f"url={DEAD}", "-s", f"SITES_DIR={tmp_path / 'nope'}")
    assert_one_line(proc, USAGE, "SITES_DIR=", "no such folder")
