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
   quotes (cut where their reporting clause starts: ``cut_dash_quotes``).
2. ``find_cues``: cue candidates from the parse and the cue lexicon
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
3. ``find_contents``: quotations are first given to the nearest plausible
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
4. ``find_sources``: the subject of the cue verb (full noun phrase with
   appositives and relative clauses, and the comma or parenthesis closing
   them), passing up through conjunctions, participles ("..., saying ...")
   and raising verbs; the ``by`` agent of a passive; the noun a participle
   modifies; the possessor of a noun cue; the object of ``according to``;
   the text before a headline colon. ``it`` is a source only for plain
   reporting verbs ("it said"); ``there`` never.
5. ``link``: keeps cues that found a content (a noun cue also needs a
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
7. ``calibrate`` (``confidence.py``): ``confidence`` becomes the probability that
   source, cue and content are right, from a logistic model over the record's
   features with an isotonic map, fitted on PolNeAR train (``bench/calibrate.py``).
8. ``set_annotations``: plain JSON-able dicts on ``doc._.attributions`` (the
   format is documented in ``extensions.py``); character offsets into
   ``doc.text``.

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

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Token

from newsgraph.analyze.attr_quotes import Quote, find_quotes
from newsgraph.analyze.attr_statements import classify
from newsgraph.analyze.confidence import calibrate
from newsgraph.analyze.entity_credits import credit_spans, in_spans
from newsgraph.analyze.extensions import register_extensions
from newsgraph.analyze.lexicon import Cue as LexCue
from newsgraph.analyze.lexicon import Lexicon, load_lexicon

__all__ = ["AttributionFinder", "CueMatch", "find_attributions"]

QUOTE_CHARS = "\"“”„«»‘’"
DOUBLE_QUOTE_CHARS = "\"“”„«»"
SUBJ_DEPS = ("nsubj", "csubj")
CUE_LEFT_DEPS = ("aux", "auxpass", "neg", "advmod")
CONF = {"quote": 0.9, "c": 0.8, "according": 0.85, "colon": 0.7, "x": 0.6, "o": 0.5, "p": 0.5,
        "paren": 0.75, "noun": 0.55}
MAX_HEADLINE_CHARS = 200
FINDING_NOUNS = {"poll", "survey", "study", "average", "analysis", "estimate", "data", "count", "tally",
                 "book", "memoir", "view", "opinion", "mind", "judgment", "estimation", "assessment"}
MEDIUM_NOUNS = {"statement", "interview", "tweet", "post", "email", "letter", "speech", "release",
                "op-ed", "remark", "memo", "message", "call", "conference", "video", "column"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "yesterday", "today", "tonight"}
STATEMENT_NOUNS = MEDIUM_NOUNS | {"statement", "report", "memo", "note", "ad", "advertisement", "document", "filing"}
PERSONAL_OBJECTS = {"him", "her", "them", "me", "us", "you", "himself", "herself", "themselves", "itself"}
CONTENT_PRONOUNS = {"it", "this", "that", "what", "something", "nothing", "everything", "anything"}
HEARSAY_ADVERBS = {"reportedly", "allegedly", "purportedly", "supposedly"}
AS_ONLY_VERBS = {"see", "regard"}
ASKING_VERBS = {"ask", "question", "wonder", "inquire", "query"}
OBJECT_PREPS = {"to", "with", "about", "against", "of", "into", "from", "toward", "towards", "over", "on", "for", "at", "in"}
LIGHT_VERBS = {"make", "take", "have", "express", "voice", "raise", "launch", "level", "lodge", "pose", "register"}
LIGHT_NOUNS = {"case", "statement", "comment", "remark", "argument", "shot", "swipe", "jab", "dig", "stance", "stand",
               "position", "claim", "accusation", "point", "pitch", "plea", "appeal", "attack", "concern", "doubt",
               "question", "objection", "complaint", "criticism", "praise", "reservation", "qualm", "view",
               "opinion", "feeling", "issue", "problem", "aim", "decision", "note", "allegation", "charge",
               "warning", "prediction", "promise", "pledge", "commitment", "interest", "offense", "offence",
               "exception", "umbrage", "suspicion", "worry", "fear", "frustration", "anger", "confidence"}
LIGHT_PREPS = {"for", "on", "about", "against", "at", "to", "of", "over", "with", "toward", "towards", "regarding"}
GENERIC_ADJ_PREPS = {"about", "of", "with", "over", "toward", "towards", "on", "at", "against", "by"}
GENERIC_ADJ_STOP = {"able", "likely", "unlikely", "full", "free", "close", "similar", "due", "capable", "guilty",
                    "responsible", "home", "part", "true", "typical", "available", "aware", "next", "prior",
                    "subject", "short", "ahead", "behind", "independent", "different"}
LEMMA_FIXES = {"hop": "hope", "retweete": "retweet"}  # the small model's lemmatiser slips
CHAIN_SPEECH = {"add", "say", "note", "explain", "insist", "argue", "continue", "warn", "stress",
                "claim", "suggest", "acknowledge", "admit", "predict"}
CORE_SPEECH = {"say", "tell", "add", "write", "tweet", "state", "declare", "explain", "continue",
               "ask", "reply", "respond", "answer", "note", "insist", "argue", "claim", "warn",
               "post", "exclaim", "joke", "quip", "recall", "observe"}
MAX_SOURCE_TOKENS = 40
_NO_SOURCE_WORDS = {"it", "there", "this", "that", "which", "what"}
_TRIM_LEFT = set(" \t\n\u00a0,;:–—-")
_TRIM_RIGHT = set(" \t\n\u00a0,;:–—-.")  # never "?" or "!": they belong to the content


@dataclass
class CueMatch:
    """A cue found in the text (token offsets; ``end`` exclusive)."""

    start: int
    end: int
    head: int
    kind: str  # "verb" | "adj" | "noun" | "according" | "colon"
    category: str
    frames: tuple[str, ...] = ()
    preps: tuple[str, ...] = ()
    # filled by find_contents / find_sources
    content: list[tuple[int, int]] = field(default_factory=list)  # char fragments
    frame: str = ""
    source: tuple[int, int] | None = None  # token span
    via: tuple[int, int] | None = None  # token span
    lead_via: tuple[int, int] | None = None  # "said, according to X, that ...": X, cut from the content
    quotes: list[Quote] = field(default_factory=list)  # the quotations assign_quotes gave this cue


# ----------------------------------------------------------------------------- helpers

def _chars(doc: Doc, s: int, e: int) -> tuple[int, int]:
    return doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)


def _subtree_span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i + 1


def _cut_speaking_relcl(doc: Doc, span: tuple[int, int], cue_heads: set[int]) -> tuple[int, int]:
    """"the grid operator, which said the link had carried ...": a relative clause set off by a
    comma that holds a cue of its own is another statement, not part of the source."""
    s, e = span
    for k in range(s + 1, e):
        t = doc[k]
        if t.dep_ == "relcl" and t.i in cue_heads and t.left_edge.i - 1 > s and doc[t.left_edge.i - 1].text == ",":
            return _trim_tokens(doc, s, t.left_edge.i - 1)
    return span


def _trim_tokens(doc: Doc, s: int, e: int) -> tuple[int, int]:
    while s < e and (doc[s].is_punct or doc[s].is_space) and doc[s].text not in QUOTE_CHARS:
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space) and doc[e - 1].text not in QUOTE_CHARS:
        e -= 1
    return s, e


def _trim_chars(text: str, s: int, e: int, quotes: list[Quote]) -> tuple[int, int]:
    """Strip spaces and outer punctuation, but keep quotation marks and what they enclose."""
    dash_starts = {q.start for q in quotes if q.dash}
    while s < e and text[s] in _TRIM_LEFT and s not in dash_starts:
        s += 1
    while e > s and text[e - 1] in _TRIM_RIGHT:
        if text[e - 1] == "." and e - 2 >= s and text[e - 2].isupper() and (e - 3 < s or text[e - 3] == "."):
            break  # "U.S." keeps its period
        e -= 1
    return s, e


def _quote_at(quotes: list[Quote], s: int, e: int) -> list[Quote]:
    return [q for q in quotes if q.start < e and s < q.end]


def _grow_to_quotes(text: str, s: int, e: int, quotes: list[Quote], cue_at: int = -1) -> tuple[int, int]:
    """Extend [s, e) to cover every quotation it touches (marks included), except
    a quotation holding the cue itself (then the content is quoted speech's own)."""
    changed = True
    while changed:
        changed = False
        for q in _quote_at(quotes, s, e):
            if q.start <= cue_at < q.end:
                continue
            if q.start < s or q.end > e:
                s, e = min(s, q.start), max(e, q.end)
                changed = True
    # a quotation mark right before/after the span (tokeniser split) belongs to it
    if s > 0 and text[s - 1] in QUOTE_CHARS and any(q.start == s - 1 for q in quotes):
        s -= 1
    return s, e


def _kind(text: str, frags: list[tuple[int, int]], quotes: list[Quote]) -> str:
    """direct: every fragment is one whole quotation (outer punctuation aside);
    mixed: a quotation mark of some quotation lies inside; else indirect."""
    strip = " \t\n\u00a0,.;:!?"
    direct = bool(frags)
    marks = False
    for s, e in frags:
        while s < e and text[s] in strip:
            s += 1
        while e > s and text[e - 1] in strip:
            e -= 1
        if any(s <= q.start < e or not q.dash and s <= q.end - 1 < e for q in quotes):
            marks = True
        if not any(qs >= s - 1 and qs <= s + 1 and qe >= e - 1 and qe <= e + 1
                   for q in quotes for qs, qe in q.spans):
            direct = False
    if direct:
        return "direct"
    return "mixed" if marks else "indirect"


# ----------------------------------------------------------------------------- component

class AttributionFinder(Pipe):
    """spaCy component writing ``doc._.attributions`` (see the module docstring).

    Stateless and thread-safe: one finder (the process-wide pipeline's) serves
    every thread at once. The instance holds only its configuration and the
    read-only cue lexicon; everything one call finds lives in that call's
    locals, its ``CueMatch`` objects (``quotes``: the quotations
    ``assign_quotes`` gave each cue, which ``link`` reads back) and the Doc.
    The roles take ``doc.text`` as ``text`` when the caller already has it (a
    Doc joins its tokens on every access), else read it once each.
    """

    def __init__(self, *, name: str = "newsgraph_attributions", nlp: Language | None = None,
                 cue_lexicon: str = "en", max_sentence_gap: int = 1) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self.cue_lexicon = cue_lexicon
        self.lexicon: Lexicon = load_lexicon(cue_lexicon)
        #: how many sentences a quotation may sit from its reporting clause (0: same sentence)
        self.max_sentence_gap = max(0, int(max_sentence_gap))
        # switches, set once before use (never while the finder runs)
        self.cut_trailing_participles = True  # "..., putting them ahead": not the content
        self.cut_final_nonrestrictive = True  # drop a closing ", which ..." / appositive
        self.continue_across_paragraphs = True  # '"X," he said.\n"Y."' is one quotation
        self.generic_that = True  # verbs outside the lexicon with a subject + that-clause
        self.generic_adjectives = True  # 'X is furious about Y' (adjectives outside the lexicon)
        self.debug = False  # adds the internal "frame" of each attribution (analysis only)

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

    # ------------------------------------------------------------------ cues
    def find_cues(self, doc: Doc, quotes: list[Quote] | None = None, *,
                  text: str | None = None) -> list[CueMatch]:
        """Every cue candidate, in textual order (content and source still empty).

        With ``quotes``, a verb outside the lexicon also counts when it frames a
        quotation directly ('Rubio fired back: "..."', '"...," the crowd roared.').
        """
        text = doc.text if text is None else text
        lex = self.lexicon
        cues: list[CueMatch] = []
        n = len(doc)
        for tok in doc:
            low = tok.lower_
            if low == "according" and tok.i + 1 < n and doc[tok.i + 1].lower_ == "to":
                cues.append(CueMatch(tok.i, tok.i + 2, tok.i, "according", "speech"))
                continue
            if low == "in" and tok.i == tok.sent.start and tok.dep_ == "prep":
                pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
                if pobj is not None and pobj.lemma_.lower() in FINDING_NOUNS:
                    # "In a new poll, 52 percent said ...": the poll is the source
                    cues.append(CueMatch(tok.i, tok.i + 1, tok.i, "according", "finding"))
                continue
            if low in HEARSAY_ADVERBS and tok.dep_ == "advmod" and tok.head.pos_ in ("VERB", "AUX"):
                # "X has reportedly looked at Y": hearsay, nobody named
                hs, he = _subtree_span(tok.head)
                frags = [f for f in (_trim_tokens(doc, hs, tok.i), _trim_tokens(doc, tok.i + 1, he)) if f[1] > f[0]]
                if frags and "\n" not in text[doc[hs].idx:doc[he - 1].idx]:
                    cue = CueMatch(tok.i, tok.i + 1, tok.i, "according", "speech")
                    cue.content = [_chars(doc, a, b) for a, b in frags]
                    cue.frame = "framing"
                    cues.append(cue)
                continue
            if low in ("in", "to") and tok.dep_ == "prep":
                framing = self._framing_prep(doc, tok)
                if framing is not None:
                    cues.append(framing)
                continue
            if tok.pos_ == "VERB" and tok.lemma_ == "put" and tok.dep_ == "advcl" \
                    and tok.i + 1 < n and doc[tok.i + 1].lower_ == "it" and doc[tok.i + 1].dep_ == "dobj":
                s, _ = self._verb_cue_extent(doc, tok)  # "as Trump put it, ..."
                cues.append(CueMatch(s, tok.i + 2, tok.i, "verb", "speech", ("c",), ()))
                continue
            if tok.pos_ == "VERB":
                light = self._light_verb_cue(doc, tok) if tok.lemma_ in LIGHT_VERBS else None
                if light is not None:
                    cues.append(light)
                    continue
                entry = lex.verb(LEMMA_FIXES.get(tok.lemma_, tok.lemma_))
                if entry is None and self.generic_that:
                    entry = self._generic_that_cue(tok)
                if entry is None or tok.dep_ == "amod":
                    continue
                s, e = self._verb_cue_extent(doc, tok)
                if self._statement_participle(tok):
                    s = self._verb_cue_extent(doc, tok.head.head)[0]  # "released a statement saying"
                cues.append(CueMatch(s, e, tok.i, "verb", entry.category, entry.frames, entry.preps))
            elif tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "ROOT", "oprd"):
                entry = lex.adjective(tok.lemma_)
                if entry is None and self.generic_adjectives:
                    entry = self._generic_adjective_cue(tok)
                if entry is None:
                    continue
                head = tok.head if tok.dep_ != "ROOT" else tok
                s = head.i if head.lemma_ == "be" and head.i < tok.i else tok.i
                left = {c.i for c in head.children if c.dep_ in ("aux", "neg", "advmod") and c.i < s}
                while s - 1 in left:
                    s -= 1
                cues.append(CueMatch(s, tok.i + 1, tok.i, "adj", entry.category, entry.frames, entry.preps))
            elif tok.pos_ == "NOUN":
                entry = lex.noun(tok.lemma_)
                if entry is None:
                    continue
                cues.append(CueMatch(tok.i, tok.i + 1, tok.i, "noun", entry.category, entry.frames,
                                     entry.preps))
        cues.extend(self._headline_colons(doc, text))
        if quotes:
            have = {c.head for c in cues}
            cues.extend(c for c in self._quote_framing_verbs(doc, text, quotes) if c.head not in have)
        cues.sort(key=lambda c: c.start)
        return cues

    @staticmethod
    def _generic_that_cue(tok: Token) -> LexCue | None:
        """A verb outside the lexicon that takes a 'that'-clause and has a named subject
        ("she figures that ...", "the memo recognized that ...")."""
        if not any(c.dep_ == "nsubj" and c.lower_ not in _NO_SOURCE_WORDS for c in tok.children):
            return None
        for c in tok.children:
            if c.dep_ == "ccomp" and c.i > tok.i and any(m.dep_ == "mark" and m.lower_ in ("that", "whether")
                                                         for m in c.children):
                return GENERIC_THAT
        return None

    @staticmethod
    def _statement_participle(verb: Token) -> bool:
        """'X released a statement saying ...': the participle reports the statement's
        content; X (the subject of the governing verb) is the source."""
        head = verb.head
        return verb.dep_ == "acl" and verb.tag_ == "VBG" and head.i < verb.i <= head.i + 3 \
            and head.lemma_.lower() in STATEMENT_NOUNS and head.dep_ == "dobj" \
            and head.head.pos_ == "VERB" and head.head.i < head.i

    @staticmethod
    def _framing_prep(doc: Doc, tok: Token) -> CueMatch | None:
        """'X leads in the polls' (source: the polls) and 'To Sexton, X' (source:
        Sexton): the clause the phrase modifies, minus the phrase, is the content."""
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        host = tok.head
        if pobj is None or host.pos_ not in ("VERB", "AUX") or host.i < tok.i and tok.lower_ == "to":
            return None
        ps, pe = _subtree_span(tok)
        if tok.lower_ == "in":
            if pobj.lemma_.lower() not in ("poll", "survey") or tok.text != "in" or host.dep_ != "ROOT":
                return None
            category = "finding"
            while host.dep_ == "xcomp" and host.head.pos_ in ("VERB", "AUX"):
                host = host.head  # "continues to lead in the polls"
        else:
            lead = all(doc[k].is_punct or doc[k].lower_ in ("but", "and", "yet", "so")
                       for k in range(tok.sent.start, tok.i))
            if not lead or pobj.pos_ not in ("PROPN", "PRON") or pobj.lower_ in ("date", "it") \
                    or pe >= len(doc) or doc[pe].text != ",":
                return None
            category = "belief"
        hs, he = _subtree_span(host)
        for k in range(pe, he):  # stop at ", although ...", ", but ..."
            if doc[k].text in (",", ";") and doc[k].head.i == host.i \
                    and k + 1 < he and doc[k + 1].dep_ in ("mark", "cc", "advmod"):
                he = k
                break
        frags = [f for f in (_trim_tokens(doc, hs, ps), _trim_tokens(doc, pe, he)) if f[1] > f[0]]
        if not frags:
            return None
        cue = CueMatch(tok.i, tok.i + 1, tok.i, "according", category)
        cue.content = [_chars(doc, a, b) for a, b in frags]
        cue.source = _trim_tokens(doc, *_subtree_span(pobj))
        cue.frame = "framing"
        return cue

    def _light_verb_cue(self, doc: Doc, tok: Token) -> CueMatch | None:
        """'made the case for X', 'took a shot at X', 'has expressed concern about X',
        'made (it) clear that X': a light verb with an attitude noun (or 'clear'); the
        cue runs from the verb to the preposition, the content is its object."""
        kids = list(tok.children)
        s, _ = self._verb_cue_extent(doc, tok)
        if tok.lemma_ == "make":
            clear = next((c for c in kids if c.lower_ == "clear" and c.i > tok.i), None)
            comp = next((c for c in kids if c.dep_ == "ccomp" and clear is not None and c.i > clear.i), None) \
                or (clear is not None and next((c for c in clear.children if c.dep_ in ("ccomp", "advcl")
                                                and c.i > clear.i), None))
            if clear is not None and comp is not None and clear.i <= tok.i + 2:
                cue = CueMatch(s, clear.i + 1, tok.i, "verb", "speech", (), ())
                cue.content = [_chars(doc, *_subtree_span(comp))]
                cue.frame = "light"
                return cue
        obj = next((c for c in kids if c.dep_ == "dobj" and c.i > tok.i), None)
        if obj is None or obj.pos_ != "NOUN" or obj.lemma_.lower() not in LIGHT_NOUNS:
            return None
        prep = next((c for c in obj.children if c.dep_ == "prep" and c.i > obj.i), None) \
            or next((c for c in kids if c.dep_ == "prep" and c.i > obj.i), None)
        if prep is None or prep.lower_ not in LIGHT_PREPS or prep.i > obj.right_edge.i + 1 \
                and prep.head.i == obj.i:
            return None
        if any(doc[k].is_punct for k in range(obj.i, prep.i)):
            return None
        pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is None:
            return None
        cue = CueMatch(s, prep.i + 1, tok.i, "verb", "evaluation", (), ())
        cue.content = [_chars(doc, *_subtree_span(pobj))]
        cue.frame = "light"
        return cue

    @staticmethod
    def _generic_adjective_cue(tok: Token) -> LexCue | None:
        """'X is furious about Y', 'X was tepid about Y': a predicative adjective outside
        the lexicon with a named subject and an attitude preposition right after it."""
        if tok.dep_ != "acomp" or tok.head.lemma_ != "be" or tok.lemma_.lower() in GENERIC_ADJ_STOP:
            return None
        subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in _NO_SOURCE_WORDS or subj.pos_ not in ("PRON", "PROPN", "NOUN"):
            return None
        if any(c.dep_ == "ccomp" and c.i > tok.i and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
               for c in tok.children):
            return GENERIC_ADJ_THAT  # "X is confident that ..."
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.i == tok.i + 1), None)
        if prep is None or prep.lower_ not in GENERIC_ADJ_PREPS \
                or not any(g.dep_ in ("pobj", "pcomp") for g in prep.children):
            return None
        return LexCue("", "adj", "evaluation", (), (prep.lower_,), "generic adjective + preposition")

    def _quote_framing_verbs(self, doc: Doc, text: str, quotes: list[Quote]) -> list[CueMatch]:
        starts = {q.start for q in quotes if q.double}
        ends = {q.end for q in quotes if q.double}
        out = []
        for tok in doc:
            if tok.pos_ != "VERB" or not any(c.dep_ == "nsubj" for c in tok.children):
                continue
            s, e = self._verb_cue_extent(doc, tok)
            if any(doc[k].i > tok.i and doc[k].dep_ not in ("prt", "advmod") for k in range(tok.i + 1, e)):
                continue
            k = e
            while k < len(doc) and doc[k].dep_ in ("prt", "advmod") and doc[k].head.i == tok.i:
                k += 1
            after = doc[k - 1].idx + len(doc[k - 1].text)
            rest = text[after:after + 4]
            m = len(rest) - len(rest.lstrip(" ,:\u00a0"))
            prefix = after + m in starts and rest[:m].strip(" \u00a0") in (",", ":")
            subj = next(c for c in tok.children if c.dep_ == "nsubj")
            j = subj.left_edge.idx
            while j > 0 and text[j - 1] in " \u00a0":
                j -= 1
            suffix = subj.i < tok.i and j in ends \
                and (k >= len(doc) or doc[k].text in (".", "!") or doc[k].is_space or doc[k - 1].is_sent_end)
            if prefix or suffix:
                if prefix and k < len(doc) and doc[k].text == ":":
                    k += 1
                out.append(CueMatch(s, k, tok.i, "verb", "speech", ("q",), ()))
        return out

    @staticmethod
    def _verb_cue_extent(doc: Doc, tok: Token) -> tuple[int, int]:
        """Verb + its auxiliaries, negation and adjacent adverbs (not wh-words), a
        governing verb of a to-infinitive ("has refused to endorse"), particles, a
        medium phrase ("said in a statement") and a bare weekday ("said Sunday")."""
        s = tok.i
        left = {c.i for c in tok.children if c.dep_ in CUE_LEFT_DEPS and c.i < tok.i
                and c.tag_ not in ("WRB", "WDT", "WP") and c.lower_ not in ("as", "so", "then")}
        while s - 1 in left:
            s -= 1
        head = tok.head
        if tok.dep_ == "xcomp" and head.i < s and head.pos_ in ("VERB", "AUX") \
                and all(doc[k].dep_ in ("aux", "neg", "advmod") and doc[k].head in (tok, head)
                        for k in range(head.i + 1, s)):
            hs = head.i
            hleft = {c.i for c in head.children if c.dep_ in CUE_LEFT_DEPS and c.i < head.i
                     and c.tag_ not in ("WRB", "WDT", "WP")}
            while hs - 1 in hleft:
                hs -= 1
            s = hs
        e = tok.i + 1
        for c in tok.children:
            if c.dep_ == "prt" and c.i == e:
                e += 1
        for c in tok.children:
            if c.i != e:
                continue
            if c.dep_ == "prep" and c.lower_ == "in":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is not None and pobj.lemma_.lower() in MEDIUM_NOUNS:
                    e = pobj.i + 1
            elif c.dep_ == "npadvmod" and c.lower_ in WEEKDAYS:
                e += 1
        return s, e

    def _headline_colons(self, doc: Doc, text: str) -> list[CueMatch]:
        """'Name: statement' in a short line without final punctuation."""
        out: list[CueMatch] = []
        pos = 0
        for line in text.split("\n"):
            a, pos = pos, pos + len(line) + 1
            stripped = line.strip()
            if not stripped or ":" not in stripped:
                continue
            ci = line.find(":")
            label = line[:ci].strip()
            transcript = bool(label) and (label.isupper() and any(ch.isalpha() for ch in label)
                                          or label in ("Q", "A"))  # "TRUMP: ...", "Q: ..."
            if len(stripped) > MAX_HEADLINE_CHARS and line[ci + 1:].strip()[:1] not in QUOTE_CHARS \
                    and not transcript:
                continue
            left = line[:ci].strip()
            right = line[ci + 1:].strip()
            if not left or not right or len(left.split()) > 7 or not left[0].isupper():
                continue
            if not (right[0].isupper() or right[0] in QUOTE_CHARS) or ci + 1 < len(line) and line[ci + 1] != " ":
                continue
            span = doc.char_span(a + ci, a + ci + 1)
            if span is None:
                continue
            lspan = doc.char_span(a + line.find(left), a + line.find(left) + len(left), alignment_mode="expand")
            if lspan is None or any(t.pos_ == "VERB" for t in lspan) and not transcript:
                continue
            words = [w for w in left.split() if w[:1].isalpha()]
            if not (any(t.pos_ == "PROPN" for t in lspan) or words and all(w[0].isupper() for w in words)):
                continue
            if not self._speaker_label(doc, text, lspan, left, transcript):
                continue  # "WATCH:", "READ MORE:", "Best dressed:", "6. The problem:": not a speaker
            cue = CueMatch(span.start, span.end, span.start, "colon", "speech")
            r0 = a + ci + 1 + (len(line[ci + 1:]) - len(line[ci + 1:].lstrip()))
            cue.content = [(r0, a + len(line.rstrip()))]
            cue.frame = "colon"
            cue.source = (lspan.start, lspan.end)
            out.append(cue)
        return out

    @staticmethod
    def _speaker_label(doc: Doc, text: str, lspan: Any, left: str, transcript: bool) -> bool:
        """Whether the text before a line's colon names who speaks: a person, organisation
        or country the NER finds there (covering most of it), or a transcript label
        ("TRUMP:", "Q:") whose name the article also writes in ordinary case. Section
        labels and furniture ("WATCH:", "READ MORE:", "Update:") name nobody."""
        if left in ("Q", "A"):
            return True
        if transcript:
            name = left.title()
            return name != left and any(m.group(0) == name for m in re.finditer(r"\b" + re.escape(name) + r"\b", text))
        ents = [e for e in lspan.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP")] if hasattr(lspan, "ents") else []
        if not ents:
            ents = [e for e in doc.ents if e.start >= lspan.start and e.end <= lspan.end
                    and e.label_ in ("PERSON", "ORG", "GPE", "NORP")]
        covered = sum(len(e.text.split()) for e in ents)
        if covered > 0 and covered * 2 >= len(left.split()):
            return True
        # a name the NER missed here: one to three proper nouns ("Merkel:"), or words of a
        # name the article gives elsewhere ("Merkel:" over "Chancellor Angela Merkel said")
        words = [t for t in lspan if not t.is_punct]
        if not 0 < len(words) <= 3:
            return False
        if all(t.pos_ == "PROPN" for t in words):
            return True
        named = {t.lower_ for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP") for t in e}
        return all(t.lower_ in named for t in words)

    @staticmethod
    def cut_dash_quotes(doc: Doc, quotes: list[Quote], cues: list[CueMatch], *,
                        text: str | None = None) -> list[Quote]:
        """End a dash quote where its reporting clause starts ('– ..., said the president.')."""
        if text is None and any(q.dash for q in quotes):
            text = doc.text
        out = []
        for q in quotes:
            if q.dash:
                for c in cues:
                    if c.kind != "verb" or c.category != "speech":
                        continue
                    verb = doc[c.head]
                    subj = next((k for k in verb.children if k.dep_ in SUBJ_DEPS and k.i < verb.i), None)
                    lo = min(c.start, subj.left_edge.i) if subj is not None else c.start
                    if not q.start < doc[lo].idx < q.end or lo == 0 or doc[lo - 1].text not in (",", "–", "—"):
                        continue
                    end = doc[lo - 1].idx
                    while end > q.start and text[end - 1].isspace():
                        end -= 1
                    q = Quote(q.start, end, double=False, dash=True)
                    break
            out.append(q)
        return out

    # ------------------------------------------------------------------ contents
    def find_contents(self, doc: Doc, cues: list[CueMatch], quotes: list[Quote] | None = None, *,
                      text: str | None = None) -> None:
        """Fill ``cue.content`` (character fragments), ``cue.frame`` and ``cue.quotes`` in place."""
        text = doc.text if text is None else text
        if quotes is None:
            quotes = find_quotes(text)
        owner = self.assign_quotes(doc, cues, quotes, text=text)
        for cue in cues:
            cue.quotes = []
        for k, q in enumerate(quotes):
            if k in owner:
                owner[k].quotes.append(q)
        for cue in cues:
            if cue.kind == "colon":
                cue.content = [f for f in (_trim_chars(text, a, b, quotes) for a, b in cue.content) if f[1] > f[0]]
                continue
            if cue.frame in ("light", "framing"):
                pass  # content set with the cue
            elif cue.kind == "according":
                self._according_content(doc, cue)
            elif cue.kind in ("verb", "adj"):
                self._verb_content(doc, text, cue)
                if cue.content and cue.frame != "quote" and self._off_paragraph(text, doc, cue):
                    # the parse ran the sentence over a paragraph break ('... Clinton said.\n\n"I
                    # will ..."'): that complement is not the cue's; try the other frames
                    frames, skip = cue.frames, "c" if cue.frame == "paren" else cue.frame
                    cue.content, cue.frame = [], ""
                    cue.frames = tuple(f for f in frames if f != skip)
                    self._verb_content(doc, text, cue)
                    cue.frames = frames
                    if cue.content and self._off_paragraph(text, doc, cue):
                        cue.content, cue.frame = [], ""
            elif cue.kind == "noun":
                self._noun_content(doc, cue)
            if cue.content and cue.kind == "verb":
                cue.content = self._cut_leading_according(doc, cue)
            if cue.content and cue.kind != "according":
                cue.content = self._cut_trailing(doc, cue)
            if cue.content and cue.kind != "colon":
                cue.content = self._clip_paragraph(text, doc, cue)
            if cue.content:
                frags = []
                cue_at = doc[cue.head].idx
                for s, e in cue.content:
                    s, e = _grow_to_quotes(text, s, e, quotes, cue_at)
                    s, e = _trim_chars(text, s, e, quotes)
                    if e > s:
                        frags.append((s, e))
                cue.content = _split_at_quote_gaps(_merge(frags), quotes)

    @staticmethod
    def _cut_leading_according(doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
        """"X said, according to Y, that ...": when the parse hung "according to Y" inside the
        reported clause, the content starts with it. Y is the channel (``lead_via``); the
        content starts after it."""
        s, e = cue.content[0]
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None or len(span) < 4:
            return cue.content
        i = span.start
        while i < span.end and doc[i].is_punct:
            i += 1
        if not (i + 2 < span.end and doc[i].lower_ == "according" and doc[i + 1].lower_ == "to"
                and i - cue.end <= 1):
            return cue.content
        j = i + 2
        while j < span.end and doc[j].text not in (",", "—", "–") and doc[j].lower_ != "that":
            j += 1
        if j == i + 2 or j >= span.end:
            return cue.content
        cue.lead_via = (i + 2, j)
        k = j + (1 if doc[j].text in (",", "—", "–") else 0)
        if k >= span.end:
            return cue.content
        return [(doc[k].idx, e), *cue.content[1:]]

    def _cut_trailing(self, doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
        """Cut a content before ', according to ...' or ', claiming ...' (another attribution)."""
        out = []
        for s, e in cue.content:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None:
                out.append((s, e))
                continue
            for t in span[1:]:
                if t.i + 1 >= len(doc):
                    continue
                nxt = doc[t.i + 1]
                if t.lower_ == "and" and nxt.dep_ == "conj" and nxt.pos_ == "VERB" \
                        and nxt.head.i != cue.head and nxt.head.head.i == cue.head \
                        and not any(c.dep_ in SUBJ_DEPS for c in nxt.children) \
                        and (nxt.lemma_ in CHAIN_SPEECH or self._is_speech_verb(nxt.lemma_)):
                    e = doc[t.i - 1].idx + len(doc[t.i - 1].text)  # "... and added that ..."
                    break
                if self.cut_final_nonrestrictive and t.dep_ in ("relcl", "appos") \
                        and doc[t.left_edge.i - 1].text in (",", "—", "–", "--") and t.left_edge.i - 1 > span.start \
                        and t.right_edge.idx + len(t.right_edge.text) >= e - 1 \
                        and (t.dep_ == "appos" or doc[t.left_edge.i].lower_ in ("which", "who")):
                    e = doc[t.left_edge.i - 1].idx  # "..., which passed the Senate" at the end
                    break
                if doc[t.i - 1].text != ",":
                    continue
                if t.lower_ == "as" and t.dep_ == "mark" and t.head.dep_ == "advcl" and t.head.i > cue.head \
                        and self._is_speech_verb(t.head.lemma_) \
                        and any(c.dep_ in SUBJ_DEPS for c in t.head.children) \
                        and t.head.right_edge.idx + len(t.head.right_edge.text) >= e - 1:
                    e = doc[t.i - 1].idx  # "..., as the Times reported": another attribution
                    break
                if t.lower_ == "according" and doc[t.i + 1].lower_ == "to" or \
                        t.tag_ == "VBG" and t.dep_ in ("advcl", "xcomp", "conj") and t.head.i < t.i \
                        and t.i > cue.head and (self.lexicon.verb(t.lemma_) is not None
                                                or self.cut_trailing_participles and t.dep_ == "advcl"):
                    e = doc[t.i - 1].idx
                    break
            out.append((s, e))
        return out

    @staticmethod
    def _off_paragraph(text: str, doc: Doc, cue: CueMatch) -> bool:
        """No fragment of the content touches the cue's paragraph."""
        ci = doc[cue.head].idx
        pa = text.rfind("\n", 0, ci) + 1
        pb = text.find("\n", ci)
        pb = len(text) if pb < 0 else pb
        return all(e <= pa or s >= pb for s, e in cue.content)

    def _is_speech_verb(self, lemma: str) -> bool:
        entry = self.lexicon.verb(lemma)
        return entry is not None and entry.category == "speech"

    @staticmethod
    def _clip_paragraph(text: str, doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
        """A parse-derived content stays in one paragraph: the cue's, or the nearest one
        (the small model sometimes runs a sentence over a paragraph break)."""
        ci = doc[cue.head].idx
        out = []
        for s, e in cue.content:
            if "\n" not in text[s:e]:
                out.append((s, e))
                continue
            pieces, a = [], s
            for k in range(s, e):
                if text[k] == "\n":
                    pieces.append((a, k))
                    a = k + 1
            pieces.append((a, e))
            pieces = [(x, y) for x, y in pieces if text[x:y].strip()]
            if not pieces:
                continue
            best = min(pieces, key=lambda p: 0 if p[0] <= ci <= p[1] else min(abs(ci - p[0]), abs(ci - p[1])))
            out.append(best)
        return out

    def _according_content(self, doc: Doc, cue: CueMatch) -> None:
        to = doc[cue.start + 1] if cue.end - cue.start == 2 else doc[cue.start]
        sent = doc[cue.start].sent
        ss, se = sent.start, sent.end
        lead = all(doc[k].is_punct or doc[k].lower_ in ("but", "and", "yet", "so") for k in range(ss, cue.start))
        comma = next((k for k in range(cue.end, se) if doc[k].text == ","), None) if lead else None
        if comma is not None and comma > cue.end:
            # "According to X, Y.": the phrase ends at the first comma (sturdier than the parse)
            ps, pe = cue.start, comma
            cue.source = _trim_tokens(doc, cue.end, comma)
        else:
            pobj = next((c for c in to.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is None:
                return
            ps, pe = cue.start, max(pobj.right_edge.i + 1, cue.end)
            cue.source = _trim_tokens(doc, pobj.left_edge.i, pe)
        # content: the sentence minus the phrase (and the commas around it)
        before = _trim_tokens(doc, ss, ps)
        after = _trim_tokens(doc, pe, se)
        frags = [before, after]
        frags = [f for f in frags if f[1] > f[0]]
        if not frags:
            return
        cue.content = [_chars(doc, s, e) for s, e in frags]
        cue.frame = "according"

    def _verb_content(self, doc: Doc, text: str, cue: CueMatch) -> None:
        verb = doc[cue.head]
        kids = list(verb.children)
        if cue.kind == "adj" and verb.dep_ == "acomp":
            # "He was adamant that ...": the parser may hang the clause on "was"
            kids += [c for c in verb.head.children if c.i > verb.i and c.dep_ == "ccomp"
                     and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        for frame in cue.frames + tuple("p" for _ in cue.preps[:1]):
            if frame == "c":
                comp = next((c for c in kids if c.dep_ == "ccomp" and c.i > verb.i), None) \
                    or next((c for c in kids if c.dep_ == "ccomp"), None) \
                    or next((c for c in kids if c.dep_ == "advcl" and c.i > verb.i and any(
                        m.dep_ == "mark" and m.i == c.left_edge.i and (
                            m.lower_ == "whether" or m.lower_ == "if" and verb.lemma_ in ASKING_VERBS)
                        for m in c.children)), None)  # "asked him if he would run"
                if comp is not None:
                    s, e = _subtree_span(comp)
                    if s <= cue.start < e:
                        # "which he said the government should pay for": the relative
                        # pronoun heads the complement; the content is what follows the cue
                        if verb.dep_ != "relcl" or e <= cue.end:
                            continue
                        s = cue.end
                    if s > cue.start:
                        for c in sorted(kids, key=lambda t: t.i):  # "said he would go if asked"
                            if c.left_edge.i == e and c.dep_ in ("advcl", "prep") and c.i > comp.i \
                                    and c.lower_ not in ("according",) and not self._is_speech_verb(c.lemma_):
                                e = c.right_edge.i + 1
                    if e < len(doc) and doc[e].text in ("?", "!") and doc[e].is_sent_end:
                        e += 1  # the question mark belongs to the reported question
                    cue.content = [_chars(doc, s, e)]
                    cue.frame = "c"
                    self._colon_into_cue(doc, cue)
                    return
                paren = self._parenthetical(doc, cue) if cue.category == "speech" else []
                if not paren and cue.category in ("speech", "belief"):
                    paren = self._as_clause(doc, cue)
                if paren:
                    cue.content = paren
                    cue.frame = "paren"
                    return
            elif frame == "q":
                q = self._adjacent_quote(doc, cue)
                host = self._quote_inside_complement(doc, verb, q) if q is not None else None
                if host is not None:  # 'warned of a "ferocious" battle': the object is the content
                    cue.content = [host]
                    cue.frame = "o"
                    return
                if q is not None and self._detached_fragment(text, doc, cue, q):
                    # a short quoted fragment with other words between it and the cue: a
                    # scare quote inside some clause, not what this cue reports
                    cue.quotes = [qq for qq in cue.quotes if qq is not q]
                    continue
                if q is not None:
                    cue.content = q.spans
                    cue.frame = "quote"
                    self._colon_into_cue(doc, cue)
                    return
            elif frame == "s":
                # "X seemed to Y": the writer's impression; content = subject + complement
                subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
                comp = next((c for c in kids if c.dep_ in ("xcomp", "oprd", "acomp", "attr") and c.i > verb.i), None)
                if subj is not None and comp is not None and subj.lower_ not in _NO_SOURCE_WORDS:
                    cue.content = [_chars(doc, *_subtree_span(subj)), _chars(doc, *_subtree_span(comp))]
                    cue.frame = "s"
                    return
            elif frame == "x":
                comp = next((c for c in kids if c.dep_ == "xcomp" and c.i > verb.i), None)
                if comp is not None and any(c.dep_ == "aux" and c.lower_ == "to" for c in comp.children):
                    s, e = _subtree_span(comp)
                    cue.content = [_chars(doc, s, e)]
                    cue.frame = "x"
                    return
            elif frame == "o":
                obj = next((c for c in kids if c.dep_ in ("dobj",) and c.i > verb.i), None)
                if obj is None:  # "calling Trump a fascist" (parsed as xcomp/oprd)
                    obj = next((c for c in kids if c.i > verb.i and (
                        c.dep_ == "oprd" or c.dep_ == "xcomp" and c.pos_ in ("NOUN", "PROPN")
                        and not any(g.dep_ == "aux" for g in c.children))), None)
                if obj is None and verb.lemma_ in ASKING_VERBS:
                    about = next((c for c in kids if c.dep_ == "prep" and c.i > verb.i
                                  and c.lower_ in ("about", "regarding")), None)
                    if about is not None:  # "(when) asked about the merger": the topic
                        cue.content = [_chars(doc, *_subtree_span(about))]
                        cue.frame = "o"
                        return
                if obj is None and cue.category == "speech":
                    # "said so", "said yes", "said no"
                    obj = next((c for c in kids if c.i == cue.end and c.lower_ in ("so", "yes", "no")
                                and c.dep_ in ("advmod", "intj", "dobj")), None)
                if obj is not None and verb.lemma_ in AS_ONLY_VERBS and not any(
                        c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i
                        for c in list(kids) + list(obj.children)):
                    obj = None  # "sees Clinton as the favourite", not "saw the movie"
                naming = obj is not None and any(c.i > obj.i and (c.dep_ in ("oprd", "xcomp") or c.dep_ == "prep"
                                                                  and c.lower_ == "as" and c.i == obj.i + 1)
                                                 for c in kids)  # "describes himself as X"
                # "denied it" is an attribution (PolNeAR marks the pronoun); "praised them" too
                # often names a person, not a content
                if obj is not None and (obj.pos_ != "PRON" and obj.lower_ not in PERSONAL_OBJECTS
                                        or obj.lower_ in CONTENT_PRONOUNS
                                        or obj.lower_ in ("so", "yes", "no") or naming):
                    s, e = _subtree_span(obj)
                    # "called Trump unhinged", "invited Russia to dig", "defended X as Y"
                    for c in kids:
                        if c.i >= e and c.left_edge.i <= e + 1 and all(doc[k].is_punct for k in range(e, c.left_edge.i)) \
                                and (c.dep_ in ("oprd", "ccomp", "xcomp", "dep") or c.dep_ == "prep" and c.lower_ == "as"):
                            e = c.right_edge.i + 1
                    e = self._extend_object(doc, verb, cue, e)
                    # "criticized X for Y": the preposition may carry the real content
                    cue.content = [_chars(doc, s, e)]
                    cue.frame = "o"
                    prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in cue.preps
                                 and c.i == e), None)
                    if prep is not None:  # "accused X of Y": content "X of Y", cue the verb
                        pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                        if pobj is not None:
                            cue.content = [_chars(doc, s, pobj.right_edge.i + 1)]
                    return
            elif frame == "p":
                adv = next((c for c in kids if c.dep_ == "advcl" and c.i > verb.i
                            and c.left_edge.lower_ in cue.preps and c.left_edge.i == cue.end), None)
                if adv is not None:  # "calling for the US to act"
                    cue.end = adv.left_edge.i + 1
                    cue.content = [_chars(doc, adv.left_edge.i + 1, adv.right_edge.i + 1)]
                    cue.frame = "p"
                    return
                prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in cue.preps
                             and c.i > verb.i), None)
                if prep is not None and all(doc[k].dep_ in ("advmod", "prt") or k == prep.i
                                            for k in range(cue.end, prep.i)):
                    pobj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                    if pobj is not None:
                        cue.end = prep.i + 1
                        ps, pe = _subtree_span(pobj)
                        xc = next((c for c in kids if c.dep_ in ("xcomp", "advcl") and c.left_edge.i == pe), None)
                        if xc is not None:  # "called on Sanders to join her"
                            pe = xc.right_edge.i + 1
                        pe = self._extend_object(doc, verb, cue, pe)
                        cue.content = [_chars(doc, ps, pe)]
                        cue.frame = "p"
                        return

    @staticmethod
    def _extend_object(doc: Doc, verb: Token, cue: CueMatch, e: int) -> int:
        """'challenged Trump to a debate', 'recalled her opposition to the plan': a
        preposition the parser hung on the verb right after the object still belongs to
        the content (not a time, place of speech or medium: 'on Monday', 'in a statement')."""
        for c in sorted(verb.children, key=lambda t: t.i):
            if c.i != e or c.dep_ != "prep" or c.lower_ not in OBJECT_PREPS or c.lower_ in cue.preps:
                continue
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is None or pobj.ent_type_ in ("DATE", "TIME") or pobj.lower_ in WEEKDAYS \
                    or pobj.lemma_.lower() in MEDIUM_NOUNS:
                continue
            e = c.right_edge.i + 1
        return e

    @staticmethod
    def _colon_into_cue(doc: Doc, cue: CueMatch) -> None:
        if cue.end < len(doc) and doc[cue.end].text == ":":
            cue.end += 1

    @staticmethod
    def _parenthetical(doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
        """'X, he said, Y' / 'X, said Y.': the host clause minus the reporting clause."""
        verb = doc[cue.head]
        if verb.dep_ not in ("parataxis", "ccomp") or verb.head.i == verb.i:
            return []
        if not any(c.dep_ in SUBJ_DEPS for c in verb.children):
            return []
        host = verb.head
        # the reporting clause must be set off by punctuation
        ls, le = verb.left_edge.i, verb.right_edge.i + 1
        if not ((ls > 0 and doc[ls - 1].is_punct) or doc[ls].is_punct):
            return []
        hs, he = _subtree_span(host)
        frags = []
        if ls > hs:
            frags.append(_trim_tokens(doc, hs, ls))
        if he > le and doc[le].text not in (".", "!", "?"):  # "..., he said. Next sentence"
            frags.append(_trim_tokens(doc, le, he))
        return [_chars(doc, s, e) for s, e in frags if e > s]

    @staticmethod
    def _detached_fragment(text: str, doc: Doc, cue: CueMatch, q: Quote) -> bool:
        if len(text[q.start:q.end].split()) >= 4:
            return False
        cs, ce = _chars(doc, cue.start, cue.end)
        a, b = (q.end, cs) if q.end <= cs else (ce, q.start)
        subj = next((c for c in doc[cue.head].children if c.dep_ in SUBJ_DEPS), None)
        if subj is not None:
            ss, se = _chars(doc, *_subtree_span(subj))
            gap = text[a:max(a, min(b, ss))] + text[max(a, min(b, se)):b]
        else:
            gap = text[a:b]
        return any(ch.isalpha() for ch in gap)

    @staticmethod
    def _quote_inside_complement(doc: Doc, verb: Token, q: Quote) -> tuple[int, int] | None:
        """The complement (characters) when the quotation is a fragment inside a larger
        object of the verb (for a preposition: its object)."""
        for c in verb.children:
            if c.i <= verb.i or c.dep_ not in ("dobj", "prep", "dative", "attr", "oprd"):
                continue
            if c.dep_ == "prep":
                c = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if c is None:
                    continue
            s, e = _chars(doc, *_subtree_span(c))
            if s <= q.start and q.end <= e and (q.start - s) + (e - q.end) > 3:
                return s, e
        return None

    @staticmethod
    def _as_clause(doc: Doc, cue: CueMatch) -> list[tuple[int, int]]:
        """'As the Times reported, X' / 'X, as he has argued': the host clause minus
        the as-clause."""
        verb = doc[cue.head]
        if verb.dep_ != "advcl" or verb.head.i == verb.i or verb.head.pos_ not in ("VERB", "AUX"):
            return []
        ls, le = _subtree_span(verb)
        if doc[ls].lower_ != "as" or not any(c.i == ls and c.dep_ == "mark" for c in verb.children):
            return []
        if not any(c.dep_ in SUBJ_DEPS for c in verb.children) \
                or any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i >= cue.end for c in verb.children):
            return []
        hs, he = _subtree_span(verb.head)
        frags = []
        if ls > hs:
            frags.append(_trim_tokens(doc, hs, ls))
        if he > le:
            frags.append(_trim_tokens(doc, le, he))
        return [_chars(doc, s, e) for s, e in frags if e > s]

    @staticmethod
    def _adjacent_quote(doc: Doc, cue: CueMatch) -> Quote | None:
        """The nearest quotation this cue owns (``cue.quotes``, see ``assign_quotes``)."""
        if not cue.quotes:
            return None
        ci = doc[cue.head].idx
        return min(cue.quotes, key=lambda q: min(abs(ci - q.end), abs(q.start - ci)))

    def assign_quotes(self, doc: Doc, cues: list[CueMatch], quotes: list[Quote], *,
                      text: str | None = None) -> dict[int, CueMatch]:
        """Give each quotation to the most plausible speech cue near it (index -> cue).

        Candidates are speech verbs outside every quotation, in a sentence the
        quotation overlaps, in the sentence just before when that one ends with a
        colon, or in a short reporting sentence right after it in the same
        paragraph. The nearest wins; a verb without a subject, or that is not a
        plain reporting verb, is pushed back.
        """
        text = doc.text if text is None else text
        owner: dict[int, CueMatch] = {}
        cands = [c for c in cues if c.kind == "verb" and "q" in c.frames]
        if not cands or not quotes:
            return owner
        qstarts = [q.start for q in quotes]
        inside = set()
        for c in cands:
            ci = doc[c.head].idx
            k = bisect.bisect_right(qstarts, ci) - 1
            if k >= 0 and quotes[k].start <= ci < quotes[k].end:
                inside.add(id(c))
        cands = [c for c in cands if id(c) not in inside]
        for k, q in enumerate(quotes):
            sq = doc.char_span(q.start, q.end, alignment_mode="expand")
            if sq is None or len(sq) == 0:
                continue
            s0, s1 = doc[sq.start].sent, doc[sq.end - 1].sent
            lo, hi = s0.start, s1.end
            pa = text.rfind("\n", 0, q.start) + 1
            pb = text.find("\n", q.end)
            pb = len(text) if pb < 0 else pb
            if s0.start > 0 and self.max_sentence_gap >= 1:
                prev = doc[s0.start - 1].sent
                between = text[prev.end_char:q.start]
                if text[prev.start_char:q.start].rstrip().endswith(":") \
                        or ("\n" not in between and q.start - prev.start_char < 400
                            and any(c.head >= prev.end - 3 and prev.start <= c.head for c in cands)):
                    lo = prev.start
            if s1.end < len(doc) and self.max_sentence_gap >= 1:
                nxt = doc[s1.end].sent
                if len(nxt) <= 10 and _end_char(doc, nxt) <= pb:
                    hi = nxt.end
            colon_intro = text[:q.start].rstrip().endswith(":")
            pa_prev = text.rfind("\n", 0, max(0, pa - 1)) + 1 if colon_intro else pa
            best = None
            for c in cands:
                if not lo <= c.head < hi:
                    continue
                ci = doc[c.head].idx
                if not pa_prev <= ci < pb:
                    continue  # another paragraph (unless it ends 'X said:')
                d = q.start - ci if ci < q.start else ci - q.end
                if d < 0:
                    continue
                if self._verb_source(doc, doc[c.head]) is None:
                    d += 200
                if c.category != "speech":
                    d += 300
                if doc[c.head].lemma_.lower() not in CORE_SPEECH:
                    d += 60
                if best is None or d < best[0]:
                    best = (d, c)
            if best is not None:
                owner[k] = best[1]
        return owner

    def _noun_content(self, doc: Doc, cue: CueMatch) -> None:
        noun = doc[cue.head]
        kids = list(noun.children)
        for c in kids:
            if c.i < noun.i:
                continue
            if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that"
                                                           for m in c.children):
                if "c" in cue.frames:
                    cue.content = [_chars(doc, *_subtree_span(c))]
                    cue.frame = "noun"
                    return
            if c.dep_ == "acl" and "x" in cue.frames and any(m.dep_ == "aux" and m.lower_ == "to"
                                                             for m in c.children):
                cue.content = [_chars(doc, *_subtree_span(c))]
                cue.frame = "noun"
                return
            if c.dep_ == "prep" and c.lower_ in cue.preps and c.i == noun.i + 1:
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    cue.end = c.i + 1
                    cue.content = [_chars(doc, *_subtree_span(pobj))]
                    cue.frame = "noun"
                    return

    # ------------------------------------------------------------------ sources
    @staticmethod
    def _close_source(doc: Doc, span: tuple[int, int] | None) -> tuple[int, int] | None:
        """An NP set off by commas keeps its closing comma ("X, a pollster, said") and a
        parenthesis it opened ("McAuliffe (D)")."""
        if span is None:
            return None
        s, e = span
        if e < len(doc) and doc[e].text == ")" and any(doc[k].text == "(" for k in range(s, e)):
            e += 1
        if e < len(doc) and doc[e].text == "," and any(doc[k].text == "," for k in range(s, e)):
            e += 1
        return s, e

    def find_sources(self, doc: Doc, cues: list[CueMatch]) -> None:
        """Fill ``cue.source`` (token span or None) and ``cue.via`` in place."""
        for cue in cues:
            if cue.kind in ("according", "colon"):
                continue
            if cue.frame == "s":
                cue.source = None  # an appearance: nobody but the writer
            elif cue.kind == "adj":
                adj = doc[cue.head]
                host = adj.head if adj.dep_ != "ROOT" else adj
                if host.lemma_ == "it" or any(c.dep_ == "expl" or c.lower_ == "it" and c.dep_ == "nsubj"
                                              for c in host.children):
                    cue.source = None  # "it is unclear whether ...": nobody
                else:
                    cue.source = self._verb_source(doc, host)
            elif cue.kind == "noun":
                cue.source = self._noun_source(doc, cue)
            else:
                cue.source = self._verb_source(doc, doc[cue.head])
            if cue.source is not None:
                s, e = cue.source
                # never overlap the cue or content
                if s < cue.end and cue.start < e:
                    if s < cue.start:
                        cue.source = _trim_tokens(doc, s, cue.start)
                    else:
                        cue.source = None
            if cue.source is not None:
                s0, e0 = cue.source
                breaks = [k for k in range(s0, e0) if "\n" in doc[k].text]
                if breaks:  # a dateline or a previous paragraph is not part of the source
                    cue.source = _trim_tokens(doc, breaks[-1] + 1, e0) if breaks[-1] + 1 < e0 else None
                    if cue.source is not None and cue.source[1] <= cue.source[0]:
                        cue.source = None
            if cue.source is not None and cue.source[1] <= cue.start:
                closed = self._close_source(doc, cue.source)
                if closed is not None and closed[1] <= cue.start:
                    cue.source = closed
            if cue.kind == "verb":
                cue.via = self._via(doc, doc[cue.head]) or cue.lead_via
        heads = {c.head for c in cues}
        for cue in cues:
            if cue.source is not None:
                cue.source = _cut_speaking_relcl(doc, cue.source, heads)

    def _verb_source(self, doc: Doc, verb: Token, depth: int = 0) -> tuple[int, int] | None:
        if depth > 4:
            return None
        kids = list(verb.children)
        agent = next((c for c in kids if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _trim_tokens(doc, *_subtree_span(pobj))
        subj = next((c for c in kids if c.dep_ in SUBJ_DEPS), None)
        if subj is None and any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in kids):
            subj = next((c for c in kids if c.dep_ == "nsubjpass"), None)  # "He's said" (has, not is)
        if subj is None and depth and verb.dep_ != "conj":
            subj = next((c for c in kids if c.dep_ == "nsubjpass"), None)  # "X is expected to say"
        if subj is not None:
            if subj.lower_ == "there" or subj.lower_ == "it" and verb.lemma_ in ("seem", "appear", "be", "look"):
                return None  # "it seems", "there is": no one; but "it said" is an organisation
            s, e = _subtree_span(subj)
            if e - s > MAX_SOURCE_TOKENS:
                return None
            return _trim_tokens(doc, s, e)
        if any(c.dep_ in ("nsubjpass", "expl") for c in kids) and verb.dep_ != "xcomp":
            return None
        if verb.lemma_ in CORE_SPEECH and not depth:
            # inverted: '"...," said David Brock, a confidant of ...'
            inv = next((c for c in kids if c.i > verb.i and c.dep_ in ("dobj", "attr", "npadvmod", "nsubj")
                        and c.pos_ in ("PROPN", "NOUN") and any(k.dep_ == "ccomp" and k.i < verb.i for k in kids)),
                       None)
            if inv is not None:
                return _trim_tokens(doc, *_subtree_span(inv))
        head = verb.head
        if head.i == verb.i:
            return None
        if verb.dep_ == "pcomp" and head.pos_ == "ADP" and head.head.pos_ in ("VERB", "AUX"):
            return self._verb_source(doc, head.head, depth + 1)  # "X won by arguing that ..."
        if verb.tag_ == "VBN" and verb.dep_ in ("advcl", "acl") \
                and not any(c.dep_ in ("aux", "auxpass") for c in kids):
            return None  # "(When) asked whether ...": the subject was asked, nobody asks
        if verb.dep_ == "conj" and head.dep_ == "ccomp" and head.head.pos_ == "VERB" \
                and self.lexicon.verb(verb.lemma_) is not None \
                and self.lexicon.verb(head.head.lemma_) is not None:
            # "X said Y and added Z", parsed with "added" inside the reported clause
            return self._verb_source(doc, head.head, depth + 1)
        if verb.dep_ in ("conj", "xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
            return self._verb_source(doc, head, depth + 1)
        if self._statement_participle(verb):
            return self._verb_source(doc, head.head, depth + 1)  # "X issued a statement saying ..."
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and head.pos_ in ("NOUN", "PROPN", "PRON") \
                and head.i < verb.i:
            # "supporters backing Cruz": the noun the participle modifies
            return _trim_tokens(doc, head.left_edge.i, head.i + 1)
        return None

    def _noun_source(self, doc: Doc, cue: CueMatch) -> tuple[int, int] | None:
        noun = doc[cue.head]
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if poss is not None:
            s, e = _subtree_span(poss)
            if doc[e - 1].dep_ == "case":
                e -= 1
            return _trim_tokens(doc, s, e) if e > s else None
        # "X issued a statement that ...", "X made the claim that ..."
        if noun.dep_ in ("dobj", "pobj") and noun.head.pos_ in ("VERB",):
            return self._verb_source(doc, noun.head)
        return None

    @staticmethod
    def _via(doc: Doc, verb: Token) -> tuple[int, int] | None:
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                to = next((g for g in c.children if g.lower_ == "to"), None)
                if to is not None:
                    pobj = next((g for g in to.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return _trim_tokens(doc, *_subtree_span(pobj))
        return None

    # ------------------------------------------------------------------ linking
    def link(self, doc: Doc, cues: list[CueMatch], quotes: list[Quote], *,
             text: str | None = None) -> list[dict[str, Any]]:
        """Pair cues with contents and sources; attach unclaimed quotations; build the dicts.

        Uses the quotations ``find_contents`` gave each cue (``CueMatch.quotes``).
        """
        text = doc.text if text is None else text
        owner = {id(q): c for c in cues for q in c.quotes}
        kept = [c for c in cues if c.content]
        # "has refused to endorse X": the inner cue absorbed the outer verb; drop the outer
        kept = [c for c in kept if not any(o is not c and o.start <= c.head < o.end and o.head != c.head
                                           for o in kept)]
        # a speech cue may claim a quotation next to it even when the parse missed it
        claimed = self._claimed(kept, quotes)
        speech = [c for c in cues if c.kind == "verb" and c.category == "speech"]
        for q in quotes:
            if id(q) in claimed or q.dash is False and not q.double:
                continue
            host = self._host_for_quote(doc, text, q, quotes, owner, kept, speech)
            if host is None:
                continue
            if host.content:
                host.content = _merge(host.content + q.spans)
            else:
                host.content = list(q.spans)
                host.frame = "quote"
                kept.append(host)
            claimed.add(id(q))
        kept.sort(key=lambda c: c.start)
        credits = _merge(credit_spans(text) + _furniture_lines(text))
        out: list[dict[str, Any]] = []
        seen: set[tuple[int, int, int]] = set()
        for c in kept:
            if c.kind == "noun" and c.source is None:
                continue  # "support for X" with nobody named: too often not an attribution
            frags = [(s, e) for s, e in c.content if e > s]
            if not frags:
                continue
            cs, ce = _chars(doc, c.start, c.end)
            cstart, cend = frags[0][0], frags[-1][1]
            if cstart < ce and cs < cend and not any(s <= cs and ce <= e for s, e in frags) \
                    and len(frags) == 1:
                # the cue sits inside its own content hull: cut the content to after the cue
                if cs > cstart:
                    frags = [(cstart, cs)]
                else:
                    frags = [(ce, cend)]
                frags = [_trim_chars(text, s, e, quotes) for s, e in frags]
                frags = [f for f in frags if f[1] > f[0]]
                if not frags:
                    continue
                cstart, cend = frags[0][0], frags[-1][1]
            key = (cs, cstart, cend)
            if key in seen:
                continue
            seen.add(key)
            src = _chars(doc, *c.source) if c.source and c.source[1] > c.source[0] else None
            if src and cstart <= src[0] and src[1] <= cend and len(frags) == 1:
                src = None
            via = _chars(doc, *c.via) if c.via and c.via[1] > c.via[0] else None
            kind = _kind(text, frags, quotes)
            if src and "\n" in text[min(src[1], cs):max(src[0], ce)]:
                src = None  # a heading or the line before: never the source of this cue
            if src and in_spans(credits, src[0], src[1]):
                src = None  # a byline, credit or reporting line is not a speaker
            if in_spans(credits, cstart, cstart + 1) or in_spans(credits, cs, ce):
                continue  # a credit or furniture line is not a statement
            frame, statement, negated = classify(doc, text, internal_frame=c.frame, cue_kind=c.kind,
                                                 category=c.category, cue_tokens=(c.start, c.end),
                                                 head=c.head, frags=frags, kind=kind)
            conf = CONF.get(c.frame, 0.5)
            if c.frame in ("c", "paren") and kind != "indirect":
                conf = max(conf, CONF["quote"])
            if c.category in ("belief", "intention", "evaluation") and c.kind == "verb":
                conf -= 0.1
            if src is None:
                conf -= 0.1
            out.append({
                "kind": kind,
                "cue": [cs, ce],
                "content": [cstart, cend],
                "content_spans": [[s, e] for s, e in frags],
                "source": list(src) if src else None,
                "via": list(via) if via else None,
                "confidence": round(max(0.05, min(1.0, conf)), 2),
                "source_entity": None,
                "via_entity": None,
                "statement": statement,
                "negated": negated,
                "frame": frame,
                "category": c.category or None,
            })
            if self.debug:
                out[-1]["debug_frame"] = f"{c.kind}:{c.category}:{c.frame}"
        _collapse_relays(out)
        calibrate(out, text)
        return out

    @staticmethod
    def _claimed(cues: list[CueMatch], quotes: list[Quote]) -> set[int]:
        claimed = set()
        for q in quotes:
            for c in cues:
                if any(s <= q.start and q.end <= e for s, e in c.content):
                    claimed.add(id(q))
                    break
        return claimed

    def _host_for_quote(self, doc: Doc, text: str, q: Quote, quotes: list[Quote], owner: dict[int, CueMatch],
                        kept: list[CueMatch], speech: list[CueMatch]) -> CueMatch | None:
        """The cue an unclaimed quotation belongs to, or None (scare quote, title).

        ``owner``: the cue ``assign_quotes`` gave each quotation, by ``id`` of the quotation.
        """
        inner = text[q.start:q.end]
        n_words = len(inner.split())
        sq = doc.char_span(q.start, q.end, alignment_mode="expand")
        if sq is None:
            return None
        first_sent = doc[sq.start].sent
        last_sent = doc[sq.end - 1].sent
        para_start = text.rfind("\n", 0, q.start) + 1
        para_end = text.find("\n", q.end)
        para_end = len(text) if para_end < 0 else para_end
        # 1. the speech cue assign_quotes gave it
        if id(q) in owner:
            return owner[id(q)]
        if n_words < 4:
            return None  # short fragments without a cue: scare quotes, titles
        # 2. 'X said:' / 'X added:' just before
        prev_end = first_sent.start
        if prev_end > 0:
            prev = doc[prev_end - 1].sent
            ptxt = text[prev.start_char:q.start].rstrip()
            if ptxt.endswith(":"):
                for c in speech:
                    if prev.start <= c.head < prev.end and c.head < sq.start:
                        return c
        # 3. a quote continuing the previous quotation of the same speaker
        #    ('"X," he said. "Y."') inside the same paragraph
        prev_hosts = [c for c in kept if c.content and c.content[-1][1] <= q.start
                      and not any(qq.start <= doc[c.head].idx < qq.end for qq in quotes)]
        if prev_hosts:
            c = max(prev_hosts, key=lambda c: c.content[-1][1])
            gap = text[c.content[-1][1]:q.start]
            same_para = c.content[-1][1] >= para_start and "\n" not in gap
            # or the next paragraph opens with the quotation ('"X," he said.\n\n"Y."')
            next_para = q.start == para_start and gap.count("\n") <= 2 and self.continue_across_paragraphs
            if (same_para or next_para) and len(gap.strip()) < 120 \
                    and any(text[s:e].lstrip()[:1] in DOUBLE_QUOTE_CHARS for s, e in c.content):
                return c
        # 4. the next sentence is a bare reporting clause ("..." She said so.)
        if last_sent.end < len(doc):
            nxt = doc[last_sent.end].sent
            for c in speech:
                if nxt.start <= c.head < nxt.end and not c.content and _end_char(doc, nxt) <= para_end \
                        and len(nxt) <= 8:
                    return c
        return None

    # ------------------------------------------------------------------ writing
    def set_annotations(self, doc: Doc, attributions: list[dict[str, Any]]) -> None:
        doc._.attributions = attributions


def _collapse_relays(out: list[dict[str, Any]]) -> None:
    """A reporting chain is one statement: "Lavrov said, according to AFP, that ..." is
    recorded on the inner attribution (source Lavrov, via AFP); the outer relay record
    (source AFP, "according to", content holding the inner cue) stays for the broad
    PolNeAR-style scope but is not a statement of its own."""
    for inner in out:
        if not inner["via"] or not inner["cue"]:
            continue
        cs, ce = inner["cue"]
        for o in out:
            if o is not inner and o["statement"] and o["source"] == inner["via"] \
                    and o["content"][0] <= cs and ce <= o["content"][1]:
                o["statement"] = False


_LABEL_LINE = re.compile(r"^[ \t]*([A-Z][A-Z'’ &-]{1,40}):[ \t]+(\S[^\n]*)$", re.M)


def _furniture_lines(text: str) -> list[tuple[int, int]]:
    """Lines opened by an upper-case label that names nobody and ending without sentence
    punctuation: links and section furniture ("READ MORE: Budget won't balance, says PBO",
    "WATCH: ..."). A transcript label is a name the article also writes in ordinary case
    ("TRUMP: We will win." has "Trump" elsewhere) and is kept."""
    out = []
    for m in _LABEL_LINE.finditer(text):
        label, rest = m.group(1).strip(), m.group(2).rstrip()
        if len(label) < 2 or rest[-1:] in ".!?\"”’":
            continue
        name = label.title()
        if re.search(r"\b" + re.escape(name) + r"\b", text):
            continue
        out.append((m.start(), m.end()))
    return out


def _split_at_quote_gaps(frags: list[tuple[int, int]], quotes: list[Quote]) -> list[tuple[int, int]]:
    """A quotation running over paragraphs leaves its paragraph breaks out of the content."""
    out = []
    for s, e in frags:
        cuts = [(a, b) for q in quotes if q.fragments and s <= q.start and q.end <= e
                for (_, a), (b, _) in zip(q.fragments, q.fragments[1:], strict=False)]
        for a, b in sorted(cuts):
            out.append((s, a))
            s = b
        out.append((s, e))
    return [(a, b) for a, b in out if b > a]


def _end_char(doc: Doc, span: Any) -> int:
    """End of a sentence's last non-space token (a paragraph break hangs on the sentence
    before it)."""
    last = span.end - 1
    while last > span.start and doc[last].is_space:
        last -= 1
    return doc[last].idx + len(doc[last].text)


def _merge(frags: list[tuple[int, int]]) -> list[tuple[int, int]]:
    frags = sorted(frags)
    out: list[tuple[int, int]] = []
    for s, e in frags:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


LEX_NONE = LexCue("", "verb", "")
GENERIC_ADJ_THAT = LexCue("", "adj", "belief", ("c",), (), "generic adjective + that-clause")
GENERIC_THAT = LexCue("", "verb", "belief", ("c",), (), "any verb with a subject and a that-clause")
_DEFAULT: AttributionFinder | None = None


def find_attributions(doc: Doc) -> list[dict[str, Any]]:
    """Attributions of a parsed ``doc`` (needs sentences and a dependency parse)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = AttributionFinder()
    _DEFAULT(doc)
    return list(doc._.attributions or [])
