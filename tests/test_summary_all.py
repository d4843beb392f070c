"""The end-of-run summary tells new from changed articles, and ``-a all=1`` writes every article of a run,
unchanged ones too (as ``-s INCREMENTAL_ENABLED=0``): real crawls of a local site whose article changes."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from tests.commandline import crawl_command, run_command
from tests.hostile.site import article_html, page, serve
from tests.inprocess import run_crawl

STEADY = "/2026/11/20/sea-wall-repairs-approved-after-three-winters.html"
EDITED = "/2026/11/21/ferry-timetable-changes-for-the-winter-season.html"
HOME = f"<html><body><a href='{STEADY}'>Sea wall</a> <a href='{EDITED}'>Ferry</a></body></html>"


def summary(log: str) -> str:
    [line] = [line for line in log.splitlines() if line.startswith("summary: ")]
    return line


def test_new_changed_unchanged_and_all(tmp_path: Path) -> None:
    routes = {"/": page(HOME), STEADY: page(article_html("Sea wall repairs approved")),
              EDITED: page(article_html("Ferry timetable changes"))}
    out = tmp_path / "out"
    # The site gives no lastmod, so known URLs are fetched again to compare their text.
    again = {"INCREMENTAL_DISCOVERY": "0"}
    with serve(routes) as site:
        url = f"url={site.base_url}/"
        first = run_crawl(out, "news", "-a", url, settings=again)
        assert first.returncode == 0, first.log[-3000:]
        assert "2 articles written (2 new, 0 changed), 0 unchanged since an earlier run" in summary(first.log)
        # the store by its absolute path: a crawl run from another folder would name another one
        assert f"; store {(out / '.state' / 'seen.sqlite').resolve()}" in summary(first.log)

        routes[EDITED] = page(article_html("Ferry timetable changes", "<p>Update: the late ferry is back.</p>"))
        second = run_crawl(out, "news", "-a", url, settings=again)
        line = summary(second.log)
        assert "1 articles written (0 new, 1 changed), 1 unchanged since an earlier run" in line
        assert line.endswith("; unchanged and skipped articles are not written again: -a all=1 writes them all")
        assert [(r["url"], r["version"]) for r in second.records] == [(site.base_url + EDITED, 2)]

        everything = run_crawl(out, "news", "-a", url, "-a", "all=1", settings={"INCREMENTAL_ENABLED": "1"})
        line = summary(everything.log)
        assert "2 articles written (all, the incremental store is off), 0 unchanged" in line
        assert "all=1 writes" not in line
        assert "; store " not in line
        assert sorted(r["url"] for r in everything.records) == [site.base_url + STEADY, site.base_url + EDITED]

        # -a all=1 left the store as it was: a plain run finds both articles unchanged
        after = run_crawl(out, "news", "-a", url, settings=again)
        assert "0 articles written (0 new, 0 changed), 2 unchanged" in summary(after.log)
        no_change_publishes_no_dump(out, after.manifest, summary(after.log))


def no_change_publishes_no_dump(out: Path, manifest: dict[str, object], line: str) -> None:
    """A run that wrote nothing leaves its manifest (the run, its counts) but no empty dump for the
    data teams' glob; every reader of the output folder still works."""
    assert manifest["dump"] is None and manifest["lines"] == 0
    assert manifest["counts"]["unchanged"] == 2  # type: ignore[index]
    assert "; no dump: nothing to write (the run and its counts are in " in line and "; dump " not in line
    dumps = sorted(out.glob("crawl=*/date=*/*.jsonl*"))
    assert len(dumps) == 3 and all(d.stat().st_size for d in dumps)  # the first, second and all=1 runs
    assert not list(out.rglob("*.part"))
    # the job was promoted in the store like any published one: nothing left pending
    with closing(sqlite3.connect(out / ".state" / "seen.sqlite")) as db:
        assert db.execute("SELECT count(*) FROM pending_jobs").fetchone() == (0,)
    for command in (["validate", str(out)], ["export", str(out), "-o", str(out.parent / "a.parquet")],
                    ["health", str(out), "--html", str(out.parent / "h.html")]):
        proc = run_command(*command)
        assert proc.returncode in (0, 3), (command, proc.stderr[-2000:])


def test_a_bad_all_value_is_one_line(tmp_path: Path) -> None:
    proc = run_command("crawl", "news", "-a", "url=http://127.0.0.1:9/", "-a", "all=maybe", "-s",
                       f"JSONL_ROOT={tmp_path}")
    assert proc.returncode == 2
    assert proc.stderr == "scrapy crawl: -a all=maybe: expected 1 (write every article, unchanged ones too) or 0\n"


def test_the_summary_names_each_feed_file_and_what_it_replaced(tmp_path: Path) -> None:
    """``-O`` is the crawl command's own option (the command runs in this process: tests/commandline.py): a
    second run replaces the file, and says so."""
    routes = {"/": page(HOME), STEADY: page(article_html("Sea wall repairs approved")),
              EDITED: page(article_html("Ferry timetable changes"))}
    feed = tmp_path / "out.jsonl"
    with serve(routes) as site:
        url = f"url={site.base_url}/"
        first = crawl_command(tmp_path / "out", "news", "-a", url, "-O", str(feed))
        assert first.returncode == 0, first.log[-3000:]
        line = summary(first.log)
        assert f"; feed {feed} (2 lines)" in line
        assert "; dump " in line and "; store " in line

        # nothing changed: the store writes nothing, and -O empties the file it replaces
        second = crawl_command(tmp_path / "out", "news", "-a", url, "-O", str(feed))
        assert f"; feed {feed} (0 lines; -O replaced an earlier file of 2 lines)" in summary(second.log)

        third = crawl_command(tmp_path / "out", "news", "-a", url, "-a", "all=1", "-o", str(feed))
        assert f"; feed {feed} (2 lines)" in summary(third.log)
