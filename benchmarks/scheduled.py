"""Scheduled crawls of a large archive site: the window, a re-run, memory on a million URLs, Redis.

    python benchmarks/scheduled.py [--articles 100000] [--big 1000000] [--minute 60] [--skip-redis]

Serves benchmarks/archivegen.py (its own process: articles every 15 minutes, monthly sitemaps with
lastmod, a 48-hour Google News sitemap, an RSS feed) and runs real ``scrapy crawl`` processes:

1. ``-a since=3d`` on ``--articles``: article requests against the articles published in the window
   (target <= 1.05x) and which sitemaps were fetched (target: at most the two newest monthly ones);
2. 20 articles published and 5 recent ones rewritten on the site, the same command again (target:
   about 25 article requests, 20 new records, 5 with version 2);
3. ``--big`` archived URLs, no window, ``--minute`` seconds of crawling (CLOSESPIDER_TIMEOUT): the peak
   RSS of the largest process (crawler or extraction worker; target < 300 MB) and the articles
   written (target >= 1,000);
4. the same with REDIS_URL and two processes (a redis-server of its own): the most requests of one
   article URL (target: 1, each URL fetched once).

Prints one line per figure and a JSON summary. A benchmark, not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil

ROOT = Path(__file__).resolve().parent.parent
# A benchmark run as a user would, minus politeness delays that only slow a local server down.
SETTINGS = {"AUTOTHROTTLE_ENABLED": "0", "LOG_LEVEL": "WARNING", "PROGRESS_INTERVAL": "10"}


class Site:
    def __init__(self, workdir: Path, articles: int) -> None:
        port_file = workdir / f"site-{articles}.url"
        port_file.unlink(missing_ok=True)  # the file of an earlier site of the same size
        self.process = subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "archivegen.py"),
                                         "--articles", str(articles), "--port-file", str(port_file)],
                                        stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not port_file.exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit("the archive site did not start")
            time.sleep(0.1)
        self.base_url = port_file.read_text("utf-8")

    def admin(self, what: str) -> Any:
        with urllib.request.urlopen(f"{self.base_url}/_admin/{what}", timeout=60) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()


class PeakRss:
    """The peak resident set of the largest process of a crawl (the crawler or one of its workers)."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.is_set():
            for pid in self.pids:
                try:
                    parent = psutil.Process(pid)
                    for process in [parent, *parent.children(recursive=True)]:
                        self.peak = max(self.peak, process.memory_info().rss)
                except psutil.Error:
                    continue
            time.sleep(0.25)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def crawl(base_url: str, root: Path, *args: str, settings: dict[str, str] | None = None) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={base_url}/", *args]
    for name, value in {**SETTINGS, "JSONL_ROOT": str(root), **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    print("  $ " + " ".join(command[1:]), flush=True)
    return subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, stderr = process.communicate()
    summary = next((line for line in stderr.splitlines() if line.startswith("summary: ")), stderr[-2000:])
    print("  " + summary[:400], flush=True)
    return process.returncode, stderr


def newest_job(root: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    manifest_path = max(root.rglob("*.manifest.json"), key=lambda p: p.stat().st_mtime)
    manifest = json.loads(manifest_path.read_text("utf-8"))
    dump = manifest_path.with_name(manifest["dump"])
    return manifest, [json.loads(line) for line in dump.read_text("utf-8").splitlines() if line.strip()]


def window_runs(workdir: Path, articles: int) -> dict[str, Any]:
    site = Site(workdir, articles)
    root = workdir / "window"
    try:
        print(f"1. {articles:,} articles, -a since=3d", flush=True)
        started = time.monotonic()
        code, _ = finish(crawl(site.base_url, root, "-a", "since=3d"))
        seconds = time.monotonic() - started
        manifest, records = newest_job(root)
        hits = site.admin("hits")
        in_window = site.admin("count?since=" + quote(manifest["window"]["since"]))
        monthly = [p for p in hits["sitemaps"] if p.startswith("/sitemaps/")]
        first = {"exit": code, "seconds": round(seconds, 1), "article_requests": hits["hits"].get("article", 0),
                 "articles_in_window": in_window, "records": len(records),
                 "ratio": round(hits["hits"].get("article", 0) / max(1, in_window), 3),
                 "sitemaps_fetched": hits["sitemaps"], "monthly_sitemaps_fetched": len(monthly)}
        print(f"  -> {first['article_requests']} article requests for {in_window} articles in the window "
              f"(x{first['ratio']}), {len(monthly)} monthly sitemaps fetched: {monthly}, {seconds:.1f}s", flush=True)

        print("2. 20 new articles, 5 rewritten, the same command again", flush=True)
        site.admin("publish?n=20")
        site.admin("rewrite?n=5")
        site.admin("reset")
        code, _ = finish(crawl(site.base_url, root, "-a", "since=3d"))
        manifest, records = newest_job(root)
        hits = site.admin("hits")
        versions: dict[str, int] = {}
        for record in records:
            versions[str(record["version"])] = versions.get(str(record["version"]), 0) + 1
        second = {"exit": code, "article_requests": hits["hits"].get("article", 0), "records": len(records),
                  "versions": versions, "skipped_unchanged": manifest["counts"]["skipped_unchanged"]}
        print(f"  -> {second['article_requests']} article requests, {len(records)} records, versions {versions}",
              flush=True)
        return {"window": first, "rerun": second}
    finally:
        site.stop()


def big_run(workdir: Path, articles: int, minute: int, redis_url: str | None) -> dict[str, Any]:
    site = Site(workdir, articles)
    processes = 2 if redis_url else 1
    label = "with Redis, two processes" if redis_url else "one process"
    print(f"{'4' if redis_url else '3'}. {articles:,} archived URLs, no window, {minute}s of crawling, {label}",
          flush=True)
    try:
        settings = {"CLOSESPIDER_TIMEOUT": str(minute)}
        if redis_url:
            settings["REDIS_URL"] = redis_url
        roots = [workdir / f"big-{'redis' if redis_url else 'local'}-{n}" for n in range(processes)]
        crawls = [crawl(site.base_url, root, settings=settings) for root in roots]
        peak = PeakRss([c.pid for c in crawls])
        codes = [finish(c)[0] for c in crawls]
        rss = peak.stop()
        written = sum(len(newest_job(root)[1]) for root in roots)
        hits = site.admin("hits")
        result = {"exit": codes, "peak_rss_mb": round(rss / 2**20, 1), "articles_written": written,
                  "article_requests": hits["hits"].get("article", 0), "sitemaps_fetched": len(hits["sitemaps"]),
                  "most_requests_of_one_article": hits["most_fetches_of_one_article"]}
        print(f"  -> peak RSS of the largest process {result['peak_rss_mb']} MB, {written} articles written, "
              f"{result['article_requests']} article requests, {result['sitemaps_fetched']} sitemaps, "
              f"most requests of one article URL: {result['most_requests_of_one_article']}", flush=True)
        return result
    finally:
        site.stop()


def redis_server(workdir: Path) -> tuple[subprocess.Popen[bytes], str] | None:
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python benchmarks/scheduled.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="the window and re-run site (100,000; 0 skips)")
    parser.add_argument("--big", type=int, default=1_000_000, help="the memory run's site (1,000,000; 0 skips)")
    parser.add_argument("--minute", type=int, default=60, help="seconds of crawling in the memory runs")
    parser.add_argument("--skip-redis", action="store_true")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="presswire-scheduled-") as tmp:
        workdir = Path(tmp)
        if args.articles:
            results.update(window_runs(workdir, args.articles))
        if args.big:
            results["big"] = big_run(workdir, args.big, args.minute, None)
            server = None if args.skip_redis else redis_server(workdir)
            if server is not None:
                try:
                    results["big_redis"] = big_run(workdir, args.big, args.minute, server[1])
                finally:
                    server[0].terminate()
                    server[0].wait()
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
