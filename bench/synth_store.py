"""A synthetic *analysed* store: N articles with attributions, entities and events.

Written straight through the store interface (``open_store(path).add_articles``, batches
of ``BATCH``: one transaction each, the same rows as ``add_article`` one by one)
with hand-built ``Attribution`` / ``Entity`` / ``Event`` records: no extraction,
no NLP. Used by ``bench/serve.py`` to measure the web app on a store of
realistic size (100,000 articles by default).

Guarantees:

* Deterministic: article ``i`` depends only on ``(seed, i)``, so the same seed and
  N give the same articles (and a prefix of a larger store equals a smaller one).
* Every span is valid: ``article.text[span.start:span.end] == span.text`` for
  every attribution content / cue / source / via, entity mention and event
  trigger / actor / target / location; discontinuous quotes carry
  ``content_spans``; every text is unique (it names its own reference number).
* Realistic shape: 600 recurring people (the most quoted in ~17% of articles, the 50th in ~1%), 40 organisations and
  countries drawn with Zipf-like frequency (a handful appear everywhere, most
  rarely), 15 outlets, publication dates spread over one year, ~140 topic words (each article has a
  main topic and 2-4 secondary ones, Zipf-like), 3-15
  attributions and 1-4 events per article, 250-600 words.

Run ``python bench/synth_store.py OUT.db [N] [--seed S] [--batch B]`` (``--batch 1``: one by one).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as _dt
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsgraph.ids import article_id
from newsgraph.types import Article, Attribution, Entity, Event, TextSpan

DEFAULT_N = 100_000
DEFAULT_SEED = 7
YEAR_START = _dt.date(2026, 1, 1)
N_DAYS = 365

OUTLETS = (
    "Baltic Ledger", "Danube Wire", "Pacific Standard Times", "Northern Courier", "Meridian Post",
    "Adriatic Observer", "Gulf Dispatch", "Caspian Herald", "Sahel Monitor", "Andes Courier",
    "Atlantic Brief", "Levant Review", "Channel Gazette", "Alpine Chronicle", "Nordic Defence Review",
)
_FIRST = (
    "Anna", "Marek", "Ilinca", "Goran", "Sigrid", "Omar", "Lena", "Tomas", "Priya", "Daniel", "Aino",
    "Rustam", "Helena", "Kristjan", "Mariam", "Jorge", "Yusuf", "Elena", "Pieter", "Nadia", "Viktor",
    "Ingrid", "Kenji", "Amara", "Lucia", "Stefan", "Hana", "Farid", "Olga", "Mateo", "Zofia", "Ravi",
    "Beatriz", "Emil", "Saoirse", "Tariq", "Mirela", "Jonas", "Adaeze", "Luka",
)
_LAST = (
    "Keller", "Novak", "Muresan", "Belic", "Haddad", "Hartmann", "Vaitkus", "Raman", "Okafor",
    "Virtanen", "Qaziyev", "Marquardt", "Traore", "Salas", "Demir", "Petrova", "Rahimi", "Sokolov",
    "Lund", "Sato", "Diallo", "Ferreira", "Wendland", "Kovac", "Nasser", "Brandt", "Castillo", "Wrona",
    "Iyer", "Lindqvist", "Abara", "Mendez", "Horvath", "Baptiste", "Quist", "Ozturk", "Vasquez",
    "Ekdahl", "Moravec", "Tanaka",
)
_ROLES = (
    "Foreign Minister", "Defence Minister", "Prime Minister", "President", "Finance Minister",
    "spokeswoman", "spokesman", "senior official", "opposition leader", "analyst", "economist",
    "central bank governor", "trade negotiator", "envoy", "mayor", "union leader", "energy minister",
)
COUNTRIES = (
    "Valdavia", "Ostrovia", "Meridan", "Tamaran", "Altavera", "Dalmar", "Korvenia", "Lusaria",
    "Brenmark", "Casmir", "Pellucia", "Veskaria", "Ardenne", "Solvenia", "Marovia", "Kestria",
    "Tirellia", "Ruvena", "Zamora", "Eskvald", "Halvaria", "Quoria", "Nerevia", "Iskander",
)
_ORG_HEADS = ("Ministry of", "Council for", "Agency for", "Institute of", "Commission on", "Federation of")
_ORG_TOPICS = ("Energy", "Trade", "Fisheries", "Maritime Affairs", "Defence", "Finance", "Health",
               "Migration", "Telecommunications", "Agriculture")
TOPICS = (  # ordered from the most to the least covered (drawn Zipf-like)
    "sanctions", "ceasefire", "tariffs", "pipeline", "election", "fisheries", "cable", "inflation",
    "drought", "refinery", "border", "runoff", "hydrogen", "shipping", "grain", "subsidies", "strike",
    "budget", "reactor", "harbour", "corridor", "referendum", "embargo", "quota", "bonds", "wildfire",
    "vaccine", "satellite", "railway", "customs", "mining", "lithium", "currency", "pension", "frigate",
    "drills", "blockade", "negotiations", "treaty", "summit", "protests", "investment", "deficit",
    "airspace", "asylum", "auction", "austerity", "ballots", "bauxite", "biofuel", "broadband", "canal",
    "cartel", "census", "chipmakers", "coalition", "cobalt", "copper", "corruption", "cyberattack",
    "dam", "debt", "desalination", "dockworkers", "earthquake", "emissions", "evacuation", "exports",
    "famine", "ferry", "fertiliser", "floods", "fuel", "gasfield", "glacier", "hackers", "heatwave",
    "helicopters", "highway", "hospitals", "hostages", "icebreaker", "impeachment", "inquiry", "irrigation",
    "landmines", "lawsuit", "levy", "locusts", "manifesto", "merger", "midwives", "militia", "monsoon",
    "nickel", "nurses", "offshore", "oilfield", "outage", "overfishing", "pandemic", "parliament",
    "patrols", "peacekeepers", "pharmacies", "pipelines", "piracy", "plebiscite", "ports", "poverty",
    "privatisation", "quarantine", "rationing", "recession", "recount", "refugees", "remittances",
    "rice", "salaries", "salmon", "scholarships", "seabed", "semiconductors", "shipyard", "smuggling",
    "solar", "spyware", "steelworks", "submarine", "teachers", "telecoms", "tourism", "trawlers",
    "tunnel", "turbines", "unemployment", "uranium", "visas", "wages", "whistleblower", "windfarm",
)
_ADJ = ("new", "fragile", "costly", "long-delayed", "disputed", "temporary", "ambitious", "limited",
        "regional", "sweeping", "modest", "controversial", "bilateral", "emergency", "first")
_VERBS = ("announced", "postponed", "approved", "rejected", "debated", "reviewed", "extended",
          "suspended", "expanded", "welcomed", "criticised", "questioned")
_TIMES = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week",
          "this month", "earlier this year", "overnight", "at the weekend")
_CUES = ("said", "told reporters", "warned", "insisted", "added", "argued", "stressed", "claimed",
         "noted", "acknowledged")
_QUOTES = (
    "We will not accept {adj} {topic} imposed from outside",
    "The {topic} must be settled before the winter",
    "Nobody in {country} wants another round of {topic}",
    "This is a {adj} step, but it is a step",
    "Our position on the {topic} has not changed",
    "The talks on {topic} were frank and useful",
    "We expect {country} to honour its commitments",
    "There is no plan B for the {topic}",
    "The numbers on {topic} speak for themselves",
    "We are ready to talk, but not at any price",
)
_CLAUSES = (
    "the {topic} would be reviewed {time}",
    "{country} had not been consulted about the {topic}",
    "the {adj} {topic} could cost more than expected",
    "talks on the {topic} would resume {time}",
    "the government had no intention of changing course on {topic}",
    "{country} was prepared to compromise on the {topic}",
)
# PLOVER type -> trigger phrases ("{a} TRIGGER {b}")
_EVENTS = (
    ("ACCUSE", ("accused", "blamed")), ("THREATEN", ("threatened", "warned")),
    ("SANCTION", ("sanctioned", "imposed sanctions on")), ("AID", ("sent aid to", "supplied")),
    ("CONSULT", ("held talks with", "met")), ("AGREE", ("signed an agreement with", "agreed with")),
    ("ASSAULT", ("shelled", "attacked")), ("REQUEST", ("called on", "asked")),
    ("REJECT", ("rejected a proposal from", "rebuffed")), ("PROTEST", ("protested to",)),
    ("COOPERATE", ("cooperated with",)), ("SUPPORT", ("backed", "endorsed")),
)
_SUBJECTS = ("The government", "Officials", "Lawmakers", "The ministry", "Regional leaders", "Negotiators",
             "The cabinet", "Diplomats")
_MODALITIES = ("asserted",) * 6 + ("planned", "conditional")


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    type: str  # PERSON | ORG | GPE
    short: str  # what later mentions call it
    role: str | None = None

    @property
    def id(self) -> str:
        return f"{self.type.lower()}:" + re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")


def _zipf_cum(n: int, s: float = 1.05) -> list[float]:
    cum, total = [], 0.0
    for rank in range(1, n + 1):
        total += 1.0 / rank ** s
        cum.append(total)
    return cum


_TOPIC_CUM = _zipf_cum(len(TOPICS), 0.8)


class Cast:
    """The recurring people, organisations and countries, fixed by the seed."""

    def __init__(self, seed: int, n_people: int = 600) -> None:
        rnd = random.Random(f"cast:{seed}")
        pairs = [(f, last) for f in _FIRST for last in _LAST]
        rnd.shuffle(pairs)
        self.people = [Actor(f"{f} {last}", "PERSON", last, rnd.choice(_ROLES)) for f, last in pairs[:n_people]]
        orgs = [f"{h} {t}" for h in _ORG_HEADS for t in _ORG_TOPICS]
        rnd.shuffle(orgs)
        self.orgs = [Actor(o, "ORG", o) for o in orgs[:40]]
        self.countries = [Actor(c, "GPE", c) for c in COUNTRIES]
        # Zipf exponents chosen so the most-quoted person is in ~20% of articles, the 50th in ~1%
        self._cum = {"p": _zipf_cum(len(self.people), 0.75), "o": _zipf_cum(len(self.orgs), 0.9),
                     "c": _zipf_cum(len(self.countries), 0.9)}

    def _pick(self, rnd: random.Random, pool: list[Actor], key: str) -> Actor:
        cum = self._cum[key]
        return pool[min(bisect.bisect_left(cum, rnd.random() * cum[-1]), len(pool) - 1)]

    def person(self, rnd: random.Random) -> Actor:
        return self._pick(rnd, self.people, "p")

    def org(self, rnd: random.Random) -> Actor:
        return self._pick(rnd, self.orgs, "o")

    def country(self, rnd: random.Random) -> Actor:
        return self._pick(rnd, self.countries, "c")


class _Text:
    """Append-only text that hands back the span of every piece it adds."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.mentions: dict[str, tuple[Actor, list[TextSpan]]] = {}
        self.speakers: list[Actor] = []
        self.topics: list[str] = []  # the article's main topic and a few secondary ones

    def add(self, s: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        return start, self.pos

    def span(self, s: str, entity: str | None = None) -> TextSpan:
        a, b = self.add(s)
        return TextSpan(a, b, s, entity)

    def mention(self, actor: Actor, *, full: bool | None = None) -> TextSpan:
        """The actor's name (full on first mention, short after), recorded as an entity mention."""
        seen = actor.name in self.mentions
        name = actor.name if (full if full is not None else not seen) else actor.short
        sp = self.span(name, actor.name)
        self.mentions.setdefault(actor.name, (actor, []))[1].append(TextSpan(sp.start, sp.end, sp.text))
        return sp

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _topic(rnd: random.Random) -> str:
    return TOPICS[min(bisect.bisect_left(_TOPIC_CUM, rnd.random() * _TOPIC_CUM[-1]), len(TOPICS) - 1)]


def _fill(rnd: random.Random, template: str, cast: Cast, topics: list[str]) -> str:
    return template.format(topic=rnd.choice(topics), adj=rnd.choice(_ADJ), time=rnd.choice(_TIMES),
                           country=cast.country(rnd).name)


def _filler(rnd: random.Random, t: _Text, cast: Cast, main: str) -> None:
    if rnd.random() < 0.35:
        t.mention(cast.country(rnd))
    else:
        t.add(rnd.choice(_SUBJECTS))
    t.add(f" {rnd.choice(_VERBS)} a {rnd.choice(_ADJ)} plan on {main} and {rnd.choice(t.topics)} "
          f"{rnd.choice(_TIMES)}, with officials describing the {rnd.choice(t.topics)} as {rnd.choice(_ADJ)}. ")


def _speaker(rnd: random.Random, t: _Text, cast: Cast, *, lead: bool) -> TextSpan:
    """A source span from the article's own speakers; on first mention a role precedes the name."""
    p = rnd.choice(t.speakers)
    if p.name not in t.mentions and p.role and lead:
        t.add(f"{p.role[0].upper()}{p.role[1:]} ")
    return t.mention(p)


def _attribution(rnd: random.Random, t: _Text, cast: Cast, main: str) -> Attribution:
    form = rnd.random()
    cue_word = rnd.choice(_CUES)
    conf = round(0.6 + 0.4 * rnd.random(), 3)
    if form < 0.3:  # "Q," Speaker said.
        t.add("\u201c")
        content = t.span(_fill(rnd, rnd.choice(_QUOTES), cast, t.topics) + ",")
        t.add("\u201d ")
        source = _speaker(rnd, t, cast, lead=False)
        t.add(" ")
        cue = t.span(cue_word)
        t.add(". ")
        return Attribution("direct", content, cue, source, confidence=conf)
    if form < 0.45:  # "Q1," Speaker said, "Q2."
        t.add("\u201c")
        q1 = t.span(_fill(rnd, rnd.choice(_QUOTES), cast, t.topics) + ",")
        t.add("\u201d ")
        source = _speaker(rnd, t, cast, lead=False)
        t.add(" ")
        cue = t.span(cue_word)
        t.add(", \u201c")
        q2 = t.span(_fill(rnd, rnd.choice(_QUOTES), cast, t.topics) + ".")
        t.add("\u201d ")
        outer = TextSpan(q1.start, q2.end, t.text[q1.start:q2.end])
        return Attribution("direct", outer, cue, source, content_spans=((q1.start, q1.end), (q2.start, q2.end)),
                           confidence=conf)
    if form < 0.75:  # Speaker said that CLAUSE.
        source = _speaker(rnd, t, cast, lead=True)
        t.add(" ")
        cue = t.span(cue_word)
        t.add(" that ")
        content = t.span(_fill(rnd, rnd.choice(_CLAUSES), cast, t.topics))
        t.add(". ")
        return Attribution("indirect", content, cue, source, confidence=conf)
    if form < 0.9:  # Speaker said the plan was "Q".
        source = _speaker(rnd, t, cast, lead=True)
        t.add(" ")
        cue = t.span(cue_word)
        t.add(" ")
        content = t.span(f"the {main} plan was \u201c{rnd.choice(_ADJ)} but necessary\u201d")
        t.add(". ")
        return Attribution("mixed", content, cue, source, confidence=conf)
    # Speaker warned, according to Org, that CLAUSE.
    source = _speaker(rnd, t, cast, lead=True)
    t.add(" ")
    cue = t.span(cue_word)
    t.add(", according to ")
    via = t.mention(cast.org(rnd))
    t.add(", that ")
    content = t.span(_fill(rnd, rnd.choice(_CLAUSES), cast, t.topics))
    t.add(". ")
    return Attribution("indirect", content, cue, source, via=via, confidence=conf)


def _event(rnd: random.Random, t: _Text, cast: Cast, published: str, n_attr: int) -> Event:
    a = cast.country(rnd)
    b = cast.country(rnd)
    while b is a:
        b = cast.country(rnd)
    etype, triggers = rnd.choice(_EVENTS)
    negated = rnd.random() < 0.08
    attribution = None
    if rnd.random() < 0.3 and n_attr:
        attribution = rnd.randrange(n_attr)
    actor = t.mention(a)
    t.add(" did not " if negated else " ")
    trigger = t.span(rnd.choice(triggers))
    t.add(" ")
    target = t.mention(b)
    location = None
    if rnd.random() < 0.3:
        t.add(" in ")
        location = t.mention(cast.country(rnd))
    t.add(f" over the {rnd.choice(t.topics)}. ")
    date = published if rnd.random() < 0.5 else None
    modality = "reported" if attribution is not None else rnd.choice(_MODALITIES)
    return Event(etype, trigger, actor, target, negated, modality, date, location, attribution)


def make_article(i: int, *, seed: int = DEFAULT_SEED, cast: Cast | None = None) -> Article:
    """Article ``i`` of the synthetic store (depends only on ``seed`` and ``i``)."""
    cast = cast or Cast(seed)
    rnd = random.Random(f"{seed}:{i}")
    outlet = rnd.choice(OUTLETS)
    day = YEAR_START + _dt.timedelta(days=rnd.randrange(N_DAYS))
    published = day.isoformat()
    main = _topic(rnd)
    place = cast.country(rnd)
    title = f"{place.name} {rnd.choice(_VERBS)} {rnd.choice(_ADJ)} {main} deal"
    t = _Text()
    t.topics = [main] + [_topic(rnd) for _ in range(rnd.randint(2, 4))]
    for _ in range(rnd.randint(2, 6)):  # the article's speakers: each is usually quoted more than once
        p = cast.person(rnd) if rnd.random() < 0.85 else cast.org(rnd)
        if p not in t.speakers:
            t.speakers.append(p)
    t.mention(place, full=True)
    t.add(f" {rnd.choice(_VERBS)} a {rnd.choice(_ADJ)} {main} package {rnd.choice(_TIMES)}. ")
    n_attr = rnd.randint(3, 15)
    n_events = rnd.randint(1, 4)
    target_words = rnd.randint(250, 600)
    attributions: list[Attribution] = []
    events: list[Event] = []
    while len(attributions) < n_attr or len(events) < n_events or len(t.text.split()) < target_words:
        r = rnd.random()
        if len(attributions) < n_attr and r < 0.45:
            attributions.append(_attribution(rnd, t, cast, main))
        elif len(events) < n_events and r < 0.6:
            events.append(_event(rnd, t, cast, published, len(attributions)))
        else:
            _filler(rnd, t, cast, main)
            if rnd.random() < 0.25:
                t.add("\n\n")
    t.add(f"This is report {i} of the {outlet} series on {main}.")
    text = t.text
    entities = tuple(Entity(actor.id, actor.name, actor.type, tuple(spans))
                     for actor, spans in t.mentions.values())
    authors = tuple(cast.people[rnd.randrange(len(cast.people))].name for _ in range(rnd.choice((1, 1, 2))))
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    host = re.sub(r"[^a-z]+", "", outlet.lower())
    return Article(
        id=article_id(text), source=f"synth:{seed}:{i}", url=f"https://{host}.example/{published}/{slug}-{i}",
        title=title, outlet=outlet, authors=authors, published=published, language="en", text=text,
        attributions=tuple(attributions), entities=entities, events=tuple(events),
    )


def generate(n: int, *, seed: int = DEFAULT_SEED, start: int = 0) -> Iterator[Article]:
    cast = Cast(seed)
    for i in range(start, n):
        yield make_article(i, seed=seed, cast=cast)


_WORKER_CAST: dict[int, Cast] = {}


def _make_chunk(args: tuple[int, int, int]) -> list[Article]:
    seed, lo, hi = args
    cast = _WORKER_CAST.setdefault(seed, Cast(seed))
    return [make_article(i, seed=seed, cast=cast) for i in range(lo, hi)]


def _generate_parallel(n: int, seed: int, start: int, chunk: int = 250) -> Iterator[Article]:
    """``generate`` in a helper process, so building articles overlaps with writing them."""
    import multiprocessing as mp

    if n - start < 2 * chunk:
        yield from generate(n, seed=seed, start=start)
        return
    from collections import deque

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(1) as pool:
        jobs = iter([(seed, lo, min(lo + chunk, n)) for lo in range(start, n, chunk)])
        window: deque = deque()  # at most 4 chunks in flight: memory stays flat
        for job in jobs:
            window.append(pool.apply_async(_make_chunk, (job,)))
            if len(window) >= 4:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


#: Articles written per ``Store.add_articles`` call (one transaction, one ``LinkCache``).
BATCH = 1000


def build(path: str | Path, n: int = DEFAULT_N, *, seed: int = DEFAULT_SEED, progress: bool = False,
          batch: int = BATCH) -> dict:
    """Add articles 0..n-1 to the store at ``path`` (any ``open_store`` URL) in batches of ``batch``
    (``Store.add_articles``; ``batch=1``: ``add_article`` one by one, the same rows).

    An existing store is topped up: articles ``count..n-1`` are added (a store
    built with the same seed holds exactly articles ``0..count-1``).
    """
    from newsgraph.store import open_store

    t0 = time.perf_counter()
    counts: dict[str, int] = {}
    store = open_store(str(path))
    try:
        have = min(store.count_articles(), n)
        done, pending = have, []
        for art in _generate_parallel(n, seed, have):
            pending.append(art)
            if len(pending) < batch:
                continue
            results = store.add_articles(pending) if batch > 1 else [store.add_article(pending[0])]
            for res in results:
                counts[res] = counts.get(res, 0) + 1
            done, pending = done + len(pending), []
            if progress and done // 5000 != (done - batch) // 5000:
                el = time.perf_counter() - t0
                print(f"  {done:,} articles, {el:.0f} s ({(done - have) / el:,.0f}/s)", file=sys.stderr)
        for res in store.add_articles(pending):
            counts[res] = counts.get(res, 0) + 1
        total = store.count_articles()
    finally:
        store.close()
    return {"articles": total, "added": counts.get("new", 0), "seconds": time.perf_counter() - t0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="store path or URL (created; an existing one is topped up to N)")
    ap.add_argument("n", nargs="?", type=int, default=DEFAULT_N)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--batch", type=int, default=BATCH, help="articles per transaction (1: one by one)")
    args = ap.parse_args(argv)
    res = build(args.out, args.n, seed=args.seed, progress=True, batch=max(1, args.batch))
    print(f"{args.out}: {res['articles']:,} articles ({res['added']:,} added) in {res['seconds']:.1f} s "
          f"= {res['added'] / max(res['seconds'], 1e-9):,.0f} articles/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
