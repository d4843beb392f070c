"""README and the docs pages say what runs: their cron lines alert only on real failures, the systemd unit
means what its comments say, the DuckDB snippet works for a pip user, and README stays a newcomer's path
(at most 200 lines, `make demo` and `make test` first, every docs/ link resolving)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scrapers.config.checks import SETTINGS
from scrapers.extraction import Article
from tests.harness import ROOT
from tests.test_install_wheel import clean_env

README = ROOT / "README.md"
DOCS = ROOT / "docs"
SCHEDULING = DOCS / "scheduling.md"
README_MAX_LINES = 200
CRAWL_EXITS = {0: False, 1: True, 2: True, 3: True, 75: False}  # exit code -> should the line alert?
CURL_EXITS = {0: False, 7: True, 22: True}  # 7: Scrapyd cannot be reached, 22: an HTTP error (-f)


def code_blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", path.read_text("utf-8"), flags=re.M | re.S)


def cron_lines(path: Path) -> list[str]:
    return [line for block in code_blocks(path, "cron") for line in block.splitlines()
            if line.strip() and not line.startswith("#")]


DOCUMENTED_CRON = [(path.relative_to(ROOT).as_posix(), line) for path in (README, SCHEDULING)
                   for line in cron_lines(path)]


def test_the_pages_hold_the_cron_lines_this_test_runs() -> None:
    found = [page for page, _ in DOCUMENTED_CRON]
    assert found.count("README.md") >= 1 and found.count("docs/scheduling.md") >= 3, found


def stand_ins(tmp_path: Path) -> dict[str, str]:
    """A machine in a folder: /srv, /var and /data under tmp_path, a crawl and curl that exit $STANDIN_EXIT,
    and a mail that keeps what it was sent."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = '#!/bin/sh\necho "$0 $*" >> "$STANDIN_CALLS"\necho "stand-in $0 exits $STANDIN_EXIT" >&2\nexit "$STANDIN_EXIT"\n'
    for path in (tmp_path / "srv/presswire/.venv/bin/scrapy", bin_dir / "scrapy", bin_dir / "presswire",
                 bin_dir / "curl"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(tool, "utf-8")
        path.chmod(0o755)
    mail = bin_dir / "mail"
    mail.write_text('#!/bin/sh\n{ echo "to: $*"; cat; } >> "$STANDIN_MAIL"\n', "utf-8")
    mail.chmod(0o755)
    (tmp_path / "var/log/presswire").mkdir(parents=True)
    (tmp_path / "data/presswire").mkdir(parents=True)
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path),
            "STANDIN_CALLS": str(tmp_path / "calls"), "STANDIN_MAIL": str(tmp_path / "mail")}


@pytest.mark.parametrize(("page", "line"), DOCUMENTED_CRON, ids=[f"{p}:{i}" for i, (p, _) in enumerate(DOCUMENTED_CRON)])
def test_cron_line_alerts_only_on_real_failures(page: str, line: str, tmp_path: Path) -> None:
    fields = line.split(None, 5)
    assert len(fields) == 6, f"{page}: not a cron line: {line}"
    command = fields[5]
    assert "%" not in command, f"{page}: cron turns % into a newline: {line}"
    is_crawl = " crawl " in command
    if is_crawl:
        assert "-L WARNING" in command, f"{page}: a scheduled crawl logs at WARNING: {line}"
    exits = CRAWL_EXITS if is_crawl else CURL_EXITS
    # the line as written, with its absolute paths moved under tmp_path
    for code, alerts in exits.items():
        root = tmp_path / f"exit{code}"
        root.mkdir()
        env = stand_ins(root)
        local = re.sub(r"(?<![\w.])/(srv|var|data)/", f"{root}/\\1/", command)
        proc = subprocess.run(["sh", "-c", local], env={**env, "STANDIN_EXIT": str(code)}, cwd=root,
                              capture_output=True, text=True, timeout=30)
        calls = Path(env["STANDIN_CALLS"]).read_text("utf-8").splitlines()
        assert len(calls) == 1, (page, code, calls, proc.stderr)
        mail = Path(env["STANDIN_MAIL"])
        assert mail.exists() == alerts, f"{page}, exit {code}: {'no alert' if alerts else 'an alert'}: {line}"
        if alerts and is_crawl:
            assert f"exit {code}" in mail.read_text("utf-8")
        if is_crawl:  # the crawl's own output goes to its log, not to cron's mail
            assert proc.stdout == "" and proc.stderr == "", proc.stdout + proc.stderr
            assert f"exits {code}" in next((root / "var/log/presswire").iterdir()).read_text("utf-8")


def systemd_units() -> dict[str, str]:
    """The unit files of docs/scheduling.md by name: each ```ini block that follows a `/etc/systemd/...` path."""
    text = SCHEDULING.read_text("utf-8")
    return dict(re.findall(r"`/etc/systemd/system/([\w.-]+)`:\s*\n+```ini\n(.*?)^```$", text, flags=re.M | re.S))


def test_the_systemd_unit_means_what_it_says() -> None:
    units = systemd_units()
    service = units["presswire-harbour.service"]
    assert "presswire-harbour.timer" in units
    assert re.search(r"^SuccessExitStatus=75$", service, flags=re.M)
    assert re.search(r"^ExecStart=.* crawl .*-L WARNING", service, flags=re.M)
    # RestartPreventExitStatus= does nothing unless Restart= restarts the unit
    if "RestartPreventExitStatus=" in service:
        assert re.search(r"^Restart=(on-failure|on-abnormal|always)$", service, flags=re.M)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_analyze_accepts_the_units(tmp_path: Path) -> None:
    stand_in = tmp_path / "scrapy"
    stand_in.write_text("#!/bin/sh\nexit 0\n", "utf-8")
    stand_in.chmod(0o755)
    for name, unit in systemd_units().items():
        unit = unit.replace("/srv/presswire/.venv/bin/scrapy", str(stand_in)).replace("/srv/presswire", str(tmp_path))
        (tmp_path / name).write_text(unit, "utf-8")
    proc = subprocess.run(["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.glob("presswire-*"))],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and not (proc.stdout + proc.stderr).strip(), proc.stdout + proc.stderr


def test_readme_is_a_short_path_that_starts_with_make_demo_and_make_test() -> None:
    lines = README.read_text("utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; reference goes to docs/"
    first_block = code_blocks(README, "sh")[0]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands[:2] == ["make demo", "make test"]
    assert README.read_text("utf-8").index(first_block) < README.read_text("utf-8").index("\n## ")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("page", [README, *sorted(DOCS.glob("*.md"))], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_to_a_page_resolves(page: Path) -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", page.read_text("utf-8"))
    local = [link for link in links if not re.match(r"[a-z]+:", link)]
    if page == README:
        assert any(link.startswith("docs/") for link in local)
    for link in local:
        path, _, fragment = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.is_file(), f"{page.name}: {link} does not exist"
        if fragment:
            headings = re.findall(r"^#+ (.+)$", target.read_text("utf-8"), flags=re.M)
            assert fragment in {anchor(h) for h in headings}, f"{page.name}: {link}: no such heading"


def test_the_settings_page_names_every_project_setting() -> None:
    page = (DOCS / "settings.md").read_text("utf-8")
    missing = [name for name in SETTINGS if f"`{name}`" not in page]
    assert not missing, f"docs/settings.md does not describe {', '.join(missing)}"


def snippet(path: Path) -> str:
    [block] = [b for b in code_blocks(path, "python") if "view_sql" in b]
    return block


def dumps(folder: Path) -> None:
    """Two sites' dumps under folder/output, as a crawl publishes them (the view reads the glob)."""
    for site, day in (("harbour", "2026-11-20"), ("quay", "2026-11-21")):
        record = Article(url=f"https://{site}.example/a/1.html", site=site, title="A headline",
                         date_published=f"{day}T14:05:00+01:00").to_dict()
        record.update(fetched_at=f"{day}T15:00:00+00:00", spider="news", version=1)
        dump = folder / "output" / f"crawl={site}" / f"date={day}" / "20261120T150000Z-ab12cd.jsonl"
        dump.parent.mkdir(parents=True)
        dump.write_text(json.dumps(record) + "\n", "utf-8")


@pytest.mark.parametrize("page", [README, DOCS / "output.md"], ids=["README.md", "docs/output.md"])
def test_duckdb_snippet_runs_in_a_checkout(page: Path, tmp_path: Path) -> None:
    code = snippet(page)
    # the import the snippet names for a checkout
    checkout = re.search(r"from (scrapers\.export\.duckdb_view)", page.read_text("utf-8"))
    assert checkout, f"{page.name}: the snippet says which import a checkout uses"
    code = code.replace("presswire.scrapers.export.duckdb_view", checkout.group(1))
    dumps(tmp_path)
    proc = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n" + code],
                          cwd=tmp_path, env={**os.environ, "TZ": "UTC"}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "harbour" in proc.stdout and "quay" in proc.stdout
    assert "2026-11-20 13:05:00+00" in proc.stdout  # a typed, UTC timestamp


@pytest.mark.xdist_group("wheel")
@pytest.mark.parametrize("page", [README, DOCS / "output.md"], ids=["README.md", "docs/output.md"])
def test_duckdb_snippet_runs_for_a_pip_user(page: Path, installed: Path, tmp_path: Path) -> None:
    dumps(tmp_path)
    proc = subprocess.run([str(installed / "python"), "-c", snippet(page)], cwd=tmp_path, env=clean_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "harbour" in proc.stdout and "quay" in proc.stdout


@pytest.mark.xdist_group("wheel")
def test_the_view_sql_comes_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    proc = subprocess.run([str(installed / "python"), "-m", "presswire.scrapers.export.duckdb_view"], cwd=tmp_path,
                          env=clean_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (ROOT / "scrapers" / "export" / "articles.sql").read_text("utf-8")
