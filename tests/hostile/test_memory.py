"""Hostile: inputs the 50 MB input gate accepts must not take memory out of proportion.

A plain text of unique sentences is the worst case for the MinHash signature
(every 5-gram distinct) and a plain case for everything else on the ingest
path. Before the signature was computed in blocks, a 45 MB text took 6 GB of
RAM during ``newsgraph ingest --no-analyze`` (the shingles x 64 matrix of
64-bit values: 630 MiB of it for a 5 MB text in ``signature()`` alone).

The budget, per ingested item: peak RSS of the ingest process at most
``BUDGET_BASE_MIB`` + ``BUDGET_PER_INPUT`` x the input's size, i.e. 256 MiB for
the interpreter and its libraries plus 16 bytes per input byte (~1 GiB for a
text at the 50 MB limit). ``bench/ingest.py`` measures it at ~45 MB;
here an 8 MB text runs through the real CLI in a subprocess (~5 s).

* ``test_ingest_of_a_large_text_stays_within_the_memory_budget``: the peak RSS
  (``VmHWM``, the kernel's high-water mark of the process's own memory, polled
  until it exits) of ``newsgraph ingest --no-analyze`` on 8 MB of unique
  sentences is within the budget (378 MiB; measured 213 MiB, and 1,198 MiB
  before the blocked signature), and the article is stored whole. Not
  ``ru_maxrss``: a child forked from a large test process inherits the
  parent's high-water mark through ``exec``, so it would measure pytest.
* ``test_signature_of_a_5_mb_text_stays_small``: ``stories.signature`` on a
  5 MB text peaks under 24 MiB of Python-visible allocations (tracemalloc,
  which sees numpy's arrays); it was 630 MiB.
* ``test_analysis_reads_only_the_first_max_chars``: analysis stops at the last
  paragraph break before ``max_chars``; offsets stay indexes into the whole
  text, and the same article analysed without the cap finds the later quote.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.types import Article

NEWSGRAPH = Path(sys.executable).with_name("newsgraph")
MIB = 1024 * 1024
#: Peak RSS budget of one ingest process: this much, plus BUDGET_PER_INPUT bytes per input byte.
BUDGET_BASE_MIB = 256
BUDGET_PER_INPUT = 16

_WORDS = ("minister council grain port railway talks agreed border cable ship energy tender court budget "
          "officials commission fund capital freight tonne cost haulage memorandum section autumn warsaw "
          "riga vilnius tallinn harbour pipeline treaty summit delegation sanctions election parliament").split()


def unique_text(n_chars: int, seed: int = 0) -> str:
    """Paragraphs of 3 to 6 sentences, each sentence unique (it holds its own number ``itemN``)."""
    rng = random.Random(seed)
    out: list[str] = []
    size = i = 0
    while size < n_chars:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(10, 20))]
            words.insert(rng.randrange(len(words)), f"item{i}")
            i += 1
            s = " ".join(words)
            sentences.append(s[0].upper() + s[1:] + ".")
        paragraph = " ".join(sentences)
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(out) + "\n"


def _tree_rss_kib(pid: int) -> int:
    """Summed RSS of ``pid`` and its descendants (KiB), from /proc."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def _vm_hwm_kib(pid: int) -> int:
    """The process's peak RSS so far (``VmHWM``, KiB); 0 once it has exited."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _wait_exited(pid: int) -> None:
    """Until ``pid`` has exited (a zombie, not reaped), without reaping it."""
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)


@pytest.mark.timeout(60)
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_ingest_of_a_large_text_stays_within_the_memory_budget(tmp_path: Path) -> None:
    text = unique_text(8_000_000)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    size = path.stat().st_size
    budget_mib = BUDGET_BASE_MIB + BUDGET_PER_INPUT * size / MIB
    db = tmp_path / "big.db"
    with open(tmp_path / "stderr", "wb") as err:
        proc = subprocess.Popen([str(NEWSGRAPH), "--db", str(db), "ingest", "--no-analyze", "--no-progress",
                                 str(path)], stdout=subprocess.DEVNULL, stderr=err)
    peak_tree = [0]
    hwm_kib = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak_tree[0] = max(peak_tree[0], _tree_rss_kib(proc.pid))
            hwm_kib[0] = max(hwm_kib[0], _vm_hwm_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    killer = threading.Timer(50, proc.kill)
    killer.start()
    try:
        # the child stays a zombie until reaped: let the sampler read its high-water mark first
        _wait_exited(proc.pid)
        done.set()
        sampler.join()
        _, status, _ = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
        done.set()
    proc.returncode = os.waitstatus_to_exitcode(status)
    maxrss_mib = hwm_kib[0] / 1024
    err_text = (tmp_path / "stderr").read_text(errors="replace")[-2000:]
    assert proc.returncode == 0, err_text
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT n_chars, length(text) FROM articles").fetchall()
    finally:
        con.close()
    assert len(rows) == 1 and rows[0][0] == rows[0][1] >= len(text.strip()) - 10
    assert maxrss_mib <= budget_mib, (
        f"ingest of a {size / MIB:.1f} MiB text peaked at {maxrss_mib:.0f} MiB (largest process; whole tree "
        f"sampled: {peak_tree[0] / 1024:.0f} MiB), over the budget of {budget_mib:.0f} MiB")


@pytest.mark.timeout(60)
def test_signature_of_a_5_mb_text_stays_small() -> None:
    from newsgraph import stories

    text = unique_text(5_000_000, seed=1)
    tracemalloc.start()
    try:
        sig = stories.signature(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sig is not None and len(sig) == stories.NUM_PERM
    # the lower-cased copy of the text (5 MB), 4 bytes per word (~3 MB), ~2 MB per block of shingles
    assert peak < 24 * MIB, f"signature() of a 5 MB text peaked at {peak / MIB:.0f} MiB"


_QUOTED = ('"We will not load a single ship until the authority makes a real offer," union chairman '
           'Petar Ivanov told reporters on Monday.')
_LATE = '"The railway will be finished by 2029," transport minister Inese Kalnina said on Tuesday.'
_FILLER = ("The port of Varna handles grain, containers and fertiliser for the whole region, and its "
           "cranes were idle for most of the week while the two sides met.")


@pytest.mark.timeout(120)
def test_analysis_reads_only_the_first_max_chars() -> None:
    import inspect

    from newsgraph.analyze import analysed_length, analyze_article, get_nlp

    assert inspect.signature(analyze_article).parameters["max_chars"].default == Settings().max_analyze_chars
    paragraphs = [_QUOTED] + [_FILLER] * 8 + [_LATE]
    text = "\n\n".join(paragraphs)
    late = text.index(_LATE)
    cap = late + 40  # inside the late paragraph: analysis stops at the break before it
    assert analysed_length(text, cap) == late - 2 and text[late - 2:late] == "\n\n"
    assert analysed_length(text, len(text)) == len(text)
    assert analysed_length("x" * 100, 50) == 50  # no break at all: a hard cut
    article = Article(id="0" * 16, source="long.txt", url=None, title=None, outlet=None, authors=(),
                      published=None, language="en", text=text)
    nlp = get_nlp()
    capped = analyze_article(article, nlp, max_chars=cap)
    whole = analyze_article(article, nlp, max_chars=len(text))
    assert capped.text == text  # the text stays whole
    for a in (capped, whole):
        for att in a.attributions:
            for span in (att.content, att.cue, att.source):
                if span is not None:
                    assert text[span.start:span.end] == span.text
    assert any("single ship" in att.content.text for att in capped.attributions)
    assert all(att.content.end <= late for att in capped.attributions)
    assert all(m.end <= late for e in capped.entities for m in e.mentions)
    assert any("2029" in att.content.text and att.content.start >= late for att in whole.attributions)
