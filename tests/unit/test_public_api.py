"""The package's front door: __all__ is sorted, complete and importable."""

from __future__ import annotations

import newsgraph


def test_all_is_sorted_and_resolves() -> None:
    assert newsgraph.__all__ == sorted(newsgraph.__all__)
    for name in newsgraph.__all__:
        assert hasattr(newsgraph, name), name


def test_public_names_are_exported() -> None:
    public = {n for n in vars(newsgraph) if not n.startswith("_") and not isinstance(
        getattr(newsgraph, n), type(newsgraph))}
    assert public <= set(newsgraph.__all__), public - set(newsgraph.__all__)


def test_extract_and_store_from_the_front_door(tmp_path) -> None:
    from tests.helpers import article_text

    article = newsgraph.extract(newsgraph.RawDocument(source="a.txt", kind="text", data=article_text(1)))
    with newsgraph.open_store(str(tmp_path / "s.db")) as store:
        assert store.add_article(article) == "new"
        assert store.add_article(article) == "duplicate"
        assert store.get_article(article.id[:6]).article == article
