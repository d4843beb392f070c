"""Score each extraction rule per publisher, on and off: does it generalise?

    python benchmarks/generalisation.py --extraction ../shared/bench/extraction/dev \\
        --metadata ../shared/bench/metadata/dev [--peers ../shared/bench/peers/dev] \\
        [--rules title.stands_for,...] [--min-helped 4] [--out FILE]

Runs ``extract_article`` over every page with all rules on, recording which rules each page
reached (``scrapers.extraction.rules.traced``). Then, rule by rule, it runs again, with that
rule off, only the pages that reached it (a rule not reached cannot change the record), and
scores both records against the ground truth with the benchmarks' own metrics, per field:
title, authors, date, datetime, body (metadata set: token F1 of standfirst + body; body set:
word-4-gram F1) and image credits. The peers' set (other extractors' test pages) is scored with
its own evaluator's strict metrics: title, authors F1, publication day, body (snippets found, or
token F1 of the full text).

Publishers: the metadata set names them in its ground truth; the body and peers' sets by URL host
(a peers' page without a URL by its page id).
A publisher is *helped* by a rule when the mean of a field over its pages is higher with the
rule on, *hurt* when lower (a publisher may be both, in different fields). Verdict per rule:
``keep`` when it helps at least ``--min-helped`` publishers (default 4: three besides the one
that suggested it, which the benchmark cannot name) and hurts none; ``hurts`` when it hurts any;
``narrow`` when it helps some but too few; ``idle`` when it changes no score on these pages.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import metadata_row

from scrapers.extraction import Article, ExtractionError, extract_article, rules

# A change of a field's mean below this is noise (a word or two of a long text), not a help or a hurt.
EPSILON = 0.0005
FIELDS = ("title", "authors", "date", "datetime", "body", "credits")


@dataclass
class PageCase:
    kind: str  # "metadata", "extraction" or "peers"
    pid: str
    publisher: str
    html: str
    url: str | None
    truth: dict[str, Any]
    reached: set[str] = field(default_factory=set)
    scores_on: dict[str, float] = field(default_factory=dict)


def _evaluator(split: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"evaluate_{split.parent.name}", split.parent / "evaluate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _host(url: str | None) -> str:
    host = urlsplit(url or "").hostname or "?"
    return host[4:] if host.startswith("www.") else host


def load_pages(extraction: Path | None, metadata: Path | None, peers: Path | None = None) -> list[PageCase]:
    pages: list[PageCase] = []
    if metadata:
        truth = json.loads((metadata / "ground-truth.json").read_text(encoding="utf-8"))
        for pid in sorted(truth):
            html = (metadata / f"{pid}.html").read_bytes().decode("utf-8", errors="replace")
            publisher = truth[pid].get("publisher") or pid.split("_")[1]
            pages.append(PageCase("metadata", pid, publisher, html, truth[pid].get("url"), truth[pid]))
    if extraction:
        truth = json.loads((extraction / "ground-truth.json").read_text(encoding="utf-8"))
        for pid in sorted(truth):
            html = (extraction / "html" / f"{pid}.html").read_text(encoding="utf-8")
            url = truth[pid].get("url")
            pages.append(PageCase("extraction", pid, _host(url), html, url, truth[pid]))
    if peers:
        suites = json.loads((peers / "ground-truth.json").read_text(encoding="utf-8"))["pages"]
        for pid, truth in sorted(suites.items()):
            html = (peers / truth["file"]).read_bytes().decode("utf-8", errors="replace")
            url = truth.get("url")
            if truth.get("body_text_file"):
                truth = {**truth, "body_text": (peers / truth["body_text_file"]).read_text(encoding="utf-8")}
            pages.append(PageCase("peers", pid, _host(url) if url else pid, html, url, truth))
    return pages


def _extract(page: PageCase) -> Article | None:
    try:
        return extract_article(page.html, page.url)
    except ExtractionError:
        return None


def make_scorer(
    extraction: Path | None, metadata: Path | None, peers: Path | None = None
) -> Callable[[PageCase, Article | None], dict]:
    meta_eval = _evaluator(metadata) if metadata else None
    body_eval = _evaluator(extraction) if extraction else None
    peers_eval = _evaluator(peers) if peers else None

    def score(page: PageCase, article: Article | None) -> dict[str, float]:
        if page.kind == "peers":
            assert peers_eval is not None
            return _peers_scores(peers_eval, page.truth, article)
        if page.kind == "extraction":
            assert body_eval is not None
            precision, recall, _ = body_eval.page_scores(page.truth.get("articleBody", ""),
                                                         (article.body if article else None) or "")
            p, r = precision or 0.0, recall or 0.0
            return {"body": 2 * p * r / (p + r) if p + r else 0.0}
        assert meta_eval is not None
        row, gold = metadata_row(page.pid, article), page.truth
        authors = meta_eval.set_prf(meta_eval.norm_set(row["authors"]), meta_eval.norm_set(gold.get("authors")))
        scores = {
            "title": float(meta_eval.norm_text(row["title"]) == meta_eval.norm_text(gold.get("title"))),
            "authors": authors[2],
            "date": float(meta_eval.date_ok(row["date_published"], gold.get("publishing_date"))),
            "body": meta_eval.token_f1(row["body"], gold.get("body")),
        }
        if meta_eval.gold_has_time(gold.get("publishing_date")):
            scores["datetime"] = float(meta_eval.datetime_ok(row["date_published"], gold.get("publishing_date")))
        if meta_eval.norm_set(gold.get("image_credits")):
            scores["credits"] = meta_eval.set_prf(meta_eval.norm_set(row["image_credits"]),
                                                  meta_eval.norm_set(gold.get("image_credits")))[2]
        return scores

    return score


def _peers_scores(evaluator: ModuleType, truth: dict[str, Any], article: Article | None) -> dict[str, float]:
    """The peers' evaluator's strict verdicts for one page, on the fields its truth has."""
    got = article or Article(url=truth.get("url") or "")
    scores: dict[str, float] = {}
    if truth.get("title"):
        scores["title"] = float(evaluator.score_title(truth["title"], got.title)[0])
    if [n for x in truth.get("authors") or [] for n in evaluator.split_names(x)]:
        scores["authors"] = evaluator.score_authors(truth["authors"], list(got.authors))[0]
    if truth.get("date_accept"):
        scores["date"] = float(evaluator.score_date(truth, got.date_published)[0])
    if truth.get("body_snippets"):
        hits = [evaluator.score_snippet(snippet, got.body)[0] for snippet in truth["body_snippets"]]
        scores["body"] = sum(hits) / len(hits)
    elif truth.get("body_text"):
        scores["body"] = evaluator.token_f1(truth["body_text"], got.body)
    return scores


@dataclass
class RuleReport:
    name: str
    pages: int = 0  # pages that reached the rule
    changed: int = 0  # pages whose record changed with it off
    helped: dict[str, dict[str, float]] = field(default_factory=dict)  # publisher -> field -> gain
    hurt: dict[str, dict[str, float]] = field(default_factory=dict)  # publisher -> field -> loss
    seconds: float = 0.0

    def verdict(self, min_helped: int) -> str:
        if self.hurt:
            return "hurts"
        if len(self.helped) >= min_helped:
            return "keep"
        return "narrow" if self.helped else "idle"

    def as_dict(self, min_helped: int) -> dict[str, Any]:
        return {"rule": self.name, "verdict": self.verdict(min_helped), "pages_reached": self.pages,
                "pages_changed": self.changed, "helped": self.helped, "hurt": self.hurt}


def score_rule(name: str, pages: list[PageCase], score: Callable[[PageCase, Article | None], dict]) -> RuleReport:
    report = RuleReport(name)
    start = time.perf_counter()
    # publisher -> field -> [sum of (on - off)], averaged over the publisher's pages with that field
    deltas: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        if name not in page.reached:
            continue
        report.pages += 1
        with rules.switched_off(name):
            off = score(page, _extract(page))
        if off != page.scores_on:
            report.changed += 1
        for key, value in page.scores_on.items():
            deltas[page.publisher][key].append(value - off.get(key, 0.0))
    for publisher, by_field in deltas.items():
        for key, values in by_field.items():
            mean = sum(values) / len(values)
            if mean > EPSILON:
                report.helped.setdefault(publisher, {})[key] = round(mean, 4)
            elif mean < -EPSILON:
                report.hurt.setdefault(publisher, {})[key] = round(-mean, 4)
    report.seconds = time.perf_counter() - start
    return report


def _summary(report: RuleReport, min_helped: int) -> str:
    def listing(side: dict[str, dict[str, float]]) -> str:
        return ", ".join(
            f"{pub} ({' '.join(f'{k}{v:+.3f}' for k, v in fields.items())})" for pub, fields in sorted(side.items())
        ) or "-"

    hurt = {pub: {k: -v for k, v in fields.items()} for pub, fields in report.hurt.items()}
    return (
        f"{report.name:28} {report.verdict(min_helped):6} reached={report.pages:3} changed={report.changed:3} "
        f"helped={len(report.helped):2} hurt={len(report.hurt):2}\n"
        f"    helps: {listing(report.helped)}\n    hurts: {listing(hurt)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extraction", type=Path, help="split folder of the body benchmark")
    parser.add_argument("--metadata", type=Path, help="split folder of the metadata benchmark")
    parser.add_argument("--peers", type=Path, help="split folder of the peers' test suites")
    parser.add_argument("--rules", help="comma-separated rule names (default: every rule)")
    parser.add_argument("--min-helped", type=int, default=4,
                        help="publishers a kept rule must help (default %(default)s: 3 besides its suggester)")
    parser.add_argument("--out", type=Path, help="write the full report as JSON here")
    args = parser.parse_args(argv)
    if not args.extraction and not args.metadata and not args.peers:
        parser.error("give --extraction, --metadata and/or --peers")
    names = args.rules.split(",") if args.rules else list(rules.RULES)
    unknown = set(names) - rules.RULES.keys()
    if unknown:
        parser.error(f"unknown rules: {', '.join(sorted(unknown))}")
    logging.disable(logging.CRITICAL)
    extraction = args.extraction.resolve() if args.extraction else None
    metadata = args.metadata.resolve() if args.metadata else None
    peers = args.peers.resolve() if args.peers else None
    pages = load_pages(extraction, metadata, peers)
    score = make_scorer(extraction, metadata, peers)
    start = time.perf_counter()
    for page in pages:
        with rules.traced() as reached:
            article = _extract(page)
        page.reached = set(reached)
        page.scores_on = score(page, article)
    print(f"{len(pages)} pages, {len({p.publisher for p in pages})} publishers, all rules on: "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    reports = []
    for name in names:
        report = score_rule(name, pages, score)
        reports.append(report)
        print(_summary(report, args.min_helped), flush=True)
    counts: dict[str, int] = defaultdict(int)
    for report in reports:
        counts[report.verdict(args.min_helped)] += 1
    print("summary: " + " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    if args.out:
        args.out.write_text(json.dumps([r.as_dict(args.min_helped) for r in reports], indent=1, ensure_ascii=False),
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
