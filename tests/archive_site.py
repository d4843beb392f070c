"""benchmarks/archivegen.py as a separate server process, for the scheduled-crawl tests."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.harness import ROOT, stop, wait_for


@dataclass
class ArchiveSite:
    base_url: str
    process: subprocess.Popen[bytes]

    def admin(self, what: str) -> Any:
        with urllib.request.urlopen(f"{self.base_url}/_admin/{what}", timeout=10) as response:
            return json.loads(response.read())

    def hits(self) -> dict[str, Any]:
        return dict(self.admin("hits"))

    def reset(self) -> None:
        self.admin("reset")


@contextmanager
def archive_site(tmp_path: Path, *args: str) -> Iterator[ArchiveSite]:
    port_file = tmp_path / f"archive-{len(list(tmp_path.glob('archive-*')))}.url"
    process = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "archivegen.py"), *args,
                                "--port-file", str(port_file)], stdout=subprocess.DEVNULL)
    try:
        base_url = wait_for(lambda: port_file.exists() and port_file.read_text("utf-8"), 30, "the archive site")
        yield ArchiveSite(base_url, process)
    finally:
        stop(process)
