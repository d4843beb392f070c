"""Presswire's Scrapy settings: polite defaults, overridable per spider and with -s."""

BOT_NAME = "presswire"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"
COMMANDS_MODULE = "scrapers.commands"

USER_AGENT = "Presswire/0.1 (news archiving crawler)"
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# A scheduled crawler opens no control port of its own.
REMOTE_CONTROL_ENABLED = False

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
# Sitemaps and feeds: gzip bombs stop here.
SITEMAP_MAX_SIZE = 50 * 1024 * 1024

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.validate.ValidatePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 300,
    "pipelines.jsonl.JsonlWriterPipeline": 800,
}
EXTENSIONS = {
    "pipelines.failures.FailureLog": 500,
}

# Generic spider: how far it looks for articles when a site has no sitemap or feed.
NEWS_LISTING_DEPTH = 2
NEWS_MAX_LISTING_PAGES = 200

# Validation: a record with fewer body words than this is not an article.
VALIDATE_MIN_BODY_WORDS = 50

# JSONL dumps: <JSONL_ROOT>/<name>/<YYYY-MM-DD>/<job id>.jsonl
JSONL_ENABLED = True
JSONL_ROOT = "output"
JSONL_PATH_PATTERN = "{name}/{date}/{job_id}.jsonl"
JSONL_GZIP = False
