"""The commands a user types, run as subprocesses from the project folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from demo_site.server import DEFAULT_ROOT
from tests.conftest import ROOT, TEST_SETTINGS, TRUTH, read_jsonl, run_crawl


def scrapy(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_scrapy_crawl_with_feed_export(demo_server, tmp_path: Path) -> None:
    out = tmp_path / "articles.jsonl"
    settings = [arg for name, value in TEST_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    proc = scrapy("crawl", "news", "-a", f"url={demo_server.base_url}/", "-O", str(out),
                  "-s", f"JSONL_ROOT={tmp_path / 'dumps'}", *settings)
    assert proc.returncode == 0, proc.stderr[-2000:]
    records = read_jsonl(out)
    assert len(records) == len(TRUTH["articles"])
    assert "articles written" in proc.stderr


def test_site_config_crawl_writes_under_the_site_name(demo_server, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "news", "-a", "site=harbour", "-a", f"url={demo_server.base_url}/")
    assert result.returncode == 0, result.log[-2000:]
    assert result.dump.relative_to(tmp_path).parts[0] == "harbour"
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
    proc = scrapy("extract", str(DEFAULT_ROOT / path.lstrip("/")), str(DEFAULT_ROOT / "world"),
                  "--url", "http://127.0.0.1:8765" + path, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    records = read_jsonl(out)
    assert records[0]["title"] == TRUTH["articles"][path]["title"]
    assert all("source_file" in r for r in records)
    assert len(records) > 1


def test_scrapy_extract_reports_unusable_files(tmp_path: Path) -> None:
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    proc = scrapy("extract", str(binary))
    assert proc.returncode == 1
    assert "binary" in proc.stderr
    assert proc.stdout == ""
