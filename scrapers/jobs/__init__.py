"""One crawl job's lifecycle: lock, identity and state, the dump/failures/manifest files, publication, resume."""
