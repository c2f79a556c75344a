"""Which process runs an ingest, and whether it still does (for runs killed without a word).

A run records ``(host, pid, start)`` where ``start`` is the process's start
time as the kernel counts it (``/proc/<pid>/stat`` field 22, clock ticks since
boot), so a pid the kernel has since given to another process is not mistaken
for the run's. Where ``/proc`` is missing, ``start`` is None and only the pid
is checked.
"""

from __future__ import annotations

import os
import socket


def _start_of(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            stat = fh.read()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces: count from the last ")"
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None


def this_process() -> tuple[str, int, str | None]:
    """``(host, pid, start)`` of the calling process."""
    pid = os.getpid()
    return socket.gethostname(), pid, _start_of(pid)


def is_alive(pid: int, start: str | None) -> bool:
    """True if process ``pid`` exists on this host and (when known) started at ``start``."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, owned by someone else
    except OSError:
        return False
    if start is None:
        return True
    now = _start_of(pid)
    return now is None or now == start
