"""notice_lines: a load's N-Triples lines made straight from the facts, the same as
``store.ntriples(split_entities(notice_triples(notice)))``, and written as pyoxigraph writes them."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from policykg.graph import iri, ntriples, triples
from policykg.graph.store import ntriples as store_ntriples
from policykg.loaders import regions
from policykg.loaders.extract import extract_notice
from policykg.loaders.models import (
    Agency,
    AgencyRole,
    Article,
    Citation,
    DocNumber,
    Notice,
    Provision,
    Region,
    Task,
)
from policykg.loaders.read import read_bytes

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPUS = ROOT.parent / "shared" / "corpus" / "notices.jsonl"
FIXTURES = sorted((ROOT / "samples" / "seeds").glob("*.txt")) + sorted((DATA / "tasks").glob("*.txt")) + [
    DATA / "read" / "notice_gbk.html"
]
SKOS_ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"

# Text that N-Triples must escape, or that could be mistaken for N-Triples syntax.
HOSTILE = [
    'quote " and \\ backslash',
    "line\nbreak\rcarriage\ttab\x08bell\x0cfeed",
    "nul\x00 unit\x1f del\x7f nonchars\ufffe\uffff",
    'ends with a backslash \\',
    '"@en',
    '"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    "> <http://example.org/x> .\n<a> <b> <c> .",
    f" {SKOS_ALT} 厦门市",
    "〔2015〕【】（一）　全角空格\u3000 nbsp\xa0 line sep\u2028 para sep\u2029",
    "emoji 🏛️ astral 𠀋 combining e\u0301 bidi \u202e",
    "",
]


def reference(notice: Notice) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a load wrote before notice_lines: rdflib triples, serialized by pyoxigraph."""
    own, shared = triples.split_entities(triples.notice_triples(notice))
    return tuple(dict.fromkeys(store_ntriples(own))), tuple(dict.fromkeys(store_ntriples(shared)))


def check(notice: Notice) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """notice_lines equals the reference, and pyoxigraph reads every line back to itself."""
    own, shared = triples.notice_lines(notice)
    assert (own, shared) == reference(notice)
    assert len(set(own)) == len(own) and len(set(shared)) == len(shared)
    for line in own + shared:
        parsed = list(ox.parse(input=(line + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
        assert len(parsed) == 1, line
        assert f"{parsed[0]} ." == line
    for line in shared:
        assert line.startswith(tuple(f"<{p}" for p in iri.ENTITY_PREFIXES))
        assert line.split(" ", 2)[1] != SKOS_ALT
    return own, shared


def extracted(path: Path) -> Notice:
    data = path.read_bytes()
    text = read_bytes(data, path.name)
    return extract_notice(text.text, source=path.name, sha256=hashlib.sha256(data).hexdigest(),
                          encoding=text.encoding)


# ---------------------------------------------------------------- real notices


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_notices(path: Path) -> None:
    own, shared = check(extracted(path))
    assert len(own) > 20 and shared
    assert own[0].endswith(" <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                           "<http://data.europa.eu/eli/ontology#LegalResource> .")


def test_seed_lines_state_the_contract_facts() -> None:
    own, shared = check(extracted(ROOT / "samples" / "seeds" / "000_08e496a476ab88e2.txt"))
    doc = "<https://w3id.org/policykg/id/doc/厦府办〔2015〕134号>"
    assert f'{doc} <http://data.europa.eu/eli/ontology#id_local> "厦府办〔2015〕134号" .' in own
    assert (f'{doc} <http://data.europa.eu/eli/ontology#date_document> '
            f'"2015-07-15"^^<http://www.w3.org/2001/XMLSchema#date> .') in own
    assert f'{doc} <http://purl.org/dc/terms/source> "000_08e496a476ab88e2.txt" .' in own
    label = ' <http://www.w3.org/2004/02/skos/core#prefLabel> "厦门市"@zh .'
    assert any(line.startswith("<https://w3id.org/policykg/id/region/") and line.endswith(label)
               for line in shared)
    assert (f"{doc[:-1]}/task/1> <https://w3id.org/policykg/ontology#responsibleAgency> "
            "<https://w3id.org/policykg/id/group/厦门市质量强市工作领导小组成员单位> .") in own
    assert any(line.split(" ", 2)[1] == SKOS_ALT for line in own)  # surface forms stay with the document


def test_sample_jsonl_notices() -> None:
    rows = [json.loads(line) for line in (DATA / "notices_sample.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert rows
    for row in rows:
        data = row["text"].encode("utf-8")
        notice = extract_notice(row["text"], source=f"{row['id']}.txt", sha256=hashlib.sha256(data).hexdigest(),
                                encoding="utf-8")
        check(notice)


@pytest.mark.corpus
def test_corpus_notices() -> None:
    if not CORPUS.exists():
        pytest.skip("development corpus ../shared/corpus not present")
    with CORPUS.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    for row in rows:
        data = row["text"].encode("utf-8")
        check(extract_notice(row["text"], source=f"{row['id']}.txt", sha256=hashlib.sha256(data).hexdigest()))


# ---------------------------------------------------------------- hostile text


def hostile_notice(text: str) -> Notice:
    """Every literal and every name of a notice made of ``text``."""
    xiamen = regions.lookup("厦门市")
    assert xiamen is not None
    made_up = Region(name=f"{text}市", level="county", parent="厦门市", code=None, province="福建省")
    agency = Agency(name=f"厦门市{text}局", kind="agency", region=xiamen, function="quality_supervision",
                    government="厦门市人民政府", surface=f"市{text}局")
    group = Agency(name=f"{text}成员单位", kind="group", region=made_up, surface=text)
    number = DocNumber(canonical=f"厦府办〔2015〕{len(text)}号", code="厦府办", year=2015, serial=str(len(text)),
                       surface=f"厦府办 [2015]{text}号")
    return Notice(
        source=f"dir with space/{text or 'empty'}.txt",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        number=number,
        title=f"关于印发{text}的通知",
        doctype="通知",
        issuers=(agency,),
        date=date(2015, 7, 15),
        published=date(2015, 7, 20),
        level="county",
        region=made_up,
        promulgates=text or None,
        citations=(Citation(title=text or None, number=number, kind="basis"),
                   Citation(title=f"《{text}》", number=None, kind="draft")),
        tasks=(
            Task(label=f"({text})", ordinal=1, heading=text, text=f"{text}\n{text}", section=text,
                 roles=(AgencyRole(agency, "lead"), AgencyRole(group, "participating")), path=f"一、({text})"),
            Task(label="2.", ordinal=2, heading="第二项", text=text, section=None,
                 roles=(AgencyRole(agency, "responsible"),), mentions=(group,), path=f"一、({text})2.",
                 parent=f"一、({text})"),
        ),
        encoding=text or None,
        articles=(Article(label="第一条", ordinal=1, text=text, roles=(AgencyRole(agency, "responsible"),)),),
        provisions=(Provision(kind="clause", label=f"（{text}）", path=f"第一条（{text}）", ordinal=1, heading=text,
                              text=text, parent="第一条"),),
    )


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text(text: str) -> None:
    own, shared = check(hostile_notice(text))
    rdflib_triples = list(triples.notice_triples(hostile_notice(text)))
    if text:
        assert (URIRef(str(triples.doc_iri(hostile_notice(text)))), URIRef("http://purl.org/dc/terms/alternative"),
                Literal(text, lang="zh")) in rdflib_triples
    alt = [t for t in rdflib_triples if t[1] == SKOS.altLabel]
    assert Literal(f"市{text}局", lang="zh") in {t[2] for t in alt}
    assert all(line.count("\n") == 0 and line.count("\r") == 0 for line in own + shared)


# ---------------------------------------------------------------- the N-Triples codec


def test_escape_matches_pyoxigraph_for_every_character() -> None:
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    text = "".join(chars)
    assert ntriples.literal(text) == str(ox.Literal(text))
    for ch in [*map(chr, range(0x80)), *ntriples.ESCAPES, "\u3000", "\u2028", "\U0001f3db"]:
        assert ntriples.literal(ch) == str(ox.Literal(ch)), repr(ch)
        assert ntriples.lang_literal(ch, "zh") == str(ox.Literal(ch, language="zh"))
    assert ntriples.unescape(ntriples.escape(text)) == text


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_codec_round_trip(text: str) -> None:
    xsd_int = "http://www.w3.org/2001/XMLSchema#integer"
    a = iri.agency(text)
    s = ntriples.iri(str(a))
    for term, node in [
        (ntriples.literal(text), Literal(text)),
        (ntriples.lang_literal(text, "zh"), Literal(text, lang="zh")),
        (ntriples.typed_literal(text, xsd_int), Literal(text, datatype=URIRef(xsd_int))),
        (s, a),
    ]:
        assert ntriples.to_rdflib(term) == node
        assert store_ntriples([(a, a, node)])[0] == ntriples.statement(s, s, term)
        assert ntriples.terms(ntriples.statement(s, s, term)) == (s, s, term)
    assert ntriples.unescape(r"\u00E9\U0001F3DB\'") == "é\U0001f3db'"


def test_iri_refuses_what_the_store_refuses() -> None:
    for bad in ("no scheme", "http://x/a b", "http://x/<", 'http://x/"'):
        with pytest.raises(ValueError):
            ntriples.iri(bad)
    assert ntriples.iri("http://x/厦门") == "<http://x/厦门>"


def test_terms_of_a_namespace() -> None:
    assert triples.skos.altLabel == SKOS_ALT
    assert triples.plo.Task == "<https://w3id.org/policykg/ontology#Task>"
    with pytest.raises(AttributeError):
        triples.plo.NoSuchTerm  # noqa: B018 - plo: is a closed namespace
