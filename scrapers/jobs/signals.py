"""Project signals.

``page_failed(url, stage, reason, detail, spider)``: a fetched (or attempted) page produced no
article. The failure log writes each one; nothing a run saw disappears silently.
"""

page_failed = object()
