"""The run's one set of counts: what the progress line, the summary line, the manifest and the exit code
all read (``Run.counts``). Each outcome is counted once, where it happens; nothing is re-derived from
stat keys. A job resumed from ``JOBDIR`` starts from what its partial dump and failures file hold, so
every reader covers every session of the job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Reasons for a failed page that came with no response at all (after retries): attempted pages in the
# failure ratio even when the spider did not count them itself.
NO_RESPONSE_REASONS = frozenset({"timeout", "dns_error", "connection_error", "download_error"})


@dataclass
class Counts:
    # -- records (Run.finish) --
    written: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0            # fetched again and found as an earlier run wrote it
    duplicates: int = 0
    refused: Counter[str] = field(default_factory=Counter)    # validate / window, by reason
    failures: Counter[str] = field(default_factory=Counter)   # pages without an article, by reason
    skipped: Counter[str] = field(default_factory=Counter)    # archived pages a filter passed over, by reason
    # -- discovery (the spider) --
    sitemaps_read: int = 0
    urls_listed: int = 0
    article_requests: int = 0
    skipped_unchanged: int = 0    # not fetched: an earlier run wrote it and nothing says it changed
    skipped_recent: int = 0       # not fetched: INCREMENTAL_RECRAWL_HOURS
    listed_out_of_window: int = 0
    requests_without_response: int | None = None  # None: not counted (guessed from failure reasons)
    budgets: Counter[str] = field(default_factory=Counter)
    # -- the engine's own counters, copied in by the Scrapy side (jobs/extension.py) --
    pages_fetched: int = 0
    robots_fetched: int = 0
    run_pages: int = 0            # pages of the whole distributed run (REDIS_URL)
    queued: int = 0
    versioned: bool = True        # False: the incremental store is off (-a all=1), new/changed unknown

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    @property
    def all_unchanged(self) -> int:
        """Articles an earlier run wrote, found unchanged: fetched and compared, or not fetched at all."""
        return self.unchanged + self.skipped_unchanged

    @property
    def out_of_window(self) -> int:
        return self.listed_out_of_window + self.refused.get("out_of_window", 0)

    @property
    def without_article(self) -> int:
        """Pages that gave no article: failed, or refused (not a duplicate or an unchanged one)."""
        return self.failed + sum(self.refused.values())

    def attempted_pages(self) -> int:
        """Pages fetched (not robots.txt) plus requests that got no response: the failure ratio's base."""
        no_response = self.requests_without_response
        if no_response is None:
            no_response = sum(n for reason, n in self.failures.items() if reason in NO_RESPONSE_REASONS)
        return self.pages_fetched - self.robots_fetched + no_response

    def fail(self, reason: str) -> None:
        self.failures[reason] += 1

    def refuse(self, reason: str) -> None:
        self.refused[reason] += 1

    # -- what the readers show ----------------------------------------------------------------

    def discovery_line(self) -> str:
        return (f"{self.sitemaps_read} sitemaps read, {self.urls_listed} URLs listed, "
                f"{self.article_requests} article requests, {self.out_of_window} out of window")

    def progress_line(self) -> str:
        return (f"progress: {self.pages_fetched} pages fetched, {self.written} articles written, "
                f"{self.all_unchanged} unchanged, {self.failed} failed, {self.queued} queued; {self.discovery_line()}")

    def summary_line(self, dump: str | None, files: Sequence[str] = ()) -> str:
        """The counts, the dump, then ``files`` (the store, feed files: what the caller knows of)."""
        which = f"{self.new} new, {self.changed} changed" if self.versioned else "all, the incremental store is off"
        line = (f"{self.written} articles written ({which}), {self.all_unchanged} unchanged since an earlier run "
                f"({self.skipped_unchanged} of them not fetched again), "
                f"{self.skipped_recent} skipped (fetched less than INCREMENTAL_RECRAWL_HOURS ago), "
                f"{self.duplicates} duplicates, {self.without_article} pages without an article")
        line += "; " + self.discovery_line()
        if self.budgets:
            line += "; budgets reached: " + ", ".join(sorted(self.budgets))
        if dump:
            line += f"; dump {dump}"
        for part in files:
            line += f"; {part}"
        if self.all_unchanged or self.skipped_recent:
            line += "; unchanged and skipped articles are not written again: -a all=1 writes them all"
        return line

    def manifest(self) -> dict[str, Any]:
        return {
            "pages_fetched": self.pages_fetched,
            "articles_written": self.written,
            "new": self.new if self.versioned else None,
            "changed": self.changed if self.versioned else None,
            "duplicates": self.duplicates,
            # fetched and compared, plus not fetched at all (skipped_unchanged, counted in it)
            "unchanged": self.all_unchanged,
            "skipped_unchanged": self.skipped_unchanged,
            "skipped_recently_fetched": self.skipped_recent,
            "dropped": sum(self.refused.values()),
            "dropped_by_reason": dict(sorted(self.refused.items())),
            "failures": self.failed,
            "failures_by_reason": dict(sorted(self.failures.items())),
            "sitemaps_read": self.sitemaps_read,
            "urls_listed": self.urls_listed,
            "article_requests": self.article_requests,
            "out_of_window": self.out_of_window,
        }
