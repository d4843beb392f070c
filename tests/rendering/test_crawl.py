"""Real crawls of our JavaScript test site (tests/rendering/site.py) with the real browser, in this process
(tests/inprocess.py); the one that kills the browser under a crawl runs it in a process of its own."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scrapers.rendering.footprint import descendants
from tests.commandline import run_command
from tests.harness import Crawl, read_jsonl, start_crawl, wait_for
from tests.inprocess import InProcessCrawl, run_crawl
from tests.rendering.site import FAILING, PLAIN, RENDERED, RenderSite, page_for, serve, story

# Short bounds for the pages that never settle; a high RENDER_AFTER keeps every page of the one host
# on the plain-first path (the memory has its own test).
FAST = {"RENDER_TIMEOUT": "5", "RENDER_AFTER": "100"}


def site_config(folder: Path, site: RenderSite, render: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ferry.toml").write_text(f'start_urls = ["{site.base_url}/"]\nrender = "{render}"\n', "utf-8")
    return folder


def by_path(crawl: Crawl | InProcessCrawl, site: RenderSite) -> dict[str, dict]:
    return {r["url"][len(site.base_url):]: r for r in crawl.records}


# one worker runs this file: its module fixture (a crawl) is made once, not once per worker and visit
pytestmark = pytest.mark.xdist_group("rendering_crawl")


@pytest.fixture(scope="module")
def auto_crawl(browser: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[InProcessCrawl, RenderSite]]:
    root = tmp_path_factory.mktemp("auto")
    with serve() as site:
        sites = site_config(root.with_name(root.name + "-sites"), site, "auto")
        crawl = run_crawl(root, "news", "-a", "site=ferry",
                          settings={**FAST, "SITES_DIR": str(sites), "WARC_ENABLED": "1"})
        yield crawl, site


def test_auto_writes_every_article_whole(auto_crawl: tuple[InProcessCrawl, RenderSite]) -> None:
    crawl, site = auto_crawl
    written = by_path(crawl, site)
    assert sorted(written) == sorted([*PLAIN, *RENDERED]), crawl.log[-3000:]
    for path, title in {**PLAIN, **RENDERED}.items():
        assert written[path]["title"] == title
        assert written[path]["body"].split("\n\n") == story(title)["paragraphs"]


def test_bounded_cases_fail_with_their_reasons(auto_crawl: tuple[InProcessCrawl, RenderSite]) -> None:
    crawl, site = auto_crawl
    reasons = {f["url"][len(site.base_url):]: f["reason"] for f in crawl.failures}
    assert reasons == FAILING
    assert crawl.returncode == 0


def test_only_pages_without_an_article_go_to_the_browser(auto_crawl: tuple[InProcessCrawl, RenderSite]) -> None:
    crawl, site = auto_crawl
    for path in PLAIN:
        assert site.hits(path) == (1, 0), path
    for path in [*RENDERED, *FAILING]:
        assert site.hits(path) == (1, 1), path
    for path in ("/", "/robots.txt", "/sitemap.xml", "/feed.xml"):  # robots.txt: its middleware and the spider
        plain, browser = site.hits(path)
        assert plain >= 1 and browser == 0, path


def test_consent_walls_are_refused_not_accepted(auto_crawl: tuple[InProcessCrawl, RenderSite]) -> None:
    _, site = auto_crawl
    assert site.hits("/api/consent?choice=reject")[1] >= 3  # the button, the frame, the wall that stays
    assert site.hits("/api/consent?choice=accept") == (0, 0)


def test_never_renders_nothing(browser: str, site: RenderSite, tmp_path: Path) -> None:
    sites = site_config(tmp_path / "sites", site, "never")
    crawl = run_crawl(tmp_path / "out", "news", "-a", "site=ferry", settings={**FAST, "SITES_DIR": str(sites)})
    assert sorted(by_path(crawl, site)) == sorted(PLAIN)
    assert not any(made_by_browser for _, made_by_browser in site.requests)
    assert "Playwright" not in crawl.log  # no driver started


def test_without_the_browser_the_crawl_says_so_once_and_goes_on(site: RenderSite, tmp_path: Path) -> None:
    crawl = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/",
                      settings={**FAST, "RENDER_BROWSER": str(tmp_path / "no-browser")})
    assert sorted(by_path(crawl, site)) == sorted(PLAIN)
    lines = [line for line in crawl.log.splitlines() if "pages cannot be rendered" in line]
    assert len(lines) == 1 and "chromium-headless-shell" in lines[0], crawl.log[-3000:]
    assert not any(made_by_browser for _, made_by_browser in site.requests)


def test_a_host_that_needed_the_browser_is_remembered(browser: str, site: RenderSite, tmp_path: Path) -> None:
    settings = {**FAST, "RENDER_AFTER": "2", "INCREMENTAL_ENABLED": "0"}
    first = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/", settings=settings)
    assert first.returncode == 0
    with sqlite3.connect(tmp_path / ".state" / "rendering.sqlite") as db:
        assert [host for (host,) in db.execute("SELECT host FROM needs_rendering")] == ["127.0.0.1"]
    site.requests.clear()
    second = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/", settings=settings)
    assert sorted(by_path(second, site)) == sorted([*PLAIN, *RENDERED])
    for path in [*PLAIN, *RENDERED]:
        assert site.hits(path) == (0, 1), path  # straight to the browser, never fetched twice


def test_the_rendered_dom_is_archived_beside_the_network_response(auto_crawl: tuple[InProcessCrawl, RenderSite]) -> None:
    crawl, site = auto_crawl
    assert crawl.dump is not None
    records: dict[str, tuple[str, dict[str, str | None], bytes]] = {}  # id -> (type, headers, payload)
    with open(crawl.dump.with_name(crawl.dump.name.removesuffix(".jsonl") + ".warc.gz"), "rb") as handle:
        for record in ArchiveIterator(handle):
            headers = {name: record.rec_headers.get_header(name)
                       for name in ("WARC-Target-URI", "WARC-Refers-To", "Content-Type")}
            records[record.rec_headers.get_header("WARC-Record-ID")] = (
                record.rec_type, headers, record.content_stream().read())
    for written in crawl.records:
        path = written["url"][len(site.base_url):]
        kind, headers, payload = records[written["warc_record_id"]]
        first_paragraph = str(story(written["title"])["paragraphs"][0]).encode()  # type: ignore[index]
        if path in PLAIN:
            assert kind == "response" and first_paragraph in payload
            continue
        assert kind == "conversion" and first_paragraph in payload, path
        refers_to = headers["WARC-Refers-To"]
        assert refers_to is not None
        network_kind, network_headers, network_payload = records[refers_to]
        assert network_kind == "response" and network_headers["WARC-Target-URI"] == written["url"]
        assert network_payload == page_for(path)[2].encode("utf-8")  # as the server sent it


def test_reextract_reads_the_rendered_dom(auto_crawl: tuple[InProcessCrawl, RenderSite], tmp_path: Path) -> None:
    crawl, _ = auto_crawl
    assert crawl.dump is not None
    proc = run_command("reextract", str(crawl.dump), "-o", str(tmp_path / "again.jsonl"), "-s", "EXTRACTION_WORKERS=0")
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = {r["url"]: r for r in read_jsonl(tmp_path / "again.jsonl")}
    assert {url: r["body"] for url, r in again.items()} == {r["url"]: r["body"] for r in crawl.records}
    [manifest] = tmp_path.glob("*.manifest.json")
    assert json.loads(manifest.read_text("utf-8"))["counts"]["changed"] == 0


def test_a_browser_that_dies_fails_its_pages_and_the_crawl_goes_on(browser: str, site: RenderSite,
                                                                   tmp_path: Path) -> None:
    """The browser is killed while it holds the page that never settles (one page open at a time):
    that page fails as render_crashed, the pages waiting for the browser get a new one."""
    sites = site_config(tmp_path / "sites", site, "always")
    crawl = start_crawl(tmp_path / "out", "news", "-a", "site=ferry",
                        settings={"RENDER_TIMEOUT": "30", "RENDER_PAGES": "1", "SITES_DIR": str(sites)})
    try:
        wait_for(lambda: site.hits("/news/2026/12/05/restless-story.html")[1], 120, "the browser on the restless page")
        time.sleep(1)
        [main] = [pid for pid in descendants(crawl.pid) if _exe(pid) == os.path.realpath(browser)
                  and _exe(_parent(pid)) != os.path.realpath(browser)]
        os.kill(main, signal.SIGKILL)
    finally:
        crawl.wait(180)
    reasons = {f["url"][len(site.base_url):]: f["reason"] for f in crawl.failures}
    assert reasons == {**FAILING, "/news/2026/12/05/restless-story.html": "render_crashed"}, crawl.log[-3000:]
    assert sorted(by_path(crawl, site)) == sorted([*PLAIN, *RENDERED])
    assert "'presswire/render/browser_starts': 2" in crawl.log


def _exe(pid: int) -> str:
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return ""


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def test_a_browser_past_its_memory_ceiling_is_restarted(browser: str, site: RenderSite, tmp_path: Path) -> None:
    """Memory is measured every 5 rendered pages: one page at a time, the 7 that render make one restart."""
    sites = site_config(tmp_path / "sites", site, "always")
    crawl = run_crawl(tmp_path / "out", "news", "-a", "site=ferry",
                      settings={**FAST, "RENDER_MEMORY_LIMIT_MB": "1", "RENDER_PAGES": "1", "SITES_DIR": str(sites)})
    assert sorted(by_path(crawl, site)) == sorted([*PLAIN, *RENDERED]), crawl.log[-3000:]
    for path in ("/", "/robots.txt", "/sitemap.xml", "/feed.xml"):  # never rendered, even under always
        plain, browser = site.hits(path)
        assert plain >= 1 and browser == 0, path
    assert "'presswire/render/browser_restarts': 1" in crawl.log
    assert "'presswire/render/browser_starts': 2" in crawl.log


def test_a_wait_for_selector_that_never_comes_is_a_timeout(browser: str, site: RenderSite, tmp_path: Path) -> None:
    """render_wait_for: the article is there when this selector has text; a page without it times out."""
    sites = site_config(tmp_path / "sites", site, "always")
    with (sites / "ferry.toml").open("a", encoding="utf-8") as config:
        config.write('render_wait_for = "#comments p"\n')
    crawl = run_crawl(tmp_path / "out", "news", "-a", "site=ferry",
                      settings={**FAST, "RENDER_TIMEOUT": "2", "SITES_DIR": str(sites)})
    assert crawl.records == []
    reasons = {f["url"][len(site.base_url):]: (f["reason"], f["detail"]) for f in crawl.failures}
    expected = "RenderTimeout: '#comments p' not on the page after 2 s"
    assert reasons == {path: ("render_timeout", expected) for path in [*PLAIN, *RENDERED, *FAILING]}
    assert crawl.returncode == 1  # every page failed


def test_a_browser_that_cannot_start_fails_its_pages_not_the_crawl(site: RenderSite, tmp_path: Path) -> None:
    """RENDER_BROWSER names a program that is not a browser: every page sent to it is a render_error."""
    crawl = run_crawl(tmp_path, "news", "-a", f"url={site.base_url}/",
                      settings={**FAST, "RENDER_BROWSER": "/bin/false"})
    assert sorted(by_path(crawl, site)) == sorted(PLAIN)
    reasons = {f["url"][len(site.base_url):]: f["reason"] for f in crawl.failures}
    assert reasons == {path: "render_error" for path in [*RENDERED, *FAILING]}, crawl.log[-3000:]
