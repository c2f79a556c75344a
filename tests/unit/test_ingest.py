"""The ingest driver: order, bounded in-flight work, failures passed through."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.config import Settings
from newsgraph.ingest import INLINE_ITEMS, WINDOW_PER_WORKER, Summary, extract_stream
from newsgraph.types import Article, Failure, RawDocument
from tests.helpers import article_text


def _docs(n: int, pulled: list[int]) -> Iterator[RawDocument | Failure]:
    for i in range(n):
        pulled.append(i)
        if i % 10 == 3:
            yield Failure(f"doc-{i}", "input.binary", "binary content")
        elif i % 10 == 7:
            yield RawDocument(source=f"doc-{i}", kind="text", data="Too short.")
        else:
            yield RawDocument(source=f"doc-{i}", kind="text", data=article_text(i))


def test_results_come_back_in_input_order_with_a_pool() -> None:
    pulled: list[int] = []
    n = INLINE_ITEMS + 60
    results = list(extract_stream(_docs(n, pulled), Settings(), workers=2))
    assert [r.source for r in results] == [f"doc-{i}" for i in range(n)]
    for i, r in enumerate(results):
        if i % 10 == 3:
            assert isinstance(r, Failure) and r.code == "input.binary"
        elif i % 10 == 7:
            assert isinstance(r, Failure) and r.code.startswith("extract.")
        else:
            assert isinstance(r, Article) and f"case number {i}" in r.text


def test_input_is_pulled_lazily_with_a_bounded_window() -> None:
    pulled: list[int] = []
    stream = extract_stream(_docs(10_000, pulled), Settings(), workers=2)
    for _ in range(INLINE_ITEMS + 5):
        next(stream)
    # Only a bounded number of items beyond what was consumed has been read.
    assert len(pulled) <= INLINE_ITEMS + 5 + 2 * WINDOW_PER_WORKER + 1
    stream.close()


def test_summary_counts() -> None:
    s = Summary(new=3, new_sources=1, duplicates=2, skipped=4)
    s.failed["input.binary"] += 2
    assert s.n_failed == 2 and s.seen == 12
    assert s.counts()["failed.input.binary"] == 2
    assert s.as_dict()["failed_by_code"] == {"input.binary": 2}


def test_analysis_in_worker_processes_matches_inline() -> None:
    docs = [RawDocument(source=f"doc-{i}", kind="text", data=article_text(i)) for i in range(INLINE_ITEMS + 8)]
    pooled = list(extract_stream(iter(docs), Settings(), workers=2, analyze=True))
    inline = list(extract_stream(iter(docs), Settings(), workers=1, analyze=True))
    assert [a.source for a in pooled] == [a.source for a in inline]
    assert all(isinstance(a, Article) for a in pooled)
    assert [a.attributions for a in pooled] == [a.attributions for a in inline]
    assert [a.entities for a in pooled] == [a.entities for a in inline]
    assert sum(len(a.attributions) for a in pooled[INLINE_ITEMS:]) > 0  # the pooled ones were analysed


def test_a_failed_analysis_is_stored_as_the_articles_status(tmp_path, monkeypatch) -> None:
    import newsgraph.analyze as analyze
    from newsgraph.ingest import ingest
    from newsgraph.store import open_store

    def boom(article, **kw):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(analyze, "analyze_article", boom)
    (tmp_path / "a.txt").write_text(article_text(1), encoding="utf-8")
    (tmp_path / "b.txt").write_text(article_text(2), encoding="utf-8")
    with open_store(tmp_path / "s.db") as store:
        summary = ingest([str(tmp_path / "a.txt")], store, Settings(), workers=1, analyze=True)
        assert summary.failed == {"analyze.failed": 1} and summary.new == 1
        ingest([str(tmp_path / "b.txt")], store, Settings(), workers=1, analyze=False)
        status = {s.sources[0].source.rsplit("/", 1)[-1]: s.article.analysis for s in store.iter_articles()}
    assert status["a.txt"].code == "analyze.failed" and not status["a.txt"].analysed
    assert status["a.txt"].reason == "analysis failed: RuntimeError: parser exploded"
    assert status["b.txt"].code == "analyze.skipped" and "--no-analyze" in status["b.txt"].reason
    assert status["b.txt"].language == "en"


def test_analyze_article_says_why_it_did_not_analyse() -> None:
    from newsgraph.analyze import analyze_article
    from newsgraph.types import AnalysisStatus

    ru = Article("r", "r.txt", None, None, None, (), None, "ru", "Президент заявил, что переговоры продолжатся.")
    got = analyze_article(ru, nlp=object())  # never parsed
    assert got.analysis == AnalysisStatus.skipped("analyze.no_pipeline", "no pipeline for ru", "ru")
    assert got.attributions == () and got.as_dict()["analysis"]["reason"] == "no pipeline for ru"
    empty = Article("e", "e.txt", None, None, None, (), None, None, " \n— … \n")
    assert analyze_article(empty, nlp=object()).analysis.code == "analyze.empty"
    assert Article.from_dict(got.as_dict()) == got
