"""Serve the bundled demo site on a free port, crawl it with the generic spider, report the dump."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo_site.server import start_server  # noqa: E402


def main() -> int:
    with start_server() as server:
        print(f"demo site serving at {server.base_url}/", flush=True)
        command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={server.base_url}/",
                   "-s", "LOG_LEVEL=WARNING", *sys.argv[1:]]
        result = subprocess.run(command, cwd=ROOT)
    manifests = sorted((ROOT / "output").glob("news/*/*.manifest.json"), key=lambda p: p.stat().st_mtime)
    if result.returncode != 0 or not manifests:
        print(f"crawl failed (exit {result.returncode})", file=sys.stderr)
        return result.returncode or 1
    manifest_path = manifests[-1]
    manifest = json.loads(manifest_path.read_text("utf-8"))
    counts = manifest["counts"]
    dump = manifest_path.with_name(manifest["dump"])
    print(f"dump: {dump.relative_to(ROOT)}")
    by_reason = ", ".join(f"{k}: {v}" for k, v in counts["failures_by_reason"].items()) or "none"
    print(f"{counts['articles_written']} articles written, {counts['dropped']} dropped, "
          f"{counts['failures']} failed ({by_reason})"
          f", {counts['duplicates']} duplicates, {counts['unchanged']} unchanged since an earlier run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
