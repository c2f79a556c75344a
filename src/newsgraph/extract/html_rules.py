"""The post-pass of ``extract_html``: label what trafilatura left in the body.

Every rule here is *site-independent*: it looks at one output line (a
paragraph, a heading or a list item as trafilatura renders it, with the tag
it came from) plus a few facts gathered from the page once (its headlines,
description, ``<figcaption>`` texts, link texts, author names). Nothing is
keyed to a host name or to one publisher's class names. All patterns are
compiled once, at import.

A line is labelled with one of ``newsgraph.types.REMOVED_KINDS`` or kept
(``None``). The rules, in order:

* ``title``        one of the first lines repeats a headline (page title or
                   ``<h1>``), or is a heading equal to the page description
                   (a standfirst set as a sub-heading).
* ``photo_credit`` "Photo: X / Y", "(Image: Getty)", "Jane Doe/AP", a bare
                   agency credit ("Getty Images").
* ``caption``      the line is (part of) a page ``<figcaption>``, or a
                   sentence ending in a credit ("... (AP Photo/Jane Doe)").
* ``byline``       "By Jane Doe" / "Von ..." or an author's name alone near
                   the top; "(Reporting by ...; editing by ...)" anywhere.
* ``related_link`` "Read also: ...", "SEE MORE", "Related: ...", "Don't
                   miss", "Lesen Sie auch" ...; or the whole line is the text
                   of one hyperlink of the page (a teaser headline standing
                   alone as a paragraph or list item; linked *headings* are
                   kept: round-ups link their section titles).
* ``boilerplate``  share / subscribe / newsletter / app / affiliate prompts,
                   "click here", "Updated at ...", copyright lines,
                   "Advertisement", comment counters, reading time; a
                   server script's error message ("Warning: ... on line 12").
* ``author_box``   among the last lines only: "Jane Doe is a reporter at
                   ...", "Anna Weber ist Redakteurin ...", a bare e-mail
                   address or social-media handle.
* ``navigation``   breadcrumbs, "Next article", "Back to top".
* a heading whose whole section went to ``boilerplate``/``related_link``/
  ``author_box``/``navigation`` ("Something to consider", "More from News")
                   goes with its section, under the section's first kind.
* ``duplicate``    a long paragraph (>= 25 words) seen earlier in the body,
                   or a run of >= 3 shorter repeated lines. A single short
                   repeated line is kept: interviews repeat their questions.

Cue phrases are written for the common languages of the pages at once (the
same prompt in German, French, Spanish, Italian, Portuguese, Dutch, Polish),
not for the one site where a phrase was seen; names that double as cue words
("Mira:", "Lee:" opening an interview answer) are only cues in capitals.

Cue rules only fire on short lines (``MAX_CUE_WORDS``): a cue word at the
start of a long paragraph is prose, not a prompt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsgraph.types import Removed
from newsgraph.vocab import AGENCY_LINE, AGENCY_MARK, AGENCY_STOCK, agencies, alternation, credit_labels

#: Cue rules (related, boilerplate, credits) only fire on lines this short.
MAX_CUE_WORDS = 40
#: Share/subscribe prompts can be a little longer ("If you enjoyed this article, ...").
MAX_PROMPT_WORDS = 60
MAX_TIMESTAMP_WORDS = 12
#: A credit alone ("Jane Doe/AP") is this short; longer lines ending in one are captions.
MAX_CREDIT_WORDS = 8
#: Bylines are searched among the first lines only, and are short.
BYLINE_HEAD_LINES = 4
MAX_BYLINE_WORDS = 12
#: Author-box rules only look at this many final lines of the body.
AUTHOR_BOX_TAIL = 4
MAX_AUTHOR_BOX_WORDS = 70
#: The headline is searched among the first lines only.
TITLE_HEAD_LINES = 3
#: Anchor texts shorter than this (in word tokens) are too generic to match.
MIN_ANCHOR_TOKENS = 4
#: A teaser line may carry a short label after the link text ("[VIDEO]").
MAX_ANCHOR_SUFFIX_TOKENS = 2
#: Teaser links stand alone as paragraphs or list items; a linked heading is
#: usually a section title of the article itself (a product in a round-up).
TEASER_TAGS = frozenset({"p", "list", "item", "quote"})
#: Lines with fewer tokens are never reported as duplicates ("___", "Q:").
MIN_DUPLICATE_TOKENS = 8
#: A repeated paragraph this long is a duplicate on its own (multi-sentence
#: paragraphs are not repeated on purpose; short questions and refrains are).
MIN_LONG_DUPLICATE_TOKENS = 25
#: Shorter repeated lines are duplicates only in a block of this many consecutive repeated lines counts as duplicated.
DUPLICATE_RUN = 3

_WORD = re.compile(r"\w+")
_I = re.I | re.U

# --- photo credits --------------------------------------------------------
# (words from newsgraph.vocab: credit labels and agencies, each written once)
#: Cover-picture labels (German "Titelbild: X / Agency") besides the shared credit vocabulary.
_COVER_LABELS = ("titelbild", "titelfoto", "beitragsbild", "aufmacherbild", "headerbild")
_LABEL = alternation([*credit_labels("picture", "credit"), *_COVER_LABELS])
_PICTURE = alternation(credit_labels("picture"))
_AGENCY_LINE = alternation(agencies(AGENCY_LINE))
_AGENCY_STOCK = alternation(agencies(AGENCY_STOCK))
_AGENCY_MARK = alternation(agencies(AGENCY_MARK))
_CREDIT = re.compile(
    rf"""^[\s(\[]*(?:
        {_LABEL}(?:\s+(?:by|credit|courtesy(?:\s+of)?|source))?\s*[:：|]
      | {_PICTURE}\s+(?:by|courtesy\s+of)\b
      | {_AGENCY_LINE}(?:\s*(?:/|via|photo)\s*[^\n]{{0,60}})?[\s)\]]*$
      | ©\s*\S
    )""",
    re.X | _I,
)
_CREDIT_TAIL = re.compile(
    rf"""(?:
        \(\s*(?:[\w.&'-]+\s+){{0,3}}(?:{_PICTURE}|file)\s*/\s*[^)]{{0,80}}\)  # (AP Photo/J. Doe)
      | \(\s*{_LABEL}\s*:[^)]{{0,80}}\)                                     # (Image: Getty)
      | (?<![/:])/\s*(?-i:{_AGENCY_MARK})\s*\)?                          # Jane Doe/AP
      | \b{_AGENCY_STOCK}\s*\)?
    )\s*\.?$""",
    re.X | _I,
)

#: Where a credit starts inside a caption: "... October. Photo: X / Y", "... (AP Photo/X)".
_CREDIT_IN_CAPTION = re.compile(
    rf"""(?:(?<=\s)|(?<=^))(?:
        {_LABEL}(?:\s+(?:by|courtesy(?:\s+of)?))?\s*[:：]\s*\S[^\n]{{0,100}}$
      | \(\s*(?:[\w.&'-]+\s+){{0,3}}(?:{_PICTURE}|file)\s*/\s*[^)]{{0,80}}\)\s*\.?$
      | \(\s*{_LABEL}\s*:[^)]{{0,80}}\)\s*\.?$
    )""",
    re.X | _I,
)

# --- related links / teasers --------------------------------------------------
_RELATED = re.compile(
    r"""^[\s\-–—•*>»|\[(]*(?:
        (?:read|see|watch|listen|view|check\s+out)\s+(?:also|more|next|too|this|the\s+latest|our|here)\b
      | (?:read|see)\s*(?:more)?\s*[:|»›>]
      | related(?:\s+(?:articles?|stories|story|coverage|content|news|links?|reading|posts?|topics?|video))?\s*(?:[:|»›>\-–—]|$)
      | recommended(?:\s+(?:for\s+you|stories|reading|articles?|videos?))?\s*(?:[:|»›>]|$)
      | more\s+(?:on|about|from|stories|news|coverage|reading|like\s+this|in)\b[^.!?]{0,80}$
      | more\s*:
      | also\s+(?:on|read|see|watch|in)\b
      | (?:don'?t|do\s+not)\s+miss\b
      | must\s+(?:read|watch|see)\b
      | (?:top|trending|popular|latest|most\s+(?:read|popular|viewed|shared))\s+(?:stories|news|articles?|now|today|videos?)?\s*(?:[:|»›>]|$)
      | you\s+(?:may|might|could)\s+(?:also\s+)?(?:like|enjoy|be\s+interested)\b
      | further\s+reading\b
      | explore\s+further\b
      | (?:à\s+)?lire\s+(?:aussi|également|la\s+suite)\b
      | voir\s+aussi\b
      | leia\s+(?:também|mais)\b
      | (?:lee|ver)\s+(?:también|además|más)\b
      | lesen\s+sie\s+(?:auch|mehr)\b
      | mehr\s+zum\s+thema\b
      | leggi\s+anche\b
      | czytaj\s+(?:też|także|więcej)\b
      | читайте\s+также\b
      | (?:also|auch|ebenfalls)\s+interessant\b
      | (?:das|dies(?:es)?|diese\s+artikel)\s+(?:thema\s+)?(?:könnte|dürfte)\s+(?:dich|sie|euch)\s+(?:auch\s+)?interessieren
      | (?:zum\s+)?weiterlesen\s*(?:[:|»›>]|$)
      | (?:weitere|ähnliche|verwandte|passende)\s+(?:artikel|beiträge|meldungen|nachrichten|themen|news)\s*(?:[:|»›>]|$)
      | passend\s+zum\s+thema\b
      | sur\s+le\s+même\s+sujet\b
      | (?:articles?|contenus?)\s+(?:similaires|associés|liés)\b
      | vous\s+(?:aimerez|pourriez\s+aimer)\s+aussi\b
      | más\s+sobre\b
      | (?:contenidos?|artículos?|noticias|notas)\s+relacionad[oa]s?\b
      | (?:también\s+)?te\s+puede\s+interesar\b
      | (?-i:MIRA|VER\s+TAMBIÉN|LEE\s+TAMBIÉN)\s*:
      | (?:articoli|notizie)\s+correlat[ei]\b
      | potrebbe\s+interessarti\b
      | (?:veja|leia)\s+(?:também|mais)\b
      | (?:notícias|matérias)\s+relacionadas\b
      | lees\s+(?:ook|meer)\b
      | gerelateerde\s+artikelen\b
      | (?:zobacz|przeczytaj)\s+(?:też|także|również)\b
      | dowiedz\s+się\s+więcej\b
    )""",
    re.X | _I,
)

# --- share / subscribe / page furniture ---------------------------------------
_BOILERPLATE = re.compile(
    r"""^[\s\-–—•*\[(]*(?:
        (?:share|like|love|enjoy(?:ed)?)\s+this\s+(?:story|article|post|page|video)
      | share\s+(?:on|via|this|with)\b
      | (?:teilen|share|partager|compartir|condividi|compartilhe|udostępnij|delen)\s*(?:mit|on|sur|en|su|em)?\s*:\s*$
      | (?:diesen\s+)?(?:artikel|beitrag)\s+teilen\b
      | partager\s+(?:cet\s+article|sur)\b
      | (?:wird\s+geladen|loading|chargement|cargando)\s*(?:\.\.\.|…)?\s*$
      | (?:click|tap)\s+(?:here|to)\b
      | subscribe\b
      | (?:jetzt\s+)?(?:abonnieren|abonnez|abonne-toi|suscríbete|suscribete|abbonati|assine|zasubskrybuj)\b
      | (?:pour|to)\s+(?:lire|continue\s+reading|read)\s+(?:la\s+suite|the\s+(?:full|rest|whole))\b
      | pour\s+accéder\s+(?:en\s+illimité|à\s+(?:cet|l'intégralité))
      | sign\s+up\b[^.]{0,60}\b(?:newsletters?|alerts?|briefing|digest|our)\b
      | (?:join|get)\s+(?:our|the)\s+(?:free\s+)?(?:newsletter|mailing\s+list)
      | (?:get|download)\s+(?:the\s+)?[\w\s]{0,30}\bapp\b
      | follow\s+(?:us|@\w+|(?:[\w.]+\s+){1,3}on)\b
      | (?:folge[nt]?\s+(?:sie\s+)?uns|suivez-nous|síguenos|seguici|siga-nos|obserwuj\s+nas)\b
      | if\s+you\s+(?:enjoyed|liked|appreciate|value|found)\b
      | (?:support|donate\s+to)\s+(?:our|independent)\s+journalism
      | (?:copyright|\(c\))\s
      | all\s+rights\s+reserved
      | advertisement\s*$
      | (?:anzeige|werbung|publicité|publicidad|pubblicità|reklama)\s*(?:[-–—:|]|$)
      | sponsored(?:\s+content)?\s*$
      | (?:reading\s+time|read\s+time|tempo\s+de\s+leitura|lesezeit|lesedauer|temps\s+de\s+lecture|tiempo\s+de\s+lectura
         |tempo\s+di\s+lettura|leestijd|czas\s+czytania|ten\s+tekst\s+przeczytasz)\b
      | \d+\s+min(?:ute)?s?\s+read\s*$
      | (?:\d+\s+)?comments?\s*$
      | (?:leave|post|add|view|show)\s+(?:a\s+|your\s+|all\s+)?comments?\b
      | tell\s+us\s+what\s+you\s+think
      | we\s+use\s+cookies\b
      | this\s+(?:article|story)\s+(?:was\s+)?(?:originally\s+)?(?:appeared|published)\s+(?:on|in|at)\b
    )""",
    re.X | _I,
)
#: "Updated at 1:23 p.m.", "Published 18 November 2019" (short lines only).
_TIMESTAMP = re.compile(
    r"^[\s\-–—•*(\[]*(?:last\s+)?(?:updated|published|posted|modified|aktualisiert|mis\s+à\s+jour|actualizado)"
    r"(?:\s+(?:on|at|am|le))?\s*:?\s*\S.{0,60}\d",
    _I,
)
_ANYWHERE_BOILERPLATE = re.compile(
    r"""all\s+rights\s+reserved|no\s+part\s+of\s+this\s+(?:article|publication)|無斷轉載|무단전재|転載禁止
      | \bclick\s+here\b
      | \b(?:if|when)\s+you\s+(?:buy|purchase|click|shop)\b[^.]{0,120}\b(?:commission|share\s+of\s+the\s+sale|affiliate)
      | \b(?:may|might|will)\s+(?:earn|receive|get)\s+(?:a\s+)?(?:small\s+)?(?:affiliate\s+)?(?:commission|share\s+of\s+the\s+sale)
      | \baffiliate[\s-]links?\b
      | \bsign\s+up\s+(?:here|now|today|for\s+free)\b
      | \b(?:our|unser(?:en|em|er)?|notre|nos|nuestro|nuestros|la\s+nostra|nossa|onze|nasz\w*)\s+(?:\w+\s+)?\w*newsletter""",
    re.X | _I,
)

#: A server-side script's error message printed into the page ("Warning: Undefined variable $x in
#: /var/www/index.php on line 12"): PHP's own format, the same on every site running it.
_SCRIPT_ERROR = re.compile(
    r"^(?:PHP\s+)?(?:warning|notice|deprecated|fatal\s+error|parse\s+error|strict\s+standards)\s*:\s.{0,400}"
    r"\bon\s+line\s+\d+\s*$",
    _I | re.S,
)

# --- bylines and author boxes ------------------------------------------------
_BYLINE = re.compile(
    r"^[\s(\[]*(?:(?:additional\s+)?reporting|writing|editing|edited|compiled|produced|research)\s+by\b",
    _I,
)
#: "By Jane Doe", "Von Jana Becker", "Par ...", near the top of the body.
_BYLINE_HEAD = re.compile(
    r"^[\s\-–—•*]*(?i:by|von|par|por|door|автор)\s*:?\s+[A-ZÀ-ÖØ-ÞĀ-ŽА-Я]",
    re.U,
)
_AUTHOR_BOX = re.compile(
    r"""^(?:(?:about\s+the\s+author|über\s+(?:die\s+autorin|den\s+autor)|sobre\s+el\s+autor|à\s+propos\s+de\s+l'auteur)\b
      | [A-ZÀ-ÖØ-Þ][\w'’.-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]+){0,3}\s+
        (?:is|was|has\s+been|covers|writes|ist|war|schreibt|est|écrit|es|escribe|è|é|escreve)\s
        .{0,300}?(?:reporter|writer|editor|correspondent|contributor|columnist|journalist|author|producer|
                   curator|fellow|analyst|critic|blogger|freelance|staff\s+writer|newsroom|bureau|
                   redakteur|korrespondent|autor|reporterin|rédact|correspondant|chroniqueu|
                   periodista|redactor|corresponsal|reportero|giornalista|jornalista|repórter))""",
    re.X | re.U | re.S,
)
_CONTACT = re.compile(
    r"""^[\s(\[]*(?:
        [\w.+-]+@[\w-]+(?:\.[\w-]+)+
      | @\w{2,30}
      | (?:https?://)?(?:www\.)?(?:twitter|x|instagram|facebook|linkedin)\.com/[\w./-]+
      | (?:email|e-mail|twitter|contact)\s*:\s*\S+
    )[\s)\].]*$""",
    re.X | _I,
)

# --- navigation --------------------------------------------------------------
_NAVIGATION = re.compile(
    r"""^[\s\-–—•*]*(?:
        (?:home|start|startseite|accueil|inicio|início)\s*[>›»/|]
      | (?:next|previous|prev)\s+(?:article|story|post|page)\b
      | back\s+to\s+(?:top|home)\b
      | skip\s+to\s+(?:main\s+)?content\b
      | (?:\w+\s*[>›»]\s*){2,}\w+\s*$
    )""",
    re.X | _I,
)


#: Characters ``re.IGNORECASE`` matches to ASCII "i", "s" that ``str.lower`` leaves apart (U+212A KELVIN
#: SIGN lowers to "k" like the regex): a line holding one skips the keyword pre-checks below.
_ODD_FOLDS = ("\u0130", "\u0131", "\u017f")
#: A literal every alternative of ``_ANYWHERE_BOILERPLATE`` / of ``_CREDIT_TAIL``'s stock-agency
#: alternative contains (lower case): a line without any cannot match, so the costly search is skipped.
_ANYWHERE_KEYS = ("reserved", "part", "click", "commission", "sale", "affiliate", "sign", "newsletter",
                  "無斷轉載", "무단전재", "転載禁止")
_STOCK_KEYS = ("getty", "shutterstock", "istock")


def _may_hold(text: str, keys: tuple[str, ...]) -> bool:
    """False only when no case variant of any key is in ``text`` (as ``re.IGNORECASE`` would match)."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:  # _ODD_FOLDS
        return True
    low = text.lower()
    for key in keys:
        if key in low:
            return True
    return False


def _anywhere_boilerplate(text: str) -> bool:
    """``_ANYWHERE_BOILERPLATE.search``, skipped on lines without one of its literals."""
    return _may_hold(text, _ANYWHERE_KEYS) and _ANYWHERE_BOILERPLATE.search(text) is not None


def _credit_tail(text: str) -> bool:
    """``_CREDIT_TAIL.search``: its parenthesised and slashed credits need ")" or "/", its bare stock
    credit a stock agency's name."""
    return ((")" in text or "/" in text or _may_hold(text, _STOCK_KEYS))
            and _CREDIT_TAIL.search(text) is not None)


def split_credit(text: str) -> tuple[str, str | None]:
    """Split "Caption text. Photo: Jane Doe / Agency" into caption and credit."""
    m = _CREDIT_IN_CAPTION.search(text)
    if m is None or m.start() == 0:
        return text, None
    caption, credit = text[: m.start()].rstrip(), text[m.start():].strip()
    return (caption, credit) if caption and credit else (text, None)


def is_related_cue(text: str) -> bool:
    """True when ``text`` starts like a "Read also" / "Related:" line."""
    return _RELATED.match(text) is not None


def tokens(text: str) -> list[str]:
    """Word tokens, case-folded (the unit every comparison here uses)."""
    return _WORD.findall(text.casefold())


def norm(text: str) -> str:
    return " ".join(tokens(text))


@dataclass(slots=True)
class PageFacts:
    """What the post-pass needs to know about the page besides the body."""

    headlines: Sequence[str] = ()  # the page title and its <h1> texts
    description: str | None = None
    authors: frozenset[str] = field(default_factory=frozenset)  # normalised names
    captions: Sequence[str] = ()
    anchors: frozenset[str] = field(default_factory=frozenset)


def _is_title(line_toks: list[str], title_toks: list[str]) -> bool:
    if not line_toks or not title_toks:
        return False
    if line_toks == title_toks:
        return True
    short, long_ = sorted((line_toks, title_toks), key=len)
    # "Headline | Site" vs "Headline", or an og:title cut short
    return len(short) >= 4 and len(short) >= 0.6 * len(long_) and long_[: len(short)] == short


def _is_caption(line_norm: str, n_tok: int, caption_norms: Sequence[str]) -> bool:
    if n_tok < 3:
        return False
    for cap in caption_norms:
        if line_norm == cap:
            return True
        if len(cap) >= len(line_norm) and line_norm in cap and n_tok >= 5:
            return True
        if cap and len(cap.split()) >= 5 and cap in line_norm and len(line_norm) <= 1.3 * len(cap):
            return True
    return False


def _is_teaser(line_toks: list[str], anchors: frozenset[str]) -> bool:
    """The line is one hyperlink's text, maybe with a short label around it."""
    n = len(line_toks)
    if n < MIN_ANCHOR_TOKENS or not anchors:
        return False
    for lo in range(0, MAX_ANCHOR_SUFFIX_TOKENS + 1):
        for hi in range(n, n - MAX_ANCHOR_SUFFIX_TOKENS - 1, -1):
            if hi - lo < MIN_ANCHOR_TOKENS:
                break
            if " ".join(line_toks[lo:hi]) in anchors:
                return True
    return False


def classify(line: str, toks: list[str], index: int, count: int, facts: PageFacts,
             caption_norms: Sequence[str], tag: str = "p", head: int | None = None) -> str | None:
    """The kind of one body line (rendered from a trafilatura element ``tag``), or None to keep it.

    ``index`` is the line's place among the ``count`` lines; ``head`` its place among the lines
    kept so far (default ``index``): the headline and byline windows at the top count only
    those, so breadcrumbs or a kicker above the headline do not push it out of the window."""
    head = index if head is None else head
    n = len(toks)
    if n == 0:
        return None
    stripped = line.strip()
    short = n <= MAX_CUE_WORDS
    if head < TITLE_HEAD_LINES:
        if any(_is_title(toks, tokens(t)) for t in facts.headlines):
            return "title"
        # a standfirst set as a heading under the headline, same text as the page's description
        if tag == "head" and facts.description and _is_title(toks, tokens(facts.description)):
            return "title"
    line_norm = " ".join(toks)
    if short and _CREDIT.match(stripped):
        return "photo_credit"
    if caption_norms and _is_caption(line_norm, n, caption_norms):
        return "caption"
    if short and _credit_tail(stripped):
        # "Jane Doe/AP" alone is a credit; a sentence ending in one is a caption
        return "photo_credit" if n <= MAX_CREDIT_WORDS else "caption"
    if head < BYLINE_HEAD_LINES and n <= MAX_BYLINE_WORDS and (
        _BYLINE_HEAD.match(stripped) or (facts.authors and line_norm in facts.authors)
    ):
        return "byline"
    if short and _RELATED.match(stripped):
        return "related_link"
    if short and tag in TEASER_TAGS and _is_teaser(toks, facts.anchors):
        return "related_link"
    if n <= MAX_PROMPT_WORDS and (_BOILERPLATE.match(stripped) or _anywhere_boilerplate(stripped)):
        return "boilerplate"
    if n <= MAX_TIMESTAMP_WORDS and _TIMESTAMP.match(stripped):
        return "boilerplate"
    if n <= MAX_PROMPT_WORDS and _SCRIPT_ERROR.match(stripped):
        return "boilerplate"
    if short and _BYLINE.match(stripped):
        return "byline"
    if count - index <= AUTHOR_BOX_TAIL and n <= MAX_AUTHOR_BOX_WORDS:
        if _CONTACT.match(stripped) or _AUTHOR_BOX.match(stripped):
            return "author_box"
    if short and _NAVIGATION.match(stripped):
        return "navigation"
    return None


def postpass(lines: Iterable[str | tuple[str, str]], facts: PageFacts) -> tuple[list[str], list[Removed]]:
    """Split body lines into kept paragraphs and removed pieces (page order).

    A line is a string or a ``(tag, text)`` pair, ``tag`` being the
    trafilatura element it was rendered from (``p``, ``head``, ``list`` ...).
    """
    labelled = label_lines(lines, facts)
    kept = [line for kind, line in labelled if kind is None]
    removed = [Removed(kind, line) for kind, line in labelled if kind is not None]
    return kept, removed


def label_lines(lines: Iterable[str | tuple[str, str]], facts: PageFacts,
                norms: list[str] | None = None) -> list[tuple[str | None, str]]:
    """``(kind, text)`` for every non-blank line, in order; kind None = body. ``norms``, when given,
    receives ``norm(text)`` of each of those lines (computed here anyway: callers need not redo it)."""
    pairs = [(("p", ln) if isinstance(ln, str) else ln) for ln in lines]
    pairs = [(tag, text.strip()) for tag, text in pairs if text and text.strip()]
    caption_norms = [c for c in (norm(c) for c in facts.captions) if c]
    count = len(pairs)
    kinds: list[str | None] = []
    seen: set[str] = set()
    repeat: list[bool | None] = []  # None: too short to say
    kept = 0  # lines kept so far (classify's ``head``)
    for index, (tag, line) in enumerate(pairs):
        toks = tokens(line)
        if norms is not None:
            norms.append(" ".join(toks))
        kind = classify(line, toks, index, count, facts, caption_norms, tag, kept)
        kinds.append(kind)
        if kind is None and len(toks) >= MIN_DUPLICATE_TOKENS:
            key = " ".join(toks)
            repeat.append(key in seen)
            if key in seen and len(toks) >= MIN_LONG_DUPLICATE_TOKENS:
                kinds[-1] = "duplicate"
            seen.add(key)
        else:
            repeat.append(None)
        kept += kinds[-1] is None
    _mark_repeated_runs(kinds, repeat)
    _mark_orphan_headings(kinds, [tag for tag, _line in pairs])
    return [(kind, line) for (_tag, line), kind in zip(pairs, kinds, strict=True)]


_FURNITURE = frozenset({"boilerplate", "related_link", "author_box", "navigation"})


def _mark_orphan_headings(kinds: list[str | None], tags: list[str]) -> None:
    """A kept heading whose section lost everything to the rules introduced that
    furniture ("Something to consider", "More from News"): it goes with it."""
    for i, tag in enumerate(tags):
        if tag != "head" or kinds[i] is not None:
            continue
        section = []
        for j in range(i + 1, len(tags)):
            if tags[j] == "head":
                break
            section.append(kinds[j])
        if section and all(k in _FURNITURE for k in section):
            kinds[i] = section[0]


def _mark_repeated_runs(kinds: list[str | None], repeat: list[bool | None]) -> None:
    """Label ``duplicate`` the lines of every run of >= DUPLICATE_RUN repeated lines.

    A single repeated line is usually deliberate (an interview's recurring
    question, a refrain); a repeated *block* is the page showing the same
    widget or article twice. Short lines and removed lines neither break nor
    extend a run.
    """
    run: list[int] = []
    for i, flag in enumerate([*repeat, False]):
        if flag is None and i < len(repeat):
            continue
        if flag:
            run.append(i)
            continue
        if len(run) >= DUPLICATE_RUN:
            for j in run:
                kinds[j] = "duplicate"
        run = []
