"""Web archives: what extraction from a WARC costs on real pages and on generated ones, and what
writing a WARC costs a crawl.

    python benchmarks/archives.py                       # both parts
    python benchmarks/archives.py --part extract        # real vs generated pages, 1 and 2 workers
    python benchmarks/archives.py --part cost --crawl-pages 2000 --rounds 2

1. ``extract``: the ``../shared/bench`` pages (every ``.html`` there, each at the URL its ground
   truth gives) are packed at run time into a CC-NEWS-style WARC (warcinfo, then a request and a
   response record per page, gzip per record), and as many ``benchmarks/sitegen.py`` pages into
   another, in the same way. ``scrapy extract FILE.warc.gz -o out.jsonl`` runs on each with 1 and
   with 2 workers: articles per CPU-second of the whole process tree (reader, pool, workers;
   start-up included) and per wall second, and the tree's peak RSS (sampled every 0.2 s). The
   baseline, measured in the same run on the same real pages: trafilatura's
   ``bare_extraction(with_metadata=True)`` in this process, per CPU-second. Real and generated
   rows differ only in their pages: same command, same count, same workers.
2. ``cost``: ``scrapy crawl news`` of a sitegen site (``benchmarks/throughput.py``'s settings),
   without and with ``WARC_ENABLED=1``, alternating, ``--rounds`` times each: the cost of
   archiving as the median ratio of crawl time (and of the crawl's CPU).

Nothing is written outside a temporary folder; the bench pages are never copied into the project.
On a shared machine compare rows of one invocation, not across days.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from sitegen import Site  # noqa: E402
from throughput import TreeSampler, crawl, serve  # noqa: E402

from scrapers.archives.warc import WarcRecorder  # noqa: E402

BENCH = ROOT.parent / "shared" / "bench"
CONTENT_TYPE = "text/html; charset=utf-8"


def _urls(tree: Any, found: dict[str, str]) -> dict[str, str]:
    """Page id -> URL from a ground-truth file, however deep its ``{id: {"url": ...}}`` maps sit."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if isinstance(value, dict) and isinstance(value.get("url"), str):
                found[str(key)] = value["url"]
            else:
                _urls(value, found)
    elif isinstance(tree, list):
        for value in tree:
            _urls(value, found)
    return found


def real_pages(limit: int | None) -> list[tuple[str, bytes]]:
    """(URL, HTML) of the shared benchmark pages."""
    urls: dict[str, str] = {}
    for truth in sorted(BENCH.rglob("ground-truth.json")):
        _urls(json.loads(truth.read_text("utf-8")), urls)
    pages = []
    for path in sorted(BENCH.rglob("*.html"))[:limit]:
        url = urls.get(path.stem) or f"https://bench.invalid/{path.relative_to(BENCH).as_posix()}"
        pages.append((url, path.read_bytes()))
    if not pages:
        raise SystemExit(f"no .html pages under {BENCH}: the extract part needs ../shared/bench")
    return pages


def generated_pages(count: int, seed: int) -> list[tuple[str, bytes]]:
    site = Site(count, seed=seed)
    return [("https://gen.invalid" + site.meta(i).path, site.article(i)) for i in range(count)]


def pack(path: Path, pages: Sequence[tuple[str, bytes]]) -> int:
    """A CC-NEWS-style WARC of ``pages``; returns its size."""
    with open(path, "wb") as handle:
        recorder = WarcRecorder(handle)
        recorder.write_warcinfo(path.name, {"software": "presswire benchmarks/archives.py",
                                            "format": "WARC File Format 1.1"})
        for url, body in pages:
            recorder.write_exchange(url, method="GET", request_headers=[("User-Agent", "Presswire-bench")],
                                    status=200, response_headers=[("Content-Type", CONTENT_TYPE),
                                                                  ("Content-Length", str(len(body)))], body=body)
    return path.stat().st_size


@dataclass
class Run:
    label: str
    workers: int
    articles: int
    wall: float
    cpu: float
    peak_rss: int

    def row(self) -> str:
        return (f"{self.label:<34} {self.workers:>7} {self.articles:>8} {self.articles / self.cpu:>10.1f} "
                f"{self.articles / self.wall:>9.1f} {self.cpu:>7.1f} {self.wall:>7.1f} {self.peak_rss / 2**20:>8.0f}")


HEADER = (f"{'pages':<34} {'workers':>7} {'articles':>8} {'per CPU-s':>10} {'per wall-s':>9} {'CPU s':>7} "
          f"{'wall s':>7} {'peak MB':>8}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_extract(label: str, warc: Path, out: Path, workers: int) -> Run:
    cmd = [sys.executable, "-m", "scrapy", "extract", str(warc), "-o", str(out), "-s", f"EXTRACTION_WORKERS={workers}"]
    cpu0, started = _children_cpu(), time.perf_counter()
    process = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid, out.parent)
    sampler.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    cpu = max(_children_cpu() - cpu0, sum(sampler.samples.cpu_by_pid.values()))
    if process.returncode != 0:
        raise RuntimeError(stderr[-2000:])
    articles = sum(1 for _ in open(out, encoding="utf-8"))
    return Run(label, workers, articles, wall, cpu, sampler.samples.peak_rss)


def trafilatura_rate(pages: Sequence[tuple[str, bytes]]) -> tuple[int, float]:
    """(articles, CPU s) of trafilatura with metadata over ``pages``, in this process."""
    import trafilatura

    started = time.process_time()
    found = 0
    for url, html in pages:
        result = trafilatura.bare_extraction(html.decode("utf-8", "replace"), url=url, with_metadata=True)
        found += bool(result and getattr(result, "text", None))
    return found, time.process_time() - started


def extract_part(limit: int | None, seed: int, workers: Sequence[int]) -> None:
    real = real_pages(limit)
    generated = generated_pages(len(real), seed)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="presswire-archives-") as tmp:
        folder = Path(tmp)
        for name, pages in (("real", real), ("generated", generated)):
            warc = folder / f"{name}.warc.gz"
            size = pack(warc, pages)
            html = sum(len(body) for _, body in pages)
            print(f"{name}: {len(pages)} pages, {html / len(pages) / 1024:.1f} KB of HTML on average, "
                  f"WARC {size / 2**20:.1f} MB", flush=True)
            for count in workers:
                out = folder / f"{name}-{count}" / "out.jsonl"
                out.parent.mkdir()
                runs.append(run_extract(f"{name} ({len(pages)} pages)", warc, out, count))
                print("  " + runs[-1].row(), flush=True)
        found, cpu = trafilatura_rate(real)
    print(f"\n{HEADER}")
    for run in runs:
        print(run.row())
    base = found / cpu
    print(f"{'trafilatura, metadata, in-process':<34} {1:>7} {found:>8} {base:>10.1f}   (real pages, no WARC, "
          f"no pool)")
    ours = next(r for r in runs if r.label.startswith("real") and r.workers == min(workers))
    print(f"\nreal pages, {ours.workers} worker: {ours.articles / ours.cpu / base:.2f}x trafilatura's articles "
          f"per CPU-second (ours reads the WARC, validates, and starts its pool inside the figure)")


def cost_part(pages: int, seed: int, workers: int, rounds: int) -> None:
    plain: list[Any] = []
    archived: list[Any] = []
    with tempfile.TemporaryDirectory(prefix="presswire-warc-cost-") as tmp, serve(pages, seed) as server:
        folder = Path(tmp)
        for number in range(rounds):  # alternating, so drift on a shared machine hits both alike
            plain.append(crawl(f"plain {number}", server, pages, workers, folder, {}))
            archived.append(crawl(f"warc {number}", server, pages, workers, folder, {"WARC_ENABLED": "1"}))
    print(f"\n{'crawl':<12} {'articles':>8} {'elapsed s':>10} {'CPU s':>8} {'main CPU s':>10}")
    for result in (*plain, *archived):
        print(f"{result.label:<12} {result.written:>8} {result.elapsed:>10.1f} {result.crawl_cpu:>8.1f} "
              f"{result.main_cpu:>10.1f}")
    time_ratios = [w.elapsed / p.elapsed for p, w in zip(plain, archived, strict=True)]
    cpu_ratios = [w.crawl_cpu / p.crawl_cpu for p, w in zip(plain, archived, strict=True)]
    print(f"\nWARC writing at {pages} pages: crawl time x{statistics.median(time_ratios):.3f} "
          f"(rounds: {', '.join(f'{r:.3f}' for r in time_ratios)}), crawl CPU x{statistics.median(cpu_ratios):.3f} "
          f"(rounds: {', '.join(f'{r:.3f}' for r in cpu_ratios)})")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("extract", "cost", "all"), default="all")
    parser.add_argument("--real-pages", type=int, default=None, help="at most this many bench pages (default all)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="pool sizes for the extract part")
    parser.add_argument("--crawl-pages", type=int, default=2000)
    parser.add_argument("--crawl-workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.part in ("extract", "all"):
        extract_part(args.real_pages, args.seed, args.workers)
    if args.part in ("cost", "all"):
        cost_part(args.crawl_pages, args.seed, args.crawl_workers, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
