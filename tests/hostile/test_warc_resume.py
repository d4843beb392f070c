"""WARC_ENABLED=1 with a crawl killed by SIGKILL: the resumed job's WARC reads whole, once published."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from tests.conftest import ROOT, TRUTH
from tests.hostile.test_crash import written_lines
from tests.inprocess import run_crawl  # the resume: the kill before it is the subprocess

ARTICLES = sorted(TRUTH["articles"])


def test_sigkill_then_resume_keeps_one_readable_warc(demo_server, tmp_path: Path) -> None:
    out, jobdir = tmp_path / "out", tmp_path / "job"
    args = ["news", "-a", f"url={demo_server.base_url}/"]
    settings = {"JOBDIR": str(jobdir), "WARC_ENABLED": "1"}
    command = [sys.executable, "-m", "scrapy", "crawl", *args]
    for name, value in {"JSONL_ROOT": str(out), "AUTOTHROTTLE_ENABLED": "0", "EXTRACTION_WORKERS": "0",
                        "CONCURRENT_REQUESTS": "2", "DOWNLOAD_DELAY": "0.1", **settings}.items():
        command += ["-s", f"{name}={value}"]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while written_lines(out) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    [part] = out.rglob("*.warc.part")
    with open(part, "ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00torn")  # as if the kill had landed inside a record

    resumed = run_crawl(out, *args, settings=settings)
    assert resumed.returncode == 0, resumed.log[-3000:]
    assert resumed.dump is not None
    warc = resumed.dump.with_name(resumed.dump.name.removesuffix(".jsonl") + ".warc.gz")
    with open(warc, "rb") as handle:
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Record-ID")) for r in ArchiveIterator(handle)]
    responses = {record_id for kind, record_id in records if kind == "response"}
    assert resumed.manifest["files"][0]["records"] == len(records)
    assert sorted(r["url"][len(demo_server.base_url):] for r in resumed.records) == ARTICLES
    # records written before the kill point into the part of the WARC kept from before it
    assert all(r["warc_record_id"] in responses for r in resumed.records)
    assert not list(out.rglob("*.part"))
