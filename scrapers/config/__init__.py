"""Start-up checks: every project setting's type and range, and whether the crawl can reach what it needs."""
