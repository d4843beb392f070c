"""Every path a crawl builds from a setting or an argument stays inside its output root: a job id
(``JOB_ID``, Scrapyd's ``_job``, ``SCRAPY_JOB``) or a path pattern that climbs out with ``..``, names an
absolute path or holds a separator is refused before the crawl starts, in one line, exit 2 (the crawl
command run in this process: tests/commandline.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.commandline import crawl_command
from tests.hostile.site import article_html, page, serve

STORY = "/news/2026/11/20/story-about-the-harbour-wall.html"
HOME = f'<html><body><a href="{STORY}">story</a></body></html>'

CASES = [
    # (id, settings, spider arguments, environment, what the line names)
    ("job-id-climbs", {"JOB_ID": "../../escaped"}, [], {}, "JOB_ID"),
    ("job-id-absolute", {"JOB_ID": "{outside}/escaped"}, [], {}, "JOB_ID"),
    ("job-id-separator", {"JOB_ID": "nightly/escaped"}, [], {}, "JOB_ID"),
    ("job-id-dotdot", {"JOB_ID": ".."}, [], {}, "JOB_ID"),
    ("job-id-backslash", {"JOB_ID": "..\\escaped"}, [], {}, "JOB_ID"),
    ("scrapyd-job", {}, ["-a", "_job=../../escaped"], {}, "_job"),
    ("scrapy-job-env", {}, [], {"SCRAPY_JOB": "../../escaped"}, "SCRAPY_JOB"),
    ("pattern-climbs", {"JSONL_PATH_PATTERN": "crawl={name}/../../../escaped/{job_id}.jsonl"}, [], {},
     "JSONL_PATH_PATTERN"),
]


@pytest.mark.parametrize(("settings", "arguments", "env", "named"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_path_out_of_the_output_root_is_refused_at_start(
        tmp_path: Path, settings: dict[str, str], arguments: list[str], env: dict[str, str], named: str) -> None:
    root = tmp_path / "deep" / "deeper" / "out"
    outside = tmp_path / "outside"
    settings = {k: v.replace("{outside}", str(outside)) for k, v in settings.items()}
    with serve({"/": page(HOME), STORY: page(article_html("Harbour wall"))}) as site:
        result = crawl_command(root, "news", "-a", f"url={site.base_url}/", *arguments, settings=settings, env=env)
        assert site.requests == [], "the crawl started"
    lines = result.log.strip().splitlines()
    assert result.returncode == 2, result.log[-3000:]
    assert len(lines) == 1 and named in lines[0], result.log[-3000:]
    assert "Traceback" not in result.log
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != root.name + ".log"]
    assert written == [], written


@pytest.mark.parametrize("value", ["..", ".", "a/../b", "C:\\escaped", "-rf", "nightly\x00", "x" * 129, "ni\u0301ghtly",
                                   "nightly\n", " nightly", "nightly/"])
def test_job_id_spellings_that_could_leave_the_root_are_refused(value: str) -> None:
    from scrapers.config.checks import check_settings

    problems = check_settings({"JOB_ID": value})
    assert len(problems) == 1 and problems[0].startswith("setting JOB_ID="), problems


@pytest.mark.parametrize("value", ["nightly", "2026-12-07.nightly_2", "a" * 128, "0f3c9e2a1b"])
def test_ordinary_job_ids_pass(value: str) -> None:
    from scrapers.config.checks import check_settings

    assert check_settings({"JOB_ID": value}) == []
