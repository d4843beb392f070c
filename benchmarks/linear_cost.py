"""Extraction cost against page size, on generated pages of the shapes that grow it fastest.

    python benchmarks/linear_cost.py [--shape paragraphs|scripts|attributes|...] [--timeout 120]

Each page is extracted once in a fresh child process (one core), and its CPU time is printed
with the time per MB of page. The target: a time per MB roughly constant across sizes of one
shape, and no page under the size cap (``MAX_PAGE_CHARS``) over ``EXTRACTION_TIMEOUT`` (30 s).

Shapes:

- ``paragraphs``: an article of 10k to 160k short paragraphs.
- ``scripts``: article text cut by many ``<script>`` tags never closed, up to and past the cap.
- ``attributes``: elements with very many attributes (the HTML parser slows quadratically
  with the attributes of one element): one element with up to 200k, many elements with 1k each, and
  one element with up to 200k attributes without a value.
- ``links``: 5k to 40k paragraphs, each with a link (the link-density tests of the body).
- ``titles``: short lines without a full stop and as many links to other stories (the
  link-list rule of the body compares such lines with the page's links).
- ``nesting``: deeply nested divs around the article (40k levels).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mp
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scrapers.extraction import ExtractionError, extract_article

URL = "https://news.example.com/2024/05/01/a-long-page"
TIMEOUT_TARGET = 30.0  # EXTRACTION_TIMEOUT in scrapers/settings.py

HEAD = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>A long page | Example News</title>"
    "<meta property='og:title' content='A long page'>"
    "<meta property='article:published_time' content='2024-05-01T10:00:00Z'></head>"
    "<body><article><h1>A long page</h1><p class='byline'>By Jane Doe</p>"
)
TAIL = "</article></body></html>"


def paragraphs_page(count: int) -> str:
    return HEAD + "".join(f"<p>{i} is short.</p>" for i in range(count)) + TAIL


def links_page(count: int) -> str:
    return HEAD + "".join(
        f"<p>Paragraph {i} has a few words and <a href='/story/{i}'>a link to story {i}</a>.</p>"
        for i in range(count)
    ) + TAIL


def titles_page(count: int) -> str:
    """Short lines that read like titles, and as many links to other stories in a list."""
    lines = "".join(f"<p>Short line number {i} without a stop</p>" for i in range(count))
    links = "".join(f"<li><a href='/story/{i}'>Another story with number {i}</a></li>" for i in range(count))
    return HEAD + lines + "</article><ul>" + links + "</ul><article>" + TAIL


def scripts_page(count: int) -> str:
    """Text between ``<script>`` tags that are never closed."""
    return HEAD + "".join(f"<p>Paragraph {i} of the text.</p><script>var x{i} = {i};" for i in range(count)) + TAIL


def one_element_attributes(count: int) -> str:
    attributes = " ".join(f"data-a{i}='{i}'" for i in range(count))
    return HEAD + f"<div {attributes}>text</div>" + "".join(f"<p>Line {i} of the text.</p>" for i in range(50)) + TAIL


def one_element_bare_attributes(count: int) -> str:
    """Attributes without a value: not one "=" on the page."""
    attributes = " ".join(f"a{i}" for i in range(count))
    return HEAD + f"<div {attributes}>text</div>" + "".join(f"<p>Line {i} of the text.</p>" for i in range(50)) + TAIL


def many_elements_attributes(count: int, per_element: int = 1000) -> str:
    attributes = " ".join(f"data-a{i}='{i}'" for i in range(per_element))
    return HEAD + "".join(f"<p {attributes}>Line {i} of the text.</p>" for i in range(count)) + TAIL


def nesting_page(depth: int) -> str:
    return HEAD + "<div>" * depth + "".join(f"<p>Line {i} is short.</p>" for i in range(200)) + "</div>" * depth + TAIL


SIZES = {
    "paragraphs": (10_000, 20_000, 40_000, 80_000, 160_000),
    "links": (5_000, 10_000, 20_000, 40_000),
    "titles": (2_000, 4_000, 8_000, 16_000, 32_000),
    "scripts": (10_000, 20_000, 40_000, 80_000, 110_000),
}
SHAPES: dict[str, list[tuple[str, Callable[[int], str], int]]] = {
    "paragraphs": [(f"{n // 1000}k short paragraphs", paragraphs_page, n) for n in SIZES["paragraphs"]],
    "links": [(f"{n // 1000}k paragraphs with a link", links_page, n) for n in SIZES["links"]],
    "titles": [(f"{n // 1000}k title-like lines and links", titles_page, n) for n in SIZES["titles"]],
    "scripts": [(f"{n // 1000}k unclosed <script>", scripts_page, n) for n in SIZES["scripts"]],
    "attributes": [
        *((f"1 element, {n // 1000}k attributes", one_element_attributes, n) for n in (10_000, 50_000, 200_000)),
        *((f"{n} elements, 1k attributes each", many_elements_attributes, n) for n in (50, 100, 200)),
        *((f"1 element, {n // 1000}k bare attributes", one_element_bare_attributes, n)
          for n in (10_000, 50_000, 200_000)),
    ],
    "nesting": [(f"{n // 1000}k nested divs", nesting_page, n) for n in (5_000, 20_000, 40_000)],
}


def _measure(html: bytes, queue: mp.Queue) -> None:
    logging.disable(logging.CRITICAL)
    start = time.process_time()
    try:
        article = extract_article(html, URL)
        outcome = f"body {len(article.body or '')} chars"
    except ExtractionError as err:
        outcome = f"refused: {err}"[:60]
    queue.put((time.process_time() - start, outcome))


def measure(html: bytes, timeout: float) -> tuple[float | None, str]:
    """CPU seconds of one extraction in a fresh process, or None past ``timeout`` (wall clock)."""
    queue: mp.Queue = mp.get_context("fork").Queue()
    child = mp.get_context("fork").Process(target=_measure, args=(html, queue))
    child.start()
    try:
        return queue.get(timeout=timeout)
    except Exception:
        return None, f"no result within {timeout:.0f} s"
    finally:
        child.kill()
        child.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="shape(s) to run (default: all)")
    parser.add_argument("--timeout", type=float, default=120.0, help="wall-clock seconds a page may take")
    args = parser.parse_args(argv)
    worst = 0.0
    print(f"{'page':34} {'MB':>6} {'CPU s':>7} {'s/MB':>6}  outcome")
    for shape in args.shape or list(SHAPES):
        for label, make, size in SHAPES[shape]:
            html = make(size).encode("utf-8")
            megabytes = len(html) / 1e6
            seconds, outcome = measure(html, args.timeout)
            if seconds is None:
                print(f"{label:34} {megabytes:6.2f} {'-':>7} {'-':>6}  {outcome}")
                worst = float("inf")
                continue
            worst = max(worst, seconds)
            print(f"{label:34} {megabytes:6.2f} {seconds:7.2f} {seconds / megabytes:6.2f}  {outcome}", flush=True)
    verdict = "met" if worst <= TIMEOUT_TARGET else "NOT met"
    print(f"slowest page: {worst:.1f} s CPU (target <= {TIMEOUT_TARGET:.0f} s: {verdict})")
    return 0 if worst <= TIMEOUT_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
