"""One scraped-page line and what it looks like: the features of ``newsgraph.extract.text``.

``Line`` measures a line once: ``units`` (words, or half the CJK characters
when that is larger), sentence shape (ends in ``. ! ? … 。 : ;``), ``prose``
(>= 8 units ending like a sentence, or >= 20 units, with ordinary lower-case
or caseless words, not Title Case), list-item shape, ``repeat`` (how often
the normalised line occurs on the page, set by the classifier) and ``cue``.

``cue`` names what a line *says it is*, from patterns publishers use on every
site for the same element, in the languages newsgraph meets: credits
(``Photo: X / Y``, ``… /AP``, ``©``), captions (a sentence ending in a
credit, ``FILE PHOTO:``, gallery counters), read-also links, comment forms,
bylines and date/time lines, tag and pipe menus, author-bio phrases,
cookie/newsletter/share/copyright boilerplate. A cue is a *label*: it names
the kind of a line that is removed. Whether it also removes the line on its
own is decided in ``text_classify`` from the line's shape (``decides``).
"""

from __future__ import annotations

import re

from newsgraph.vocab import (
    AGENCY_END,
    AGENCY_MARK,
    CLOSING_QUOTES,
    DOUBLE_OPEN,
    INLINE_CREDIT_LABELS,
    OPENING_QUOTES,
    STRAIGHT_DOUBLE,
    STRAIGHT_SINGLE,
    agencies,
    alternation,
    credit_labels,
    month_pattern,
)

__all__ = ["Line", "comment_head", "parse_title", "shingles"]

PROSE_MIN_UNITS = 8
LONG_UNITS = 20
SHINGLE = 4

# --------------------------------------------------------------------------
# character classes and regexes (compiled once)
# --------------------------------------------------------------------------
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
_LEAD = OPENING_QUOTES + "¿¡([-–—*•"
TRAIL = CLOSING_QUOTES + ")]*›\u200b "
_SENT_END = frozenset(".!?…。！？:;")
_STRONG_END = frozenset(".!?…。！？")
NORM = re.compile(r"\W+", re.U)

# credit labels and agencies come from newsgraph.vocab (one vocabulary for every site)
_LABEL = alternation(credit_labels(), space=r"\ ")
_INLINE_LABEL = alternation(INLINE_CREDIT_LABELS)
_SLASH_AGENCY = alternation(agencies(AGENCY_MARK), space=r"\ ")
_END_AGENCY = alternation(agencies(AGENCY_END), space=r"\ ")
_CREDIT = re.compile(
    rf"""^(?:\(?{_LABEL}\s*(?:by)?\s*[:：]
         |\[{_LABEL}\s*[=:]
         |©\s*\w
         )""",
    re.I | re.X,
)
_CREDIT_TAIL = re.compile(
    rf"""(?:\(\s*{_LABEL}\s*:[^)]{{1,80}}\)\s*$
         |(?:\b{_END_AGENCY}\b|\bap\ photo\b|submitted\ photo|file\ photo|ap\ file)\s*\)?\s*$
         |\b{_INLINE_LABEL}\s*:\s*[^.]{{1,80}}$
         |©\s*[^.]{{1,60}}$
         |\({_SLASH_AGENCY}\b[^)]{{0,60}}\)\s*$
         |\b{_SLASH_AGENCY}\ photo\b.{{0,60}}$
         |/\s*{_SLASH_AGENCY}\s*\)?\s*$)""",
    re.I | re.X,
)
#: cheap pre-filter for _CREDIT_TAIL: every credit tail holds "©" or one of these words (a label,
#: a word of an agency's name, "file" of "AP file") as a whole word
_LETTERS = re.compile(r"[^\W\d_]+")
_CREDIT_HINT_WORDS = frozenset(w for h in (*credit_labels(), *agencies(AGENCY_MARK), "file")
                               for w in _LETTERS.findall(h.lower()))


def _credit_hint(low_tail: str) -> bool:
    return "©" in low_tail or not _CREDIT_HINT_WORDS.isdisjoint(_LETTERS.findall(low_tail))


_CAPTION_START = re.compile(r"^(?:file\ photo\s*:|above\s*:|pictured\s*:|in\ this\ photo|top\s*:|image\s+\d+\s+of)",
                            re.I | re.X)
COUNTER = re.compile(r"^\d+\s*(?:/|of)\s*\d+\s")  # "2 of 6 A shopper looks at ...": a gallery caption
_GALLERY = re.compile(r"^(?:image\s+)?\d+\s*(?:of|/)\s*/?\s*\d*$|^(?:caption|close|back to gallery|"
                      r"expand|enlarge)$", re.I)
#: "read also" in the languages newsgraph meets; a line starting with one is a link to another page
_RELATED_STRONG = re.compile(
    r"""^(?:read\ (?:also|more|next)|see\ also|also\ read|related\ (?:stories|articles?|posts?|coverage)|
         lee\ también|lea\ también|ver\ también|véase\ también|te\ puede\ interesar|noticias\ relacionadas|
         leia\ também|veja\ também|leia\ mais|saiba\ mais|(?:à\ )?lire\ aussi|voir\ aussi|lesen\ sie\ auch|
         auch\ interessant|mehr\ zum\ thema|siehe\ auch|leggi\ anche|vedi\ anche|potrebbe\ interessarti|
         lees\ ook|zie\ ook|baca\ juga|lihat\ juga|читайте\ также|смотрите\ также|les\ også|se\ også|
         läs\ också|læs\ også|lue\ myös|czytaj\ (?:też|także)|zobacz\ też)\b""",
    re.I | re.X,
)
_RELATED = re.compile(
    r"""^(?:read\ (?:also|more|next|this)|see\ (?:also|more)|also\ (?:read|see|on\ \S+)|related(?:\ (?:stories|
           articles?|posts?|coverage|links|news|content|reading))?|more\ (?:on\ this|from\ \S+|stories)|more|
           recommended(?:\ for\ you)?|don['’]?t\ miss|trending(?:\ now|\ news)?|most\ (?:read|popular|viewed)|
           watch|listen|les\ også|se\ også|leia\ (?:também|mais)|veja\ (?:também|mais)|leggi\ anche|
           baca\ juga|читайте\ также|lire\ aussi|lesen\ sie\ auch|mehr|the|on\ \S+\.(?:com|org|net))\s*[:：|»>-]""",
    re.I | re.X,
)
RELATED_HEAD = re.compile(
    r"""^(?:related(?:\ (?:stories|articles?|posts?|coverage.*|links|news|content|reading))?|more\ (?:on\ this.*|from\ .*|
           stories|news|headlines)|recommended(?:\ for\ you)?|don['’]?t\ miss|trending(?:\ now|\ news|\ stories)?|
           most\ (?:read|popular|viewed|shared).*|you\ (?:may|might)\ also\ like|popular(?:\ posts)?|
           latest(?:\ news|\ stories|\ posts)?|read\ more|see\ more|explore\ further|more|artigos\ relacionados|
           leia\ também|veja\ também|articoli\ correlati|berita\ terkait|похожие\ статьи|читайте\ также|
           what\ to\ read\ next|up\ next|top\ stories|editor['’]s\ picks|around\ the\ web)\s*:?$""",
    re.I | re.X,
)
#: phrases of comment forms and comment sections (matched in the lower-cased line)
_COMMENT_WORDS = (  # comment-form text: unambiguous on any line up to 60 words
    "leave a reply", "leave a comment", "post a comment", "your email address will not be published",
    "required fields are marked", "save my name", "cancel reply", "comments are closed",
    "please be respectful", "powered by disqus", "comments powered by", "log in to comment", "to post a comment",
    # es, pt, fr, de, it, nl, id, ru, nordic
    "deja una respuesta", "deja un comentario", "dejar un comentario", "no será publicada", "no se publicará",
    "campos obligatorios", "deixe uma resposta", "deixe um comentário", "deixe seu comentário", "não será publicado",
    "campos obrigatórios", "laisser un commentaire", "laisser une réponse", "ne sera pas publiée",
    "champs obligatoires", "schreibe einen kommentar", "hinterlasse einen kommentar", "wird nicht veröffentlicht",
    "pflichtfelder", "lascia un commento", "lascia una risposta", "non sarà pubblicato", "campi obbligatori",
    "laat een reactie achter", "wordt niet gepubliceerd", "verplichte velden", "tinggalkan balasan",
    "tinggalkan komentar", "tidak akan dipublikasikan", "оставить комментарий", "оставьте комментарий",
    "не будет опубликован", "обязательные поля", "legg igjen en kommentar", "lämna en kommentar",
    "publiseres ikke", "publiceras inte", "댓글",
)
_COMMENT_WEAK = (  # could be article words: only on short non-sentences
    "post comment", "notify me of", "join the discussion", "join the conversation", "comment policy",
    "commenting policy", "community guidelines", "add a comment",
)
_COMMENT_WEAK_RE = re.compile("|".join(map(re.escape, _COMMENT_WEAK)))
_COMMENT_RE = re.compile("|".join(map(re.escape, _COMMENT_WORDS)))
_COMMENT_LINE = re.compile(
    r"^(?:(?:view|show|load|read|see|hide)\s+(?:all\s+)?\d*\s*comments?|\d*\s*(?:comments?|responses?|replies|"
    r"comentarios?|comentários?|commentaires?|kommentare?|commenti|reacties|komentar|комментари[ийя])\s*:?|"
    r"(?:name|e-?mail|website|comment|nombre|correo(?:\s+electrónico)?|sitio\s+web|comentario|nome|site|"
    r"comentário|nom|commentaire|site\s+web|kommentar|webseite|sito\s+web|commento|naam|website|nama|"
    r"имя|почта|сайт|комментарий)\s*\*?:?\s*\*?)$",
    re.I,
)
_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w.'’-]*|de|da|do|dos|van|von|der|den|del|di|du|la|le|bin|al|and|y|e|und|et|&)"
_BYLINE = re.compile(
    r"^(?i:by|von|por|di|oleh|par|door|av|af)\s+[A-ZÀ-ÖØ-Þ][\w.'’-]*(?:\s+" + _NAME_WORD + r"){0,6}"
    r"\s*(?:[,|/–—(-].{0,80})?$|"
    r"^(?i:(?:written|posted|published|updated|reported|edited|researched)(?:\s+(?:by|on|at)\b|\s*:|\s+\d))|"
    r"^(?i:\(?reporting\s+by|\(?editing\s+by|additional\s+reporting)|"
    r"^(?i:reading\s+time|read\s+time|tempo\s+de\s+leitura|tempo\s+di\s+lettura|lesezeit|время\s+чтения)\b|"
    r"^\d+\s*(?i:min(?:ute)?s?|мин)\.?\s+(?i:read|de\s+leitura|lettura|чтения)\b"
)
_MONTH = month_pattern()
_DATE = re.compile(
    r"(?:\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}|\b" + _MONTH + r"\s+\d{1,2},?\s+\d{4}|\b\d{1,2}\s+"
    + _MONTH + r"\s+\d{4}|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)",
    re.I,
)
#: phrases that name a page element's purpose (matched in the lower-cased line)
_BOILER_WORDS = (  # unambiguous: checked on any line that is short or not prose
    "all rights reserved", "privacy policy", "privacy notice", "terms of use", "terms of service",
    "terms and conditions", "cookie policy", "cookie settings", "use cookies", "uses cookies", "accept cookies",
    "accept all", "newsletter", "subscribe to our", "sign up for our", "sign up to our", "already a subscriber",
    "©",
    "recaptcha", "unsubscribe", "javascript", "your browser", "download the app", "download our app",
    "get the app", "image/svg", "created with sketch", "why you can trust", "&lt;", "tell us what you think",
    "support independent journalism", "support our journalism", "follow us", "click here", "tap here",
)
_BOILER_WEAK = (  # also ordinary words: only on short lines that are not sentences
    "cookie", "subscribe", "subscription", "sign up", "sign in", "log in", "login", "log out", "copyright",
    "share this", "share on", "inbox",
)
#: ad slot labels: they sit between paragraphs as often as in page chrome
AD_SLOTS = frozenset({"advertisement", "advert", "ad", "ads", "sponsored", "story continues below advertisement",
                       "article continues below advertisement", "continue reading below"})
#: whole lines (normalised) that are page chrome
BOILER_LINES = frozenset({
    "advertisement", "advert", "ad", "ads", "sponsored", "share", "tweet", "email", "print", "facebook", "twitter",
    "linkedin", "whatsapp", "reddit", "pinterest", "sms", "instagram", "youtube", "rss", "flipboard",
    "print this article", "get short url", "share this article", "share this story", "comments", "related",
}) | AD_SLOTS
#: whole lines (normalised) that move the reader around the site
_NAV_LINES = frozenset({
    "menu", "search", "home", "close", "show more", "load more", "more", "top", "back to top", "skip to content",
    "skip to main content", "continue reading", "continue reading the main story", "next", "previous",
    "next article", "previous article", "main menu", "sections",
})
_BOILER_RE = re.compile("|".join(map(re.escape, _BOILER_WORDS)))
_BOILER_WEAK_RE = re.compile("|".join(map(re.escape, _BOILER_WEAK)))
_BOILER_START = re.compile(r"^(?:sponsored|skip to|continue reading|fill \d|you have \d+ free|subscribe|sign up|sign in|"
                           r"log in|register)")
_BIO = re.compile(
    r"""\b(?:(?:is|i\ am|i['’]m)\ an?\ (?:\w+\ ){0,3}(?:writer|reporter|journalist|editor|correspondent|contributor|columnist|
           author|freelancer|blogger|producer)|writes\ about|opinions\ expressed\ by|follow\ me\ on|covers\ (?:\w+\ ){0,3}for|follow\ (?:him|her|them)\ on|
           (?:trailblazer|lover|fanatic|enthusiast|advocate|evangelist|ninja|geek|nerd|junkie|buff|aficionado|
           specialist|expert|practitioner|scholar)\.\s)""",
    re.I | re.X,
)
_TAGS = re.compile(r"^(?:filed\s+under|tags?|topics?|categories|category|posted\s+in|subjects?|keywords?|"
                   r"mehr|more\s+on)\s*:", re.I)
_COPYRIGHT = re.compile(r"^(?:[©ⓒ]|\(c\)|copyright)\s*(?:\d{4}|all rights)", re.I)
_MENU = re.compile(r"^[^|>»/]{1,30}(?:\s[|>»/]\s[^|>»/]{1,30}){2,}$|^[^>»]{1,30}\s[>»]\s[^>»]{1,30}$")
NAME_PLACE = re.compile(r"^(?:[A-ZÀ-ÖØ-Þ][\w'’.-]+)(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]+){1,3}(?:,\s*[\w .'’-]{2,30})?$")
ROLE_LINE = re.compile(r"^(?i:(?:senior\s+|staff\s+|chief\s+|foreign\s+|political\s+)?(?:journalist|reporter|"
                        r"correspondent|editor|writer|columnist|contributor|periodista|jornalista|giornalista|"
                        r"journaliste|redakteur(?:in)?|journalist(?:in)?|wartawan|корреспондент|журналист))$")
#: a quoted bio line opens with a double mark (or a straight single one)
BIO_QUOTE = STRAIGHT_DOUBLE + DOUBLE_OPEN + STRAIGHT_SINGLE
TWEET_SIG = re.compile(r"^[—–-]\s*\S.{0,80}\(@\w+\)")
TRUNCATED = re.compile(r"(?:[^.]\.\.|\.{4,})\s*$")
AUTHOR_HEAD = re.compile(
    r"^(?:(?i:about\s+the\s+authors?)|(?i:about|sobre|über|tentang)\s+(?:[A-Z][\w'’.-]+\s*){2,3}|"
    r"(?i:sobre\s+o\s+autor|über\s+den\s+autor|(?:informazioni\s+)?sull['’]autore|tentang\s+penulis|об\s+авторе|"
    r"author\s+bio|more\s+(?:articles|stories|posts)\s+by\s+.{2,40}))$"
)
_NAME_ROLE = re.compile(
    r"^(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’.-]+,?\s+(?i:(?:senior\s+|staff\s+|contributing\s+|chief\s+|deputy\s+)?"
    r"(?:contributor|writer|reporter|editor|correspondent|columnist|journalist|news\s+reporter))$"
)
_UPDATED = re.compile(r"\b(?:updated|published|posted|last\s+updated|actualizado|atualizado|aggiornato)\s*:", re.I)
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[•·▪◦*–—-]|[a-z][.)])\s+\S", re.I)
URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
TITLE_SEP = re.compile(r"\s+(?:[–—|]|-{1,2}|::|·|»)\s+")
NAME_LIKE = re.compile(r"^(?=.*[a-zß-ÿ])(?:[A-ZÀ-ÖØ-Þ][\w'’.-]+)(?:\s+(?:[A-ZÀ-ÖØ-Þ][\w'’.-]+|de|da|van|von|der|del|di|la|le|y))*"
                        r"\s+[A-ZÀ-ÖØ-Þ][\w'’.-]+$")


# --------------------------------------------------------------------------
# features
# --------------------------------------------------------------------------
class Line:
    # one per non-blank line, so only what later steps read is kept (no per-line temporaries)
    __slots__ = ("text", "norm", "units", "sentence", "strong", "prose", "cue", "chrome", "list_item",
                 "lower_words", "caps_words", "repeat")

    def __init__(self, text: str) -> None:
        self.text = text
        self.norm = NORM.sub(" ", text.lower()).strip()
        words = text.split()
        nw = len(words)
        cjk = len(_CJK.findall(text)) if not text.isascii() else 0
        self.units = max(nw, cjk / 2.0)
        tail = text.rstrip(TRAIL)
        last = tail[-1:] if tail else ""
        self.sentence = last in _SENT_END
        self.strong = last in _STRONG_END
        initials = [c for c in (w.lstrip(_LEAD)[:1] for w in words) if c.isalpha()]
        caps = self.caps_words = sum(1 for c in initials if c.isupper())
        self.lower_words = len(initials) - caps  # caseless scripts (Hangul, kana) count as ordinary words
        upper_ratio = caps / len(initials) if initials else 0.0
        lower = cjk > 0 or self.lower_words > 0
        self.prose = (self.units >= PROSE_MIN_UNITS and self.sentence and lower and upper_ratio < 0.75) or (
            self.units >= LONG_UNITS and lower and upper_ratio < 0.6
        )
        self.list_item = bool(_LIST_ITEM.match(text))
        self.cue = cue_of(text, self)
        self.chrome: str | None = None  # set by the classifier
        self.repeat = 1


def cue_of(text: str, ln: Line) -> str | None:
    """A removal kind from the line's own shape, or None."""
    short = ln.units <= 30
    low = text.lower()
    if ln.units <= 60 and (_COMMENT_LINE.match(text) or _COMMENT_RE.search(low)):
        return "comment_form"
    if ln.units <= 12 and not ln.sentence and _COMMENT_WEAK_RE.search(low):
        return "comment_form"
    if ln.units <= 3 and _REPLY_LINE.match(text):
        return "comment_form"  # (a dated header ending in ":" is one only where the page has several)
    if TWEET_SIG.match(text):
        return None  # "— Name (@handle) date": the signature of an embedded post, part of the article
    if _COPYRIGHT.match(text):
        return "boilerplate"
    if short and _CREDIT.match(text):
        # "Photo: X / Y" is a credit; "Image: a described scene" is a caption
        m = _CREDIT.match(text)
        rest = text[m.end():] if m else text
        return "photo_credit" if len(rest.split()) <= 6 or "/" in rest else "caption"
    if ln.units <= 16 and (_RELATED.match(text) or _RELATED_STRONG.match(text)):
        return "related_link"
    if ln.units <= 6 and RELATED_HEAD.match(text):
        return "related_link"
    tail = low[-120:]
    if ln.units <= 100 and _credit_hint(tail) and _CREDIT_TAIL.search(text[-120:]):
        return "caption" if ln.units > 6 else "photo_credit"
    if ln.units <= 6 and _CAPTION_START.match(text):
        return "caption"
    if _GALLERY.match(text):
        return "caption"
    if ln.units <= 100 and _CAPTION_START.match(text):
        return "caption"
    if AUTHOR_HEAD.match(text) or (ln.units <= 8 and _NAME_ROLE.match(text)):
        return "author_box"
    if ln.units <= 30 and _TAGS.match(text):
        return "navigation"
    if ln.units <= 20 and (_BYLINE.match(text) or _UPDATED.search(text)):
        return "byline"
    if ln.units <= 12 and _DATE.search(text) and (not ln.strong or ln.lower_words <= 2):
        return "byline"
    if ln.units <= 40 and not ln.strong and _MENU.search(text):
        return "navigation"  # "Home | World | Business | ..." or "World > Europe"
    if ln.norm in _NAV_LINES:
        return "navigation"
    if ln.norm in BOILER_LINES:
        return "boilerplate"
    if (ln.units <= 20 or not ln.prose) and (_BOILER_RE.search(low) or _BOILER_START.match(low)):
        return "boilerplate"
    if ln.units <= 20 and not ln.sentence and _BOILER_WEAK_RE.search(low):
        return "boilerplate"
    if ln.units <= 40 and _BIO.search(text):
        return "author_box"
    return None



def shingles(norm: str) -> set[tuple[str, ...]]:
    """The word 4-grams of a normalised line (repetition across the page is measured on these)."""
    toks = norm.split()
    return {tuple(toks[j:j + SHINGLE]) for j in range(len(toks) - SHINGLE + 1)}


def parse_title(line: str) -> tuple[str | None, str | None, str | None]:
    """Split ``Title – Outlet – Section`` into its parts (missing parts are None)."""
    line = line.strip()
    if not line:
        return None, None, None
    parts = [p.strip() for p in TITLE_SEP.split(line) if p.strip()]
    if len(parts) == 1:
        return parts[0], None, None
    title = parts[0]
    outlet = parts[1]
    section = " – ".join(parts[2:]) or None
    return title, outlet, section


#: the UI label over or under a reader comment ("Reply", "3 likes"), in the common languages
_REPLY_LINE = re.compile(r"^(?:reply|responder|responda|répondre|antworten|rispondi|reageer|balas|ответить|svar(?:a)?"
                         r"|\d+\s+(?:likes?|replies|respuestas|réponses|antworten))$", re.I)


def comment_head(ln: Line) -> bool:
    """A reader comment's header, by shape in any language: a short line holding a date or time and
    ending in a colon ("Jane on 12 May 2020 at 4:47 pm said:", "Anna am 12.05.2020 um 16:47:"),
    or a reply label."""
    if ln.units > 20:
        return False
    if _REPLY_LINE.match(ln.text):
        return True
    return ln.text.rstrip().endswith((":", "：")) and bool(_DATE.search(ln.text))
