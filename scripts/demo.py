"""Serve the bundled demo site and crawl it with its site config (``scrapy crawl harbour``).

The site is served on port 8765, the port in ``scrapers/sites/harbour.toml``, so its URLs and record ids
are the same on every run and a second ``make demo`` shows the articles as unchanged (the incremental
store). When 8765 is taken, a free port is used and the ids differ from earlier runs.

    python scripts/demo.py [--port N] [scrapy crawl options, e.g. -s JSONL_ROOT=/tmp/demo]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo_site.server import start_server  # noqa: E402

DEMO_PORT = 8765  # harbour.toml's start URL


def main(argv: list[str]) -> int:
    port = DEMO_PORT
    if argv[:1] == ["--port"]:
        port, argv = int(argv[1]), argv[2:]
    try:
        server = start_server(port=port)
    except OSError:
        server = start_server(port=0)
        print(f"port {port} is busy: serving on another port, so record ids differ from earlier demo runs",
              file=sys.stderr)
    with server:
        print(f"demo site serving at {server.base_url}/", flush=True)
        print("the demo site has two broken article links on purpose (a 404 and a 500): the two "
              "'no article from' warnings below are expected, and the crawl still succeeds", flush=True)
        command = [sys.executable, "-m", "scrapy", "crawl", "harbour", "-L", "WARNING", *argv]
        if server.base_url != f"http://127.0.0.1:{DEMO_PORT}":
            command += ["-a", f"url={server.base_url}/"]
        # scrapy crawl prints the summary line: articles written, unchanged, skipped, failed, the dump
        result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        print(f"crawl failed (exit {result.returncode})", file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
