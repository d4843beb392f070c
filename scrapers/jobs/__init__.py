"""One run: ``run.py`` (the run object and its record path, ``Run.finish``), ``record.py`` (the record contract),
``versions.py``, ``counts.py``, ``files.py``, ``state.py`` (JOBDIR, resume), ``publication.py`` (publish, manifest),
``lock.py``; ``extension.py`` builds a crawl's run and ties it to Scrapy's signals."""
