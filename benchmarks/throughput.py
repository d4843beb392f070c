"""Crawl throughput and memory: extraction inline vs in the worker pool, on a generated site.

    python benchmarks/throughput.py                      # 2,000 pages: inline vs pool, ratio
    python benchmarks/throughput.py --memory             # + pool crawls of 5,000 and 20,000 pages
    python benchmarks/throughput.py --pages 3000 --workers 2 --set CONCURRENT_REQUESTS=64

1. Serves ``benchmarks/sitegen.py``'s site (N article pages, rendered on request) from a
   separate process on 127.0.0.1, and measures that process's CPU.
2. Times ``extract_record`` (``extract_article(...).to_dict()``, what a pool worker runs) over a
   sample of the site's pages in this process, in pages per CPU second, before the crawls and
   again after them (the machine's speed drifts): the single-core extraction rate is the two
   together. The machine's limit is cores x that rate.
3. Runs ``scrapy crawl news -a url=...`` as a subprocess with ``EXTRACTION_WORKERS=0`` (inline)
   and ``EXTRACTION_WORKERS=K`` (pool; K = cores by default), with throughput settings
   (AutoThrottle off, 32 concurrent requests, incremental store off, dumps in a temp dir).
   pages/s = articles written (the manifest) / ``elapsed_time_seconds`` from Scrapy's stats
   (spider opened -> spider closed: process start-up and imports excluded). "steady" is the
   rate between 10% and 90% of the dump's lines, read from the growing ``<job>.dump.part`` file.
4. Runs ``benchmarks/floor_spider.py`` just before and just after the pool crawl: the same site
   crawled by a bare Scrapy spider (default middlewares, no extraction, no pipelines), whose CPU per
   page (start-up included, the two runs together) is what any crawl driven by one Scrapy process
   pays. The crawler process's own CPU per page in the pool crawl is compared with it (target: at
   most 1.3 x), and the benchmark prints the ceiling such a crawl can reach on this machine:
   cores / (worker + Scrapy floor + server CPU per page).
5. ``--memory``: pool crawls of 5,000 and 20,000 pages (``--memory-pages``), sampling every
   0.2 s the RSS of the crawler process plus all its children (psutil); prints both peaks and
   their ratio. PSS (shared pages split between processes) is printed next to it.

The whole crawl process tree is sampled in every run: the reactor's (main process's) CPU
shows whether it, rather than extraction, limits the pool. CPU used on the machine by
processes outside the benchmark is printed as "other load": this box may be shared.
Exit status: 0 when every target checked passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sitegen import Site  # noqa: E402

TARGET_RATIO = 1.7
TARGET_SHARE_OF_LIMIT = 0.85
TARGET_OVER_FLOOR = 1.3
TARGET_RSS_MB = 500.0
TARGET_GROWTH = 1.2
CONTENT_TYPE = "text/html; charset=utf-8"

THROUGHPUT_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "DOWNLOAD_DELAY": "0",
    "ROBOTSTXT_OBEY": "1",
    "INCREMENTAL_ENABLED": "0",
    "LOG_LEVEL": "INFO",
    "TELNETCONSOLE_ENABLED": "0",
}


# -- the site server -------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[str]
    base_url: str
    ps: psutil.Process

    def cpu(self) -> float:
        times = self.ps.cpu_times()
        return times.user + times.system


@contextmanager
def serve(pages: int, seed: int) -> Iterator[Server]:
    cmd = [sys.executable, str(ROOT / "benchmarks" / "sitegen.py"), "serve", "--pages", str(pages),
           "--seed", str(seed)]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.match(r"serving (\S+)", line)
        if not match:
            raise RuntimeError(f"the site server did not start: {line!r}")
        yield Server(process, match.group(1), psutil.Process(process.pid))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- single-core extraction rate ------------------------------------------------------------


@dataclass
class ExtractionRate:
    pages: int
    wall: float
    cpu: float
    mean_kb: float

    @property
    def rate(self) -> float:
        """Pages per CPU second: what one core does when nothing else runs on it."""
        return self.pages / self.cpu

    @property
    def wall_rate(self) -> float:
        return self.pages / self.wall


def single_core_rate(site_pages: int, seed: int, sample: int) -> ExtractionRate:
    from scrapers.extraction import SiteSelectors
    from scrapers.workers.pool import extract_record

    site = Site(site_pages, seed=seed)
    step = max(1, site_pages // sample)
    pages = [(site.article(i), site.base_url + site.meta(i).path) for i in range(0, site_pages, step)][:sample]
    selectors = SiteSelectors()
    for body, url in pages[:5]:  # warm-up: imports, caches
        extract_record(body, url, CONTENT_TYPE, selectors)
    wall, cpu = time.perf_counter(), time.process_time()
    for body, url in pages:
        extract_record(body, url, CONTENT_TYPE, selectors)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return ExtractionRate(len(pages), wall, cpu, sum(len(b) for b, _ in pages) / len(pages) / 1024)


# -- sampling the crawl's process tree --------------------------------------------------------


@dataclass
class Samples:
    peak_rss: int = 0
    peak_rss_procs: int = 0
    peak_main_rss: int = 0     # the crawler process alone
    peak_child_rss: int = 0    # the largest single child (a pool worker)
    peak_pss: int = 0
    main_cpu: float = 0.0
    max_procs: int = 0
    cpu_by_pid: dict[int, float] = field(default_factory=dict)  # last seen user+system CPU, s
    lines: list[tuple[float, int]] = field(default_factory=list)  # (time, dump lines so far)


class TreeSampler(threading.Thread):
    """Every ``interval`` s: RSS of the crawler and all its children; PSS every 5th tick; lines
    in the growing dump."""

    def __init__(self, pid: int, dump_root: Path, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.dump_root = dump_root
        self.interval = interval
        self.samples = Samples()
        self.stop = threading.Event()
        self._part: Path | None = None
        self._offset = 0
        self._lines = 0

    def run(self) -> None:
        tick = 0
        while not self.stop.is_set():
            self._sample(pss=tick % 5 == 0)
            self._count_lines()
            tick += 1
            self.stop.wait(self.interval)

    def _sample(self, pss: bool) -> None:
        try:
            procs = [self.root, *self.root.children(recursive=True)]
            times = self.root.cpu_times()
            self.samples.main_cpu = times.user + times.system
        except psutil.NoSuchProcess:
            return
        rss = pss_total = 0
        alive = 0
        for proc in procs:
            try:
                if pss:
                    info = proc.memory_full_info()
                    pss_total += info.pss
                else:
                    info = proc.memory_info()
            except psutil.NoSuchProcess:
                continue
            rss += info.rss
            alive += 1
            try:
                times = proc.cpu_times()
                self.samples.cpu_by_pid[proc.pid] = times.user + times.system
            except psutil.NoSuchProcess:
                pass
            if proc is self.root:
                self.samples.peak_main_rss = max(self.samples.peak_main_rss, info.rss)
            else:
                self.samples.peak_child_rss = max(self.samples.peak_child_rss, info.rss)
        if rss > self.samples.peak_rss:
            self.samples.peak_rss, self.samples.peak_rss_procs = rss, alive
        self.samples.peak_pss = max(self.samples.peak_pss, pss_total)
        self.samples.max_procs = max(self.samples.max_procs, alive)

    def _count_lines(self) -> None:
        if self._part is None:
            found = list(self.dump_root.glob("*/*/*.dump.part"))
            if not found:
                return
            self._part = found[0]
        try:
            with open(self._part, "rb") as handle:
                handle.seek(self._offset)
                chunk = handle.read()
        except FileNotFoundError:  # renamed to its final name: the crawl is over
            return
        self._offset += len(chunk)
        self._lines += chunk.count(b"\n")
        self.samples.lines.append((time.perf_counter(), self._lines))


# -- one crawl ---------------------------------------------------------------------------------


@dataclass
class CrawlResult:
    label: str
    pages: int
    workers: int
    exit_code: int
    written: int
    failures: int
    dropped: int
    elapsed: float         # Scrapy stats: spider opened -> closed
    wall: float            # whole subprocess, start-up included
    steady: float | None   # pages/s between 10% and 90% of the dump
    crawl_cpu: float       # crawler + its workers, s
    main_cpu: float        # crawler (reactor) process alone, s
    server_cpu: float
    other_cpu: float       # everything else on the machine during the crawl, s
    samples: Samples
    log: Path

    @property
    def rate(self) -> float:
        return self.written / self.elapsed if self.elapsed else 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _busy(times: Any) -> float:
    """CPU seconds the whole machine spent busy (psutil.cpu_times(): a namedtuple)."""
    return sum(times) - times.idle - sum(getattr(times, f, 0.0) for f in ("iowait", "guest", "guest_nice"))


def crawl(label: str, server: Server, pages: int, workers: int, workdir: Path, extra: dict[str, str]) -> CrawlResult:
    out = workdir / label.replace(" ", "-")
    out.mkdir(parents=True)
    settings = {**THROUGHPUT_SETTINGS, "EXTRACTION_WORKERS": str(workers), "JSONL_ROOT": str(out / "dumps"),
                **extra}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={server.base_url}/"]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    log = out / "crawl.log"
    print(f"  [{label}] scrapy crawl news -a url={server.base_url}/ "
          + " ".join(f"-s {k}={v}" for k, v in settings.items() if k != "JSONL_ROOT"), flush=True)
    server_cpu0, children0 = server.cpu(), _children_cpu()
    system0, own0 = _busy(psutil.cpu_times()), time.process_time()
    started = time.perf_counter()
    with open(log, "wb") as log_handle:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=log_handle, stderr=subprocess.STDOUT)
        sampler = TreeSampler(process.pid, out / "dumps")
        sampler.start()
        exit_code = process.wait()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    # Children reaped by the crawler count in its rusage; a grandchild it never reaps (a forkserver's
    # workers) only in the sampler's last look at each process.
    crawl_cpu = max(_children_cpu() - children0, sum(sampler.samples.cpu_by_pid.values()))
    server_cpu = server.cpu() - server_cpu0
    other = _busy(psutil.cpu_times()) - system0 - crawl_cpu - server_cpu - (time.process_time() - own0)

    text = log.read_text("utf-8", errors="replace")
    elapsed = _stat(text, r"'elapsed_time_seconds': ([0-9.]+)", float) or wall
    manifests = list((out / "dumps").glob("**/*.manifest.json"))
    counts = json.loads(manifests[0].read_text("utf-8"))["counts"] if manifests else {}
    written = counts.get("articles_written", _stat(text, r"'item_scraped_count': (\d+)", int) or 0)
    return CrawlResult(label, pages, workers, exit_code, written, counts.get("failures", -1),
                       counts.get("dropped", -1), elapsed, wall, _steady_rate(sampler.samples.lines, written),
                       crawl_cpu, sampler.samples.main_cpu, server_cpu, max(0.0, other), sampler.samples, log)


def _stat(text: str, pattern: str, kind: type) -> float | int | None:
    match = re.search(pattern, text)
    return kind(match.group(1)) if match else None


def _steady_rate(lines: Sequence[tuple[float, int]], total: int) -> float | None:
    if total < 50:
        return None
    low = next((t for t, n in lines if n >= 0.1 * total), None)
    high = next((t for t, n in lines if n >= 0.9 * total), None)
    if low is None or high is None or high <= low:
        return None
    lo_n = next(n for t, n in lines if t == low)
    hi_n = next(n for t, n in lines if t == high)
    return (hi_n - lo_n) / (high - low)


# -- Scrapy's own cost -------------------------------------------------------------------------


@dataclass
class Floor:
    pages: int
    cpu: float      # the whole process, start-up included (as the reactor column)

    @property
    def ms_per_page(self) -> float:
        return self.cpu * 1000 / max(1, self.pages)


def scrapy_floor(server: Server, extra: dict[str, str]) -> Floor:
    """CPU per page of a bare Scrapy spider crawling the same site (``floor_spider.py``)."""
    settings = {k: v for k, v in extra.items() if k.startswith(("CONCURRENT_", "DOWNLOAD_"))}
    cmd = [sys.executable, str(ROOT / "benchmarks" / "floor_spider.py"), server.base_url,
           *(f"{k}={v}" for k, v in settings.items())]
    print(f"  [scrapy floor] {' '.join(cmd[1:])}", flush=True)
    before = _children_cpu()
    # run outside the project: no scrapy.cfg, so none of our settings, middlewares or pipelines
    done = subprocess.run(cmd, cwd=tempfile.gettempdir(), capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"})
    cpu = _children_cpu() - before
    if done.returncode != 0:
        raise RuntimeError(f"floor_spider.py failed: {done.stderr.strip()[-500:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return Floor(report["pages"], cpu)


# -- report ------------------------------------------------------------------------------------


def _mb(n: int) -> float:
    return n / 1024 / 1024


def print_table(results: Sequence[CrawlResult]) -> None:
    head = (f"{'run':<14}{'pages':>6}{'written':>8}{'fail':>5}{'crawl s':>8}{'pages/s':>8}{'steady/s':>9}"
            f"{'reactor':>9}{'crawl':>7}{'server':>7}{'other':>7}{'reactor':>9}{'crawl':>7}"
            f"{'peak RSS':>10}{'peak PSS':>10}\n"
            f"{'':<58}{'--- CPU, % of one core ---':>30}{'ms CPU/page':>16}")
    print(head)
    print("-" * len(head.splitlines()[0]))
    for r in results:
        steady = f"{r.steady:.1f}" if r.steady else "-"
        per_page = 1000 / max(1, r.written)
        print(f"{r.label:<14}{r.pages:>6}{r.written:>8}{r.failures:>5}{r.elapsed:>8.1f}{r.rate:>8.1f}{steady:>9}"
              f"{r.main_cpu / r.wall:>9.0%}{r.crawl_cpu / r.wall:>7.0%}{r.server_cpu / r.wall:>7.0%}"
              f"{r.other_cpu / r.wall:>7.0%}{r.main_cpu * per_page:>9.1f}{r.crawl_cpu * per_page:>7.1f}"
              f"{_mb(r.samples.peak_rss):>7.0f} MB{_mb(r.samples.peak_pss):>7.0f} MB")
    print("pages/s = articles written / Scrapy's elapsed_time_seconds (spider opened -> closed); steady = rate "
          "between 10% and 90% of the dump.\nCPU over the subprocess's wall time (start-up included): reactor = the "
          "crawler process, crawl = reactor + pool workers,\nserver = the site server, other = every other process "
          "on the machine. RSS/PSS: sum over the crawler and all its children.")


def main(argv: Sequence[str] | None = None) -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(prog="python benchmarks/throughput.py", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--pages", type=int, default=2000, help="articles in the throughput site (default 2000)")
    parser.add_argument("--workers", type=int, default=cores, help=f"pool workers (default: cores = {cores})")
    parser.add_argument("--memory", action="store_true", help="also run the pool memory crawls")
    parser.add_argument("--memory-pages", default="5000,20000", help="the two memory crawl sizes (default 5000,20000)")
    parser.add_argument("--no-throughput", action="store_true", help="skip the inline vs pool crawls")
    parser.add_argument("--sample", type=int, default=200, help="pages timed for the single-core rate (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="site content seed (default 1)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="extra Scrapy setting for every crawl (repeatable)")
    parser.add_argument("--keep", type=Path, default=None, help="keep logs and dumps in this folder")
    args = parser.parse_args(argv)
    extra = dict(item.split("=", 1) for item in args.set)
    memory_pages = [int(n) for n in args.memory_pages.split(",")]

    print(f"python benchmarks/throughput.py {' '.join(sys.argv[1:] if argv is None else argv)}")
    print(f"machine: {cores} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    workdir = Path(tempfile.mkdtemp(prefix="presswire-throughput-")) if args.keep is None else args.keep
    workdir.mkdir(parents=True, exist_ok=True)
    checks: list[tuple[str, bool]] = []
    results: list[CrawlResult] = []
    try:
        single = single_core_rate(args.pages, args.seed, args.sample)
        limit = single.rate * cores
        print(f"single-core extraction: {single.rate:.1f} pages/s ({single.pages} pages of {single.mean_kb:.0f} KB "
              f"on average, {single.cpu / single.pages * 1000:.1f} ms CPU each; by the wall clock "
              f"{single.wall_rate:.1f} pages/s)")
        print(f"CPU limit: {cores} cores x {single.rate:.1f} = {limit:.1f} pages/s")

        if not args.no_throughput:
            with serve(args.pages, args.seed) as server:
                print(f"site: {server.base_url}/ ({args.pages} articles)")
                inline = crawl("inline", server, args.pages, 0, workdir, extra)
                results.append(inline)
                # the floor is measured just before and just after the pool crawl, and the two taken
                # together, as the extraction rate is: the machine's speed drifts between runs
                floor_before = scrapy_floor(server, extra)
                pool = crawl(f"pool x{args.workers}", server, args.pages, args.workers, workdir, extra)
                results.append(pool)
                floor_after = scrapy_floor(server, extra)
                floor = Floor(floor_before.pages + floor_after.pages, floor_before.cpu + floor_after.cpu)
                print(f"  Scrapy floor before and after the pool crawl: {floor_before.ms_per_page:.2f} and "
                      f"{floor_after.ms_per_page:.2f} ms CPU/page")
            # this machine's speed drifts (shared cores): the rate is measured again after the
            # crawls, and the limit taken from both measurements together
            again = single_core_rate(args.pages, args.seed, args.sample)
            print(f"single-core extraction again after the crawls: {again.rate:.1f} pages/s "
                  f"(before: {single.rate:.1f})")
            single = ExtractionRate(single.pages + again.pages, single.wall + again.wall, single.cpu + again.cpu,
                                    (single.mean_kb + again.mean_kb) / 2)
            limit = single.rate * cores
        if args.memory:
            for n in memory_pages:
                with serve(n, args.seed) as server:
                    print(f"site: {server.base_url}/ ({n} articles)")
                    results.append(crawl(f"memory {n}", server, n, args.workers, workdir, extra))

        print()
        print_table(results)
        print()
        print(f"single-core extraction rate: {single.rate:.1f} pages/s; CPU limit ({cores} cores): {limit:.1f} pages/s")
        for r in results:
            if r.exit_code != 0 or r.written < r.pages:
                print(f"WARNING: {r.label}: exit code {r.exit_code}, {r.written} of {r.pages} articles written "
                      f"(log: {r.log})")
            checks.append((f"{r.label}: every article written", r.written == r.pages))
        if not args.no_throughput:
            ratio = pool.rate / inline.rate
            print(f"inline: {inline.rate:.1f} pages/s   pool x{args.workers}: {pool.rate:.1f} pages/s   "
                  f"ratio pool/inline: {ratio:.2f}   pool = {pool.rate / limit:.0%} of the CPU limit")
            checks.append((f"pool/inline ratio {ratio:.2f} >= {TARGET_RATIO}", ratio >= TARGET_RATIO))
            share = pool.rate / limit
            checks.append((f"pool = {share:.2f} of the CPU limit >= {TARGET_SHARE_OF_LIMIT}",
                           share >= TARGET_SHARE_OF_LIMIT))
            written = max(1, pool.written)
            worker_ms = (pool.crawl_cpu - pool.main_cpu) * 1000 / written
            server_ms = pool.server_cpu * 1000 / written
            ceiling = cores * 1000 / (worker_ms + floor.ms_per_page + server_ms)
            crawler_ms = pool.main_cpu * 1000 / written
            over_floor = crawler_ms / floor.ms_per_page
            print(f"Scrapy's own cost (a bare spider, same site and settings): {floor.ms_per_page:.2f} ms CPU/page "
                  f"({floor.pages} pages); our crawler process: {crawler_ms:.2f} ms/page = {over_floor:.2f} x the "
                  "floor")
            checks.append((f"crawler process CPU per page {over_floor:.2f} x the Scrapy floor <= {TARGET_OVER_FLOOR}",
                           over_floor <= TARGET_OVER_FLOOR))
            print(f"ceiling for one Scrapy process feeding the pool: {cores} cores / ({worker_ms:.1f} ms worker + "
                  f"{floor.ms_per_page:.1f} ms Scrapy + {server_ms:.1f} ms server) = {ceiling:.1f} pages/s = "
                  f"{ceiling / limit:.0%} of the CPU limit; the pool reaches {pool.rate / ceiling:.0%} of it")
        if args.memory:
            small, large = results[-2], results[-1]
            growth = large.samples.peak_rss / small.samples.peak_rss
            print(f"peak RSS: {_mb(small.samples.peak_rss):.0f} MB at {small.pages} pages, "
                  f"{_mb(large.samples.peak_rss):.0f} MB at {large.pages} pages, ratio {growth:.2f} "
                  f"(PSS {_mb(small.samples.peak_pss):.0f} / {_mb(large.samples.peak_pss):.0f} MB)")
            for r in (small, large):
                print(f"  {r.pages} pages: crawler process alone peaks at {_mb(r.samples.peak_main_rss):.0f} MB, "
                      f"largest worker at {_mb(r.samples.peak_child_rss):.0f} MB, "
                      f"{r.samples.peak_rss_procs} processes at the peak")
            for r in (small, large):
                checks.append((f"peak RSS at {r.pages} pages {_mb(r.samples.peak_rss):.0f} MB < {TARGET_RSS_MB:.0f} MB",
                               _mb(r.samples.peak_rss) < TARGET_RSS_MB))
            checks.append((f"peak RSS {large.pages}/{small.pages} ratio {growth:.2f} <= {TARGET_GROWTH}",
                           growth <= TARGET_GROWTH))
        busy = [r for r in results if r.other_cpu / r.wall > 0.15]
        if busy:
            print(f"NOTE: other processes used CPU during {', '.join(r.label for r in busy)}: the rates are low.")
        print()
        for name, ok in checks:
            print(f"{'PASS' if ok else 'FAIL'}  {name}")
        print(f"logs and dumps: {workdir}" if args.keep else "")
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
