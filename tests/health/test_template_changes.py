"""Site health on real crawls (in this process) of a site we write whose template changes between runs:
each change is flagged, with exit code 3, and only the run it happened in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scrapers.commands.crawl import EXIT_HEALTH, crawl_exit_code, health_lines
from scrapers.health.report import MEASURES
from tests import inprocess
from tests.commandline import Completed, crawl_command, run_command
from tests.harness import fill, small_disk
from tests.health.browser import chromium
from tests.health.site import SITE_CONFIG, TemplateSite, serve


@pytest.fixture
def site() -> Iterator[TemplateSite]:
    with serve(TemplateSite()) as served:
        yield served


def write_config(folder: Path, base_url: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "courier.toml").write_text(SITE_CONFIG.format(base=base_url, extra=extra), "utf-8")
    return folder


def crawl(root: Path, sites: Path, settings: dict[str, Any] | None = None, **arguments: str
          ) -> tuple[int, list[str], inprocess.InProcessCrawl]:
    result = inprocess.crawl(root, "courier", settings={"SITES_DIR": str(sites), **(settings or {})}, **arguments)
    run = result.run
    assert run.health is not None
    assert result.manifest["health"]["findings"] == run.health.findings
    return crawl_exit_code(run, result.exit_problems), run.health.findings, result


# one worker runs this file: its module fixture (a crawl) is made once, not once per worker and visit
pytestmark = pytest.mark.xdist_group("health_history")


@pytest.fixture(scope="module")
def template_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One site's runs, in order: three normal, the byline renamed, restored, the body moved, and a wrong
    (empty) site: each run's exit code and findings, and the output root (with the store's history)."""
    tmp_path = tmp_path_factory.mktemp("health")
    root = tmp_path / "out"
    runs: dict[str, Any] = {"root": root}
    with serve(TemplateSite()) as site, serve(TemplateSite()) as empty:
        sites = write_config(tmp_path / "sites", site.base_url)
        runs["sites"] = sites
        for name, template in (("1", "normal"), ("2", "normal"), ("3", "normal"), ("4", "byline_renamed"),
                               ("4 restored", "normal"), ("5", "body_moved")):
            site.next_edition(template)
            runs[name] = crawl(root, sites)
        empty.next_edition("empty")
        runs["6"] = crawl(root, sites, url=f"{empty.base_url}/")
        runs["6, HEALTH_ALERTS=0"] = crawl(root, sites, settings={"HEALTH_ALERTS": False}, url=f"{empty.base_url}/")
        write_config(sites, site.base_url, "health_alerts = false")
        runs["6, health_alerts = false"] = crawl(root, sites, url=f"{empty.base_url}/")
        yield runs


def test_normal_runs_flag_nothing(template_runs: dict[str, Any]) -> None:
    for number in ("1", "2", "3", "4 restored"):
        code, found, result = template_runs[number]
        assert (code, found) == (0, []), f"run {number}"
        assert result.manifest["health"]["fields"]["authors"] == 1.0
    assert [template_runs[n][2].manifest["health"]["runs_known"] for n in ("1", "2", "3")] == [0, 1, 2]


def test_a_renamed_byline_flags_authors(template_runs: dict[str, Any]) -> None:
    code, found, result = template_runs["4"]
    assert code == EXIT_HEALTH
    assert found == ["authors 100% → 0% of records, the last 3 runs had 100–100%: has the byline markup changed?"]
    assert health_lines(result.run) == [f"health: {found[0]}"]


def test_a_moved_body_flags_the_body(template_runs: dict[str, Any]) -> None:
    code, found, _ = template_runs["5"]
    assert code == EXIT_HEALTH
    assert any(line.startswith("body 100% → 0% of records") for line in found), found
    assert any(line.startswith("median body 6 words, normally 160") for line in found), found


def test_a_site_without_articles_flags_zero_articles(template_runs: dict[str, Any]) -> None:
    code, found, _ = template_runs["6"]
    assert code == EXIT_HEALTH
    assert found[0].startswith("no article found; the last 6 runs found 12–60: have the sitemaps")
    # switched off with a setting, or in the site's config: reported, exit 0
    for switched_off in ("6, HEALTH_ALERTS=0", "6, health_alerts = false"):
        code, found, result = template_runs[switched_off]
        assert code == 0 and found[0].startswith("no article found"), switched_off
        assert result.manifest["health"]["alerts"] is False


def test_a_first_run_without_articles_says_so(tmp_path: Path) -> None:
    with serve(TemplateSite()) as empty:
        empty.next_edition("empty")
        code, found, result = crawl(tmp_path / "out", write_config(tmp_path / "sites", empty.base_url))
    assert code == EXIT_HEALTH
    assert found == ["no article found, and no earlier run of this site to compare with: is the start URL right?"]
    assert result.manifest["health"]["runs_known"] == 0


def test_scrapy_crawl_prints_the_health_lines_and_exits_3(tmp_path: Path) -> None:
    """The command itself, through its entry function (tests/commandline.py): its exit code and stderr."""
    with serve(TemplateSite()) as empty:
        empty.next_edition("empty")
        sites = write_config(tmp_path / "sites", empty.base_url)
        done = crawl_command(tmp_path / "out", "courier", "-L", "WARNING", settings={"SITES_DIR": str(sites)})
    assert done.returncode == EXIT_HEALTH, done.log[-2000:]
    lines = done.log.splitlines()
    summary = next(i for i, line in enumerate(lines) if line.startswith("summary: "))
    assert lines[summary + 1] == ("health: no article found, and no earlier run of this site to compare with: "
                                  "is the start URL right?")
    assert lines[summary + 2].startswith("scrapy crawl: crawl of courier worked, but 1 site health finding(s)")
    assert "Traceback" not in done.log


def presswire(*args: str) -> Completed:
    return run_command(*args, env={"SCRAPY_SETTINGS_MODULE": None}, program="presswire")


def test_presswire_health_prints_one_table_and_writes_the_page(template_runs: dict[str, Any], tmp_path: Path) -> None:
    page = tmp_path / "health.html"
    proc = presswire("health", str(template_runs["root"]), "--html", str(page))
    assert proc.returncode == 0, proc.stderr
    rows = [line.split() for line in proc.stdout.splitlines()]
    assert rows[0] == ["site", "measure", "last", "run", "normal", "runs"]
    authors = next(row for row in rows if row[:2] == ["courier", "authors"])
    assert authors[2:] == ["–", "100%", "9"]  # the last run (the empty site) measured no record
    assert "courier" in proc.stdout and "health: no article found" in proc.stdout
    text = page.read_text("utf-8")
    assert "<script" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # usage: no store under the folder (2); a page that cannot be written (1): one line each
    proc = presswire("health", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.startswith("presswire health: ") and proc.stderr.count("\n") == 1
    proc = presswire("health", str(template_runs["root"]), "--html", str(tmp_path / "no-such-folder" / "h.html"))
    assert proc.returncode == 1 and "cannot write the page" in proc.stderr and "Traceback" not in proc.stderr


def test_the_page_loads_in_headless_chromium_with_one_chart_per_site_and_measure(
        template_runs: dict[str, Any], tmp_path: Path) -> None:
    binary = chromium()
    page_file = tmp_path / "health.html"
    assert presswire("health", str(template_runs["root"]), "--html", str(page_file)).returncode == 0
    sync_api = pytest.importorskip("playwright.sync_api")
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(binary), args=["--no-sandbox"])
        try:
            tab = browser.new_page(viewport={"width": 1100, "height": 800})
            tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.on("request", lambda request: requests.append(request.url))
            tab.goto(page_file.as_uri(), wait_until="load")
            charts = tab.eval_on_selector_all(
                "section.site figure.chart",
                "figures => figures.map(f => [f.closest('section').dataset.site, f.dataset.field,"
                " f.querySelectorAll('svg circle').length, f.querySelectorAll('svg circle.flagged').length])")
            shot = Path(os.environ.get("PRESSWIRE_HEALTH_SCREENSHOT", tmp_path / "health.png"))
            tab.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert requests == [page_file.as_uri()]  # nothing fetched but the page itself
    assert sorted((site, key) for site, key, _, _ in charts) == sorted(("courier", key) for key, _, _ in MEASURES)
    by_field = {key: (circles, flagged) for _, key, circles, flagged in charts}
    assert by_field["authors"] == (6, 1)  # runs with records (not the three empty-site runs); run 4 flagged
    assert by_field["body"] == (6, 1)  # run 5
    assert by_field["median_body_words"] == (6, 1)
    assert by_field["articles"] == (9, 3)  # every run; the three empty-site runs flagged for it
    assert by_field["title"] == (6, 0)
    assert shot.stat().st_size > 10_000


def test_real_runs_whose_byline_coverage_varies_a_little_flag_nothing(tmp_path: Path) -> None:
    """Noise, crawled: six runs, each leaving 0-10 % of its new articles without a byline."""
    with serve(TemplateSite()) as site:
        sites = write_config(tmp_path / "sites", site.base_url)
        coverage = []
        for share in (0.0, 0.1, 0.05, 0.1, 0.0, 0.1):
            site.next_edition("normal", missing_authors=share)
            code, found, result = crawl(tmp_path / "out", sites)
            assert (code, found) == (0, []), share
            coverage.append(result.manifest["health"]["fields"]["authors"])
    assert min(coverage) < 1.0  # some runs did miss bylines


def test_a_full_disk_keeps_the_last_health_page_whole(template_runs: dict[str, Any], tmp_path: Path) -> None:
    """The page was rewritten in place: on a full disk the last one was cut to what fitted."""
    with small_disk(tmp_path / "disk", "64k") as disk:
        page = disk / "health.html"
        page.write_text("<html>the last page</html>", "utf-8")
        fill(disk / "filler")
        proc = presswire("health", str(template_runs["root"]), "--html", str(page))
        assert proc.returncode == 1 and proc.stderr == (f"presswire health: {page}: cannot write the page: No space "
                                                        "left on device\n")
        assert page.read_text("utf-8") == "<html>the last page</html>"
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "health.html"]
