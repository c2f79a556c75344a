"""The store keeps what a date rests on, the byline's credits and what a refused page was (schema 13).

Users read these back through ``newsgraph articles``/``show``/``failures``, the JSON API and the
pages; a store from before schema 13 opens, migrates and shows nothing where nothing was recorded.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.config import Settings
from newsgraph.ids import article_id
from newsgraph.ingest import ingest
from newsgraph.store import describe_published, open_store
from newsgraph.store.sqlite import migrations
from newsgraph.types import Article, Failure
from tests.helpers import undo_schema_12, undo_schema_13

PAGE_KINDS = Path(__file__).resolve().parents[1] / "fixtures" / "page_kinds"

#: A wire story of our own: JSON-LD date, a modified day, a byline naming a person and AP.
WIRE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour cranes return to service after storm repairs | Coastline Gazette</title>
<link rel="canonical" href="https://coastline.example/news/harbour-cranes">
<meta property="og:site_name" content="Coastline Gazette">
<meta property="article:modified_time" content="2026-03-04T09:10:00Z">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Harbour cranes return to service after storm repairs",
 "datePublished": "2026-03-02T07:30:00Z", "dateModified": "2026-03-04T09:10:00Z"}</script>
</head><body><article>
<h1>Harbour cranes return to service after storm repairs</h1>
<p class="byline">By Ines Halvorsen and The Associated Press</p>
<p>The four container cranes at the northern quay were back at work on Monday, three weeks after a winter
storm tore the cabling from two of them and left the port handling ships at half its usual rate.</p>
<p>Engineers from the port authority replaced more than two kilometres of cable and rebuilt the control
cabins, the harbour master said, adding that the repairs had cost about 4 million euros.</p>
<p>Shipping lines had diverted a dozen vessels to neighbouring ports during the outage. Most of them are
expected to return by the end of the month, according to the port's schedule.</p>
<p>Dock workers said the storm was the worst they had seen in twenty years, and their union has asked for
the cranes to be fitted with stronger anchors before the next winter.</p>
</article></body></html>
"""


def article(text: str, **kw: object) -> Article:
    fields: dict[str, object] = dict(id=article_id(text), source="a.html", url="https://ex.example/a", title="A",
                                     outlet="Example", authors=("Ann Author",), published="2026-03-02",
                                     language="en", text=text)
    fields.update(kw)
    return Article(**fields)  # type: ignore[arg-type]


EVIDENCED = dict(published_source="json_ld", published_confidence=0.97, modified="2026-03-04",
                 credits=(("wire", "AP"), ("organisation", "NJ Advance Media")))


def test_evidence_modified_and_credits_round_trip(tmp_path: Path) -> None:
    a = article("Cranes are back at work on the northern quay.", **EVIDENCED)
    with open_store(tmp_path / "ng.db") as store:
        store.add_article(a)
        got = store.get_article(a.id[:8]).article
        assert got == a
        assert got.as_dict()["credits"] == [{"wire": "AP"}, {"organisation": "NJ Advance Media"}]
        assert got.authors == ("Ann Author",)  # credits never join the people
        (row,) = store.list_articles()
        assert (row.published_source, row.published_confidence) == ("json_ld", 0.97)
        (exported,) = [s.article for s in store.iter_articles()]
        assert exported == a


def test_an_article_without_evidence_stays_without(tmp_path: Path) -> None:
    a = article("A plain text with a date nobody vouched for.")
    with open_store(tmp_path / "ng.db") as store:
        store.add_article(a)
        got = store.get_article(a.id).article
    assert (got.published_source, got.published_confidence, got.modified, got.credits) == (None, None, None, ())
    assert describe_published(got.published, got.published_source, got.published_confidence) == "2026-03-02"


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(credits=st.lists(st.tuples(st.sampled_from(["wire", "organisation"]), names), max_size=4, unique=True),
       confidence=st.none() | st.floats(0, 1), source=st.none() | st.sampled_from(["json_ld", "url", "feed"]),
       modified=st.none() | st.dates().map(str))
def test_any_evidence_comes_back_as_stored(tmp_path: Path, credits: list[tuple[str, str]],
                                           confidence: float | None, source: str | None, modified: str | None
                                           ) -> None:
    text = f"Body {len(credits)} {confidence} {source} {modified} {credits!r}"
    a = article(text, published_source=source, published_confidence=confidence, modified=modified,
                credits=tuple(credits))
    with open_store(":memory:") as store:
        store.add_article(a)
        assert store.get_article(a.id).article == a


# SQLite-specific: migrates a store from an older SQLite schema (tests/helpers.undo_schema_*).
def test_a_store_from_before_schema_13_opens_and_keeps_its_articles(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    a = article("Stored by an older newsgraph, before dates kept their evidence.", **EVIDENCED)
    with open_store(db) as store:
        store.add_article(a)
        run = store.start_run(["ingest"])
        store.log_failure(run, Failure("x.bin", "input.binary", "binary file"))
        undo_schema_13(store._conn)
        assert store.schema_version == 12
    with open_store(db) as store:
        assert store.schema_version == migrations()[-1][0] >= 13
        got = store.get_article(a.id).article
        # The evidence was never recorded: none is shown, the article is otherwise whole.
        assert got == dataclasses.replace(a, published_source=None, published_confidence=None, modified=None,
                                          credits=())
        assert store.list_articles()[0].published_source is None
        (failure,) = store.failures()
        assert (failure.code, failure.reason, failure.message, failure.kind) == (
            "input.binary", "binary file", "binary file", None)
        b = article("Stored after the migration, with its evidence.", **EVIDENCED)
        store.add_article(b)
        assert store.get_article(b.id).article == b


# SQLite-specific: migrates a store from an older SQLite schema (tests/helpers.undo_schema_*).
def test_undo_schema_12_takes_13_out_first(tmp_path: Path) -> None:
    with open_store(tmp_path / "ng.db") as store:
        undo_schema_12(store._conn)
        assert store.schema_version == 11
    with open_store(tmp_path / "ng.db") as store:
        assert store.schema_version == migrations()[-1][0]


def test_a_refused_page_keeps_its_kind_title_url_and_day(tmp_path: Path) -> None:
    failure = Failure("https://news.example/tag", "extract.no_article", "not an article: index (12 headline links)",
                      kind="index", title="Energy – all articles", url="https://news.example/tag",
                      published="2026-03-01")
    with open_store(tmp_path / "ng.db") as store:
        run = store.start_run(["ingest"])
        store.log_failure(run, failure)
        store.log_failure(run, Failure("b.bin", "input.binary", "binary file"))
        refused, binary = reversed(store.failures(run_id=run))
    assert (refused.kind, refused.title, refused.url, refused.published) == (
        "index", "Energy – all articles", "https://news.example/tag", "2026-03-01")
    assert refused.reason == "not an article: index (12 headline links)"
    assert refused.message == failure.described()  # the whole log line, as before the columns
    assert (binary.kind, binary.title, binary.reason, binary.message) == (None, None, "binary file", "binary file")


def test_ingest_stores_what_extraction_found(tmp_path: Path) -> None:
    page = tmp_path / "in" / "harbour-cranes.html"
    page.parent.mkdir()
    page.write_text(WIRE_PAGE, encoding="utf-8")
    refused = PAGE_KINDS / "paywall" / "fr_reserve_abonnes.html"
    (tmp_path / "in" / refused.name).write_bytes(refused.read_bytes())
    found: list[object] = []
    with open_store(tmp_path / "ng.db") as store:
        summary = ingest([str(tmp_path / "in")], store, Settings(), workers=1,
                         on_item=lambda item, _outcome: found.append(item))
        assert summary.new == 1 and summary.n_failed == 1
        (extracted,) = [x for x in found if isinstance(x, Article)]
        assert extracted.published_source and extracted.credits and extracted.modified  # the page gives all three
        stored = store.get_article(extracted.id).article
        (row,) = store.failures()
    for key in ("published", "published_source", "published_confidence", "modified", "credits", "authors"):
        assert getattr(stored, key) == getattr(extracted, key), key
    assert ("wire", "AP") in stored.credits and "Ines Halvorsen" in stored.authors
    assert (row.code, row.kind) == ("extract.no_article", "paywall")
    assert row.title == "Enquête : comment les loyers ont flambé dans les villes moyennes"


def test_exports_carry_the_evidence_and_credits(tmp_path: Path) -> None:
    import csv
    import json

    import pyarrow.parquet as pq

    from newsgraph.store.export import export_articles

    a = article("Cranes are back at work on the northern quay.", **EVIDENCED)
    bare = article("A page stored with no evidence for its date.")
    with open_store(tmp_path / "ng.db") as store:
        store.add_article(a)
        store.add_article(bare)
        for fmt in ("jsonl", "csv", "parquet"):
            export_articles(store, fmt, tmp_path / f"out.{fmt}")  # type: ignore[arg-type]
    lines = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [Article.from_dict(d) for d in lines] == [a, bare]
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert (rows[0]["published_source"], float(rows[0]["published_confidence"]), rows[0]["modified"]) == (
        "json_ld", 0.97, "2026-03-04")
    assert json.loads(rows[0]["credits"]) == [{"wire": "AP"}, {"organisation": "NJ Advance Media"}]
    assert (rows[1]["published_source"], rows[1]["published_confidence"], json.loads(rows[1]["credits"])) == (
        "", "", [])
    got = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert got[0]["credits"] == [{"kind": "wire", "name": "AP"}, {"kind": "organisation", "name": "NJ Advance Media"}]
    assert (got[0]["published_confidence"], got[1]["published_confidence"], got[1]["credits"]) == (0.97, None, [])
