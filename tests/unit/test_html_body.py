"""The HTML body beyond trafilatura's first pick: the standfirst put back (``html_lead``), the recall
retry when the post-pass leaves nothing, and the multilingual furniture rules of ``html_rules``.

Fixtures are hand-written pages in tests/fixtures/html/; assertions are snippets that must or must
not be in the body, as in test_extract_html.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from newsgraph.extract import html as html_mod
from newsgraph.extract.html import extract_html
from newsgraph.extract.html_lead import find_lead
from newsgraph.extract.html_rules import PageFacts, label_lines, postpass

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
LEAD = ("Das Wasserwerk Nordhafen hat am Montag seine zweite Filterstufe in Betrieb genommen. "
        "Damit können künftig doppelt so viele Haushalte versorgt werden.")
FIRST = "Nach knapp zwei Jahren Bauzeit lief die neue Anlage am Vormittag zum ersten Mal unter Volllast."


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the standfirst
def test_standfirst_in_the_article_header_opens_the_body() -> None:
    body = extract_html(page("standfirst_lead.html")).body
    assert body.startswith(LEAD + "\n\n")
    assert FIRST in body
    assert body.count("Filterstufe in Betrieb genommen") == 1
    assert "Fähre nach Lühesand" not in body  # the teaser list stays out


def test_summary_repeated_after_the_article_is_not_a_standfirst() -> None:
    # the same paragraph, but below the article (a summary box at the end): not put on top
    html = page("standfirst_lead.html")
    intro = html[html.index('<div class="article-header__intro">'):html.index('<div class="meta">')]
    moved = html.replace(intro, "").replace("</article>", intro + "</article>")
    body = extract_html(moved).body
    assert not body.startswith("Das Wasserwerk Nordhafen")
    assert body.count("Filterstufe in Betrieb genommen") <= 1


def test_summary_that_is_a_link_is_not_a_standfirst() -> None:
    html = page("standfirst_lead.html").replace(
        '<p class="intro">', '<p class="intro"><a href="/region/wasserwerk">').replace(
        "versorgt werden.</p>", "versorgt werden.</a></p>", 1)
    assert not extract_html(html).body.startswith("Das Wasserwerk Nordhafen")


def _tree(markup: str):  # noqa: ANN202 - lxml element
    return lxml_html.fromstring(f"<html><body>{markup}</body></html>")


def test_find_lead_rules() -> None:
    desc = "Der Rat hat am Dienstag den Haushalt für das kommende Jahr mit knapper Mehrheit beschlossen."
    lead_p = f"<header><h1>Haushalt beschlossen</h1><p class='lead'>{desc} Die Opposition stimmte dagegen.</p></header>"
    body_p = "<div><p>Die Debatte im Ratssaal dauerte bis nach Mitternacht, mehrere Anträge wurden vertagt.</p></div>"
    body = ["Die Debatte im Ratssaal dauerte bis nach Mitternacht, mehrere Anträge wurden vertagt."]
    # found, whole paragraph (longer than the description), before the body
    assert find_lead(_tree(lead_p + body_p), [desc], body, body) == f"{desc} Die Opposition stimmte dagegen."
    # a description cut short with an ellipsis still finds it
    assert find_lead(_tree(lead_p + body_p), [desc[:60] + " …"], body, body)
    # the body holds it already: nothing to add
    assert find_lead(_tree(lead_p + body_p), [desc], [desc, *body], [desc, *body]) is None
    # a generic description (few words) is never searched for
    assert find_lead(_tree(lead_p + body_p), ["Nachrichten aus der Stadt"], body, body) is None
    # inside a footer or navigation: not the standfirst
    assert find_lead(_tree(body_p + f"<footer><p>{desc}</p></footer>"), [desc], body, body) is None
    # only in a script (JSON-LD, a share widget's data): not visible text
    assert find_lead(_tree(f"<script>var d = '{desc}';</script>" + body_p), [desc], body, body) is None


def test_find_lead_copes_with_entities_and_non_breaking_spaces() -> None:
    desc = "Die SPD-Abgeordnete Aydan&nbsp;Kaya ist zur stellvertretenden Präsidentin des Landtags gewählt worden."
    shown = "Die SPD-Abgeordnete Aydan\u00a0Kaya ist zur stellvertretenden Präsidentin des Landtags gewählt worden."
    tree = _tree(f"<div class='intro'>{shown}</div><p>Sie erhielt 98 von 120 Stimmen im ersten Wahlgang.</p>")
    body = ["Sie erhielt 98 von 120 Stimmen im ersten Wahlgang."]
    assert find_lead(tree, [desc], body, body) == shown.replace("\u00a0", " ")


# --------------------------------------------------------------------------- recall retry
def test_script_errors_leave_the_body_and_the_short_post_stays() -> None:
    cleaned = extract_html(page("script_errors_short_post.html"))
    assert "It has been a while since I last took the night ferry" in cleaned.body
    assert "So it looked at two in the morning. =)" in cleaned.body
    assert "undefined constant" not in cleaned.body
    assert [r.kind for r in cleaned.removed if "undefined constant" in r.text] == ["boilerplate"] * 3


def test_recall_mode_is_tried_when_the_post_pass_leaves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura's first pick is furniture only (as on some pages with a share bar above a
    fragmented article): its recall mode is asked, and its article kept."""
    import trafilatura
    from trafilatura.utils import load_html

    real = trafilatura.bare_extraction
    furniture = load_html("<html><body><div><p>Share this article</p><p>Subscribe to our newsletter</p>"
                          "</div></body></html>")
    calls: list[bool] = []

    def first_pick_is_furniture(tree, **options):  # noqa: ANN001, ANN202 - trafilatura's signature
        calls.append(bool(options.get("favor_recall")))
        return real(tree if options.get("favor_recall") else furniture, **options)

    monkeypatch.setattr(trafilatura, "bare_extraction", first_pick_is_furniture)
    body = extract_html(page("news_article.html")).body
    assert calls == [False, True]
    assert "Councillors voted 11 to 4 in favour of the scheme" in body


def test_no_retry_when_the_first_pick_is_an_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import trafilatura

    real = trafilatura.bare_extraction
    calls: list[bool] = []

    def spy(tree, **options):  # noqa: ANN001, ANN202
        calls.append(bool(options.get("favor_recall")))
        return real(tree, **options)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    extract_html(page("standfirst_lead.html"))
    assert calls == [False]
    assert html_mod.RETRY_BELOW_TOKENS <= html_mod.MIN_ARTICLE_TOKENS * 2


# --------------------------------------------------------------------------- furniture in other languages
PROSE = ("p", "Der Stadtrat hat am Dienstag den Haushalt für das kommende Jahr beschlossen, die Opposition "
              "stimmte dagegen.")


@pytest.mark.parametrize(("line", "kind"), [
    ("Auch interessant:", "related_link"),
    ("Das Thema könnte dich auch interessieren:", "related_link"),
    ("Zum Weiterlesen:", "related_link"),
    ("Más sobre La Voz del Puerto", "related_link"),
    ("Contenido Relacionado", "related_link"),
    ("MIRA: Vecinos protestan por el cierre del mercado", "related_link"),
    ("Dowiedz się więcej: Kto głosował przeciw?", "related_link"),
    ("Sur le même sujet", "related_link"),
    ("Teilen mit:", "boilerplate"),
    ("Wird geladen …", "boilerplate"),
    ("ANZEIGE - Heute mal ausgehen? Wie wäre es mit:", "boilerplate"),
    ("Pour lire la suite, abonnez-vous", "boilerplate"),
    ("Jetzt abonnieren und weiterlesen", "boilerplate"),
    ("Follow The Harbour Times on Twitter and Instagram", "boilerplate"),
    ("Ten tekst przeczytasz w mniej niż minutę", "boilerplate"),
    ("Sie möchten mehr? Schauen Sie mal in unseren Musiknewsletter!", "boilerplate"),
    ("Bei den Verlinkungen handelt es sich um Affiliate Links", "boilerplate"),
    ("Warning: Undefined variable $title in /var/www/html/index.php on line 12", "boilerplate"),
    ("Titelbild: Jana Roe / Agentur Nord", "photo_credit"),
])
def test_rules_label_furniture_in_other_languages(line: str, kind: str) -> None:
    labelled = label_lines([PROSE, ("p", line), PROSE], PageFacts())
    assert (kind, line) in labelled


@pytest.mark.parametrize("line", [
    "Anzeige gegen den Fahrer wurde erstattet, teilte die Polizei am Abend mit.",
    "Mira: yo creo que la reforma llega demasiado tarde para los pescadores.",
    "Lee: The council should have acted years ago, and everyone knows it.",
    "Más de 300 personas participaron en la marcha del sábado por el centro.",
    "Teilen wollte der Verein die Kosten mit der Gemeinde, doch die lehnte ab.",
    "The warning came on Tuesday, when the river rose above the line of the old quay wall.",
])
def test_rules_keep_prose_in_other_languages(line: str) -> None:
    kept, removed = postpass([PROSE[1], line, PROSE[1] + " Mehr dazu später."], PageFacts())
    assert line in kept, removed


# --------------------------------------------------------------------------- the top of the body
def test_breadcrumbs_above_the_headline_do_not_keep_it_in_the_body() -> None:
    facts = PageFacts(headlines=("Habeck in Munich: wind power only without the distance rule",))
    labelled = label_lines([("list", "- Home ›"), ("list", "- Press ›"), ("list", "- Releases"),
                            ("head", "Habeck in Munich: wind power only without the distance rule"),
                            ("p", "The association regrets that the talks brought no agreement on the rule.")], facts)
    assert labelled[0] == ("navigation", "- Home ›")
    assert ("title", "Habeck in Munich: wind power only without the distance rule") in labelled
    assert labelled[-1][0] is None


def test_headline_window_counts_kept_lines_only() -> None:
    facts = PageFacts(headlines=("Ferry timetable changes in May",))
    prose = [("p", f"Paragraph {i} of the story, long enough to be prose on its own line.") for i in range(4)]
    labelled = label_lines([*prose, ("p", "Ferry timetable changes in May")], facts)
    assert labelled[-1] == (None, "Ferry timetable changes in May")  # deep in the body: a sentence, kept
