"""Time extract_article against trafilatura on the body benchmark's pages, in one process and run.

    python benchmarks/speed.py ../shared/bench/extraction/dev [--rounds 2] [--no-fast]

Every extractor gets the page as bytes (what the crawl hands over) and its URL. Pages are
timed one by one, the extractors in a rotating order, so a busy machine slows each alike;
only the ratios printed are comparable between runs:

- ``bare_extraction(with_metadata=True)``: trafilatura's body and metadata (target: >= 1.2)
- ``extract`` default: trafilatura's body alone, as text (target: >= 1.0)
- ``extract(fast=True)``: the same without its fallback comparison (for reference)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.extraction import ExtractionError, extract_article

Extractor = Callable[[bytes, "str | None"], object]
TARGETS = {"bare_extraction(with_metadata=True)": 1.2, "extract": 1.0}


def load_pages(split: Path) -> list[tuple[bytes, str | None]]:
    truth = json.loads((split / "ground-truth.json").read_text(encoding="utf-8"))
    return [((split / "html" / f"{pid}.html").read_bytes(), truth[pid].get("url")) for pid in sorted(truth)]


def extractors(fast: bool = True) -> dict[str, Extractor]:
    import trafilatura

    def ours(html: bytes, url: str | None) -> object:
        try:
            return extract_article(html, url)
        except ExtractionError:
            return None

    found: dict[str, Extractor] = {
        "extract_article": ours,
        "bare_extraction(with_metadata=True)": lambda html, url: trafilatura.bare_extraction(
            html, url=url, with_metadata=True
        ),
        "extract": lambda html, url: trafilatura.extract(html, url=url),
    }
    if fast:
        found["extract(fast=True)"] = lambda html, url: trafilatura.extract(html, url=url, fast=True)
    return found


def time_extractors(
    pages: list[tuple[bytes, str | None]], named: dict[str, Extractor], rounds: int
) -> dict[str, float]:
    """Pages per second of each extractor, timed page by page in a rotating order."""
    # Lazy imports and models (dateparser's zones, the language identifier) load on the pages
    # that need them: ours is warmed on every page, trafilatura on a few.
    for index, (html, url) in enumerate(pages):
        for name, fn in named.items():
            if index < 3 or name == "extract_article":
                fn(html, url)
    spent = dict.fromkeys(named, 0.0)
    order = list(named.items())
    for round_no in range(rounds):
        for index, (html, url) in enumerate(pages):
            shift = (index + round_no) % len(order)
            for name, fn in order[shift:] + order[:shift]:
                start = time.perf_counter()
                fn(html, url)
                spent[name] += time.perf_counter() - start
    count = len(pages) * rounds
    return {name: count / seconds for name, seconds in spent.items()}


def report(rates: dict[str, float]) -> list[str]:
    """One line per extractor: pages/s, and for trafilatura our ratio to it (with its target)."""
    ours = rates["extract_article"]
    lines = [f"speed: extract_article {ours:.1f} pages/s"]
    for name, rate in rates.items():
        if name == "extract_article":
            continue
        target = TARGETS.get(name)
        goal = f" (target >= {target:.1f}: {'met' if ours / rate >= target else 'NOT met'})" if target else ""
        lines.append(f"speed: vs {name} {rate:.1f} pages/s: ratio={ours / rate:.2f}{goal}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("split", type=Path, help="split folder of the body benchmark (html/ + ground-truth.json)")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the pages (default: %(default)s)")
    parser.add_argument("--no-fast", action="store_true", help="leave out trafilatura's fast mode")
    args = parser.parse_args(argv)
    logging.disable(logging.CRITICAL)  # trafilatura and htmldate log every discarded page
    rates = time_extractors(load_pages(args.split.resolve()), extractors(fast=not args.no_fast), args.rounds)
    print("\n".join(report(rates)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
