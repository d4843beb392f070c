"""The one crawl harness: real `scrapy crawl` subprocesses from the project root, and what they wrote.

Every crawl test, the service tests included, starts crawls through ``start_crawl``/``run_crawl``.
A crawl's output goes to a log file beside its output root, so a full pipe never blocks it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TRUTH = json.loads((ROOT / "demo_site" / "truth.json").read_text("utf-8"))
ARTICLE_PATHS = sorted(TRUTH["articles"])
# Fast, quiet test crawls: politeness delays only slow a local server down; extraction in the crawler process.
TEST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "LOG_LEVEL": "INFO",
    "EXTRACTION_WORKERS": "0",
    "RETRY_BACKOFF_BASE": "0.1",
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def manifests_under(root: Path) -> list[Path]:
    """Every published manifest under an output root, oldest first."""
    return sorted(root.rglob("*.manifest.json"), key=lambda p: p.stat().st_mtime)


def dump_of(manifest_path: Path, manifest: dict[str, Any]) -> Path:
    """The job's dump; for a run that wrote no article (no dump published), the name it would have had."""
    return manifest_path.with_name(manifest["dump"] or manifest_path.name.removesuffix(".manifest.json") + ".jsonl")


def dumps_under(root: Path) -> list[Path]:
    """Every published plain-JSONL dump under an output root (the ones a manifest names)."""
    dumps = []
    for manifest in manifests_under(root):
        name = json.loads(manifest.read_text("utf-8"))["dump"]
        dump = manifest.with_name(name or "-")  # None: the run wrote no article, so no dump
        if dump.suffix == ".jsonl":
            dumps.append(dump)
    return dumps


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float, what: str, interval: float = 0.1) -> Any:
    """Poll ``check`` until it returns something truthy; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except Exception:  # the service is still starting
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def stop(process: subprocess.Popen[Any], timeout: float = 10) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Crawl:
    """A `scrapy crawl` subprocess and, once it ended, what its newest published job wrote."""

    process: subprocess.Popen[bytes]
    log_path: Path
    root: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    dump: Path | None = None
    requested: list[str] = field(default_factory=list)
    copier: threading.Thread | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    @property
    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    def wait(self, timeout: float = 180) -> int:
        """Wait for the crawl to end (failing the test past ``timeout``), then read its newest job."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"crawl did not end within {timeout:.0f}s; log:\n{self.log[-3000:]}")
        if self.copier is not None:
            self.copier.join(timeout=30)
        self._read_newest_job()
        return code

    def _read_newest_job(self) -> None:
        manifests = manifests_under(self.root)
        if not manifests:
            return
        self.manifest = json.loads(manifests[-1].read_text("utf-8"))
        self.dump = dump_of(manifests[-1], self.manifest)
        self.records = read_jsonl(self.dump) if self.dump.suffix == ".jsonl" and self.dump.exists() else []
        failures = manifests[-1].with_name(self.manifest["failures_file"])
        self.failures = read_jsonl(failures) if failures.exists() else []

    def all_records(self) -> list[dict[str, Any]]:
        """The records of every published dump under the output root (all jobs, all processes)."""
        return [record for dump in dumps_under(self.root) for record in read_jsonl(dump)]

    def by_path(self, base_url: str) -> dict[str, dict[str, Any]]:
        return {r["url"][len(base_url):]: r for r in self.records}


def start_crawl(root: Path, *args: str, settings: dict[str, str] | None = None, env: dict[str, str] | None = None,
                preexec_fn: Callable[[], None] | None = None) -> Crawl:
    """Start ``scrapy crawl ARGS -s JSONL_ROOT=root ...`` from the project root. ``env`` adds environment
    variables (the fault hooks); ``preexec_fn`` runs in the child before the crawl (resource limits)."""
    root.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", *args]
    for name, value in {**TEST_SETTINGS, "JSONL_ROOT": str(root), **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    log_path = root.with_name(root.name + ".log")
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               preexec_fn=preexec_fn)
    # The test process copies the output to the log file: a full pipe never blocks the crawl, and a
    # resource limit set in the child (a file-size limit) does not cut its log short.
    copier = threading.Thread(target=_copy_output, args=(process, log_path), daemon=True)
    copier.start()
    return Crawl(process, log_path, root, copier=copier)


def _copy_output(process: subprocess.Popen[bytes], log_path: Path) -> None:
    assert process.stdout is not None
    with open(log_path, "wb") as log:
        for chunk in iter(lambda: process.stdout.read1(65536), b""):  # type: ignore[union-attr]
            log.write(chunk)
            log.flush()


def run_crawl(root: Path, *args: str, settings: dict[str, str] | None = None, timeout: float = 180,
              env: dict[str, str] | None = None, preexec_fn: Callable[[], None] | None = None) -> Crawl:
    """``scrapy crawl ARGS`` to its end; the result holds the newest job's records, failures and manifest."""
    crawl = start_crawl(root, *args, settings=settings, env=env, preexec_fn=preexec_fn)
    crawl.wait(timeout)
    return crawl


# Older name of the finished crawl's result.
CrawlResult = Crawl


@contextmanager
def small_disk(mount: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (root with mount rights only: skipped elsewhere)."""
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                      capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def fill(path: Path) -> None:
    """Append to ``path`` until its disk says it is full."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        for chunk in (4096, 1):
            try:
                while True:
                    os.write(fd, b"\n" * chunk)
            except OSError:
                pass
    finally:
        os.close(fd)


class LocalServer(ThreadingHTTPServer):
    """The tests' HTTP servers: a client that goes away mid-answer (a crawler killed, stopped or timed out on
    purpose) is what many tests do, not a server fault. socketserver printed its traceback to sys.stderr, where
    a command another test runs in this process may be capturing its own output."""

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
