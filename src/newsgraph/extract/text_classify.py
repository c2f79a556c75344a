"""Line features in, one kind per line out: the decisions of ``newsgraph.extract.text``.

Every decision is made from features of the lines (``text_lines.Line``) that
hold on any news site, in this order:

1. **Which cues decide on their own** (``decides``): a cue (what the line
   says it is) removes a line wherever it stands only when the line's shape
   agrees: boilerplate, bylines and date lines, menus and captions ending
   in a credit always; a credit only when short (<= ``CREDIT_UNITS``); a
   comment-form phrase only on a non-prose or short line; a read-also cue
   only on a line that does not end like a sentence; an author-bio phrase
   only on a non-prose line. Otherwise the cue is just the line's label if
   it ends up outside the article.
2. **Runs** mark whole blocks: two or more neighbouring teasers cut off with
   "..", gallery counters ("1 of 6") in a run, the lines under a reader
   comment header ("X on <date> said:").
3. **The article by density** (``_main_region``): a prose line is worth its
   units minus ``_PROSE_COST`` (half when no prose line stands next to it:
   teaser lists), every other line costs ``_PENALTY_SHORT``, a cue that
   decides ``_PENALTY_PATTERN``, comment forms ``_WALL``. The maximum-sum
   span (Kadane) is the article. The on-page headline (most of the first
   line's headline part) is an anchor: the article starts under it.
4. **Inside the region** a line is body when it is prose, a sentence of 3+
   words, a list item or an embedded post's signature; a short unrepeated
   line followed by prose is a ``heading``; a run of one or two lines with
   article lines on both sides is body (contiguity); items after a lead-in
   ending in ":" stay: a plain list (short unrepeated lines) or a list of
   cards (``_card_run``: lines repeated in every card and nowhere else on
   the page, "Buy now", "Price:", mark a template; the run ends with the
   last card). Cards may follow a read-also-looking lead-in ("Don't miss:")
   right after an article line; headlines repeat nothing, so they do not.
5. **Structure around the article**: a line followed by a short credit is a
   ``caption`` when the article goes on after the credit or the line is
   repeated on the page (a body paragraph that ends the article before a
   "Source:" note is not); a short non-sentence before a caption is
   ``alt_text``; short lines under a "Related" head are ``related_link``; a
   name next to a byline is ``byline``; names and bios just after the body
   are ``author_box``.
6. **Repetition across the page**: a kept line of 10+ units seen before, or
   whose word 4-grams are mostly (``_CONTAINED``) in the kept lines before it
   (a one-line copy of the whole article, an AMP copy), is a ``duplicate``.
7. Whatever is left outside the region takes its cue as kind, else
   ``navigation`` (short) or ``boilerplate`` (long).

Weights are round numbers in text units, not fitted values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsgraph.extract.text_lines import (
    AD_SLOTS,
    AUTHOR_HEAD,
    BIO_QUOTE,
    BOILER_LINES,
    COUNTER,
    NAME_LIKE,
    NAME_PLACE,
    NORM,
    RELATED_HEAD,
    ROLE_LINE,
    TRAIL,
    TRUNCATED,
    TWEET_SIG,
    URL,
    Line,
    comment_head,
    parse_title,
    shingles,
)

__all__ = ["BODY", "HEADING", "KEPT", "classify"]

BODY = "body"
HEADING = "heading"
#: kinds that end up in ``Cleaned.body``
KEPT = frozenset({BODY, HEADING})

# Region weights (units of text). Round numbers on purpose.
_PENALTY_SHORT = 6.0  # a menu / link / label line
_PENALTY_PATTERN = 8.0  # a credit, read-also, byline ... line
_PENALTY_AD = 2.0  # an ad slot label: sits between paragraphs as often as in page chrome
_PENALTY_BOILER = 8.0  # a line that names its own purpose (subscribe, cookie, ...)
_WALL = 60.0  # comment headers and forms separate regions hard
_PROSE_COST = 5.0  # what a prose line must outweigh to count (teasers are short prose)
_DUP_UNITS = 10
_DUP_SHINGLES = 8  # a line must hold this many word 4-grams to be judged a copy by containment
_CONTAINED = 0.8  # share of its 4-grams seen before
_ISOLATED = 0.5  # weight of a prose line with no prose neighbour
_LIST_MAX = 60  # items kept after a lead-in line ending in ":"
_ITEM_UNITS = 30  # a list item is at most this long
_CARD_MAX = 150  # lines of a list of cards
_CARD_UNITS = 60  # a line of a card is at most this long (a product description)
_TEMPLATE_MIN = 2  # a card template line occurs at least this often in the list
_TEMPLATE_LINES = 2  # ... and at least this many such lines make a template
_TRIM_GAP = 8  # a menu-length run of non-text lines
_COMMENT_SPAN = 25  # lines of one reader comment at most
_ANCHOR_BONUS = 50.0
CREDIT_UNITS = 8
COMMENT_UNITS = 20
FOLLOW_SPAN = 3  # the headline repeated on the page sits right above the article
_GAP_LINES = 2  # a run this short between article lines is article


# --------------------------------------------------------------------------
# region finding
# --------------------------------------------------------------------------
def _value(ln: Line) -> float:
    if ln.chrome == "comment_form":
        return -_WALL
    if ln.norm in AD_SLOTS:
        return -_PENALTY_AD
    if ln.chrome is not None:
        return -_PENALTY_BOILER if ln.chrome == "boilerplate" else -_PENALTY_PATTERN
    if ln.repeat > 1 and ln.units < _DUP_UNITS:
        return -_PENALTY_SHORT
    if ln.prose:
        return ln.units - _PROSE_COST
    if ln.sentence and ln.units >= 4:
        return 0.5
    return -_PENALTY_SHORT


def _best_span(values: Sequence[float]) -> tuple[float, int, int]:
    """Maximum-sum contiguous span (Kadane): (sum, start, end), start -1 when every value is <= 0.

    A span that reaches the same sum again goes on to there: a paragraph that pays back exactly what the box
    before it cost (a "Related" head and its link inside the article) is article; of two separate spans with
    the same sum, the first stays."""
    best, bs, be = 0.0, -1, -1
    cur, cs = 0.0, 0
    for i, v in enumerate(values):
        if cur <= 0:
            cur, cs = 0.0, i
        cur += v
        if cur > best or (cur == best and cs == bs):
            best, bs, be = cur, cs, i + 1
    return best, bs, be


def _longest_gap(prose: Sequence[bool], lo: int, hi: int) -> int:
    """Longest run of non-prose lines in ``[lo, hi)``."""
    best = run = 0
    for i in range(lo, hi):
        run = 0 if prose[i] else run + 1
        best = max(best, run)
    return best


def _main_region(lines: Sequence[Line], anchors: Sequence[int] = ()) -> tuple[int, int]:
    """The article's span ``[start, end)`` by density; ``(0, 0)`` when no line carries text."""
    values = [_value(ln) for ln in lines]
    # an isolated prose line (no prose neighbour) is what teaser lists look like
    prose = [ln.prose and ln.chrome is None for ln in lines]
    # (an "Advertisement" slot between two paragraphs does not separate them)
    text_lines = [i for i, ln in enumerate(lines) if ln.norm not in BOILER_LINES]
    for k, i in enumerate(text_lines):
        if values[i] > 0 and prose[i] and not (k > 0 and prose[text_lines[k - 1]]) \
                and not (k + 1 < len(text_lines) and prose[text_lines[k + 1]]):
            values[i] *= _ISOLATED
    for a in anchors:
        values[a] = _ANCHOR_BONUS
    _, start, end = _best_span(values)
    if start < 0:
        return (0, 0)
    # the article starts under its headline: drop what the span holds above it (teaser blocks) when a
    # menu-length run of non-text lines separates that part from the headline
    for a in anchors:
        if start < a < end and any(prose[j] and prose[j + 1] for j in range(a + 1, min(a + 6, end - 1))) \
                and _longest_gap(prose, start, a) >= _TRIM_GAP:
            start = a
            break
    return (start, end)


# --------------------------------------------------------------------------
# classification
# --------------------------------------------------------------------------
def _text_follows(kinds: Sequence[str | None], i: int) -> bool:
    """Is there article text right after position ``i`` (a caption sits inside the article, while a body
    paragraph followed by a source note or image credit ends it)?"""
    return any(k in KEPT for k in kinds[i:i + FOLLOW_SPAN])


#: a read-also line that ends in a question mark is still a linked headline up to this many words
RELATED_QUESTION_UNITS = 15


def decides(ln: Line) -> bool:
    """Does the line's cue remove it wherever it stands? Only when its shape agrees with the cue."""
    cue = ln.cue
    if cue in ("boilerplate", "byline", "navigation", "caption"):
        return True
    if cue == "photo_credit":
        return ln.units <= CREDIT_UNITS
    if cue == "comment_form":
        return not ln.prose or ln.units <= COMMENT_UNITS
    if cue == "related_link":  # a linked headline may be a question ("Read also: Who are the armed groups?")
        return not ln.sentence or (ln.text.rstrip().endswith("?") and ln.units <= RELATED_QUESTION_UNITS)
    return not ln.prose  # author_box


def classify(feats: list[Line]) -> list[str]:
    n = len(feats)
    counts = Counter(ln.norm for ln in feats)
    for ln in feats:
        ln.repeat = counts[ln.norm]
        ln.chrome = ln.cue if ln.cue is not None and decides(ln) else None
    kinds: list[str | None] = [None] * n

    # title: the first line; its headline part repeated later is also a title
    title_norms: set[str] = set()
    anchors: list[int] = []
    # (a page title often ends in an agency name, "… - Reuters", which looks like a credit)
    if n and not feats[0].prose and feats[0].cue in (None, "photo_credit", "caption", "related_link"):
        kinds[0] = "title"
        head = parse_title(feats[0].text)[0]
        title_norms = {feats[0].norm, NORM.sub(" ", (head or "").lower()).strip()}
        title_norms.discard("")
        # the on-page headline: a later line that is (most of) the title's headline part
        t0 = feats[0].norm
        hn = NORM.sub(" ", (head or "").lower()).strip() or t0
        anchors = [i for i in range(1, n) if feats[i].units >= 3 and not feats[i].prose and feats[i].norm
                   and feats[i].norm in t0 and len(feats[i].norm) * 2 >= len(hn)]
    # teaser lists: two or more neighbouring short lines cut off with ".."
    cut = [ln.units <= 15 and ln.chrome is None and bool(TRUNCATED.search(ln.text)) for ln in feats]
    for i in range(n):
        if cut[i] and ((i > 0 and cut[i - 1]) or (i + 1 < n and cut[i + 1])):
            feats[i].chrome = "related_link"
    # gallery captions: a run of lines starting "1 of 6", "2 of 6", ...
    counted = [bool(COUNTER.match(ln.text)) and ln.chrome is None for ln in feats]
    for i in range(n):
        if counted[i] and ((i > 0 and counted[i - 1]) or (i + 1 < n and counted[i + 1])):
            feats[i].chrome = "caption"
    # reader comments: the lines under a comment header (a dated line ending in ":", "Reply"), when the
    # page has two or more (a comment section, not one dated lead-in)
    heads = [i for i, ln in enumerate(feats) if comment_head(ln)]
    for i in heads if len(heads) >= 2 else ():
        feats[i].chrome = "comment_form"
    for i, ln in enumerate(feats):
        if len(heads) >= 2 and comment_head(ln):
            for j in range(i + 1, min(n, i + 1 + _COMMENT_SPAN)):
                if comment_head(feats[j]):
                    break
                if feats[j].chrome is None:
                    feats[j].chrome = "comment_form"
    start, end = _main_region(feats, anchors)
    inside = [start <= i < end for i in range(n)]

    for i, ln in enumerate(feats):
        if kinds[i] is not None:
            continue
        if ln.norm in title_norms and not ln.prose:
            kinds[i] = "title"
        elif ln.chrome is not None:
            kinds[i] = ln.chrome
        elif inside[i]:
            kinds[i] = _inside_kind(feats, i, inside)
        else:
            kinds[i] = None  # decided below

    # a list announced by a lead-in line ("… tour dates:", a list of product cards): keep its items
    _announced_lists(feats, kinds)

    # a short run of lines inside the region with article lines on both sides is part of the article
    _fill_gaps(feats, kinds, inside)

    # captions: a line followed by a credit line; alt text: short line before a caption
    for i in range(n - 1, -1, -1):
        if kinds[i] in KEPT or kinds[i] is None:
            nxt = kinds[i + 1] if i + 1 < n else None
            if nxt == "caption" and feats[i].norm[:40] == feats[i + 1].norm[:40]:
                # the same caption twice (expanded and collapsed copies)
                kinds[i] = "caption"
            elif nxt == "photo_credit" and feats[i].units <= 80 and (
                    not feats[i].prose or feats[i].repeat > 1 or _text_follows(kinds, i + 2)):
                kinds[i] = "caption"
            elif nxt == "caption" and feats[i].units <= 8 and not feats[i].sentence:
                kinds[i] = "alt_text"

    # related-link blocks: short lines right after a "Related"/"Most read" head
    for i in range(n):
        if kinds[i] == "related_link" and feats[i].units <= 6 and RELATED_HEAD.match(feats[i].text):
            j = i + 1
            while j < n and kinds[j] in (None, BODY, HEADING) and not feats[j].prose and feats[j].units <= 20:
                kinds[j] = "related_link"
                j += 1

    # byline block before the body: a name (", place") or a role next to a byline/date line
    first_body = next((i for i in range(n) if kinds[i] == BODY), n)
    for i in range(first_body):
        if kinds[i] is None or kinds[i] == HEADING:
            t = feats[i].text
            if (NAME_PLACE.match(t) or ROLE_LINE.match(t)) and feats[i].units <= 6 and any(
                kinds[j] == "byline" for j in range(max(0, i - 2), min(n, i + 3)) if j != i
            ):
                kinds[i] = "byline"

    # author box after the body: name-like lines and bios
    last_body = max((i for i in range(n) if kinds[i] == BODY), default=-1)
    if last_body >= 0:
        for i in range(last_body + 1, min(n, last_body + 12)):
            if kinds[i] is None or kinds[i] in KEPT:
                t = feats[i].text
                if NAME_LIKE.match(t) and feats[i].units <= 4:
                    kinds[i] = "author_box"
                elif i > 0 and kinds[i - 1] == "author_box" and t[:1] in BIO_QUOTE and feats[i].units <= 40:
                    kinds[i] = "author_box"

    for i in range(n - 1):
        if kinds[i] == "author_box" and AUTHOR_HEAD.match(feats[i].text) and feats[i + 1].units <= 120 \
                and (kinds[i + 1] is None or kinds[i + 1] in KEPT):
            kinds[i + 1] = "author_box"

    # duplicates: a long line already kept earlier
    seen: set[str] = set()
    for i, ln in enumerate(feats):
        k = kinds[i]
        if k in KEPT:
            if ln.norm in seen and ln.units >= _DUP_UNITS:
                kinds[i] = "duplicate"
            else:
                seen.add(ln.norm)
    for i, ln in enumerate(feats):
        if kinds[i] is None and ln.norm in seen and ln.units >= 4:
            kinds[i] = "duplicate"
    _contained_copies(feats, kinds)

    out: list[str] = []
    for i, ln in enumerate(feats):
        k = kinds[i]
        if k is None:
            k = ln.cue or ("navigation" if ln.units <= 12 and not ln.prose else "boilerplate")
        out.append(k)
    return out


def _list_run(feats: Sequence[Line], kinds: Sequence[str | None], i: int) -> int:
    """End of the plain list after lead-in ``i``: short unrepeated non-prose lines no pattern claimed."""
    j = i + 1
    while j < len(feats) and j - i <= _LIST_MAX and kinds[j] in (None, BODY, HEADING) and feats[j].repeat == 1 \
            and not feats[j].prose and feats[j].units <= _ITEM_UNITS:
        j += 1
    return j


def _card_run(feats: Sequence[Line], kinds: Sequence[str | None], i: int) -> int:
    """End of a list of cards after lead-in ``i`` (``i + 1`` when there is none).

    Cards repeat a template: fixed lines ("Buy now", "Available from X") seen in every card and nowhere
    else on the page. Items are lines no pattern claimed, up to ``_CARD_UNITS`` (a product description),
    each unrepeated or repeated only inside the run; the run ends with the last template line (the end
    of the last card). No template, no cards: a list of headlines repeats nothing."""
    limit = min(len(feats), i + 1 + _CARD_MAX)
    before = {feats[j].norm for j in range(i + 1)}
    j = i + 1
    while j < limit and kinds[j] in (None, BODY, HEADING) and feats[j].units <= _CARD_UNITS \
            and (feats[j].repeat == 1 or feats[j].norm not in before):
        j += 1
    while True:  # a line repeated after the run is page chrome: the run ends before it
        seen = Counter(feats[k].norm for k in range(i + 1, j))
        cut = next((k for k in range(i + 1, j) if seen[feats[k].norm] < feats[k].repeat), j)
        if cut == j:
            break
        j = cut
    template = {norm for norm, c in seen.items() if c >= _TEMPLATE_MIN}
    if len(template) < _TEMPLATE_LINES:
        return i + 1
    return max(k for k in range(i + 1, j) if feats[k].norm in template) + 1


def _announced_lists(feats: Sequence[Line], kinds: list[str | None]) -> None:
    """Items after a lead-in ending in ":" stay. The lead-in is an article line (its items: a plain list or
    cards), or, right after one, an undecided or read-also line ("Don't miss:") followed by cards."""
    n = len(feats)
    i = 0
    while i < n:
        lead = feats[i].text.rstrip(TRAIL).endswith((":", "："))
        j = i + 1
        if lead and (kinds[i] == BODY or (kinds[i] in (None, "related_link") and i > 0 and kinds[i - 1] == BODY)):
            j = _card_run(feats, kinds, i)
            if j > i + 1:
                kinds[i] = BODY
            elif kinds[i] == BODY:
                j = _list_run(feats, kinds, i)
        for k in range(i + 1, j):
            kinds[k] = BODY
        i = j


def _fill_gaps(feats: Sequence[Line], kinds: list[str | None], inside: Sequence[bool]) -> None:
    """Runs of at most ``_GAP_LINES`` undecided lines inside the region, each unrepeated and of 2+ units,
    with article lines on both sides, are article (a product name and its "Get it at ... for $X" line
    between two paragraphs, a two-line sub-head)."""
    n = len(feats)
    i = 1
    while i < n - 1:
        if kinds[i] is None and kinds[i - 1] in KEPT:
            j = i
            while j < n and j - i < _GAP_LINES + 1 and kinds[j] is None and inside[j] and feats[j].units >= 2 \
                    and feats[j].repeat == 1:
                j += 1
            if j - i <= _GAP_LINES and j < n and kinds[j] in KEPT and j > i:
                for k in range(i, j):
                    kinds[k] = BODY
            i = max(j, i + 1)
        else:
            i += 1


def _contained_copies(feats: Sequence[Line], kinds: list[str | None]) -> None:
    """A kept line whose word 4-grams are mostly in the kept lines before it is a copy (a one-line copy of
    the article, a paragraph repeated with a different tail)."""
    seen: set[tuple[str, ...]] = set()
    for i, ln in enumerate(feats):
        if kinds[i] not in KEPT:
            continue
        sh = shingles(ln.norm)
        if len(sh) >= _DUP_SHINGLES and len(sh & seen) >= _CONTAINED * len(sh):
            kinds[i] = "duplicate"
        else:
            seen |= sh


def _inside_kind(feats: Sequence[Line], i: int, inside: Sequence[bool]) -> str | None:
    """Kind of a line inside the article region that no pattern claimed (None: not article text)."""
    ln = feats[i]
    if ln.prose or (ln.sentence and ln.units >= 3) or (ln.list_item and ln.units >= 2) or TWEET_SIG.match(ln.text):
        return BODY
    if URL.match(ln.text) or ln.repeat > 1 or ln.units > 15 or ln.lower_words + ln.caps_words == 0:
        return None
    # a sub-head: between article lines and directly followed by prose
    if 0 < i < len(feats) - 1 and inside[i - 1] and inside[i + 1] and feats[i + 1].prose:
        return HEADING
    return None

