"""Dumps of several real crawls (plain, gzipped, a named job, a site whose dates are only days) as data
teams load them: one glob, the shipped DuckDB view with one type per column, and the Parquet export
with the same columns, read back with DuckDB and pandas."""

from __future__ import annotations

import glob
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scrapers.export.duckdb_view import DEFAULT_GLOB, view_sql
from tests.commandline import run_command
from tests.harness import ROOT, manifests_under, small_disk
from tests.hostile.site import article_html, page, serve
from tests.inprocess import run_crawl

SHIPPED_SQL = ROOT / "scrapers" / "export" / "articles.sql"
EXPECTED_TYPES = {
    "id": "VARCHAR", "authors": "VARCHAR[]", "date_published": "TIMESTAMP WITH TIME ZONE",
    "date_modified": "TIMESTAMP WITH TIME ZONE", "fetched_at": "TIMESTAMP WITH TIME ZONE",
    "images": "STRUCT(url VARCHAR, caption VARCHAR, credit VARCHAR, alt VARCHAR)[]", "tags": "VARCHAR[]",
    "is_paywalled": "BOOLEAN", "version": "BIGINT", "standfirst": "VARCHAR", "warc_record_id": "VARCHAR",
}
DAY_ONLY = "/2026/11/20/sea-wall-repairs-approved-after-three-winters.html"
UNDATED = "/2026/11/21/ferry-timetable-changes-for-the-winter-season.html"


def day_only_site() -> dict[str, object]:
    """Two articles, one dated by a day alone and one without a date: a dump DuckDB would type as text."""
    home = f"<html><body><a href='{DAY_ONLY}'>Sea wall</a> <a href='{UNDATED}'>Ferry</a></body></html>"
    dated = article_html("Sea wall repairs approved", "").replace(
        "</head>", "<meta property='article:published_time' content='2026-11-20'></head>")
    return {"/": page(home), DAY_ONLY: page(dated), UNDATED: page(article_html("Ferry timetable changes"))}


# one worker runs this file: its module fixture (a crawl) is made once, not once per worker and visit
pytestmark = pytest.mark.xdist_group("data_teams")


@pytest.fixture(scope="module")
def root(demo_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("data-teams") / "output"
    url = f"url={demo_server.base_url}/"
    runs = [({"JOB_ID": "nightly"}, url), ({"JSONL_GZIP": "1", "INCREMENTAL_ENABLED": "0"}, url)]
    for settings, start in runs:
        assert run_crawl(out, "news", "-a", start, settings=settings).returncode == 0
    with serve(day_only_site()) as site:
        assert run_crawl(out, "news", "-a", f"url={site.base_url}/").returncode == 0
    yield out


def published_dumps(root: Path) -> list[Path]:
    names = [(m, json.loads(m.read_text("utf-8"))["dump"]) for m in manifests_under(root)]
    return sorted(m.with_name(name) for m, name in names if name)


def view(root: Path, pattern: str | None = None) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    sql = SHIPPED_SQL.read_text("utf-8").replace(f"'{DEFAULT_GLOB}'", f"'{pattern or root / DEFAULT_GLOB[7:]}'")
    connection.execute(sql)
    return connection


def types_of(connection: duckdb.DuckDBPyConnection, relation: str = "articles") -> dict[str, str]:
    return {row[0]: row[1] for row in connection.execute(f"DESCRIBE {relation}").fetchall()}


def test_the_shipped_sql_is_the_generated_one() -> None:
    assert SHIPPED_SQL.read_text("utf-8") == view_sql(), "run: python -m scrapers.export.duckdb_view > " + str(SHIPPED_SQL)


def test_one_glob_matches_every_dump_and_nothing_else(root: Path) -> None:
    dumps = published_dumps(root)
    names = [p.name for p in dumps]
    assert len(dumps) == 3 and "nightly.jsonl" in names and any(n.endswith(".jsonl.gz") for n in names)
    beside = {p.name for dump in dumps for p in dump.parent.iterdir()}
    assert any(n.endswith(".failures.ndjson") for n in beside) and any(n.endswith(".manifest.json") for n in beside)
    # a dump still being written, and a failures file of the layout before this one, stay out of the glob
    (dumps[0].parent / "running.dump.part").write_text("{}\n", "utf-8")
    assert sorted(Path(p) for p in glob.glob(str(root / DEFAULT_GLOB[7:]))) == dumps
    duckdb_files = duckdb.sql(f"SELECT file FROM glob('{root / DEFAULT_GLOB[7:]}')").fetchall()
    assert sorted(Path(f) for (f,) in duckdb_files) == dumps


def test_the_view_has_one_type_per_column_in_every_dump(root: Path) -> None:
    dumps = published_dumps(root)
    everything = view(root)
    types = types_of(everything)
    assert {name: types[name] for name in EXPECTED_TYPES} == EXPECTED_TYPES
    for dump in dumps:  # each dump alone: read_json_auto types the dates of the day-only one as text
        assert types_of(view(root, str(dump))) == types, dump
    records = [r for dump in dumps for r in pd.read_json(dump, lines=True, dtype=False).to_dict("records")]
    assert everything.execute("SELECT count(*) FROM article_versions").fetchone() == (len(records),)
    # the two demo crawls wrote every article twice: the view has each once, with an integer version
    assert everything.execute("SELECT count(*) FROM articles").fetchone() == (len({r["id"] for r in records}),)
    assert everything.execute("SELECT count(*) FROM articles WHERE version IS NULL").fetchone() == (0,)
    day_only = everything.execute("SELECT date_published AT TIME ZONE 'UTC' FROM articles WHERE url LIKE ?",
                                  [f"%{DAY_ONLY}"]).fetchone()
    assert str(day_only[0]) == "2026-11-20 00:00:00"
    # demo_site/truth.json: 2026-11-03T09:15:00-05:00 and 2026-11-12, in both demo dumps
    for path, utc in [("/world/2026/11/03/port-city-mayor-wins-recount.html", "2026-11-03 14:15:00"),
                      ("/business/2026/11/12/shipyard-order-book-full-until-2029.html", "2026-11-12 00:00:00")]:
        found = everything.execute("SELECT DISTINCT date_published AT TIME ZONE 'UTC' FROM articles WHERE url LIKE ?",
                                   [f"%{path}"]).fetchall()
        assert [str(v) for (v,) in found] == [utc], path


@pytest.mark.parametrize(("options", "relation"), [([], "articles"), (["--all-versions"], "article_versions")])
def test_parquet_export_has_the_views_columns_and_rows(root: Path, tmp_path: Path, options: list[str],
                                                       relation: str) -> None:
    out = tmp_path / "articles.parquet"
    proc = run_command("export", str(root), "-o", str(out), *options)
    assert proc.returncode == 0, proc.stderr
    connection = view(root)
    connection.execute(f"CREATE VIEW exported AS SELECT * FROM read_parquet('{out}')")
    assert types_of(connection, "exported") == types_of(connection, relation)
    difference = connection.execute(f"SELECT count(*) FROM (SELECT * FROM {relation} EXCEPT ALL SELECT * FROM exported)")
    assert difference.fetchone() == (0,)
    assert connection.execute("SELECT count(*) FROM exported").fetchone() == \
        connection.execute(f"SELECT count(*) FROM {relation}").fetchone()
    frame = pd.read_parquet(out)
    assert str(frame["date_published"].dtype) == "datetime64[us, UTC]"
    assert str(frame["fetched_at"].dtype) == "datetime64[us, UTC]"
    # records written with the incremental store off carry no version: the export gives them their id's
    assert str(frame["version"].dtype) == "int64" and set(frame["version"]) == {1}
    assert (frame["id"].is_unique) == (relation == "articles")
    assert list(frame.columns) == list(types_of(connection))


def test_export_without_dumps_is_one_line(tmp_path: Path) -> None:
    proc = run_command("export", str(tmp_path), "-o", str(tmp_path / "a.parquet"))
    assert proc.returncode == 2 and "no dump" in proc.stderr and "Traceback" not in proc.stderr


def test_an_export_leaves_another_exports_file_in_progress_alone(root: Path, tmp_path: Path) -> None:
    """Two exports to one file shared ``NAME.part``: each truncated the other's, and one published a file
    that the other was still writing."""
    out = tmp_path / "articles.parquet"
    others = tmp_path / "articles.parquet.part"  # another export's file in progress, by the old name
    others.write_bytes(b"another export's rows")
    proc = run_command("export", str(root), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert others.read_bytes() == b"another export's rows"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.parquet", "articles.parquet.part"]
    assert len(pd.read_parquet(out)) > 0


HOLD_PART = """
import fcntl, os, sys, time
held = os.open(sys.argv[1] + f".{os.getpid()}.part", os.O_WRONLY | os.O_CREAT)
fcntl.flock(held, fcntl.LOCK_EX)
print("holding", flush=True)
time.sleep(120)
"""


def test_an_export_removes_what_a_killed_export_left_and_leaves_a_running_ones_file(root: Path, tmp_path: Path) -> None:
    """An export killed before its rename left ``NAME.<pid>.part`` for good. The next export to the name removes
    a part whose process is gone (here: a process that has ended, its file as a SIGKILL leaves it) and leaves
    the part of an export still running (a live process holding its lock) alone."""
    out = tmp_path / "articles.parquet"
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / f"articles.parquet.{int(ended.stdout)}.part"
    abandoned.write_bytes(b"PAR1 half of a file")
    running = subprocess.Popen([sys.executable, "-c", HOLD_PART, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert running.stdout is not None and running.stdout.readline().strip() == "holding"
        proc = run_command("export", str(root), "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.parquet", f"articles.parquet.{running.pid}.part"]
    finally:
        running.kill()
        running.wait()
    assert len(pd.read_parquet(out)) > 0


def test_an_export_to_a_disk_that_fills_is_one_line_and_keeps_the_last_file(root: Path, tmp_path: Path) -> None:
    """The disk fills while the Parquet file is written (the check before the export found room): one line
    naming ``-o``, the earlier export untouched, no part left behind."""
    with small_disk(tmp_path / "disk", "16k") as disk:
        out = disk / "articles.parquet"
        out.write_bytes(b"PAR1 the earlier export PAR1")
        proc = run_command("export", str(root), "-o", str(out))
        assert proc.returncode != 0 and "Traceback" not in proc.stderr
        (line,) = proc.stderr.strip().splitlines()  # pyarrow words the error its own way around the errno's
        assert line.startswith(f"scrapy export: -o {out}: cannot write it (") and "No space left on device" in line
        assert out.read_bytes() == b"PAR1 the earlier export PAR1"
        assert [p.name for p in disk.iterdir()] == ["articles.parquet"]
