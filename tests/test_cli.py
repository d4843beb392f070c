"""The commands a user types, from the project folder: ``scrapy crawl`` with a feed export in a subprocess,
the other commands through their entry function in this process (tests/commandline.py), the site config
crawls in-process (tests/inprocess.py)."""

from __future__ import annotations

import json
from pathlib import Path

from demo_site.server import DEFAULT_ROOT
from tests.commandline import Completed, run_command, subprocess_command
from tests.conftest import ROOT, TEST_SETTINGS, TRUTH, read_jsonl
from tests.inprocess import run_crawl


def scrapy(*args: str, process: bool = False) -> Completed:
    """``scrapy ARGS`` from the project folder: its entry function in this process, or (``process``, for a
    crawl) a subprocess."""
    return (subprocess_command if process else run_command)(*args, cwd=ROOT)


def test_scrapy_crawl_with_feed_export(demo_server, tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    settings = [arg for name, value in TEST_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    proc = scrapy("crawl", "news", "-a", f"url={demo_server.base_url}/", "-O", str(out),
                  "-s", f"JSONL_ROOT={tmp_path / 'dumps'}", *settings, process=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    records = read_jsonl(out)
    assert len(records) == len(TRUTH["articles"])
    assert "articles written" in proc.stderr


def test_site_config_crawl_writes_under_the_site_name(demo_server, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "news", "-a", "site=harbour", "-a", f"url={demo_server.base_url}/")
    assert result.returncode == 0, result.log[-2000:]
    assert result.dump.relative_to(tmp_path).parts[0] == "crawl=harbour"
    assert {r["site"] for r in result.records} == {"harbour"}
    assert len(result.records) == len(TRUTH["articles"])


def test_per_site_spider_is_listed_and_crawls(demo_server, tmp_path: Path) -> None:
    listed = scrapy("list")
    assert listed.returncode == 0
    assert {"news", "harbour"} <= set(listed.stdout.split())
    sites = scrapy("sites")
    assert sites.returncode == 0 and sites.stdout.startswith("harbour\t")
    result = run_crawl(tmp_path, "harbour", "-a", f"url={demo_server.base_url}/")
    assert result.returncode == 0 and len(result.records) == len(TRUTH["articles"])


def test_crawl_without_a_url_fails_with_a_message() -> None:
    proc = scrapy("crawl", "news")
    assert proc.returncode != 0
    assert "pass -a url=" in proc.stderr


def test_crawl_refuses_non_http_urls() -> None:
    proc = scrapy("crawl", "news", "-a", "url=file:///etc/passwd")
    assert proc.returncode != 0
    assert "only http(s) URLs" in proc.stderr


def test_scrapy_extract_on_saved_pages(tmp_path: Path) -> None:
    path = sorted(TRUTH["articles"])[0]
    out = tmp_path / "out.jsonl"
    proc = scrapy("extract", str(DEFAULT_ROOT / "world"), "--base-url", "http://127.0.0.1:8765/world/", "-o", str(out))
    assert proc.returncode == 1, proc.stderr  # the section's index pages are not articles
    assert "world/index.html: not an article: the page declares og:type=website" in proc.stderr
    records = {r["url"]: r for r in read_jsonl(out)}
    world = [p for p in TRUTH["articles"] if p.startswith("/world/")]
    assert sorted(records) == sorted("http://127.0.0.1:8765" + p for p in world)
    one = scrapy("extract", str(DEFAULT_ROOT / path.lstrip("/")), "--url", "http://127.0.0.1:8765" + path)
    assert one.returncode == 0, one.stderr
    assert read_jsonl_text(one.stdout)[0]["title"] == TRUTH["articles"][path]["title"]
    checked = scrapy("validate", str(out))
    assert checked.returncode == 0, checked.stdout


def read_jsonl_text(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


SAVED_PAGE = """<!doctype html><html lang="en"><head><title>Quay wall repaired | Harbour</title>
<link rel="canonical" href="https://news.example/2026/11/20/quay-wall-repaired.html">
<meta property="og:type" content="article"><meta property="og:image" content="https://news.example/img/quay.jpg">
</head><body><article><h1>Quay wall repaired after winter storms</h1>
<figure><img src="/img/quay.jpg" alt="The quay"><figcaption>The repaired quay wall.</figcaption></figure>
<p>{para}</p><p>{para}</p><p>See <a href="/2026/11/19/storm.html">the storm</a>.</p></article></body></html>"""
PARA = ("Engineers finished rebuilding the northern quay wall on Friday after three months of work that "
        "closed two berths and sent the ferries to the southern pier while divers reset the stones. ")


def test_scrapy_extract_without_url_reads_the_page_canonical(tmp_path: Path) -> None:
    """No --url: the page's canonical URL resolves relative images, and the lead image is there once."""
    page = tmp_path / "saved" / "quay.html"
    page.parent.mkdir()
    page.write_text(SAVED_PAGE.format(para=PARA * 2), "utf-8")
    out = tmp_path / "out.jsonl"
    proc = scrapy("extract", str(page.parent), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    (record,) = read_jsonl(out)
    assert record["url"] == "https://news.example/2026/11/20/quay-wall-repaired.html"
    assert [image["url"] for image in record["images"]] == ["https://news.example/img/quay.jpg"]
    assert "source_file" not in record and record["spider"] == "extract"
    assert scrapy("validate", str(out)).returncode == 0


def one_line_error(proc: Completed, code: int, text: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert text in proc.stderr


def test_scrapy_extract_usage_errors_are_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a page", "utf-8")
    one_line_error(scrapy("extract", str(tmp_path / "empty")), 2, "no .html or .htm files")
    one_line_error(scrapy("extract", str(tmp_path / "notes")), 2, "no .html or .htm files")
    page = DEFAULT_ROOT / "about.html"
    one_line_error(scrapy("extract", str(page), "--url", "notaurl"), 2, "--url notaurl: expected an http(s) URL")
    one_line_error(scrapy("extract", str(page), "-o", str(tmp_path / "nope" / "o.jsonl")), 2, "does not exist")


def test_scrapy_extract_reports_a_homepage_as_not_an_article() -> None:
    proc = scrapy("extract", str(DEFAULT_ROOT / "index.html"), "--url", "http://127.0.0.1:8765/")
    one_line_error(proc, 1, "not an article")
    assert proc.stdout == ""


def test_scrapy_extract_reports_unusable_files(tmp_path: Path) -> None:
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    proc = scrapy("extract", str(binary))
    assert proc.returncode == 1
    assert "binary" in proc.stderr
    assert proc.stdout == ""


def test_scrapy_extract_names_a_page_it_cannot_read_and_goes_on(tmp_path: Path) -> None:
    """A page that cannot be read once listed (deleted meanwhile, an I/O error: here a link to a file whose
    every read fails) ended the run with a traceback. Now it is a failure line and the others are written."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a-story.html").write_bytes((DEFAULT_ROOT / sorted(TRUTH["articles"])[0].lstrip("/")).read_bytes())
    (folder / "b-broken.html").symlink_to("/proc/self/mem")
    proc = scrapy("extract", str(folder), "--base-url", "http://127.0.0.1:8000/")
    assert proc.returncode == 1 and len(proc.stdout.splitlines()) == 1
    assert proc.stderr == (f"{folder / 'b-broken.html'}: not extracted (unreadable): cannot read it (Input/output "
                           "error)\n")
