"""A small local news site of our own for the job-transaction fault tests, and what a data team and the
incremental store see afterwards: the articles of the published dumps, and the articles the store
counts as written."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from scrapers.jobs.dumpcheck import check_dump
from tests.hostile.site import Handler, HostileSite, Route, article_html, page, serve, slow


def gated(gate: threading.Event, then: Route, served: list[int], hold_after: int) -> Route:
    """After ``hold_after`` articles, answered once the test opens ``gate`` (at most 60 s later): a crawl
    held mid-way, for as long as the test needs."""
    lock = threading.Lock()

    def route(h: Handler) -> None:
        with lock:
            served.append(1)
            held = len(served) > hold_after
        if held:
            gate.wait(60)
        then(h)
    return route


@contextmanager
def story_site(count: int, delay: float = 0.0, topic: str = "harbour",
               gate: threading.Event | None = None, hold_after: int = 0, missing: int = 0) -> Iterator[HostileSite]:
    """A home page linking ``count`` articles, each answered after ``delay`` seconds (with ``gate``: all
    but the first ``hold_after`` only once it is open), and ``missing`` article links that answer 404
    (each a failure line)."""
    paths = [f"/news/2026/11/{10 + i % 18}/{topic}-story-{i}.html" for i in range(count)]
    gone = [f"/news/2026/11/{10 + i % 18}/{topic}-gone-{i}.html" for i in range(missing)]
    home = "<html><body>" + "".join(f'<a href="{p}">{p}</a>' for p in gone + paths) + "</body></html>"
    routes = {p: slow(delay, page(article_html(f"The {topic} story number {i}"))) for i, p in enumerate(paths)}
    if gate is not None:
        served: list[int] = []
        routes = {p: gated(gate, route, served, hold_after) for p, route in routes.items()}
    with serve({"/": page(home), **routes}) as site:
        yield site


def stories(site: HostileSite) -> list[str]:
    """The site's article URLs."""
    return sorted(site.base_url + path for path in site.routes if path.startswith("/news/"))


def published_urls(root: Path) -> Counter[str]:
    """Article URLs over every published dump under ``root`` (one with a manifest), each dump checked
    against its manifest and the schema first."""
    found: Counter[str] = Counter()
    for manifest_path in sorted(root.rglob("*.manifest.json")):
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if manifest["dump"] is None:
            continue
        dump = manifest_path.with_name(manifest["dump"])
        if not dump.exists():  # deleted after its manifest: a test's fault, it publishes nothing
            continue
        report = check_dump(dump)
        assert report.ok, report.render()
        found.update(json.loads(line)["url"] for line in dump.read_text("utf-8").splitlines())
    return found


def store_written(root: Path) -> set[str]:
    """The URLs the incremental store under ``root`` counts as written."""
    with sqlite3.connect(root / ".state" / "seen.sqlite") as db:
        return {url for (url,) in db.execute("SELECT url FROM written")}


def when(check: Callable[[], bool], then: Callable[[], None], timeout: float = 30) -> threading.Thread:
    """In a thread: wait until ``check`` holds (the crawl got that far), then do ``then`` to its files."""
    def watch() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if check():
                then()
                return
            time.sleep(0.01)
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def part_lines(root: Path, pattern: str = "*.dump.part") -> int:
    parts = list(root.rglob(pattern))
    return sum(p.read_bytes().count(b"\n") for p in parts if p.exists()) if parts else 0
