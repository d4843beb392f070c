"""The rendering tests run the real browser; outside CI they are skipped only when it is missing.

With PRESSWIRE_REQUIRE_SERVICES=1 (set by .ci/run, which installs the browser) a missing browser
fails them instead, so CI cannot pass by skipping (as the service tests do for Redis).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from scrapers.rendering.availability import DEFAULT_BROWSER, browser_problem
from tests.rendering.site import RenderSite, serve

REQUIRE_BROWSER = os.environ.get("PRESSWIRE_REQUIRE_SERVICES", "") not in ("", "0")


@pytest.fixture(scope="session")
def browser() -> str:
    problem = browser_problem(DEFAULT_BROWSER)
    if problem is not None:
        if REQUIRE_BROWSER:
            pytest.fail(f"{problem} (PRESSWIRE_REQUIRE_SERVICES is set, so this is a failure, not a skip)")
        pytest.skip(problem)
    return DEFAULT_BROWSER


@pytest.fixture
def site() -> Iterator[RenderSite]:
    with serve() as running:
        yield running
