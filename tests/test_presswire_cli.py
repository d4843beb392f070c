"""The ``presswire`` command (scrapers.commands.cli, the console script of `pip install .`) run from a
folder outside the repository: no scrapy.cfg there, the user's own site configs from PRESSWIRE_SITES_DIR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, TEST_SETTINGS, TRUTH

SETTINGS = [arg for name, value in TEST_SETTINGS.items() for arg in ("-s", f"{name}={value}")]


def presswire(cwd: Path, *args: str, sites_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    if sites_dir is not None:
        env["PRESSWIRE_SITES_DIR"] = str(sites_dir)
    return subprocess.run([sys.executable, "-m", "scrapers.commands.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=180)


def test_crawl_urls_from_another_folder(demo_server, tmp_path: Path) -> None:
    proc = presswire(tmp_path, "crawl", f"{demo_server.base_url}/", "-L", "WARNING", *SETTINGS,
                     "-s", "JSONL_ROOT=dumps")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"{len(TRUTH['articles'])} articles written" in proc.stderr
    assert len(list((tmp_path / "dumps").rglob("*.manifest.json"))) == 1


def test_users_own_site_config_folder(demo_server, tmp_path: Path) -> None:
    sites = tmp_path / "my-sites"
    sites.mkdir()
    (sites / "gazette.toml").write_text(f'description = "My copy"\nstart_urls = ["{demo_server.base_url}/"]\n'
                                        "article_allow = ['/\\d{4}/\\d{2}/\\d{2}/']\n", "utf-8")
    listed = presswire(tmp_path, "sites", sites_dir=sites)
    assert listed.returncode == 0, listed.stderr
    assert "gazette\t" in listed.stdout and "harbour\t" in listed.stdout
    proc = presswire(tmp_path, "crawl", "gazette", "-L", "WARNING", *SETTINGS, "-s", "JSONL_ROOT=dumps",
                     sites_dir=sites)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [p.name for p in (tmp_path / "dumps").iterdir() if not p.name.startswith(".")] == ["crawl=gazette"]
    # (its regex once had a doubled backslash, matched nothing and the crawl still exited 0: site health's
    # "no article found" caught it)
    assert f"{len(TRUTH['articles'])} articles written" in proc.stderr


def test_unknown_command_and_bad_url_are_one_line(tmp_path: Path) -> None:
    proc = presswire(tmp_path, "crawwl")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "unknown command 'crawwl'" in proc.stderr
    proc = presswire(tmp_path, "crawl", "127.0.0.1:9/")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "no scheme" in proc.stderr
