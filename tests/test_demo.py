"""`make demo` (scripts/demo.py) twice: the second run finds every article unchanged, and both print the
summary line at -L WARNING."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, TRUTH


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo(port: int, root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    settings = ["-s", f"JSONL_ROOT={root}", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "EXTRACTION_WORKERS=0",
                "-s", "RETRY_BACKOFF_BASE=0.1", *extra]
    return subprocess.run([sys.executable, "scripts/demo.py", "--port", str(port), *settings], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=300)


def summary(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("summary: ")]
    assert len(lines) == 1, stderr[-3000:]
    return lines[0]


def test_demo_twice_shows_the_articles_as_unchanged(tmp_path: Path) -> None:
    port = free_port()
    articles = len(TRUTH["articles"])
    first = demo(port, tmp_path, "-s", "PROGRESS_INTERVAL=0.5")
    assert first.returncode == 0, first.stderr[-3000:]
    assert f"{articles} articles written ({articles} new, 0 changed), 0 unchanged" in summary(first.stderr)
    assert re.search(r"^progress: \d+ pages fetched, \d+ articles written, \d+ unchanged, \d+ failed, \d+ queued; "
                     r"\d+ sitemaps read, \d+ URLs listed, \d+ article requests, \d+ out of window$",
                     first.stderr, re.M), first.stderr[-3000:]
    assert "INFO" not in first.stderr  # -L WARNING: quiet apart from warnings, progress and the summary
    second = demo(port, tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    line = summary(second.stderr)
    assert f"0 articles written (0 new, 0 changed), {articles} unchanged since an earlier run" in line
    assert "-a all=1 writes them all" in line
