"""Site health on real crawls (in this process) of a site we write whose template changes between runs:
each change is flagged, with exit code 3, and only the run it happened in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scrapers.commands.crawl import EXIT_HEALTH, crawl_exit_code, health_lines
from tests import inprocess
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


def test_each_template_change_is_flagged_in_its_run(site: TemplateSite, tmp_path: Path) -> None:
    root, sites = tmp_path / "out", write_config(tmp_path / "sites", site.base_url)
    for number in (1, 2, 3):
        site.next_edition("normal")
        code, found, result = crawl(root, sites)
        assert (code, found) == (0, []), f"run {number}"
        assert result.manifest["health"]["fields"]["authors"] == 1.0
        assert result.manifest["health"]["runs_known"] == number - 1

    site.next_edition("byline_renamed")
    code, found, result = crawl(root, sites)
    assert code == EXIT_HEALTH
    assert len(found) == 1 and found[0].startswith("authors 100% → 0% of records, the last 3 runs had 100–100%")
    assert "byline" in found[0]
    assert health_lines(result.run) == [f"health: {found[0]}"]

    site.next_edition("normal")  # the markup restored
    assert crawl(root, sites)[:2] == (0, [])

    site.next_edition("body_moved")
    code, found, result = crawl(root, sites)
    assert code == EXIT_HEALTH
    assert any(line.startswith("body 100% → 0% of records") for line in found), found
    assert any(line.startswith("median body 6 words, normally 160") for line in found), found

    with serve(TemplateSite()) as empty:
        empty.next_edition("empty")
        code, found, _ = crawl(root, sites, url=f"{empty.base_url}/")
        assert code == EXIT_HEALTH
        assert found[0].startswith("no article found; the last")
        # switched off with a setting, or in the site's config: reported, exit 0
        code, found, _ = crawl(root, sites, settings={"HEALTH_ALERTS": False}, url=f"{empty.base_url}/")
        assert code == 0 and found and found[0].startswith("no article found")
        write_config(sites, site.base_url, "health_alerts = false")
        code, found, result = crawl(root, sites, url=f"{empty.base_url}/")
        assert code == 0 and found and result.manifest["health"]["alerts"] is False


def test_a_first_run_without_articles_says_so(tmp_path: Path) -> None:
    with serve(TemplateSite()) as empty:
        empty.next_edition("empty")
        code, found, result = crawl(tmp_path / "out", write_config(tmp_path / "sites", empty.base_url))
    assert code == EXIT_HEALTH
    assert found == ["no article found, and no earlier run of this site to compare with: is the start URL right?"]
    assert result.manifest["health"]["runs_known"] == 0
