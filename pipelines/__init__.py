"""Item pipelines: the one that hands each record to the run (``record.py``); a project may add its own before it."""
