"""The input gate: size, emptiness, binary sniffing, decoding, kind sniffing."""

from __future__ import annotations

import codecs
import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.errors import InputError
from newsgraph.sources import gate
from newsgraph.types import Failure, RawDocument
from tests.helpers import strings_in

MAX = 1_000_000


def dec(data: bytes, **kw):
    return gate.decode(data, source="t", max_bytes=kw.pop("max_bytes", MAX), **kw)


def code_of(data: bytes, **kw) -> str:
    with pytest.raises(InputError) as info:
        dec(data, **kw)
    return info.value.code


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n...",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"GIF89a\x01\x00",
        b"PK\x03\x04\x14\x00",
        b"\x1f\x8b\x08\x00\x00\x00",
        b"\x7fELF\x02\x01\x01",
        b"plain start\x00\x01\x02 then NULs",
    ],
)
def test_binary_inputs_are_refused(data):
    assert code_of(data) == "input.binary"


def test_utf16_with_bom_is_not_binary():
    assert gate.binary_reason(codecs.BOM_UTF16_LE + "news".encode("utf-16-le")) is None


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n", codecs.BOM_UTF8 + b"  \n"])
def test_empty(data):
    assert code_of(data) == "input.empty"


def test_too_large():
    assert code_of(b"x" * 101, max_bytes=100) == "input.too_large"


def test_utf8_and_boms():
    assert dec("Žalgiris – naujienos".encode()).text == "Žalgiris – naujienos"
    assert dec(codecs.BOM_UTF8 + "Grüße".encode()).text == "Grüße"
    assert dec(codecs.BOM_UTF16_LE + "Grüße aus Riga".encode("utf-16-le")).text == "Grüße aus Riga"
    assert dec(codecs.BOM_UTF16_BE + "Grüße aus Riga".encode("utf-16-be")).encoding == "utf-16-be"


def test_bad_bytes_after_bom_are_undecodable():
    assert code_of(codecs.BOM_UTF8 + b"ok \xff\xfe broken") == "input.undecodable"


def test_http_charset_wins_over_meta():
    html = '<html><head><meta charset="utf-8"></head><body><p>Šiauliai ir Łódź</p></body></html>'
    data = html.encode("iso-8859-13")
    d = dec(data, http_charset="iso-8859-13")
    assert "Šiauliai ir Łódź" in d.text and d.kind == "html"


def test_meta_charset_used_for_html():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>'
    data = (html + "<body><p>Привет, мир — новости дня</p></body></html>").encode("cp1251")
    assert "Привет, мир" in dec(data).text


def test_latin1_declaration_reads_as_windows_1252():
    data = '<meta charset="iso-8859-1"><p>\u201cQuoted\u201d caf\u00e9</p>'.encode("cp1252")
    assert "\u201cQuoted\u201d café" in dec(data).text


def test_wrong_declared_charset_falls_back_to_utf8():
    data = '<meta charset="ascii"><p>Ünïcödé</p>'.encode()
    assert "Ünïcödé" in dec(data, http_charset="us-ascii").text


def test_undeclared_legacy_text_is_guessed():
    text = ("Der Bürgermeister äußerte sich über die Größe des Projekts. " * 20).encode("cp1252")
    out = dec(text)
    assert "Bürgermeister äußerte" in out.text and out.kind == "text"


def test_garbage_is_undecodable():
    junk = bytes(range(0x80, 0x100)) * 4 + bytes([1, 2, 3, 4, 5, 6, 7, 8, 11, 14, 15, 16]) * 20
    assert code_of(junk) == "input.undecodable"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("\n\n  <!-- saved page --><html lang=en>", "html"),
        ("<head><title>x</title></head>", "html"),
        ("<BODY>x", "html"),
        ("Intro line\n<div>one</div><p>two</p><p>three</p>", "html"),
        ('<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>', "feed"),
        ('<?xml version="1.0"?><!-- c --><feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("<rdf:RDF xmlns:rdf='x'>", "feed"),
        ("Just a plain news story.\nSecond line with a < sign.", "text"),
        ("a <b>bold</b> claim", "text"),
    ],
)
def test_sniff(text, kind):
    assert gate.sniff(text) == kind


def test_read_file_checks_size_before_reading(tmp_path):
    p = tmp_path / "big.html"
    p.write_bytes(b"<p>x</p>" * 100)
    with pytest.raises(InputError) as info:
        gate.read_file(p, 50, source=str(p))
    assert info.value.code == "input.too_large"


def test_read_file_gzip_and_corrupt_gzip(tmp_path):
    good = tmp_path / "a.html.gz"
    good.write_bytes(gzip.compress(b"<p>hello</p>"))
    assert gate.read_file(good, 100, source="a", gz=True) == b"<p>hello</p>"
    bomb = tmp_path / "b.html.gz"
    bomb.write_bytes(gzip.compress(b" " * 10_000))
    with pytest.raises(InputError) as info:
        gate.read_file(bomb, 100, source="b", gz=True)
    assert info.value.code == "input.too_large"
    bad = tmp_path / "c.html.gz"
    bad.write_bytes(gzip.compress(b"<p>hello world</p>" * 50)[:-30])
    with pytest.raises(InputError) as info:
        gate.read_file(bad, 10_000, source="c", gz=True)
    assert info.value.code == "input.undecodable"


def test_lone_surrogates_and_late_nuls_are_cleaned():
    assert gate.check_text("a\ud800b", source="s", max_bytes=10) == "a\ufffdb"
    text = dec(b"x" * 9000 + b"\x00tail").text
    assert "\x00" not in text and text.endswith("tail")


def test_check_text():
    assert gate.check_text("ok", source="s", max_bytes=10) == "ok"
    for value, code in [("", "input.empty"), ("x" * 11, "input.too_large"), (3, "input.invalid"),
                        ("a\x00b", "input.binary")]:
        with pytest.raises(InputError) as info:
            gate.check_text(value, source="s", max_bytes=10)
        assert info.value.code == code


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=500).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.tuples(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE,
                                   b'<meta charset="utf-7">', b'<?xml version="1.0" encoding="rot13"?>',
                                   b'<meta charset="idna">', b"%PDF", b"<rss>"]),
                  st.binary(max_size=500)).map(lambda t: t[0] + t[1]),
    ),
    http_charset=st.one_of(st.none(), st.sampled_from(["utf-8", "latin-1", "utf-16", "bogus", "base64", "punycode"])),
)
def test_gate_only_raises_input_errors(data, http_charset):
    try:
        out = gate.decode(data, source="h", max_bytes=2000, http_charset=http_charset)
    except InputError:
        return
    assert isinstance(out.text, str) and out.text.strip()
    out.text.encode("utf-8")  # no lone surrogates reach the rest of the pipeline
    assert out.kind in ("html", "text", "feed")


# ----------------------------------------------------------------------------- undeclared 8-bit pages

_FR = ("« Nous ne céderons pas », a déclaré jeudi le ministre français des Affaires étrangères, à l'issue "
       "d'une réunion à Bruxelles. Selon lui, la sécurité énergétique reste « une priorité absolue ».")
_RU = ("«Мы не будем отступать», — заявил в четверг министр иностранных дел, выступая перед журналистами "
       "в Москве. По его словам, переговоры с европейскими партнёрами продолжатся на следующей неделе.")
_PL = ("Nie ustąpimy – powiedział w czwartek minister spraw zagranicznych po spotkaniu w Brukseli. Według "
       "niego bezpieczeństwo energetyczne Europy pozostaje priorytetem, a rząd przygotował już nową ustawę.")
_CS = ("Neustoupíme, řekl ve čtvrtek ministr zahraničních věcí po jednání v Bruselu. Podle něj zůstává "
       "energetická bezpečnost Evropy nejvyšší prioritou a vláda už připravila nový zákon, který projedná sněmovna.")
_TR = ("«Geri adım atmayacağız» diye konuştu Dışişleri Bakanı perşembe günü Brüksel'deki toplantının ardından. "
       "Bakana göre enerji güvenliği hükümetin en önemli önceliği olmaya devam ediyor ve müzakereler sürecek.")

UNDECLARED = [
    ("fr-latin1", "latin-1", _FR),
    ("fr-latin1-short", "latin-1", "« Bonjour », dit-il."),
    ("fr-latin1-quote", "latin-1", "Le président a répondu : « Ce n'est pas le moment. » Les députés ont quitté la salle."),
    ("fr-latin1-quotes", "latin-1", "« Oui », « non », « peut-être »."),
    ("fr-latin1-grave", "latin-1", "Le texte, « très attendu », sera voté à l'automne."),
    ("de-latin1", "latin-1", "Der Minister sagte: «Wir warten ab.» Die Grünen kritisierten die Pläne scharf und "
                             "forderten eine öffentliche Anhörung über die Größe des Projekts."),
    ("de-latin1-short", "latin-1", "Der Minister sagte, die Gespräche würden am Mittwoch fortgesetzt."),
    ("es-latin1", "latin-1", "«Sí», dijo el presidente. «Mañana veremos». ¿Quién pagará la factura? ¡Es una "
                             "situación difícil!, añadió un diputado de la oposición."),
    ("es-latin1-short", "latin-1", "«Sí», dijo el presidente. «Mañana veremos»."),
    ("pt-latin1", "latin-1", "«Não vamos aceitar esta proposta», afirmou o ministro português da Economia, "
                             "acrescentando que a situação das famílias é crítica. O Governo já anunciou medidas "
                             "de apoio à habitação, mas os sindicatos exigem aumentos salariais."),
    ("pt-latin1-short", "latin-1", "Ele disse: «Não sei.»"),
    ("ru-cp1251", "cp1251", _RU),
    ("ru-koi8r", "koi8-r", _RU.replace("«", '"').replace("»", '"').replace("—", "-")),
    ("ru-cp1251-short", "cp1251", "Путин заявил, что переговоры продолжатся."),
    ("pl-cp1250", "cp1250", _PL),
    ("pl-iso8859-2", "iso8859-2", _PL.replace("–", "-")),
    ("pl-cp1250-short", "cp1250", "Minister powiedział, że rozmowy będą kontynuowane w środę."),
    ("cs-cp1250", "cp1250", _CS),
    ("cs-iso8859-2", "iso8859-2", _CS),
    ("cs-iso8859-2-short", "iso8859-2", "Ministr řekl, že jednání budou pokračovat ve středu."),
    ("el-cp1253", "cp1253", "«Δεν θα υποχωρήσουμε», δήλωσε την Πέμπτη ο υπουργός Εξωτερικών μετά τη συνάντηση "
                            "στις Βρυξέλλες. Η ενεργειακή ασφάλεια της Ευρώπης παραμένει κορυφαία προτεραιότητα."),
    ("tr-cp1254", "cp1254", _TR),
    ("tr-iso8859-9", "iso8859-9", _TR),
    ("tr-cp1254-short", "cp1254", "Bakan, görüşmelerin çarşamba günü devam edeceğini söyledi."),
]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("encoding", "text"), [(e, t) for _, e, t in UNDECLARED], ids=[i for i, _, _ in UNDECLARED])
def test_undeclared_8bit_text_decodes_to_the_original(encoding, text):
    """No charset declared, not UTF-8: Latin-1 must not come out as ISO-8859-14, Shift-JIS or cp1250
    (« » -> ḋ Ṡ, ã -> ă), while Cyrillic, Greek, Central European and Turkish pages keep theirs."""
    assert dec(text.encode(encoding)).text == text


def test_undeclared_latin1_prefers_windows_1252():
    data = "« Nous ne céderons pas », a déclaré le ministre, « jamais ».".encode("latin-1")
    assert dec(data).encoding == "cp1252"


def test_undeclared_multibyte_text_over_the_guess_sample_still_decodes():
    """charset-normalizer sees the first MiB only; a character cut in two there must not make it give up."""
    line = "外務大臣は木曜日、欧州のパートナーとの交渉は来週も続くと述べた。\n"
    data = (line * (1_200_000 // len(line.encode("shift_jis")))).encode("shift_jis")
    assert len(data) > 1 << 20 and data[: 1 << 20].count(b"\n") * len(line.encode("shift_jis")) != 1 << 20
    assert dec(data, max_bytes=2_000_000).text.startswith(line)


# ----------------------------------------------------------------------------- clean strings


def test_clean_text_and_clean_name():
    assert gate.clean_text("a\ud800b\x00c") == "a\ufffdbc"
    assert gate.clean_name("dir/caf\udce9.txt") == "dir/caf\\xe9.txt"  # os.fsdecode(b"dir/caf\xe9.txt")
    assert gate.clean_name("x\ud800y") == "x\ufffdy"  # no byte behind it
    assert gate.clean_name("plain/name.txt") == "plain/name.txt"


@settings(max_examples=200, deadline=None)
@given(source=st.text(st.characters(exclude_categories=())), data=st.text(st.characters(exclude_categories=())),
       url=st.one_of(st.none(), st.text(st.characters(exclude_categories=()))),
       meta=st.dictionaries(st.text(st.characters(exclude_categories=())),
                            st.recursive(st.one_of(st.none(), st.integers(), st.text(st.characters(exclude_categories=()))),
                                         lambda inner: st.lists(inner, max_size=3)
                                         | st.dictionaries(st.text(st.characters(exclude_categories=())), inner,
                                                           max_size=3), max_leaves=8), max_size=4),
       code=st.sampled_from(["input.empty", "feed.malformed"]))
def test_clean_item_leaves_only_utf8_strings(source, data, url, meta, code):
    doc = gate.clean_item(RawDocument(source=source, kind="text", data=data, url=url, meta=meta))
    for s in strings_in(doc.source, doc.data, doc.url, doc.meta):
        s.encode("utf-8")
    fail = gate.clean_item(Failure(source, code, data))
    fail.source.encode("utf-8")
    fail.message.encode("utf-8")
    assert gate.clean_item(doc) == doc  # idempotent
    assert gate.clean_name(source) == gate.clean_name(source)  # deterministic: a re-run asks about the same string




# ----------------------------------------------------------------------------- regular files only


@pytest.mark.timeout(60)
def test_fifo_and_device_are_refused_before_opening(tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    codes: list[str] = []

    def read_all():
        for path in (fifo, "/dev/zero"):
            try:
                gate.read_file(path, 1000, source=str(path))
            except InputError as exc:
                codes.append(exc.code)

    worker = threading.Thread(target=read_all, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # release the blocked reader before failing
        os.close(os.open(fifo, os.O_RDWR | os.O_NONBLOCK))
        pytest.fail("reading a FIFO blocked the run")
    assert codes == ["input.not_a_file", "input.not_a_file"]
