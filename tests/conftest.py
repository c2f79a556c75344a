"""Shared fixtures. The loopback HTTP server fixtures live in tests/conftest_http.py."""

from __future__ import annotations

pytest_plugins = ["tests.conftest_http"]
