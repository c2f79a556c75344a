"""Planning a cluster ingest: shards read on workers give exactly the items a local ingest reads.

No cluster here (``tests/e2e/test_cluster.py`` runs one): ``Shard.read`` is what
a worker runs before extraction, so reading every planned shard in order must
give the same items, in the same order, as ``iter_raw`` with the same resume
filter, for folders, WARC files (also damaged), JSONL files and client-read specs.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.cli import _progress as progress
from newsgraph.cli import _rate_and_eta as rate_and_eta
from newsgraph.cli import cli
from newsgraph.cluster import (
    ClusterEngine,
    Documents,
    Files,
    Records,
    connect,
    parse_address,
    plan,
)
from newsgraph.config import Settings
from newsgraph.errors import NewsgraphError
from newsgraph.sources import iter_raw
from newsgraph.types import Failure

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _bench_cluster():
    spec = importlib.util.spec_from_file_location("newsgraph_bench_cluster", ROOT / "bench" / "cluster.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def read_planned(specs, skip=lambda s: False, **sizes):
    """What the workers would read, shard after shard, plus failures found while planning."""
    out = []
    for unit in plan(specs, Settings(), skip, **sizes):
        out.extend([unit] if isinstance(unit, Failure) else unit.read(Settings()))
    return out


def read_local(specs, skip=lambda s: False):
    return list(iter_raw(specs, Settings(), skip_source=skip))


def test_examples_folder_reads_the_same_items(tmp_path: Path) -> None:
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "notes.md").write_text("skipped silently")
    (tmp_path / "bad.jsonl").write_text('{"text": "fine enough text"}\nnot json\n\n{"html": 3}\n')
    (tmp_path / "missing.html").symlink_to(tmp_path / "nowhere.html")
    os.mkfifo(tmp_path / "pipe.warc")  # refused, never opened (opening would block the planner)
    os.mkfifo(tmp_path / "pipe.jsonl")
    specs = [str(EXAMPLES), str(tmp_path), str(tmp_path / "not-there.txt")]
    local = read_local(specs)
    assert any(isinstance(i, Failure) for i in local) and len(local) > 14
    for per_shard in (1, 3, 100):
        assert read_planned(specs, files_per_shard=per_shard, records_per_shard=per_shard) == local


def test_stored_sources_are_skipped_while_planning(tmp_path: Path) -> None:
    local_all = read_local([str(EXAMPLES)])
    stored = {item.source for item in local_all[::2]}
    asked: list[str] = []

    def skip(source: str) -> bool:
        asked.append(source)
        return source in stored

    planned = read_planned([str(EXAMPLES)], skip, files_per_shard=2, records_per_shard=1)
    assert planned == read_local([str(EXAMPLES)], lambda s: s in stored)
    assert not stored & {item.source for item in planned}
    assert stored <= set(asked)  # the client asked the store, not the workers


@pytest.fixture(scope="module")
def damaged_warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("warc") / "crawl.warc.gz"
    _bench_cluster().write_warc(path, 7)
    with open(path, "ab") as fh:
        fh.write(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 9999\r\n\r\ntruncated")
    return path


@pytest.mark.parametrize("per_shard", [1, 2, 3, 50])
def test_warc_ranges_read_each_record_once(damaged_warc: Path, per_shard: int) -> None:
    local = read_local([str(damaged_warc)])
    assert [type(i).__name__ for i in local] == ["RawDocument"] * 7 + ["Failure"]
    assert local[-1].code == "warc.malformed"
    shards = [u for u in plan([str(damaged_warc)], Settings(), lambda s: False, records_per_shard=per_shard)]
    assert all(isinstance(s, Records) for s in shards) and len(shards) == -(-7 // per_shard)
    assert read_planned([str(damaged_warc)], records_per_shard=per_shard) == local
    # a shard split after it kept killing workers still reads the same items
    split = [i for s in shards for part in s.split() for i in part.read(Settings())]
    assert split == local


def test_warc_shards_seek_to_their_range(damaged_warc: Path, tmp_path: Path) -> None:
    # the bytes before a shard's range are never read: garbling them changes nothing for it
    shards = list(plan([str(damaged_warc)], Settings(), lambda s: False, records_per_shard=3))
    later = shards[1]
    assert later.start > 0
    garbled = tmp_path / damaged_warc.name
    data = damaged_warc.read_bytes()
    garbled.write_bytes(b"\xff" * later.start + data[later.start:])
    moved = Records(str(garbled), "warc", later.start, later.end, later.keys)
    expected = [i.source.rsplit("#", 1)[1] for i in later.read(Settings())]
    assert [i.source.rsplit("#", 1)[1] for i in moved.read(Settings())] == expected
    assert len(expected) == 3


def test_no_warc_shard_starts_past_damage_a_local_run_stops_at(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    _bench_cluster().write_warc(path, 6)
    records = path.read_bytes()
    cut = records.index(b"\x1f\x8b\x08", len(records) // 2)  # a record (gzip member) boundary mid-file
    junk = gzip.compress(b"WARC/1.0\r\nX: y\r\n\r\n")  # warcio parses it; newsgraph stops there (no WARC-Type)
    path.write_bytes(records[:cut] + junk + records[cut:])
    local = read_local([str(path)])
    assert isinstance(local[-1], Failure) and local[-1].code == "warc.malformed"
    for per_shard in (1, 2):
        assert read_planned([str(path)], records_per_shard=per_shard) == local


@settings(max_examples=40, deadline=None)
@given(lines=st.lists(st.sampled_from(["doc", "blank", "bad"]), max_size=25),
       stored=st.sets(st.integers(1, 25)), per_shard=st.integers(1, 6))
def test_jsonl_shards_partition_the_file(lines: list[str], stored: set[int], per_shard: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.jsonl"
        body = {"doc": lambda i: json.dumps({"text": f"Record number {i} of the file."}),
                "blank": lambda i: "  ", "bad": lambda i: "{not json"}
        path.write_text("".join(body[kind](i) + "\n" for i, kind in enumerate(lines)))
        stored_sources = {f"{path}:{n}" for n in stored}
        skip = stored_sources.__contains__
        shards = list(plan([str(path)], Settings(), skip, records_per_shard=per_shard))
        assert read_planned([str(path)], skip, records_per_shard=per_shard) == read_local([str(path)], skip)
        for n in range(0, len(lines) + 2):
            source = f"{path}:{n}" if n else str(path)
            assert sum(s.owns(source) for s in shards) == 1  # every record (and the file) has one owner
        assert all(len(s) <= per_shard for s in shards)


def test_client_read_specs_are_documents(tmp_path: Path) -> None:
    feedless = tmp_path / "one.json"
    feedless.write_text(json.dumps([{"text": "A first record with text."}, {"html": 5}]))
    units = list(plan([str(feedless), str(tmp_path / "gone.html")], Settings(), lambda s: False))
    assert len(units) == 1 and isinstance(units[0], Documents)  # both read here, one shard
    assert [getattr(i, "code", None) for i in units[0].items] == [None, "input.invalid", "input.not_found"]
    assert read_planned([str(feedless), str(tmp_path / "gone.html")]) == read_local(
        [str(feedless), str(tmp_path / "gone.html")])


def test_files_shards_hold_at_most_their_size() -> None:
    units = list(plan([str(EXAMPLES)], Settings(), lambda s: False, files_per_shard=4))
    files = [u for u in units if isinstance(u, Files)]
    assert files and all(1 <= len(u) <= 4 for u in files)


@pytest.mark.parametrize(("address", "expected"), [
    ("local:2", ("local", 2)), ("tcp://10.0.0.5:8786", ("remote", "tcp://10.0.0.5:8786")),
    ("scheduler:8786", ("remote", "scheduler:8786"))])
def test_parse_address(address: str, expected: tuple) -> None:
    assert parse_address(address) == expected


@pytest.mark.parametrize("address", ["local:0", "local:x", "local:", "scheduler"])
def test_bad_address_is_a_usage_error(tmp_path: Path, address: str) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "ingest", "--cluster", address,
                                      str(EXAMPLES)])
    assert result.exit_code == 2
    assert "--cluster" in result.output


def test_unreachable_scheduler_is_a_clear_error() -> None:
    with pytest.raises(NewsgraphError) as info, connect("tcp://127.0.0.1:9", timeout=1):
        pass
    assert info.value.code == "cluster.unreachable" and "127.0.0.1:9" in info.value.message


def test_progress_rate_and_eta() -> None:
    assert rate_and_eta(10, 100, False, 5.0) == (2.0, "–")  # still planning: no total yet
    assert rate_and_eta(10, 100, True, 5.0) == (2.0, "0:00:45")
    assert rate_and_eta(10, 10_000, True, 1.0) == (10.0, "0:16:39")
    assert rate_and_eta(12, 10, True, 3.0)[1] == "0:00:00"  # planned counts are estimates
    engine = ClusterEngine(client=None)
    with progress(True, engine) as on_item:  # one display, local or cluster: takes items and failures
        on_item(Failure("a", "input.empty", "empty"), "input.empty")
    with progress(True) as on_item:
        on_item(Failure("a", "input.empty", "empty"), "input.empty")
    with progress(False, engine) as on_item:
        assert on_item is None


def test_workers_and_cluster_exclude_each_other(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "s.db"), "ingest", "--cluster", "local:1",
                                      "--workers", "2", str(EXAMPLES)])
    assert result.exit_code == 2 and "--workers" in result.output
