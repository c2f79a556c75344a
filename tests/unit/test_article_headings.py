"""Sub-heads (``Article.headings``) and the page's kind (``Article.page_kind``): found by the HTML
cleaner, kept by the store (schema 15), exported, and shown as headings on the article page."""

from __future__ import annotations

import html
import json
import re
import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.config import Settings
from newsgraph.extract import extract
from newsgraph.ingest import ingest
from newsgraph.serve.render import highlight_article
from newsgraph.store import open_store
from newsgraph.types import Article, Attribution, RawDocument, TextSpan
from tests.unit.test_serve_html import parse

PAGE = Path(__file__).resolve().parents[1] / "fixtures" / "headings" / "harbour_subheads.html"
SUBHEADS = ["What the plan changes", "Who pays for the quay walls"]


def _on_lines(text: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text) and (start == 0 or text[start - 1] == "\n") and (
        end == len(text) or text[end] == "\n") and "\n" not in text[start:end]


def test_the_html_cleaner_keeps_its_heading_lines_as_spans() -> None:
    a = extract(RawDocument(PAGE.name, "html", PAGE.read_text(encoding="utf-8")))
    assert [a.text[s:e] for s, e in a.headings] == SUBHEADS
    assert all(_on_lines(a.text, s, e) for s, e in a.headings)
    assert a.page_kind == "article"
    assert Article.from_dict(json.loads(json.dumps(a.as_dict()))) == a


def test_plain_text_has_no_headings() -> None:
    text = ("What the plan changes\n\n" + "The council voted on the harbour plan on Tuesday after a long debate. " * 5
            + "\n\nWho pays\n\n" + "The ferry company pays a third of the cost through berth fees, it said. " * 5)
    a = extract(RawDocument("t.txt", "text", text))
    assert a.headings == () and a.page_kind == "article"


_WORD = st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=2, max_size=9)
_HEAD = st.lists(_WORD, min_size=2, max_size=5).map(" ".join)
_PARA = st.lists(_WORD, min_size=25, max_size=45).map(lambda ws: " ".join(ws) + ".")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["h2", "h3", None]), _HEAD, st.lists(_PARA, min_size=1, max_size=3)),
                min_size=1, max_size=5))
def test_every_heading_span_indexes_the_text_on_line_boundaries(sections: list) -> None:
    body = "".join((f"<{tag}>{html.escape(head)}</{tag}>" if tag else "")
                   + "".join(f"<p>{html.escape(p)}</p>" for p in paras) for tag, head, paras in sections)
    page = f"<html><head><title>T</title></head><body><article>{body}</article></body></html>"
    a = extract(RawDocument("p.html", "html", page), Settings(min_body_chars=1))
    marked = {head for tag, head, _ in sections if tag}
    assert list(a.headings) == sorted(set(a.headings))
    for s, e in a.headings:
        assert _on_lines(a.text, s, e)
        assert a.text[s:e] in marked  # only what the page marked as a heading


def test_a_statement_running_across_a_heading_still_nests() -> None:
    text = "First paragraph says \"we will\n\nA sub-head\n\nbuild it\" and more."
    s = text.index("A sub-head")
    art = Article(id="x", source="s", url=None, title=None, outlet=None, authors=(), published=None, language="en",
                  text=text, headings=((s, s + len("A sub-head")),),
                  attributions=(Attribution(kind="direct", content=TextSpan(text.index("we"), text.index("\" and"),
                                                                                "we will ... build it")),))
    out = str(highlight_article(art))
    p = parse(out)
    assert not p.errors and not p.stack
    assert re.search(r'<h2 class="subhead"><span [^>]*attribution[^>]*cont[^>]*>A sub-head</span></h2>', out)
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert len(re.findall(r'id="a-0"', out)) == 1


def test_ingest_store_and_article_page_show_the_sub_heads(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from newsgraph.serve import create_app

    db = tmp_path / "ng.db"
    with open_store(db) as store:
        summary = ingest([str(PAGE)], store, Settings(), workers=1)
        assert summary.new == 1
        (stored,) = [s.article for s in store.iter_articles()]
    assert [stored.text[s:e] for s, e in stored.headings] == SUBHEADS and stored.page_kind == "article"
    with TestClient(create_app(db)) as client:
        page = client.get(f"/article/{stored.id}").text
        api = client.get(f"/api/articles/{stored.id}").json()
    assert [api["text"][h["start"]:h["end"]] for h in api["headings"]] == SUBHEADS and api["page_kind"] == "article"
    body = re.search(r'<div class="article-text" id="article-text">(.*?)</div>', page, re.S).group(1)
    heads = [html.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r'<h2 class="subhead">(.*?)</h2>', body)]
    assert heads == SUBHEADS
    assert "<p>What the plan changes" not in body


def _articles() -> tuple[Article, Article]:
    text = "Opening paragraph of the piece.\n\nA sub-head\n\nThe next paragraph."
    s = text.index("A sub-head")
    a = Article(id="a1", source="a.html", url=None, title="T", outlet="O", authors=(), published="2026-03-01",
                language="en", text=text, headings=((s, s + 10),), page_kind="live_blog")
    bare = Article(id="b2", source="b.html", url=None, title="U", outlet="O", authors=(), published="2026-03-02",
                   language="en", text="Another article, with no sub-heads recorded.")
    return a, bare


def test_exports_carry_headings_and_page_kind(tmp_path: Path) -> None:
    import csv

    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsgraph.store.export import export_articles

    a, bare = _articles()
    with open_store(tmp_path / "ng.db") as store:
        store.add_article(a)
        store.add_article(bare)
        for fmt in ("jsonl", "csv", "parquet"):
            export_articles(store, fmt, tmp_path / f"out.{fmt}")  # type: ignore[arg-type]
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(d["headings"], d["page_kind"]) for d in lines] == [([{"start": 33, "end": 43}], "live_blog"), ([], None)]
    assert [Article.from_dict(d) for d in lines] == [a, bare]
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert (json.loads(rows[0]["headings"]), rows[0]["page_kind"], rows[1]["page_kind"]) == (
        [{"start": 33, "end": 43}], "live_blog", "")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.field("headings").type == pa.list_(pa.struct([("start", pa.int32()), ("end", pa.int32())]))
    assert table.schema.field("page_kind").type == pa.string()
    got = table.to_pylist()
    assert [(g["headings"], g["page_kind"]) for g in got] == [([{"start": 33, "end": 43}], "live_blog"), ([], None)]


def test_copy_keeps_headings_and_page_kind(tmp_path: Path) -> None:
    from newsgraph.store.copy import copy_store

    a, bare = _articles()
    with open_store(tmp_path / "src.db") as store:
        store.add_article(a)
        store.add_article(bare)
    copy_store(f"sqlite:///{tmp_path / 'src.db'}", f"sqlite:///{tmp_path / 'dst.db'}")
    with open_store(tmp_path / "dst.db") as store:
        got = {s.article.id: (s.article.headings, s.article.page_kind) for s in store.iter_articles()}
    assert got == {a.id: (a.headings, "live_blog"), bare.id: ((), None)}


def test_copy_to_postgresql_keeps_headings_and_page_kind(tmp_path: Path, pg_database) -> None:
    from newsgraph.store.copy import copy_store

    a, bare = _articles()
    with open_store(tmp_path / "src.db") as store:
        store.add_article(a)
        store.add_article(bare)
    url = str(pg_database(migrated=True))
    copy_store(f"sqlite:///{tmp_path / 'src.db'}", url)
    with open_store(url) as store:
        got = {s.article.id: (s.article.headings, s.article.page_kind) for s in store.iter_articles()}
    assert got == {a.id: (a.headings, "live_blog"), bare.id: ((), None)}
