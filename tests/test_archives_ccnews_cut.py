"""``scrapy crawl ccnews`` when the WARC download is cut: the server announces the whole file and closes
the connection part-way (a proxy timeout, a server restart). What came before the cut is written, the
file is a failure line with a reason (never a traceback), and a resumed job reads it again from there."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.archive_files import numbered_articles, write_warc
from tests.harness import LocalServer
from tests.inprocess import run_crawl

SITE = "https://cut.example"
PAGES = 6


class _CutHandler(BaseHTTPRequestHandler):
    data: bytes
    cut: int

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        start = int(self.headers.get("Range", "bytes=0-")[6:].split("-")[0] or 0)
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", f"bytes {start}-{len(self.data) - 1}/{len(self.data)}")
        self.send_header("Content-Length", str(len(self.data) - start))
        self.end_headers()
        self.wfile.write(self.data[start:max(start, self.cut)])  # then the connection closes


@pytest.fixture
def cut_server(tmp_path: Path) -> Iterator[str]:
    write_warc(tmp_path / "whole.warc.gz", numbered_articles(SITE, PAGES))
    data = (tmp_path / "whole.warc.gz").read_bytes()
    handler = type("Handler", (_CutHandler,), {"data": data, "cut": len(data) // 2})
    server = LocalServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/CC-NEWS-1.warc.gz"
    finally:
        server.shutdown()
        server.server_close()


def test_a_cut_download_keeps_what_came_before_and_says_why(cut_server: str, tmp_path: Path) -> None:
    result = run_crawl(tmp_path / "out", "ccnews", "-a", f"urls={cut_server}",
                       settings={"EXTRACTION_WORKERS": "0"})
    assert "Traceback" not in result.log, result.log[-3000:]
    assert 0 < len(result.records) < PAGES
    reasons = {(f["url"], f["stage"]) for f in result.failures}
    assert reasons == {(cut_server, "archive")}, result.failures
    [failure] = result.failures
    assert failure["reason"] == "connection_error" and "closed after" in failure["detail"], failure
