"""Time extract_article against trafilatura on the body benchmark's pages, page by page in one run.

    python benchmarks/speed.py ../shared/bench/extraction/dev [--rounds 2] [--no-fast]

Every extractor gets the page as bytes (what the crawl hands over) and its URL. Each of
trafilatura's is timed in a child process of its own that never imports our package (so it runs
as its users run it, whatever our import does, and no extractor finds the page's lines already in
another's caches); extract_article in this process. Pages are timed one by one, the extractors in
a rotating order (the parent asks a child to time one call, then the next), so a busy machine
slows each alike; only the ratios printed are comparable between runs:

- ``bare_extraction(with_metadata=True)``: trafilatura's body and metadata (target: >= 1.2)
- ``extract`` default: trafilatura's body alone, as text (target: >= 1.0)
- ``extract(fast=True)``: the same without its fallback comparison (for reference)
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = "extract_article"
Extractor = Callable[[bytes, "str | None"], object]
TARGETS = {"bare_extraction(with_metadata=True)": 1.2, "extract": 1.0}
# Lazy imports and models (dateparser's zones, the language identifier) load on the pages that
# need them: ours is warmed on every page, trafilatura on this many.
TRAFILATURA_WARM_PAGES = 3


def load_pages(split: Path) -> list[tuple[bytes, str | None]]:
    truth = json.loads((split / "ground-truth.json").read_text(encoding="utf-8"))
    return [((split / "html" / f"{pid}.html").read_bytes(), truth[pid].get("url")) for pid in sorted(truth)]


FAST = "extract(fast=True)"
TRAFILATURA = ("bare_extraction(with_metadata=True)", "extract", FAST)


def trafilatura_extractors() -> dict[str, Extractor]:
    import trafilatura

    return {
        TRAFILATURA[0]: lambda html, url: trafilatura.bare_extraction(html, url=url, with_metadata=True),
        TRAFILATURA[1]: lambda html, url: trafilatura.extract(html, url=url),
        FAST: lambda html, url: trafilatura.extract(html, url=url, fast=True),
    }


def ours() -> Extractor:
    sys.path.insert(0, str(ROOT))
    from scrapers.extraction import ExtractionError, extract_article

    def run(html: bytes, url: str | None) -> object:
        try:
            return extract_article(html, url)
        except ExtractionError:
            return None

    return run


def serve_baseline(split: Path, name: str) -> int:
    """The child's side: time one call of trafilatura extractor ``name`` per page index read."""
    logging.disable(logging.CRITICAL)
    pages = load_pages(split)
    extractor = trafilatura_extractors()[name]
    tainted = sorted(m for m in sys.modules if m.split(".")[0] in ("scrapers", "pipelines", "presswire"))
    print(json.dumps({"ours_imported": tainted}), flush=True)
    for line in sys.stdin:
        html, url = pages[int(line)]
        start = time.perf_counter()
        extractor(html, url)
        print(time.perf_counter() - start, flush=True)
    return 0


class CleanTrafilatura:
    """One trafilatura extractor, timed one call at a time in a process that never imported ours."""

    def __init__(self, split: Path, name: str) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), str(split), "--baseline-worker", name]
        self.name = name
        self._child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        hello = json.loads(self._read())
        if hello["ours_imported"]:
            self.close()
            raise RuntimeError(f"the trafilatura baseline process imported our modules: {hello['ours_imported']}")

    def _read(self) -> str:
        assert self._child.stdout is not None
        line = self._child.stdout.readline()
        if not line:
            raise RuntimeError(f"the trafilatura baseline process ended (exit status {self._child.wait()})")
        return line

    def time(self, index: int) -> float:
        assert self._child.stdin is not None
        self._child.stdin.write(f"{index}\n")
        self._child.stdin.flush()
        return float(self._read())

    def close(self) -> None:
        if self._child.stdin is not None:
            self._child.stdin.close()
        try:
            self._child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()



def time_extractors(split: Path, rounds: int, fast: bool = True) -> dict[str, float]:
    """Pages per second of each extractor, timed page by page in a rotating order."""
    pages = load_pages(split)
    names = [OURS, *(name for name in TRAFILATURA if fast or name != FAST)]
    baselines: dict[str, CleanTrafilatura] = {}
    try:
        for name in names[1:]:
            baselines[name] = CleanTrafilatura(split, name)
        mine = ours()

        def timed(name: str, index: int) -> float:
            if name != OURS:
                return baselines[name].time(index)
            html, url = pages[index]
            start = time.perf_counter()
            mine(html, url)
            return time.perf_counter() - start

        for index in range(len(pages)):
            for name in names:
                if index < TRAFILATURA_WARM_PAGES or name == OURS:
                    timed(name, index)
        spent = dict.fromkeys(names, 0.0)
        for round_no in range(rounds):
            for index in range(len(pages)):
                shift = (index + round_no) % len(names)
                for name in names[shift:] + names[:shift]:
                    spent[name] += timed(name, index)
    finally:
        for baseline in baselines.values():
            baseline.close()
    count = len(pages) * rounds
    return {name: count / seconds for name, seconds in spent.items()}


def report(rates: dict[str, float]) -> list[str]:
    """One line per extractor: pages/s, and for trafilatura our ratio to it (with its target)."""
    mine = rates[OURS]
    lines = [f"speed: extract_article {mine:.1f} pages/s"]
    for name, rate in rates.items():
        if name == OURS:
            continue
        target = TARGETS.get(name)
        goal = f" (target >= {target:.1f}: {'met' if mine / rate >= target else 'NOT met'})" if target else ""
        lines.append(f"speed: vs {name} {rate:.1f} pages/s: ratio={mine / rate:.2f}{goal}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("split", type=Path, help="split folder of the body benchmark (html/ + ground-truth.json)")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the pages (default: %(default)s)")
    parser.add_argument("--no-fast", action="store_true", help="leave out trafilatura's fast mode")
    parser.add_argument("--baseline-worker", choices=TRAFILATURA, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.baseline_worker:
        return serve_baseline(args.split.resolve(), args.baseline_worker)
    logging.disable(logging.CRITICAL)  # trafilatura and htmldate log every discarded page
    rates = time_extractors(args.split.resolve(), args.rounds, fast=not args.no_fast)
    print("\n".join(report(rates)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
