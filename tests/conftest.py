"""Shared fixtures: the demo site on 127.0.0.1 and one real crawl of it (tests/harness.py runs crawls)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from demo_site.server import DemoServer, start_server
from tests import inprocess
from tests.harness import ROOT, TEST_SETTINGS, TRUTH, CrawlResult, read_jsonl, run_crawl

__all__ = ["ROOT", "TEST_SETTINGS", "TRUTH", "CrawlResult", "read_jsonl", "run_crawl"]
# pytest --cpu-durations=N: the CPU each test costs (tests/cpu_durations.py)
pytest_plugins = ["tests.cpu_durations"]


@pytest.fixture(scope="session")
def demo_server() -> Iterator[DemoServer]:
    with start_server() as server:
        yield server


@pytest.fixture(scope="session")
def demo_crawl(demo_server: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> inprocess.InProcessCrawl:
    """One real crawl of the demo site with the generic spider (in this process), shared by the crawl tests."""
    root = tmp_path_factory.mktemp("demo-crawl")
    already = len(demo_server.requested)
    result = inprocess.run_crawl(root, "news", "-a", f"url={demo_server.base_url}/")
    result.requested = demo_server.requested[already:]
    return result


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    return TRUTH


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed in a fresh venv (tests/test_install_wheel.py), once a session; its bin folder."""
    from tests.test_install_wheel import install_wheel

    return install_wheel(tmp_path_factory.mktemp("wheel"))
