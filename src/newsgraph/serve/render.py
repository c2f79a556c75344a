"""HTML fragments built in Python: highlighted article text, search snippets, SVG charts.

Article text is hostile input. Every piece of text and every attribute value
goes through ``markupsafe.escape``; markup is only ever added around escaped
pieces, never parsed from the input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from markupsafe import Markup, escape

from newsgraph.types import Article

#: Speaker colours are CSS classes ``sp-0`` .. ``sp-{N-1}`` (inline styles are forbidden by the CSP):
#: the Okabe–Ito palette, told apart with the common colour-vision deficiencies. Only the speakers
#: with the most statements get one; the rest share ``OTHER_SPEAKERS`` (a neutral style that shows
#: the name on hover or focus), so that an article with 30 speakers is not a rainbow of near-repeats.
N_COLOURS = 8
OTHER_SPEAKERS = "sp-other"

#: The element of a sub-head in the article text (the page's own sections are ``h2`` too, under the ``h1`` title).
SUBHEAD = "h2"

_MARK = re.compile(r"\[([^\[\]]+)\]")


def mark_snippet(snippet: str) -> Markup:
    """The store's ``[term]`` markers as ``<mark>``: escape first, then replace the markers."""
    escaped = str(escape(" ".join(snippet.split())))
    return Markup(_MARK.sub(r"<mark>\1</mark>", escaped))


def entity_href(name: str) -> str:
    return "/entity/" + quote(name, safe="")


def article_href(article_id: str, idx: int | None = None) -> str:
    return "/article/" + quote(article_id, safe="") + (f"#a-{idx}" if idx is not None else "")


def _attrs(attrs: dict[str, str | None]) -> str:
    return "".join(f' {k}="{escape(v)}"' for k, v in attrs.items() if v is not None)


@dataclass
class _Span:
    start: int
    end: int
    tag: str
    attrs: dict[str, str | None]
    order: int  # tie-breaker: lower opens first (outer)
    first_attrs: dict[str, str | None] | None = None  # only on the first opening (ids)
    opened: bool = False

    def open(self) -> str:
        extra = self.first_attrs if (self.first_attrs and not self.opened) else {}
        cont = {} if not self.opened else {"class": (self.attrs.get("class") or "") + " cont"}
        self.opened = True
        return f"<{self.tag}{_attrs({**self.attrs, **extra, **cont})}>"

    def close(self) -> str:
        return f"</{self.tag}>"


UNATTRIBUTED = "(unattributed)"


def speaker_of(a: object) -> str:
    source = getattr(a, "source", None)
    if source is None:
        return UNATTRIBUTED
    return source.entity or source.text


def speaker_counts(article: Article, shown: set[int] | None = None) -> dict[str, int]:
    """Speaker -> number of its attributions (those in ``shown``; None: all), most first, ties in
    order of first appearance; ``(unattributed)`` last."""
    counts: dict[str, int] = {}
    for idx, a in enumerate(article.attributions):
        if shown is None or idx in shown:
            who = speaker_of(a)
            counts[who] = counts.get(who, 0) + 1
    order = {who: i for i, who in enumerate(counts)}
    return dict(sorted(counts.items(), key=lambda x: (x[0] == UNATTRIBUTED, -x[1], order[x[0]])))


def speaker_classes(article: Article, shown: set[int] | None = None) -> dict[str, str]:
    """Speaker -> colour class: ``sp-0`` .. ``sp-7`` for the ``N_COLOURS`` speakers with the most
    attributions (``speaker_counts``), ``OTHER_SPEAKERS`` for every other one and for the unattributed."""
    ranked = [who for who in speaker_counts(article, shown) if who != UNATTRIBUTED]
    out = {who: f"sp-{i}" if i < N_COLOURS else OTHER_SPEAKERS for i, who in enumerate(ranked)}
    for a in article.attributions:
        out.setdefault(speaker_of(a), OTHER_SPEAKERS)
    return out


def shown_by_default(a: object, threshold: float) -> bool:
    """Whether views list attribution ``a`` by default: a statement, not negated, with a confidence
    of at least ``threshold`` (``Settings.quote_threshold``; ``store.DEFAULT_QUOTE_KINDS``)."""
    return bool(getattr(a, "statement", True)) and not getattr(a, "negated", False) \
        and float(getattr(a, "confidence", 1.0)) >= threshold


def attribution_flags(a: object, threshold: float | None) -> list[str]:
    """CSS classes that set an attribution apart: ``low-confidence`` (below ``threshold``),
    ``not-statement`` (a belief, intention, finding ...), ``negated`` (something not said)."""
    flags = []
    if threshold is not None and float(getattr(a, "confidence", 1.0)) < threshold:
        flags.append("low-confidence")
    if not getattr(a, "statement", True):
        flags.append("not-statement")
    if getattr(a, "negated", False):
        flags.append("negated")
    return flags


#: How the home page names the reasons articles were not analysed (``AnalysisStatus.code``).
NOT_ANALYSED_LABELS = {"analyze.empty": "empty text", "analyze.failed": "analysis failed",
                       "analyze.skipped": "stored with --no-analyze", "analyze.not_run": "not analysed"}


def not_analysed(reasons: Sequence[dict[str, object]]) -> list[str]:
    """``["ru 3", "de 2", "stored with --no-analyze 4"]``: the summary's not analysed counts, by the
    language without a pipeline, else by reason."""
    out: dict[str, int] = {}
    for r in reasons:
        code, n = str(r["code"]), int(r["n"])  # type: ignore[call-overload]
        label = str(r.get("language") or "unknown language") if code == "analyze.no_pipeline" \
            else NOT_ANALYSED_LABELS.get(code, code)
        out[label] = out.get(label, 0) + n
    return [f"{label} {n}" for label, n in sorted(out.items(), key=lambda x: (-x[1], x[0]))]


def highlight_article(article: Article, *, shown: set[int] | None = None,
                      threshold: float | None = None) -> Markup:
    """The article text with attributions, sources, cues, entity links and event triggers marked.

    ``shown``: the indexes of the attributions to mark (None: all); an attribution below
    ``threshold``, not a statement or negated also gets the class of each (``attribution_flags``).

    Offsets are clipped to the text; overlapping spans are split at every
    boundary and re-opened (``class="... cont"``), so the markup always nests.
    Entity links never nest in other links (an overlapping mention is dropped).
    The sub-heads (``Article.headings``) are ``<h2 class="subhead">``, always outermost: a
    statement running into one is closed before it and re-opened inside.
    """
    text = article.text
    n = len(text)
    colours = speaker_classes(article, shown)
    spans: list[_Span] = []

    def add(start: int, end: int, tag: str, attrs: dict[str, str | None], order: int,
            first: dict[str, str | None] | None = None) -> None:
        s, e = max(0, min(int(start), n)), max(0, min(int(end), n))
        if s < e:
            spans.append(_Span(s, e, tag, attrs, order, first))

    for s, e in article.headings:
        add(s, e, SUBHEAD, {"class": "subhead"}, 0)
    for idx, a in enumerate(article.attributions):
        if shown is not None and idx not in shown:
            continue
        who = speaker_of(a)
        flags = attribution_flags(a, threshold)
        title = "; ".join(x for x in (
            f"speaker: {who}",
            f"source: {a.source.text}" if a.source else "source: (none)",
            f"cue: {a.cue.text}" if a.cue else None,
            f"via: {a.via.entity or a.via.text}" if a.via else None,
            f"{a.kind}, confidence {a.confidence:.2f}"
            + (f" (low: below {threshold:g})" if "low-confidence" in flags else ""),
            "not a statement" if "not-statement" in flags else None,
            "negated: something not said" if "negated" in flags else None,
        ) if x)
        pieces = list(a.content_spans) if len(a.content_spans) > 1 else [(a.content.start, a.content.end)]
        css = " ".join(["attribution", colours[who], *flags])
        # a speaker without a colour of its own: its name shows on hover and on keyboard focus
        focus = {"tabindex": "0"} if colours[who] == OTHER_SPEAKERS else {}
        for k, (s, e) in enumerate(pieces):
            add(s, e, "span", {"class": css, "data-speaker": who, "data-idx": str(idx),
                               "title": title}, 1, {"id": f"a-{idx}", **focus} if k == 0 else None)
        if a.source:
            add(a.source.start, a.source.end, "span", {"class": f"source {colours[who]}", "title": f"speaker: {who}"}, 2)
        if a.cue:
            add(a.cue.start, a.cue.end, "span", {"class": "cue", "title": "cue"}, 3)
        if a.via:
            add(a.via.start, a.via.end, "span", {"class": "via", "title": f"via: {a.via.entity or a.via.text}"}, 3)
    for ev in article.events:
        title = f"{ev.type}{' (negated)' if ev.negated else ''}, {ev.modality}"
        add(ev.trigger.start, ev.trigger.end, "span", {"class": f"trigger ev-{ev.type.lower()}", "title": title}, 4)
    links: list[tuple[int, int, str, str]] = sorted(
        (m.start, m.end, e.name, e.type) for e in article.entities for m in e.mentions)
    last_end = -1
    for s, e, name, etype in links:
        if s < last_end:
            continue  # overlapping mention: links must not nest
        last_end = e
        add(s, e, "a", {"class": f"entity-link ent-{etype.lower()}", "href": entity_href(name),
                        "title": f"{name} ({etype})"}, 5)
    return Markup(_render(text, spans))


def _render(text: str, spans: list[_Span]) -> str:
    bounds = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[_Span]] = {}
    for sp in spans:
        starts.setdefault(sp.start, []).append(sp)
    out: list[str] = []
    stack: list[_Span] = []
    for i, pos in enumerate(bounds):
        # close everything ending here; re-open the still-active spans closed on the way
        if any(sp.end <= pos for sp in stack):
            reopen: list[_Span] = []
            while any(sp.end <= pos for sp in stack):
                sp = stack.pop()
                out.append(sp.close())
                if sp.end > pos:
                    reopen.append(sp)
            for sp in reversed(reopen):
                out.append(sp.open())
                stack.append(sp)
        new = sorted(starts.get(pos, []), key=lambda sp: (sp.tag != SUBHEAD, -sp.end, sp.order))
        if stack and new and new[0].tag == SUBHEAD:  # a heading is outermost: close what is open, re-open inside
            inline = stack[:]
            out.extend(sp.close() for sp in reversed(inline))
            stack.clear()
            out.append(new[0].open())
            stack.append(new[0])
            for sp in inline:
                out.append(sp.open())
                stack.append(sp)
            new = new[1:]
        for sp in new:
            if sp.tag == "a" and any(o.tag == "a" for o in stack):
                continue
            out.append(sp.open())
            stack.append(sp)
        if i + 1 < len(bounds):
            out.append(str(escape(text[pos:bounds[i + 1]])))
    while stack:
        out.append(stack.pop().close())
    return "".join(out)


# --------------------------------------------------------------------------- SVG charts

#: A chart's width in SVG units: the width of the page's content column (``main``: 72rem less
#: padding), which the stylesheet scales it to, so that a chart of three weeks is not 300 px wide.
CHART_WIDTH = 1100
#: The narrowest a week may get (past CHART_WIDTH / MIN_SLOT weeks, the chart grows and scrolls).
MIN_SLOT = 18
#: The widest a bar may get (a chart of one week is not one slab).
MAX_BAR = 56


def bar_chart(labels: Sequence[str], series: Sequence[tuple[str, str, Sequence[float]]], *,
              title: str, y_label: str = "", height: int = 220, signed: bool = False,
              chart_id: str = "chart") -> Markup:
    """A grouped bar chart as inline SVG (no script; ``<title>`` children give hover text).

    ``series`` is ``(name, css class, values)``; with ``signed``, bars grow up
    or down from a zero line (conflict below, cooperation above).
    """
    n = len(labels)
    if n == 0:
        return Markup('<p class="empty-note">no dated data to chart</p>')
    k = max(1, len(series))
    left, right, top, bottom = 44, 10, 34, 56
    legend_w = sum(20 + 7 * len(name) for name, _, _ in series)
    # The plot fills CHART_WIDTH (the page's width: the CSS scales the SVG to its container);
    # many weeks widen it past that (the figure then scrolls), each week at least MIN_SLOT wide.
    width = max(CHART_WIDTH, left + right + MIN_SLOT * n, left + legend_w)
    slot = (width - left - right) // n
    bar_w = max(3, min(MAX_BAR, (slot - 6) // k))
    pad = (slot - bar_w * k) // 2  # the bars of a week centred in its slot
    plot_h = height - top - bottom
    vals = [abs(v) for _, _, vs in series for v in vs] or [0]
    vmax = max(vals) or 1.0
    if signed:
        zero_y = top + plot_h / 2
        scale = (plot_h / 2) / vmax
    else:
        zero_y = top + plot_h
        scale = plot_h / vmax
    label_every = max(1, -(-n // 24))
    wide = " wide" if width > CHART_WIDTH else ""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart{wide}" id="{escape(chart_id)}" role="img"'
             f' viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
             f' aria-label="{escape(title)}"><title>{escape(title)}</title>']
    # axis and ticks
    parts.append(f'<line class="axis" x1="{left}" y1="{zero_y:.1f}" x2="{width - right}" y2="{zero_y:.1f}"/>')
    top_label = f"+{vmax:g}" if signed else f"{vmax:g}"
    parts.append(f'<text class="tick" x="{left - 4}" y="{top + 4}" text-anchor="end">{escape(top_label)}</text>')
    parts.append(f'<text class="tick" x="{left - 4}" y="{zero_y + 4:.1f}" text-anchor="end">0</text>')
    if signed:
        parts.append(f'<text class="tick" x="{left - 4}" y="{top + plot_h:.1f}" text-anchor="end">'
                     f'{escape(f"-{vmax:g}")}</text>')
    if y_label:
        parts.append(f'<text class="ylabel" x="4" y="{top - 10}">{escape(y_label)}</text>')
    for i, label in enumerate(labels):
        x0 = left + i * slot + pad
        for j, (name, css, values) in enumerate(series):
            v = float(values[i]) if i < len(values) else 0.0
            h = abs(v) * scale
            y = zero_y - h if v >= 0 else zero_y
            parts.append(f'<rect class="bar {escape(css)}" x="{x0 + j * bar_w}" y="{y:.1f}" width="{bar_w - 1}"'
                         f' height="{max(h, 0.5):.1f}"><title>{escape(f"{label} · {name}: {v:g}")}</title></rect>')
        cx = left + i * slot + slot / 2
        if i % label_every and i != n - 1:
            continue
        parts.append(f'<text class="xlabel" x="{cx:.1f}" y="{height - bottom + 14}" text-anchor="end"'
                     f' transform="rotate(-45 {cx:.1f} {height - bottom + 14})">{escape(label)}</text>')
    # legend
    lx = left
    for name, css, _ in series:
        parts.append(f'<rect class="bar {escape(css)}" x="{lx}" y="4" width="10" height="10"/>'
                     f'<text class="legend" x="{lx + 14}" y="13">{escape(name)}</text>')
        lx += 20 + 7 * len(name)
    parts.append("</svg>")
    return Markup("".join(parts))
