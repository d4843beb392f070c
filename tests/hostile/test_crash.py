"""A crawl killed with SIGKILL: final files stay whole, and the job resumes to every article once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, TRUTH
from tests.inprocess import run_crawl  # the resume: the kill before it is the subprocess

ARTICLES = sorted(TRUTH["articles"])


def written_lines(out: Path) -> int:
    parts = list(out.rglob("*.dump.part"))
    return parts[0].read_bytes().count(b"\n") if parts else 0


def assert_final_files_parse(out: Path) -> None:
    for path in [*out.rglob("*.json*"), *out.rglob("*.ndjson")]:
        if path.name.endswith(".part"):
            continue
        text = path.read_text("utf-8")
        if path.suffix == ".json":
            json.loads(text)
        else:
            for line in text.splitlines():
                json.loads(line)


@pytest.mark.parametrize("seed", [1, 2])
def test_sigkill_then_resume(seed: int, demo_server, tmp_path: Path) -> None:
    rng = random.Random(seed)
    out, jobdir = tmp_path / "out", tmp_path / "job"
    args = ["news", "-a", f"url={demo_server.base_url}/"]
    command = [sys.executable, "-m", "scrapy", "crawl", *args]
    for name, value in {"JSONL_ROOT": str(out), "JOBDIR": str(jobdir), "AUTOTHROTTLE_ENABLED": "0",
                        "EXTRACTION_WORKERS": "0", "CONCURRENT_REQUESTS": "2", "DOWNLOAD_DELAY": "0.1"}.items():
        command += ["-s", f"{name}={value}"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_after = rng.randint(1, len(ARTICLES) - 5)
    deadline = time.monotonic() + 60
    while written_lines(out) < kill_after and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(rng.uniform(0, 0.3))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    before = written_lines(out)
    assert 0 < before < len(ARTICLES), f"kill landed outside the crawl (seed {seed})"
    assert_final_files_parse(out)

    resumed = run_crawl(out, *args, settings={"JOBDIR": str(jobdir)})
    assert resumed.returncode == 0, resumed.log[-3000:]
    assert "was killed: resuming" in resumed.log
    paths = sorted(r["url"][len(demo_server.base_url):] for r in resumed.records)
    assert paths == ARTICLES, f"seed {seed}: killed after {before} articles"
    assert_final_files_parse(out)
    assert not list(out.rglob("*.part"))
