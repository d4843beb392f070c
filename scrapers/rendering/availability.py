"""Can this machine render pages, and how the browser is started (without importing Playwright)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

# The real binary of Debian's chromium-headless-shell package (`dpkg -L chromium-headless-shell`);
# /usr/bin/chromium-headless-shell is a shell script around it that only adds a process.
DEFAULT_BROWSER = "/usr/lib/chromium/chromium-headless-shell"
# The closed network refuses Chromium's own background connections (updates, sync, field trials):
# without these flags it retries them for the life of the browser.
LAUNCH_ARGS = ("--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", "--disable-gpu")

def browser_problem(executable: str) -> str | None:
    """Why pages cannot be rendered here (one line), or None when they can."""
    for module in ("playwright", "scrapy_playwright"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is not installed (pip install -r requirements.txt)"
    path = Path(executable)
    if not path.is_file() or not os.access(path, os.X_OK):
        return (f"no browser at RENDER_BROWSER={executable} "
                "(apt-get install --no-install-recommends chromium-headless-shell)")
    return None


def launch_options(executable: str) -> dict[str, Any]:
    args = list(LAUNCH_ARGS)
    if os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    return {"executable_path": executable, "headless": True, "args": args}
