"""Speaker resolution within one article: "He", "the president", "Putin" -> "Vladimir Putin".

The ``newsgraph_speakers`` component runs after ``newsgraph_attributions`` and
fills ``source_entity`` / ``via_entity`` of every dict in ``doc._.attributions``
with the canonical name of the entity the ``source`` / ``via`` span refers to,
or None. The same machinery is exposed as :func:`resolve_mentions` (char spans
-> canonical names) and :func:`entity_clusters` (the article's entities).

All of it is one :class:`~newsgraph.analyze.doc_analysis.DocAnalysis` per
document, built once by the first component that needs it and stored as
``doc._.analysis`` (``doc_analysis.analysis_of``); ``newsgraph_entities`` and
``newsgraph_events`` read the same object. Its stages, one module each:

- ``speaker_mentions.py``: sentences and subjects; NER mentions, trimmed,
  title-stripped and retyped; names NER missed after a role (1 below);
- ``speaker_clusters.py``: clusters (merging persons, organisations,
  countries) and canonical names (1);
- ``speaker_roles.py``: role phrases, holdings and their qualifiers, genders
  from titles and first names (2, 3);
- ``speaker_resolution.py``: the resolution pass: spans, pronouns, role
  nouns, first person (2, 3);
- ``speaker_lexicon.py``: the role lexicon, the country table, first-name
  genders and the word classes (pronouns, determiners...).

Design (everything is article-local, rule-based and linear in the number of
mentions; data lives in ``analyze/data/roles_en.tsv`` and ``countries_en.tsv``):

1. **Clusters** from ``doc.ents`` of type PERSON, ORG, GPE, NORP.
   Mention text is trimmed (leading "the", trailing "'s"/punctuation) and, for
   persons, title-stripped ("President Vladimir Putin" -> "Vladimir Putin").
   NER slips are fixed by majority vote over identical strings; a one-word
   ORG/NORP/GPE mention equal to the surname of a multi-word PERSON becomes that
   PERSON ("Lavrov" typed ORG next to "Sergei Lavrov"; never a country name);
   an ORG that is a titled name becomes a PERSON ("Chancellor Olaf Scholz",
   "the German chancellor, Olaf Scholz,"); an ORG that is only a title is
   dropped ("Minister of Industry and Trade"); 2-4 capitalised proper nouns
   right after a person role are a PERSON even when NER missed them
   ("Political scientist Vesna Kral"). Persons merge when one
   name is a word-suffix of the other or they share first and last word
   ("Putin", "Vladimir V. Putin" -> "Vladimir Putin"); an ambiguous surname
   goes to the holder mentioned most recently before it. Organisations merge
   acronym <-> expansion ("AFP" <-> "Agence France-Presse") and
   country-prefixed forms ("Foreign Ministry" <-> "Russian Foreign Ministry").
   Countries merge through the alias table ("US", "the United States" ->
   "United States"). Canonical = the longest name without titles (persons:
   most words, then most characters; others: most characters).
   Matching is case- and accent-insensitive.
2. **Roles.** A person-role phrase (lexicon) right before a name, or in an
   appositive after it, is recorded as a holding of that person together with
   its qualifiers: countries ("Hungarian Prime Minister Viktor Orban",
   "US Secretary of State Anthony Blinken", "Russia's", "of France"),
   organisations ("Kremlin spokesman Dmitry Peskov") and modifiers that change
   the role ("deputy", "former"). "his Russian counterpart Sergei Lavrov" gives
   Lavrov "counterpart" and the possessor's roles re-qualified as Russian.
   A role mention ("the president", "The Russian President", "the minister")
   resolves to a holder of that role or of a more specific one (lexicon
   parents: "foreign minister" is a "minister"). Qualifiers must agree:
   holders with the same qualifier first, then holders with no known
   qualifier ("President Vladimir Putin" answers "the Russian president");
   holders qualified otherwise never. Among equals: mentioned before the
   span, then salience (mentions so far, +2 if mentioned in the last two
   sentences), then recency. A qualified mention resolved to an unqualified
   holder teaches the holder's country ("the Russian president" -> Putin, so
   "the German president" is then not Putin). Honorifics and military ranks
   (Mr, Mrs, Dr, Colonel...) are skipped between title and name. Plural roles
   ("foreign ministers") and roles nobody holds in the article stay None.
   Organisation nouns ("the ministry", "the authorities", "US authorities"):
   an ORG entity of the article whose name contains the noun (most recent);
   else, with a country qualifier, the group name "<adjective> <noun>" built
   from the country table's adjective, so "US authorities", "U.S. authorities"
   and "American authorities" are all **"US authorities"** and "the Russian
   authorities" / "Russia's authorities" are "Russian authorities"; else an
   unqualified noun reuses the most recent qualified group with the same noun
   within 10 sentences ("the authorities" after "Russian authorities"); else None.
3. **Pronouns** (agreement in gender, number and animacy). he/him/his/himself,
   she/her/hers/herself -> a PERSON, tried in order: the subject of the same
   sentence when it precedes the pronoun; the previous resolved span (= the
   previous statement's speaker) within 3 sentences; the subjects of the 3
   previous sentences; the most recent person mention within 5 sentences.
   Gender evidence: honorifics and gendered role nouns (king, spokeswoman),
   pronouns already resolved to the person, and then (``name_genders``) the
   first word of a multi-word name looked up in the World Gender Name
   Dictionary (``speaker_lexicon.first_name_gender``: "m"/"f" only when >= 90%
   of its bearers have that gender; ambiguous or unknown names, a lone word
   that may be a surname, and forms that disagree give no evidence). A known
   gender must agree, so "she" never goes to a known man, and he/she never to
   an organisation, a country or a person-typed name with digits ("Bill C-74").
   **Same-gender scene:** when the antecedent was found only as an earlier
   sentence's subject or a recent mention (no statement of theirs in the last
   3 sentences) and another person whose gender fits (known and equal) was
   mentioned in those sentences, the pronoun stays unresolved (None): an
   honest "unresolved" beats a wrong name. they/them/their/it/its -> an
   organisation, country or group (never a person), from the subject of the
   same sentence, the previous speaker or the previous sentences' subjects,
   and never inside quotation marks (a quoted "they" is rarely a tracked
   speaker). I/me/my/we/us/our resolve to the speaker of the attribution whose
   content contains them (when ``doc._.attributions`` is set), else None.
   ``resolve(..., pronouns=True)`` also resolves every other third-person and
   relative pronoun, "quietly": those add no salience and teach no gender,
   and an extra it/its/they counts only when bound by the subject of its own
   or the previous sentence with no other entity of that type mentioned in
   between (``Resolution._bound_group``). The speakers and entities
   components share one such pass (``DocAnalysis.resolve_attributions``: the
   attributions' sources and vias plus every pronoun), so a pronoun source
   is a mention of the entity its attribution names. Each pass learns
   (genders, countries of holders) on its own copies, so passes over one
   analysis (that one, the events' pronouns, ``resolve_mentions``) never
   change each other.
4. Bylines and credits are not special-cased: the cleaned text no longer has
   them, so their names never enter the clusters.

A span resolves by its syntactic head: a PERSON entity inside the span that is
not a possessive ("Kremlin spokesman Dmitry Peskov" -> Peskov, but
"Putin's spokesman" is not Putin) wins; else the entity containing the head;
else an untagged one-word acronym (its expansion in the article, else itself:
"ECOWAS said"); else an untagged capitalised word that is the first or last
name of a person of the article ("Price said" after "Ned Price"); else
pronoun, then role rules; anything else is None.

Cost: one pass over the tokens (lower-cased forms via ``doc.to_array``) plus
work per entity / role / pronoun mention, built once per document; then one
resolution pass per consumer (``bench/analysis_speed.py`` has the figures).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc

from newsgraph.analyze.confidence import calibrate
from newsgraph.analyze.doc_analysis import DocAnalysis, analysis_of
from newsgraph.analyze.extensions import register_extensions
from newsgraph.analyze.speaker_clusters import Cluster

__all__ = ["Cluster", "DocAnalysis", "SpeakerResolver", "analysis_of", "entity_clusters", "resolve_mentions"]


def entity_clusters(doc: Doc) -> list[Cluster]:
    """The article's PERSON / ORG / GPE / NORP entities, merged (see module docstring)."""
    return analysis_of(doc).entity_clusters()


def resolve_mentions(doc: Doc, spans: Iterable[tuple[int, int]]) -> list[str | None]:
    """Canonical entity names for character spans of ``doc`` (None when unresolved).

    One value per span, in order. Spans are resolved together, in text order,
    so a pronoun can lean on the span before it (the previous speaker).
    """
    return analysis_of(doc).resolve_names(spans)


class SpeakerResolver:
    """spaCy component: fills ``source_entity`` / ``via_entity`` in ``doc._.attributions``.

    Stateless and thread-safe: the document's analysis lives on the Doc
    (``doc._.analysis``, built here when the Doc has attributions and no
    analysis yet); the instance holds only its name, and the role lexicon and
    country table are read-only once loaded.
    """

    def __init__(self, *, name: str = "newsgraph_speakers", nlp: Any = None) -> None:
        register_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        atts = doc._.attributions
        if not atts:
            return doc
        for a in atts:
            a["source_entity"] = a["via_entity"] = None
        an = analysis_of(doc)
        names, _ = an.resolve_attributions()
        for (j, key, _), name in zip(an.attribution_spans(), names, strict=True):
            atts[j][f"{key}_entity"] = name
        calibrate(atts, an.text)  # confidence: a probability, now that the sources are resolved
        return doc
