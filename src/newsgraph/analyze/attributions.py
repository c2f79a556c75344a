"""The attribution finder: who said what, according to whom.

An *attribution* links a **content** (what was said, believed, intended or
found) to a **cue** (the word or phrase that signals it: ``said``,
``according to``, ``wants``, a headline colon) and, when the text names one, a
**source** (the noun phrase as written: ``the president``, ``He``, ``a new
poll``). A reporting chain ("Lavrov said, according to AFP, that ...") keeps
the inner speaker as the source and puts the relay in ``via``; the relay is
*also* reported as its own, outer attribution (source AFP, cue ``according
to``, content the whole reported clause), because both facts are in the text
and the outer one is what annotation schemes such as PolNeAR record.

Roles and the decision procedure (``AttributionFinder.__call__``)
-----------------------------------------------------------------
1. ``find_quotes`` (``attr_quotes.py``): quotations found on characters,
   before and independently of the parse: curly, straight, ``''`` (NYT),
   guillemet and single curly quotes (apostrophes such as ``Russia’s``,
   ``Russians’``, ``don’t``, ``’90s`` never open or close one), nested
   quotes, quotes running over several paragraphs, paragraph-initial dash
   quotes (cut where their reporting clause starts: ``cut_dash_quotes`` in
   ``attr_contents.py``, once the cues are known).
2. ``find_cues`` (``attr_cues.py``): cue candidates from the parse and the cue lexicon
   (``lexicon.py``, ``data/cues_en.tsv``): lexicon verbs with their
   auxiliaries, negation, adjacent adverbs (not wh-words), the verb governing
   a to-infinitive ("has refused to endorse"), particles, a medium phrase
   ("said in a statement"), a weekday ("said Sunday"), a following colon, and
   the preposition when the content is its object ("called for"); verbs
   outside the lexicon that have a subject and a *that*-clause; lexicon
   nouns; ``according to`` (and sentence-initial "In a new poll, ...");
   the headline colon (``Name: statement``). Also outside the lexicon:
   predicative adjectives with a named subject and an attitude preposition
   or a that-clause ("X was bitter about Y", "X is upbeat that Y"); light
   verbs with an attitude noun ("took a swipe at", "made the case for",
   "made (it) clear that"); "as X put it"; framing prepositions ("To X,
   Y", "Y leads in the polls"); hearsay adverbs ("reportedly"); "X issued
   a statement saying Y" (one cue from the governing verb, source X).
3. ``find_contents`` (``attr_contents.py``; the frame table in
   ``attr_frames.py``): quotations are first given to the nearest plausible
   speech verb (``assign_quotes``: same sentence, the ``X said:`` sentence
   before, a short reporting sentence after; same paragraph). Then, for each
   cue, the content by the first frame of its lexicon entry that matches the
   parse: clause complement (ccomp, with an adjacent adverbial clause; "asked
   X if/whether Y"; after the cue in "which he said Y"; a parenthetical cue
   "X, he said, Y" or an as-clause "as the Times reported" takes its host
   clause minus itself), its own quotation (unless it is a fragment inside
   the verb's object: 'warned of a "ferocious" fight'), to-infinitive (xcomp),
   direct object (with "X as Y", "X a liar", "X to do Y" complements and a
   preposition the parser hung on the verb: "challenged X to a debate"),
   object of a preposition, appearance ("X seemed to Y": subject +
   complement, no source); for ``according to`` the clause minus the phrase;
   for the colon, the rest of the line. A complement lying wholly in another
   paragraph (the parse ran over a paragraph break) is refused and the next
   frame tried. The content is cut before a trailing ", according to ...",
   ", as X reported", ", claiming ...", "and added ..." or a closing
   ", which ..." / appositive (also after a dash), kept inside one paragraph, then grown to cover
   every quotation it touches (but not one that holds its own cue).
4. ``find_sources`` (``attr_sources.py``): the subject of the cue verb (full noun phrase with
   appositives and relative clauses, and the comma or parenthesis closing
   them), passing up through conjunctions, participles ("..., saying ...")
   and raising verbs; the ``by`` agent of a passive; the noun a participle
   modifies; the possessor of a noun cue; the object of ``according to``;
   the text before a headline colon. ``it`` is a source only for plain
   reporting verbs ("it said"); ``there`` never.
5. ``link`` (``attr_link.py``): keeps cues that found a content (a noun cue also needs a
   source), drops an outer verb absorbed into an inner cue, then attaches
   the quotations no cue claimed: the cue ``assign_quotes`` chose, a
   ``X said:`` sentence just before, the previous quotation of the same
   speaker (``"X," he said. "Y."``, also when "Y" opens the next paragraph),
   or a short reporting sentence right after. Unclaimed short quotations are
   scare quotes or titles and are not attributions. Identical (cue, content)
   pairs are reported once.
6. ``classify`` (``attr_statements.py``): each record's public content frame,
   whether it is a **statement** (a proposition or quotation put forward by a
   speech cue; not a noun-phrase object, an unquoted to-infinitive or embedded
   question, a belief, intention or finding, a hypothetical cue) and whether its
   cue is **negated** ("have not said", "declined to say"). A headline colon needs
   a speaker label (a name the NER finds, or a transcript label the article also
   writes in ordinary case: not "WATCH:" or "READ MORE:"); a source never lies
   across a line break from its cue (a heading is not a speaker); credit,
   byline and furniture lines give no record. A reporting chain's outer relay
   is kept but is not a statement (the inner record carries the relay as ``via``).
7. ``calibrate`` (``confidence.py``), run by the speakers component once sources
   are resolved: ``confidence`` becomes the probability that source, cue and
   content are right, from a logistic model over the record's features with an
   isotonic map, fitted on PolNeAR train (``bench/calibrate.py``). The finder
   alone leaves its fixed prior per frame.
8. ``set_annotations``: plain JSON-able dicts on ``doc._.attributions`` (the
   format is documented in ``extensions.py``); character offsets into
   ``doc.text``.

Modules: ``attributions.py`` (this one) holds the component, which runs the
stages in order and holds the configuration; each stage lives in the module
named above, and ``attr_spans.py`` holds the span helpers they share (token to
character spans, trimming, growing over quotations, merging, direct/indirect).
The stages pass everything through their arguments, the ``CueMatch`` records
and the Doc, never through the component, so one component serves several
threads. The configuration (``AttributionFinder``'s keyword arguments, the
``newsgraph_attributions`` factory's config) is documented on the class.

Conventions (those of the PolNeAR guidelines, which match what a reader
expects of "the quote"): quotation marks and everything inside them belong to
the content; the sentence-final period of a paraphrase does not, a question
mark does; the complementiser ``that`` is kept; the cue is one contiguous span
that may hold auxiliaries, negation, adverbs and a final colon; the source is
the full noun phrase including appositives, never a resolved name (pronouns
stay pronouns; resolution is the job of a later component), keeping the
comma that closes an appositive ("X, a pollster, said"). *kind* is
``direct`` when every content fragment is a quotation, ``mixed`` when some
quotation marks occur inside it, else ``indirect``. Nested attributions
(quoted speech inside a quotation, the inner link of a reporting chain) are
kept: they are true statements about the text, and users can tell them apart
by their offsets.

Measured on PolNeAR (``bench/attribution.py``, figures in bench/RESULTS.md);
the lexicon and the rules were developed on its train split only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc

from newsgraph.analyze.attr_contents import assign_quotes, cut_dash_quotes, find_contents
from newsgraph.analyze.attr_cues import CueMatch, find_cues
from newsgraph.analyze.attr_link import link
from newsgraph.analyze.attr_quotes import Quote, find_quotes
from newsgraph.analyze.attr_sources import find_sources
from newsgraph.analyze.extensions import register_extensions
from newsgraph.analyze.lexicon import Lexicon, load_lexicon

__all__ = ["AttributionFinder", "CueMatch", "find_attributions"]


class AttributionFinder(Pipe):
    """spaCy component writing ``doc._.attributions`` (see the module docstring).

    Stateless and thread-safe: one finder (the process-wide pipeline's) serves
    every thread at once. The instance holds only its configuration and the
    read-only cue lexicon; everything one call finds lives in that call's
    locals, its ``CueMatch`` objects (``quotes``: the quotations
    ``assign_quotes`` gave each cue, which ``link`` reads back) and the Doc.
    The roles take ``doc.text`` as ``text`` when the caller already has it (a
    Doc joins its tokens on every access), else read it once each.

    Configuration (keyword-only; the factory's ``default_config`` has the same defaults):

    * ``cue_lexicon``: the cue lexicon's name (``data/cues_<name>.tsv``).
    * ``max_sentence_gap``: how many sentences a quotation may sit from its
      reporting clause (0: same sentence).
    * ``cut_trailing_participles``: "..., putting them ahead" is not the content.
    * ``cut_final_nonrestrictive``: drop a closing ", which ..." / appositive.
    * ``continue_across_paragraphs``: '"X," he said.\\n"Y."' is one quotation.
    * ``generic_that``: verbs outside the lexicon with a subject and a that-clause are cues.
    * ``generic_adjectives``: 'X is furious about Y' (adjectives outside the lexicon) are cues.
    * ``debug``: each record also gets ``debug_frame``, its internal frame (analysis only).
    """

    def __init__(self, *, name: str = "newsgraph_attributions", nlp: Language | None = None,
                 cue_lexicon: str = "en", max_sentence_gap: int = 1, cut_trailing_participles: bool = True,
                 cut_final_nonrestrictive: bool = True, continue_across_paragraphs: bool = True,
                 generic_that: bool = True, generic_adjectives: bool = True, debug: bool = False) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.cue_lexicon = cue_lexicon
        self.lexicon: Lexicon = load_lexicon(cue_lexicon)
        self.max_sentence_gap = max(0, int(max_sentence_gap))
        self.cut_trailing_participles = bool(cut_trailing_participles)
        self.cut_final_nonrestrictive = bool(cut_final_nonrestrictive)
        self.continue_across_paragraphs = bool(continue_across_paragraphs)
        self.generic_that = bool(generic_that)
        self.generic_adjectives = bool(generic_adjectives)
        self.debug = bool(debug)

    def __call__(self, doc: Doc) -> Doc:
        try:
            text = doc.text
            quotes = find_quotes(text)
            cues = self.find_cues(doc, quotes, text=text)
            quotes = self.cut_dash_quotes(doc, quotes, cues, text=text)
            self.find_contents(doc, cues, quotes, text=text)
            self.find_sources(doc, cues)
            self.set_annotations(doc, self.link(doc, cues, quotes, text=text))
        except Exception as exc:  # noqa: BLE001 - handed to spaCy's error handler
            return self.get_error_handler()(self.name, self, [doc], exc)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        for doc in stream:
            yield self(doc)

    # ------------------------------------------------------------------ the stages, with this configuration
    def find_cues(self, doc: Doc, quotes: list[Quote] | None = None, *,
                  text: str | None = None) -> list[CueMatch]:
        """Stage 2 (``attr_cues.find_cues``)."""
        return find_cues(doc, quotes, lexicon=self.lexicon, text=text, generic_that=self.generic_that,
                         generic_adjectives=self.generic_adjectives)

    @staticmethod
    def cut_dash_quotes(doc: Doc, quotes: list[Quote], cues: list[CueMatch], *,
                        text: str | None = None) -> list[Quote]:
        """Between stages 2 and 3 (``attr_contents.cut_dash_quotes``)."""
        return cut_dash_quotes(doc, quotes, cues, text=text)

    def find_contents(self, doc: Doc, cues: list[CueMatch], quotes: list[Quote] | None = None, *,
                      text: str | None = None) -> None:
        """Stage 3 (``attr_contents.find_contents``): fills ``content``, ``frame`` and ``quotes``."""
        find_contents(doc, cues, quotes, lexicon=self.lexicon, text=text, max_sentence_gap=self.max_sentence_gap,
                      cut_trailing_participles=self.cut_trailing_participles,
                      cut_final_nonrestrictive=self.cut_final_nonrestrictive)

    def assign_quotes(self, doc: Doc, cues: list[CueMatch], quotes: list[Quote], *,
                      text: str | None = None) -> dict[int, CueMatch]:
        """Part of stage 3 (``attr_contents.assign_quotes``): quotation index -> cue."""
        return assign_quotes(doc, cues, quotes, lexicon=self.lexicon, text=text,
                             max_sentence_gap=self.max_sentence_gap)

    def find_sources(self, doc: Doc, cues: list[CueMatch]) -> None:
        """Stage 4 (``attr_sources.find_sources``): fills ``source`` and ``via``."""
        find_sources(doc, cues, lexicon=self.lexicon)

    def link(self, doc: Doc, cues: list[CueMatch], quotes: list[Quote], *,
             text: str | None = None) -> list[dict[str, Any]]:
        """Stages 5-6 (``attr_link.link``): the records, classified (calibrated later, by the speakers)."""
        return link(doc, cues, quotes, text=text, continue_across_paragraphs=self.continue_across_paragraphs,
                    debug=self.debug)

    def set_annotations(self, doc: Doc, attributions: list[dict[str, Any]]) -> None:
        """Stage 8: the records on ``doc._.attributions``."""
        doc._.attributions = attributions


_DEFAULT: AttributionFinder | None = None


def find_attributions(doc: Doc) -> list[dict[str, Any]]:
    """Attributions of a parsed ``doc`` (needs sentences and a dependency parse)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = AttributionFinder()
    _DEFAULT(doc)
    return list(doc._.attributions or [])
