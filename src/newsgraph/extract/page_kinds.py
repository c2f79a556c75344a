"""Page -> ``PageKind``: what a page is, decided before extraction, with the reason.

Kinds: ``article``, ``live_blog``, ``index`` (a section, tag, search or home page of
headline links), ``paywall`` (a teaser with "subscribe to continue"),
``consent_or_bot_wall`` (a cookie-consent screen or a browser/captcha check instead of the
page), ``error_page`` (an HTTP error, or a "page not found" page served with 200) and
``other`` (a page with next to no text at all and nothing that says it is an article).

Design
------

1. **Features that hold across sites, one pass each over the parsed tree** (``PageFeatures``):
   the HTTP status when known; the schema.org types the page declares (JSON-LD ``@type``,
   microdata ``itemtype``) and ``isAccessibleForFree: false``; ``og:type``; visible words
   and link words; *headline links* (anchors of 4-30 words outside paragraphs); *prose
   blocks* (paragraphs, or elements whose own text is 12+ words, with links under half of
   their words) and the **main text block**: the largest sum of prose under one parent
   (a paragraph wrapper with no headline link in it passes its prose on to the
   grandparent, so an article whose paragraphs each sit in a ``<div>`` still has one main
   block, while the cards of an index page, each holding a headline link and its summary,
   never add up); the words of the ``<title>``/``<h1>``; vendor markers of consent and
   bot-check screens in the markup; timestamp-only lines ("10:32", "14.05 Uhr"). The
   ``<script>``, ``<meta>``, ``<title>``, ``<h1>`` and microdata elements come from the page's
   ``PageView`` (one walk shared with the metadata readers); the features only wall decisions
   read (visible words, forms, vendor markup, a subscribe prompt) are looked for only on pages
   whose main text block is short enough for such a decision (``WALL_FEATURES_BELOW``).
2. **Wall words stay out of the article measure.** A prose block that speaks of cookies and
   consent, of subscribing to read on, or of a missing page is counted as wall text, not as
   article text, so a consent dialog's three paragraphs do not make the page an article.
3. **Decisions, in order, each needing two independent signals** (a marker *and* almost no
   article text), because precision on the non-article kinds matters more than recall: a
   refused article is lost, an index page that slips through is only junk that extraction
   may still reject. When unsure: ``article``. Thresholds are module constants; the words
   are small multilingual vocabularies (English, German, French, Spanish, Italian,
   Portuguese, Dutch, Russian, Polish, Scandinavian) of *general* phrases, never a site.

Which kinds are refused is a setting (``Settings.rejected_page_kinds``; live blogs are kept
by default: they are news text). Plain text gets the same vocabulary checks on its first
lines (``classify_text``): it has no markup to go by, so only a short text that says it is a
wall or an error is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsgraph.extract.page_view import PageView, element_text, view_of

__all__ = ["KINDS", "PageFeatures", "PageKind", "classify_html", "classify_text", "classify_tree", "page_features"]

KINDS = ("article", "live_blog", "index", "paywall", "consent_or_bot_wall", "error_page", "other")

#: A block whose own text has at least this many words is prose (a paragraph, not a label).
PROSE_MIN_WORDS = 12
#: An anchor of this many words (outside a paragraph) is a headline link.
HEADLINE_MIN_WORDS, HEADLINE_MAX_WORDS = 4, 30
#: Wall kinds (consent/bot, error) need a main text block under this many words.
WALL_MAX_MAIN = 60
#: ... and at most this many article-prose words on the whole page.
WALL_MAX_PROSE = 120
#: A paywall needs a main text block under this many words: a teaser of a few sentences. A page
#: showing more of the article than that keeps it as an article (its text is worth having).
PAYWALL_MAX_MAIN = 80
#: Wall words and vendor markup are looked for only on pages whose main text block (wall text
#: included) is under this many words: a consent dialog or a teaser with its prompt stays below.
LOOK_CLOSER_BELOW = 250
#: An index page: at least this many headline links ...
INDEX_MIN_HEADLINES = 12
#: ... and a main text block under this many words (150 with a CollectionPage type). A page that
#: declares an article type (schema.org, og:type) is never an index by structure alone.
INDEX_MAX_MAIN, COLLECTION_MAX_MAIN = 80, 150
#: ... and headline-link words at least this many times the main block.
INDEX_LINK_RATIO = 4.0
#: A live blog without LiveBlogPosting markup: "live" in its headline and this many timestamps.
LIVE_MIN_STAMPS = 4
#: An article-typed page with this many paragraphs of 200+ characters is an article without
#: further checks (they hold more text than any wall or teaser rule allows).
PLAIN_MIN_PARAGRAPHS = 6
_LONG_PARAGRAPHS = "count(descendant::p[string-length(normalize-space(.)) >= 200])"
#: Wall, paywall and "other" decisions need a main text block shorter than this: only then are the
#: features that only they read looked for (words, forms, vendor markup, a subscribe prompt).
WALL_FEATURES_BELOW = max(WALL_MAX_MAIN, PAYWALL_MAX_MAIN)
#: The start of a page's text that the wall decisions read (characters).
TEXT_HEAD_CHARS = 600
#: A page with fewer visible words than this and no article text is ``other``.
OTHER_MAX_WORDS = 25

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting",
    "socialmediaposting", "scholarlyarticle", "techarticle", "report", "satiricalarticle", "review",
})
LIVE_TYPES = frozenset({"liveblogposting"})
COLLECTION_TYPES = frozenset({"collectionpage", "searchresultspage", "itemlist", "profilepage"})

_SKIP = frozenset({"script", "style", "template", "svg", "head", "title", "meta", "link", "iframe",
                   "select", "option", "textarea"})
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LD_TYPE = re.compile(r'"@type"\s*:\s*(\[[^\]]*\]|"[^"]*")')
_QUOTED = re.compile(r'"([^"]+)"')
_NOT_FREE = re.compile(r'"?isAccessibleForFree"?\s*[:=]\s*"?(?:false|False|FALSE|no)\b')
_PAYWALL_CLASS = re.compile(r'(?:class|id)\s*=\s*"[^"]*paywall', re.I)
_STAMP = re.compile(
    r"^\s*(?:\d{1,2}\s*[:.h]\s*\d{2}|\d{1,2}\s*(?:am|pm))\s*"
    r"(?:a\.?m\.?|p\.?m\.?|uhr|h|gmt|bst|utc|cet|cest|mez|mesz|et|edt|est|ct|pt|pdt|pst|msk|ist|jst)?\.?\s*$",
    re.I)


class Vocab:
    """Phrases found as whole words, case-insensitively: substring search (fast C) on the
    lower-cased text, then a word-boundary check at each hit (a big regex alternation is ~20×
    slower on long pages)."""

    def __init__(self, *phrases: str) -> None:
        self.phrases = tuple(p.lower() for p in phrases)

    def search(self, text: str) -> str | None:
        """The first phrase found, or None."""
        low = text.lower()
        return next((p for p in self.phrases if _has_word(low, p)), None)

    def count(self, text: str) -> int:
        """How many different phrases occur."""
        low = text.lower()
        return sum(1 for p in self.phrases if _has_word(low, p))


def _has_word(low: str, phrase: str) -> bool:
    start = low.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        if (start == 0 or not low[start - 1].isalnum()) and (end == len(low) or not low[end].isalnum()):
            return True
        start = low.find(phrase, start + 1)
    return False


def _vocab(*phrases: str) -> Vocab:
    return Vocab(*phrases)


#: Markup of consent-management and bot-check screens (in the raw HTML: ids, classes, script hosts).
BOT_MARKERS = (
    "cf-browser-verification", "cf_chl_opt", "cf-challenge", "challenges.cloudflare.com/turnstile",
    "_incapsula_resource", "px-captcha", "captcha-delivery.com", "geo.captcha", "g-recaptcha", "h-captcha",
    "cf-turnstile", "perimeterx", "distil_r_captcha", "sec-if-cpt-container", "awswaf")
CONSENT_MARKERS = (
    "onetrust", "didomi", "sp_message_container", "sourcepoint", "cookiebot", "usercentrics", "quantcast",
    "trustarc", "consentmanager", "iubenda", "fc-consent", "consent.google", "consent.yahoo", "cookieconsent",
    "cookie-consent", "cookie_consent", "cmp-container", "gdpr-banner", "gdpr-consent", "cookie-wall",
    "cookiewall", "consent-wall", "privacy-wall")
#: What a consent dialog says (visible text).
CONSENT_WORDS = _vocab(
    "cookies", "cookie", "consent", "we value your privacy", "your privacy choices", "accept all", "reject all",
    "manage preferences", "manage options", "personal data", "our partners", "legitimate interest",
    "before you continue", "alle akzeptieren", "akzeptieren und weiter", "einwilligung", "zustimmen",
    "datenschutzeinstellungen", "ihre privatsphäre", "tout accepter", "accepter et fermer", "consentement",
    "vos données", "vie privée", "aceptar todo", "aceptar y continuar", "consentimiento", "privacidad",
    "accetta tutto", "consenso", "aceitar todos", "consentimento", "alles accepteren", "toestemming",
    "принять все", "файлы cookie", "согласие", "zaakceptuj wszystko", "zgoda", "godta alle", "acceptera alla",
    "tillad alle")
#: What a bot check says.
BOT_WORDS = _vocab(
    "checking your browser", "just a moment", "verify you are human", "verifying you are human",
    "are you a robot", "not a robot", "unusual traffic", "access denied", "attention required",
    "ddos protection", "captcha", "security check", "request blocked", "enable javascript and cookies",
    "bot protection", "automated access", "bist du ein mensch", "sind sie ein mensch", "browser wird überprüft",
    "vérification de votre navigateur", "êtes-vous un robot", "verificando tu navegador", "eres un robot",
    "проверка браузера", "вы не робот")
#: What a paywall teaser says.
PAYWALL_WORDS = _vocab(
    "subscribe to continue", "subscribe to read", "to continue reading", "continue reading with",
    "subscribe now to continue", "subscribers only", "for subscribers", "exclusive to subscribers",
    "only available to subscribers", "this article is for subscribers", "this content is for subscribers",
    "already a subscriber", "unlock this article", "unlock this story", "sign in to read", "log in to read",
    "free articles remaining", "reached your limit", "you have reached your", "become a member to read",
    "weiterlesen mit", "nur für abonnenten", "exklusiv für abonnenten", "für abonnenten",
    "bereits abonnent", "jetzt abonnieren und weiterlesen", "abo abschließen", "mit plus weiterlesen",
    "réservé aux abonnés", "abonnez-vous pour lire", "déjà abonné", "pour lire la suite",
    "exclusivo para suscriptores", "suscríbete para seguir leyendo", "ya eres suscriptor", "solo para suscriptores",
    "riservato agli abbonati", "abbonati per continuare", "sei già abbonato", "exclusivo para assinantes",
    "já é assinante", "alleen voor abonnees", "al abonnee", "только для подписчиков", "оформите подписку",
    "tylko dla prenumeratorów", "kun for abonnenter", "endast för prenumeranter")
#: What an error page says in its <title> or <h1>.
ERROR_WORDS = re.compile(
    r"(?<!\w)(?:(?:error|erreur|fehler|errore|ошибка|błąd)\s*[-:]?\s*(?:404|410|500|502|503)"
    r"|(?:404|410|500|502|503)\s*[-:|]?\s*(?:error|erreur|fehler|not found|page not found|seite nicht gefunden)"
    r"|page not found|not found|page (?:does not|doesn't|no longer) exist|no longer available"
    r"|something went wrong|internal server error|service unavailable|bad gateway|oops"
    r"|seite nicht gefunden|nicht gefunden|seite existiert nicht|page introuvable|page non trouvée"
    r"|página no encontrada|no se ha encontrado|pagina non trovata|página não encontrada|pagina niet gevonden"
    r"|страница не найдена|nie znaleziono|sidan hittades inte|siden blev ikke fundet|siden finnes ikke"
    r"|sivua ei löytynyt)(?!\w)"
    r"|^\s*(?:404|410|500|502|503)\s*$", re.I)
#: A headline that announces a live blog.
LIVE_WORDS = _vocab(
    "live", "liveblog", "live blog", "live updates", "live-ticker", "liveticker", "ticker", "en direct",
    "en vivo", "en directo", "ao vivo", "in diretta", "live-updates", "онлайн", "прямой эфир",
    "na żywo", "direkte", "direkt")


@dataclass(frozen=True, slots=True)
class PageKind:
    """A page's kind and the evidence for it (one line, for the failure log)."""

    kind: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "reason": self.reason}


@dataclass(slots=True)
class PageFeatures:
    """What the decisions read (sizes in words; a CJK character counts as half a word)."""

    status: int | None = None
    types: set[str] = field(default_factory=set)  # schema.org types, lower case
    not_free: bool = False  # isAccessibleForFree: false
    og_type: str = ""
    title: str = ""  # <title> and the first <h1>, joined
    words: int = 0  # visible words (links included); wall features: 0 unless main < WALL_FEATURES_BELOW
    headlines: int = 0  # distinct headline links
    headline_words: int = 0
    prose: int = 0  # article-prose words (prose blocks without wall words)
    main: int = 0  # the main text block: largest article prose under one parent
    wall_prose: dict[str, int] = field(default_factory=dict)  # consent/bot/paywall/error -> prose words
    stamps: int = 0  # timestamp-only lines
    forms: int = 0  # <form> elements
    bot_marker: bool = False
    consent_marker: bool = False
    paywall_marker: bool = False  # a class or id naming a paywall
    paywall_prompt: str | None = None  # a subscribe-to-read phrase in the visible text
    text_head: str = field(default="", repr=False)  # the first TEXT_HEAD_CHARS of the body's text

    @property
    def article_typed(self) -> bool:
        return bool(self.types & ARTICLE_TYPES) or self.og_type == "article"


def _size(text: str) -> int:
    n = len(text.split())
    cjk = len(_CJK.findall(text)) if n * 8 < len(text) else 0  # few spaces for its length: count CJK
    return n + cjk // 2


def _text(el: Any) -> str:
    return element_text(el)


def _own_text(el: Any) -> str:
    """The element's text outside its child elements, plus inline children that are not links."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("b", "i", "em", "strong", "span", "small", "sup", "sub", "abbr", "q", "mark", "u", "s",
                   "cite", "code", "font", "time", "br"):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def _schema(view: PageView, feats: PageFeatures) -> None:
    for script in view.elements("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        body = script.text or ""
        for m in _LD_TYPE.finditer(body):
            feats.types.update(t.lower().rsplit("/", 1)[-1] for t in _QUOTED.findall(m.group(1)))
        if _NOT_FREE.search(body):
            feats.not_free = True
    for el in view.marked:  # page_view.ITEMTYPE_SELECTOR among them
        for t in (el.get("itemtype") or "").split():
            feats.types.add(t.rstrip("/").rsplit("/", 1)[-1].lower())
    for el in view.elements("meta"):
        if el.get("property") is None:
            continue
        prop = (el.get("property") or "").lower()
        if prop == "og:type":
            feats.og_type = (el.get("content") or "").strip().lower()
        elif prop == "article:content_tier" and (el.get("content") or "").lower() in ("locked", "metered"):
            feats.paywall_marker = True


def _skipped(body: Any) -> set[Any]:
    out: set[Any] = set()
    for el in body.iter(*_SKIP):
        out.update(el.iter())
    return out


def _wall_of(text: str) -> str | None:
    """Which wall a prose block speaks for, if any."""
    if PAYWALL_WORDS.search(text):
        return "paywall"
    if BOT_WORDS.search(text):
        return "bot"
    if CONSENT_WORDS.count(text) >= 2:
        return "consent"
    if ERROR_WORDS.search(text):
        return "error"
    return None


def _inline(a: Any, parent: Any) -> bool:
    """A link inside running text: text before it in a block that is prose."""
    before = (parent.text or "").strip() or any(
        (sib.tail or "").strip() or isinstance(sib.tag, str) and sib.tag not in ("br", "img")
        for sib in a.itersiblings(preceding=True))
    return bool(before) and _size(_own_text(parent)) >= PROSE_MIN_WORDS


#: Anchors that may be headlines (filtered in C): not in a paragraph, 12 to 400 characters.
_ANCHORS = ("descendant::a[not(parent::p)][string-length(normalize-space(.)) >= 12]"
            "[string-length(normalize-space(.)) <= 400]")


def _headline_links(body: Any, skipped: set[Any], feats: PageFeatures) -> set[Any]:
    """Count headline links; returns every element holding one (for the main-block rule)."""
    holders: set[Any] = set()
    seen: set[str] = set()
    for a in body.xpath(_ANCHORS):
        if a in skipped:
            continue
        text = _text(a)
        size = _size(text)
        parent = a.getparent()
        if parent is None or _inline(a, parent):
            continue
        if not HEADLINE_MIN_WORDS <= size <= HEADLINE_MAX_WORDS or text.lower() in seen:
            continue
        seen.add(text.lower())
        feats.headlines += 1
        feats.headline_words += size
        el = parent
        while el is not None and el not in holders:
            holders.add(el)
            el = el.getparent()
    return holders


_BLOCKS = frozenset({"p", "li", "td", "dd", "blockquote", "div", "section", "article", "main"})


def _candidates(body: Any) -> dict[Any, None]:
    """Elements that may hold prose: every <p>, and the nearest block around a text node of 40+
    characters (found by XPath in C: a Python walk over every element costs 3× more)."""
    cands: dict[Any, None] = dict.fromkeys(body.iter("p"))
    for el in body.xpath(".//text()[string-length(normalize-space(.)) >= 40]/parent::*"):
        for _ in range(4):
            if el is None or el.tag in _BLOCKS or el.tag in _SKIP:
                break
            el = el.getparent()
        if el is not None and el.tag in _BLOCKS:
            cands[el] = None
    return cands


def _prose_blocks(body: Any, skipped: set[Any]) -> list[tuple[Any, str, int]]:
    """(element, own text, words) of every prose block."""
    out = []
    for el in _candidates(body):
        if el in skipped:
            continue
        own = _own_text(el)
        size = _size(own)
        if size < PROSE_MIN_WORDS:
            continue
        if el.tag != "p":
            links = sum(_size(_text(a)) for a in el.iterchildren("a"))
            if links * 2 >= size + links:
                continue
        out.append((el, own, size))
    return out


def _main_block(blocks: list[tuple[Any, str, int]], holders: set[Any]) -> int:
    tally: dict[Any, int] = {}
    for el, _own, size in blocks:
        parent = el.getparent()
        if parent is None or el in holders:
            continue  # a card: a headline link and its summary
        tally[parent] = tally.get(parent, 0) + size
        grand = parent.getparent()
        if grand is not None and parent not in holders:
            tally[grand] = tally.get(grand, 0) + size
    return max(tally.values(), default=0)


def _prose(body: Any, skipped: set[Any], holders: set[Any], feats: PageFeatures) -> None:
    """Prose and main block; on a page whose main block is short enough for a wall, the wall
    words are looked for and their blocks set apart (on the others they could not change a decision)."""
    blocks = _prose_blocks(body, skipped)
    feats.prose = sum(size for _el, _own, size in blocks)
    feats.main = _main_block(blocks, holders)
    if feats.main >= LOOK_CLOSER_BELOW:
        return
    kept = []
    for block in blocks:
        wall = _wall_of(block[1])
        if wall is None:
            kept.append(block)
        else:
            feats.wall_prose[wall] = feats.wall_prose.get(wall, 0) + block[2]
    feats.prose = sum(size for _el, _own, size in kept)
    feats.main = _main_block(kept, holders)


def _words(text: str, skipped: set[Any]) -> int:
    """Visible words: the body's text minus scripts and styles."""
    hidden = sum(_size(el.text or "") for el in skipped if el.tag in ("script", "style"))
    return max(0, _size(text) - hidden)


def _stamps(body: Any) -> int:
    """Timestamp-only lines ("10:32", "14.05 Uhr", "9:15 am ET")."""
    return sum(1 for t in body.xpath(".//text()[string-length(normalize-space(.)) <= 25]") if _STAMP.match(t))


def _markers(html: str, feats: PageFeatures) -> None:
    """Vendor markup of walls and paywalls (a scan of the raw page: only for pages with little text)."""
    low = html.lower()
    feats.bot_marker = any(m in low for m in BOT_MARKERS)
    feats.consent_marker = any(m in low for m in CONSENT_MARKERS)
    feats.paywall_marker = feats.paywall_marker or ("paywall" in low and bool(_PAYWALL_CLASS.search(html)))
    if not feats.not_free and "isaccessibleforfree" in low:
        feats.not_free = bool(_NOT_FREE.search(html))


def _head_features(view: PageView, status: int | None) -> PageFeatures:
    """The cheap features: declared types, og:type, <title> and <h1>."""
    feats = PageFeatures(status=status)
    _schema(view, feats)
    title = view.first("title")
    h1 = view.first("h1")
    feats.title = " | ".join(t for t in (_text(title) if title is not None else "",
                                         _text(h1) if h1 is not None else "") if t)
    return feats


def _plainly_article(feats: PageFeatures, body: Any) -> str | None:
    """Why a page is plainly an article without the walk over its text, or None: it declares an
    article type, its headline has no error, live or bot-check words, it has no paywall markup,
    and it holds at least ``PLAIN_MIN_PARAGRAPHS`` paragraphs of 200+ characters (counted by
    XPath in C), more text than any wall or teaser rule allows."""
    if not feats.article_typed or feats.types & (LIVE_TYPES | COLLECTION_TYPES):
        return None
    if (feats.status or 0) >= 400 or feats.not_free or feats.paywall_marker or ERROR_WORDS.search(feats.title) \
            or LIVE_WORDS.search(feats.title) or BOT_WORDS.search(feats.title):
        return None
    n = int(body.xpath(_LONG_PARAGRAPHS))
    if n < PLAIN_MIN_PARAGRAPHS:
        return None
    return f"article markup and {n} long paragraphs, no error, live-blog or paywall sign"


def page_features(tree: Any, html: str = "", *, status: int | None = None,
                  feats: PageFeatures | None = None, view: PageView | None = None) -> PageFeatures:
    """The features of one parsed page (an lxml HTML tree) that its kind depends on.

    The wall features (visible words, the text's start, forms, the raw-markup scan for vendor
    markers, the subscribe-to-read prompt) are read only on pages whose main text block is short
    enough for a wall or paywall decision (``WALL_FEATURES_BELOW``); on the others no decision
    reads them and they keep their defaults."""
    view = view_of(tree, view)
    feats = feats or _head_features(view, status)
    body = _body(view)
    skipped = _skipped(body)
    holders = _headline_links(body, skipped, feats)
    _prose(body, skipped, holders, feats)
    if not feats.types & LIVE_TYPES and LIVE_WORDS.search(feats.title):
        feats.stamps = _stamps(body)
    if feats.main < WALL_FEATURES_BELOW:
        text = _text(body)  # the body's text, read once
        feats.text_head = text[:TEXT_HEAD_CHARS]
        feats.words = _words(text, skipped)
        feats.forms = sum(1 for _ in body.iter("form"))
        _markers(html, feats)
        feats.paywall_prompt = PAYWALL_WORDS.search(text)
    return feats


# --------------------------------------------------------------------------- decisions

def _error(f: PageFeatures) -> str | None:
    if f.status is not None and f.status >= 400:
        return f"HTTP status {f.status}"
    if f.main >= WALL_MAX_MAIN or f.prose >= WALL_MAX_PROSE:
        return None
    m = ERROR_WORDS.search(f.title)
    if m:
        return f"error words in the title/h1 ({m.group(0).strip()!r}), main text block {f.main} words"
    return None


def _wall(f: PageFeatures, text_head: str) -> str | None:
    if f.main >= WALL_MAX_MAIN or f.prose >= WALL_MAX_PROSE:
        return None
    bot_words = BOT_WORDS.search(f.title) or BOT_WORDS.search(text_head)
    if f.bot_marker and (bot_words or f.words < 150):
        return f"bot-check markup{' and ' + repr(bot_words) if bot_words else ''}, {f.words} visible words"
    if bot_words and f.words < 150 and not f.article_typed:
        return f"bot-check words ({bot_words!r}), {f.words} visible words"
    consent = f.wall_prose.get("consent", 0)
    if consent and (f.consent_marker or f.forms) and consent >= f.prose:
        return (f"consent dialog ({consent} words of consent text, {'vendor markup' if f.consent_marker else 'a form'}),"
                f" main text block {f.main} words")
    return None


def _paywall(f: PageFeatures) -> str | None:
    prompt = f.paywall_prompt
    if f.main >= PAYWALL_MAX_MAIN or not prompt:
        return None
    if f.not_free or f.paywall_marker:
        what = "isAccessibleForFree: false" if f.not_free else "paywall markup"
        return f"{what} and a subscribe-to-read prompt ({prompt!r}), main text block {f.main} words"
    if f.main < WALL_MAX_MAIN:
        return f"a subscribe-to-read prompt ({prompt!r}), main text block {f.main} words"
    return None


def _live(f: PageFeatures) -> str | None:
    if f.types & LIVE_TYPES:
        return "schema.org LiveBlogPosting"
    m = LIVE_WORDS.search(f.title)
    if m and f.stamps >= LIVE_MIN_STAMPS:
        return f"{m!r} in the headline and {f.stamps} timestamped entries"
    return None


def _index(f: PageFeatures) -> str | None:
    if f.types & COLLECTION_TYPES and not f.article_typed and f.main < COLLECTION_MAX_MAIN \
            and f.headlines >= INDEX_MIN_HEADLINES // 2:
        kind = sorted(f.types & COLLECTION_TYPES)[0]
        return f"schema.org {kind}, {f.headlines} headline links, main text block {f.main} words"
    if f.article_typed:
        return None  # a page that says it is an article is one, however short: extraction decides
    if f.headlines >= INDEX_MIN_HEADLINES and f.main < INDEX_MAX_MAIN \
            and f.headline_words >= INDEX_LINK_RATIO * max(f.main, 1):
        return f"{f.headlines} headline links ({f.headline_words} words), main text block {f.main} words"
    return None


def _other(f: PageFeatures) -> str | None:
    if f.words < OTHER_MAX_WORDS and f.main == 0 and not f.article_typed and not f.types & LIVE_TYPES:
        return f"{f.words} visible words, no prose and no article markup"
    return None


def decide(f: PageFeatures, text_head: str = "") -> PageKind:
    """The kind of a page from its features: the first decision that holds, else ``article``."""
    for kind, rule in (("error_page", _error), ("consent_or_bot_wall", lambda x: _wall(x, text_head)),
                       ("paywall", _paywall), ("live_blog", _live), ("index", _index), ("other", _other)):
        reason = rule(f)
        if reason:
            return PageKind(kind, reason)
    typed = "article markup" if f.article_typed else "no non-article evidence"
    return PageKind("article", f"{typed}, main text block {f.main} words")


def _body(view: PageView) -> Any:
    body = view.first("body")
    return view.tree if body is None else body


def classify_tree(tree: Any, html: str = "", *, status: int | None = None, view: PageView | None = None) -> PageKind:
    """Kind of one parsed page; never raises for odd markup (then: ``article``). ``view``: the
    page's ``PageView`` when the caller has one (``extract_html`` shares it with the metadata)."""
    try:
        view = view_of(tree, view)
        feats = _head_features(view, status)
        plain = _plainly_article(feats, _body(view))
        if plain:
            return PageKind("article", plain)
        feats = page_features(tree, html, feats=feats, view=view)
    except (ValueError, TypeError, AttributeError, RecursionError) as exc:
        return PageKind("article", f"page features failed ({type(exc).__name__}): extraction decides")
    head = feats.text_head if feats.words < 400 else ""
    return decide(feats, head)


def classify_html(html: str, *, status: int | None = None) -> PageKind:
    """Kind of one HTML page (parsed here; ``extract_html`` passes its own tree to ``classify_tree``)."""
    from lxml import etree
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except (etree.LxmlError, ValueError, TypeError, RecursionError):
        tree = None
    if tree is None:
        return PageKind("other", "not parsable as HTML")
    return classify_tree(tree, html, status=status)


def _lines(text: str, n: int) -> Iterable[str]:
    count = 0
    for line in text.splitlines():
        if line.strip():
            yield line.strip()
            count += 1
            if count >= n:
                return


def classify_text(text: str) -> PageKind:
    """Kind of a plain-text page: only a short text whose first lines say wall or error is refused."""
    words = _size(text)
    if words >= WALL_MAX_PROSE + PAYWALL_MAX_MAIN:
        return PageKind("article", f"plain text, {words} words")
    head = "\n".join(_lines(text, 3))
    if words < WALL_MAX_PROSE:
        m = ERROR_WORDS.search(head)
        if m:
            return PageKind("error_page", f"error words in the first lines ({m.group(0).strip()!r}), {words} words")
        bot = BOT_WORDS.search(head)
        if bot:
            return PageKind("consent_or_bot_wall", f"bot-check words ({bot!r}), {words} words")
        if CONSENT_WORDS.count(text) >= 3:
            return PageKind("consent_or_bot_wall", f"consent-dialog words, {words} words")
    prompt = PAYWALL_WORDS.search(text)
    if prompt and words < PAYWALL_MAX_MAIN:
        return PageKind("paywall", f"a subscribe-to-read prompt ({prompt!r}), {words} words")
    return PageKind("article", f"plain text, {words} words")
