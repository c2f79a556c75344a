"""One analysis per document (analyze/doc_analysis.py): built once, shared, passes independent."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from spacy.tokens import Doc  # noqa: E402

from newsgraph.analyze import doc_analysis  # noqa: E402
from newsgraph.analyze.doc_analysis import DocAnalysis, analysis_of  # noqa: E402
from newsgraph.analyze.entities import build_entities  # noqa: E402
from newsgraph.analyze.speakers import entity_clusters, resolve_mentions  # noqa: E402

ANALYZE = Path(doc_analysis.__file__).parent
SHARED_EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "putin-security-demands.txt"
TEXTS = [
    "Transport Minister Elena Dimova urged both sides to return to the table. She said the government would "
    "not intervene. \"We will not let a few people hold the economy hostage,\" the minister said.",
    "The port authority said in a statement that it regretted the decision. Its director, Nikolai Georgiev, "
    "said that some customers might never come back. Georgiev met Russian President Vladimir Putin on Monday.",
    "Shares rose on Tuesday. Nothing else happened.",  # no attributions: speakers builds nothing
    "",
]


@pytest.fixture(scope="module")
def nlp():
    from newsgraph.analyze import build_nlp

    try:
        return build_nlp()
    except Exception as exc:  # noqa: BLE001  (no model installed)
        pytest.skip(f"no English pipeline: {exc}")


@pytest.fixture(scope="module")
def texts() -> list[str]:
    extra = [SHARED_EXAMPLE.read_text(encoding="utf-8")] if SHARED_EXAMPLE.exists() else []
    return TEXTS + extra


def test_the_full_pipeline_builds_one_analysis_per_document(nlp, texts, monkeypatch) -> None:
    built: list[int] = []
    init = DocAnalysis.__init__

    def counting(self, doc, lex=None):
        built.append(id(doc))
        init(self, doc, lex)

    monkeypatch.setattr(DocAnalysis, "__init__", counting)
    docs = [nlp(t) for t in texts]
    # speakers, entities and events all use the one analysis (an empty doc needs none)
    assert sorted(built) == sorted(id(d) for d in docs if len(d))
    for d in docs:
        if len(d):
            assert isinstance(d._.analysis, DocAnalysis) and d._.analysis.doc is d
            assert analysis_of(d) is d._.analysis
    assert any(a.get("source_entity") for d in docs for a in d._.attributions or ())
    assert len(built) == len([d for d in docs if len(d)])  # asking again builds nothing


def test_passes_over_one_analysis_do_not_change_each_other(nlp, texts) -> None:
    """Each consumer gets what a fresh analysis gives it, whatever ran on the analysis before."""
    text = texts[0]
    doc = nlp(text)
    spans = [(text.index("She"), text.index("She") + 3), (text.index("the minister"), text.index("the minister") + 12)]
    shared = [resolve_mentions(doc, spans), build_entities(doc), [(c.name, c.gender, c.roles)
                                                                  for c in entity_clusters(doc)]]
    again = [resolve_mentions(doc, spans), build_entities(doc), [(c.name, c.gender, c.roles)
                                                                 for c in entity_clusters(doc)]]
    doc._.analysis = None
    fresh = [resolve_mentions(doc, spans), build_entities(doc), [(c.name, c.gender, c.roles)
                                                                 for c in entity_clusters(doc)]]
    assert shared == again == fresh
    assert shared[0] == ["Elena Dimova", "Elena Dimova"]


def test_every_attribute_is_set_by_the_constructor(nlp, texts) -> None:
    an = analysis_of(nlp(texts[1]))
    for name in DocAnalysis.__slots__:
        getattr(an, name)  # raises AttributeError if the constructor left it unset
    res = an.resolve((), pronouns=True)
    for name in type(res).__slots__:
        getattr(res, name)


def test_a_doc_with_its_analysis_still_serialises(nlp, texts) -> None:
    doc = nlp(texts[1])
    assert doc._.analysis is not None
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert back._.analysis is None and back._.attributions == doc._.attributions
    assert analysis_of(back).doc is back


def test_components_use_only_the_public_api_of_other_modules() -> None:
    """speakers, entities and events import no private name of another module."""
    for mod in ("speakers.py", "entities.py", "events.py", "doc_analysis.py"):
        tree = ast.parse((ANALYZE / mod).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("newsgraph"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{mod} imports {private} from {node.module}"
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and node.attr != "_" \
                    and not node.attr.startswith("__"):
                # private attributes only of the module's own objects (self, cls)
                assert isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"), \
                    f"{mod}:{node.lineno} reads {ast.unparse(node)}"


def test_a_pronoun_source_is_a_mention_of_the_entity_its_attribution_names(nlp, texts) -> None:
    """Speakers and entities share one resolution pass (``DocAnalysis.resolve_attributions``)."""
    checked = 0
    for text in texts:
        doc = nlp(text)
        owner = {tuple(m): e["name"] for e in doc._.entities or () for m in e["mentions"]}
        for a in doc._.attributions or ():
            src, name = a.get("source"), a.get("source_entity")
            if src and name and text[src[0]:src[1]].lower() in ("he", "she", "it", "they"):
                assert owner.get((src[0], src[1])) == name, (text[src[0]:src[1]], name)
                checked += 1
    assert checked >= 2
    doc = nlp(texts[0])
    an = doc._.analysis
    assert an.resolve_attributions() is an.resolve_attributions()  # one pass, cached on the analysis
