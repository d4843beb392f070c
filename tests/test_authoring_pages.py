"""presswire capture / check: saved pages with expected fields, checked after every change (scrapers/authoring/).

The demo site's saved pages (scrapers/sites/harbour/pages/) were captured from the demo server and read field by
field against docs/record.md and demo_site/truth.json; `make test` checks them here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.request import urlopen

import pytest

from demo_site.server import start_server
from tests.harness import ROOT
from tests.lakeside_site import STORIES, write_site
from tests.test_presswire_cli import presswire

HARBOUR = ROOT / "scrapers" / "sites"


def harbour_copy(sites: Path, config: str | None = None) -> Path:
    """The bundled harbour config and its saved pages in a user's SITES_DIR (which wins on the name)."""
    sites.mkdir(exist_ok=True)
    (sites / "harbour.toml").write_text(config or (HARBOUR / "harbour.toml").read_text("utf-8"), "utf-8")
    shutil.copytree(HARBOUR / "harbour", sites / "harbour")
    return sites / "harbour" / "pages"


def test_demo_site_saved_pages_match_their_expectations(tmp_path: Path) -> None:
    saved = sorted((HARBOUR / "harbour" / "pages").glob("*.json"))
    assert len(saved) == 6
    for path in saved:  # only complete articles are test cases: every promised field has a value
        fields = json.loads(path.read_text("utf-8"))["fields"]
        assert all(fields[name] for name in ("title", "authors", "date_published", "body", "images", "language")), path
    proc = presswire(tmp_path, "check", "harbour")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "harbour: 6 saved pages: ok\n"


def test_a_saved_expectation_the_extraction_no_longer_gives_fails_the_check(tmp_path: Path) -> None:
    """The expectations as they were before a shared rule changed: the illustrator of "Art by" became an author,
    and the body lost a sentence. Each field that differs is one line: page, field, expected, got."""
    pages = harbour_copy(tmp_path / "sites")
    review = pages / "culture-2026-11-13-review-the-lighthouse-keepers-daughter.json"
    saved = json.loads(review.read_text("utf-8"))
    saved["fields"]["authors"] = ["Hannah Kowalczyk"]
    body = saved["fields"]["body"]
    saved["fields"]["body"] = body.replace("\n\n", "\n\nAn older sentence. ", 1)
    review.write_text(json.dumps(saved), "utf-8")
    proc = presswire(tmp_path, "check", sites_dir=tmp_path / "sites")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    page = "harbour/culture-2026-11-13-review-the-lighthouse-keepers-daughter"
    assert f'{page}: authors: expected ["Hannah Kowalczyk"], got ["Hannah Kowalczyk", "Mia Lindqvist"]' in lines
    [body_line] = [line for line in lines if line.startswith(f"{page}: body: ")]
    assert "An older sentence." in body_line.split(", got ")[0] and "An older sentence." not in body_line.split(", got ")[1]
    assert lines[-1] == "harbour: 6 saved pages: 2 differences, 0 pages failed, 0 dead selectors"


def test_a_selector_that_stopped_matching_is_reported(tmp_path: Path) -> None:
    """The site dropped its headline's old class: the config's selector finds nothing on any saved page and the
    generic rules quietly took over (the fields still match), which the check says."""
    config = (HARBOUR / "harbour.toml").read_text("utf-8").replace('title = "article h1"',
                                                                    'title = "article h1.story-headline"')
    harbour_copy(tmp_path / "sites", config)
    proc = presswire(tmp_path, "check", "harbour", sites_dir=tmp_path / "sites")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        "harbour: selectors.title 'article h1.story-headline' matches nothing on the 6 saved pages "
        "(the generic rules were used instead)",
        "harbour: 6 saved pages: 0 differences, 0 pages failed, 1 dead selectors",
    ]


def test_capture_then_check_a_site_we_wrote(tmp_path: Path) -> None:
    site = write_site(tmp_path / "www")
    sites = tmp_path / "sites"
    sites.mkdir()
    with start_server(root=site) as server:
        (sites / "lakeside.toml").write_text(f'start_urls = ["{server.base_url}/"]\n'
                                             '[selectors]\nbyline = ".contributor-name"\n', "utf-8")
        urls = [server.url(f"/news/{slug}/") for slug, *_ in STORIES[:2]]
        local = tmp_path / "saved.html"  # a page saved from the browser: captured at its own canonical URL
        with urlopen(server.url(f"/news/{STORIES[2][0]}/"), timeout=10) as response:
            local.write_bytes(response.read())
        proc = presswire(tmp_path, "capture", "lakeside", *urls, "-s", "AUTOTHROTTLE_ENABLED=0", sites_dir=sites)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        proc = presswire(tmp_path, "capture", "lakeside", str(local), sites_dir=sites)  # at its canonical URL
        assert proc.returncode == 0, proc.stdout + proc.stderr
    saved = sorted(p.name for p in (sites / "lakeside" / "pages").iterdir())
    assert saved == [f"news-{slug}{suffix}" for slug, *_ in sorted(STORIES[:3]) for suffix in (".html", ".json")]
    fields = json.loads((sites / "lakeside" / "pages" / f"news-{STORIES[0][0]}.json").read_text("utf-8"))["fields"]
    assert (fields["title"], fields["authors"], fields["byline_raw"], fields["date_published"], fields["site"]) == (
        STORIES[0][2], [STORIES[0][3]], STORIES[0][3], "2026-10-12", "lakeside")
    assert fields["body"].startswith(STORIES[0][5] + "\n\n") and fields["body"].count("\n\n") == 4
    proc = presswire(tmp_path, "check", "lakeside", sites_dir=sites)  # the server is gone: saved pages only
    assert (proc.returncode, proc.stdout) == (0, "lakeside: 3 saved pages: ok\n"), proc.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["capture", "nosuch", "http://127.0.0.1:9/a"], "presswire capture: unknown site 'nosuch'"),
    (["capture", "harbour", "missing.html"], "presswire capture: no such file: missing.html"),
    (["check", "nosuch"], "presswire check: unknown site 'nosuch'"),
])
def test_usage_mistakes_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    proc = presswire(tmp_path, *args)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and proc.stderr.startswith(message), proc.stderr


def test_a_saved_page_without_its_expectation_is_one_line(tmp_path: Path) -> None:
    pages = harbour_copy(tmp_path / "sites")
    next(pages.glob("*.json")).unlink()
    proc = presswire(tmp_path, "check", sites_dir=tmp_path / "sites")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "saved page without its" in proc.stderr


def test_capture_writes_nothing_for_a_page_that_is_not_an_article(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    sites.mkdir()
    (sites / "blank.toml").write_text('start_urls = ["http://127.0.0.1:9/"]\n', "utf-8")
    empty = tmp_path / "empty.html"
    empty.write_text("   ", "utf-8")
    proc = presswire(tmp_path, "capture", "blank", str(empty), "--url", "http://127.0.0.1:9/a", sites_dir=sites)
    assert proc.returncode == 1 and "no article (empty" in proc.stderr, proc.stderr
    assert not (sites / "blank" / "pages").exists()


def test_capture_again_rewrites_the_expectations_that_changed_and_keeps_fields_taken_out(tmp_path: Path) -> None:
    """After a change meant to alter fields: --again rewrites them (for review in the diff); a field the reviewer
    took out of an expectation stays out."""
    pages = harbour_copy(tmp_path / "sites")
    review = pages / "culture-2026-11-13-review-the-lighthouse-keepers-daughter.json"
    saved = json.loads(review.read_text("utf-8"))
    saved["fields"]["authors"] = ["Hannah Kowalczyk"]
    del saved["fields"]["tags"]
    review.write_text(json.dumps(saved), "utf-8")
    before = {p.name: p.read_bytes() for p in pages.iterdir() if p.name != review.name}
    proc = presswire(tmp_path, "capture", "harbour", "--again", sites_dir=tmp_path / "sites")
    assert proc.returncode == 0, proc.stderr
    assert "harbour/culture-2026-11-13-review-the-lighthouse-keepers-daughter: rewrote authors" in proc.stdout
    assert proc.stdout.count(": unchanged\n") == 5
    fields = json.loads(review.read_text("utf-8"))["fields"]
    assert fields["authors"] == ["Hannah Kowalczyk", "Mia Lindqvist"] and "tags" not in fields
    assert before == {p.name: p.read_bytes() for p in pages.iterdir() if p.name != review.name}
    proc = presswire(tmp_path, "check", sites_dir=tmp_path / "sites")
    assert (proc.returncode, proc.stdout) == (0, "harbour: 6 saved pages: ok\n")


def test_a_page_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    sites = tmp_path / "sites"
    (sites / "blank").mkdir(parents=True)
    (sites / "blank.toml").write_text('start_urls = ["http://127.0.0.1:9/"]\n', "utf-8")
    (sites / "blank" / "pages").write_text("a file where the folder should be", "utf-8")
    page = tmp_path / "page.html"
    page.write_bytes((HARBOUR / "harbour" / "pages" /
                      "world-2026-11-11-fishing-quota-talks-resume-in-reykjavik.html").read_bytes())
    proc = presswire(tmp_path, "capture", "blank", str(page), sites_dir=sites)
    assert proc.returncode == 1 and proc.stderr.startswith(f"presswire capture: {page}: not saved: "), proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in (sites / "blank").iterdir()) == ["pages"]
