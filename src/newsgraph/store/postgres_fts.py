"""PostgreSQL full-text search: each article stemmed in its own language, queries in SQLite's syntax.

* Indexing: an article's ``tsv`` is ``setweight(to_tsvector(cfg, title), 'A') ||
  setweight(to_tsvector(cfg, text), 'B')`` (GIN index), ``cfg`` the text search configuration
  of its language (``search_config``: ``en`` -> ``english``, ``de`` -> ``german`` ... for every
  language the server has a configuration for, ``simple`` otherwise). "Wahlen" then finds an
  article that says "Wahl"; SQLite's one tokenizer (unicode61) matches words as written only.
  Attributions (``quotes(about=...)``) are indexed with ``simple``: words as written, as on SQLite.
  The first ``MAX_INDEXED_CHARS`` characters of a text are indexed (a ``tsvector`` holds at most
  1 MB; SQLite indexes the whole text).
* A query has the syntax users know from the SQLite store (``store.sqlite_fts``): words, "phrases",
  ``word*`` prefixes, AND / OR / NOT, parentheses, ``title:`` before a word. ``parse`` reads it
  into a tree and never fails (what it cannot read, it leaves out, as SQLite's fallback does);
  each word and phrase becomes ``websearch_to_tsquery(cfg, ...)``, each prefix
  ``to_tsquery(cfg, 'word:*')``, joined with ``&&``, ``||`` and ``!!``. The same caps on words
  and prefixes apply (``sqlite_fts._check_query``); ``NEAR`` is read as AND.
* A search parses the query once per configuration the store's articles use (``search_configs``,
  a few rows), and an article matches the query parsed in its own configuration.
* Ranking is ``ts_rank_cd`` (cover density: how many matches and how close together), the title
  weighing 5x the body (weights ``RANK_WEIGHTS``), divided by 1 + log(length) (normalisation 1).
  It is not BM25: no inverse document frequency (a rare word does not count more than a common
  one), so the order of hits differs from SQLite's where the query has several words; a query
  made only of a language's stop words ("the") matches nothing (SQLite matches it).
* A search looks at its newest ``config.SEARCH_BOUND`` matches only, on every backend
  (``BaseStore.search_page``): those passing its filters (outlet, language, month:
  ``search_filters``, in each window's WHERE) are ranked and counted; the facets count the newest
  ``config.SEARCH_BOUND`` without the filters (one more bounded read). They are read window by window of
  ``seq``, newest first (``PGReader.search_seqs``: the GIN bitmap ANDed with a primary-key range,
  ``SEQ_WINDOW`` wide at first), so a common word visits ~1,000 heap rows, not its ~50,000
  matches; ranking then reads each of them once by primary key. Ranking reads each match's
  ``tsvector`` (~2 KB, compressed): 1,000 of them took 30-60 ms on the 100k bench store at load 10.
* Snippets are ``ts_headline`` over title and text (SQLite's ``snippet`` picks one column).
* Cost. GIN finds the matches without reading their ``tsvector`` (plain words and prefixes need
  no recheck), but each match's heap row is still visited (visibility, ``seq``): migration 0004
  (``pg_migrations/0004_articles_narrow_heap.sql``) keeps an article's heap row to its short
  columns (text, ``tsv`` and the JSON columns in TOAST), so the ~50,000 matches of a common word
  in the 100,000-article bench store sit on ~2,900 heap pages instead of ~19,700 (one scan
  280 -> 55 ms). A phrase (``"a b"``) and a ``title:`` word are rechecked against every
  candidate: one ``tsvector`` read from TOAST each (~8 us quiet, ~50 us at load 10). A phrase's
  candidates come from the index of adjacent word pairs (migration 0007, ``render_pairs``): every
  article holding "meridan reject" side by side, not every one holding both words (177 instead
  of 1,827 of the bench store's first 3,000; 2.4 s -> 21 ms for one window at load 10). SQLite's
  FTS5 index holds positions and needs no such read.
* Snippets: ``ts_headline`` parses all the text it gets (~1 ms per 3 KB); it gets the title and
  ``SNIPPET_SPAN`` characters around the first place the query's first word is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsgraph.store.rows import NO_VALUE, UNDATED

#: ISO 639-1 code -> PostgreSQL text search configuration (those PostgreSQL 15 ships); a
#: configuration the server lacks, or a language not here, is ``simple`` (no stemming).
LANGUAGE_CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
    "en": "english", "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian",
    "ne": "nepali", "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}
#: ``ts_rank_cd`` weights of D, C, B (the text) and A (the title): the title counts 5x.
RANK_WEIGHTS = "{0.1, 0.2, 0.2, 1.0}"
#: Articles (by ``seq``) the first window of a search's newest-first read of its matches spans.
SEQ_WINDOW = 4_000
#: Characters of an article's text that are indexed (a tsvector holds at most 1 MB of lexemes).
MAX_INDEXED_CHARS = 400_000
#: Characters of an article's text a snippet is cut from (``ts_headline`` parses all it is given):
#: from a third of it before the first place the query's first word is written (the start when
#: it is not, e.g. only a stemmed form is).
SNIPPET_SPAN = 1_200
#: ``ts_headline`` options: about as long as SQLite's 12-token snippets, matches in [brackets].
HEADLINE = "StartSel=[, StopSel=], MaxWords=14, MinWords=6, ShortWord=2, MaxFragments=1, FragmentDelimiter=…"


def first_word(tree: Any) -> str:
    """The first word of the first leaf ``tree`` requires (not under NOT), as the user wrote it."""
    while isinstance(tree, Op):
        tree = tree.left
    return tree.text.split()[0] if tree is not None and tree.text else ""


def render_pairs(tree: Any, cfg: str, params: list[Any]) -> str | None:
    """A tsquery SQL expression over ``articles.pairs`` (migration 0007: adjacent word pairs) that
    every article matching ``tree`` satisfies: its phrases' pairs, where the tree requires them
    (``a AND "b c"``: the pairs of "b c"; ``a OR "b c"``: none). None when the tree has no phrase;
    the expression is NULL for a configuration where a phrase has no adjacent pair (one word, or
    a stop word between: "rejected the plan"), and then is no constraint."""
    if isinstance(tree, Op):
        start = len(params)
        left = render_pairs(tree.left, cfg, params)
        if tree.op == "not":
            return left
        right = render_pairs(tree.right, cfg, params)
        if left is None or right is None:
            return (left or right) if tree.op == "and" else None
        if tree.op != "and":
            return f"({left} || {right})"
        params.extend(params[start:])  # the COALESCE names both sides twice: their parameters twice
        return f"COALESCE({left} && {right}, {left}, {right})"
    if tree.phrase and " " in tree.text:
        params.append(tree.text)
        return f"newsgraph_phrase_pairs({cfg}, %s)"
    return None


def newest_seqs(conn: Any, select: str, params: list[Any], *, table: str, column: str, limit: int) -> list[int]:
    """The newest ``limit`` values of ``column`` (``table``'s ``seq``) that ``select`` (``SELECT column
    FROM ... WHERE <a tsquery match>``) gives, newest first: read window by window of ``column``
    from the newest row back, so a common word's GIN bitmap is ANDed with a primary-key range and
    only the matches in it are visited (and rechecked, for a phrase). A window is ``SEQ_WINDOW``
    wide at first, then as wide as the matches found so far say the rest needs (8x when none)."""
    hi = int(conn.execute(f"SELECT COALESCE(max(seq), 0) FROM {table}").fetchone()[0])
    found: list[int] = []
    width = max(SEQ_WINDOW, 2 * limit)
    while hi > 0 and len(found) < limit:
        lo = max(0, hi - width)
        # Never a prepared statement: a generic plan, blind to how narrow the window is, walks the
        # primary key back and rechecks each row's tsvector (0.3-0.8 s instead of 25 ms).
        got = [r[0] for r in conn.execute(
            f"{select} AND {column} > %s AND {column} <= %s ORDER BY {column} DESC LIMIT %s",
            [*params, lo, hi, limit - len(found)], prepare=False)]
        found += got
        width = width * 8 if not got else max(width, int(width * (limit - len(found)) / len(got) * 1.5) + 1)
        hi = lo
    return found


def search_filters(outlet: str | None, language: str | None, month: str | None) -> tuple[str, list[Any]]:
    """``(" AND ...", params)`` restricting a search (alias ``a`` for articles) to one outlet, language
    and month; ``NO_VALUE``/``UNDATED`` select the articles without one (as ``sqlite_fts._search_filters``).
    A month is also a range of ``published`` (``ctext`` orders by code point), which the planner may
    answer from the ``articles_newest`` index."""
    conds: list[str] = []
    params: list[Any] = []
    for column, value in (("a.outlet", outlet), ("a.language", language)):
        if value == NO_VALUE:
            conds.append(f"COALESCE({column}, '') = ''")
        elif value is not None:
            conds.append(f"{column} = %s")
            params.append(value)
    if month == UNDATED:
        conds.append("COALESCE(length(a.published), 0) < 7")
    elif month is not None:
        conds.append("length(a.published) >= 7 AND substr(a.published, 1, 7) = %s")
        params.append(month)
        if len(month) == 7 and ord(month[-1]) < 0x10FFFF:
            conds.append("a.published >= %s AND a.published < %s")
            params += [month, month[:-1] + chr(ord(month[-1]) + 1)]
    return "".join(" AND " + c for c in conds), params


def search_config(language: str | None, available: frozenset[str]) -> str:
    """The configuration an article in ``language`` (``en``, ``de-AT`` ...) is indexed with."""
    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    cfg = LANGUAGE_CONFIGS.get(code, "simple")
    return cfg if cfg in available else "simple"


# -- the query tree

@dataclass(frozen=True)
class Leaf:
    text: str
    phrase: bool = False
    prefix: bool = False
    title: bool = False


@dataclass(frozen=True)
class Op:
    op: str  # "and" | "or" | "not" (left and not right)
    left: Any
    right: Any


_TOKEN = re.compile(r'"(?:[^"]|"")*"?|\(|\)|[^\W_]+(?:\s*:)?\*?|\S', re.UNICODE)
_WORD = re.compile(r"[^\W_]+")
_KEYWORDS = {"AND", "OR", "NOT", "NEAR"}


class _Parser:
    """FTS5's precedence (NOT binds tighter than AND, AND than OR; words side by side are AND-ed),
    forgiving: a token it cannot use is skipped, an operator without operands dropped."""

    def __init__(self, query: str) -> None:
        self.toks = [t for t in _TOKEN.findall(query) if t.strip()]
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def parse(self) -> Any:
        tree = None
        while self.i < len(self.toks):
            part = self.or_expr()
            tree = _join("and", tree, part)
            if self.peek() == ")":
                self.i += 1  # a stray closing parenthesis
        return tree

    def or_expr(self) -> Any:
        tree = self.and_expr()
        while self.peek() == "OR":
            self.i += 1
            tree = _join("or", tree, self.and_expr())
        return tree

    def and_expr(self) -> Any:
        tree = self.not_expr()
        while self.peek() not in (None, ")", "OR"):
            if self.peek() in ("AND", "NEAR"):
                self.i += 1
                continue
            tree = _join("and", tree, self.not_expr())
        return tree

    def not_expr(self) -> Any:
        tree = self.primary()
        while self.peek() == "NOT":
            self.i += 1
            right = self.primary()
            tree = _join("not", tree, right) if tree is not None else None
        return tree

    def primary(self, title: bool = False) -> Any:
        tok = self.peek()
        if tok is None or tok in (")", "OR", "NOT", "AND"):
            return None
        self.i += 1
        if tok == "(":
            tree = self.or_expr()
            if self.peek() == ")":
                self.i += 1
            return tree
        if tok == "NEAR":
            return None
        if tok.startswith('"'):
            body = tok[1:-1] if len(tok) > 1 and tok.endswith('"') else tok[1:]
            words = _WORD.findall(body.replace('""', '"'))
            return Leaf(" ".join(words), phrase=True, title=title) if words else None
        word = _WORD.match(tok)
        if word is None:
            return None
        rest = tok[word.end():].replace(" ", "")
        if rest.startswith(":") and word.group().lower() in ("title", "text"):  # a column filter
            return self.primary(title=word.group().lower() == "title")
        return Leaf(word.group(), prefix=rest.endswith("*"), title=title)


def _join(op: str, left: Any, right: Any) -> Any:
    if left is None:
        return right if op != "not" else None
    if right is None:
        return left
    return Op(op, left, right)


def parse(query: str) -> Any:
    """The query's tree (``Leaf`` / ``Op``), or None when it has no word to search."""
    return _Parser(query).parse()


def phrases(names: tuple[str, ...]) -> Any:
    """Any of ``names``, each as a phrase (an actor page's "quotes mentioning it")."""
    tree = None
    for name in names:
        words = _WORD.findall(name)
        if words:
            tree = _join("or", tree, Leaf(" ".join(words), phrase=True))
    return tree


def render(tree: Any, cfg: str, params: list[Any]) -> str:
    """The tree as a tsquery SQL expression; ``cfg`` is SQL (a column or ``%s``-free literal),
    the leaves' texts are appended to ``params``."""
    if isinstance(tree, Op):
        left, right = render(tree.left, cfg, params), render(tree.right, cfg, params)
        if tree.op == "not":
            return f"({left} && !!{right})"
        return f"({left} {'&&' if tree.op == 'and' else '||'} {right})"
    if tree.prefix or (tree.title and not tree.phrase):
        # The word is letters and digits only (_WORD), so it needs no escaping inside the quotes.
        params.append(f"'{tree.text}':{'*' if tree.prefix else ''}{'A' if tree.title else ''}")
        return f"to_tsquery({cfg}, %s)"
    params.append(f'"{tree.text}"' if tree.phrase else tree.text)
    return f"websearch_to_tsquery({cfg}, %s)"
