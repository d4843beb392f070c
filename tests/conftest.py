"""Shared fixtures: the demo site on 127.0.0.1 and real crawls of it in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from demo_site.server import DemoServer, start_server

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "demo_site" / "truth.json").read_text("utf-8"))
# Fast, quiet test crawls; politeness delays only slow a local server down.
TEST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "LOG_LEVEL": "INFO",
    "EXTRACTION_WORKERS": "0",
    "RETRY_BACKOFF_BASE": "0.1",
}


@dataclass
class CrawlResult:
    returncode: int
    log: str
    root: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    dump: Path | None = None
    requested: list[str] = field(default_factory=list)

    def by_path(self, base_url: str) -> dict[str, dict[str, Any]]:
        return {r["url"][len(base_url):]: r for r in self.records}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def run_crawl(root: Path, *args: str, settings: dict[str, str] | None = None, timeout: float = 180,
              env: dict[str, str] | None = None, preexec_fn: Callable[[], None] | None = None) -> CrawlResult:
    """``scrapy crawl ARGS`` in a subprocess, dumps under ``root``; returns what it wrote.
    ``env`` adds environment variables (the fault hooks); ``preexec_fn`` runs in the child (rlimits)."""
    merged = {**TEST_SETTINGS, "JSONL_ROOT": str(root), **(settings or {})}
    command = [sys.executable, "-m", "scrapy", "crawl", *args]
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True, timeout=timeout,
                          preexec_fn=preexec_fn)
    result = CrawlResult(returncode=proc.returncode, log=proc.stderr + proc.stdout, root=root)
    manifests = sorted(root.glob("*/*/*.manifest.json"), key=lambda p: p.stat().st_mtime)
    if manifests:
        result.manifest = json.loads(manifests[-1].read_text("utf-8"))
        result.dump = manifests[-1].with_name(result.manifest["dump"])
        if result.dump.suffix == ".jsonl":
            result.records = read_jsonl(result.dump)
        result.failures = read_jsonl(manifests[-1].with_name(result.manifest["failures_file"]))
    return result


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with start_server() as server:
        yield server


@pytest.fixture(scope="session")
def demo_crawl(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """One real crawl of the demo site with the generic spider, shared by the crawl tests."""
    root = tmp_path_factory.mktemp("demo-crawl")
    already = len(demo_server.requested)
    result = run_crawl(root, "news", "-a", f"url={demo_server.base_url}/")
    result.requested = demo_server.requested[already:]
    return result


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    return TRUTH
