"""Web archives: extraction throughput from a WARC file, from a streamed WARC, and from a crawl.

    python benchmarks/archives.py                  # 1,000 pages, pool of 2 workers
    python benchmarks/archives.py --pages 3000 --workers 2

1. Builds ``bench.warc.gz`` from ``benchmarks/sitegen.py``'s N article pages (one request and
   one response record per page, gzip per record, as ``WARC_ENABLED=1`` writes them) and
   reports its bytes per page.
2. (a) ``scrapy extract bench.warc.gz -o out.jsonl``: articles / extraction time (the command
   prints it; the pool's start-up is included, interpreter start-up is not).
3. (b) ``scrapy crawl ccnews -a urls=http://127.0.0.1:PORT/bench.warc.gz``: the file served by
   ``python -m http.server``, streamed; articles / Scrapy's ``elapsed_time_seconds``.
4. (c) ``scrapy crawl news`` of the same site served by sitegen (``benchmarks/throughput.py``'s
   settings and timing); and (c') the same crawl with ``WARC_ENABLED=1``: its WARC's bytes per
   page and the cost of archiving.

All runs use the worker pool with ``--workers`` processes (default 2). Rates are wall-clock
pages/s on a machine that may be shared: compare runs of one invocation, not across days.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from sitegen import Site  # noqa: E402
from throughput import THROUGHPUT_SETTINGS, crawl, serve  # noqa: E402

from scrapers.archives.warc import WarcRecorder  # noqa: E402

CONTENT_TYPE = "text/html; charset=utf-8"
FUNDUS_CCNEWS_RATE = 40.0  # ~1 M CC-NEWS articles in ~7 h on a desktop i9 (Fundus's README)


def build_warc(path: Path, pages: int, seed: int, base_url: str) -> int:
    """The site's N article pages as request + response records; returns the file's size."""
    site = Site(pages, seed=seed)
    with open(path, "wb") as handle:
        recorder = WarcRecorder(handle)
        for index in range(pages):
            body = site.article(index)
            url = base_url + site.meta(index).path
            recorder.write_exchange(url, method="GET", request_headers=[("User-Agent", "Presswire/0.1")],
                                    status=200, response_headers=[("Content-Type", CONTENT_TYPE),
                                                                  ("Content-Length", str(len(body)))], body=body)
    return path.stat().st_size


def run_extract(warc: Path, out: Path, workers: int) -> tuple[int, float]:
    cmd = [sys.executable, "-m", "scrapy", "extract", str(warc), "-o", str(out), "-s", f"EXTRACTION_WORKERS={workers}"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    match = re.search(r"(\d+) articles written.*; ([0-9.]+)s", proc.stderr)
    if not match:
        raise RuntimeError(proc.stderr[-2000:])
    return int(match.group(1)), float(match.group(2))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_ccnews(warc: Path, workdir: Path, workers: int) -> tuple[int, float]:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(warc.parent)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)  # let it bind
        settings = {**THROUGHPUT_SETTINGS, "EXTRACTION_WORKERS": str(workers), "JSONL_ROOT": str(workdir / "ccnews")}
        cmd = [sys.executable, "-m", "scrapy", "crawl", "ccnews", "-a", f"urls=http://127.0.0.1:{port}/{warc.name}"]
        for name, value in settings.items():
            cmd += ["-s", f"{name}={value}"]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    finally:
        server.terminate()
        server.wait()
    elapsed = re.search(r"'elapsed_time_seconds': ([0-9.]+)", proc.stderr)
    manifests = list((workdir / "ccnews").glob("**/*.manifest.json"))
    if proc.returncode != 0 or not elapsed or not manifests:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(manifests[0].read_text("utf-8"))["lines"], float(elapsed.group(1))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rows: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="presswire-archives-") as tmp:
        workdir = Path(tmp)
        warc = workdir / "bench.warc.gz"
        size = build_warc(warc, args.pages, args.seed, "http://127.0.0.1:8000")
        raw = sum(len(Site(args.pages, seed=args.seed).article(i)) for i in range(0, args.pages, 50))
        raw_per_page = raw / len(range(0, args.pages, 50))
        print(f"WARC of {args.pages} pages: {size / 1e6:.1f} MB, {size / args.pages / 1024:.1f} KB per page "
              f"(pages average {raw_per_page / 1024:.1f} KB of HTML)", flush=True)
        written, seconds = run_extract(warc, workdir / "extract.jsonl", args.workers)
        rows.append(("(a) scrapy extract bench.warc.gz", written, seconds))
        print(f"  {rows[-1]}", flush=True)
        written, seconds = run_ccnews(warc, workdir, args.workers)
        rows.append(("(b) ccnews, streamed over HTTP", written, seconds))
        print(f"  {rows[-1]}", flush=True)
        with serve(args.pages, args.seed) as server:
            plain = crawl("crawl", server, args.pages, args.workers, workdir, {})
            rows.append(("(c) scrapy crawl news, local server", plain.written, plain.elapsed))
            print(f"  {rows[-1]}", flush=True)
            archived = crawl("crawl warc", server, args.pages, args.workers, workdir, {"WARC_ENABLED": "1"})
            rows.append(("(c') same, WARC_ENABLED=1", archived.written, archived.elapsed))
            warcs = list((workdir / "crawl-warc").glob("**/*.warc.gz"))
            crawl_warc_bytes = warcs[0].stat().st_size if warcs else 0
            fetched = json.loads(next((workdir / "crawl-warc").glob("**/*.manifest.json")).read_text())["counts"][
                "pages_fetched"]
    print(f"\n{'run':<40} {'articles':>8} {'seconds':>8} {'pages/s':>8} {'per worker':>10}")
    for label, written, seconds in rows:
        rate = written / seconds if seconds else 0.0
        print(f"{label:<40} {written:>8} {seconds:>8.1f} {rate:>8.1f} {rate / args.workers:>10.1f}")
    print(f"\nWARC bytes per page: built {size / args.pages / 1024:.1f} KB; written by the crawl "
          f"{crawl_warc_bytes / max(1, fetched) / 1024:.1f} KB per fetched page ({fetched} pages incl. "
          f"listings, sitemaps, robots.txt)")
    print(f"Anchor: Fundus reads ~{FUNDUS_CCNEWS_RATE:.0f} CC-NEWS articles/s on a desktop i9 (all cores).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
