"""The ``newsgraph`` command line: a thin layer over ingest, extract and the store.

Exit codes: 0 all good, 1 some items failed, 2 usage error (click's own).
Human-readable tables by default; ``--json`` for machines (one JSON object
per line for item streams, one JSON document otherwise). Errors for a whole
command (a missing store, a bad query) become a one-line message on stderr, in
one place: the command group's ``invoke`` (``_Commands``), not in each command.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from newsgraph.config import Settings, default_db_path, load_settings
from newsgraph.errors import NewsgraphError, StoreError
from newsgraph.store import DEFAULT_QUOTE_KINDS, QUOTE_KINDS, describe_published, redacted
from newsgraph.types import AnalysisStatus, Article, Failure

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class Context:
    def __init__(self, db: str, settings: Settings) -> None:
        self.db = db
        self.shown = redacted(db)  # the store as messages name it: a URL's password left out
        self.settings = settings

    @contextmanager
    def store(self, *, create: bool = False, write: bool = False) -> Iterator[Any]:
        """The store at ``--db``. Only ``ingest`` creates one (``create``): every other command
        refuses a missing store (``store.cant_open``, exit 1), as ``serve`` does, so a mistyped
        ``--db`` never leaves an empty store behind. Reads open it read-only; ``write`` (the
        corrections, ``analyze --store``) read-write."""
        from newsgraph.store import open_store

        timeout = self.settings.query_timeout
        try:
            if write and not create:
                open_store(self.db, read_only=True, query_timeout=timeout).close()  # refuses a missing store
            store = open_store(self.db, read_only=not (create or write), query_timeout=timeout)
        except StoreError as exc:
            if exc.code != "store.cant_open":
                raise
            raise StoreError(f"{exc.message} (is --db right?)",
                             code=exc.code) from exc
        try:
            yield store
        finally:
            store.close()


pass_ctx = click.make_pass_decorator(Context)


class _Refused(click.ClickException):
    """A one-line error for a bad argument value that is not a click usage error (exit 2)."""

    exit_code = EXIT_USAGE


#: ``newsgraph --help``'s headings, each with its commands in the order listed.
COMMAND_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Ingest and analyse", ("ingest", "feeds", "watch", "alerts", "analyze", "extract", "runs", "failures")),
    ("Explore", ("articles", "show", "search", "quotes", "entities", "entity", "events", "dyad")),
    ("Corrections", ("merge", "split")),
    ("Export", ("export", "copy")),
    ("Serve", ("serve",)),
)


class _Commands(click.Group):
    """The error boundary of every command: newsgraph's own errors become one line on
    stderr (``Error: [code] message``) and an exit code, never a traceback. Bad output
    paths exit 2 (the user named a wrong file); anything else newsgraph reports exits 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """In the order of ``COMMAND_GROUPS``, then any other command by name."""
        known = [name for _, names in COMMAND_GROUPS for name in names if name in self.commands]
        return known + sorted(set(self.commands) - set(known))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """``newsgraph --help`` lists the commands under the headings of ``COMMAND_GROUPS``."""
        names = self.list_commands(ctx)
        others = tuple(n for n in names if all(n not in group for _, group in COMMAND_GROUPS))
        widest = max((len(n) for n in names), default=0)  # one column width under every heading
        for title, group in (*COMMAND_GROUPS, ("Other commands", others)):
            rows = [(n.ljust(widest), self.commands[n].get_short_help_str(formatter.width - 6 - widest))
                    for n in group if n in self.commands]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        from newsgraph.errors import OutputError

        try:
            return super().invoke(ctx)
        except OutputError as exc:
            raise _Refused(str(exc)) from exc
        except NewsgraphError as exc:
            raise click.ClickException(str(exc)) from exc


def _example(command: str) -> str:
    """A command's ``--help`` epilog: one example line, kept whole (click's ``\\b``)."""
    return f"\b\nExample: {command}"


def _emit_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _console() -> Any:
    from rich.console import Console

    return Console()


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=_example("newsgraph ingest examples/ && newsgraph search Meridan"))
@click.option("--db", envvar="NEWSGRAPH_DB", default=None, metavar="PATH|URL",
              help="Store to use: a SQLite path or sqlite:///PATH, or postgresql://USER@HOST/DB "
                   "(default ./newsgraph.db, or $NEWSGRAPH_DB).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Settings TOML file (a [newsgraph] table).")
@click.version_option(package_name="newsgraph")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_path: str | None) -> None:
    """newsgraph: raw news in; clean articles, who said what, and who did what to whom out.

    Every command has its own --help, with an example.
    """
    try:
        settings = load_settings(config_path)
    except (ValueError, OSError) as exc:
        raise click.UsageError(f"bad settings file: {exc}") from exc
    ctx.obj = Context(db or default_db_path(), settings)


def _fetch_options(f: Any) -> Any:
    f = click.option("--allow-private", is_flag=True, default=None,
                     help="Allow fetching from private and loopback addresses.")(f)
    f = click.option("--delay", type=click.FloatRange(min=0), default=None,
                     help="Seconds between two requests to the same host (politeness).")(f)
    f = click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
                     help="Per-request timeout in seconds.")(f)
    f = click.option("--ignore-robots", is_flag=True, default=False,
                     help="Do not consult robots.txt (only for sites you own).")(f)
    return f


def _workers_option(f: Any) -> Any:
    return click.option("--workers", type=click.IntRange(min=1), default=None,
                        help="Extraction processes for batches (default: up to 2; "
                             "$NEWSGRAPH_WORKERS). Output order is input order.")(f)


def _settings_from(obj: Context, allow_private: bool | None, delay: float | None,
                   timeout: float | None, ignore_robots: bool) -> Settings:
    return obj.settings.replace(
        allow_private=allow_private, politeness_delay=delay, timeout=timeout,
        respect_robots=False if ignore_robots else None,
    )


def _stdin_if_needed(sources: tuple[str, ...]) -> Any:
    return sys.stdin.buffer if "-" in sources else None


def _failure_line(f: Failure) -> str:
    return f"{f.source}: [{f.code}] {f.message}"


# --------------------------------------------------------------------------- ingest


@cli.command(epilog=_example("newsgraph ingest examples/ https://example.org/feed.xml crawl.warc.gz"))
@click.argument("sources", nargs=-1, required=True)
@_fetch_options
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--progress/--no-progress", default=None,
              help="Progress display (default: on when stderr is a terminal).")
@_workers_option
@click.option("--analyze/--no-analyze", default=True, show_default=True,
              help="Find attributions (who said what) while ingesting; --no-analyze stores "
                   "clean articles only, several times faster.")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Extract and analyse on a Dask cluster: tcp://HOST:PORT (a `dask scheduler` whose "
                   "workers have newsgraph installed) or local:N (N worker processes here). "
                   "Needs the cluster extra: pip install 'newsgraph[cluster]'.")
@pass_ctx
def ingest(obj: Context, sources: tuple[str, ...], allow_private: bool | None, delay: float | None,
           timeout: float | None, ignore_robots: bool, as_json: bool, progress: bool | None,
           workers: int | None, analyze: bool, cluster: str | None) -> None:
    """Ingest files, folders, '-' (stdin), URLs, RSS/Atom feeds and WARC files into the store.

    Re-running is safe: sources already stored are skipped, identical texts are
    one article with several sources, and an interrupted run resumes cleanly.
    """
    from newsgraph.ingest import ingest as run_ingest

    settings = _settings_from(obj, allow_private, delay, timeout, ignore_robots)
    show_progress = sys.stderr.isatty() if progress is None else progress
    if cluster and workers:
        raise click.UsageError("--workers is for a local ingest; a cluster's size is its workers'")
    with (_interruptible(), obj.store(create=True) as store,
          _ingest_engine(cluster, analyze, show_progress, obj.db) as (engine, on_item)):
        run = _RunOf(store)
        summary = run_ingest(sources, run, settings, argv=sys.argv[1:], analyze=analyze,
                             stdin=_stdin_if_needed(sources), workers=workers, on_item=on_item, engine=engine)
        failures = store.failures(limit=SUMMARY_FAILURES, run_id=run.run_id) if summary.n_failed else []
    if as_json:
        _emit_json(summary.as_dict() | {"db": obj.shown, "run": run.run_id})
    else:
        _print_summary(summary, obj.shown, run.run_id, failures)
    sys.exit(EXIT_SOME_FAILED if summary.n_failed else EXIT_OK)


@contextmanager
def _ingest_engine(cluster: str | None, analyze: bool, show_progress: bool, db: str) -> Iterator[tuple[Any, Any]]:
    """(engine, on_item): the local pool (engine None) or a Dask cluster (``newsgraph.cluster``; its
    workers write to a PostgreSQL store ``db`` themselves)."""
    if not cluster:
        with _progress(show_progress) as on_item:
            yield None, on_item
        return
    dask_cluster = _cluster_module(cluster)
    with dask_cluster.connect(cluster, analyze=analyze) as client:
        engine = dask_cluster.ClusterEngine(client, store_url=db)
        with _progress(show_progress, engine) as on_item:
            yield engine, on_item


#: Exit codes of a run stopped by a signal, as shells report them (128 + signal number).
EXIT_SIGINT, EXIT_SIGTERM = 130, 143


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGTERM and Ctrl-C stop a long command cleanly: its ``finally`` clauses run (workers
    are stopped, the run is recorded as interrupted), then one line and exit 143 / 130."""
    from newsgraph.ingest import Interrupted, interruptible

    try:
        with interruptible():
            yield
    except Interrupted:
        click.echo("newsgraph: stopped by SIGTERM; the run is recorded as interrupted "
                   "(run the same command again to resume)", err=True)
        sys.exit(EXIT_SIGTERM)
    except KeyboardInterrupt:
        click.echo("newsgraph: interrupted; run the same command again to resume", err=True)
        sys.exit(EXIT_SIGINT)


@contextmanager
def _progress(enabled: bool, engine: Any = None) -> Iterator[Any]:
    """The ingest's progress on stderr (rich), or nothing: items done, failures, items/s; on a cluster
    (``engine``: a ``cluster.ClusterEngine``) also of how many planned, and the ETA once planning is done."""
    if not enabled:
        yield None
        return
    import time

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    where = " on the cluster" if engine is not None else ""
    columns = (SpinnerColumn(), TextColumn(f"ingesting{where}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[failed]} failed · {task.fields[rate]} items/s · ETA {task.fields[eta]}"),
               TimeElapsedColumn())
    started = time.monotonic()
    with Progress(*columns, transient=True, console=_err_console()) as bar:
        task = bar.add_task("ingest", total=None, failed=0, rate="–", eta="–")
        done = failed = 0

        def on_item(result: Any, outcome: str) -> None:
            nonlocal done, failed
            done += 1
            failed += isinstance(result, Failure)
            planned, known = (engine.planned, engine.planning_done) if engine is not None else (done, False)
            rate, eta = _rate_and_eta(done, planned, known, time.monotonic() - started)
            bar.update(task, completed=done, total=max(planned, done) if engine is not None else None,
                       failed=failed, rate=f"{rate:.1f}", eta=eta)

        yield on_item


def _rate_and_eta(done: int, planned: int, planning_done: bool, elapsed: float) -> tuple[float, str]:
    """Items per second so far, and the time left as ``H:MM:SS`` (``–`` while the total is not
    known: a local ingest reads as it goes, a cluster's is known once its input is planned)."""
    rate = done / max(elapsed, 1e-6)
    if not planning_done or rate <= 0:
        return rate, "–"
    s = int(max(planned - done, 0) / rate)
    return rate, f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def _err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


# --------------------------------------------------------------------------- feeds and watch


@cli.group(invoke_without_command=True, epilog=_example("newsgraph feeds add https://example.org/rss.xml"))
@click.option("--json", "as_json", is_flag=True, help="Print the feeds as JSON.")
@click.pass_context
def feeds(ctx: click.Context, as_json: bool) -> None:
    """The feeds `newsgraph watch` follows: with no subcommand, each with its health.

    Health: ok / failing / new, the last success and error (code and reason), articles
    stored per day over the last 7 days, and the median delay from an item's date to its storing.
    """
    if ctx.invoked_subcommand is not None:
        return
    from newsgraph.store import feeds as feedlist

    obj: Context = ctx.obj
    with obj.store() as store:
        rows = feedlist.health(store)
    if as_json:
        _emit_json({"total": len(rows), "feeds": [h.as_dict() for h in rows]})
        return
    if not rows:
        click.echo("no feeds followed; add one with: newsgraph feeds add URL")
        return
    click.echo(f"{len(rows)} feeds")
    for h in rows:
        f = h.feed
        delay = "-" if h.median_delay is None else f"{h.median_delay / 60:.0f} min"
        click.echo(f"{h.status:7}  {h.items_per_day:6.1f}/day  delay {delay:>8}  {f.url}"
                   + (f"  ({f.title})" if f.title else ""))
        if f.last_error_code and f.errors_in_a_row:
            click.echo(f"         {f.errors_in_a_row} failed polls in a row, last [{f.last_error_code}] "
                       f"{f.last_error or ''} at {f.last_error_at}; next try {f.next_poll_at}")


@feeds.command("add", epilog=_example("newsgraph feeds add https://example.org/rss.xml"))
@click.argument("urls", nargs=-1, required=True)
@pass_ctx
def feeds_add(obj: Context, urls: tuple[str, ...]) -> None:
    """Follow feeds (http(s) URLs); creates the store if there is none."""
    from newsgraph.store import feeds as feedlist

    with obj.store(create=True) as store:
        added = feedlist.follow(store, [(u, None) for u in urls])
    for url, new in added:
        click.echo(f"{'following' if new else 'already following'} {url}")


@feeds.command("remove", epilog=_example("newsgraph feeds remove https://example.org/rss.xml"))
@click.argument("urls", nargs=-1, required=True)
@pass_ctx
def feeds_remove(obj: Context, urls: tuple[str, ...]) -> None:
    """Stop following feeds (their articles stay in the store)."""
    from newsgraph.store import feeds as feedlist

    missing = 0
    with obj.store(write=True) as store:
        for url in urls:
            removed = feedlist.unfollow(store, url)
            missing += not removed
            click.echo(f"{'removed' if removed else 'not followed'} {url}")
    sys.exit(EXIT_SOME_FAILED if missing else EXIT_OK)


@feeds.command("import", epilog=_example("newsgraph feeds import subscriptions.opml"))
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@pass_ctx
def feeds_import(obj: Context, path: str) -> None:
    """Follow every feed of an OPML file (or a TOML list: feeds = [...] / [[feed]] url, title)."""
    from pathlib import Path

    from newsgraph.feed_lists import read_feed_list
    from newsgraph.store import feeds as feedlist

    found = read_feed_list(Path(path).read_bytes(), path)
    with obj.store(create=True) as store:
        added = feedlist.follow(store, found)
    n_new = sum(new for _, new in added)
    click.echo(f"{len(added)} feeds in {path}: {n_new} new, {len(added) - n_new} followed already")


@feeds.command("export", epilog=_example("newsgraph feeds export -o subscriptions.opml"))
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the OPML here (default: stdout).")
@pass_ctx
def feeds_export(obj: Context, output: str | None) -> None:
    """The followed feeds as OPML 2.0, for a feed reader or another store."""
    from newsgraph.feed_lists import write_opml
    from newsgraph.store import feeds as feedlist

    with obj.store() as store:
        followed = [(f.url, f.title) for f in feedlist.followed(store)]
    data = write_opml(followed)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from pathlib import Path

        Path(output).write_bytes(data)
        click.echo(f"{_n(len(followed), 'feed')} written to {output} (OPML 2.0)", err=True)


@cli.group(invoke_without_command=True, epilog=_example('newsgraph alerts add threats --type THREATEN --actor Ostrovia'))
@click.option("--json", "as_json", is_flag=True, help="Print the alerts as JSON.")
@click.pass_context
def alerts(ctx: click.Context, as_json: bool) -> None:
    """Saved searches over what is stored next: with no subcommand, each alert and its filters.

    Each new article, quote or event that matches an alert is one hit, recorded once;
    `newsgraph watch` checks after every poll, `alerts check` after an ingest.
    """
    if ctx.invoked_subcommand is not None:
        return
    from newsgraph.store import alerts as saved

    obj: Context = ctx.obj
    with obj.store() as store:
        rows = saved.listed(store)
    if as_json:
        _emit_json({"total": len(rows), "alerts": [r._asdict() | {"filters": json.loads(r.filters)} for r in rows]})
        return
    if not rows:
        click.echo("no alerts; add one with: newsgraph alerts add NAME --query WORDS")
    for r in rows:
        click.echo(f"{r.name}  {r.filters}")


@alerts.command("add", epilog=_example('newsgraph alerts add threats --type THREATEN --actor Ostrovia'))
@click.argument("name")
@click.option("--query", default=None, help="Full-text query, as `newsgraph search` takes it.")
@click.option("--speaker", default=None, help="Quotes by this speaker (an actor's aliases match).")
@click.option("--about", default=None, help="Quotes whose words include all of these.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, help="Quotes at least this sure.")
@click.option("--actor", default=None, help="Events by this actor.")
@click.option("--target", default=None, help="Events with this target (with --actor: a dyad).")
@click.option("--type", "event_type", default=None, help="Events of this type (THREATEN, CONSULT ...).")
@click.option("--outlet", default=None, help="Only from this outlet.")
@click.option("--language", default=None, help="Only in this language (en, de ...).")
@click.option("--story", metavar="ID", default=None,
              help="This article's story picked up by another outlet (an id or its first digits).")
@click.option("--webhook", metavar="URL", default=None,
              help="POST each hit here as JSON, signed (X-Newsgraph-Signature: sha256=HMAC of the body).")
@click.option("--secret", default=None, help="The webhook's HMAC key (default: a random one, printed).")
@pass_ctx
def alerts_add(obj: Context, name: str, webhook: str | None, secret: str | None, **filters: Any) -> None:
    """Save an alert: what it matches from now on is recorded as its hits."""
    from newsgraph.store import alerts as saved

    with obj.store(write=True) as store:
        added = saved.add(store, name, saved.AlertFilters(**filters), webhook=webhook, secret=secret)
        record = saved.alert(store, name)
    if not added:
        raise _Refused(f"an alert named {name!r} exists; remove it first")
    click.echo(f"alert {name} saved")
    if record.webhook:
        click.echo(f"webhook {record.webhook}, signing secret {record.secret}")


@alerts.command("show", epilog=_example("newsgraph alerts show threats --limit 20"))
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@pass_ctx
def alerts_show(obj: Context, name: str, limit: int, as_json: bool) -> None:
    """An alert's hits, newest first."""
    from newsgraph.store import alerts as saved

    with obj.store() as store:
        alert, found = saved.hits(store, name, limit=limit)
    if as_json:
        _emit_json({"alert": alert._asdict() | {"filters": json.loads(alert.filters)},
                    "hits": [h._asdict() for h in found]})
        return
    click.echo(f"{alert.name}  {alert.filters}: {len(found)} hits shown")
    for h in found:
        sent = f"  webhook {h.delivery} after {h.attempts} tries" if h.delivery else ""
        error = f" ({h.last_error})" if h.delivery != "delivered" and h.last_error else ""
        click.echo(f"{h.created_at}  {h.kind:11}  {h.ref}{sent}{error}")


@alerts.command("remove", epilog=_example("newsgraph alerts remove threats"))
@click.argument("name")
@pass_ctx
def alerts_remove(obj: Context, name: str) -> None:
    """Delete an alert and its hits."""
    from newsgraph.store import alerts as saved

    with obj.store(write=True) as store:
        removed = saved.remove(store, name)
    click.echo(f"{'removed' if removed else 'no alert named'} {name}")
    sys.exit(EXIT_OK if removed else EXIT_SOME_FAILED)


@alerts.command("check", epilog=_example("newsgraph alerts check"))
@click.option("--allow-private", is_flag=True, default=None,
              help="Allow webhooks on private and loopback addresses.")
@pass_ctx
def alerts_check(obj: Context, allow_private: bool | None) -> None:
    """Look for hits among the articles stored since each alert last looked (after an ingest),
    and send the webhook POSTs that are due."""
    from newsgraph.alert_delivery import deliver_due
    from newsgraph.store import alerts as saved

    with obj.store(write=True) as store:
        n = saved.check(store)
        sent = deliver_due(store, obj.settings.replace(allow_private=allow_private))
    click.echo(f"{n} new hits; webhooks: {sent.delivered} delivered, {sent.retrying} to retry, "
               f"{sent.failed} failed")


@cli.command(epilog=_example("newsgraph watch --interval 600"))
@click.option("--interval", type=click.FloatRange(min=0), default=None,
              help="Shortest time between two polls of one feed, in seconds (default 900); a feed "
                   "asking for longer (Cache-Control, Expires, RSS <ttl>, up to 6 h) is polled less often.")
@click.option("--max-backoff", type=click.FloatRange(min=0), default=None,
              help="Longest wait after failed polls, in seconds (default 6 h); the wait doubles "
                   "from twice the interval.")
@click.option("--once", is_flag=True, help="Poll each feed that is due once, then exit.")
@_fetch_options
@_workers_option
@click.option("--analyze/--no-analyze", default=True, show_default=True,
              help="Find attributions, entities and events in each new article, as ingest does.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary at the end as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="One line per poll and per new item on stderr.")
@click.option("--cluster", metavar="ADDRESS", default=None,
              help="Extract and analyse new items on a Dask cluster (tcp://HOST:PORT or local:N, as "
                   "ingest --cluster), joined once for the watcher's life; fetching and storing stay here.")
@pass_ctx
def watch(obj: Context, interval: float | None, max_backoff: float | None, once: bool,
          allow_private: bool | None, delay: float | None, timeout: float | None, ignore_robots: bool,
          workers: int | None, analyze: bool, as_json: bool, verbose: bool, cluster: str | None) -> None:
    """Follow the feeds of `newsgraph feeds`, ingesting and analysing every new item.

    Each feed is polled on its own schedule with conditional requests (ETag,
    Last-Modified), newest items first, with per-host politeness and robots.txt as
    ingest; failing feeds back off exponentially. SIGTERM or Ctrl-C stop it between
    items; run it again to resume (nothing is fetched twice).
    """
    from newsgraph.watch import Watcher

    settings = _settings_from(obj, allow_private, delay, timeout, ignore_robots)
    if cluster and workers:
        raise click.UsageError("--workers is for local workers; a cluster's size is its workers'")
    on_item = on_poll = None
    if verbose:
        def on_item(result: Any, outcome: str) -> None:
            click.echo(f"  {outcome}: {result.source}", err=True)

        def on_poll(feed: Any) -> None:
            state = f"[{feed.last_error_code}] {feed.last_error}" if feed.errors_in_a_row else "ok"
            click.echo(f"polled {feed.url}: {state}; next {feed.next_poll_at}", err=True)

    with obj.store(write=True) as store:
        from newsgraph.store import feeds as feedlist

        n_feeds = len(feedlist.followed(store))
        if not n_feeds:
            raise _Refused("no feeds followed; add some first: newsgraph feeds add URL (or feeds import list.opml)")
        click.echo(f"watching {n_feeds} feeds{' once' if once else ''}; Ctrl-C or SIGTERM stops between items",
                   err=True)
        with _watch_cluster(cluster, analyze) as engine:
            watcher = Watcher(store, settings, analyze=analyze, workers=workers, argv=sys.argv[1:],
                              interval=settings.watch_interval if interval is None else interval,
                              max_backoff=settings.watch_max_backoff if max_backoff is None else max_backoff,
                              on_item=on_item, on_poll=on_poll, cluster=engine)
            summary = watcher.run(once=once)
    if as_json:
        _emit_json(summary.as_dict() | {"db": obj.shown})
    else:
        s = summary.items
        click.echo(f"{summary.polls} polls ({summary.not_modified} not modified, {summary.failed_polls} failed): "
                   f"{s.new} new articles, {s.new_sources} new sources, {s.n_failed} items failed", err=True)


def _cluster_module(address: str) -> Any:
    """``newsgraph.cluster``, once ``--cluster ADDRESS`` is known to be usable (Dask installed, the
    address well formed); a clear CLI error otherwise."""
    try:
        from newsgraph import cluster as dask_cluster
    except ImportError as exc:
        raise click.ClickException(f"--cluster needs Dask: pip install 'newsgraph[cluster]' ({exc})") from exc
    try:
        dask_cluster.parse_address(address)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--cluster") from exc
    return dask_cluster


@contextmanager
def _watch_cluster(cluster: str | None, analyze: bool) -> Iterator[Any]:
    """The watcher's ``ClusterEngine`` (its results written by the watcher), or None: local workers."""
    if not cluster:
        yield None
        return
    dask_cluster = _cluster_module(cluster)
    with _interruptible(), dask_cluster.connect(cluster, analyze=analyze) as client:
        yield dask_cluster.ClusterEngine(client)


#: Failures an ingest summary lists (this run's; ``newsgraph failures`` has them all).
SUMMARY_FAILURES = 10


class _RunOf:
    """The store, remembering the id of the ingest run started through it (``run_id``), so the
    summary lists this run's failures only."""

    def __init__(self, store: Any) -> None:
        self._store, self.run_id = store, None

    def start_run(self, argv: list[str]) -> int:
        self.run_id = self._store.start_run(argv)
        return int(self.run_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def _print_summary(summary: Any, db: str, run_id: int | None, failures: list[Any]) -> None:
    """The ingest summary on stderr: lines never wrapped whatever the terminal's width (a long
    line runs on), this run's failures, and where the rest are (``newsgraph failures``)."""
    from rich.markup import escape

    err = _err_console()

    def say(line: str) -> None:
        err.print(line, soft_wrap=True, highlight=False)

    parts = [f"[bold]{summary.new}[/] ingested", f"{summary.new_sources} new sources of known articles",
             f"{summary.duplicates} duplicates", f"{summary.skipped} already stored"]
    if summary.analysed:
        parts.append(f"{summary.analysed} stored earlier now analysed")
    parts.append(f"[bold red]{summary.n_failed} failed[/]" if summary.n_failed else "0 failed")
    say(", ".join(parts) + f"  → {escape(db)}")
    for code, n in sorted(summary.failed.items()):
        say(f"  {n:>5} × {escape(code)}")
    for f in failures:
        say(f"  [dim]{escape(f'{f.source}: [{f.code}] {f.message}')}[/]")
    if summary.n_failed:
        more = f"{summary.n_failed - len(failures)} more of this run and " if summary.n_failed > len(failures) else ""
        password = "; the password from PGPASSWORD or ~/.pgpass" if _HIDDEN_PASSWORD in db else ""
        say(f"  [dim]{more}every reason: {escape(_command(db, f'failures --run {run_id}'))}; "
            f"earlier runs' failures: {escape(_command(db, 'failures'))}{password}[/]")


_HIDDEN_PASSWORD = ":***@"  # how ``store.redacted`` shows a URL's password


def _command(db: str, args: str) -> str:
    """``newsgraph --db other.db failures``: a command to run next on the store at ``db`` (``db`` as
    messages show it; a hidden password is left out, so the command runs as printed with PGPASSWORD
    or ~/.pgpass rather than failing to authenticate as ``***``)."""
    import shlex

    db = db.replace(_HIDDEN_PASSWORD, "@", 1)
    return "newsgraph " + ("" if db == default_db_path() else f"--db {shlex.quote(db)} ") + args


# --------------------------------------------------------------------------- extract / analyze


def _run_extract(obj: Context, files: tuple[str, ...], as_json: bool, clean: bool,
                 workers: int | None = None, analyze: bool = False, allow_private: bool | None = None,
                 delay: float | None = None, timeout: float | None = None,
                 ignore_robots: bool = False, selection: tuple[tuple[str, ...], float | None] | None = None) -> None:
    from newsgraph.ingest import extract_stream
    from newsgraph.sources import iter_raw

    settings = _settings_from(obj, allow_private, delay, timeout, ignore_robots)
    raw = iter_raw(files, settings, stdin=_stdin_if_needed(files))
    console = None if as_json else _console()
    results = extract_stream(raw, settings, clean=clean, workers=workers, analyze=analyze)
    if selection is not None:
        from newsgraph.views import select_attributions

        kinds, least = selection[0], settings.quote_threshold if selection[1] is None else selection[1]
        results = (r if isinstance(r, Failure) else select_attributions(r, kinds, least) for r in results)
    n_failed = _print_results(results, as_json, console)
    sys.exit(EXIT_SOME_FAILED if n_failed else EXIT_OK)


def _print_results(results: Any, as_json: bool, console: Any) -> int:
    n_failed = 0
    for result in results:
        if isinstance(result, Failure):
            n_failed += 1
            click.echo(_failure_line(result), err=True)
            continue
        if as_json:
            _emit_json(result.as_dict())
        else:
            _print_article(console, result, full=False)
    return n_failed


@cli.command(epilog=_example("newsgraph extract --json examples/danube-wire-valdavia-runoff.txt"))
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input, per line.")
@click.option("--clean/--no-clean", default=True,
              help="--no-clean keeps the decoded input unchanged as 'text'.")
@_workers_option
@_fetch_options
@pass_ctx
def extract(obj: Context, files: tuple[str, ...], as_json: bool, clean: bool, **fetch: Any) -> None:
    """Extract clean articles from FILES (paths, folders, URLs, feeds, WARC, '-'); no store.

    Each object has: source, url, id, title, outlet, authors, published,
    language, text (the clean body, paragraphs separated by blank lines),
    removed (boilerplate taken out, with its kind), entities, attributions,
    events (the last three are filled by `analyze`).
    """
    _run_extract(obj, files, as_json, clean, **fetch)


@cli.command(epilog=_example("newsgraph analyze --json --kind direct examples/danube-wire-valdavia-runoff.txt"))
@click.argument("files", nargs=-1, required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per input, per line.")
@click.option("--clean/--no-clean", default=True,
              help="--no-clean keeps the decoded input unchanged as 'text', so offsets "
                   "can be checked against gold annotations of that file.")
@click.option("--store", "in_store", is_flag=True,
              help="Analyse the articles in the store (--db) that were stored without analysis, "
                   "instead of FILES; resumable.")
@click.option("--all", "all_versions", is_flag=True,
              help="With --store: re-analyse every article not analysed by this version of newsgraph "
                   "(after an upgrade).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(QUOTE_KINDS),
              help="Which attributions to print (repeat to combine; default statement): as for `quotes`; "
                   "--kind all --min-confidence 0 prints every record the finder kept, with its flags.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="X",
              help="The least confidence printed (default: quote_threshold, 0.5).")
@_workers_option
@_fetch_options
@pass_ctx
def analyze(obj: Context, files: tuple[str, ...], as_json: bool, clean: bool, in_store: bool,
            all_versions: bool, kinds: tuple[str, ...], min_confidence: float | None, **fetch: Any) -> None:
    """Extract and analyse FILES; same contract as `extract`, with the analysis filled.

    With --store, analyse stored articles instead (those ingested with
    --no-analyze; with --all, every article analysed by another version), in
    batches, one transaction per article; an interrupted run resumes where it
    stopped.

    attributions: kind (direct, indirect, mixed), source {start, end, text,
    entity}, cue, content {start, end, text[, spans]}, via (the reporting source
    in "X said, according to Y, ..."). entities: id, canonical name, type, every
    mention. events: PLOVER type, trigger, actor, target, negated, modality,
    date, location, and the attribution it was reported in. Every offset
    indexes into 'text'. The model is loaded once per batch. Analysis is
    English-only: other languages get empty analysis lists.
    """
    if in_store:
        if files:
            raise click.UsageError("give FILES or --store, not both")
        _analyse_store(obj, all_versions, as_json, fetch.get("workers"))
        return
    if all_versions:
        raise click.UsageError("--all goes with --store")
    if not files:
        raise click.UsageError("give FILES to analyse (or --store)")
    _run_extract(obj, files, as_json, clean, analyze=True, selection=(kinds or DEFAULT_QUOTE_KINDS, min_confidence),
                 **fetch)


def _analyse_store(obj: Context, all_versions: bool, as_json: bool, workers: int | None) -> None:
    from newsgraph.reanalysis import analyse_stored

    with _interruptible(), obj.store(write=True) as store:
        done = analyse_stored(store, obj.settings, all_versions=all_versions, workers=workers,
                              argv=sys.argv[1:])
    if as_json:
        _emit_json(done.as_dict() | {"db": obj.shown})
    else:
        click.echo(f"{done.analysed} articles analysed, {done.failed} failed (of {done.todo} to do) → {obj.shown}",
                   err=True)
    sys.exit(EXIT_SOME_FAILED if done.failed else EXIT_OK)


# --------------------------------------------------------------------------- read side


@cli.command(epilog=_example("newsgraph articles --language en --since 2026-06-01"))
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--outlet", default=None, help="Only articles from this outlet.")
@click.option("--language", default=None, help="Only articles in this language (ISO 639-1).")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only articles published on or after.")
@click.option("--until", default=None, metavar="YYYY-MM-DD", help="Only articles published on or before.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def articles(obj: Context, limit: int, offset: int, outlet: str | None, language: str | None,
             since: str | None, until: str | None, as_json: bool) -> None:
    """List stored articles, newest first."""
    _check_date(since)
    _check_date(until, "--until")
    filters = {"outlet": outlet, "language": language, "since": since, "until": until}
    with obj.store() as store:
        rows = store.list_articles(limit=limit, offset=offset, **filters)
        total = store.count_articles(**filters)  # the filtered total (issue 16)
        stored = store.count_articles() if any(v is not None for v in filters.values()) else total
    if as_json:
        _emit_json({"total": total, "articles": [_row_dict(r) for r in rows]})
        return
    from rich.table import Table

    of = f" of {stored}" if stored != total else ""
    table = Table(title=f"{total}{of} {'article' if stored == 1 else 'articles'} in {obj.shown}{_page(total, offset, len(rows))}", title_justify="left")
    console = _console()
    fixed = 10 + 10 + 12 + 4 + 16 + 19  # id, published, from, lang, outlet, borders and padding
    table.add_column("id", no_wrap=True)
    table.add_column("published", no_wrap=True)
    table.add_column("from", no_wrap=True)  # the date's evidence and confidence, when recorded
    table.add_column("lang", no_wrap=True)
    table.add_column("outlet", overflow="ellipsis", no_wrap=True, max_width=16)
    table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=max(20, console.width - fixed))
    for r in rows:
        table.add_row(r.id[:10], r.published or "", _date_from(r.published, r.published_source, r.published_confidence),
                      r.language or "", r.outlet or "", r.title or "")
    console.print(table)


def _page(total: int, offset: int, shown: int) -> str:
    """`` (51–100 shown; --offset 100 for the next)``: which of a listing's ``total`` rows a page
    shows, when not all of them (totals are the filtered totals)."""
    if offset == 0 and shown == total:
        return ""
    if not shown:
        return f" (none past --offset {offset})"
    more = f"; --offset {offset + shown} for the next" if offset + shown < total else ""
    first, last = offset + 1, offset + shown
    return f" ({first}{f'–{last}' if last > first else ''} shown{more})"


def _n(n: int, noun: str) -> str:
    """``1 article``, ``2 articles``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _date_from(published: str | None, source: str | None, confidence: float | None) -> str:
    """``json_ld 0.97``: the evidence of a listed date; empty when none was recorded."""
    if not (published and source):
        return ""
    return source if confidence is None else f"{source} {confidence:.2f}"


def _row_dict(row: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(row)


@cli.command(epilog=_example("newsgraph show d99d759e   (an id, or its first digits, from `newsgraph articles`)"))
@click.argument("article_id")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def show(obj: Context, article_id: str, as_json: bool) -> None:
    """Show one article (full id or a unique prefix of at least 4 characters)."""
    with obj.store() as store:
        stored = store.get_article(article_id)
        same = store.same_story(stored.article.id)
    if as_json:
        d = stored.article.as_dict()
        d["sources"] = [_row_dict(s) for s in stored.sources]
        d["added_at"] = stored.added_at
        d["same_story"] = [_row_dict(r) for r in same]
        _emit_json(d)
        return
    console = _console()
    _print_article(console, stored.article, full=True)
    for s in stored.sources:
        console.print(f"[dim]source:[/] {s.source}" + (f"  ({s.url})" if s.url and s.url != s.source else ""),
                      highlight=False)
    for r in same:
        console.print(f"[dim]same story:[/] {r.id[:10]} {r.outlet or ''} · {r.published or ''} · "
                      f"{r.title or '(untitled)'} ({r.similarity:.0%} shared text)", highlight=False)


def _byline_and_dates(a: Article, *, full: bool) -> list[str]:
    """``by Ann Lee, Bo Chan; credit: AP (wire)`` and ``published 2026-03-02 · from JSON-LD,
    confidence 0.97; modified 2026-03-04``; ``full`` (``show``) also says what was not found."""
    credit = "credit: " + ", ".join(f"{name} ({kind})" for kind, name in a.credits) if a.credits else ""
    by = ["by " + ", ".join(a.authors) if a.authors else ("no author found" if full else ""), credit]
    published = describe_published(a.published, a.published_source, a.published_confidence)
    dated = [f"published {published}" if a.published else ("no publication date found" if full else ""),
             f"modified {a.modified}" if a.modified else ""]
    return [line for line in ("; ".join(x for x in by if x), "; ".join(x for x in dated if x)) if line]


def _print_article(console: Any, a: Article, *, full: bool) -> None:
    from rich.markup import escape

    console.print(f"[bold]{escape(a.title or '(no title)')}[/]  [dim]{a.id}[/]")
    meta = [" › ".join(x for x in (a.outlet, a.section) if x), a.language, a.url or a.source]
    console.print("[dim]" + escape(" · ".join(m for m in meta if m)) + "[/]", highlight=False)
    for line in _byline_and_dates(a, full=full):
        console.print(escape(line), highlight=False)
    if full or a.analysis.analysed or a.analysis.code != AnalysisStatus().code:
        st = a.analysis
        colour = "green" if st.analysed else "yellow"
        console.print(f"[{colour}]{escape(st.describe())}[/]"
                      + (f"  [dim]{len(a.attributions)} attributions, {len(a.entities)} entities, "
                         f"{len(a.events)} events[/]" if st.analysed else ""), highlight=False)
    if full:
        console.print()
        console.print(escape(a.text))
        if a.removed:
            console.print(f"\n[dim]removed ({len(a.removed)}):[/]")
            for r in a.removed:
                console.print(f"  [dim]{r.kind:>13}[/] {escape(r.text[:120])}")
    else:
        console.print(escape(a.text[:300] + ("…" if len(a.text) > 300 else "")))
        console.print(f"[dim]{len(a.text)} characters, {len(a.removed)} removed pieces[/]\n")


@cli.command(epilog=_example('newsgraph search \'"joint commission" Meridan\' --facets'))
@click.argument("query")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--outlet", default=None, help="Only articles from this outlet ('(none)': without one).")
@click.option("--language", default=None, help="Only articles in this language (ISO 639-1).")
@click.option("--month", default=None, metavar="YYYY-MM", help="Only articles published that month.")
@click.option("--facets", "with_facets", is_flag=True,
              help="Also count every match by outlet, language and month.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def search(obj: Context, query: str, limit: int, offset: int, outlet: str | None, language: str | None,
           month: str | None, with_facets: bool, as_json: bool) -> None:
    """Full-text search (BM25-ranked, with highlighted snippets).

    QUERY uses SQLite FTS5 syntax ("exact phrase", prefix*, AND/OR/NOT); if it
    does not parse, its words are searched as plain terms. Costly queries are
    refused (at most 32 words, 8 prefix terms, 2 letters before a '*') or stopped
    after `query_timeout` seconds, with store.bad_query / store.too_expensive.
    """
    filters = {"outlet": outlet, "language": language, "month": month}
    with obj.store() as store:
        facets, hits = store.search_page(query, limit=limit, offset=offset, **filters)
    total = facets.matching  # the matches that pass the filters (an estimate past config.SEARCH_BOUND)
    ranked = min(total, facets.counted)  # the newest of them, which the hits are the best of
    head = _search_head(facets, any(filters.values()))
    if as_json:
        _emit_json({"query": query, "total": total, "about": facets.matching_about,
                    "hits": [_row_dict(h) for h in hits]} | ({"facets": _row_dict(facets)} if with_facets else {}))
        return
    if not with_facets:
        facets = None
    if facets is not None:
        _print_facets(facets)
    from rich.markup import escape

    console = _console()
    if not hits:
        console.print(f"no articles match {query!r}")
        return
    console.print(f"{head}{_page(ranked, offset, len(hits))}", highlight=False)
    for h in hits:
        console.print(f"[bold]{escape(h.title or '(no title)')}[/]  [dim]{h.id[:10]} · "
                      f"{escape(h.outlet or '')} · {h.published or ''} · score {h.score:.2f}[/]")
        console.print(_highlight(h.snippet), highlight=False)
        console.print()


def _about_n(x: int, about: bool) -> str:
    return f"about {x:,}" if about else f"{x:,}"


def _search_head(facets: Any, filtered: bool) -> str:
    """How many articles a search found, in the search page's words: past config.SEARCH_BOUND matches
    (``SearchFacets.about``) "about N", and which of them were ranked; with filters, the matches that
    pass them (read with the filters: ``matching``, "about" past the bound too) and the facets' count."""
    n = _about_n
    if not filtered:
        return (f"about {facets.total:,} articles match, the newest {facets.counted:,} ranked and counted"
                if facets.about else f"{_n(facets.total, 'article')} {'matches' if facets.total == 1 else 'match'}")
    ranked = f", the newest {facets.counted:,} ranked" if facets.matching_about else ""
    return (f"{n(facets.matching, facets.matching_about)} {'article matches' if facets.matching == 1 else 'articles match'}"
            f" the filters{ranked} ({n(facets.total, facets.about)} without them)")


def _print_facets(facets: Any) -> None:
    console = _err_console()
    counted = f"; the facets count the newest {facets.counted:,}" if facets.about else ""
    console.print(f"{_about_n(facets.matching, facets.matching_about)} of {_about_n(facets.total, facets.about)}"
                  f" matches{counted}", highlight=False)
    for name in ("outlet", "language", "month"):
        counts = ", ".join(f"{c.value} {c.n}" for c in getattr(facets, name)[:12])
        console.print(f"  [dim]{name}:[/] {counts}", highlight=False)


def _highlight(snippet: str) -> Any:
    """Render the store's ``[term]`` snippet markers as bold text."""
    import re

    from rich.text import Text

    snippet = " ".join(snippet.split())
    text = Text("  ")
    pos = 0
    for m in re.finditer(r"\[([^\[\]]+)\]", snippet):
        text.append(snippet[pos:m.start()])
        text.append(m.group(1), style="bold yellow")
        pos = m.end()
    text.append(snippet[pos:])
    return text


def _quote_kinds_help() -> str:
    return ("What to list (repeat to combine): statement = statements whose cue is not negated "
            "(the default); direct, indirect, mixed = such statements of that quote kind; negated = "
            "records of something not said (\"declined to say\"); other = not statements (beliefs, "
            "intentions, findings); all = every attribution.")


@cli.command(epilog=_example("newsgraph quotes --speaker Daukante --about interconnector"))
@click.option("--speaker", default=None, help="Who said it: part of a name (canonical or as written).")
@click.option("--about", default=None, help="Words in what was said (FTS5 syntax; plain words work).")
@click.option("--outlet", default=None, help="Only articles from this outlet.")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Only articles published on or after.")
@click.option("--until", default=None, metavar="YYYY-MM-DD", help="Only articles published on or before.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(QUOTE_KINDS), help=_quote_kinds_help())
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None, metavar="X",
              help="Only attributions whose confidence (the probability that source, cue and content are "
                   "right) is at least X [default: the quote_threshold setting, 0.5].")
@click.option("--all", "show_all", is_flag=True, help="Every attribution: --kind all --min-confidence 0.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def quotes(obj: Context, speaker: str | None, about: str | None, outlet: str | None, since: str | None,
           until: str | None, kinds: tuple[str, ...], min_confidence: float | None, show_all: bool, limit: int,
           offset: int, as_json: bool) -> None:
    """Who said what: stored attributions, newest first, each pointing at its article.

    By default only statements whose cue is not negated and whose confidence is
    at least the quote_threshold setting (0.5) are listed, and a last line says
    how many others the filters match (--all lists them).
    """
    _check_date(since)
    _check_date(until, "--until")
    if show_all and (kinds or min_confidence is not None):
        raise click.UsageError("--all lists every attribution: give it without --kind and --min-confidence")
    kinds = ("all",) if show_all else (kinds or DEFAULT_QUOTE_KINDS)
    least = 0.0 if show_all else (obj.settings.quote_threshold if min_confidence is None else min_confidence)
    f = {"speaker": speaker, "about": about, "outlet": outlet, "since": since, "until": until, "kinds": kinds,
         "min_confidence": least}
    with obj.store() as store:
        rows = store.quotes(**f, limit=limit, offset=offset)
        counts = store.quote_counts(**f)
    if as_json:
        _emit_json({**counts.as_dict(), "kinds": list(kinds), "min_confidence": least,
                    "quotes": [_row_dict(r) for r in rows]})
        return
    from rich.markup import escape

    console = _console()
    if not rows:
        console.print("no attributions match")
    else:
        console.print(f"{_n(counts.shown, 'attribution')}{_page(counts.shown, offset, len(rows))}", highlight=False)
    for r in rows:
        who = r.speaker or "(unattributed)"
        via = f" [dim](via {escape(r.via)})[/]" if r.via else ""
        console.print(f"[bold]{escape(who)}[/] [dim]{escape(r.cue_text or '')}[/]{via}")
        console.print(f"  {escape(r.content_text)}", highlight=False)
        flags = "".join(f" · {x}" for x, on in (("negated", r.negated), ("not a statement", not r.statement)) if on)
        console.print(f"  [dim]{escape(r.title or '')} · {escape(r.outlet or '')} · {r.published or ''} · "
                      f"{r.article_id[:10]} chars {r.content_start}–{r.content_end} · {r.kind} · "
                      f"confidence {r.confidence:.2f}{flags}[/]\n", highlight=False)
    if counts.hidden:
        click.echo(hidden_line(counts, kinds, least) + ": --all to show", err=True)


def hidden_line(counts: Any, kinds: tuple[str, ...], least: float) -> str:
    """``12 hidden (9 below confidence 0.5, 3 not statements or negated)``: what a listing's filters hide."""
    parts = []
    if counts.below_confidence:
        parts.append(f"{counts.below_confidence} below confidence {least:g}")
    if counts.other_kinds:
        what = "not statements or negated" if tuple(kinds) == DEFAULT_QUOTE_KINDS else f"not {'/'.join(kinds)}"
        parts.append(f"{counts.other_kinds} {what}")
    return f"{counts.hidden} hidden (" + ", ".join(parts) + ")"


@cli.command(epilog=_example("newsgraph events --actor Ostrovia --type CONSULT"))
@click.option("--actor", default=None, help="Who did it: part of a name.")
@click.option("--target", default=None, help="To whom: part of a name.")
@click.option("--type", "etype", default=None, help="PLOVER type: CONSULT, THREATEN, REQUEST, ACCUSE …")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Events on or after (the event's date, "
              "else its article's).")
@click.option("--until", default=None, metavar="YYYY-MM-DD", help="Events on or before (same dates).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def events(obj: Context, actor: str | None, target: str | None, etype: str | None, since: str | None,
           until: str | None, limit: int, offset: int, as_json: bool) -> None:
    """Who did what to whom: stored events (PLOVER types), newest first."""
    _check_date(since)
    _check_date(until, "--until")
    with obj.store() as store:
        rows = store.events(actor=actor, target=target, type=etype, since=since, until=until, limit=limit,
                            offset=offset)
        total = store.count_events(actor=actor, target=target, type=etype, since=since, until=until)
    if as_json:
        _emit_json({"total": total, "events": [_row_dict(r) for r in rows]})
        return
    from rich.markup import escape

    console = _console()
    if not rows:
        console.print("no events match")
        return
    console.print(f"{_n(total, 'event')}{_page(total, offset, len(rows))}", highlight=False)
    for r in rows:
        flags = [r.modality] if r.modality != "asserted" else []
        flags += ["negated"] if r.negated else []
        about = f" ({escape(r.object)})" if r.object else ""
        console.print(f"[bold]{r.type}[/] {escape(r.actor or '?')} → {escape(r.target or '?')}{about}  "
                      f"[dim]“{escape(r.trigger)}” {' '.join(flags)} {r.date or ''} "
                      f"{('in ' + escape(r.location)) if r.location else ''}[/]", highlight=False)
        console.print(f"  [dim]{escape(r.title or '')} · {escape(r.outlet or '')} · {r.published or ''} · "
                      f"{r.article_id[:10]} chars {r.trigger_start}–{r.trigger_end}[/]")


@cli.command(epilog=_example('newsgraph dyad Ostrovia "Republic of Meridan" --chart dyad.png'))
@click.argument("a")
@click.argument("b")
@click.option("--chart", "chart", default=None, metavar="FILE",
              help="Write the weekly chart here (.png or .svg; default dyad-A-B.svg).")
@click.option("--no-chart", is_flag=True, help="Only print the table.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def dyad(obj: Context, a: str, b: str, chart: str | None, no_chart: bool, as_json: bool) -> None:
    """Events between actors A and B by week, with a conflict–cooperation score.

    Scale per PLOVER type from -10 (ASSAULT) to +10 (see newsgraph.dyads);
    a week's score is the mean of its events on -10..+10 (negated ones left out), planned and
    conditional ones counting half.
    """
    from newsgraph.dyads import build_dyad, chart_format, format_counts, plot_dyad, totals

    if chart and not no_chart:  # a bad chart path fails before any work, events or not
        from pathlib import Path

        from newsgraph.outputs import check_output

        chart_format(chart)
        check_output(Path(chart), _store_files(obj))
    with obj.store() as store:
        name_a, name_b, ab, ba = store.dyad_tallies(a, b)
    result = build_dyad(name_a, name_b, ab, ba)
    path = None
    if not no_chart and result.weeks:
        import re

        slug = re.sub(r"[^a-z0-9]+", "-", f"{name_a}-{name_b}".lower()).strip("-")
        path = plot_dyad(result, chart or f"dyad-{slug}.svg", protected=_store_files(obj))
    if as_json:
        _emit_json(result.as_dict() | {"chart": str(path) if path else None, "by_type": totals(result)})
        return
    from rich.table import Table

    n_ab, n_ba = sum(t.n for t in ab), sum(t.n for t in ba)
    table = Table(title=f"{name_a} ↔ {name_b}: {n_ab} + {n_ba} events", title_justify="left")
    for col in ("week", f"{name_a} → {name_b}", "score", f"{name_b} → {name_a}", "score"):
        table.add_column(col)

    for w in result.weeks:
        table.add_row(w.week, format_counts(w.counts["ab"]), f"{w.score['ab']:+.1f}", format_counts(w.counts["ba"]),
                      f"{w.score['ba']:+.1f}")
    console = _console()
    console.print(table)
    if result.undated:
        console.print(f"[dim]{result.undated} events without a date are not in the table[/]")
    if path:
        console.print(f"chart: {path}")


def _store_files(obj: Context) -> tuple[str, ...]:
    """The files of the store at ``--db`` (what no output may overwrite), without opening it."""
    from newsgraph.store import store_files

    return store_files(obj.db)


def _check_date(value: str | None, name: str = "--since") -> None:
    if value is None:
        return
    from newsgraph.days import parse_day

    try:
        parse_day(value, name)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None


@cli.command(epilog=_example("newsgraph entities --type PERSON --search daukante"))
@click.option("--type", "etype", default=None, help="PERSON, ORG, GPE, NORP, LOC …")
@click.option("--search", default=None, help="Part of any of the actor's names.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def entities(obj: Context, etype: str | None, search: str | None, limit: int, offset: int,
             as_json: bool) -> None:
    """The actor registry: people, organisations and places across all articles, most covered first."""
    with obj.store() as store:
        rows = store.actors(type=etype, search=search, limit=limit, offset=offset)
        total = store.count_actors(type=etype, search=search)
    if as_json:
        _emit_json({"total": total, "entities": [_row_dict(r) for r in rows]})
        return
    from rich.table import Table

    table = Table(title=f"{_n(total, 'actor')} in {obj.shown}{_page(total, offset, len(rows))}", title_justify="left")
    for col, kw in (("name", {}), ("type", {"no_wrap": True}), ("articles", {"justify": "right"}),
                    ("mentions", {"justify": "right"}), ("also called", {"overflow": "ellipsis"})):
        table.add_column(col, **kw)
    for r in rows:
        others = [a for a in r.aliases if a != r.name]
        table.add_row(r.name, r.type, str(r.n_articles), str(r.n_mentions), "; ".join(others))
    _console().print(table)


@cli.command(epilog=_example('newsgraph entity "Rasa Daukante"'))
@click.argument("name")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def entity(obj: Context, name: str, limit: int, as_json: bool) -> None:
    """One actor: aliases, articles, quotes by and quotes about.

    NAME: the key or any alias, case- and accent-insensitive ("Daukante" finds "Daukantė"); a
    surname finds the one person carrying it. Several matches name them all; none suggests close
    names.
    """
    with obj.store() as store:
        detail = store.actor(name, limit=limit)
    if as_json:
        from dataclasses import asdict

        _emit_json(asdict(detail))
        return
    from rich.markup import escape

    console = _console()
    a = detail.actor
    console.print(f"[bold]{escape(a.name)}[/] [dim]{a.type} · {a.key} · {a.n_articles} articles · "
                  f"{a.n_mentions} mentions[/]")
    if len(a.aliases) > 1:
        console.print("[dim]also called:[/] " + escape("; ".join(x for x in a.aliases if x != a.name)))
    for title, quotes in (("quotes by", detail.quotes_by), ("quotes about", detail.quotes_about)):
        console.print(f"\n[bold]{title}[/] ({len(quotes)})")
        for q in quotes:
            console.print(f"  {escape(q.speaker or '?')} {escape(q.cue_text or '')}: {escape(q.content_text)}",
                          highlight=False)
            console.print(f"    [dim]{escape(q.title or '')} · {q.published or ''} · {q.article_id[:10]}[/]")
    for title, evs in (("events as actor", detail.events_as_actor), ("events as target", detail.events_as_target)):
        console.print(f"\n[bold]{title}[/] ({len(evs)})")
        for ev in evs:
            console.print(f"  {ev.type} {escape(ev.actor or '?')} → {escape(ev.target or '?')} "
                          f"[dim]“{escape(ev.trigger)}” {ev.modality}{' negated' if ev.negated else ''} "
                          f"{ev.date or ev.published or ''} · {ev.article_id[:10]}[/]", highlight=False)
    console.print(f"\n[bold]articles[/] ({len(detail.articles)})")
    for art in detail.articles:
        console.print(f"  {art.published or '':10} {escape(art.title or '')} [dim]· {escape(art.outlet or '')} · "
                      f"as {escape(art.name_here)} ×{art.n_mentions} · {art.id[:10]}[/]")


@cli.command(epilog=_example('newsgraph merge "Republic of Meridan" Meridan'))
@click.argument("a")
@click.argument("b")
@pass_ctx
def merge(obj: Context, a: str, b: str) -> None:
    """Say that B is the same actor as A (kept across re-analysis and future articles)."""
    with obj.store(write=True) as store:
        key = store.merge_actors(a, b)
    click.echo(f"merged {b!r} into {key}")


@cli.command(epilog=_example('newsgraph split "Republic of Meridan" Meridan'))
@click.argument("actor")
@click.argument("alias")
@pass_ctx
def split(obj: Context, actor: str, alias: str) -> None:
    """Say that ALIAS is not ACTOR: it becomes an actor of its own (kept for future articles)."""
    with obj.store(write=True) as store:
        key = store.split_actor(actor, alias)
    click.echo(f"split {alias!r} from {actor!r} into {key}")


@cli.command(epilog=_example("newsgraph export --format parquet -o articles.parquet"))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), required=True)
@click.option("-o", "--output", default="-", metavar="FILE", help="Output file ('-' = stdout).")
@pass_ctx
def export(obj: Context, fmt: str, output: str) -> None:
    """Export every stored article, with its sources and analysis, as JSON Lines, CSV or Parquet.

    jsonl: one JSON object per line, as `extract --json` prints. csv: one row per
    article; lists and the analysis as JSON text. parquet: typed columns: published and
    modified are dates, added_at a timestamp (UTC), and authors, credits, sources,
    entities, attributions and events lists of structs with the JSON form's fields.

    To read the files, install what you use (newsgraph brings pyarrow; pandas,
    DuckDB and Polars are not installed by `make demo`):

    \b
      pip install pandas    pd.read_parquet(F) · pd.read_json(F, lines=True) · pd.read_csv(F)
      pip install duckdb    duckdb.sql("SELECT * FROM 'F'")
      pip install polars    pl.read_parquet(F) · pl.read_ndjson(F)
      pyarrow (installed)   pyarrow.parquet.read_table(F)
    """
    from newsgraph.store.export import export_articles

    if fmt == "parquet" and output == "-":
        raise click.UsageError("parquet needs a file: use -o FILE")
    with obj.store() as store:
        if output == "-":
            n = export_articles(store, fmt, sys.stdout.buffer)  # type: ignore[arg-type]
        else:
            n = export_articles(store, fmt, output)  # type: ignore[arg-type]
    click.echo(f"exported {n} articles as {fmt} to {output}", err=True)


@cli.command("copy", epilog=_example("newsgraph copy newsgraph.db postgresql://newsroom@db.example/newsgraph"))
@click.argument("src", metavar="SRC")
@click.argument("dst", metavar="DST")
@click.option("--batch", type=click.IntRange(min=1), default=None, help="Articles per transaction (default 500).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts and checksums as JSON.")
def copy_command(src: str, dst: str, batch: int | None, as_json: bool) -> None:
    """Copy the whole store SRC into DST (a path or URL each: SQLite <-> PostgreSQL), row for row.

    DST must be empty, or a copy of SRC that was interrupted: run the same command again and
    it goes on where it stopped. Both stores are then counted table by table and their
    articles checksummed (sha256 of ids and texts); exit 1 unless everything agrees.
    """
    from newsgraph.store.copy import BATCH, copy_store

    def progress(n: int) -> None:
        click.echo(f"\r  {n:,} articles copied", nl=False, err=True)

    try:
        res = copy_store(src, dst, batch=batch or BATCH, progress=progress if sys.stderr.isatty() else None)
        if sys.stderr.isatty():
            click.echo("\r\x1b[K", nl=False, err=True)
    except KeyboardInterrupt:
        click.echo("newsgraph: copy interrupted; run the same command again to resume", err=True)
        sys.exit(EXIT_SIGINT)
    if as_json:
        _emit_json({"ok": res.ok, "copied": res.copied, "resumed_after": res.resumed_after,
                    "seconds": round(res.seconds, 3), "copy_seconds": round(res.copy_seconds, 3),
                    "mismatches": res.mismatches,
                    "src": {"url": src, "counts": res.src.counts, "checksum": res.src.checksum},
                    "dst": {"url": dst, "counts": res.dst.counts, "checksum": res.dst.checksum}})
    else:
        width = max(len(t) for t in res.src.counts)
        click.echo(f"{'table'.ljust(width)}  {'source':>12}  {'destination':>12}")
        for table, n in res.src.counts.items():
            click.echo(f"{table.ljust(width)}  {n:>12,}  {res.dst.counts.get(table, 0):>12,}")
        click.echo(f"checksum source      {res.src.checksum}\nchecksum destination {res.dst.checksum}")
        resumed = f", resumed after article seq {res.resumed_after}" if res.resumed_after else ""
        click.echo(f"copied {res.copied:,} articles in {res.copy_seconds:.1f} s{resumed}, verified in "
                   f"{res.seconds - res.copy_seconds:.1f} s: " + ("identical" if res.ok else "MISMATCH"), err=True)
    if not res.ok:
        for line in res.mismatches:
            click.echo(f"Error: [store.copy_mismatch] {line}", err=True)
        sys.exit(EXIT_SOME_FAILED)


@cli.command(epilog=_example("newsgraph failures --run 1"))
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--run", "run_id", type=int, default=None, help="Only this ingest run.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def failures(obj: Context, limit: int, run_id: int | None, as_json: bool) -> None:
    """The ingest log: items that could not be ingested, and why."""
    with obj.store() as store:
        rows = store.failures(limit=limit, run_id=run_id)
    if as_json:
        _emit_json({"failures": [_row_dict(r) for r in rows]})
        return
    from rich.table import Table

    table = Table(title=f"ingest failures in {obj.shown}", title_justify="left")
    for col in ("run", "at", "code", "source", "page", "reason"):
        table.add_column(col, overflow="fold")
    from rich.markup import escape

    for r in rows:
        table.add_row(str(r.run_id), r.at, r.code, *(escape(x) for x in (r.source, _refused_page(r), r.reason)))
    _console().print(table, highlight=False)


def _refused_page(r: Any) -> str:
    """``paywall: 'Title' · 2026-03-01``: what a page refused as not an article was (empty otherwise)."""
    what = [f"{r.title!r}" if r.title else "", r.published or "", r.url if r.url and r.url != r.source else ""]
    found = " · ".join(w for w in what if w)
    if not r.kind:
        return found
    return f"{r.kind}: {found}" if found else r.kind


@cli.command(epilog=_example("newsgraph runs --limit 5"))
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def runs(obj: Context, limit: int, as_json: bool) -> None:
    """Ingest (and analyze --store) runs, newest first: finished, interrupted, or still running."""
    with obj.store() as store:
        rows = store.runs(limit=limit)
    if as_json:
        _emit_json({"runs": [_row_dict(r) for r in rows]})
        return
    from rich.table import Table

    table = Table(title=f"runs in {obj.shown}", title_justify="left")
    for col in ("run", "started", "status", "stored", "failed", "command"):
        table.add_column(col, overflow="fold")
    for r in rows:
        stored = r.counts.get("ingested", 0) + r.counts.get("analysed", 0)
        table.add_row(str(r.id), r.started_at[:19], r.status, str(stored), str(r.n_failures), " ".join(r.argv))
    _console().print(table)


@cli.command(epilog=_example("newsgraph serve --port 8000"))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--allow-ingest", is_flag=True, help="Enable POST /api/ingest (needs --token).")
@click.option("--token", envvar="NEWSGRAPH_TOKEN", default=None, metavar="T",
              help="Bearer token for POST /api/ingest (or $NEWSGRAPH_TOKEN).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes; more than one serves concurrent requests on several cores.")
@pass_ctx
def serve(obj: Context, host: str, port: int, allow_ingest: bool, token: str | None, workers: int) -> None:
    """Serve the store: HTML pages, and a JSON API under /api/ (OpenAPI at /openapi.json).

    Read-only unless --allow-ingest (with a token); binds to 127.0.0.1 by default.
    """
    if allow_ingest and not token:
        raise click.UsageError("--allow-ingest needs --token (or $NEWSGRAPH_TOKEN)")
    if token and not allow_ingest:
        raise click.UsageError("--token is only used with --allow-ingest")
    from newsgraph.serve.app import run

    click.echo(f"newsgraph: serving {obj.shown} at http://{host}:{port}/  (Ctrl-C to stop)", err=True)
    run(obj.db, host=host, port=port, allow_ingest=allow_ingest, token=token, workers=workers,
        settings=obj.settings)


def main() -> None:
    try:
        cli(prog_name="newsgraph")
    except BrokenPipeError:  # `newsgraph quotes | head`: the reader left, nothing more to say
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's final flush is quiet
        except OSError:
            pass
        sys.exit(EXIT_SOME_FAILED)
