"""The ``store`` and ``client`` fixtures the serve tests share; each module supplies its own ``db``."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from newsgraph.serve import create_app
from newsgraph.store import open_store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's httpx deprecation notice
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def store(db: Path) -> Any:
    """A read view of the module's store, for the expected values."""
    with open_store(db) as s:
        yield s


@pytest.fixture(scope="module")
def client(db: Path) -> Any:
    """The app over the module's store, in process."""
    with TestClient(create_app(db)) as c:
        yield c


def outlets_db(path: Path) -> Path:
    """150 "Big Wire" articles that rank first for "zeppelin", then 30 "Small Post" ones that rank below them."""
    from newsgraph.ids import article_id
    from newsgraph.types import Article

    filler = " ".join(f"filler{i}" for i in range(300))
    with open_store(path) as s:
        for i in range(150):
            text = f"Zeppelin zeppelin zeppelin report {i}."
            s.add_article(Article(article_id(text), f"big{i}", None, f"Zeppelin {i}", "Big Wire", (),
                                  f"2026-0{1 + i % 3}-10", "en", text))
        for i in range(30):
            text = f"{filler} note {i} zeppelin."
            s.add_article(Article(article_id(text), f"small{i}", None, f"Note {i}", "Small Post", (),
                                  None if i % 5 == 0 else "2026-02-20", None if i % 3 == 0 else "de", text))
    return path
