"""``Article.section``: the outlet's section a page declares (``extract.html_meta``), kept by the
store (schema 16), exported, copied, and shown by ``newsgraph show`` and the article page."""

from __future__ import annotations

import csv
import html
import json
import re
import warnings
from pathlib import Path

from click.testing import CliRunner

from newsgraph.cli import cli
from newsgraph.config import Settings
from newsgraph.extract import extract
from newsgraph.ingest import ingest
from newsgraph.store import open_store
from newsgraph.types import Article, RawDocument

PARAS = "".join(f"<p>{p}</p>" for p in (
    "The harbour council voted on Tuesday to widen the northern quay, ending a year of debate over the cost.",
    "The ferry company will pay a third of the bill through higher berth fees, its director said after the vote.",
    "Work starts in spring and should end before the summer season of the following year, the council said."))
PAGE = f"""<!doctype html><html lang="en"><head><title>Council widens the quay | Baltic Ledger</title>
<meta property="og:site_name" content="Baltic Ledger">
<meta property="article:section" content="Politics & Power">
<meta property="article:published_time" content="2026-03-02T09:00:00Z"></head>
<body><article><h1>Council widens the quay</h1>{PARAS}</article></body></html>"""


def _article(text: str, section: str | None, i: int) -> Article:
    return Article(id=f"a{i}", source=f"{i}.html", url=None, title="T", outlet="O", authors=(),
                   published="2026-03-01", language="en", text=text, section=section)


def test_the_page_s_section_reaches_the_article_and_its_json() -> None:
    a = extract(RawDocument("p.html", "html", PAGE, url="https://ledger.example/politics/quay"))
    assert (a.outlet, a.section) == ("Baltic Ledger", "Politics & Power")
    assert a.as_dict()["section"] == "Politics & Power"
    assert Article.from_dict(json.loads(json.dumps(a.as_dict()))) == a
    bare = extract(RawDocument("q.html", "html", PAGE.replace('<meta property="article:section" content="Politics & Power">', "")))
    assert bare.section is None


def test_show_and_the_article_page_show_the_section_next_to_the_outlet(tmp_path: Path) -> None:
    page = tmp_path / "quay.html"
    page.write_text(PAGE, encoding="utf-8")
    db = tmp_path / "ng.db"
    with open_store(db) as store:
        assert ingest([str(page)], store, Settings(), workers=1).new == 1
        (stored,) = [s.article for s in store.iter_articles()]
    assert stored.section == "Politics & Power"
    out = CliRunner().invoke(cli, ["--db", str(db), "show", stored.id[:8]], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "Baltic Ledger › Politics & Power · en" in out.output
    shown = json.loads(CliRunner().invoke(cli, ["--db", str(db), "show", stored.id, "--json"]).output)
    assert shown["section"] == "Politics & Power"

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from newsgraph.serve import create_app

    with TestClient(create_app(db)) as client:
        body = client.get(f"/article/{stored.id}").text
        api = client.get(f"/api/articles/{stored.id}").json()
    meta = re.search(r'<dl class="article-meta" id="article-meta">(.*?)</dl>', body, re.S).group(1)
    assert re.search(r"<dt>outlet</dt><dd>.*?Baltic Ledger</a></dd>\s*<dt>section</dt><dd id=\"section\">(.*?)</dd>",
                     meta, re.S).group(1) == html.escape("Politics & Power")
    assert api["section"] == "Politics & Power"


def test_exports_and_copy_carry_the_section(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from newsgraph.store.copy import copy_store
    from newsgraph.store.export import export_articles

    a = _article("An article the page filed under Politics, about the quay.", "Politics", 1)
    bare = _article("An article whose page names no section at all, about the ferry.", None, 2)
    with open_store(tmp_path / "ng.db") as store:
        store.add_article(a)
        store.add_article(bare)
        for fmt in ("jsonl", "csv", "parquet"):
            export_articles(store, fmt, tmp_path / f"out.{fmt}")  # type: ignore[arg-type]
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [d["section"] for d in lines] == ["Politics", None]
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as f:
        assert [r["section"] for r in csv.DictReader(f)] == ["Politics", ""]
    assert pq.read_table(tmp_path / "out.parquet").column("section").to_pylist() == ["Politics", None]
    copy_store(f"sqlite:///{tmp_path / 'ng.db'}", f"sqlite:///{tmp_path / 'dst.db'}")
    with open_store(tmp_path / "dst.db") as store:
        assert {s.article.id: s.article.section for s in store.iter_articles()} == {"a1": "Politics", "a2": None}
