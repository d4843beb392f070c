"""Debian's headless Chromium for the report test: found, or skipped (a failure in CI, as tests/services)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE = os.environ.get("PRESSWIRE_REQUIRE_SERVICES", "") not in ("", "0")
CANDIDATES = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell")


def unavailable(reason: str) -> NoReturn:
    if REQUIRE:
        pytest.fail(f"{reason} (PRESSWIRE_REQUIRE_SERVICES is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def chromium() -> Path:
    """The headless shell's binary (apt-get install chromium-headless-shell)."""
    for candidate in CANDIDATES:
        found = candidate if os.path.isabs(candidate) and os.access(candidate, os.X_OK) else shutil.which(candidate)
        if found:
            return Path(found)
    unavailable("Debian's chromium-headless-shell is not installed")
