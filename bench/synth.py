"""Deterministic synthetic news corpus for benchmarks.

``generate(n, seed=..., dup_share=...)`` yields ``SynthArticle`` records one at
a time (nothing is held in memory but the one being built);
``write_corpus(folder, n, ...)`` writes them as files in sub-folders of 1,000
(``0000/000000.html``, ``0000/000001.txt``, ...): even indices are full HTML
pages, odd ones scraped plain text in the style of ``examples/*.txt``. Both come
with realistic boilerplate (navigation, byline, captions and photo credits,
read-also links, author box, newsletter, comment form).

Guarantees:

* Same ``seed`` and ``n`` -> byte-identical output. Article ``i`` depends only on
  ``(seed, i)``, so a prefix of a larger corpus equals the smaller corpus
  (when no duplicates are injected).
* Every body is unique: each carries a sentence with the article's own
  reference number, on top of randomly assembled prose of 300-800 words.
* ``dup_share=s`` makes exactly ``round(n * s)`` files exact copies (same
  content, other file name) of an earlier non-duplicate file of the same kind;
  the store should then hold ``n - round(n * s)`` articles.

Run ``python bench/synth.py OUT_DIR N [--seed S] [--dup-share 0.1]``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PER_DIR = 1000
MIN_WORDS, MAX_WORDS = 300, 800

# ---------------------------------------------------------------- word lists

OUTLETS = (
    "Baltic Ledger", "Danube Wire", "Pacific Standard Times", "Northern Courier", "Meridian Post",
    "Adriatic Observer", "Gulf Dispatch", "Caspian Herald", "Sahel Monitor", "Andes Courier",
    "Atlantic Brief", "Levant Review", "Channel Gazette", "Alpine Chronicle", "Nordic Defence Review",
)
SECTIONS = ("World", "Politics", "Europe", "Security", "Energy", "Business", "Diplomacy", "Trade")
FIRST = (
    "Anna", "Marek", "Ilinca", "Goran", "Sigrid", "Omar", "Lena", "Tomas", "Priya", "Daniel", "Aino",
    "Rustam", "Helena", "Kristjan", "Mariam", "Jorge", "Yusuf", "Elena", "Pieter", "Nadia", "Viktor",
    "Ingrid", "Kenji", "Amara", "Lucia", "Stefan", "Hana", "Farid", "Olga", "Mateo", "Zofia", "Ravi",
)
LAST = (
    "Keller", "Novak", "Muresan", "Belic", "Eng", "Haddad", "Hartmann", "Vaitkus", "Raman", "Okafor",
    "Virtanen", "Qaziyev", "Marquardt", "Magi", "Traore", "Salas", "Demir", "Petrova", "de Vries",
    "Rahimi", "Sokolov", "Lund", "Sato", "Diallo", "Ferreira", "Wendland", "Kovac", "Nasser", "Brandt",
    "Castillo", "Wrona", "Iyer",
)
COUNTRIES = (
    "Valdavia", "Ostrovia", "Meridan", "Tamaran", "Altavera", "Dalmar", "Korvenia", "Lusaria",
    "Brenmark", "Estavia", "Norvania", "Calderra", "Sundara", "Vestria", "Karvonia", "Zelmira",
)
CITIES = (
    "Brussels", "Vienna", "Geneva", "Baku", "Helsinki", "Singapore", "Nairobi", "Ankara", "Warsaw",
    "Lisbon", "Oslo", "Doha", "Jakarta", "Santiago", "Tallinn", "Rome", "Prague", "Dakar", "Hanoi",
)
TITLES = (
    "Foreign Minister", "Defence Minister", "Energy Minister", "Trade Minister", "Prime Minister",
    "President", "Finance Minister", "Interior Minister", "ambassador", "deputy foreign minister",
)
TITLE_REF = {
    "Foreign Minister": "the foreign minister", "Defence Minister": "the defence minister",
    "Energy Minister": "the energy minister", "Trade Minister": "the trade minister",
    "Prime Minister": "the prime minister", "President": "the president",
    "Finance Minister": "the finance minister", "Interior Minister": "the interior minister",
    "ambassador": "the ambassador", "deputy foreign minister": "the deputy minister",
}
AGENCIES = ("Reuters", "Agence France-Presse", "the Associated Press", "Interfax", "Anadolu", "EFE", "Bloomberg", "Kyodo")
BODIES = (
    "the foreign ministry", "the defence ministry", "the energy regulator", "the central bank",
    "the electoral commission", "the European Commission", "the customs service", "the coast guard",
    "the grid operator", "the finance ministry", "the presidential office", "the port authority",
)
TOPICS = {
    "diplomacy": (
        ("talks", "negotiations", "consultations", "summit", "round of talks"),
        ("a joint statement", "a framework agreement", "a prisoner exchange", "a visa deal", "a border treaty"),
        ("delegations", "envoys", "mediators", "diplomats", "negotiators"),
    ),
    "security": (
        ("exercise", "patrol mission", "air policing mission", "naval deployment", "border operation"),
        ("air defence systems", "artillery ammunition", "minehunters", "surveillance drones", "radar stations"),
        ("troops", "officers", "sailors", "military planners", "border guards"),
    ),
    "elections": (
        ("election", "runoff", "referendum", "parliamentary vote", "local elections"),
        ("the vote count", "voter registration", "the campaign finance rules", "the observer mission", "the ballot design"),
        ("voters", "candidates", "observers", "poll workers", "party officials"),
    ),
    "energy": (
        ("pipeline project", "grid connection", "LNG terminal", "wind farm tender", "gas storage plan"),
        ("gas supplies", "electricity prices", "long-term contracts", "transit fees", "emergency reserves"),
        ("grid operators", "utilities", "traders", "regulators", "energy companies"),
    ),
    "trade": (
        ("tariff talks", "trade agreement", "export ban", "customs dispute", "sanctions package"),
        ("steel duties", "export licences", "rules of origin", "battery subsidies", "port fees"),
        ("exporters", "carmakers", "farmers", "shipping firms", "importers"),
    ),
}
TOPIC_NAMES = tuple(TOPICS)
DAYS = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "at the weekend", "late on Sunday")
ADJ = ("tense", "difficult", "constructive", "frank", "lengthy", "unexpected", "cautious", "decisive")
NUMBERS = ("two", "three", "four", "five", "six", "eight", "ten", "twelve", "fifteen", "twenty")
VERB_DISC = ("discuss", "review", "revise", "expand", "suspend", "renegotiate", "finalise", "examine")

FACT_TEMPLATES = (
    "{Body} said {day} that the {item} would be reviewed before the end of the year.",
    "Work on the {item} began in {year}, when {country} first raised concerns about {thing}.",
    "According to {body}, {n} {people} attended the meeting on the {item} in {city}.",
    "{Agency} reported that {country} was preparing to {verb} its position on {thing}.",
    "{Person} said, according to {agency}, that {country} was ready to {verb} {thing}.",
    "Officials in {city} described the meeting as {adj}, but declined to give details.",
    "The dispute over {thing} has strained relations between {country} and {country2} for several years.",
    "{Country} and {country2} have held {n} rounds of talks on the {item} since the spring.",
    "Analysts say the outcome will depend largely on {thing} and on the mood among {people}.",
    "Critics argue that the plan does little to address {thing}, which they see as the real problem.",
    "The government in {city} has not commented publicly on the {item}.",
    "According to a senior official who spoke on condition of anonymity, the {item} could be delayed until {month}.",
    "{n} {people} were invited to {city} to {verb} the proposals in detail.",
    "The cost of the {item} is estimated at around {money} million euros, {body} said in a statement.",
    "A spokesperson for {body} confirmed that {thing} had been discussed but gave no further details.",
    "Opposition lawmakers in {country} have called for a parliamentary debate on {thing}.",
    "The meeting in {city} was the first of its kind since {year}, according to {agency}.",
    "Prices linked to {thing} rose by {pct} percent in the week after the announcement.",
)
QUOTE_TEMPLATES = (
    "– We will not accept any decision on {thing} that is taken without us, said {ref}.",
    "– This is a {adj} moment, but I believe the {item} can still succeed, {ref} told reporters in {city}.",
    "— Nobody wants a crisis over {thing}. We want rules that everyone can live with, said {person}.",
    "“We have made progress on {thing}, but the hardest questions are still open,” {person} said.",
    "“The {people} deserve clarity, and they deserve it before {month},” {ref} said.",
    "«Our position on {thing} has not changed,» {person} said in a statement.",
    "{He} said the {item} was “a test of whether {country} keeps its word”.",
    "{He} added that {country} would {verb} {thing} if the {item} failed.",
)
CAPTIONS = (
    "{Item} in {city}: {Person} arrives for the meeting {day}.",
    "Under pressure: {people_cap} gather outside the venue of the {item} in {city}.",
    "Face to face: delegations from {country} and {country2} at the start of the {item}.",
    "On the ground: {people_cap} near the border of {country} {day}.",
)
HEADLINES = (
    "{Country} and {country2} agree to resume talks on {item}",
    "{Person} warns of delays to the {item}",
    "What the {item} could mean for {thing}",
    "{Country} to {verb} {thing} after {item} stalls",
    "Five questions about {thing} in {country}",
    "{Agency_cap} sources: {country} weighs new {item}",
)
NAV_HTML = ("Home", "World", "Politics", "Security", "Energy", "Business", "Opinion", "Video")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "September", "October", "November")

COMMENT_FORM_TXT = (
    "Leave a Reply\n\nYour email address will not be published. Required fields are marked *\n\n"
    "Comment\n\nName *\n\nEmail *"
)
COMMENT_FORM_HTML = (
    '<section id="respond" class="comment-respond"><h3>Leave a Reply</h3>'
    '<form id="commentform"><p class="comment-notes">Your email address will not be published. '
    'Required fields are marked *</p><textarea name="comment"></textarea>'
    '<input type="submit" value="Post Comment"></form></section>'
)
BIO_BITS = (
    "Coffee enthusiast.", "Map collector.", "Reluctant early riser.", "Chess club regular.",
    "Writes about borders and the people who draw them.", "Former radio producer.",
    "Believes every story needs a chart.", "Night train devotee.", "Amateur sailor.",
)


# ---------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class SynthArticle:
    index: int
    kind: str  # "html" or "text"
    relpath: str  # "0000/000000.html"
    url: str
    title: str
    outlet: str
    author: str
    published: str  # ISO date
    section: str
    body: str  # paragraphs joined by a blank line, as the cleaner should return it
    content: str  # the whole file
    duplicate_of: int | None = None


@dataclass(frozen=True, slots=True)
class CorpusStats:
    folder: Path
    n_files: int
    n_unique: int
    n_duplicates: int
    n_bytes: int
    seconds: float


def relpath_for(index: int, per_dir: int = PER_DIR) -> str:
    ext = "html" if index % 2 == 0 else "txt"
    return f"{index // per_dir:04d}/{index:06d}.{ext}"


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class _Slots(dict):
    """A ``format_map`` mapping that draws each slot on first use.

    The speaker is drawn once per sentence; the first sentence that quotes a
    speaker names them in full (``Country's Title First Last``), later ones use
    the surname, a title reference (``the foreign minister``) or a pronoun.
    """

    def __init__(self, w: _Writer, speaks: bool) -> None:
        super().__init__()
        self.w, self.speaks, self.speaker = w, speaks, None

    def _speaker(self) -> tuple[str, str, str, bool]:
        if self.speaker is None:
            w = self.w
            si = w.rng.randrange(len(w.speakers))
            title, name, pronoun = w.speakers[si]
            known = si in w.mentioned
            if self.speaks:
                w.mentioned.add(si)
            self.speaker = (title, name, pronoun, known)
        return self.speaker

    def __missing__(self, key: str) -> str:
        w, r = self.w, self.w.rng
        if key in ("person", "Person", "ref", "He"):
            title, name, pronoun, known = self._speaker()
            full = f"{w.country}'s {title} {name}"
            v = {"person": name.split()[-1] if known else full,
                 "ref": TITLE_REF[title] if known else full,
                 "He": pronoun if known else full}[key.lower() if key != "He" else key]
        elif key == "item":
            v = r.choice(w.items)
        elif key == "Item":
            v = _cap(self["item"])
        elif key == "thing":
            v = r.choice(w.things)
        elif key == "people":
            v = r.choice(w.peoples)
        elif key == "people_cap":
            v = _cap(r.choice(w.peoples))
        elif key in ("country", "Country"):
            v = w.country
        elif key == "country2":
            v = r.choice(COUNTRIES)
            if v == w.country:
                v = w.country2
        elif key == "city":
            v = w.city if r.random() < 0.7 else r.choice(CITIES)
        elif key in ("body", "Body"):
            v = r.choice(BODIES)
            self["body"], self["Body"] = v, _cap(v)
            v = self[key]
        elif key in ("agency", "Agency", "Agency_cap"):
            a = r.choice(AGENCIES)
            self["agency"], self["Agency"], self["Agency_cap"] = a, _cap(a), _cap(a.removeprefix("the "))
            v = self[key]
        elif key == "day":
            v = r.choice(DAYS)
        elif key == "adj":
            v = r.choice(ADJ)
        elif key == "n":
            v = r.choice(NUMBERS)
        elif key == "verb":
            v = r.choice(VERB_DISC)
        elif key == "year":
            v = str(r.randint(2009, 2025))
        elif key == "month":
            v = r.choice(MONTHS)
        elif key == "money":
            v = str(r.randint(12, 950))
        elif key == "pct":
            v = str(r.randint(2, 40))
        else:
            raise KeyError(key)
        self[key] = v
        return v


class _Writer:
    """Builds one article from its own ``random.Random``."""

    def __init__(self, seed: int, index: int) -> None:
        self.rng = random.Random(f"newsgraph-synth:{seed}:{index}")
        self.index = index
        r = self.rng
        self.topic = r.choice(TOPIC_NAMES)
        self.items, self.things, self.peoples = TOPICS[self.topic]
        self.country, self.country2 = r.sample(COUNTRIES, 2)
        self.city = r.choice(CITIES)
        self.speakers = [(r.choice(TITLES), f"{r.choice(FIRST)} {r.choice(LAST)}", r.choice(("He", "She")))
                         for _ in range(3)]
        self.mentioned: set[int] = set()

    def _slots(self, speaks: bool = False) -> _Slots:
        """Slot values for one template, drawn lazily (only the keys it uses)."""
        return _Slots(self, speaks)

    def sentence(self, quote: bool = False) -> str:
        tpl = self.rng.choice(QUOTE_TEMPLATES if quote else FACT_TEMPLATES)
        speaks = any(k in tpl for k in ("{person}", "{Person}", "{ref}", "{He}"))
        return _cap(tpl.format_map(self._slots(speaks)))

    def headline(self) -> str:
        return self.rng.choice(HEADLINES).format_map(self._slots())

    def caption(self) -> str:
        return self.rng.choice(CAPTIONS).format_map(self._slots())

    def body_paragraphs(self) -> list[str]:
        r = self.rng
        target = r.randint(MIN_WORDS, MAX_WORDS)
        s = self._slots()
        lead = (
            f"{_cap(s['people'])} from {self.country} and {self.country2} met in {self.city} {s['day']} "
            f"to discuss the {s['item']}, the latest attempt to settle a dispute over {s['thing']}."
        )
        unique = (
            f"The file, registered as case {self.index:06d}-{r.randint(100, 999)}, "
            f"was forwarded to {s['body']} for review."
        )
        paras = [lead]
        words = len(lead.split())
        insert_unique_at = r.randint(1, 4)
        while words < target:
            if len(paras) == insert_unique_at:
                p = unique
            elif r.random() < 0.3:
                p = self.sentence(quote=True)
            else:
                p = " ".join(self.sentence() for _ in range(r.randint(1, 3)))
            n_words = len(p.split())
            if words + n_words > MAX_WORDS and words >= MIN_WORDS:
                break
            paras.append(p)
            words += n_words
        if unique not in paras:
            paras.insert(1, unique)
        return paras

    def build(self, relpath: str) -> SynthArticle:
        r = self.rng
        outlet = r.choice(OUTLETS)
        section = r.choice(SECTIONS)
        author = f"{r.choice(FIRST)} {r.choice(LAST)}"
        day = _dt.date(2026, 1, 1) + _dt.timedelta(days=r.randrange(330))
        slug = outlet.lower().replace(" ", "")
        url = f"https://{slug}.example/{section.lower()}/{day:%Y/%m/%d}/story-{self.index:06d}"
        title = self.headline()
        paras = self.body_paragraphs()
        body = "\n\n".join(paras)
        kind = "html" if relpath.endswith(".html") else "text"
        render = self._html if kind == "html" else self._text
        content = render(title, outlet, section, author, day, url, paras)
        return SynthArticle(self.index, kind, relpath, url, title, outlet, author, day.isoformat(), section,
                            body, content)

    # ------------------------------------------------------------ renderers

    def _boilerplate_slots(self, n_paras: int) -> dict[int, list[str]]:
        """Where figures and read-also links go: paragraph index -> kinds."""
        r = self.rng
        where: dict[int, list[str]] = {}
        for kind in ("figure", "figure", "related", "related"):
            if r.random() < 0.8 and n_paras > 3:
                where.setdefault(r.randint(2, n_paras - 1), []).append(kind)
        return where

    def _credit(self, outlet: str) -> str:
        r = self.rng
        return r.choice((f"Photo: {r.choice(FIRST)} {r.choice(LAST)} / {outlet}", f"Photo: {r.choice(AGENCIES).removeprefix('the ')}",
                         f"Photo: {r.choice(FIRST)} {r.choice(LAST)} / {r.choice(('Reuters', 'AP', 'AFP'))}"))

    def _bio(self, author: str, outlet: str) -> str:
        bits = self.rng.sample(BIO_BITS, 3)
        return f"{author} reports on {self.topic} for {outlet}. " + " ".join(bits)

    def _text(self, title, outlet, section, author, day, url, paras) -> str:
        r = self.rng
        out = [f"{title} – {outlet} – {section}", " | ".join(("Home", *r.sample(NAV_HTML[1:], 5))),
               f"By {author}", f"Published {day:%d.%m.%Y} at {r.randint(6, 22):02d}:{r.randint(0, 59):02d}"]
        where = self._boilerplate_slots(len(paras))
        for i, p in enumerate(paras):
            for kind in where.get(i, ()):
                if kind == "figure":
                    s = self._slots()
                    out += [f"{s['country']} {s['item'].split()[0]}", self.caption(), self._credit(outlet)]
                else:
                    out.append(r.choice(("the: ", "Read also: ")) + self.headline())
            out.append(p)
        out.append(f"See also  {self.headline()} - {outlet}")
        bio = " ".join(r.sample(BIO_BITS, 3))
        out += [author, author, f'"{bio}"', COMMENT_FORM_TXT]
        return "\n\n".join(out) + "\n"

    def _html(self, title, outlet, section, author, day, url, paras) -> str:
        r = self.rng
        e = html.escape
        nav = "".join(f'<li><a href="/{n.lower()}">{n}</a></li>' for n in NAV_HTML)
        parts = [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f"<title>{e(title)} | {e(outlet)}</title>\n",
            f'<meta property="og:site_name" content="{e(outlet)}">\n',
            f'<meta property="og:title" content="{e(title)}">\n',
            f'<meta property="article:published_time" content="{day.isoformat()}T{r.randint(6, 22):02d}:00:00+01:00">\n',
            f'<meta name="author" content="{e(author)}">\n',
            f'<link rel="canonical" href="{url}">\n</head>\n<body>\n',
            f'<header><a class="logo" href="/">{e(outlet)}</a><nav class="main-nav"><ul>{nav}</ul></nav></header>\n',
            '<main>\n<article>\n',
            f"<h1>{e(title)}</h1>\n",
            f'<p class="byline">By <a rel="author" href="/authors/{self.index}">{e(author)}</a> · '
            f'<time datetime="{day.isoformat()}">{day:%d %B %Y}</time></p>\n',
        ]
        where = self._boilerplate_slots(len(paras))
        for i, p in enumerate(paras):
            for kind in where.get(i, ()):
                if kind == "figure":
                    parts.append(
                        f'<figure><img src="/img/{self.index}-{i}.jpg" alt="{e(self.headline())}">'
                        f"<figcaption>{e(self.caption())} <span class=\"credit\">{e(self._credit(outlet))}</span>"
                        "</figcaption></figure>\n")
                else:
                    parts.append(f'<p class="read-also"><strong>Read also:</strong> <a href="/story/{r.randint(1, 99999)}">'
                                 f"{e(self.headline())}</a></p>\n")
            parts.append(f"<p>{e(p, quote=False)}</p>\n")
        parts += [
            f'<aside class="author-bio"><p>{e(self._bio(author, outlet))}</p></aside>\n</article>\n',
            f'<section class="newsletter"><p>Get the {e(outlet)} morning briefing in your inbox. '
            "Subscribe to our newsletter.</p></section>\n",
            COMMENT_FORM_HTML, "\n</main>\n",
            f"<footer><p>© 2026 {e(outlet)}. All rights reserved.</p>"
            '<p><a href="/privacy">Privacy policy</a> | <a href="/cookies">Cookie settings</a></p></footer>\n',
            "</body>\n</html>\n",
        ]
        return "".join(parts)


def make_article(index: int, *, seed: int = 0, per_dir: int = PER_DIR) -> SynthArticle:
    """Article ``index`` of the corpus for ``seed`` (random access, no duplicates)."""
    return _Writer(seed, index).build(relpath_for(index, per_dir))


def duplicate_plan(n: int, *, seed: int = 0, dup_share: float = 0.0) -> dict[int, int]:
    """Which indices are copies, and of what: ``{duplicate_index: original_index}``.

    Exactly ``round(n * dup_share)`` entries; originals are earlier, same kind
    (same parity), and never duplicates themselves.
    """
    if not 0.0 <= dup_share < 1.0:
        raise ValueError("dup_share must be in [0, 1)")
    k = round(n * dup_share)
    if k == 0:
        return {}
    if n - k < 2:
        raise ValueError("too many duplicates: need at least two originals")
    rng = random.Random(f"newsgraph-synth-dups:{seed}:{n}:{k}")
    dups = set(rng.sample(range(2, n), k)) if k <= n - 2 else set()
    if len(dups) != k:
        raise ValueError("too many duplicates")
    plan: dict[int, int] = {}
    for d in sorted(dups):
        # pick an earlier index of the same parity that is not itself a copy
        candidates = range(d % 2, d, 2)
        while True:
            o = candidates[rng.randrange(len(candidates))]
            if o not in dups:
                break
        plan[d] = o
    return plan


def generate(n: int, *, seed: int = 0, dup_share: float = 0.0, per_dir: int = PER_DIR) -> Iterator[SynthArticle]:
    """Yield ``n`` articles, streaming. Copies are regenerated from their original's seed."""
    plan = duplicate_plan(n, seed=seed, dup_share=dup_share)
    for i in range(n):
        rel = relpath_for(i, per_dir)
        if i in plan:
            o = make_article(plan[i], seed=seed, per_dir=per_dir)
            yield SynthArticle(i, o.kind, rel, o.url, o.title, o.outlet, o.author, o.published, o.section,
                               o.body, o.content, duplicate_of=o.index)
        else:
            yield make_article(i, seed=seed, per_dir=per_dir)


def write_corpus(folder: str | Path, n: int, *, seed: int = 0, dup_share: float = 0.0,
                 per_dir: int = PER_DIR) -> CorpusStats:
    """Write ``n`` files under ``folder`` (sub-folders of ``per_dir``) and return counts."""
    t0 = time.perf_counter()
    folder = Path(folder)
    n_bytes = n_dups = 0
    made: set[str] = set()
    for a in generate(n, seed=seed, dup_share=dup_share, per_dir=per_dir):
        path = folder / a.relpath
        sub = a.relpath.split("/", 1)[0]
        if sub not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(sub)
        data = a.content.encode("utf-8")
        path.write_bytes(data)
        n_bytes += len(data)
        n_dups += a.duplicate_of is not None
    return CorpusStats(folder, n, n - n_dups, n_dups, n_bytes, time.perf_counter() - t0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder to write into (created)")
    ap.add_argument("n", type=int, help="number of files")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dup-share", type=float, default=0.0, help="share of files that are exact copies")
    args = ap.parse_args(argv)
    st = write_corpus(args.out, args.n, seed=args.seed, dup_share=args.dup_share)
    print(f"wrote {st.n_files} files ({st.n_unique} unique, {st.n_duplicates} copies, "
          f"{st.n_bytes / 1e6:.1f} MB) to {st.folder} in {st.seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
