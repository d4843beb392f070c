"""``presswire health``: each site's last runs against its normal, as one text table and one static HTML
page (a small inline-SVG chart per site and measure, flagged runs marked; no script, no network)."""

from __future__ import annotations

import html
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .measure import FIELDS
from .normal import Thresholds, label, normal_of


@dataclass
class SiteRun:
    job_id: str
    finished_at: str
    block: Mapping[str, Any]      # the job's blocks merged (one per process)
    findings: list[str] = field(default_factory=list)


# What the table and the charts show, per site: (key, label, kind); kind "share" is 0-1.
MEASURES: tuple[tuple[str, str, str], ...] = (
    *((name, label(name), "share") for name in FIELDS),
    ("median_body_words", "median body (words)", "number"),
    ("no_article_share", "pages without article", "share"),
    ("articles_per_listed_url", "articles per listed URL", "number"),
    ("articles", "articles", "number"),
)


def value(block: Mapping[str, Any], key: str) -> float | None:
    if key in FIELDS:
        found = (block.get("fields") or {}).get(key)
    else:
        found = block.get(key)
    return float(found) if isinstance(found, (int, float)) else None


def normal_value(normal: Mapping[str, Any] | None, earlier: Sequence[Mapping[str, Any]], key: str) -> float | None:
    if normal is None:
        return None
    if key in FIELDS:
        usual = normal["fields"].get(key)
        return float(usual[0]) if usual else None
    if key == "median_body_words":
        return normal["median_body_words"]
    if key == "articles":
        return float(normal["articles"])
    values = [v for v in (value(b, key) for b in earlier) if v is not None]
    return float(statistics.median(values)) if values else None


def show(number: float | None, kind: str) -> str:
    if number is None:
        return "–"
    return f"{number * 100:.0f}%" if kind == "share" else f"{number:.4g}"


def table(sites: Mapping[str, Sequence[SiteRun]], thresholds: Thresholds) -> str:
    """One row per site and measure: the last run, the normal of the runs before it, and the run's findings."""
    rows = [("site", "measure", "last run", "normal", "runs")]
    notes = []
    for site, runs in sorted(sites.items()):
        if not runs:
            continue
        earlier = [run.block for run in runs[:-1]][-thresholds.normal_runs:]
        normal = normal_of(earlier, thresholds)
        last = runs[-1]
        for key, name, kind in MEASURES:
            rows.append((site, name, show(value(last.block, key), kind),
                         show(normal_value(normal, earlier, key), kind), str(len(runs))))
        notes += [f"{site} {last.job_id}: health: {line}" for line in last.findings]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines + ([""] + notes if notes else []))


def concerns(finding: str, key: str) -> bool:
    """Whether a finding line (``normal.findings``) is about this measure."""
    if key in FIELDS:
        return finding.startswith(label(key) + " ")
    return {"median_body_words": finding.startswith("median body "),
            "articles": finding.startswith("no article found"),
            "no_article_share": finding.split(":")[0].endswith("of pages")}.get(key, False)


def chart(runs: Sequence[SiteRun], key: str, kind: str) -> str:
    """An inline SVG line over the runs (oldest left); a run with a finding on this measure is a red ring,
    a run flagged for another measure a small grey ring; each point's tooltip lists the run's findings."""
    width, height, pad = 240, 64, 6
    points = [(index, value(run.block, key)) for index, run in enumerate(runs)]
    known = [v for _, v in points if v is not None]
    top = 1.0 if kind == "share" else max(known + [1.0]) * 1.1
    step = (width - 2 * pad) / max(len(runs) - 1, 1)

    def xy(index: int, number: float) -> tuple[float, float]:
        return pad + index * step, height - pad - (height - 2 * pad) * (number / top if top else 0.0)

    coords = [xy(i, v) for i, v in points if v is not None]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(key)}">',
             f'<rect x="0" y="0" width="{width}" height="{height}" class="frame"/>']
    if len(coords) > 1:
        parts.append('<polyline class="line" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords) + '"/>')
    for (index, number), run in zip(points, runs, strict=True):
        if number is None:
            continue
        x, y = xy(index, number)
        here = any(concerns(finding, key) for finding in run.findings)
        css, radius = ("flagged", 4.5) if here else ("flagged-other", 3.5) if run.findings else ("run", 2.5)
        tip = f"{run.finished_at} {run.job_id}: {show(number, kind)}" + "".join(f"\n{f}" for f in run.findings)
        parts.append(f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="{radius}">'
                     f"<title>{html.escape(tip)}</title></circle>")
    parts.append("</svg>")
    return "".join(parts)


STYLE = """body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h2{margin:1.2em 0 .3em}.charts{display:flex;flex-wrap:wrap;gap:10px}
figure{margin:0;border:1px solid #ddd;padding:4px 6px;background:#fff}
figcaption{font-size:12px;color:#555}.frame{fill:#fafafa;stroke:none}
.line{fill:none;stroke:#3465a4;stroke-width:1.5}.run{fill:#3465a4}
.flagged{fill:#fff;stroke:#cc0000;stroke-width:2.5}.flagged-other{fill:#fff;stroke:#999;stroke-width:1.5}
.findings{color:#a40000}"""


def page(sites: Mapping[str, Sequence[SiteRun]], thresholds: Thresholds, title: str = "Presswire site health") -> str:
    """The whole HTML page: per site its last findings and one chart per measure."""
    body = [f"<h1>{html.escape(title)}</h1>",
            "<p>Each chart shows a site's runs, oldest left; a red ring is a run with a finding on that measure, "
            "a grey ring a run flagged for another (a point's tooltip lists the run's findings).</p>"]
    for site, runs in sorted(sites.items()):
        body.append(f'<section class="site" data-site="{html.escape(site)}"><h2>{html.escape(site)}</h2>')
        body.append(f"<p>{len(runs)} runs, the last {html.escape(runs[-1].finished_at) if runs else '–'}</p>")
        if runs and runs[-1].findings:
            body.append('<ul class="findings">' + "".join(f"<li>{html.escape(f)}</li>" for f in runs[-1].findings)
                        + "</ul>")
        body.append('<div class="charts">')
        for key, name, kind in MEASURES:
            last = value(runs[-1].block, key) if runs else None
            body.append(f'<figure class="chart" data-field="{key}"><figcaption>{html.escape(name)}: '
                        f"{show(last, kind)}</figcaption>{chart(runs, key, kind)}</figure>")
        body.append("</div></section>")
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(body) + "</body></html>\n")
