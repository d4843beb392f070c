"""The ``presswire`` command (scrapers.commands.cli, the console script of `pip install .`) run from a
folder outside the repository: no scrapy.cfg there, the user's own site configs from PRESSWIRE_SITES_DIR.
The command's entry function runs in this process (tests/commandline.py), its crawls on the session's
reactor; one crawl runs in a process of its own, as a user's terminal or cron runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commandline import Completed, run_command, subprocess_command
from tests.conftest import TEST_SETTINGS, TRUTH

SETTINGS = [arg for name, value in TEST_SETTINGS.items() for arg in ("-s", f"{name}={value}")]


def presswire(cwd: Path, *args: str, sites_dir: Path | None = None, process: bool = False) -> Completed:
    """``presswire ARGS`` from ``cwd``: its entry function in this process, or (``process``) a subprocess."""
    env: dict[str, str | None] = {"SCRAPY_SETTINGS_MODULE": None}
    if sites_dir is not None:
        env["PRESSWIRE_SITES_DIR"] = str(sites_dir)
    return (subprocess_command if process else run_command)(*args, cwd=cwd, env=env, program="presswire")


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


def test_presswire_logs_at_warning_unless_told(demo_server, tmp_path: Path) -> None:
    """Like every README example (-L WARNING): the problems and the summary, not 136 INFO lines."""
    quiet = [arg for name, value in TEST_SETTINGS.items() if name != "LOG_LEVEL" for arg in ("-s", f"{name}={value}")]
    proc = presswire(tmp_path, "crawl", f"{demo_server.base_url}/", *quiet, "-s", "JSONL_ROOT=dumps", process=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert " INFO: " not in proc.stderr and " ERROR: " not in proc.stderr
    # the demo site's deliberate 404 and 500: one warning each, then the summary
    assert [line.split("] ")[1][:24] for line in proc.stderr.splitlines()[:-1]] == ["WARNING: no article from"] * 2
    assert proc.stderr.splitlines()[-1].startswith(f"summary: {len(TRUTH['articles'])} articles written")


def test_help_lists_every_command(tmp_path: Path) -> None:
    from scrapers.commands.cli import COMMANDS

    proc = presswire(tmp_path, "--help")
    assert proc.returncode == 0
    listed = [line.split()[0] for line in proc.stdout.split("commands:")[1].strip().split("\n\n")[0].splitlines()]
    assert listed == list(COMMANDS) and "reextract" in listed
    assert "--version" in proc.stdout
    bare = presswire(tmp_path)
    assert bare.returncode == 2 and bare.stdout == "" and "commands:" in bare.stderr
    version = presswire(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("presswire 0.1.0 (Scrapy ")


def test_crawl_help_names_every_spider_argument_setting_and_exit_code(tmp_path: Path) -> None:
    from scrapers.commands.crawl_help import EXIT_CODES, SETTINGS
    from scrapers.commands.preflight import accepted_arguments
    from scrapers.config.checks import check_names
    from scrapers.spiders.ccnews import CCNewsSpider
    from scrapers.spiders.news import NewsSpider

    proc = presswire(tmp_path, "crawl", "--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: presswire crawl")
    sections = proc.stdout.split("spider arguments (-a NAME=VALUE), ")[1:]
    for spider, section in zip((NewsSpider, CCNewsSpider), sections, strict=True):
        assert section.startswith(spider.name)
        described = [line.split()[0] for line in section.split("\n\n")[0].splitlines()[1:]]
        assert sorted(described) == accepted_arguments(spider)
    for name in SETTINGS:
        assert f"  {name} " in proc.stdout
    assert check_names(SETTINGS, []) == ([], []), "crawl --help names a setting that does not exist"
    for code in EXIT_CODES:
        assert f"  {code} " in proc.stdout.split("exit codes:")[1]


def test_messages_name_the_command_typed(tmp_path: Path) -> None:
    proc = presswire(tmp_path, "crawl", "news", "-a", "site=nosuchsite")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("presswire crawl: unknown site 'nosuchsite'") and "`presswire sites`" in proc.stderr
    proc = presswire(tmp_path, "reextract")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith("presswire reextract: give one dump") and "`presswire reextract --help`" in proc.stderr
    proc = presswire(tmp_path, "export", "x.jsonl", "-o", "x.parquet", "-s", "JSONL_ROTO=x")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "did you mean JSONL_ROOT?" in proc.stderr


MISTAKES = [
    # (arguments, environment, the words of the one line)
    (["crawl", "http://a.example/", "-a", "url=http://b.example/"], {}, "presswire crawl: the start URLs twice"),
    (["crawl", "NEWS"], {}, "did you mean news?"),
    (["crawl", "http://127.0.0.1:9/"], {"PRESSWIRE_SITES_DIR": "/nonexistent-sites"},
     "SITES_DIR=/nonexistent-sites: no such folder (set by the PRESSWIRE_SITES_DIR variable)"),
    (["crawl", "http://127.0.0.1:9/", "-s", "SITES_DIR=/nonexistent-sites"], {}, "SITES_DIR=/nonexistent-sites: no such folder"),
]


@pytest.mark.parametrize(("args", "env", "expected"), MISTAKES, ids=["urls-twice", "upper-case", "sites-env", "sites-setting"])
def test_more_mistakes_are_one_line(args: list[str], env: dict[str, str], expected: str, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    proc = presswire(tmp_path, *args)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert expected in proc.stderr
    assert ("PRESSWIRE_SITES_DIR" in proc.stderr) == bool(env)


def test_unknown_command_and_bad_url_are_one_line(tmp_path: Path) -> None:
    proc = presswire(tmp_path, "crawwl")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "unknown command 'crawwl'" in proc.stderr
    proc = presswire(tmp_path, "crawl", "127.0.0.1:9/")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "no scheme" in proc.stderr
