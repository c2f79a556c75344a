"""Settings: one object passed down explicitly instead of loose keyword arguments.

Layers: the defaults below -> an optional user TOML file (``[newsgraph]``
table, partial files are fine) -> CLI flags (``Settings.replace``).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DB = "newsgraph.db"
MAX_INPUT_BYTES = 50 * 1024 * 1024
#: Characters of an article that analysis (spaCy) reads: ~50,000 words, three times the longest
#: long-form features (~15,000 words); analysing them took 22 s (13,400 characters/s, 2 shared
#: cores), so a 45 MB text would take about an hour (see ``newsgraph.analyze``).
MAX_ANALYZE_CHARS = 300_000
#: The least confidence of an attribution views show by default (``Settings.quote_threshold``):
#: confidence is a calibrated probability that the attribution is right, so by default a view
#: shows what is more likely right than wrong; lower ones are one switch away (``--all``,
#: ``min_confidence=0``, the pages' "show all").
QUOTE_THRESHOLD = 0.5
#: Matches one search looks at: the newest this many (by storage order) are ranked, paged and
#: counted by outlet, language and month; beyond them the total is an estimate ("about 48,000").
#: Bounds a common word's cost: on PostgreSQL each match looked at is a heap visit and, ranked,
#: a read of its tsvector; 50,000 matches of a common word took 250+ ms (``store.postgres_fts``).
SEARCH_BOUND = 1_000


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    # input gate
    max_bytes: int = MAX_INPUT_BYTES
    # fetching
    user_agent: str = "newsgraph/0.1 (+https://example.invalid/newsgraph)"
    timeout: float = 20.0
    retries: int = 2
    backoff: float = 0.5  # seconds; doubles per retry
    politeness_delay: float = 1.0  # seconds between two requests to one host
    respect_robots: bool = True
    allow_private: bool = False
    # watching feeds (``newsgraph watch``): the shortest time between two polls of one feed, and
    # the longest wait after errors (the backoff doubles from twice the interval up to this)
    watch_interval: float = 900.0
    watch_max_backoff: float = 6 * 3600.0
    # extraction
    min_body_chars: int = 80
    # page kinds (``newsgraph.extract.page_kinds``) refused as not articles, logged with their kind;
    # live blogs are news text and kept by default
    refused_page_kinds: tuple[str, ...] = ("index", "paywall", "consent_or_bot_wall", "error_page", "other")
    # domain -> outlet name, over the shipped table (``newsgraph/extract/data/outlets.tsv``):
    # ``[newsgraph.outlets]`` in the TOML file, e.g. ``"example.org" = "Example Times"``
    outlets: dict[str, str] = dataclasses.field(default_factory=dict)
    # analysis: longer texts are analysed up to the last paragraph break before this many characters
    max_analyze_chars: int = MAX_ANALYZE_CHARS
    # ingest (``newsgraph.ingest``): seconds one item may take in a worker process (extraction and
    # analysis); past it that item fails with extract.timeout and its worker is replaced
    item_timeout: float = 600.0
    # views (``quotes``, the JSON API, the pages): attributions whose calibrated confidence (the
    # probability that source, cue and content are right) is below this are hidden unless asked for
    quote_threshold: float = QUOTE_THRESHOLD
    # reading the store (``newsgraph.store.sqlite``; ``newsgraph serve``)
    query_timeout: float = 3.0  # seconds one store read may run; longer ones stop with store.too_expensive
    # serving (``newsgraph serve``)
    header_timeout: float = 10.0  # seconds a client has to send a request's headers (slowloris guard)
    keep_alive: float = 5.0  # seconds an idle keep-alive connection stays open

    def __post_init__(self) -> None:
        if not 0.0 <= self.quote_threshold <= 1.0:  # NaN too
            raise ValueError(f"quote_threshold must be between 0 and 1, not {self.quote_threshold!r}")
        if not isinstance(self.outlets, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and k.strip() and v.strip() for k, v in self.outlets.items()):
            raise ValueError("outlets must be a table of domain = \"outlet name\" strings")
        object.__setattr__(self, "outlets", {k.strip().lower().removeprefix("www."): v.strip()
                                             for k, v in self.outlets.items()})

    def replace(self, **changes: Any) -> Settings:
        changes = {k: v for k, v in changes.items() if v is not None}
        return dataclasses.replace(self, **changes)


def load_settings(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Settings:
    """Defaults, then the TOML file at ``path`` (or ``$NEWSGRAPH_CONFIG``), then overrides."""
    settings = Settings()
    path = path or os.environ.get("NEWSGRAPH_CONFIG")
    if path:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        table = data.get("newsgraph", data)
        known = {f.name for f in dataclasses.fields(Settings)}
        unknown = set(table) - known
        if unknown:
            raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
        settings = settings.replace(**table)
    return settings.replace(**overrides)


def default_db_path() -> str:
    return os.environ.get("NEWSGRAPH_DB") or DEFAULT_DB
