"""Web archives: WARC files written by crawls and read back for extraction (warcio)."""
