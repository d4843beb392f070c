"""Presswire's Scrapy settings: polite defaults, overridable per spider and with -s."""

import os

from scrapy.settings import default_settings

# Components are named from this package's own name: ``scrapers`` in the repository, ``presswire.scrapers``
# installed (setup.py), with ``pipelines`` beside it either way.
here = __package__ or "scrapers"
pipelines = here.rpartition(".")[0] + ".pipelines" if "." in here else "pipelines"

BOT_NAME = "presswire"
SPIDER_MODULES = [f"{here}.spiders"]
NEWSPIDER_MODULE = f"{here}.spiders"
COMMANDS_MODULE = f"{here}.commands"

USER_AGENT = "Presswire/0.1 (news archiving crawler)"
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# A scheduled crawler opens no control port of its own.
REMOTE_CONTROL_ENABLED = False

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
# Scrapy's downloader, with CONCURRENT_REQUESTS_PER_DOMAIN held (scrapers/discovery/downloader.py).
DOWNLOADER = f"{here}.discovery.downloader.SlotBoundDownloader"
# Each response yields one item: Scrapy starts CONCURRENT_ITEMS tasks per response to process its
# output, and 100 of them cost the crawler process more CPU than the item itself.
CONCURRENT_ITEMS = 8
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 2
# A page that failed after its retries is reported once, as a WARNING naming the page and the reason
# ("no article from URL (fetch: http_5xx)") and counted in the summary; Scrapy's own line would repeat
# it as an ERROR.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
# Retries wait: Retry-After when the server sends one (up to RETRY_AFTER_MAX seconds; longer
# means give up), else RETRY_BACKOFF_BASE * 2**attempt, at most RETRY_BACKOFF_MAX.
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 30.0
RETRY_AFTER_MAX = 120.0
# Only http(s) is ever fetched: no handler for file://, ftp://, s3:// or data: URLs.
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "s3": None, "data": None}
REDIRECT_MAX_TIMES = 5
# A crawl started on a public address never fetches a loopback, private, link-local or metadata
# address ("auto"); "deny" always refuses them, "allow" never does.
SCOPE_PRIVATE_ADDRESSES = "auto"
# Sitemaps and feeds: gzip bombs stop here.
SITEMAP_MAX_SIZE = 50 * 1024 * 1024
# Discovery budgets (each hit is logged once and counted in the manifest's "budgets"): sitemap
# indexes nested deeper than this, sitemaps past this count per run, article requests per host per run.
SITEMAP_MAX_DEPTH = 3
SITEMAP_MAX_COUNT = 1000
NEWS_MAX_ARTICLE_REQUESTS = 100_000
# Sitemap and feed entries wait in the spider's backlog and go to the scheduler while fewer than this
# many requests are queued: memory stays flat whatever the size of the site.
DISCOVERY_QUEUE_SIZE = 100
# A date window for scheduled jobs (-a since= / -a until= win): ISO date or datetime, or 3d, 6h, 90m, 2w.
CRAWL_SINCE = None
CRAWL_UNTIL = None

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
# Dropped records are logged in one line without the record (duplicates and unchanged ones at DEBUG):
# the failures file has the refused records whole.
LOG_FORMATTER = f"{here}.jobs.logformat.QuietLogFormatter"

# One pipeline: it hands each record to the run (scrapers/jobs/run.py), which normalises, validates,
# applies the window, dedupes, versions, stamps and writes it. A project's own pipelines go before 800.
ITEM_PIPELINES = {
    f"{pipelines}.record.RecordPipeline": 800,
}
# Every pipeline's close_spider runs even when an earlier one raised (the run then fails).
ITEM_PROCESSOR = f"{here}.jobs.pipeline_manager.ClosingEveryPipeline"
DOWNLOADER_MIDDLEWARES = {
    # scope by origin, credentials and private addresses (scrapers/discovery/scope.py) replace
    # Scrapy's hostname-only offsite filter
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    f"{here}.discovery.scope.ScopeMiddleware": 40,
    f"{here}.discovery.scope.RedirectCredentialsMiddleware": 650,
    # typed refusals: robots.txt and compression bombs (scrapers/discovery/refusals.py)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    f"{here}.discovery.robots.TypedRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    f"{here}.discovery.sizes.SizeLimitedCompression": 590,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    f"{here}.discovery.retry.BackoffRetryMiddleware": 550,
    f"{here}.incremental.recrawl.RecrawlIntervalMiddleware": 50,
    # next to the downloader: archives responses as received, before decompression and retries
    f"{here}.archives.recorder.WarcRecorderMiddleware": 950,
}
EXTENSIONS = {
    # builds the run (lock, job, files, store, counts) before any other component opens
    f"{here}.jobs.extension.RunExtension": 0,
    f"{here}.discovery.sizes.MaxSizeWatch": 500,
    f"{here}.workers.watchdog.Watchdog": 700,
    # Scrapy's spider.state, written at close: a full JOBDIR disk is one error line, not a traceback
    "scrapy.extensions.spiderstate.SpiderState": None,
    f"{here}.jobs.jobdir_files.JobdirSpiderState": 0,
}
# Scrapy's remote control, telnet console and cookies middleware, each replaced at its own place in
# Scrapy's base lists by a stand-in that loads it only when its setting (REMOTE_CONTROL_ENABLED,
# TELNETCONSOLE_ENABLED, COOKIES_ENABLED) is on: Scrapy imports every component it is given, even a
# disabled one, and these modules load aiohttp, Twisted's conch and tldextract (scrapers/config/switched.py).
# Naming Scrapy's class in EXTENSIONS or DOWNLOADER_MIDDLEWARES would import it again: use the setting.
switched = {
    "scrapy.extensions.remote_control.RemoteControl": f"{here}.config.switched.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole": f"{here}.config.switched.TelnetConsole",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": f"{here}.config.switched.CookiesMiddleware",
}
EXTENSIONS_BASE = {switched.get(path, path): order for path, order in default_settings.EXTENSIONS_BASE.items()}
DOWNLOADER_MIDDLEWARES_BASE = {switched.get(path, path): order
                               for path, order in default_settings.DOWNLOADER_MIDDLEWARES_BASE.items()}

# Generic spider: how far it looks for articles when a site has no sitemap or feed.
NEWS_LISTING_DEPTH = 2
NEWS_MAX_LISTING_PAGES = 200
# "Next page" links followed per section: endless archives and calendars stop here.
NEWS_MAX_PAGINATION = 20

# Validation: a record with a shorter body than this is not an article. Words, the same in every
# language: 50 words, or 100 characters of a script written without spaces (Chinese, Japanese, Thai,
# Lao, Khmer, Myanmar: 2 characters a word), or a mix of the two.
VALIDATE_MIN_BODY_WORDS = 50

# JSONL dumps: <JSONL_ROOT>/crawl=<name>/date=<YYYY-MM-DD>/<job id>.jsonl (Hive-style folders: one glob,
# crawl=*/date=*/*.jsonl*, matches every published dump and nothing else; "crawl", not "site", because
# Hive readers turn the folder names into columns and the record has a field named site)
JSONL_ENABLED = True
JSONL_ROOT = "output"
JSONL_PATH_PATTERN = "crawl={name}/date={date}/{job_id}.jsonl"
JSONL_GZIP = False

# Web archives: WARC_ENABLED=1 writes every fetched page (request + response records) to
# <job>.warc.gz beside the dump, published with it and listed in its manifest.
WARC_ENABLED = False
# Pages larger than this in a WARC file being read (extract, reextract, ccnews) are skipped as too_large.
WARC_MAX_RECORD_SIZE = 5 * 1024 * 1024
# The ccnews spider: where -a month=YYYY/MM finds CC-NEWS, and how many pages of a WARC file
# may wait for extraction at once (None: twice the extraction workers).
CCNEWS_BASE_URL = "https://data.commoncrawl.org"
CCNEWS_IN_FLIGHT = None
CCNEWS_FILES_AT_ONCE = 1

# Incremental crawls: a re-run writes only new or changed articles (changed ones as a new
# version). The store lives at INCREMENTAL_DB (default <JSONL_ROOT>/.state/seen.sqlite);
# entries not seen for INCREMENTAL_RETENTION_DAYS expire. Article pages fetched less than
# INCREMENTAL_RECRAWL_HOURS ago are not fetched again (0 = always re-fetch, to catch changes).
INCREMENTAL_ENABLED = True
INCREMENTAL_DB = None
INCREMENTAL_RETENTION_DAYS = 180
INCREMENTAL_RECRAWL_HOURS = 0
# Incremental discovery: a URL an earlier run wrote is fetched again only when its sitemap lastmod or
# feed date is newer than the one we fetched it with, or, listed without a date, when the article is
# younger than INCREMENTAL_REFRESH_HOURS and was last fetched INCREMENTAL_REFRESH_INTERVAL_HOURS ago or
# more (docs/scheduling.md). INCREMENTAL_DISCOVERY=0 fetches every known URL again and compares
# the text, as before.
INCREMENTAL_DISCOVERY = True
INCREMENTAL_REFRESH_HOURS = 48
INCREMENTAL_REFRESH_INTERVAL_HOURS = 6
# The store is shared by every crawl under one root: it is written only in short transactions
# (docs/jobs.md), each waiting at most this many seconds for another crawl's.
INCREMENTAL_BUSY_TIMEOUT = 5.0

# Extraction: worker processes (None/"auto" = one per core, 0 = inline in the crawler process).
EXTRACTION_WORKERS = None
EXTRACTION_TIMEOUT = 30.0
# What a worker runs per page: (body, url, content_type, selectors) -> record dict.
EXTRACTION_FUNCTION = f"{here}.workers.pool.extract_record"
# A worker is replaced after this many pages, so a slow leak in a parser cannot grow without bound.
# A new worker pays a one-time set-up on its first pages in new languages (py3langid's model alone:
# 1 s of CPU), and a worker's memory stays flat over thousands of pages (benchmarks/throughput.py
# --memory: largest worker 80 MB at 500 and at 2,000 pages a worker).
EXTRACTION_MAX_TASKS_PER_WORKER = 2000
# A worker's address space (RLIMIT_AS, MB; 0 = unlimited): a page that needs more is recorded
# too_large and its worker replaced. Inline extraction (EXTRACTION_WORKERS=0) runs under
# EXTRACTION_TIMEOUT too, but shares the crawler's memory.
EXTRACTION_MEMORY_LIMIT_MB = 2048
# Added to each worker's niceness (0-19): the crawler process, which feeds the workers and writes what
# they return, runs first whenever it has work, and the workers take the rest of the cores. Measured
# (benchmarks/throughput.py, 2 cores): the crawler process spends about 10% less CPU per page, as it is
# no longer preempted in mid-batch, and the pool finishes more pages per second. 0 = the crawler's own.
EXTRACTION_WORKER_NICE = 10
# The watchdog (scrapers/workers/watchdog.py): a crawl running past WATCHDOG_MAX_RUNTIME seconds, or
# WATCHDOG_STALL_TIMEOUT seconds without a response, an item or a failure, is closed (exit 1); a close
# that hangs WATCHDOG_CLOSE_TIMEOUT seconds more ends the process (exit 1, nothing published). 0 = off.
# The stall bound is longer than REDIS_IDLE_TIMEOUT: an idle distributed process waits that long.
WATCHDOG_MAX_RUNTIME = 24 * 3600
WATCHDOG_STALL_TIMEOUT = 1800
WATCHDOG_CLOSE_TIMEOUT = 600

# --- Scheduled and distributed runs (docs/scheduling.md) -----------------------------------
ADDONS = {
    f"{here}.distributed.addon.RedisFrontier": 100,
    f"{here}.rendering.addon.Rendering": 300,
    # with JOBDIR: Scrapy's scheduler, its queue's state written at close without a traceback on a full disk
    f"{here}.jobs.jobdir_files.JobdirFiles": 400,
}
# Distributed crawls: set REDIS_URL (redis://host:6379/0) and every process crawling the same
# thing shares one frontier and dupefilter in Redis. Off when unset.
REDIS_URL = None
REDIS_CRAWL_KEY = None          # default: presswire:<output name>:<digest of the start URLs>
REDIS_WORKER_TTL = 60           # seconds without a heartbeat before a process counts as gone
REDIS_IDLE_TIMEOUT = 600        # longest an idle process waits for busy peers before ending
REDIS_POLL_INTERVAL = 0.5       # how often an idle process looks at the shared queue
REDIS_LOST_TIMEOUT = 30         # seconds Redis may be unreachable before the process stops (exit 1)
# incremental discovery state shared by processes and runs: a hash <key>:<name> (outlives every run)
REDIS_STATE_KEY = "presswire-incremental:fetched"
# `scrapy crawl` takes <RUN_LOCK_DIR>/<name>.lock (default dir <JSONL_ROOT>/.locks) for the run.
# RUN_LOCK_ENABLED is switched on by the crawl command itself (-s RUN_LOCK_ENABLED=0 to skip the lock).
RUN_LOCK_DIR = None
# `scrapy crawl` exits 1 when the crawl failed: no pages fetched, ended early, or past these.
SCHEDULED_MAX_FAILURES = None   # failed pages (count); None = no limit
SCHEDULED_MAX_FAILURE_RATIO = 0.5   # failed / attempted pages
SCHEDULED_MIN_ARTICLES = 0
# Site health (scrapers/health, docs/health.md): each run's health block is compared with the median of
# its site's last runs; a finding exits 3 (HEALTH_ALERTS, or a site config's health_alerts = false: 0).
HEALTH_ENABLED = True
HEALTH_ALERTS = True
HEALTH_HISTORY_RUNS = 30        # runs kept per site in the incremental store
HEALTH_MIN_RUNS = 3             # earlier runs before a site has a normal
HEALTH_NORMAL_RUNS = 10         # the normal is the median of at most this many last runs
HEALTH_MIN_RECORDS = 10         # a run with fewer records is not judged on coverage or failure shares
HEALTH_COVERAGE_DROP = 0.25     # a field's share of records falling by more than this (0-1) is a finding
HEALTH_BODY_RATIO = 0.5         # a median body shorter than this share of the normal is a finding
HEALTH_FAILURE_RISE = 0.25      # a failure reason's share of pages rising by more than this is a finding
HEALTH_BODY_WORDS = 80          # the body counts as present from this many words

# --- Start-up and console (scrapers/config, scrapers/commands) ------------------------------
# Site configs: the bundled ones plus the user's own folder of NAME.toml files (wins on a clash).
SPIDER_LOADER_CLASS = f"{here}.spiders.loader.SiteSpiderLoader"
SITES_DIR = os.environ.get("PRESSWIRE_SITES_DIR") or None
# `scrapy crawl` connects to each start host once before crawling, so a typo or a site that is down
# ends in one line (exit 1) instead of a crawl that fails page by page. Skipped behind a proxy.
PREFLIGHT_ENABLED = True
# A progress line on stderr every PROGRESS_INTERVAL seconds, at every log level (0 = off).
PROGRESS_INTERVAL = 60.0

# --- Pages built by JavaScript and consent walls (docs/rendering.md) ------------------------
# A real browser (Debian's chromium-headless-shell through Playwright) for the article pages that
# need one. RENDER_MODE is the default of a site config's `render`: "auto" renders a page whose HTML
# gave no article and looks like an app shell or a consent wall; "always" every article page; "never"
# none. RENDER_ENABLED=0 switches the browser off for every site (no driver, no browser process).
RENDER_ENABLED = True
RENDER_MODE = "auto"
RENDER_BROWSER = "/usr/lib/chromium/chromium-headless-shell"
RENDER_PAGES = 4                 # pages open at once in the one browser of a crawl process
RENDER_TIMEOUT = 20.0            # seconds to load a page, and again for its content to settle
RENDER_MEMORY_LIMIT_MB = 1024    # the browser's PSS past which it is restarted (0 = never)
RENDER_AFTER = 3                 # app shells in a row after which a host is always rendered
RENDER_MEMORY_DB = None          # hosts that needed it (default <JSONL_ROOT>/.state/rendering.sqlite)
