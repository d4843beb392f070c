"""Crawler stats the incremental pipeline counts and the end-of-run summary line reads
(``pipelines/incremental.py`` → ``commands/crawl.py``): written articles, new or changed since an
earlier run. Absent when the store is off for the run."""

NEW_STAT = "presswire/incremental/new"
CHANGED_STAT = "presswire/incremental/changed"
