"""Score extract_article on the shared benchmarks and compare its speed with trafilatura.

    python benchmarks/quality.py --extraction ../shared/bench/extraction/dev \\
        --metadata ../shared/bench/metadata/dev [--out DIR]

For each split given, runs ``extract_article`` over its pages (read in place, never
copied), writes the prediction file that split's evaluator reads, runs that evaluator
(``evaluate.py`` next to the split folder) and prints its last line. With an extraction
split it also times ``extract_article`` against trafilatura (``bare_extraction(with_metadata=True)``,
``extract`` default and ``extract(fast=True)``, in a child process that never imports ours) page
by page, with the pages as bytes, and prints the ratios of pages per second (``speed.py``).
Per-page scores go to ``--out`` too.

Mapping our record to each benchmark's conventions: the body benchmark (Zyte) scores
``body``; the metadata benchmark (Fundus) opens its body with the lead shown under the
headline, so it gets ``standfirst`` + ``body`` (the lead once: not when a paragraph of
the body is already the lead); an image credit naming several parties ("A/dpa | B") counts each.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed import report, time_extractors

from scrapers.extraction import Article, ExtractionError, extract_article
from scrapers.extraction.captions import clean_credit


def _extract(html: str, url: str | None) -> Article | None:
    try:
        return extract_article(html, url)
    except ExtractionError as err:
        print(f"extraction error on {url}: {err}", file=sys.stderr)
        return None


def extraction_predictions(split: Path) -> list[dict[str, Any]]:
    truth = json.loads((split / "ground-truth.json").read_text(encoding="utf-8"))
    rows = []
    for pid in sorted(truth):
        html = (split / "html" / f"{pid}.html").read_text(encoding="utf-8")
        article = _extract(html, truth[pid].get("url"))
        rows.append({"id": pid, "articleBody": (article.body if article else None) or ""})
    return rows


def metadata_predictions(split: Path) -> list[dict[str, Any]]:
    truth = json.loads((split / "ground-truth.json").read_text(encoding="utf-8"))
    rows = []
    for pid in sorted(truth):
        # Same input the evaluator's baselines get: the page decoded as UTF-8.
        html = (split / f"{pid}.html").read_bytes().decode("utf-8", errors="replace")
        article = _extract(html, truth[pid].get("url"))
        rows.append(metadata_row(pid, article))
    return rows


def _with_standfirst(article: Article) -> str | None:
    body, lead = article.body, article.standfirst
    if lead and lead not in (body or "").split("\n\n"):
        return f"{lead}\n\n{body}" if body else lead
    return body


# The metadata benchmark counts credited parties: "A/dpa | B" and "A; B" credit two.
CREDIT_LIST = re.compile(r"\s+\|\s+|\s*;\s+")


def split_credits(credit: str | None) -> list[str]:
    """One image's credit string -> the credited parties, as the metadata benchmark counts them."""
    if not credit:
        return []
    return [part for part in (clean_credit(p) for p in CREDIT_LIST.split(credit)) if part]


def metadata_row(pid: str, article: Article | None) -> dict[str, Any]:
    if article is None:
        return {"id": pid, "title": None, "authors": [], "date_published": None, "body": None,
                "topics": [], "image_credits": []}
    credits: list[str] = []
    for image in article.images:
        # The evaluator counts credited parties: "A/dpa | B" credits two.
        for credit in split_credits(image.credit):
            if credit not in credits:
                credits.append(credit)
    return {
        "id": pid,
        "title": article.title,
        "authors": article.authors,
        "date_published": article.date_published,
        # Fundus' body opens with the lead under the headline; ours keeps it in its own field.
        "body": _with_standfirst(article),
        "topics": article.tags,
        "image_credits": credits,
    }


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def run_evaluator(command: list[str], log: Path) -> str:
    """Run an evaluator, keep its full output in ``log``, return its last line."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        raise SystemExit(f"{command[1]} failed ({done.returncode}):\n{done.stderr}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extraction", type=Path, help="split folder of the body benchmark")
    parser.add_argument("--metadata", type=Path, help="split folder of the metadata benchmark")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "presswire-quality",
                        help="where prediction and per-page files go (default: %(default)s)")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed comparison")
    args = parser.parse_args(argv)
    if not args.extraction and not args.metadata:
        parser.error("give --extraction and/or --metadata")
    logging.disable(logging.CRITICAL)  # trafilatura and htmldate log every discarded page
    args.out.mkdir(parents=True, exist_ok=True)

    if args.extraction:
        split = args.extraction.resolve()
        pred = args.out / "extraction-preds.jsonl"
        write_jsonl(pred, extraction_predictions(split))
        evaluator = split.parent / "evaluate.py"
        print("extraction:", run_evaluator(
            [sys.executable, str(evaluator), "--data", str(split), "--pred", str(pred), "--per-page"],
            args.out / "extraction-eval.txt"))
    if args.metadata:
        split = args.metadata.resolve()
        pred = args.out / "metadata-preds.jsonl"
        write_jsonl(pred, metadata_predictions(split))
        evaluator = split.parent / "evaluate.py"
        print("metadata:", run_evaluator(
            [sys.executable, str(evaluator), str(split), "--pred", str(pred),
             "--per-page", str(args.out / "metadata-per-page.jsonl")],
            args.out / "metadata-eval.txt"))
    if args.extraction and not args.no_speed:
        rates = time_extractors(args.extraction.resolve(), rounds=2)
        print("\n".join(report(rates)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
