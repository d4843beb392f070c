"""Real services for the service tests: the demo site (with a request log), redis-server, Scrapyd,
and `scrapy crawl` run as subprocesses from the project root.

A test whose service is not installed is skipped with the reason; with PRESSWIRE_REQUIRE_SERVICES=1
(set by .ci/run) it fails instead, so CI cannot pass by skipping.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from demo_site.server import DemoServer, start_server

ROOT = Path(__file__).resolve().parents[2]
TRUTH = json.loads((ROOT / "demo_site" / "truth.json").read_text("utf-8"))
ARTICLE_PATHS = sorted(TRUTH["articles"])
REQUIRE_SERVICES = os.environ.get("PRESSWIRE_REQUIRE_SERVICES", "") not in ("", "0")
# Fast test crawls: no politeness delays against a local server, extraction in the crawler process.
FAST = {"AUTOTHROTTLE_ENABLED": "0", "LOG_LEVEL": "INFO", "EXTRACTION_WORKERS": "0"}


def unavailable(reason: str) -> NoReturn:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (PRESSWIRE_REQUIRE_SERVICES is set, so this is a failure, not a skip)")
    pytest.skip(reason)


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


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def dumps_under(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*/*.jsonl") if not p.name.endswith(".failures.jsonl"))


# -- crawls ---------------------------------------------------------------------------------


@dataclass
class Crawl:
    """A `scrapy crawl` subprocess; its output goes to a file so a full pipe never blocks it."""

    process: subprocess.Popen[bytes]
    log_path: Path
    root: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait(self, timeout: float = 60) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"crawl did not end within {timeout:.0f}s; log:\n{self.log[-3000:]}")

    @property
    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    def records(self) -> list[dict[str, Any]]:
        return [record for dump in dumps_under(self.root) for record in read_jsonl(dump)]


def start_crawl(root: Path, *args: str, settings: dict[str, str] | None = None) -> Crawl:
    """Start ``scrapy crawl ARGS -s JSONL_ROOT=root ...`` from the project root."""
    root.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "scrapy", "crawl", *args]
    for name, value in {**FAST, "JSONL_ROOT": str(root), **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    log_path = root.with_name(root.name + ".log")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return Crawl(process, log_path, root)


def run_crawl(root: Path, *args: str, settings: dict[str, str] | None = None, timeout: float = 60) -> Crawl:
    crawl = start_crawl(root, *args, settings=settings)
    crawl.wait(timeout)
    return crawl


def stop(process: subprocess.Popen[Any], timeout: float = 10) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- the demo site, with a log of every path it was asked for --------------------------------


@dataclass
class LoggedSite:
    server: DemoServer
    requests: Counter[str] = field(default_factory=Counter)

    @property
    def base_url(self) -> str:
        return self.server.base_url


def _serve_with_log() -> LoggedSite:
    server = start_server()
    site = LoggedSite(server)
    lock = threading.Lock()
    # The demo server has no request log of its own: count in a handler subclass (set before any request).
    httpd = server._httpd
    base = httpd.RequestHandlerClass

    class CountingHandler(base):  # type: ignore[misc,valid-type]
        def do_GET(self) -> None:
            with lock:
                site.requests[urllib.parse.urlsplit(self.path).path] += 1
            super().do_GET()

    httpd.RequestHandlerClass = CountingHandler
    return site


@pytest.fixture
def logged_site() -> Iterator[LoggedSite]:
    site = _serve_with_log()
    try:
        yield site
    finally:
        site.server.shutdown()


@pytest.fixture(scope="session")
def site() -> Iterator[DemoServer]:
    with start_server() as server:
        yield server


# -- redis-server ---------------------------------------------------------------------------


@dataclass
class RedisServer:
    url: str
    client: Any


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    if importlib.util.find_spec("redis") is None or importlib.util.find_spec("scrapy_redis") is None:
        unavailable("the redis / scrapy-redis packages are not installed (pip install -r requirements.txt)")
    import redis

    port = free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--daemonize", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        wait_for(client.ping, 10, "redis-server to answer")
        yield RedisServer(url, client)
    finally:
        client.close()
        stop(process)


# -- Scrapyd --------------------------------------------------------------------------------


@dataclass
class Scrapyd:
    url: str
    folder: Path
    log_path: Path

    def get(self, endpoint: str, **params: str) -> dict[str, Any]:
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}{endpoint}?{query}", timeout=10) as response:
            return json.loads(response.read())

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
        data = urllib.parse.urlencode(fields).encode("ascii")
        with urllib.request.urlopen(f"{self.url}{endpoint}", data=data, timeout=10) as response:
            return json.loads(response.read())

    @property
    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    for module, package in (("scrapyd", "scrapyd"), ("scrapyd_client", "scrapyd-client"), ("pkg_resources", "setuptools")):
        if importlib.util.find_spec(module) is None:
            unavailable(f"{package} is not installed (pip install -r requirements-dev.txt)")
    port = free_port()
    folder = tmp_path / "scrapyd"
    folder.mkdir()
    # Scrapyd reads ./scrapyd.conf; every folder it writes is under the temp dir.
    (folder / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {folder / 'eggs'}\nlogs_dir = {folder / 'logs'}\nitems_dir = {folder / 'items'}\n"
        f"dbs_dir = {folder / 'dbs'}\n"
        "poll_interval = 0.2\n",
        "utf-8",
    )
    log_path = folder / "scrapyd.log"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # jobs must run the deployed egg
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "scrapyd", "--pidfile="], cwd=folder, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    server = Scrapyd(f"http://127.0.0.1:{port}/", folder, log_path)
    try:
        wait_for(lambda: server.get("daemonstatus.json")["status"] == "ok", 20, "Scrapyd to start")
        yield server
    finally:
        stop(process)
