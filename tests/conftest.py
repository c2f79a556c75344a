"""Shared fixtures. The loopback HTTP server lives in tests/conftest_http.py."""

from __future__ import annotations
