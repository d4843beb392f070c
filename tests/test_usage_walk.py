"""Mistakes a new user makes, found by walking every command and option (issue 24, "go further"): each
is one line naming the argument, setting or file, with the fix, and the documented exit code.

The crawl's start-up check (``check_crawl``, what ``scrapy crawl`` runs before the crawler process
exists) and the commands without a crawler (``validate``, ``health``, ``sites``) run in this process;
a subprocess shows where the process boundary is the point: a traceback that used to reach the
terminal, and the usage block Scrapy printed for the authoring commands."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader

from scrapers.commands import cli
from scrapers.commands.preflight import Refused, check_crawl
from scrapers.commands.program import set_program
from tests import inprocess
from tests.conftest import ROOT

USAGE = 2


def refusal(name: str, spargs: dict[str, str], root: Path, **settings: str) -> Refused:
    """What ``scrapy crawl NAME -a ... -s ...`` refuses with, from the same check the command runs."""
    configured = Settings()
    configured.setmodule("scrapers.settings", priority="project")
    configured.setdict({"JSONL_ROOT": str(root), "PREFLIGHT_ENABLED": "0", **settings}, priority="cmdline")
    loader = get_spider_loader(configured)
    names = sorted(loader.list())
    with pytest.raises(Refused) as refused:
        check_crawl(configured, names, loader.load(name) if name in names else None, name, spargs)
    return refused.value


START_URLS = [
    # (-a url=..., the words of the line); each of these once crawled, failed page by page or printed a traceback
    ("http://127.0.0.1:99999/", "-a url=http://127.0.0.1:99999/: not a URL: the port must be a number from 0 to 65535"),
    ("http://127.0.0.1:x/", "the port must be a number from 0 to 65535"),
    ("http://[::1", "-a url=http://[::1: not a URL: invalid IPv6 URL"),
    ("http://exa mple.com/", "not a URL: it holds a space (several start URLs are separated by commas"),
    ("http://", "-a url=http://: no host name after //"),
    ("http:///news/", "no host name after //"),
    ("//site.example/", "no scheme; did you mean -a url=http://site.example/ ?"),
    ("http:/site.example/", "malformed; did you mean -a url=http://site.example/ ?"),
    ("https:site.example/", "malformed; did you mean -a url=https://site.example/ ?"),
    ("mailto:desk@site.example", "only http(s) URLs can be crawled, not mailto: URLs"),
    ("javascript:void(0)", "only http(s) URLs can be crawled, not javascript: URLs"),
    ("ftp://site.example/", "only http(s) URLs can be crawled, not ftp:// URLs"),
    ("localhost:8080/", "no scheme; did you mean -a url=http://localhost:8080/ ?"),
]


@pytest.mark.parametrize(("url", "expected"), START_URLS, ids=[u for u, _ in START_URLS])
def test_a_start_url_that_cannot_be_crawled_is_named_with_the_fix(url: str, expected: str, tmp_path: Path) -> None:
    refused = refusal("news", {"url": url}, tmp_path)
    assert refused.exit_code == USAGE
    assert expected in str(refused) and "\n" not in str(refused), str(refused)


def test_a_site_configs_bad_start_url_names_the_site(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "gazette.toml").write_text('start_urls = ["http://127.0.0.1:99999/"]\n', "utf-8")
    refused = refusal("gazette", {}, tmp_path, SITES_DIR=str(sites))
    assert str(refused) == ("site 'gazette': start_urls: http://127.0.0.1:99999/: not a URL: the port must be a "
                            "number from 0 to 65535")


@pytest.mark.parametrize("setting", ["LOG_FILE", "INCREMENTAL_DB"])
def test_a_file_setting_naming_a_folder_is_refused(setting: str, tmp_path: Path) -> None:
    """LOG_FILE=a folder was a 30-line traceback from Scrapy's log handler."""
    refused = refusal("news", {"url": "http://site.example/"}, tmp_path, **{setting: str(tmp_path)})
    assert refused.exit_code == USAGE
    assert str(refused).startswith(f"{setting}={tmp_path}: a folder, not a file (name a file in it, like {tmp_path}/")


def test_render_always_without_a_browser_is_refused(tmp_path: Path) -> None:
    """It used to be one warning, then a crawl that rendered nothing and exited 0."""
    refused = refusal("news", {"url": "http://site.example/"}, tmp_path, RENDER_MODE="always",
                      RENDER_BROWSER=str(tmp_path / "no-browser"))
    assert str(refused) == (f"RENDER_MODE=always, but pages cannot be rendered: no browser at RENDER_BROWSER="
                            f"{tmp_path / 'no-browser'} (apt-get install --no-install-recommends "
                            "chromium-headless-shell); or -s RENDER_MODE=auto")


@pytest.fixture
def sites_with_lookalikes(tmp_path: Path) -> Path:
    """Site configs written as YAML, JSON, or with a name the loader does not take: silently ignored before."""
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "gazette.yaml").write_text("start_urls:\n  - http://site.example/\n", "utf-8")
    (sites / "Herald.toml").write_text('start_urls = ["http://site.example/"]\n', "utf-8")
    (sites / "notes.md").write_text("not a config\n", "utf-8")
    return sites


@pytest.mark.parametrize(("name", "spargs", "expected"), [
    ("gazette", {}, "no spider or site config named 'gazette' (known: ccnews, harbour, news; `scrapy list` shows "
                    "them); {sites}/gazette.yaml is not read: site configs are NAME.toml files (TOML), not .yaml"),
    ("news", {"site": "herald"}, "unknown site 'herald' (configured sites: harbour); `scrapy sites` lists them; "
                                 "{sites}/Herald.toml is not read: 'Herald' is not a site name (lowercase letters, "
                                 "digits, - and _, starting with a letter or digit)"),
], ids=["yaml", "upper-case"])
def test_a_site_config_that_is_not_read_is_named(name: str, spargs: dict[str, str], expected: str,
                                                 sites_with_lookalikes: Path, tmp_path: Path) -> None:
    refused = refusal(name, spargs, tmp_path, SITES_DIR=str(sites_with_lookalikes))
    assert str(refused) == expected.format(sites=sites_with_lookalikes)


def test_a_lower_case_log_level_and_a_sites_dir_that_is_a_file(tmp_path: Path) -> None:
    refused = refusal("news", {"url": "http://site.example/"}, tmp_path, LOG_LEVEL="warning")
    assert str(refused) == "setting LOG_LEVEL='warning' (-L warning): expected one of CRITICAL, ERROR, WARNING, " \
                           "INFO, DEBUG (in capitals: WARNING)"
    afile = tmp_path / "sites.toml"
    afile.write_text('start_urls = ["http://site.example/"]\n', "utf-8")
    refused = refusal("news", {"url": "http://site.example/"}, tmp_path, SITES_DIR=str(afile))
    assert str(refused) == f"SITES_DIR={afile}: a file, not a folder of NAME.toml files"


def test_a_common_crawl_month_in_the_future_is_refused(tmp_path: Path) -> None:
    refused = refusal("ccnews", {"month": "2099/01"}, tmp_path)
    assert str(refused) == "-a month=2099/01 is in the future: Common Crawl has no files for it yet"


def test_a_list_of_warc_paths_that_cannot_be_read_fails_the_run_in_one_line(tmp_path: Path) -> None:
    """It was a 148-line traceback ("Error while reading start items") when Common Crawl could not be reached."""
    paths = tmp_path / "warc.paths.gz"
    paths.write_bytes(b"\xff\xfe not text")
    result = inprocess.crawl(tmp_path / "out", "ccnews", paths=str(paths), settings={"HEALTH_ENABLED": "0"})
    assert result.returncode == 1 and "Traceback" not in result.log
    assert result.exit_problems[0] == f"paths error: cannot read the list of WARC files ({paths}): not a text file of " \
                                      "WARC paths"


# -- commands without a crawler, in this process -----------------------------------------------


Presswire = Callable[..., tuple[int, str, str]]


@pytest.fixture
def presswire(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
              ) -> Iterator[Presswire]:
    """``presswire ARGS`` in this process, from an empty folder: (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PRESSWIRE_SITES_DIR", raising=False)
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "scrapers.settings")

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    try:
        yield run
    finally:
        set_program("scrapy")


def test_sites_warns_about_files_it_does_not_read(presswire: Presswire, sites_with_lookalikes: Path) -> None:
    code, out, err = presswire("sites", "-s", f"SITES_DIR={sites_with_lookalikes}")
    assert code == 0 and out.startswith("harbour\t")
    assert err.splitlines() == [
        f"presswire sites: warning: {sites_with_lookalikes}/Herald.toml is not read: 'Herald' is not a site name "
        "(lowercase letters, digits, - and _, starting with a letter or digit)",
        f"presswire sites: warning: {sites_with_lookalikes}/gazette.yaml is not read: site configs are NAME.toml "
        "files (TOML), not .yaml",
    ]


@pytest.mark.parametrize(("args", "expected"), [
    (["health"], "presswire health: output: no such folder (give the JSONL_ROOT your crawls write to)"),
    (["health", "nope"], "presswire health: nope: no such folder (give the JSONL_ROOT your crawls write to)"),
    (["health", "."], "presswire health: .state/seen.sqlite: no incremental store (crawl into . first)"),
    (["health", "a", "b"], "presswire health: give at most one ROOT (the folder crawls write to, JSONL_ROOT)"),
    (["validate", "."], "presswire validate: no dump (*.jsonl, *.jsonl.gz) under . (`presswire validate --help` "
                        "shows the options)"),
    (["check", "--all"], "presswire check: unknown option --all (`presswire check --help` shows the options)"),
    (["check", "nosuch"], "presswire check: unknown site 'nosuch' (configured sites: harbour)"),
], ids=["health-no-output", "health-missing", "health-empty", "health-two", "validate-empty-folder", "check-option",
        "check-unknown"])
def test_commands_name_what_is_wrong_in_one_line(presswire: Presswire, args: list[str], expected: str) -> None:
    code, _, err = presswire(*args)
    assert (code, err) == (USAGE, expected + "\n")


# -- where the process boundary is the point ------------------------------------------------------


def _command(program: list[str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCRAPY_SETTINGS_MODULE": "scrapers.settings"}
    return subprocess.run([sys.executable, *program, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_port_out_of_range_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    proc = _command(["-m", "scrapy"], "crawl", "news", "-a", "url=http://127.0.0.1:99999/", "-s",
                    f"JSONL_ROOT={tmp_path}", cwd=ROOT)
    assert (proc.returncode, proc.stderr) == (USAGE, "scrapy crawl: -a url=http://127.0.0.1:99999/: not a URL: the "
                                                     "port must be a number from 0 to 65535\n")


@pytest.mark.parametrize(("program", "args", "expected"), [
    (["-m", "scrapers.commands.cli"], ["new-site"], "presswire new-site: give a site name and the site's URL "
                                                    "(`presswire new-site --help` shows the options)"),
    (["-m", "scrapy"], ["capture", "harbour"], "scrapy capture: give a site name and at least one URL or saved file, "
                                               "or a site name and --again (`scrapy capture --help` shows the options)"),
], ids=["presswire-new-site", "scrapy-capture"])
def test_authoring_commands_say_what_is_missing_in_one_line(program: list[str], args: list[str], expected: str,
                                                            tmp_path: Path) -> None:
    """They printed Scrapy's usage block and `cli.py: error: …` (four lines, the script's file name)."""
    proc = _command(program, *args, cwd=tmp_path if "cli" in program[-1] else ROOT)
    assert (proc.returncode, proc.stderr) == (USAGE, expected + "\n")
