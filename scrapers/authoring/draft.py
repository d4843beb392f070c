"""A site config drafted from a ``Survey``: proposed article patterns, and a commented report of what was found
(sources, field coverage on the samples, fields that look wrong) for the person who finishes it."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from urllib.parse import urlsplit

from ..extraction import Article
from ..sites import SiteConfig
from .patterns import coverage, propose_allow, propose_deny
from .survey import Survey

COVERED = ("title", "authors", "date_published", "date_modified", "body", "images", "section", "tags", "language",
           "description")
MIN_BODY_WORDS = 50  # VALIDATE_MIN_BODY_WORDS' default: a shorter body is dropped by the crawl


def field_coverage(samples: list[Article]) -> dict[str, int]:
    return {name: sum(1 for article in samples if getattr(article, name)) for name in COVERED}


def looks_wrong(samples: dict[str, Article], today: dt.date | None = None) -> list[str]:
    """Findings a person should look at, each naming the field and the samples."""
    findings: list[str] = []
    articles = list(samples.values())
    many = len(articles) >= 3
    for field_name in ("title", "byline_raw", "date_published"):
        values = Counter(getattr(a, field_name) for a in articles if getattr(a, field_name))
        for value, count in values.items():
            if many and count == len(articles):
                findings.append(f"{field_name}: the same on every sample ({value!r}): the site's name or a "
                                "label, not the article's?")
    openings = Counter(" ".join((a.body or "").split()[:8]) for a in articles if a.body)
    for opening, count in openings.items():
        if count > 1:
            findings.append(f"body: {count} samples open with the same words ({opening!r}): boilerplate?")
    today = today or dt.datetime.now(dt.UTC).date()
    for url, article in samples.items():
        short = urlsplit(url).path or url
        words = len((article.body or "").split())
        if words < MIN_BODY_WORDS:
            findings.append(f"body: {words} words on {short} (under {MIN_BODY_WORDS}: the crawl drops it as "
                            "not an article); a [selectors] body?")
        if not article.title:
            findings.append(f"title: none on {short}")
        if article.title and article.body and article.body.startswith(article.title):
            findings.append(f"body: opens with the headline on {short}")
        if article.byline_raw and article.body and article.byline_raw in article.body:
            findings.append(f"body: holds the byline {article.byline_raw!r} on {short}")
        if not article.date_published:
            findings.append(f"date_published: none on {short}; a [selectors] date?")
        elif article.date_published[:10] > today.isoformat():
            findings.append(f"date_published: {article.date_published} on {short} is in the future")
        if not article.authors:
            findings.append(f"authors: none on {short}; a [selectors] byline?")
    return findings


def draft_config(name: str, survey: Survey, command: str, today: dt.date | None = None) -> tuple[str, SiteConfig]:
    """The TOML text of NAME's config, and the config it loads as (the caller checks it loads)."""
    articles = sorted(survey.articles)
    allow = propose_allow(articles)
    deny = propose_deny(allow, sorted(survey.others))
    start = survey.start_url
    description = survey.site_name or urlsplit(start).hostname or name
    samples = survey.samples
    lines = [f"# Drafted by `{command}` on {(today or dt.datetime.now(dt.UTC).date()).isoformat()}. Read it, then:",
             "#   presswire explain URL            (where each field of a page comes from)",
             f"#   presswire capture {name} URL...  (save pages with their expected fields; review them)",
             f"#   presswire check {name}           (in CI: exit 1 when a field changes)",
             "#",
             "# Sources found:"]
    if survey.robots_sitemaps:
        lines.append(f"#   sitemaps named in robots.txt: {', '.join(survey.robots_sitemaps)}")
    lines += [f"#   sitemap {url}: {count} article URLs" for url, count in survey.sitemaps.items() if count]
    lines += [f"#   feed {url}: {count} article URLs" for url, count in survey.feeds.items()]
    if survey.sections:
        lines.append(f"#   {len(survey.sections)} section pages linked from the homepage: "
                     + ", ".join(urlsplit(u).path for u in survey.sections))
    if not (survey.sitemaps or survey.feeds):
        lines.append("#   no sitemap or feed: the crawl will find articles through the section pages only")
    lines += [f"#   could not read {problem}" for problem in survey.problems]
    if survey.skipped:
        lines.append(f"#   not fetched (robots.txt): {', '.join(urlsplit(u).path for u in survey.skipped)}")
    lines.append(f"# Article URLs found: {len(articles)}; the proposed article_allow matches "
                 f"{coverage(allow, articles)} of them.")
    lines.append(f"# Samples extracted ({len(samples)} of {len(samples) + len(survey.sample_failures)}):")
    lines += [f"#   {url}" for url in samples]
    lines += [f"#   {url}: not extracted ({why})" for url, why in survey.sample_failures.items()]
    if samples:
        cover = field_coverage(list(samples.values()))
        lines.append("# Field coverage on the samples: "
                     + ", ".join(f"{field_name} {count}/{len(samples)}" for field_name, count in cover.items()))
        findings = looks_wrong(samples, today)
        lines.append("# Fields that look wrong:" + ("" if findings else " none found"))
        lines += [f"#   {finding}" for finding in findings]
    lines += ["", f"description = {_string(description)}", f"start_urls = {_list([start])}",
              f"article_allow = {_list(allow)}", f"article_deny = {_list(deny)}", "",
              "# Per-site overrides when a field comes out wrong (CSS, or XPath starting with / or ( ):",
              "# [selectors]", '# title = "h1.headline"', '# byline = ".author-name"', '# date = "time.published"',
              '# body = ".story-text p"', '# image_credit = "figure .credit"', ""]
    config = SiteConfig.from_mapping(name, {"description": description, "start_urls": [start],
                                            "article_allow": allow, "article_deny": deny})
    return "\n".join(lines), config


def _string(value: str) -> str:
    """A TOML string: literal ('...') when it can be, so regexes keep their backslashes as written."""
    if "'" not in value and "\n" not in value and all(ch >= " " for ch in value):
        return f"'{value}'"
    return json.dumps(value)  # JSON string escapes are TOML basic-string escapes


def _list(values: list[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"
