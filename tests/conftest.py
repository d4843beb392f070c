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


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``make test`` runs ``--dist loadgroup``: each ``xdist_group`` runs on one worker, so its module fixture
    (a crawl, the built wheel) is made once. pytest-xdist marks a grouped test by a suffix on its node id, which
    pytest 9.2 no longer reads (pytest-dev/pytest-xdist#1386): the groups were spread over every worker without
    a word, each building the fixtures again. A grouped test fails rather than run like that."""
    if getattr(item.config.option, "loadgroup", False) and item.get_closest_marker("xdist_group") \
            and "@" not in item.nodeid:  # the option is set in xdist's workers only
        pytest.fail("--dist loadgroup did not group this test: this pytest and pytest-xdist do not work together "
                    "(see requirements-dev.txt)", pytrace=False)
