"""Numbered SQL migrations for the SQLite store (``NNNN_name.sql``), applied in order.

Package data: loaded with ``importlib.resources``; hatchling ships these files in the wheel.
"""
