"""Search facets from the in-memory facet columns equal a GROUP BY over every match, as the store grows."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from newsgraph.ids import article_id
from newsgraph.store import NO_VALUE, UNDATED, Store, open_store
from newsgraph.types import Article

OUTLETS = ["Baltic Ledger", "Harbour Times", None, ""]
LANGS = ["en", "de", None]
DATES = ["2026-01-05", "2026-02-17T08:00:00+02:00", None, "2026", "2025-12-31"]


def add(store: Store, i: int, rng: random.Random) -> None:
    text = f"Article {i} on grain and {'port' if i % 3 else 'rail'} tariffs, number {i}."
    store.add_article(Article(id=article_id(text), source=f"s{i}", url=None, title=None,
                              outlet=rng.choice(OUTLETS), authors=(), published=rng.choice(DATES),
                              language=rng.choice(LANGS), text=text))


def reference(store: Store, query: str) -> Counter[tuple[str, str, str]]:
    rows = store._conn.execute(
        "SELECT a.outlet, a.language, a.published FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid"
        " WHERE articles_fts MATCH ?", (query,)).fetchall()
    return Counter((o or NO_VALUE, lang or NO_VALUE, p[:7] if p and len(p) >= 7 else UNDATED) for o, lang, p in rows)


def test_facets_follow_the_store_as_it_grows(tmp_path: Path) -> None:
    rng = random.Random(4)
    with open_store(tmp_path / "f.db") as store:
        for i in range(60):
            add(store, i, rng)
        for round_ in range(3):
            for query in ("grain", "port", "rail OR tariffs"):
                ref = reference(store, query)
                got = store.search_facets(query)
                assert got.total == sum(ref.values())
                for i, facet in enumerate((got.outlet, got.language, got.month)):
                    want: Counter[str] = Counter()
                    for key, n in ref.items():
                        want[key[i]] += n
                    assert {c.value: c.n for c in facet} == dict(want), (round_, query, i)
                filtered = store.search_facets(query, outlet="Harbour Times", month=UNDATED)
                assert filtered.matching == sum(n for (o, _, m), n in ref.items()
                                                if o == "Harbour Times" and m == UNDATED)
            for i in range(60 + 40 * round_, 100 + 40 * round_):  # articles added after the columns were read
                add(store, i, rng)
