"""A throwaway PostgreSQL server for the tests, and a fresh database per test.

* ``pg_server`` (session): the base URL of a server the tests may create databases on.
  With ``$NEWSGRAPH_TEST_PG_URL`` set (``postgresql://user@host:port/db``, a role that may
  ``CREATE DATABASE``), that server; otherwise one started here from Debian's binaries
  (the newest ``/usr/lib/postgresql/*/bin``): ``initdb -A trust -E UTF8 --locale=C.UTF-8``
  into a temporary directory, listening on a free 127.0.0.1 port and a private socket,
  ``fsync=off`` (a test server need not survive a power cut), stopped (``pg_ctl -m fast``)
  and deleted when the session ends. The server refuses to run as root, so as root the
  directory belongs to ``postgres`` and ``initdb``/``pg_ctl`` run as that user (``runuser``).
* ``pg_database`` (function): ``pg_database()`` -> the URL of a new, empty database
  (``CREATE DATABASE ... TEMPLATE template0``: 0.06-0.12 s on this machine, dropping 0.01-0.05 s;
  a schema per test would be cheaper to make but cannot test migrations from empty or what a
  database URL means), dropped (``WITH (FORCE)``) after the test; ``pg_database(migrated=True)``:
  a copy of ``pg_template``, a database migrated once a session (the contract suite's stores:
  its PostgreSQL half ran in 78 s migrating each store, 41 s copying the template).
* Without the binaries or psycopg the tests that need a server skip, saying why, except
  under ``CI=true``, where that is a failure: CI installs them (``.ci/run``, ``make test``).
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

PG_BIN_GLOB = "/usr/lib/postgresql"
ENV_URL = "NEWSGRAPH_TEST_PG_URL"
SERVER_OPTIONS = ("-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
                  " -c shared_buffers=64MB")

_names = itertools.count()


def _unavailable(reason: str) -> None:
    """Skip, or fail under ``CI=true`` (no test that needs a real component may skip in CI)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests cannot run under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def pg_bin() -> Path | None:
    """The newest Debian PostgreSQL ``bin`` directory with ``initdb`` and ``pg_ctl``, if any."""
    root = Path(PG_BIN_GLOB)
    if not root.is_dir():
        return None
    found = [d / "bin" for d in root.iterdir() if (d / "bin" / "initdb").exists() and (d / "bin" / "pg_ctl").exists()]
    if not found:
        return None

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) if x.isdigit() else 0 for x in p.parent.name.split("."))

    return max(found, key=version)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(argv: list[str], owner: str | None) -> list[str]:
    """``argv`` run as ``owner`` (root cannot run the server), or as we are."""
    return ["runuser", "-u", owner, "--", *argv] if owner else argv


class LocalServer:
    """A PostgreSQL cluster in a temporary directory, run by ``pg_ctl``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.owner = "postgres" if os.geteuid() == 0 else None
        self.root = Path(tempfile.mkdtemp(prefix="newsgraph-pg-"))
        self.root.chmod(0o755)  # the postgres user must reach the data directory below
        self.data = self.root / "data"
        self.data.mkdir(mode=0o700)
        if self.owner:
            shutil.chown(self.data, self.owner, self.owner)
        self.user = self.owner or "postgres"
        self.port = 0
        self.running = False

    def _run(self, *argv: str) -> None:
        out = subprocess.run(_as_owner([str(self.bindir / argv[0]), *argv[1:]], self.owner), capture_output=True,
                             text=True, timeout=120, cwd=self.root)
        if out.returncode != 0:
            log = self.data / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{argv[0]} failed ({out.returncode}): {out.stderr.strip()} {tail}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        for attempt in range(3):  # a free port can be taken between looking and binding
            self.port = _free_port()
            try:
                self._run("pg_ctl", "-D", str(self.data), "-l", str(self.data / "server.log"), "-w", "-t", "60",
                          "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} {SERVER_OPTIONS}",
                          "start")
                break
            except RuntimeError:
                if attempt == 2:
                    raise
        self.running = True
        atexit.register(self.stop)  # also when the session dies before its teardown

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if self.running:
            self.running = False
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def database_url(base: str, name: str) -> str:
    """``base`` with its database replaced by ``name``."""
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The base URL of the PostgreSQL server the tests use (see the module docstring)."""
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError as exc:
        _unavailable(f"psycopg is not installed ({exc}); pip install -e '.[dev]'")
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    bindir = pg_bin()
    if bindir is None:
        _unavailable(f"no PostgreSQL server binaries under {PG_BIN_GLOB}/*/bin (apt-get install -y postgresql),"
                     f" and ${ENV_URL} is not set")
    server = LocalServer(bindir)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        server.stop()
        _unavailable(f"cannot start a PostgreSQL server from {bindir}: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


def _admin(base: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql)


@pytest.fixture(scope="session")
def pg_template(pg_server: str) -> Iterator[str]:
    """The name of a database holding the store's schema and no rows, made once a session (migrated
    by ``open_store``): new stores are copies of it, so each test does not migrate again."""
    from newsgraph.store import open_store

    name = f"ng_template_{os.getpid()}_{int(time.time() * 1000) % 100000}"
    _admin(pg_server, f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    open_store(database_url(pg_server, name)).close()
    yield name
    try:
        _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception:  # noqa: BLE001
        pass


def _create(base: str, name: str, template: str) -> None:
    """``CREATE DATABASE name TEMPLATE template``, again while the template's last connection is
    still closing ("source database is being accessed by other users")."""
    import psycopg

    for attempt in range(50):
        try:
            _admin(base, f'CREATE DATABASE "{name}" TEMPLATE "{template}" ENCODING \'UTF8\'')
            return
        except psycopg.errors.ObjectInUse:
            if attempt == 49:
                raise
            time.sleep(0.1)


@pytest.fixture
def pg_database(pg_server: str, request: pytest.FixtureRequest) -> Iterator[Callable[..., str]]:
    """``pg_database()`` -> the URL of a new, empty database on the test server; ``pg_database(
    migrated=True)``: one holding the store's schema already (a copy of ``pg_template``, 0.1 s instead
    of ~0.6 s of migrating). Dropped after the test."""
    made: list[str] = []

    def new(*, migrated: bool = False) -> str:
        name = f"ng_test_{os.getpid()}_{next(_names)}_{int(time.time() * 1000) % 100000}"
        _create(pg_server, name, request.getfixturevalue("pg_template") if migrated else "template0")
        made.append(name)
        return database_url(pg_server, name)

    yield new
    for name in made:
        try:
            _admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception:  # noqa: BLE001  (a database left behind is not the test's failure)
            pass
