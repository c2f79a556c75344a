"""One analysis per document: sentences, mentions, clusters, roles and resolution, built once, shared.

:class:`DocAnalysis` is what ``newsgraph_speakers``, ``newsgraph_entities`` and
``newsgraph_events`` know about a Doc's actors. The first of them that needs it
builds it with :func:`analysis_of`, which stores it as ``doc._.analysis``; the
others find it there. The rules are described in ``analyze/speakers.py``; the
stages live in ``speaker_mentions.py`` (sentences, name mentions),
``speaker_clusters.py`` (clusters, canonical names), ``speaker_roles.py`` (role
phrases, holdings) and ``speaker_resolution.py`` (the resolution pass).

Everything the constructor builds is fixed afterwards: a :class:`Resolution`
pass (:meth:`DocAnalysis.resolve`) learns on its own copies of the clusters
and holdings, so every consumer gets the same answer whatever ran before it.
The speakers and entities components share one pass,
:meth:`DocAnalysis.resolve_attributions` (the attributions' sources and vias
plus every pronoun), so an attribution's speaker and the entity that lists
the source span as a mention are the same.

The analysis reads ``doc.ents``, the parse and ``doc.text`` as they are when
it is built; a component that changes ``doc.ents`` afterwards must set
``doc._.analysis = None``. It is a runtime object, not data: ``doc.to_bytes()``
(and so ``nlp.pipe(..., n_process > 1)``) writes None in its place, and the
receiving process builds it again when asked.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

import srsly
from spacy.tokens import Doc

from newsgraph.analyze.entity_credits import credit_spans
from newsgraph.analyze.extensions import register_extensions
from newsgraph.analyze.speaker_clusters import Cluster, build_clusters
from newsgraph.analyze.speaker_lexicon import Lexicon, load_lexicon
from newsgraph.analyze.speaker_mentions import Mention, Sentences, find_mentions
from newsgraph.analyze.speaker_resolution import Resolution, first_person_sources, quote_spans
from newsgraph.analyze.speaker_roles import RoleReader, attach_roles, holder_index, name_genders

__all__ = ["DocAnalysis", "analysis_of"]


class DocAnalysis:
    """The actors of one Doc: every attribute is set here and never changes afterwards.

    Text and sentences:
        ``doc``; ``text`` (``doc.text``, read once); ``lex`` (role lexicon and
        country table); ``lower`` (lower-cased form per token);
        ``sent_starts`` / ``sent_ends`` (token bounds per sentence) and
        ``subjects`` (each sentence's subject token or None), with
        :meth:`sent_of`; ``credits`` (character spans of credit, byline and
        reporting text, ``entity_credits.credit_spans``); ``quotes`` ((open,
        close) token of every quotation), with :meth:`quoted`.
    Mentions and clusters:
        ``mentions`` ((:class:`Mention`, cluster index) in text order);
        ``clusters`` (:class:`Cluster` per entity, with roles and gender as the
        text states them); ``cluster_country`` (the country a GPE / NORP
        cluster is, else None); ``tok_cluster`` (cluster index per token, -1
        outside mentions); ``acronyms`` (initials of an organisation -> its
        cluster); ``org_words`` / ``person_words`` (a word of an organisation's
        name / a first or last word of a multi-word person's name -> clusters);
        ``visible`` (cluster indexes that are entities: not organisations only
        ever inside a person's title, "Secretary of *State*").
    Roles:
        ``holdings`` (:class:`Holding` per cluster); ``holders`` (role phrase
        -> (cluster, holding) of it or a more specific role); ``title_tok``
        (1 for tokens of a person's title); ``phrases`` (a
        :class:`RoleReader` that reads role phrases: ``phrases.parse_np``).
    Resolution:
        :meth:`resolve_attributions` (the document's resolution, shared by the
        speakers and entities components: names of the attributions' sources
        and vias, and the pass that also resolved every pronoun);
        :meth:`resolve` (a pass of one's own, a :class:`Resolution`);
        :meth:`resolve_names` (char spans -> canonical names, first person from
        quotes); :meth:`entity_clusters`.
    """

    __slots__ = ("_passes", "acronyms", "cluster_country", "clusters", "credits", "doc", "holders", "holdings", "lex", "lower",
                 "mentions", "org_words", "person_words", "phrases", "quotes", "sent_ends", "sent_starts",
                 "subjects", "text", "title_tok", "tok_cluster", "visible")

    def __init__(self, doc: Doc, lex: Lexicon | None = None) -> None:
        self.doc = doc
        self.text = doc.text
        self.lex = lex if lex is not None else load_lexicon()
        strings = doc.vocab.strings
        self.lower: list[str] = [strings[h] for h in doc.to_array("LOWER").tolist()] if len(doc) else []
        sents = Sentences(doc)
        self.sent_starts: list[int] = sents.starts
        self.sent_ends: list[int] = sents.ends
        self.subjects: list[int | None] = sents.subjects
        self.credits: list[tuple[int, int]] = credit_spans(self.text)
        self.quotes: list[tuple[int, int]] = quote_spans(self.lower)

        sources = [tuple(a[role]) for a in (doc._.attributions or ()) if a.get("statement", True)
                   for role in ("source", "via") if a.get(role)]
        found = find_mentions(RoleReader(doc, self.lower, self.lex), sents, self.credits, sources)
        table = build_clusters(doc, found, self.lex)
        self.clusters: list[Cluster] = table.clusters
        self.cluster_country: list[str | None] = table.cluster_country
        self.mentions: list[tuple[Mention, int]] = table.mentions
        self.tok_cluster: list[int] = table.tok_cluster
        self.acronyms: dict[str, int] = table.acronyms
        self.org_words: dict[str, list[int]] = table.org_words
        self.person_words: dict[str, list[int]] = table.person_words

        self.phrases = RoleReader(doc, self.lower, self.lex, self.tok_cluster, self.clusters, self.cluster_country)
        self.holdings, self.title_tok = attach_roles(self.phrases, sents, self.mentions, self.clusters)
        self.holders = holder_index(self.holdings, self.lex)
        name_genders(self.mentions, self.clusters)
        self.visible: frozenset[int] = frozenset(
            cid for m, cid in self.mentions if not all(self.title_tok[t] for t in range(m.start, m.end)))
        self._passes: dict[tuple[tuple[int, int], ...], tuple[list[str | None], Resolution]] = {}

    def sent_of(self, i: int) -> int:
        """Index of the sentence holding token ``i``."""
        return max(0, bisect_right(self.sent_starts, i) - 1)

    def quoted(self, i: int) -> bool:
        """Whether token ``i`` lies inside quotation marks."""
        x = bisect_right(self.quotes, (i, 1 << 62)) - 1
        return x >= 0 and self.quotes[x][0] < i < self.quotes[x][1]

    def resolve(self, spans: Sequence[tuple[int, int]] = (), pronouns: bool = False) -> Resolution:
        """One resolution pass over char ``spans`` in text order; ``pronouns``: every third-person pronoun too."""
        return Resolution(self, spans, pronouns)

    def resolve_names(self, spans: Iterable[Any]) -> list[str | None]:
        """Canonical entity names for character spans (None when unresolved), one per span, in order.

        Spans are resolved together, in text order, so a pronoun can lean on the
        span before it (the previous speaker); a first-person span inside an
        attribution's content (``doc._.attributions``) takes its speaker's name.
        """
        spans = [tuple(sp) if isinstance(sp, (list, tuple)) else (None, None) for sp in spans]
        if not spans:
            return []
        return self._names_and_pass(spans, False)[0]  # type: ignore[arg-type]

    def attribution_spans(self) -> list[tuple[int, str, tuple[int, int]]]:
        """(attribution index, "source" | "via", char span) of every source and via of ``doc._.attributions``."""
        atts = (self.doc._.attributions if Doc.has_extension("attributions") else None) or ()
        return [(j, key, (a[key][0], a[key][1])) for j, a in enumerate(atts) for key in ("source", "via")
                if a.get(key)]

    def resolve_attributions(self) -> tuple[list[str | None], Resolution]:
        """The document's resolution: its attributions' sources and vias, and every pronoun, in one pass.

        Returns the name of each span of :meth:`attribution_spans` (in order) and
        the pass; the speakers component names the sources from it and the
        entities component lists its mentions from it, so both agree ("he" is
        a mention of the entity the attribution names). Cached per list of spans.
        """
        spans = [sp for _, _, sp in self.attribution_spans()]
        key = tuple(spans)
        done = self._passes.get(key)
        if done is None:
            done = self._passes[key] = self._names_and_pass(spans, True)
        return done

    def _names_and_pass(self, spans: list[tuple[int, int]], pronouns: bool) -> tuple[list[str | None], Resolution]:
        extra = first_person_sources(self.doc, spans) if spans else {}
        res = self.resolve(list(spans) + list(extra.values()), pronouns)
        out = list(res.names)
        for j, q in enumerate(extra):
            if out[q] is None:
                out[q] = out[len(spans) + j]
        return out[: len(spans)], res

    def entity_clusters(self) -> list[Cluster]:
        """The article's entities: visible clusters after a pass (which learns genders from pronouns)."""
        return self.resolve().visible_clusters()


def analysis_of(doc: Doc) -> DocAnalysis:
    """``doc._.analysis``, built and stored first if the Doc has none yet."""
    register_extensions()
    an = doc._.analysis
    if an is None or an.doc is not doc:
        an = DocAnalysis(doc)
        doc._.analysis = an
    return an


def _encode(obj: Any, chain: Any = None) -> Any:
    """msgpack encoder: a DocAnalysis is written as None (``doc.to_bytes()`` carries ``user_data``)."""
    if isinstance(obj, DocAnalysis):
        return None
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("newsgraph_doc_analysis", func=_encode)
