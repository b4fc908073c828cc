"""The ontology (plo.ttl), its generated namespace (plo.py) and the SHACL shapes (shapes.ttl).

Shape cases are Turtle/TriG files in tests/data/shapes/, one per situation, as pySHACL's
test_dash_validate does: ``valid_*`` must conform; ``invalid_*`` state what they expect with
``t:case t:expect [ t:focus <node> ; t:message "…" ]`` (focus optional), and the report must
hold exactly those results: each expected one, and no other.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SH

from policykg.loaders import docnumber
from policykg.loaders.models import LEVELS as MODEL_LEVELS
from policykg.loaders.models import ROLES as MODEL_ROLES
from policykg.ontology import plo
from policykg.ontology.plo import ELI, LEVELS, PLO, ROLES
from policykg.ontology.validate import merged, ontology_graph, shapes_graph, validate, validation_report

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
CASES = Path(__file__).resolve().parent / "data" / "shapes"
CORPUS = ROOT.parent / "shared" / "corpus"
T = Namespace("https://w3id.org/policykg/test#")
VANN = Namespace("http://purl.org/vocab/vann/")
ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")

KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme, SKOS.Concept)

# The plo: terms the graph layer writes (graph/triples.py, graph/resolve.py), by where they sit.
WRITTEN_TERMS = {
    "document": [
        "numberAsWritten",
        "issuerCode",
        "numberYear",
        "numberSerial",
        "documentType",
        "level",
        "sha256",
        "encoding",
        "hasCitation",
        "taskCount",
    ],
    "citation": [
        "Citation",
        "position",
        "citationKind",
        "citedTitle",
        "citedNumber",
        "citedIssuer",
        "citedLevel",
        "citedJurisdiction",
        "refersTo",
    ],
    "task": [
        "Task",
        "label",
        "ordinal",
        "text",
        "section",
        "leadAgency",
        "responsibleAgency",
        "participatingAgency",
        "coordinatingAgency",
        "guidingAgency",
        "involvesAgency",
        "mentionsAgency",
        "path",
        "subTaskOf",
    ],
    "provision": ["Provision", "Article", "provisionKind"],
    "agency": ["Government", "VerticalBody", "AgencyGroup", "function"],
    "concepts": [
        "RegionScheme",
        "FunctionScheme",
        "LevelScheme",
        "National",
        "Provincial",
        "Municipal",
        "County",
    ],
}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY / "plo.ttl", format="turtle")


def plo_terms(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(str(PLO))}


def langs(g: Graph, s: URIRef, p: URIRef) -> list[str | None]:
    return sorted((o.language or "") for o in g.objects(s, p) if isinstance(o, Literal))


# --- plo.ttl ---------------------------------------------------------------------------------


def test_ontology_header(onto: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert str(onto.value(ONTOLOGY_IRI, OWL.versionInfo)) == "0.1.0"
    assert onto.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("plo")
    assert str(onto.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri)) == str(PLO)
    assert langs(onto, ONTOLOGY_IRI, DCTERMS.title) == ["en", "zh"]
    assert langs(onto, ONTOLOGY_IRI, DCTERMS.description) == ["en", "zh"]


def test_every_term_has_one_kind_and_zh_en_labels_and_comments(onto: Graph) -> None:
    terms = plo_terms(onto)
    assert len(terms) == 54
    for term in terms:
        kinds = set(onto.objects(term, RDF.type)) & set(KINDS)
        assert len(kinds) == 1, term
        assert langs(onto, term, RDFS.label) == ["en", "zh"], term
        assert langs(onto, term, RDFS.comment) == ["en", "zh"], term
        zh_comment = next(c for c in onto.objects(term, RDFS.comment) if c.language == "zh")
        assert re.search("[\u4e00-\u9fff]", zh_comment), term


def test_properties_have_domain_and_range(onto: Graph) -> None:
    props = set(onto.subjects(RDF.type, OWL.ObjectProperty)) | set(
        onto.subjects(RDF.type, OWL.DatatypeProperty)
    )
    assert len(props) == 39
    for p in props:
        assert onto.value(p, RDFS.range) is not None, p
        if p != PLO.level:  # used on documents and on regions: deliberately no domain
            assert onto.value(p, RDFS.domain) is not None, p
    for p in onto.subjects(RDF.type, OWL.DatatypeProperty):
        assert str(onto.value(p, RDFS.range)).startswith(("http://www.w3.org/2001/XMLSchema#", str(RDF))), p
    for p in onto.subjects(RDF.type, OWL.ObjectProperty):
        assert not str(onto.value(p, RDFS.range)).startswith("http://www.w3.org/2001/XMLSchema#"), p


def test_roles_are_sub_properties_of_involves_agency(onto: Graph) -> None:
    roles = set(onto.subjects(RDFS.subPropertyOf, PLO.involvesAgency))
    assert roles == {
        PLO.leadAgency,
        PLO.responsibleAgency,
        PLO.participatingAgency,
        PLO.coordinatingAgency,
        PLO.guidingAgency,
    }
    assert (PLO.mentionsAgency, RDFS.subPropertyOf, PLO.involvesAgency) not in onto
    assert {str(onto.value(r, SKOS.notation)) for r in roles} == set(MODEL_ROLES)


def test_alignments(onto: Graph) -> None:
    assert (PLO.Government, RDFS.subClassOf, ORG.Organization) in onto
    assert (PLO.Government, RDFS.subClassOf, ORG.FormalOrganization) in onto
    assert (PLO.VerticalBody, RDFS.subClassOf, ORG.Organization) in onto
    assert (PLO.Task, RDFS.subClassOf, PROV.Plan) in onto
    assert (PLO.Task, RDFS.subClassOf, PROV.Activity) not in onto
    assert (PLO.AgencyGroup, OWL.disjointWith, ORG.Organization) in onto
    assert (PLO.AgencyGroup, RDFS.subClassOf, ORG.Organization) not in onto
    # plo:level ⊑ dcterms:type would make the levels classes (dcterms:type's range is rdfs:Class)
    assert onto.value(PLO.level, RDFS.subPropertyOf) is None
    # the cited title is not the title of the citation occurrence
    assert onto.value(PLO.citedTitle, RDFS.subPropertyOf) is None


def test_level_scheme(onto: Graph) -> None:
    levels = sorted(
        onto.subjects(SKOS.inScheme, PLO.LevelScheme), key=lambda c: int(onto.value(c, PLO.levelRank))
    )
    assert levels == [PLO.National, PLO.Provincial, PLO.Municipal, PLO.County]
    assert [str(onto.value(c, SKOS.notation)) for c in levels] == list(MODEL_LEVELS)
    assert set(onto.objects(PLO.LevelScheme, SKOS.hasTopConcept)) == set(levels)
    for c in levels:
        assert (c, RDF.type, SKOS.Concept) in onto
        assert (c, SKOS.topConceptOf, PLO.LevelScheme) in onto
        assert langs(onto, c, SKOS.prefLabel) == ["en", "zh"]
    zh = [str(next(p for p in onto.objects(c, SKOS.prefLabel) if p.language == "zh")) for c in levels]
    assert zh == ["国家级", "省级", "市级", "县级"]
    for scheme in (PLO.LevelScheme, PLO.RegionScheme, PLO.FunctionScheme):
        assert (scheme, RDF.type, SKOS.ConceptScheme) in onto


def test_terms_the_graph_layer_writes_are_declared(onto: Graph) -> None:
    declared = {str(t)[len(str(PLO)) :] for t in plo_terms(onto)}
    written = {name for names in WRITTEN_TERMS.values() for name in names}
    assert written - declared == set()


def test_plo_terms_used_in_code_and_queries_are_declared(onto: Graph) -> None:
    declared = {str(t)[len(str(PLO)) :] for t in plo_terms(onto)}
    used: dict[str, set[str]] = {}
    files = [
        *ROOT.glob("graph/*.py"),
        *ROOT.glob("loaders/*.py"),
        *ROOT.glob("policykg/*.py"),
        *ROOT.glob("queries/*.rq"),
        *ROOT.glob("tests/*.py"),
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        names = set(re.findall(r"\bplo:([A-Za-z_]\w*)(?![\w-])", text))
        names |= set(re.findall(r"\bPLO\.([A-Za-z_]\w*)", text))
        if path.name != "test_ontology.py":
            used[path.relative_to(ROOT).as_posix()] = names - declared
    assert {p: n for p, n in used.items() if n} == {}


# --- plo.py ----------------------------------------------------------------------------------


def test_generated_namespace_is_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "plo.py"
    subprocess.run([sys.executable, str(ROOT / "tools" / "gen_namespace.py"), "-o", str(out)], check=True)
    assert out.read_text(encoding="utf-8") == (ONTOLOGY / "plo.py").read_text(encoding="utf-8")
    check = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_namespace.py"), "--check"])
    assert check.returncode == 0


def test_generator_detects_a_stale_namespace(tmp_path: Path) -> None:
    stale = tmp_path / "plo.py"
    stale.write_text((ONTOLOGY / "plo.py").read_text(encoding="utf-8").replace("    Task: URIRef\n", ""))
    check = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_namespace.py"), "--check", "-o", str(stale)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 1
    assert "out of date" in check.stderr


def test_namespace_matches_the_ontology(onto: Graph) -> None:
    annotated = set(PLO.__annotations__)
    assert annotated == {str(t)[len(str(PLO)) :] for t in plo_terms(onto)}
    assert PLO.Task == URIRef("https://w3id.org/policykg/ontology#Task")
    assert PLO.leadAgency == URIRef("https://w3id.org/policykg/ontology#leadAgency")
    with pytest.raises(AttributeError):
        PLO.Taks  # noqa: B018 - _fail = True: a typo raises
    assert LEVELS == {
        "national": PLO.National,
        "provincial": PLO.Provincial,
        "municipal": PLO.Municipal,
        "county": PLO.County,
    }
    assert list(LEVELS) == list(MODEL_LEVELS)
    assert ROLES == {
        "lead": PLO.leadAgency,
        "responsible": PLO.responsibleAgency,
        "participating": PLO.participatingAgency,
        "coordinating": PLO.coordinatingAgency,
        "guiding": PLO.guidingAgency,
    }
    assert ELI.LegalResource == URIRef("http://data.europa.eu/eli/ontology#LegalResource")
    assert plo.ORG is ORG and plo.SKOS is SKOS and plo.DCTERMS is DCTERMS and plo.PROV is PROV


# --- shapes: the Turtle cases ----------------------------------------------------------------


def _read_case(path: Path) -> tuple[Dataset, bool, list[tuple[URIRef | None, str]]]:
    """The data of a case file, whether it should conform, and its expected (focus, message)."""
    ds = Dataset()
    ds.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
    case = [q for q in ds.quads((T.case, None, None, None))]
    expected = []
    for _, p, o, _ in case:
        if p == T.expect:
            focus = next(ds.objects(o, T.focus), None)
            expected.append((focus, str(next(ds.objects(o, T.message)))))
    conforms = next(o for _, p, o, _ in case if p == T.conforms).toPython()
    for _, _p, o, _ in case:
        if isinstance(o, BNode):
            for q in list(ds.quads((o, None, None, None))):
                ds.remove(q)
    for q in case:
        ds.remove(q)
    return ds, conforms, expected


def _results(report: Graph) -> list[tuple[URIRef, list[str]]]:
    out = []
    top = next(report.subjects(RDF.type, SH.ValidationReport))
    for r in report.objects(top, SH.result):  # not the nested sh:detail results of sh:node
        messages = [str(m) for m in report.objects(r, SH.resultMessage)]
        out.append((report.value(r, SH.focusNode), messages))
    return out


def _matches(expectation: tuple[URIRef | None, str], result: tuple[URIRef, list[str]]) -> bool:
    focus, message = expectation
    if focus is not None and result[0] != focus:
        return False
    return any(message in m for m in result[1])


CASE_FILES = sorted(p for p in CASES.iterdir() if p.suffix in (".ttl", ".trig"))


def test_there_are_cases() -> None:
    assert len([p for p in CASE_FILES if p.name.startswith("valid_")]) >= 2
    assert len([p for p in CASE_FILES if p.name.startswith("invalid_")]) >= 10


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name)
def test_shape_case(path: Path) -> None:
    ds, should_conform, expected = _read_case(path)
    assert path.name.startswith("valid_" if should_conform else "invalid_")
    assert (T.case, None, None) not in merged(ds)
    conforms, report, text = validation_report(ds)
    assert conforms is should_conform, text
    results = _results(report)
    unexpected = [r for r in results if not any(_matches(e, r) for e in expected)]
    missing = [e for e in expected if not any(_matches(e, r) for r in results)]
    assert (unexpected, missing) == ([], []), text
    assert len(results) == len(expected), text


# --- shapes: details -------------------------------------------------------------------------


def _valid_dataset() -> Dataset:
    return _read_case(CASES / "valid_xiamen.trig")[0]


def test_named_graphs_are_validated_as_one_union() -> None:
    ds = _valid_dataset()
    derived = URIRef("https://w3id.org/policykg/graph/derived")
    assert len(ds.graph(derived)) > 0
    # the per-file graph alone is not a consistent store (its citations refer to nothing yet) …
    source = next(
        c for c in ds.graphs() if str(c.identifier).startswith("https://w3id.org/policykg/graph/source/")
    )
    alone = Graph()
    for triple in source:
        alone.add(triple)
    assert validate(alone)[0] is True
    # … but the union must hold across graphs: a based_on in derived needs its cites there too
    d = URIRef("https://w3id.org/policykg/id/doc/厦府办〔2015〕134号")
    e = URIRef("https://w3id.org/policykg/id/doc/国办发〔2015〕19号")
    ds.graph(derived).remove((d, ELI.cites, e))
    conforms, text = validate(ds)
    assert not conforms
    assert "is not also stated as eli:cites" in text


def test_validate_does_not_modify_its_input() -> None:
    ds = _valid_dataset()
    before = len(list(ds.quads((None, None, None, None))))
    assert validate(ds)[0] is True
    assert len(list(ds.quads((None, None, None, None)))) == before
    g = merged(ds)
    n = len(g)
    assert validate(g)[0] is True
    assert len(g) == n


def test_validate_accepts_a_pyoxigraph_store() -> None:
    import pyoxigraph as ox

    store = ox.Store()
    store.load(_valid_dataset().serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS)
    assert len(store) > 100
    assert validate(store)[0] is True
    broken, _, _ = _read_case(CASES / "invalid_based_on_without_cites.trig")
    store = ox.Store()
    store.load(broken.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS)
    conforms, text = validate(store)
    assert not conforms
    assert "is not also stated as eli:cites" in text


def test_valid_case_conforms_with_rdfs_inference_too() -> None:
    assert validate(_valid_dataset(), inference="rdfs")[0] is True


def test_government_typed_only_by_its_subclass_is_an_organization() -> None:
    g = merged(_valid_dataset())
    gov = URIRef("https://w3id.org/policykg/id/agency/厦门市人民政府")
    g.remove((gov, RDF.type, ORG.Organization))
    assert (gov, RDF.type, PLO.Government) in g
    assert validate(g)[0] is True  # eli:passed_by / org:subOrganizationOf still satisfied via plo.ttl
    g.remove((gov, RDF.type, PLO.Government))
    conforms, text = validate(g)
    assert not conforms
    assert "org:subOrganizationOf points to a plo:Government" in text


def test_messages_are_bilingual() -> None:
    for shape in shapes_graph().subjects(SH.message, None):
        assert langs(shapes_graph(), shape, SH.message) == ["en", "zh"], shape


def test_shapes_and_ontology_are_cached_and_separate() -> None:
    assert shapes_graph() is shapes_graph()
    assert ontology_graph() is ontology_graph()
    assert (None, RDF.type, SH.NodeShape) not in ontology_graph()


def test_missing_pyshacl_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyshacl", None)
    with pytest.raises(ImportError, match=r"needs pySHACL: pip install 'policykg\[test\]'"):
        validate(Graph())


# --- the 发文字号 pattern against the parser's real output ------------------------------------


def _docnumber_pattern() -> re.Pattern[str]:
    pattern = shapes_graph().value(URIRef("https://w3id.org/policykg/shapes#DocNumber"), SH.pattern)
    return re.compile(str(pattern))


@pytest.mark.parametrize(
    "number",
    [
        "厦府办〔2015〕134号",
        "国办发〔2015〕19号",
        "陕科协发〔2022〕宣字4号",
        "陕科（社）函〔2019〕227号",
        "宁夏回族自治区人民政府令第127号",
        "国家税务总局公告2015年第41号",
        "国家发展改革委2017年第9号",
        "北京市人民代表大会常务委员会公告〔15届〕第19号",
        "山西省人民代表大会常务委员会公告第30号",
    ],
)
def test_canonical_numbers_match(number: str) -> None:
    assert _docnumber_pattern().match(number)


@pytest.mark.parametrize(
    "number",
    [
        "厦府办[2015]134号",
        "厦府办【2015】134号",
        "厦府办(2015)134号",
        "厦府办﹝2015﹞134号",
        "厦府办〔２０１５〕134号",
        "厦府办 〔2015〕134号",
        "厦府办〔2015〕 134号",
        "厦府办〔2015〕134号\u200b",
        "国科提案区〔2019〕第138号",
        "沪府发〔1999〕043号",
        "晋政办发〔2012〕18",
        "湘科发2022〔137〕号",
        "(2021)国科科函字第99号",
        "重庆市人民政府令第 359 号",
        "〔2015〕134号",
        "",
    ],
)
def test_non_canonical_numbers_do_not_match(number: str) -> None:
    assert not _docnumber_pattern().match(number)


def _canonical_forms(lines: list[str]) -> list[str]:
    return [d.canonical for d in map(docnumber.parse, lines) if d is not None]


def test_parser_output_matches_the_shape_on_the_sample() -> None:
    lines = (
        (Path(__file__).parent / "data" / "doc_numbers_sample.txt").read_text(encoding="utf-8").splitlines()
    )
    forms = _canonical_forms([line for line in lines if line.strip()])
    assert len(forms) > 250
    pattern = _docnumber_pattern()
    assert [f for f in forms if not pattern.match(f)] == []


@pytest.mark.corpus
def test_parser_output_matches_the_shape_on_the_corpus() -> None:
    path = CORPUS / "doc_numbers.txt"
    if not path.exists():
        pytest.skip("corpus not available")
    forms = _canonical_forms([line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()])
    assert len(forms) > 45_000
    pattern = _docnumber_pattern()
    assert [f for f in forms if not pattern.match(f)] == []


# --- what the loader writes satisfies the shapes ---------------------------------------------


def _exported(pg) -> Dataset:
    ds = Dataset()
    ds.parse(data=pg.export("nquads"), format="nquads")
    return ds


def test_the_loaded_sample_corpus_conforms(sample_graph) -> None:
    ds = _exported(sample_graph)
    assert len(ds.graph(URIRef("https://w3id.org/policykg/graph/derived"))) > 0
    conforms, text = validate(ds)
    assert conforms, text


@pytest.mark.corpus
def test_the_loaded_corpus_conforms(tmp_path: Path) -> None:
    import json

    from policykg.api import PolicyGraph

    path = CORPUS / "notices.jsonl"
    if not path.exists():
        pytest.skip("corpus not available")
    for line in path.read_text(encoding="utf-8").splitlines():
        notice = json.loads(line)
        (tmp_path / f"{notice['id']}.txt").write_text(notice["text"], encoding="utf-8")
    pg = PolicyGraph.open(memory=True)
    assert pg.load([tmp_path]).documents == 271
    conforms, text = validate(_exported(pg))
    assert conforms, text
