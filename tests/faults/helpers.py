"""What the fault tests check after every fault: the published dumps, read as a data team would."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from scrapers.jobs.dumpcheck import check_dump
from tests.conftest import TRUTH

ARTICLES = sorted(TRUTH["articles"])
KILL_AT = "PRESSWIRE_FAULT_KILL_AT"


def published_articles(root: Path, base_url: str) -> Counter[str]:
    """Article paths over every published dump (one with a manifest), each dump checked against
    its manifest and the schema first."""
    found: Counter[str] = Counter()
    for manifest_path in sorted(root.glob("crawl=*/date=*/*.manifest.json")):
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if manifest["dump"] is None:  # the job wrote no article: no dump
            continue
        dump = manifest_path.with_name(manifest["dump"])
        report = check_dump(dump)
        assert report.ok, report.render()
        for line in dump.read_text("utf-8").splitlines():
            found[json.loads(line)["url"][len(base_url):]] += 1
    return found


def exactly_once(found: Counter[str]) -> bool:
    return sorted(found) == ARTICLES and set(found.values()) == {1}
