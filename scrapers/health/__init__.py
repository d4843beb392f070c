"""Site health (issue 23): every run measures itself (``measure.py``), is compared with its site's own
normal, the median of its last runs (``normal.py``), and its findings are kept with the site's history
(``check.py``, in the incremental store) and shown by ``presswire health`` (``report.py``).

Scrapy-free and store-free: the run (``scrapers/jobs``) feeds records in and hands the history over.
"""
