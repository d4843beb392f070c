"""Memory of a process tree, read from /proc (Linux): what the browser costs while it runs."""

from __future__ import annotations

import os
from pathlib import Path


def descendants(root: int) -> list[int]:
    """Every live process below ``root`` (children, grandchildren…), from one pass over /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        # the command name is in parentheses and may hold spaces: the ppid is the second field after it
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def pss_kb(pid: int) -> int:
    """Proportional set size (shared pages divided among their users), 0 for a process that ended."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def browser_pss_kb(executable: str, root: int | None = None) -> int:
    """PSS of the processes below ``root`` (default: this one) running ``executable``."""
    total = 0
    for pid in descendants(os.getpid() if root is None else root):
        try:
            if os.readlink(f"/proc/{pid}/exe") == executable:
                total += pss_kb(pid)
        except OSError:
            continue
    return total
