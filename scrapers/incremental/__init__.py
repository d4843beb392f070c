"""What earlier runs wrote (the store) and when a page is fetched again (the re-crawl policy)."""
