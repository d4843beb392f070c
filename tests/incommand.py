"""``scrapy COMMAND ARGS`` in the test process: tests/commandline.py's ``run_command`` under its first name."""

from __future__ import annotations

import subprocess

from tests.commandline import run_command


def scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    """What ``python -m scrapy ARGS`` run from the project root exits with and prints."""
    return run_command(*args)
