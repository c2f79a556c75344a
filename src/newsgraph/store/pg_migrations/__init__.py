"""Numbered SQL migrations for the PostgreSQL store (``NNNN_name.sql``), applied in order by
``store.postgres_migrations``; package data, loaded with ``importlib.resources``.

Their numbers are the PostgreSQL store's own: 0001 is the whole schema of SQLite's version 13.
A later change to the store's schema adds a file here as well as one under ``migrations/``.
"""
