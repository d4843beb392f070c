"""One run's health check: measure the records, judge the block against the site's history, remember it.

The history lives in the incremental store (``SeenStore.health_*``, table ``health_runs``); this module
only needs the two calls of ``History``. A run with the store off (``-a all=1``) has no history: it is
measured and judged as a site's first run, and not remembered.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Protocol

from ..sites import SiteConfigError, load_site
from .measure import Meter, merge_blocks
from .normal import Thresholds, findings

logger = logging.getLogger(__name__)


class History(Protocol):
    def health_runs(self, key: str, limit: int) -> list[tuple[str, list[dict[str, Any]]]]:
        """The last ``limit`` jobs of ``key``, oldest first: (job id, the health block of each process)."""
        ...

    def record_health(self, key: str, job_id: str, process: str, finished_at: str, block: Mapping[str, Any],
                      findings: list[str], keep: int) -> None: ...


class HealthCheck:
    def __init__(self, key: str, thresholds: Thresholds, history: History | None, *, alerts: bool = True,
                 keep: int = 30, min_body_words: int = 80, process: str = "", distributed: bool = False) -> None:
        self.key = key  # the site: a site config's name, else the crawl's lock name (spider@hosts)
        self.thresholds = thresholds
        self.history = history
        self.alerts = alerts
        self.keep = keep
        self.process = process
        # a process of a Redis run whose peers fetched every article page found none itself: not a finding
        self.distributed = distributed
        self.meter = Meter(min_body_words)
        self.block: dict[str, Any] | None = None
        self.findings: list[str] = []
        self.runs_known = 0

    @classmethod
    def from_settings(cls, settings: Any, key: str, site: str | None, history: History | None,
                      process: str = "") -> HealthCheck:
        """HEALTH_* settings; alerts off with HEALTH_ALERTS=0 or the site config's ``health_alerts = false``."""
        alerts = settings.getbool("HEALTH_ALERTS")
        if alerts and site:
            try:
                alerts = load_site(site, settings.get("SITES_DIR")).health_alerts
            except SiteConfigError:
                pass  # the spider loaded it before the run began; a config edited since keeps alerts on
        return cls(key, Thresholds.from_settings(settings), history, alerts=alerts,
                   keep=settings.getint("HEALTH_HISTORY_RUNS"), min_body_words=settings.getint("HEALTH_BODY_WORDS"),
                   process=process, distributed=bool(settings.get("REDIS_URL")))

    def judge(self, counts: Mapping[str, Any], job_id: str | None) -> dict[str, Any]:
        """The manifest's ``health`` entry: this run's block, its findings, whether they alert."""
        self.block = self.meter.block(counts)
        earlier = []
        if self.history is not None:
            try:
                jobs = self.history.health_runs(self.key, self.keep + 1)
            except Exception as err:  # a busy or damaged store: judged as a first run, never a failed one
                logger.warning("site health: the history of %s cannot be read: %s", self.key, err)
                jobs = []
            # this job's own rows (another process of a distributed job) are not its history
            earlier = [merge_blocks(blocks) for job, blocks in jobs if job != job_id]
        self.runs_known = len(earlier)
        self.findings = findings(self.block, earlier, self.thresholds)
        if self.distributed and not self.block["pages"]:
            self.findings = [line for line in self.findings if not line.startswith("no article found")]
        return self.entry()

    def entry(self) -> dict[str, Any]:
        assert self.block is not None
        return {**self.block, "site": self.key, "runs_known": self.runs_known, "findings": self.findings,
                "alerts": self.alerts}

    @property
    def alerting(self) -> bool:
        return bool(self.findings) and self.alerts

    def remember(self, job_id: str, finished_at: str) -> None:
        """Keep this run's block with the site's history (the last ``keep`` jobs)."""
        if self.history is None or self.block is None:
            return
        try:
            self.history.record_health(self.key, job_id, self.process, finished_at, self.block, self.findings,
                                       self.keep)
        except Exception as err:  # the dump is published: a history row lost costs one run of comparison
            logger.warning("site health: the run of %s could not be kept in its history: %s", self.key, err)
