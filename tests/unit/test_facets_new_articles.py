"""``store.facets.NewArticles`` as a property: whatever order writers take seqs and commit or roll
back in, and whenever the facet reader reads, every committed article is given exactly once and
nothing else is. The writers and the database's visibility are modelled as PostgreSQL has them
(a transaction takes its id before its first seq; a read sees what was committed before it; the
horizon is read before the rows); ``tests/unit/test_store_pg_writers.py`` checks the real server."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.store.facets import NewArticles


class Database:
    def __init__(self) -> None:
        self.next_xid, self.last_seq = 100, 0
        self.running: dict[int, list[int]] = {}  # xid -> seqs it inserted
        self.committed: set[int] = set()

    def begin(self) -> None:
        self.running[self.next_xid] = []
        self.next_xid += 1

    def insert(self, k: int) -> None:
        if self.running:
            xid = sorted(self.running)[k % len(self.running)]
            self.last_seq += 1
            self.running[xid].append(self.last_seq)

    def end(self, k: int, commit: bool) -> None:
        if self.running:
            xid = sorted(self.running)[k % len(self.running)]
            seqs = self.running.pop(xid)
            if commit:
                self.committed.update(seqs)


class Reader:
    """What the facet reader sees: the horizon now; the rows when read (after ``between``)."""

    def __init__(self, db: Database, between: list[tuple[int, bool]]) -> None:
        self.db, self.between = db, between

    def seq_horizon(self) -> tuple[int, int, int]:
        db = self.db
        return min(db.running, default=db.next_xid), db.next_xid, db.last_seq

    def facet_rows(self, after: int) -> list[tuple[int, None, None, None]]:
        for k, commit in self.between:  # transactions ending between the two statements
            self.db.end(k, commit)
        return [(s, None, None, None) for s in sorted(self.db.committed) if s > after]


step = st.one_of(st.tuples(st.just("begin"), st.integers(0, 9), st.booleans()),
                 st.tuples(st.just("insert"), st.integers(0, 9), st.booleans()),
                 st.tuples(st.just("end"), st.integers(0, 9), st.booleans()),
                 st.tuples(st.just("read"), st.integers(0, 9), st.booleans()))


@settings(max_examples=300, deadline=None)
@given(st.lists(step, max_size=60))
def test_every_committed_article_is_given_once_and_nothing_else(steps: list[tuple[str, int, bool]]) -> None:
    db, new, given_seqs = Database(), NewArticles(), []
    for op, k, flag in steps:
        if op == "begin":
            db.begin()
        elif op == "insert":
            db.insert(k)
        elif op == "end":
            db.end(k, flag)
        else:
            rows = new.read(Reader(db, [(k, flag)] if flag else []))
            assert all(r[0] in db.committed for r in rows)
            given_seqs += [r[0] for r in rows]
    while db.running:
        db.end(0, True)
    for _ in range(2):
        given_seqs += [r[0] for r in new.read(Reader(db, []))]
    assert sorted(given_seqs) == sorted(db.committed)  # each once: none missed, none twice
    assert new.settled == db.last_seq  # and the mark has moved past every gap
