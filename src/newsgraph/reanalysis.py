"""Stored articles -> analysis -> store: ``newsgraph analyze --store``.

Articles stored with ``ingest --no-analyze`` have no attributions, entities or
events; after an upgrade of newsgraph's analysis, older articles carry what the
old version found. ``analyse_stored`` brings them up to date:

* which articles: those never analysed (``articles.analysis`` is NULL), or with
  ``all_versions`` every article whose analysis is not the current
  ``analysis_version()``;
* how: read in batches of ``BATCH`` (keyset pagination, oldest first), analysed
  in worker processes with bounded work in flight (``newsgraph.workers``), and
  each article's analysis replaced in one transaction (``Store.replace_analysis``:
  rows, aggregates and actor counts together);
* resumable: an article is done when its ``analysis`` is the current version,
  so a killed or interrupted run picks up where it stopped, without duplicates;
* one bad article never stops the run: its failure (``analyze.failed``,
  ``extract.crashed``, ``extract.timeout``) is logged in the ingest log of the
  run this records (``argv`` ``["analyze", "--store", ...]``), and it keeps its
  previous analysis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from newsgraph.config import Settings
from newsgraph.errors import NewsgraphError, is_item_error
from newsgraph.sources.gate import one_line
from newsgraph.store import Store
from newsgraph.types import Article, Failure
from newsgraph.workers import map_ordered, settings_workers

#: Articles read from the store at a time.
BATCH = 100


@dataclass(slots=True)
class Reanalysis:
    """What ``analyse_stored`` did."""

    todo: int = 0  # articles that needed analysis when the run started
    analysed: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"todo": self.todo, "analysed": self.analysed, "failed": self.failed}


def _analyse_one(article: Article, max_chars: int) -> Article | Failure:
    """Worker entry point: the analysed article, or the failure of its analysis."""
    from newsgraph.analyze import analyze_article

    source = article.source or article.id
    try:
        return analyze_article(article, max_chars=max_chars)
    except NewsgraphError as exc:
        if not is_item_error(exc):
            raise
        return Failure(source, exc.code, one_line(exc.message))
    except Exception as exc:  # noqa: BLE001 - one article's analysis failed: it keeps the old one
        return Failure(source, "analyze.failed", one_line(f"{type(exc).__name__}: {exc}"))


def _crashed(article: Article, reason: str, kind: str) -> Failure:
    return Failure(article.source or article.id, f"extract.{kind}", one_line(reason))


def _to_analyse(store: Store, current: str | None) -> Iterator[Article]:
    last = 0
    while True:
        batch = store.articles_to_analyse(after_seq=last, limit=BATCH, current=current)
        if not batch:
            return
        for seq, article in batch:
            last = seq
            yield article


def analyse_stored(store: Store, settings: Settings, *, all_versions: bool = False, workers: int | None = None,
                   argv: list[str] | None = None,
                   on_item: Callable[[Article | Failure], None] | None = None) -> Reanalysis:
    """Analyse the stored articles that need it (see the module docstring); returns the counts."""
    from newsgraph.analyze import get_nlp
    from newsgraph.analyze.version import analysis_version

    version = analysis_version()
    current = version if all_versions else None
    done = Reanalysis(todo=store.count_to_analyse(current=current))
    if not done.todo:
        return done
    get_nlp()  # load the model once, here: forked workers share it, and a missing model fails before any run
    run_id = store.start_run(argv or ["analyze", "--store"] + (["--all"] if all_versions else []))
    status = "interrupted"
    try:
        for result in map_ordered(_analyse_one, _to_analyse(store, current), args=(settings.max_analyze_chars,),
                                  crashed=_crashed,
                                  workers=workers if workers is not None else settings_workers(),
                                  timeout=settings.item_timeout):
            if isinstance(result, Failure):
                store.log_failure(run_id, result)
                done.failed += 1
            else:
                store.replace_analysis(result, version)
                done.analysed += 1
            if on_item is not None:
                on_item(result)
        status = "finished"
    finally:
        store.finish_run(run_id, done.as_dict(), status=status)
    return done
