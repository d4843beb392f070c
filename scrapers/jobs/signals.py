"""Project signals.

``page_failed(url, stage, reason, detail, spider)``: a fetched (or attempted) page produced no
article. The failure log writes each one; nothing a run saw disappears silently.

``job_closing(files, spider)``: publication begins; the dump is complete but not yet renamed. The
incremental pipeline records the job's articles as pending under the job id.

``job_published(files, spider)``: the manifest is written, so the dump is final; the incremental
pipeline now lets the store count the job's articles as written (docs/jobs.md).
"""

page_failed = object()
job_closing = object()
job_published = object()
