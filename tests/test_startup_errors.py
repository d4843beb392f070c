"""Bad usage ends in one line on stderr and a documented exit code, before any page is fetched.

Each case runs the real command's entry function (tests/commandline.py: in this process, its stderr and
exit code captured; a few in a subprocess too, ``test_refusals_are_the_same_in_a_process_of_their_own``);
none of them may start a crawl (the start URLs point at a port where nothing listens or at a host that
does not exist, so a crawl would show up as connection failures, not as the expected message)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commandline import Completed, run_command, subprocess_command
from tests.conftest import ROOT

USAGE, FAILED = 2, 1
DEAD = "http://127.0.0.1:9/"  # the discard port: nothing listens there on a test machine

CONFIGS = {
    "syntax": 'start_urls = [\n  "http://x.example/"\n  oops\n',
    "unknownkey": 'start_urls = ["http://x.example/"]\nstart_url = "http://x.example/"\n',
    "stringurls": 'start_urls = "http://x.example/"\n',
    "badregex": 'start_urls = ["http://x.example/"]\narticle_allow = ["/news/(\\\\d+"]\n',
}


def run(*args: str, sites_dir: Path | None = None, cwd: Path = ROOT, process: bool = False) -> Completed:
    """``scrapy ARGS`` from ``cwd`` (its entry function in this process; ``process``: a subprocess)."""
    env = {"PRESSWIRE_SITES_DIR": None if sites_dir is None else str(sites_dir)}
    return (subprocess_command if process else run_command)(*args, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def broken_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sites")
    for name, text in CONFIGS.items():
        (folder / f"{name}.toml").write_text(text, "utf-8")
    return folder


def assert_one_line(proc: Completed, code: int, *expected: str) -> None:
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == code, proc.stderr[-3000:]
    assert len(lines) == 1, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    for text in expected:
        assert text in lines[0], lines[0]


CRAWL_CASES = [
    # (id, arguments after `scrapy crawl`, exit code, texts the line must contain)
    ("no-scheme", ["news", "-a", "url=127.0.0.1:8765/"], USAGE, ["no scheme", "http://127.0.0.1:8765/"]),
    ("unknown-spider", ["nosuchsite"], USAGE, ["nosuchsite", "scrapy list"]),
    ("unknown-site", ["news", "-a", "site=nosuchsite"], USAGE, ["unknown site 'nosuchsite'", "scrapy sites"]),
    ("no-url", ["news"], USAGE, ["pass -a url="]),
    ("file-url", ["news", "-a", "url=file:///etc/passwd"], USAGE, ["only http(s) URLs"]),
    ("refused", ["news", "-a", f"url={DEAD}"], FAILED, ["failed: no pages fetched", "127.0.0.1:9", "before the crawl started"]),
    ("dns", ["news", "-a", "url=http://nosuchhost.invalid/"], FAILED, ["cannot resolve host 'nosuchhost.invalid'"]),
    ("missing-o-folder", ["news", "-a", f"url={DEAD}", "-o", "/nonexistent-presswire/out.jsonl"], USAGE,
     ["-o /nonexistent-presswire/out.jsonl", "does not exist"]),
    ("workers-abc", ["news", "-a", f"url={DEAD}", "-s", "EXTRACTION_WORKERS=abc"], USAGE,
     ["EXTRACTION_WORKERS='abc'", "whole number"]),
    ("workers-negative", ["news", "-a", f"url={DEAD}", "-s", "EXTRACTION_WORKERS=-3"], USAGE,
     ["EXTRACTION_WORKERS='-3'", ">= 0"]),
    ("timeout-abc", ["news", "-a", f"url={DEAD}", "-s", "EXTRACTION_TIMEOUT=abc"], USAGE, ["EXTRACTION_TIMEOUT"]),
    ("ratio-abc", ["news", "-a", f"url={DEAD}", "-s", "SCHEDULED_MAX_FAILURE_RATIO=abc"], USAGE,
     ["SCHEDULED_MAX_FAILURE_RATIO", "<= 1"]),
    ("depth-abc", ["news", "-a", f"url={DEAD}", "-s", "NEWS_LISTING_DEPTH=abc"], USAGE, ["NEWS_LISTING_DEPTH"]),
    ("gzip-maybe", ["news", "-a", f"url={DEAD}", "-s", "JSONL_GZIP=maybe"], USAGE, ["JSONL_GZIP", "true/false"]),
    ("pattern-nope", ["news", "-a", f"url={DEAD}", "-s", "JSONL_PATH_PATTERN={nope}/{job_id}.jsonl"], USAGE,
     ["JSONL_PATH_PATTERN", "unknown: {nope}"]),
    ("redis-nothing", ["news", "-a", f"url={DEAD}", "-s", "REDIS_URL=redis://127.0.0.1:9/0"], FAILED,
     ["REDIS_URL=redis://127.0.0.1:9/0", "does not answer"]),
    # a misspelt name is an error naming the right one, for the project's settings and Scrapy's
    ("setting-typo", ["news", "-a", f"url={DEAD}", "-s", "JSONL_ROTO=/data"], USAGE,
     ["unknown setting JSONL_ROTO", "did you mean JSONL_ROOT?"]),
    ("scrapy-setting-typo", ["news", "-a", f"url={DEAD}", "-s", "CONCURENT_REQUESTS=4"], USAGE,
     ["unknown setting CONCURENT_REQUESTS", "did you mean CONCURRENT_REQUESTS?"]),
    ("setting-lowercase", ["news", "-a", f"url={DEAD}", "-s", "jsonl_root=/data"], USAGE, ["did you mean JSONL_ROOT?"]),
    ("argument-typo", ["news", "-a", f"url={DEAD}", "-a", "al=1"], USAGE,
     ["-a al=1", "did you mean -a all=", "accepted: all, since, site, until, url", "crawl --help"]),
    ("site-argument-typo", ["harbour", "-a", "sinse=2d"], USAGE, ["-a sinse=2d", "did you mean -a since="]),
    ("ccnews-argument-typo", ["ccnews", "-a", "month=2026/11", "-a", "domain=example.org"], USAGE,
     ["-a domain=example.org", "did you mean -a domains="]),
    ("since-future", ["news", "-a", f"url={DEAD}", "-a", "since=2099-01-01"], USAGE, ["since='2099-01-01'", "in the future"]),
    ("since-future-setting", ["news", "-a", f"url={DEAD}", "-s", "CRAWL_SINCE=2099-01-01"], USAGE,
     ["-s CRAWL_SINCE='2099-01-01'", "in the future"]),
    ("since-bad", ["news", "-a", f"url={DEAD}", "-a", "since=yesterday"], USAGE, ["since='yesterday'", "3d"]),
    # Scrapy's own settings, by their type: was a 20-76-line traceback and exit 1
    ("concurrent-abc", ["news", "-a", f"url={DEAD}", "-s", "CONCURRENT_REQUESTS=abc"], USAGE,
     ["CONCURRENT_REQUESTS='abc'", "whole number"]),
    ("download-timeout-abc", ["news", "-a", f"url={DEAD}", "-s", "DOWNLOAD_TIMEOUT=abc"], USAGE,
     ["DOWNLOAD_TIMEOUT='abc'", "a number > 0"]),
    ("download-delay-abc", ["news", "-a", f"url={DEAD}", "-s", "DOWNLOAD_DELAY=abc"], USAGE,
     ["DOWNLOAD_DELAY='abc'", "a number >= 0"]),
    ("cookies-yes", ["news", "-a", f"url={DEAD}", "-s", "COOKIES_ENABLED=yes"], USAGE, ["COOKIES_ENABLED='yes'", "true/false"]),
    ("headers-not-json", ["news", "-a", f"url={DEAD}", "-s", "DEFAULT_REQUEST_HEADERS=x"], USAGE,
     ["DEFAULT_REQUEST_HEADERS='x'", "JSON object"]),
    ("loglevel", ["news", "-a", f"url={DEAD}", "-L", "VERBOSE"], USAGE, ["-L VERBOSE", "WARNING"]),
    # the command line itself
    ("no-target", [], USAGE, ["give what to crawl", "crawl --help"]),
    ("two-spiders", ["news", "harbour"], USAGE, ["one spider or site at a time", "-a url=URL,URL"]),
    ("unknown-option", ["news", "-a", f"url={DEAD}", "--outpt", "x.jsonl"], USAGE,
     ["unknown option --outpt", "did you mean --output?"]),
    ("spider-typo", ["nwes", "-a", f"url={DEAD}"], USAGE, ["'nwes'", "did you mean news?"]),
    ("ccnews-nothing", ["ccnews"], USAGE, ["nothing to read", "-a month=2026/11"]),
    ("ccnews-month", ["ccnews", "-a", "month=2026-11"], USAGE, ["month must look like 2026/11"]),
    ("ccnews-since", ["ccnews", "-a", "month=2026/11", "-a", "since=yesterday"], USAGE, ["-a since=yesterday", "ISO dates"]),
]


@pytest.mark.parametrize(("args", "code", "expected"), [c[1:] for c in CRAWL_CASES], ids=[c[0] for c in CRAWL_CASES])
def test_crawl_refuses_with_one_line(args: list[str], code: int, expected: list[str], tmp_path: Path) -> None:
    proc = run("crawl", *args, "-s", f"JSONL_ROOT={tmp_path}")
    assert_one_line(proc, code, "scrapy crawl: ", *expected)
    assert not list(tmp_path.rglob("*.jsonl*")), "a refused crawl wrote output"


SITE_CASES = [
    ("syntax", ["syntax.toml", "not valid TOML", "line 3"]),
    ("unknownkey", ["unknownkey.toml", "unknown keys start_url"]),
    ("stringurls", ["stringurls.toml", "start_urls must be a list of strings"]),
    ("badregex", ["badregex.toml", "site 'badregex'", "article_allow[0]", "not a valid regex"]),
]


@pytest.mark.parametrize(("site", "expected"), SITE_CASES, ids=[c[0] for c in SITE_CASES])
def test_crawl_of_a_broken_site_config_names_file_and_problem(site: str, expected: list[str], broken_sites: Path,
                                                               tmp_path: Path) -> None:
    assert_one_line(run("crawl", site, "-s", f"JSONL_ROOT={tmp_path}", sites_dir=broken_sites), USAGE, *expected)
    assert_one_line(run("crawl", "news", "-a", f"site={site}", "-s", f"JSONL_ROOT={tmp_path}",
                        sites_dir=broken_sites), USAGE, *expected)


@pytest.mark.parametrize("command", ["list", "sites"])
def test_list_and_sites_report_broken_configs(command: str, broken_sites: Path) -> None:
    proc = run(command, sites_dir=broken_sites)
    assert proc.returncode == USAGE
    assert "Traceback" not in proc.stderr
    problems = proc.stderr.strip().splitlines()
    assert sorted(line.split(": ")[2].rsplit("/", 1)[-1] for line in problems) == sorted(f"{n}.toml" for n in CONFIGS)
    assert "harbour" in proc.stdout and not any(name in proc.stdout for name in CONFIGS)


def test_an_unknown_setting_far_from_any_is_a_warning(tmp_path: Path) -> None:
    """A component the user added may read it: one line, and the crawl goes on (here: to its own failure)."""
    proc = run("crawl", "news", "-a", f"url={DEAD}", "-s", "MY_PIPELINE_LIMIT=3", "-s", f"JSONL_ROOT={tmp_path}")
    assert proc.returncode == FAILED and "Traceback" not in proc.stderr
    warning, failure = proc.stderr.strip().splitlines()
    assert warning == ("scrapy crawl: warning: setting MY_PIPELINE_LIMIT is not a Presswire or Scrapy setting: "
                       "only a component you added can read it")
    assert "no pages fetched" in failure


def test_https_to_a_plain_http_port_hints_http(demo_server, tmp_path: Path) -> None:
    port = demo_server.base_url.rsplit(":", 1)[1]
    proc = run("crawl", "news", "-a", f"url=https://127.0.0.1:{port}/", "-s", f"JSONL_ROOT={tmp_path}")
    assert_one_line(proc, FAILED, f"127.0.0.1:{port} answers in plain HTTP", f"try http://127.0.0.1:{port}/")


def read_only_folder() -> Path:
    """A folder no one may write to, root included (permission bits do not stop root): /sys, read-only
    in a container."""
    folder = Path("/sys")
    try:
        (folder / "presswire-test").mkdir()
    except OSError:
        return folder
    (folder / "presswire-test").rmdir()
    pytest.skip("no read-only folder on this machine")


@pytest.mark.parametrize("everything", [[], ["-a", "all=1"]], ids=["incremental", "all"])
def test_jsonl_root_that_is_a_file_is_one_line(everything: list[str], tmp_path: Path) -> None:
    afile = tmp_path / "output"
    afile.write_text("not a folder", "utf-8")
    proc = run("crawl", "news", "-a", f"url={DEAD}", *everything, "-s", f"JSONL_ROOT={afile}")
    assert_one_line(proc, USAGE, f"JSONL_ROOT={afile}: {afile} is a file, not a folder")


@pytest.mark.parametrize("everything", [[], ["-a", "all=1"]], ids=["incremental", "all"])
def test_jsonl_root_that_is_read_only_is_one_line(everything: list[str]) -> None:
    folder = read_only_folder()
    proc = run("crawl", "news", "-a", f"url={DEAD}", *everything, "-s", f"JSONL_ROOT={folder}")
    assert_one_line(proc, USAGE, f"JSONL_ROOT={folder}: cannot write there")


def test_incremental_db_in_a_file_is_one_line(tmp_path: Path) -> None:
    afile = tmp_path / "state"
    afile.write_text("", "utf-8")
    proc = run("crawl", "news", "-a", f"url={DEAD}", "-s", f"JSONL_ROOT={tmp_path}", "-s", f"INCREMENTAL_DB={afile}/seen.sqlite")
    assert_one_line(proc, USAGE, f"INCREMENTAL_DB={afile}/seen.sqlite: {afile} is a file, not a folder")


@pytest.mark.parametrize(("option", "expected"), [
    (["-s", "LOG_FILE={tmp}/nope/crawl.log"], "LOG_FILE={tmp}/nope/crawl.log: the folder {tmp}/nope does not exist"),
    (["--logfile", "{tmp}/afile/crawl.log"], "LOG_FILE={tmp}/afile/crawl.log: {tmp}/afile is a file, not a folder"),
    (["-s", "JOBDIR={tmp}/afile/job"], "JOBDIR={tmp}/afile/job: cannot write there"),
], ids=["log-file-folder", "logfile-under-a-file", "jobdir-under-a-file"])
def test_log_file_and_jobdir_are_checked(option: list[str], expected: str, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("", "utf-8")
    proc = run("crawl", "news", "-a", f"url={DEAD}", "-s", f"JSONL_ROOT={tmp_path}",
               *[o.format(tmp=tmp_path) for o in option])
    assert_one_line(proc, USAGE, expected.format(tmp=tmp_path))
    assert not (tmp_path / "nope").exists()


def test_a_refusal_reaches_the_log_file(tmp_path: Path) -> None:
    """Scrapyd's job log is LOG_FILE: a crawl refused before logging started still says why there, once."""
    log = tmp_path / "crawl.log"
    proc = run("crawl", "news", "-a", f"url={DEAD}", "-a", "al=1", "-s", f"LOG_FILE={log}", "-s", f"JSONL_ROOT={tmp_path}")
    assert_one_line(proc, USAGE, "-a al=1")
    [line] = log.read_text("utf-8").splitlines()
    assert "[scrapers.commands.crawl] ERROR: -a al=1" in line


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dumps")
    record = {"id": "a1", "url": "https://news.example/a.html", "title": "A", "body": "Text", "version": 1}
    (folder / "good.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    (folder / "torn.jsonl").write_text(json.dumps(record) + "\n" + '{"id": "a2", "url"\n', "utf-8")
    (folder / "fake.jsonl.gz").write_bytes(b"not gzip at all\n")
    return folder


EXPORT_CASES = [
    ("no-output", ["good.jsonl"], ["-o FILE.parquet is required"]),
    ("csv", ["good.jsonl", "-o", "a.csv"], ["-o a.csv", "Parquet only", "a.parquet"]),
    ("folder", ["good.jsonl", "-o", "out/"], ["-o out/", "a folder", "articles.parquet"]),
    ("existing-folder", ["good.jsonl", "-o", "."], ["-o .", "a folder"]),
    ("missing-folder", ["good.jsonl", "-o", "nope/a.parquet"], ["-o nope/a.parquet", "does not exist"]),
    ("no-input", ["-o", "a.parquet"], ["give at least one dump or folder", "export output/ -o"]),
    ("missing-input", ["nope.jsonl", "-o", "a.parquet"], ["no such file or folder: nope.jsonl"]),
    ("torn-line", ["torn.jsonl", "-o", "a.parquet"], ["torn.jsonl line 2: not a JSON record"]),
    ("not-gzip", ["fake.jsonl.gz", "-o", "a.parquet"], ["fake.jsonl.gz: not a readable dump"]),
    ("unknown-option", ["good.jsonl", "-o", "a.parquet", "--all-verions"], ["unknown option --all-verions",
                                                                          "did you mean --all-versions?"]),
]


@pytest.mark.parametrize(("args", "expected"), [c[1:] for c in EXPORT_CASES], ids=[c[0] for c in EXPORT_CASES])
def test_export_refuses_with_one_line(args: list[str], expected: list[str], dumps: Path) -> None:
    assert_one_line(run("export", *args, cwd=dumps), USAGE, "scrapy export: ", *expected)
    assert not list(dumps.glob("*.parquet*")), "a refused export wrote a file"


def test_export_to_a_read_only_folder_is_one_line(dumps: Path) -> None:
    folder = read_only_folder()
    assert_one_line(run("export", "good.jsonl", "-o", f"{folder}/a.parquet", cwd=dumps), USAGE,
                    f"-o {folder}/a.parquet", "cannot write there")


def test_extract_of_a_folder_without_urls_suggests_base_url(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.html").write_text("<html><body><article><h1>A</h1><p>Text.</p></article></body></html>")
    proc = run("extract", "pages", cwd=tmp_path)
    assert proc.returncode == FAILED and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "--base-url URL (a folder of pages)" in proc.stderr


OTHER_CASES = [
    ("reextract-folder", ["reextract", "."], ["scrapy reextract: . is a folder", "one job's dump"]),
    ("reextract-nothing", ["reextract"], ["scrapy reextract: give one dump", "reextract --help"]),
    ("extract-nothing", ["extract"], ["scrapy extract: give at least one file or folder"]),
    ("validate-missing", ["validate", "nope.jsonl"], ["scrapy validate: no such file or folder: nope.jsonl"]),
    ("sites-argument", ["sites", "harbour"], ["scrapy sites: takes no arguments, not harbour"]),
    ("list-option", ["list", "--all"], ["scrapy list: unknown option --all"]),
]


@pytest.mark.parametrize(("args", "expected"), [c[1:] for c in OTHER_CASES], ids=[c[0] for c in OTHER_CASES])
def test_other_commands_refuse_with_one_line(args: list[str], expected: list[str], tmp_path: Path) -> None:
    assert_one_line(run(*args, cwd=tmp_path), USAGE, *expected)


def test_a_missing_sites_dir_is_one_line(tmp_path: Path) -> None:
    proc = run("crawl", "news", "-a", f"url={DEAD}", "-s", f"SITES_DIR={tmp_path / 'nope'}")
    assert_one_line(proc, USAGE, "SITES_DIR=", "no such folder")


PROCESS_CASES = [
    ["crawl", "news", "-s", "JSONL_ROOT=out"],                                            # usage, exit 2
    ["crawl", "news", "-a", f"url={DEAD}", "-s", "JSONL_ROTO=/data"],                     # a setting's typo
    ["crawl", "news", "-a", f"url={DEAD}", "-s", "MY_LIMIT=3", "-s", "JSONL_ROOT=out"],   # warning, then exit 1
    ["export", "good.jsonl", "-o", "a.csv"],
]


@pytest.mark.parametrize("args", PROCESS_CASES, ids=["no-url", "setting-typo", "refused", "export-csv"])
def test_refusals_are_the_same_in_a_process_of_their_own(args: list[str], dumps: Path) -> None:
    """What a shell sees from ``python -m scrapy`` is what the entry function gave in the test process."""
    alone, here = run(*args, cwd=dumps, process=True), run(*args, cwd=dumps)
    assert (alone.returncode, alone.stdout, alone.stderr) == (here.returncode, here.stdout, here.stderr)
    assert alone.returncode in (USAGE, FAILED) and alone.stderr.startswith("scrapy ")
