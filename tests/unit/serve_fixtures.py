"""The ``store`` and ``client`` fixtures the serve tests share; each module supplies its own ``db``."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from newsgraph.serve import create_app
from newsgraph.store.sqlite import SQLiteStore

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette's httpx deprecation notice
    from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def store(db: Path) -> Any:
    """A read view of the module's store, for the expected values."""
    with SQLiteStore(db) as s:
        yield s


@pytest.fixture(scope="module")
def client(db: Path) -> Any:
    """The app over the module's store, in process."""
    with TestClient(create_app(db)) as c:
        yield c
