"""Extraction worker processes driven from the event loop: one socket per worker, no thread.

The crawler process hands a page to a worker by writing one frame to that worker's socket and
reads the result when the event loop says the socket is readable. A timer per page bounds it
(the worker is killed and replaced), a worker retires after its quota of pages, and a worker that
dies shows as the end of its socket: its page fails alone, and a new worker takes its place.

Why not a general-purpose pool (pebble, concurrent.futures): they hand tasks over in threads of the
crawler process, through one pipe all workers share under one lock. That cost the crawler about
0.35 ms of CPU per page, three threads competing with the reactor for the GIL, and a worker killed
while it held the lock left every other worker waiting on it (nothing timed out: the pool had to
be watched from outside and replaced). Here no worker can hold up another.

Frames are an 8-byte big-endian length and a pickle. To a worker: the page's arguments. From a
worker: ``("ready", pid)`` once it has started, then ``("result", value)`` or ``("exception", error)``
per page.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import signal
import socket
import struct
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any

FRAME = struct.Struct("!Q")
# A worker that ran out of its address space exits with this code (after a MemoryError half-built
# parser state may be left behind, so it is not reused).
MEMORY_EXIT = 86
# Workers that die before they are ready this many times in a row cannot start: the pool is broken.
START_ATTEMPTS = 3
READ_SIZE = 1 << 18
# A worker holds its page and has the next one waiting in its socket (see WorkerPool)
PAGES_PER_WORKER = 2


class TaskTimedOut(Exception):
    """The page ran past the pool's timeout; its worker was killed."""


class PoolClosed(Exception):
    """The pool was closed with the page still queued or in a worker's hands."""


class WorkerExited(Exception):
    """The worker died with the page in hand (``exitcode``: its exit status, negative for a signal)."""

    def __init__(self, exitcode: int | None) -> None:
        self.exitcode = exitcode
        super().__init__(f"worker exited with code {exitcode}")


Initializer = Callable[[Any], None]


def serve(channel: socket.socket, function: Callable[..., Any], initializer: Initializer | None,
          initarg: Any) -> None:
    """A worker's life: start, say ready, then run one page per frame until the crawler closes the socket."""
    # Ctrl-C reaches the whole foreground process group: the crawler's graceful stop waits for the
    # pages its workers hold, so they must not die of it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if initializer is not None:
            initializer(initarg)
        _send(channel, pickle.dumps(("ready", os.getpid())))
        while (frame := _receive(channel)) is not None:
            args = pickle.loads(frame)
            del frame
            try:
                reply = ("result", function(*args))
            except MemoryError:
                raise
            except BaseException as err:  # whatever the page raised goes back to the crawler
                reply = ("exception", err)
            del args
            try:
                data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
            except MemoryError:
                raise
            except Exception as err:  # what does not pickle goes back as the reason it did not
                unpicklable = RuntimeError(f"the {reply[0]} does not pickle: {type(err).__name__}: {err}"[:300])
                data = pickle.dumps(("exception", unpicklable))
            del reply
            _send(channel, data)
    except MemoryError:
        os._exit(MEMORY_EXIT)
    except (BrokenPipeError, ConnectionResetError):  # the crawler is gone or stopped this worker
        pass


def _framed(data: bytes) -> bytes:
    """``data`` behind its length: one buffer, written at once (the reader is woken once per frame, not for
    its header and again for the rest)."""
    return FRAME.pack(len(data)) + data


def _send(channel: socket.socket, data: bytes) -> None:
    channel.sendall(_framed(data))


def _receive(channel: socket.socket) -> bytearray | None:
    """The next frame, or None at the end of the socket."""
    header = _read_exactly(channel, FRAME.size)
    if header is None:
        return None
    return _read_exactly(channel, FRAME.unpack(header)[0])


def _read_exactly(channel: socket.socket, size: int) -> bytearray | None:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = channel.recv_into(view[got:])
        if not n:
            return None
        got += n
    return buffer


class _Task:
    __slots__ = ("frame", "future")

    def __init__(self, frame: bytes, future: asyncio.Future[Any]) -> None:
        self.frame = frame
        self.future = future


class _Worker:
    __slots__ = ("process", "channel", "fd", "ready", "tasks", "sent", "timer", "inbox", "outbox")

    def __init__(self, process: Any, channel: socket.socket) -> None:
        self.process = process
        self.channel = channel
        self.fd = channel.fileno()
        self.ready = False
        self.tasks: deque[_Task] = deque()  # the first is in the worker's hands, the next waits in its socket
        self.sent = 0
        self.timer: asyncio.TimerHandle | None = None
        self.inbox = bytearray()
        self.outbox: memoryview | None = None


class WorkerPool:
    """``size`` worker processes from ``context``, each running ``function`` on the pages sent to it.

    Each worker is sent its next page while it still works on one (``PAGES_PER_WORKER``), so it
    starts that page as soon as it has sent the last result, not when the crawler, busy downloading,
    gets round to reading it. A page's time limit runs from when the worker takes it up; a page
    still waiting in the socket of a worker that dies or is killed goes to another worker.
    """

    def __init__(self, context: BaseContext, size: int, function: Callable[..., Any], timeout: float,
                 max_tasks: int, initializer: Initializer | None = None, initarg: Any = None) -> None:
        self.context = context
        self.size = size
        self.function = function
        self.timeout = timeout
        self.max_tasks = max_tasks
        self.initializer = initializer
        self.initarg = initarg
        self.broken: str | None = None
        self.closed = False
        self._workers: list[_Worker] = []
        self._queue: deque[_Task] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._failed_starts = 0
        for _ in range(size):
            self._spawn()

    # -- handing pages over -------------------------------------------------------------------

    def submit(self, *args: Any) -> asyncio.Future[Any]:
        """A future of ``function(*args)`` run in a worker; raises BrokenProcessPool when no worker can start."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._bind(loop)
        if self.broken is not None:
            raise BrokenProcessPool(self.broken)
        if self.closed:
            raise PoolClosed("the extraction pool is closed")
        data = pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL)
        task = _Task(_framed(data), loop.create_future())
        self._queue.append(task)
        self._dispatch()
        return task.future

    def _dispatch(self) -> None:
        """Pages to workers: first to idle ones, then a next page to each busy one."""
        if self._loop is None:
            return
        for held in range(PAGES_PER_WORKER):
            for worker in self._workers:
                while self._queue and self._queue[0].future.done():  # cancelled while it waited
                    self._queue.popleft()
                if not self._queue:
                    return
                if not worker.ready or len(worker.tasks) != held or (self.max_tasks and worker.sent >= self.max_tasks):
                    continue
                task = self._queue.popleft()
                worker.tasks.append(task)
                worker.sent += 1
                if held == 0:
                    self._start_clock(worker)
                self._write(worker, task.frame)

    def _start_clock(self, worker: _Worker) -> None:
        """The time limit of the page the worker now has in hand."""
        if self.timeout > 0 and worker.tasks:
            assert self._loop is not None
            worker.timer = self._loop.call_later(self.timeout, self._expire, worker, worker.tasks[0])

    def _write(self, worker: _Worker, data: bytes) -> None:
        if worker.outbox is not None:  # the last frame is still going out: this one goes after it
            worker.outbox = memoryview(bytes(worker.outbox) + data)
            return
        try:
            sent = worker.channel.send(data)
        except BlockingIOError:
            sent = 0
        except OSError:  # the worker is gone: the end of its socket says so to the reader
            return
        if sent < len(data):
            worker.outbox = memoryview(data)[sent:]
            assert self._loop is not None
            self._loop.add_writer(worker.fd, self._writable, worker)

    def _writable(self, worker: _Worker) -> None:
        assert worker.outbox is not None and self._loop is not None
        try:
            sent = worker.channel.send(worker.outbox)
        except BlockingIOError:
            return
        except OSError:
            sent = len(worker.outbox)
        worker.outbox = worker.outbox[sent:] if sent < len(worker.outbox) else None
        if worker.outbox is None:
            self._loop.remove_writer(worker.fd)

    # -- what comes back ----------------------------------------------------------------------

    def _readable(self, worker: _Worker) -> None:
        try:
            chunk = worker.channel.recv(READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._lost(worker)
            return
        inbox = worker.inbox
        inbox += chunk
        while len(inbox) >= FRAME.size:
            size = FRAME.unpack_from(inbox)[0]
            end = FRAME.size + size
            if len(inbox) < end:
                break
            message = bytes(inbox[FRAME.size:end])
            del inbox[:end]
            self._receive(worker, message)

    def _receive(self, worker: _Worker, message: bytes) -> None:
        try:
            kind, value = pickle.loads(message)
        except Exception as err:  # a result the crawler cannot load (a class it cannot import)
            kind, value = "exception", err
        if kind == "ready":
            worker.ready = True
            self._failed_starts = 0
            self._dispatch()
            return
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        if not worker.tasks:  # the page timed out a moment before its result came
            return
        task = worker.tasks.popleft()
        self._start_clock(worker)
        if not task.future.done():
            if kind == "result":
                task.future.set_result(value)
            else:
                task.future.set_exception(value)
        if self.max_tasks > 0 and worker.sent >= self.max_tasks and not worker.tasks:
            # its quota is done: its socket's end tells it to exit
            self._drop(worker)
            self._spawn()
        self._dispatch()

    def _expire(self, worker: _Worker, task: _Task) -> None:
        worker.timer = None
        if not worker.tasks or worker.tasks[0] is not task:
            return
        worker.tasks.popleft()
        if not task.future.done():
            task.future.set_exception(TaskTimedOut(f"extraction took more than {self.timeout:g}s"))
        self._drop(worker, kill=True)
        self._requeue(worker)
        self._spawn()
        self._dispatch()

    def _lost(self, worker: _Worker) -> None:
        """The worker's socket ended: it died (a crash, its memory limit, a signal from outside)."""
        self._drop(worker)
        worker.process.join(1.0)  # its exit status comes a moment after its socket's end
        code = worker.process.exitcode
        if worker.tasks:
            task = worker.tasks.popleft()
            if not task.future.done():
                task.future.set_exception(WorkerExited(code))
        self._requeue(worker)
        if not worker.ready:
            self._failed_starts += 1
            if self._failed_starts >= START_ATTEMPTS:
                self._break(f"extraction workers exit as they start (the last with code {code})")
                return
        self._spawn()
        self._dispatch()

    def _requeue(self, worker: _Worker) -> None:
        """Pages a gone worker had not started go first to the next free worker."""
        while worker.tasks:
            self._queue.appendleft(worker.tasks.pop())

    # -- the workers themselves ---------------------------------------------------------------

    def _spawn(self) -> None:
        if self.closed or self.broken is not None or len(self._workers) >= self.size:
            return
        try:
            ours, theirs = socket.socketpair()
        except OSError as err:  # out of file descriptors
            self._break(f"cannot start an extraction worker: {err}")
            return
        try:
            process = self.context.Process(  # type: ignore[attr-defined]
                target=serve, args=(theirs, self.function, self.initializer, self.initarg),
                name="presswire-extraction", daemon=True)
            process.start()
        except Exception as err:  # no fork, no forkserver, no memory: the pool cannot go on
            ours.close()
            self._break(f"cannot start an extraction worker: {type(err).__name__}: {err}")
            return
        finally:
            theirs.close()
        ours.setblocking(False)
        worker = _Worker(process, ours)
        self._workers.append(worker)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.add_reader(worker.fd, self._readable, worker)

    def _drop(self, worker: _Worker, kill: bool = False) -> None:
        """Take the worker out of the pool: stop listening to it and close its socket (it exits at its end)."""
        if worker in self._workers:
            self._workers.remove(worker)
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(worker.fd)
            if worker.outbox is not None:
                self._loop.remove_writer(worker.fd)
        worker.outbox = None
        if kill:
            _kill(worker.process)
        worker.channel.close()

    def _bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Listen to the workers on ``loop`` (a command may run several loops one after another)."""
        previous, self._loop = self._loop, loop
        self._queue.clear()  # pages of a loop that is gone: nobody waits for them
        for worker in list(self._workers):
            if previous is not None and not previous.is_closed():
                previous.remove_reader(worker.fd)
                if worker.outbox is not None:
                    previous.remove_writer(worker.fd)
            if worker.tasks:  # pages of a loop that is gone: the worker is replaced rather than waited for
                worker.tasks.clear()
                self._drop(worker, kill=True)
                self._spawn()
                continue
            loop.add_reader(worker.fd, self._readable, worker)

    def _break(self, reason: str) -> None:
        self.broken = reason
        while self._queue:
            task = self._queue.popleft()
            if not task.future.done():
                task.future.set_exception(BrokenProcessPool(reason))

    def close(self, wait: float = 10.0) -> None:
        """Stop the workers: an idle one at the end of its socket, one with a page in hand at once (nobody can
        receive its result any more); each is waited for at most ``wait`` s in all."""
        if self.closed:
            return
        self.closed = True
        workers, self._workers = self._workers, []
        for worker in workers:
            self._drop(worker, kill=bool(worker.tasks))
        deadline = time.monotonic() + wait
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.exitcode is None:
                _kill(worker.process)
                worker.process.join(1.0)
        for task in [*self._queue, *(task for worker in workers for task in worker.tasks)]:
            if not task.future.done():
                try:
                    task.future.set_exception(PoolClosed("the extraction pool was closed with the page in hand"))
                except RuntimeError:  # its event loop is gone: so is whoever waited for it
                    pass
        self._queue.clear()


def _kill(process: Any) -> None:
    if process.pid is None:
        return
    try:
        os.kill(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
