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
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from demo_site.server import DemoServer, start_server
from tests.harness import (
    ARTICLE_PATHS,
    ROOT,
    TRUTH,
    Crawl,
    dumps_under,
    free_port,
    read_jsonl,
    run_crawl,
    start_crawl,
    stop,
    wait_for,
)

__all__ = ["ARTICLE_PATHS", "ROOT", "TRUTH", "Crawl", "dumps_under", "free_port", "read_jsonl", "run_crawl",
           "start_crawl", "stop", "wait_for"]

REQUIRE_SERVICES = os.environ.get("PRESSWIRE_REQUIRE_SERVICES", "") not in ("", "0")


def unavailable(reason: str) -> NoReturn:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (PRESSWIRE_REQUIRE_SERVICES is set, so this is a failure, not a skip)")
    pytest.skip(reason)


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
    # Jobs must run the deployed egg: no project path, and no settings module that an earlier in-process
    # test's get_project_settings() left in the environment (it points at the repo's scrapers.settings).
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")}
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "scrapyd", "--pidfile="], cwd=folder, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    server = Scrapyd(f"http://127.0.0.1:{port}/", folder, log_path)
    try:
        wait_for(lambda: server.get("daemonstatus.json")["status"] == "ok", 20, "Scrapyd to start")
        yield server
    finally:
        stop(process)
