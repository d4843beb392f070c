"""``-a all=1``: this run writes every article it finds, unchanged ones included, as
``-s INCREMENTAL_ENABLED=0`` does (the store is neither read nor updated). A spider argument because it
is what a person asks for one run, and what the summary line suggests when articles were left out."""

from __future__ import annotations

from scrapy.crawler import Crawler

YES = {"1", "true", "yes", "on"}
NO = {"0", "false", "no", "off", ""}


def wants_all(value: str | None) -> bool:
    """The ``all`` spider argument as a boolean; ValueError with a one-line message for anything else."""
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in YES or text in NO:
        return text in YES
    raise ValueError(f"-a all={value}: expected 1 (write every article, unchanged ones too) or 0")


def apply_all_argument(crawler: Crawler, value: str | None) -> None:
    """Switch the incremental store off for this run; called before the crawl's components are built."""
    if wants_all(value):
        # cmdline priority: -a all=1 wins over -s INCREMENTAL_ENABLED=1 and the project settings
        crawler.settings.set("INCREMENTAL_ENABLED", False, priority="cmdline")
