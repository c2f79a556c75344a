"""Shared fixtures. The loopback HTTP server fixtures live in tests/conftest_http.py."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from newsgraph.config import Settings
from newsgraph.ingest import ingest
from newsgraph.store import open_store

pytest_plugins = ["tests.conftest_http", "tests.pg_server"]  # pg_server: a throwaway PostgreSQL

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="session")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the project's examples/ ingested and analysed, built once per session.

    Read it only; use ``examples_db_copy`` for a store a test module may change.
    """
    path = tmp_path_factory.mktemp("examples") / "store.db"
    with open_store(path) as store:
        ingest([str(EXAMPLES)], store, Settings(), workers=1, analyze=True)
    return path


@pytest.fixture(scope="session")
def examples_db_copy(examples_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``examples_db_copy(name)`` -> a fresh copy of the examples store to add to."""

    def copy(name: str) -> Path:
        target = tmp_path_factory.mktemp(name) / "store.db"
        shutil.copyfile(examples_db, target)
        return target

    return copy
