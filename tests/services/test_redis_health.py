"""Site health in a distributed run (REDIS_URL, a real redis-server): each process writes its own health
block into its manifest and a row of the site's history (one store shared through INCREMENTAL_DB), and
the report merges the rows of one job."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.harness import ROOT
from tests.health.site import PER_EDITION, TemplateSite, serve
from tests.health.test_template_changes import write_config
from tests.services.conftest import RedisServer, start_crawl

SHARED = {"CONCURRENT_REQUESTS": "2", "DOWNLOAD_DELAY": "0.1", "REDIS_POLL_INTERVAL": "0.2", "JOB_ID": "redis-run-1"}


def test_each_process_has_a_health_block_and_the_report_merges_them(redis_server: RedisServer,
                                                                    tmp_path: Path) -> None:
    store = tmp_path / "shared.sqlite"
    with serve(TemplateSite()) as site:
        site.next_edition("normal")
        sites = write_config(tmp_path / "sites", site.base_url)
        settings = {**SHARED, "REDIS_URL": redis_server.url, "INCREMENTAL_DB": str(store), "SITES_DIR": str(sites)}
        crawls = [start_crawl(tmp_path / f"p{n}", "courier", "-L", "WARNING", settings=settings) for n in (1, 2)]
        for crawl in crawls:
            assert crawl.wait(timeout=90) == 0, crawl.log[-3000:]
    blocks = [crawl.manifest["health"] for crawl in crawls]
    assert sum(block["records"] for block in blocks) == PER_EDITION
    assert all(block["findings"] == [] for block in blocks)  # a process may have few records: not a finding
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    proc = subprocess.run([sys.executable, "-m", "scrapers.commands.cli", "health", "-s", f"INCREMENTAL_DB={store}",
                           "--html", str(tmp_path / "health.html")], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = {tuple(line.split()[:2]): line.split()[2:] for line in proc.stdout.splitlines()}
    assert rows[("courier", "articles")] == [str(PER_EDITION), "–", "1"]  # one job, both processes merged
    assert rows[("courier", "authors")][0] == "100%"
