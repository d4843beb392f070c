"""Project signals.

``page_failed(url, stage, reason, detail, spider)``: a fetched (or attempted) page produced no
article. Components that are not handed the run send it; the run counts it and writes its line.

``job_closing(files, spider)``: publication begins; the dump is complete but not yet renamed. A
component that publishes a file with the job (the WARC recorder) does it now, and puts its
``{"file", "kind", "sha256", "records"}`` entry in the stat ``presswire/published_files`` for the manifest.
"""

page_failed = object()
job_closing = object()
