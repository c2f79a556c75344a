"""Every command the README lists works on the store ``make demo`` builds (issue 16).

The README's "Commands" block is read as written: each ``newsgraph ...`` line (with its
continuation lines) runs against a store of ``examples/``, with its optional ``[...]`` parts left
out and its placeholders filled (``ID``: a stored article; ``FILE...``: an example file; the
export's output goes to a temporary file). A command passes when it exits 0 and prints results,
not an empty answer ("no attributions match"). Only ``serve`` (it runs until stopped; the server
has its own tests) and the ``ingest`` lines (the store itself is built by ``ingest examples/``;
URLs and stdin are covered by the ingest tests) are not run here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import cli

ROOT = Path(__file__).resolve().parents[2]
EMPTY = re.compile(r"^no \w+( \w+)? match|^no results|^nothing", re.I | re.M)
NOT_RUN = {"serve", "ingest", "watch"}  # watch: it polls the network until stopped (tests/e2e/test_watch.py)
CORRECTIONS = {"merge", "split"}  # run in the README's order, in one test: a split undoes the merge


def readme_commands(section: str = "## Commands") -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(f"\n{section}\n", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands: list[str] = []
    for line in block.splitlines():
        code = line.split("  #", 1)[0].rstrip()
        if code.startswith("newsgraph "):
            commands.append(code)
        elif code.strip().startswith("[") and commands:  # a continuation line of options
            commands[-1] += " " + code.strip()
    return commands


def argv(command: str, article_id: str, tmp: Path) -> list[str]:
    """The command's arguments with its optional parts left out and its placeholders filled."""
    required = re.sub(r"\[[^\]]*\]", " ", command)
    args = shlex.split(required)[1:]
    out = []
    for a in args:
        if a == "ID":
            a = article_id
        elif a == "FILE...":
            a = str(ROOT / "examples" / "danube-wire-valdavia-runoff.txt")
        elif "|" in a:  # a choice: its first option
            a = a.split("|")[0]
        elif a.endswith(".opml"):
            a = str(tmp / a)
        elif a.endswith((".parquet", ".csv", ".jsonl", ".png")):
            a = str(tmp / Path(a).with_suffix(".jsonl").name)
        out.append(a)
    return out


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    db = str(tmp_path_factory.mktemp("demo") / "newsgraph.db")
    res = CliRunner().invoke(cli, ["--db", db, "ingest", "--no-progress", "--workers", "1",
                                   str(ROOT / "examples")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    listing = CliRunner().invoke(cli, ["--db", db, "articles", "--json"], catch_exceptions=False)
    import json

    first = json.loads(listing.stdout)["articles"][0]["id"]
    return db, first


def test_the_readme_lists_the_commands_it_documents() -> None:
    names = {shlex.split(c)[1] for c in readme_commands()}
    assert {"articles", "show", "search", "quotes", "entities", "entity", "merge", "split", "events", "dyad",
            "failures", "runs", "export", "extract", "analyze"} <= names


@pytest.mark.parametrize("command", [c for c in readme_commands() if shlex.split(c)[1] not in NOT_RUN | CORRECTIONS])
def test_each_readme_command_gives_results_on_the_demo_store(command: str, demo: tuple[str, str],
                                                             tmp_path: Path) -> None:
    run_readme_command(command, demo, tmp_path)


def test_the_readme_corrections_apply_in_order(demo: tuple[str, str], tmp_path: Path) -> None:
    for command in (c for c in readme_commands() if shlex.split(c)[1] in CORRECTIONS):
        run_readme_command(command, demo, tmp_path)


def test_the_readme_feed_and_alert_commands_work_in_order(demo: tuple[str, str], tmp_path: Path) -> None:
    # "Following feeds": follow, list, export, save alerts, show one (its hits: what is stored after it)
    commands = [c for c in readme_commands("## Following feeds") if shlex.split(c)[1] not in NOT_RUN]
    assert {shlex.split(c)[1] for c in commands} == {"feeds", "alerts"} and len(commands) >= 5
    outputs = [run_readme_command(command, demo, tmp_path) for command in commands]
    listing = outputs[[shlex.split(re.sub(r"\[[^\]]*\]", " ", c)) for c in commands].index(["newsgraph", "feeds"])]
    followed = shlex.split(commands[0])[3:5]
    assert all(url in listing for url in followed), listing


def run_readme_command(command: str, demo: tuple[str, str], tmp_path: Path) -> str:
    db, article_id = demo
    args = argv(command, article_id, tmp_path)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp_path)  # what a command writes beside it (a dyad's chart) stays out of the checkout
        res = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    assert res.exit_code == 0, (command, res.output)
    assert res.output.strip(), (command, "printed nothing")  # results, or (export, analyze) a summary
    assert not EMPTY.search(res.output), (command, res.output[:300])
    for a in args:
        if a.startswith(str(tmp_path)):
            assert Path(a).stat().st_size > 0, (command, "wrote nothing")
    return res.output
