"""Shared by the bench scripts: write one section of bench/RESULTS.md.

Each script owns the section between ``<!-- bench:NAME -->`` and
``<!-- /bench:NAME -->`` and replaces it whole, so scripts can run in any
order without clobbering each other's figures.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = "# Benchmark results\n\nWritten by the scripts in `bench/`; each section is replaced by the script named in it.\n"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def today() -> str:
    return _dt.date.today().isoformat()


def update_section(name: str, body: str) -> None:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")


def revision(src: str) -> str:
    """The short commit of the checkout holding ``src`` (an ``--baseline-src``), else ``src`` itself."""
    import subprocess

    out = subprocess.run(["git", "-C", src, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or src


def shared_dir() -> Path:
    """``../shared`` beside the checkout, or ``$NEWSGRAPH_SHARED``."""
    import os

    env = os.environ.get("NEWSGRAPH_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def half(doc_id: str, digit: int = 1) -> str:
    """The dev half of an item: ``tune`` when hex digit ``digit`` of sha256(id) is even, else ``check``
    (dates-dev ids all share their second digit, so its benches split on the third)."""
    import hashlib

    return "tune" if int(hashlib.sha256(doc_id.encode()).hexdigest()[digit], 16) % 2 == 0 else "check"
