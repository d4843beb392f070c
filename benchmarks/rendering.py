"""What the browser costs: rendered pages/s and peak PSS of the crawl's whole process tree, against
plain fetching of the same articles, measured in the same run.

    .venv/bin/python benchmarks/rendering.py [--pages 100] [--render-pages 4]

A local server (in this process, not measured) serves N articles twice: as plain HTML, and as an app
shell that builds the same article from inline JSON. Three real `scrapy crawl` runs (extraction
inline, no throttling): "plain" fetches the plain pages (RENDER_MODE=never); "always" renders every
shell page (RENDER_MODE=always); "auto" fetches every shell page plainly, finds no article and
renders it (RENDER_MODE=auto, RENDER_AFTER high so it never switches to always). pages/s is taken
over the "working" time, from the server's first article request to the crawl's end: the crawler's
own start-up is left out, starting the browser (on the first page it renders) is not. PSS (shared
pages divided among the processes that share them) is summed over the crawler, the Playwright driver
and every Chromium process, sampled every 0.25 s. Needs psutil (requirements-dev.txt) and the browser (make browser).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = ("The tide tables for the estuary were revised after the survey boat finished its soundings.",
             "Harbour staff said the new channel markers would be laid before the first spring sailings.",
             "A fishing crew reported shifting sand banks near the river mouth during the autumn storms.",
             "The survey found the deepest water had moved almost forty metres to the east since last year.")


def article(i: int) -> dict[str, object]:
    return {"title": f"Estuary survey report number {i}",
            "paragraphs": [" ".join(SENTENCES[j:] + SENTENCES[:j]) + f" Report {i}, part {j}." for j in range(6)]}


def plain_page(i: int) -> str:
    a = article(i)
    body = "".join(f"<p>{p}</p>" for p in a["paragraphs"])  # type: ignore[attr-defined]
    return (f"<html lang='en'><head><title>{a['title']}</title></head>"
            f"<body><article><h1>{a['title']}</h1>{body}</article></body></html>")


def shell_page(i: int) -> str:
    return ("<html lang='en'><head><title>Estuary News</title></head><body><article id='story'></article>"
            f"<script type='application/json' id='data'>{json.dumps(article(i))}</script><script>"
            "const s = JSON.parse(document.getElementById('data').textContent); document.title = s.title;"
            "const root = document.getElementById('story'); const h = document.createElement('h1');"
            "h.textContent = s.title; root.appendChild(h);"
            "for (const t of s.paragraphs) { const p = document.createElement('p'); p.textContent = t;"
            " root.appendChild(p); }</script></body></html>")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if "estuary-report-" in self.path:
            self.server.article_requests.append(time.monotonic())
        parts = self.path.strip("/").split("/")
        status, body = 404, "<html><body>not here</body></html>"
        if len(parts) == 1 and parts[0] in ("plain", "shell"):
            links = "".join(f"<li><a href='/{parts[0]}/2026/12/07/estuary-report-{i}.html'>{i}</a></li>"
                            for i in range(self.server.pages))
            status, body = 200, f"<html><body><ul>{links}</ul></body></html>"
        elif len(parts) == 5 and parts[0] in ("plain", "shell") and parts[4].startswith("estuary-report-"):
            i = int(parts[4].removeprefix("estuary-report-").removesuffix(".html"))
            status, body = 200, plain_page(i) if parts[0] == "plain" else shell_page(i)
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    pages: int
    article_requests: list[float]


@contextmanager
def serve(pages: int) -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.pages, server.article_requests = pages, []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def tree_pss(root: psutil.Process) -> int:
    total = 0
    for process in [root, *root.children(recursive=True)]:
        try:
            total += process.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


@dataclass
class Run:
    label: str
    articles: int
    seconds: float      # the whole crawl process, start-up included
    working: float      # from the first article request to the end (the crawler's start-up left out)
    peak_pss: int
    browser_pages: int

    @property
    def rate(self) -> float:
        return self.articles / self.working


def crawl(label: str, server: _Server, flavour: str, workdir: Path, settings: dict[str, str]) -> Run:
    url = f"http://127.0.0.1:{server.server_address[1]}/{flavour}/"
    server.article_requests.clear()
    out = workdir / label
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={url}", "-s", f"JSONL_ROOT={out}",
               "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "EXTRACTION_WORKERS=0", "-s", "LOG_LEVEL=INFO",
               "-s", "INCREMENTAL_ENABLED=0", "-s", "RENDER_AFTER=1000000"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    log = (workdir / f"{label}.log").open("wb")
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    root, peak = psutil.Process(process.pid), 0
    deadline = started + 1800
    while process.poll() is None and time.monotonic() < deadline:
        peak = max(peak, tree_pss(root))
        time.sleep(0.25)
    if process.poll() is None:
        process.kill()
    process.wait()
    ended = time.monotonic()
    seconds = ended - started
    working = ended - (server.article_requests[0] if server.article_requests else started)
    log.close()
    articles = sum(1 for dump in out.rglob("*.jsonl") for _ in dump.open("rb"))
    text = (workdir / f"{label}.log").read_text("utf-8", "replace")
    browser_pages = sum(int(line.rsplit(":", 1)[1].strip(" ,")) for line in text.splitlines()
                        if "'presswire/render/pages'" in line)
    if articles == 0:
        sys.exit(f"the {label} crawl wrote no article; its log ends:\n{text[-3000:]}")
    return Run(label, articles, seconds, working, peak, browser_pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--render-pages", type=int, default=4, help="RENDER_PAGES: pages open at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="presswire-rendering-") as tmp, serve(args.pages) as server:
        work = Path(tmp)
        pages = str(args.render_pages)
        runs = [crawl("plain", server, "plain", work, {"RENDER_MODE": "never"}),
                crawl("always", server, "shell", work, {"RENDER_MODE": "always", "RENDER_PAGES": pages}),
                crawl("auto", server, "shell", work, {"RENDER_MODE": "auto", "RENDER_PAGES": pages})]
    plain = runs[0]
    print(f"{args.pages} articles, RENDER_PAGES={args.render_pages}, {psutil.cpu_count()} cores")
    print(f"{'run':8} {'articles':>8} {'browser':>8} {'process':>8} {'working':>8} {'pages/s':>8} {'peak PSS':>9}"
          "  vs plain")
    for run in runs:
        print(f"{run.label:8} {run.articles:8d} {run.browser_pages:8d} {run.seconds:7.1f}s {run.working:7.1f}s "
              f"{run.rate:8.1f} "
              f"{run.peak_pss / 2**20:7.0f} MB  {run.rate / plain.rate:.2f}x rate, "
              f"{run.peak_pss / plain.peak_pss:.2f}x memory")


if __name__ == "__main__":
    main()
