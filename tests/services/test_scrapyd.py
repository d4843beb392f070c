"""Deploy the project to a real Scrapyd with scrapyd-deploy and run it with schedule.json."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from demo_site.server import DemoServer
from tests.services.conftest import ARTICLE_PATHS, ROOT, Scrapyd, dumps_under, read_jsonl, wait_for

# What `scrapyd-deploy` needs to build the egg: setup.py decides what goes in (scrapers and pipelines
# under the presswire namespace, and their package data). A copy keeps build/ and *.egg-info out of the
# working tree.
PROJECT_FILES = ("setup.py", "scrapy.cfg", "presswire", "scrapers", "pipelines")
TARGET = "servicetest"


def deploy(scrapyd: Scrapyd, tmp_path: Path) -> str:
    """`scrapyd-deploy servicetest`: the target comes from a user-level scrapy.cfg ($XDG_CONFIG_HOME),
    so it inherits the project's [deploy] section (project = presswire) and overrides only its url."""
    project = tmp_path / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, project / name)
    config_home = tmp_path / "config"
    config_home.mkdir()
    (config_home / "scrapy.cfg").write_text(f"[deploy:{TARGET}]\nurl = {scrapyd.url}\n", "utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(config_home)}
    env.pop("PYTHONPATH", None)
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    result = subprocess.run([sys.executable, "-m", "scrapyd_client.deploy", TARGET, "--version", "1"], cwd=project,
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"status": "ok"' in result.stdout, result.stdout + result.stderr
    return "1"


def schedule(scrapyd: Scrapyd, url: str, root: Path, *settings: str) -> str:
    fields = [("project", "presswire"), ("spider", "news"), ("url", url), ("setting", f"JSONL_ROOT={root}"),
              ("setting", "AUTOTHROTTLE_ENABLED=0"), *(("setting", s) for s in settings)]
    answer = scrapyd.post("schedule.json", fields)
    assert answer["status"] == "ok", answer
    return str(answer["jobid"])


def test_deploy_and_schedule(scrapyd: Scrapyd, site: DemoServer, tmp_path: Path) -> None:
    version = deploy(scrapyd, tmp_path)

    # Site configs and the record schema travel inside the egg, and Scrapyd loads them from it.
    egg = scrapyd.folder / "eggs" / "presswire" / f"{version}.egg"
    names = set(zipfile.ZipFile(egg).namelist())
    assert {"presswire/scrapers/sites/harbour.toml", "presswire/scrapers/extraction/schema/article.schema.json"} <= names
    assert not any(name.startswith(("scrapers/", "pipelines/")) for name in names)  # one top-level name
    assert {"harbour", "news"} <= set(scrapyd.get("listspiders.json", project="presswire")["spiders"])

    # Two jobs of the same spider at once: the run lock lets exactly one of them crawl.
    out = tmp_path / "out"
    slow = "DOWNLOAD_DELAY=0.1"  # the winner is still running when the other job starts
    jobs = [schedule(scrapyd, f"{site.base_url}/", out, slow) for _ in range(2)]

    def finished() -> bool:
        listing = scrapyd.get("listjobs.json", project="presswire")
        return {job["id"] for job in listing["finished"]} >= set(jobs)

    wait_for(finished, 60, "both Scrapyd jobs to finish", interval=0.3)

    # One dump, with every demo article; its job log shows the project's crawl command at work.
    dumps = dumps_under(out)
    assert len(dumps) == 1, dumps
    paths = sorted(r["url"][len(site.base_url):] for r in read_jsonl(dumps[0]))
    assert paths == ARTICLE_PATHS
    logs = {job: (scrapyd.folder / "logs" / "presswire" / "news" / f"{job}.log").read_text("utf-8") for job in jobs}
    winners = [job for job, log in logs.items() if "run lock" in log and "taken" in log]
    losers = [job for job, log in logs.items() if "another crawl of news@" in log and "is running (pid" in log]
    assert len(winners) == 1 and len(losers) == 1, logs
    assert "ModuleNotFoundError" not in logs[winners[0]] and "FileNotFoundError" not in logs[winners[0]]
    # Scrapyd saw the refused job exit with the lock's exit code (75) and the other succeed.
    assert f"Process died: exitstatus=75 project='presswire' spider='news' job='{losers[0]}'" in scrapyd.log
    assert f"Process finished: project='presswire' spider='news' job='{winners[0]}'" in scrapyd.log
