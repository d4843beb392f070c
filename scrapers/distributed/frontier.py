"""A crawl frontier in Redis, shared by every process crawling the same thing.

Built on scrapy-redis's scheduler (its priority queue, pickle serializer and ``RFPDupeFilter``),
with what a distributed run of an ordinary (non-Redis) spider needs on top:

* **Run keys.** All processes with the same ``REDIS_CRAWL_KEY`` share one queue and one
  dupefilter. By default the key is ``presswire:<output name>:<digest of the start URLs>``, so
  ``scrapy crawl news -a url=X`` on several machines forms one run while a crawl of another site
  stays apart.
* **A new run starts fresh.** Each process registers in ``<key>:workers`` with a heartbeat. The
  first process of a run (no live process registered) clears what a previous run left behind.
  The last process to leave deletes the run's keys.
* **A dead process's work is done again.** Every request a process takes is kept under
  ``<key>:taken:<worker id>`` until the process has published its dump. A process that stops
  heart-beating for ``REDIS_WORKER_TTL`` seconds (killed, OOM, lost power) has its taken requests
  put back into the shared queue by a survivor, which fetches them: the articles in the dead
  process's unpublished ``.part`` land in the survivor's dump, so the union of published dumps is
  complete. A survivor that ends while a dead peer's requests are still unclaimed fails its run.
* **Redis gone.** A call that cannot reach Redis is not retried on every engine loop (one traceback
  each, and a process that never ended): the process stops asking, keeps the requests it finds, and
  looks again with each heartbeat. Back within ``REDIS_LOST_TIMEOUT`` seconds, the crawl goes on;
  still gone, the spider closes (reason ``redis_lost``), the dump of what this process wrote is
  published and the run fails (exit 1). Back *empty* (restarted without its data, flushed): the
  run's id under ``<key>:run`` is gone, so the frontier is lost; the spider closes
  (``frontier_lost``) and the run fails, since the union of the dumps cannot be complete.
* **Ending by itself.** A process whose engine is idle while the shared queue is empty ends only
  when no live peer is still busy (a busy peer may yet add requests). It waits at most
  ``REDIS_IDLE_TIMEOUT`` seconds for them, checking every ``REDIS_POLL_INTERVAL`` seconds.

scrapy-redis's own idle handling ends a process as soon as the shared queue is momentarily empty
(``SCHEDULER_IDLE_BEFORE_CLOSE`` only blocks the reactor in a ``BRPOP``), and its close flushes the keys
the other processes are still using (or, with ``SCHEDULER_PERSIST``, never), hence this subclass.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
from typing import Any

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import Settings
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from scrapy_redis import connection, picklecompat
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from ..jobs.extension import RunExtension, job_error
from ..jobs.run import RunSpec

logger = logging.getLogger(__name__)

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Deletes the taken-request hashes of every process in the takers set (KEYS[6]); ARGV[3] is the run key.
_DELETE_TAKEN = """
local function delete_taken(takers, run)
  for _, id in ipairs(redis.call('SMEMBERS', takers)) do
    redis.call('DEL', run .. ':taken:' .. id)
  end
  redis.call('DEL', takers)
end
"""
# KEYS: workers, requests, dupefilter, busy, pages, takers. ARGV: worker id, ttl, run key. Returns
# {1 when this process starts a new run, the run's id}: <run key>:run holds the id of the process that
# started it, so a process sees its run's keys vanish (Redis restarted empty, flushed) by the id changing.
_JOIN = _DELETE_TAKEN + """
local now = tonumber(redis.call('TIME')[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
local fresh = 0
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
  delete_taken(KEYS[6], ARGV[3])
  redis.call('SET', ARGV[3] .. ':run', ARGV[1])
  fresh = 1
end
redis.call('SET', ARGV[3] .. ':run', ARGV[1], 'NX')
redis.call('ZADD', KEYS[1], now, ARGV[1])
return {fresh, redis.call('GET', ARGV[3] .. ':run')}
"""
# KEYS: workers. ARGV: worker id.
_HEARTBEAT = "redis.call('ZADD', KEYS[1], tonumber(redis.call('TIME')[1]), ARGV[1])"
# KEYS: requests, busy, taken, takers. ARGV: worker id. Pops the best request, marks this process busy
# and records the request as taken by it, in one step, so a peer never sees "queue empty and nobody
# busy" while this process holds the last request, and a request is never held by nobody.
_POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], found[1], found[2])
redis.call('SADD', KEYS[4], ARGV[1])
return found[1]
"""
# KEYS: workers, requests, busy, takers. ARGV: worker id, ttl, run key. Puts the requests taken by
# processes without a live heartbeat back into the queue; returns how many.
_RECLAIM = """
local cutoff = tonumber(redis.call('TIME')[1]) - tonumber(ARGV[2])
local moved = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  if id ~= ARGV[1] then
    local seen = redis.call('ZSCORE', KEYS[1], id)
    if (not seen) or tonumber(seen) < cutoff then
      local taken = ARGV[3] .. ':taken:' .. id
      local entries = redis.call('HGETALL', taken)
      for i = 1, #entries, 2 do
        redis.call('ZADD', KEYS[2], entries[i + 1], entries[i])
        moved = moved + 1
      end
      redis.call('DEL', taken)
      redis.call('SREM', KEYS[4], id)
      redis.call('SREM', KEYS[3], id)
      redis.call('ZREM', KEYS[1], id)
    end
  end
end
return moved
"""
# KEYS: busy, workers. ARGV: worker id, ttl. Live peers (not this process) still marked busy.
_BUSY_PEERS = """
local cutoff = tonumber(redis.call('TIME')[1]) - tonumber(ARGV[2])
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if id ~= ARGV[1] then
    local seen = redis.call('ZSCORE', KEYS[2], id)
    if seen and tonumber(seen) >= cutoff then n = n + 1 end
  end
end
return n
"""
# KEYS: workers, requests, dupefilter, busy, pages, takers. ARGV: worker id, ttl, run key. Called once this
# process's dump is published. Returns 1 when this was the last process.
_LEAVE = _DELETE_TAKEN + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('DEL', ARGV[3] .. ':taken:' .. ARGV[1])
redis.call('SREM', KEYS[6], ARGV[1])
local now = tonumber(redis.call('TIME')[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[3] .. ':run')
  delete_taken(KEYS[6], ARGV[3])
  return 1
end
return 0
"""


def default_crawl_key(spec: RunSpec, prefix: str = "presswire") -> str:
    """``<prefix>:<output name>:<digest of the sorted start URLs>``."""
    name = spec.name
    urls = sorted(spec.start_urls)
    digest = hashlib.sha1("\n".join(urls).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}:{name}:{digest}"


class SharedFrontierScheduler(Scheduler):
    """scrapy-redis's scheduler for a run shared by several processes that each end by themselves."""

    def __init__(self, server: Redis, crawler: Crawler, **kwargs: Any) -> None:
        super().__init__(server, persist=True, **kwargs)
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.worker_ttl = settings.getfloat("REDIS_WORKER_TTL")
        self.idle_timeout = settings.getfloat("REDIS_IDLE_TIMEOUT")
        self.poll_interval = settings.getfloat("REDIS_POLL_INTERVAL")
        self.crawl_key_setting: str | None = settings.get("REDIS_CRAWL_KEY")
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"
        self._idle_since: float | None = None
        self._heartbeat: Any = None
        self._join = server.register_script(_JOIN)
        self._beat = server.register_script(_HEARTBEAT)
        self._pop = server.register_script(_POP)
        self._busy_peers = server.register_script(_BUSY_PEERS)
        self._leave = server.register_script(_LEAVE)
        self._reclaim = server.register_script(_RECLAIM)
        self._left = False
        self.lost_timeout = settings.getfloat("REDIS_LOST_TIMEOUT")
        self.redis_url = settings.get("REDIS_URL")
        self.run_id: str | None = None
        self._lost_since: float | None = None
        self._closing = False
        # requests found while Redis was unreachable: pushed when it answers again
        self._held: list[Request] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedFrontierScheduler:
        settings = crawler.settings
        # A Redis that hangs (a stopped host, a stalled disk) must not hold the reactor past
        # REDIS_LOST_TIMEOUT: scrapy-redis waits 30 s a call and retries on a timeout.
        wait = max(1.0, min(10.0, settings.getfloat("REDIS_LOST_TIMEOUT") / 4))
        bounded = Settings(settings.copy_to_dict())
        bounded.set("REDIS_PARAMS", {"socket_timeout": wait, "socket_connect_timeout": wait,
                                     "retry_on_timeout": False, **settings.getdict("REDIS_PARAMS")})
        server = connection.from_settings(bounded)
        server.ping()  # fail at start, not at the first request, when Redis is unreachable
        serializer = settings.get("SCHEDULER_SERIALIZER")
        return cls(
            server,
            crawler,
            serializer=load_object(serializer) if isinstance(serializer, str) else serializer,
        )

    # -- keys -----------------------------------------------------------------------------

    def _keys(self) -> list[str]:
        return [self.workers_key, self.queue.key, self.df.key, self.busy_key, self.pages_key, self.takers_key]

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.crawl_key = self.crawl_key_setting or default_crawl_key(RunExtension.of(self.crawler).run.spec)
        self.workers_key = f"{self.crawl_key}:workers"
        self.busy_key = f"{self.crawl_key}:busy"
        self.pages_key = f"{self.crawl_key}:pages"
        self.takers_key = f"{self.crawl_key}:takers"
        self.taken_key = f"{self.crawl_key}:taken:{self.worker_id}"
        self.queue = PriorityQueue(server=self.server, spider=spider, key=f"{self.crawl_key}:requests",
                                   serializer=self.serializer)
        dupefilter_cls = load_object(self.crawler.settings.get("DUPEFILTER_CLASS") or RFPDupeFilter)
        if not issubclass(dupefilter_cls, RFPDupeFilter):  # Scrapy's own keeps fingerprints in memory
            dupefilter_cls = RFPDupeFilter
        self.df = dupefilter_cls(self.server, key=f"{self.crawl_key}:dupefilter",
                                 debug=self.crawler.settings.getbool("DUPEFILTER_DEBUG"))
        fresh, run_id = self._join(keys=self._keys(), args=[self.worker_id, self.worker_ttl, self.crawl_key])
        self.run_id = run_id.decode() if isinstance(run_id, bytes) else str(run_id)
        logger.info("shared frontier %s on Redis: %s as %s", self.crawl_key,
                    "new run" if fresh else "joined a running crawl", self.worker_id, extra={"spider": spider})
        self._heartbeat = create_looping_call(self._tick)
        self._heartbeat.start(max(1.0, self.worker_ttl / 4), now=False)
        self.crawler.signals.connect(self._on_idle, signal=signals.spider_idle)
        self.crawler.signals.connect(self._count_page, signal=signals.response_received)
        # the heartbeat goes on until the dump is published: a process killed while it publishes
        # is dead to its peers, and its requests are fetched again
        self.crawler.signals.connect(self._leave_run, signal=signals.engine_stopped)

    def _tick(self) -> None:
        if self._closing:
            return
        try:
            run_id = self.server.get(f"{self.crawl_key}:run")
            found = run_id.decode() if isinstance(run_id, bytes) else run_id
            if found != self.run_id:
                self._stop("frontier_lost", f"the shared frontier {self.crawl_key} in Redis was lost (Redis "
                           "restarted empty, or its keys deleted): the run's queue is gone and its dumps cannot be "
                           "complete; re-run the crawl")
                return
            self._beat(keys=[self.workers_key], args=[self.worker_id])
            if self._lost_since is not None:
                logger.warning("Redis answers again after %.0f s", time.monotonic() - self._lost_since,
                               extra={"spider": self.spider})
                self._lost_since = None
            self._push_held()
            self._reclaim_dead_peers()
        except _UNREACHABLE as err:
            self._unreachable(err)

    def _safely(self, call: Any, default: Any, *args: Any, **kwargs: Any) -> Any:
        """``call`` when Redis is reachable, else ``default``: while it is gone only the heartbeat asks."""
        if self._lost_since is not None:
            return default
        try:
            return call(*args, **kwargs)
        except _UNREACHABLE as err:
            self._unreachable(err)
            return default

    def _unreachable(self, err: BaseException) -> None:
        now = time.monotonic()
        if self._lost_since is None:
            self._lost_since = now
            logger.error("Redis at %s unreachable (%s): waiting up to REDIS_LOST_TIMEOUT=%gs for it",
                         self.redis_url, type(err).__name__, self.lost_timeout, extra={"spider": self.spider})
        elif now - self._lost_since > self.lost_timeout:
            held = f"; {len(self._held)} requests found meanwhile were not handed to it" if self._held else ""
            self._stop("redis_lost", f"Redis at {self.redis_url} unreachable for more than REDIS_LOST_TIMEOUT="
                       f"{self.lost_timeout:g}s{held}")

    def _stop(self, reason: str, detail: str) -> None:
        if self._closing:
            return
        self._closing = True
        job_error(self.crawler, "frontier", detail)
        engine = self.crawler.engine
        if engine is not None and getattr(engine, "_slot", None) is not None:  # not already closed
            deferred_from_coro(engine.close_spider_async(reason=reason))

    def _push_held(self) -> None:
        while self._held:
            self.queue.push(self._held[-1])
            self._held.pop()

    def _reclaim_dead_peers(self) -> int:
        moved = int(self._reclaim(keys=[self.workers_key, self.queue.key, self.busy_key, self.takers_key],
                                  args=[self.worker_id, self.worker_ttl, self.crawl_key]))
        if moved:
            self.stats.inc_value("presswire/frontier/reclaimed", moved)
            logger.warning("a peer stopped heart-beating: %d requests it had taken are back in the shared queue",
                           moved, extra={"spider": self.spider})
        return moved

    def close(self, reason: str) -> None:
        if self._lost_since is not None or self._closing:
            return  # the frontier error is recorded; nothing more can be learnt from Redis
        try:
            # Redis restarted empty since the last heartbeat: the crawl may have ended on an empty queue
            # that was never the run's, so it cannot be called complete
            run_id = self.server.get(f"{self.crawl_key}:run")
            if (run_id.decode() if isinstance(run_id, bytes) else run_id) != self.run_id:
                job_error(self.crawler, "frontier", f"the shared frontier {self.crawl_key} in Redis was lost (Redis "
                          "restarted empty, or its keys deleted): the run's queue is gone and its dumps cannot be "
                          "complete; re-run the crawl")
                return
            # The whole run's page count: a process whose peers fetched everything did not fail.
            self.stats.set_value("presswire/frontier/run_pages", int(self.server.get(self.pages_key) or 0))
            unclaimed = self._reclaim_dead_peers() + len(self.queue)
            busy = int(self._busy_peers(keys=[self.busy_key, self.workers_key],
                                        args=[self.worker_id, self.worker_ttl]))
        except _UNREACHABLE as err:
            job_error(self.crawler, "frontier", f"Redis at {self.redis_url} unreachable at the end of the "
                      f"crawl ({type(err).__name__}): whether the run is complete is unknown")
            return
        if unclaimed and not busy and reason == "finished":
            # nobody left to fetch them: the union of the run's dumps is incomplete
            job_error(self.crawler, "frontier", f"{unclaimed} requests left in the shared queue unfetched")

    def _leave_run(self) -> None:
        if self._left:
            return
        self._left = True
        if self._heartbeat is not None and self._heartbeat.running:
            self._heartbeat.stop()
        if self._lost_since is not None:
            return  # its heartbeat has stopped: to its peers it is a dead process, its requests come back
        try:
            last = self._leave(keys=self._keys(), args=[self.worker_id, self.worker_ttl, self.crawl_key])
        except _UNREACHABLE:
            return
        logger.info("left shared frontier %s%s", self.crawl_key, ": last process, run keys deleted" if last else "",
                    extra={"spider": self.spider})

    # -- requests -------------------------------------------------------------------------

    def next_request(self) -> Request | None:
        data = self._safely(self._pop, None, keys=[self.queue.key, self.busy_key, self.taken_key, self.takers_key],
                            args=[self.worker_id])
        if not data:
            return None
        self._idle_since = None
        self.stats.inc_value("scheduler/dequeued/redis")
        return request_from_dict((self.serializer or picklecompat).loads(data), spider=self.spider)

    def __len__(self) -> int:
        return int(self._safely(len, 0, self.queue)) + len(self._held)

    def has_pending_requests(self) -> bool:
        return len(self) > 0

    def enqueue_request(self, request: Request) -> bool:
        if self._lost_since is not None:
            self._held.append(request)
            return True
        try:
            return self._enqueue(request)
        except _UNREACHABLE as err:
            self._unreachable(err)
            self._held.append(request)
            return True

    def _enqueue(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            self.stats.inc_value("scheduler/filtered/redis")
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def _count_page(self, response: Any, request: Request, spider: Spider) -> None:
        if not request.meta.get("dont_obey_robotstxt"):  # robots.txt fetched by the middleware
            self._safely(self.server.incr, None, self.pages_key)

    # -- ending ---------------------------------------------------------------------------

    def _on_idle(self, spider: Spider) -> None:
        """The engine has nothing in flight and the shared queue looked empty: end, or wait for peers."""
        if self._closing:
            return
        if self._lost_since is None:
            try:
                self._idle(spider)
                return
            except _UNREACHABLE as err:
                self._unreachable(err)
        # Redis is gone: wait for it (the heartbeat ends the wait either way)
        self._poke_engine(self.poll_interval)
        raise DontCloseSpider

    def _idle(self, spider: Spider) -> None:
        self.server.srem(self.busy_key, self.worker_id)
        if self._reclaim_dead_peers() or len(self.queue):
            self._poke_engine(0)
            raise DontCloseSpider
        busy = int(self._busy_peers(keys=[self.busy_key, self.workers_key], args=[self.worker_id, self.worker_ttl]))
        if not busy:
            return
        now = time.monotonic()
        if self._idle_since is None:
            self._idle_since = now
            logger.info("shared queue empty; waiting for %d busy process(es)", busy, extra={"spider": spider})
        if now - self._idle_since >= self.idle_timeout:
            logger.warning("waited %.0fs for %d busy process(es); ending this one", now - self._idle_since, busy,
                           extra={"spider": spider})
            return
        self._poke_engine(self.poll_interval)
        raise DontCloseSpider

    def _poke_engine(self, delay: float) -> None:
        """Look at the queue again after ``delay`` instead of the engine's 5 s heartbeat."""
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None:
            nextcall.schedule(delay)
