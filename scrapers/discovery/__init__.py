"""Finding articles: URL rules, sitemaps and feeds, bot walls, fetch-failure classification, retries."""
