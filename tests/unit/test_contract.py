"""The output contract of extract/analyze, and article identity."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.errors import ExtractionRejected
from newsgraph.extract import extract
from newsgraph.ids import article_id
from newsgraph.types import Article, RawDocument

CONTRACT = {"source": (str,), "url": (str, type(None)), "id": (str,), "title": (str, type(None)),
            "outlet": (str, type(None)), "section": (str, type(None)), "authors": (list,), "published": (str, type(None)),
            "published_source": (str, type(None)), "published_confidence": (float, type(None)),
            "modified": (str, type(None)), "credits": (list,),
            "language": (str, type(None)), "page_kind": (str, type(None)), "text": (str,), "headings": (list,), "removed": (list,), "entities": (list,),
            "attributions": (list,), "events": (list,), "analysis": (dict,)}

lines = st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=120),
                 min_size=0, max_size=25)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, st.booleans())
def test_any_text_gives_a_contract_object_or_a_reason(page_lines: list[str], clean: bool) -> None:
    data = "\n\n".join(page_lines)
    raw = RawDocument(source="x.txt", kind="text", data=data)
    try:
        article = extract(raw, clean=clean)
    except ExtractionRejected as exc:
        assert exc.code.startswith("extract.")
        assert exc.message and "\n" not in exc.message
        return
    obj = json.loads(json.dumps(article.as_dict()))
    assert set(obj) == set(CONTRACT)
    for key, types in CONTRACT.items():
        assert isinstance(obj[key], types), key
    assert all(set(r) == {"kind", "text"} for r in obj["removed"])
    assert obj["id"] == article_id(obj["text"])
    assert obj["text"].strip()
    if not clean:
        assert obj["text"] == data
    assert Article.from_dict(obj) == article


@given(st.text(min_size=1))
def test_id_ignores_whitespace_layout_and_case(text: str) -> None:
    relaid = "  " + "\n\n".join(text.split()) + "\n"
    assert article_id(relaid) == article_id(" ".join(text.split()))


def test_id_distinguishes_different_texts() -> None:
    assert article_id("The talks resumed on Monday.") != article_id("The talks resumed on Tuesday.")
    assert article_id("The talks resumed.") == article_id("THE  talks\nresumed.")
    assert len(article_id("x")) == 16
