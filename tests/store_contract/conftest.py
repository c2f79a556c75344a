"""The store contract: what every backend must do, run against each one.

Every test here goes through ``open_store(url)`` and the ``Store`` protocol only (no SQL, no
backend internals), so it runs unchanged on any backend. ``BACKENDS`` lists them: SQLite today;
the PostgreSQL backend (issue 13) joins with its own ``_new_url`` branch (a fresh database per
test from ``NEWSGRAPH_TEST_PG_URL``, the server the tests start), and every test then runs twice.
Backend-specific tests (SQLite pragmas, FTS5 syntax, migrations from old SQLite schemas) live
beside the backend's own tests (``tests/unit/test_store_sqlite.py`` ...), not here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from newsgraph.store import Store, open_store

#: The backends the contract runs on.
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql")]

_counter = itertools.count()


def _new_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of a new, empty store of ``backend``."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'contract-{next(_counter)}.db'}"
    if backend == "postgresql":  # the server starts with the first test that needs it
        return str(request.getfixturevalue("pg_database")(migrated=True))
    raise pytest.fail(f"no way to make a {backend} store for the contract suite")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], str]:
    """``new_url()`` -> the URL of another new, empty store of the backend under test."""
    return lambda: _new_url(backend, tmp_path, request)


@pytest.fixture
def store_url(new_url: Callable[[], str]) -> str:
    return new_url()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        yield s
