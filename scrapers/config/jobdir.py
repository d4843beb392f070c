"""Is a ``JOBDIR`` that Scrapy will resume readable? Checked before the crawl starts, so a queue or
spider state torn by a stop at the wrong moment ends in one line saying what to do, not in a
traceback at every later run with that ``JOBDIR``.

Read-only: the LIFO queue files are walked record by record as Scrapy's disk queue
(``queuelib.LifoDiskQueue``: a 4-byte count, then each pickled request followed by its 4-byte
length) would pop them, and every record and ``spider.state`` is unpickled; the FIFO queues of
start requests are checked by their ``info.json``.
"""

from __future__ import annotations

import json
import pickle
import struct
from pathlib import Path

_SIZE = struct.Struct(">L")
DEFAULT_DISK_QUEUE = "scrapy.squeues.PickleLifoDiskQueue"


def jobdir_damage(jobdir: str | Path, disk_queue: str = DEFAULT_DISK_QUEUE) -> str | None:
    """What is damaged in ``jobdir`` (one phrase naming the file), or None when it can be resumed."""
    folder = Path(jobdir)
    state = folder / "spider.state"
    if state.exists():
        try:
            with state.open("rb") as f:
                pickle.load(f)  # the crawl's own file, which Scrapy unpickles anyway
        except Exception as err:
            return f"{state} cannot be read ({type(err).__name__})"
    queue = folder / "requests.queue"
    if not queue.is_dir():
        return None
    active = queue / "active.json"
    if active.exists():
        try:
            json.loads(active.read_text("utf-8"))
        except (ValueError, UnicodeDecodeError) as err:
            return f"{active} cannot be read ({type(err).__name__})"
    # Start requests wait in FIFO queues (a folder with info.json and chunk files), the rest in LIFO files.
    fifo_folders = {info.parent for info in queue.rglob("info.json")}
    for info in sorted(fifo_folders):
        problem = _fifo_queue_damage(info)
        if problem:
            return f"{info} {problem}"
    if disk_queue != DEFAULT_DISK_QUEUE:
        return None
    for path in sorted(p for p in queue.rglob("*") if p.is_file() and p != active and p.parent not in fifo_folders):
        problem = _lifo_queue_damage(path)
        if problem:
            return f"{path} {problem}"
    return None


def _fifo_queue_damage(folder: Path) -> str | None:
    """``queuelib.FifoDiskQueue``'s state: info.json readable and naming chunk files that exist."""
    try:
        info = json.loads((folder / "info.json").read_text("utf-8"))
        head, tail = int(info["head"][0]), int(info["tail"][0])
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, IndexError) as err:
        return f"cannot be read ({type(err).__name__})"
    if int(info.get("size", 0)) and any(not (folder / f"q{n:05d}").exists() for n in range(tail, head + 1)):
        return "names queue chunks that are missing"
    return None


def _lifo_queue_damage(path: Path) -> str | None:
    data = path.read_bytes()
    if len(data) < _SIZE.size:
        return "is cut short (no header)"
    (count,) = _SIZE.unpack_from(data)
    end = len(data)
    for _ in range(count):
        if end - _SIZE.size < _SIZE.size:
            return "is cut short (fewer requests than its header says)"
        (size,) = _SIZE.unpack_from(data, end - _SIZE.size)
        start = end - _SIZE.size - size
        if start < _SIZE.size:
            return "is damaged (a request's length points outside the file)"
        try:
            pickle.loads(data[start:end - _SIZE.size])  # as Scrapy's own queue does
        except Exception as err:
            return f"holds a request that cannot be read ({type(err).__name__})"
        end = start
    if end != _SIZE.size:
        return "is damaged (its header does not match its requests)"
    return None
