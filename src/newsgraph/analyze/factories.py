"""The only module that registers spaCy factories (also the entry-point target).

``pyproject.toml`` exposes both factories under ``spacy_factories``, so
``nlp.add_pipe("newsgraph_attributions")`` works in anyone's pipeline once
newsgraph is installed, and a saved pipeline that uses them loads anywhere.
The components they make are stateless, so one pipeline (``get_nlp()``) can
serve several threads at once.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language


@Language.factory(
    "newsgraph_attributions",
    requires=["doc.sents", "token.dep", "token.head"],
    assigns=["doc._.attributions"],
    default_config={"cue_lexicon": "en", "max_sentence_gap": 1, "cut_trailing_participles": True,
                    "cut_final_nonrestrictive": True, "continue_across_paragraphs": True,
                    "generic_that": True, "generic_adjectives": True, "debug": False},
)
def make_attributions(nlp: Language, name: str, cue_lexicon: str, max_sentence_gap: int,
                      cut_trailing_participles: bool, cut_final_nonrestrictive: bool,
                      continue_across_paragraphs: bool, generic_that: bool, generic_adjectives: bool,
                      debug: bool) -> Any:
    """The attribution finder; the switches are documented on ``AttributionFinder``."""
    from newsgraph.analyze.attributions import AttributionFinder

    return AttributionFinder(name=name, nlp=nlp, cue_lexicon=cue_lexicon, max_sentence_gap=max_sentence_gap,
                             cut_trailing_participles=cut_trailing_participles,
                             cut_final_nonrestrictive=cut_final_nonrestrictive,
                             continue_across_paragraphs=continue_across_paragraphs,
                             generic_that=generic_that, generic_adjectives=generic_adjectives, debug=debug)


@Language.factory(
    "newsgraph_speakers",
    requires=["doc.ents", "doc._.attributions"],
    assigns=["doc._.attributions"],
    default_config={},
)
def make_speakers(nlp: Language, name: str) -> Any:
    from newsgraph.analyze.speakers import SpeakerResolver

    return SpeakerResolver(name=name, nlp=nlp)


@Language.factory(
    "newsgraph_entities",
    requires=["doc.ents"],
    assigns=["doc._.entities"],
    default_config={},
)
def make_entities(nlp: Language, name: str) -> Any:
    from newsgraph.analyze.entities import EntityBuilder

    return EntityBuilder(name=name, nlp=nlp)


@Language.factory(
    "newsgraph_events",
    requires=["doc.ents", "doc._.attributions", "doc._.entities"],
    assigns=["doc._.events"],
    default_config={},
)
def make_events(nlp: Language, name: str) -> Any:
    from newsgraph.analyze.events import EventExtractor

    return EventExtractor(name=name, nlp=nlp)
