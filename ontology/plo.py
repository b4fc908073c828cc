"""The plo: namespace (rdflib DefinedNamespace) and the other vocabularies policykg uses.

GENERATED from ontology/plo.ttl by tools/gen_namespace.py: do not edit by hand; edit plo.ttl
and run ``python tools/gen_namespace.py``.
"""

from rdflib.namespace import DCTERMS, ORG, PROV, SKOS, XSD, DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["DCTERMS", "ELI", "LEVELS", "ORG", "PLO", "PROV", "ROLES", "SKOS", "XSD"]

ELI = Namespace("http://data.europa.eu/eli/ontology#")
"""The European Legislation Identifier ontology (documents, their dates, issuers and links)."""


class PLO(DefinedNamespace):
    """policykg ontology 0.1.0.

    Terms for Chinese government policy notices (通知, 实施意见, 行动计划, 方案 …): document numbers,
    levels, jurisdictions, issuing agencies, the division of tasks among agencies, and the
    citations through which policy is inherited from one document to another. Whole documents
    are eli:LegalResource, agencies org:Organization, regions, levels and functions
    skos:Concept.
    """

    _NS = Namespace("https://w3id.org/policykg/ontology#")
    _fail = True

    # Classes (owl:Class)
    AgencyGroup: URIRef
    """A set of agencies referred to collectively in a notice, such as “市质量强市工作领导小组成员单位” (the member units of a leading group) or “省直有关部门” (the provincial departments concerned). It is not an org:Organization, but it can be given tasks."""
    Article: URIRef
    """An article of a regulation written in articles (办法, 细则, 规定, 令), such as “第十二条”. It is eli:is_part_of its document and has its number as written (plo:label), its position among the document's articles (plo:ordinal), its text (plo:text) and the agencies it makes responsible. Such documents have articles, not tasks."""
    Citation: URIRef
    """One occurrence, in the text of a document, of a reference to another document: by 《title》, by document number, or both. It records how the document is cited (basis, mention or draft) and, once resolved, the document it refers to (plo:refersTo)."""
    CitationTable: URIRef
    """A table of citation and similarity relations between documents exported from a legal database or similar (each row: document A, relation, document B). It is loaded whole into one named graph holding the eli:cites and plo:similarTo statements its rows give; the table's node is that graph's IRI."""
    Government: URIRef
    """The people's government of an administrative region (the State Council, a provincial, municipal or county people's government). The agencies of that government are linked to it by org:subOrganizationOf."""
    Provision: URIRef
    """A numbered unit of a document's body: an item at any depth (二、（一）1.①) or an article (第十二条). Tasks (plo:Task) and articles (plo:Article) are its sub-classes; the other units (items of goal, principle, safeguard and step parts, list entries that are not work, items inside articles) are plo:Provision with their plo:provisionKind. It is eli:is_part_of its document and has its path of labels (plo:path), its position (plo:ordinal) and its text (plo:text), so that whole documents can be compared."""
    Task: URIRef
    """A numbered work item of a policy document, such as “(二) 大力提高劳动者技能”. It is eli:is_part_of its document and has its number as written (plo:label), its position (plo:ordinal), a heading, its text, and the agencies that lead, are responsible for, take part in or coordinate it. It describes work to be done (a prov:Plan), not the doing of it (a prov:Activity)."""
    VerticalBody: URIRef
    """A body managed vertically by its superior department rather than by the local people's government, such as an entry-exit inspection and quarantine bureau, a central sub-branch of the People's Bank of China, a customs office or a tax bureau."""

    # Concept schemes (skos:ConceptScheme)
    FunctionScheme: URIRef
    """A classification of agencies by function (quality supervision, finance, human resources and social security …), so that similar agencies can be compared across jurisdictions. Agencies point to its concepts with plo:function."""
    LevelScheme: URIRef
    """The four administrative levels of documents and regions: national, provincial, municipal and county."""
    RegionScheme: URIRef
    """The administrative regions of the People's Republic of China (GB/T 2260). Each region is a skos:Concept with its six-digit code as skos:notation, its parent region as skos:broader (up to the province) and its level as plo:level. Documents point to it with eli:jurisdiction, agencies with dcterms:spatial."""

    # Concepts (skos:Concept)
    County: URIRef
    """The county level: counties, autonomous counties, county-level cities, city districts and banners, their people's governments and departments."""
    Municipal: URIRef
    """The prefecture level: prefecture-level cities (including sub-provincial cities), autonomous prefectures, prefectures and leagues, their people's governments and departments."""
    National: URIRef
    """The central level: the National People's Congress and its Standing Committee, the State Council and its General Office, and the ministries, commissions and agencies under the State Council."""
    Provincial: URIRef
    """The provincial level: provinces, autonomous regions and municipalities directly under the central government, their people's governments and departments."""

    # Object properties (owl:ObjectProperty)
    citedIssuer: URIRef
    """The issuing agency of the cited document as inferred from the citation (from the issuer code of its number or the agency named in its title)."""
    citedJurisdiction: URIRef
    """The region of the cited document as inferred from the citation: a concept of plo:RegionScheme."""
    citedLevel: URIRef
    """The level of the cited document as inferred from the citation: a concept of plo:LevelScheme."""
    coordinatingAgency: URIRef
    """An agency that coordinates a task (协调)."""
    function: URIRef
    """The function of an agency or agency group: a concept of plo:FunctionScheme, used to compare similar agencies across jurisdictions (every city's quality supervision bureau, say)."""
    guidingAgency: URIRef
    """An agency that guides a task (（X、Y指导）, 指导单位)."""
    hasCitation: URIRef
    """Links a loaded document to each citation (plo:Citation) found in its text."""
    involvesAgency: URIRef
    """An agency given any role in a task or an article (lead, responsible, participating, coordinating, guiding): an org:Organization or a plo:AgencyGroup. The five role properties are its sub-properties, and the data states this property for exactly the agencies that have a role, so any role can be queried without reasoning."""
    leadAgency: URIRef
    """The agency that leads a task (牵头; “the first listed is the lead”)."""
    level: URIRef
    """The administrative level of a document or of a region: one of the four concepts of plo:LevelScheme, plo:National, plo:Provincial, plo:Municipal or plo:County."""
    mentionsAgency: URIRef
    """An agency named only in the running text of a task, without a formal role in it; not a sub-property of plo:involvesAgency."""
    participatingAgency: URIRef
    """An agency that takes part in or supports a task (参加, 参与, 配合)."""
    refersTo: URIRef
    """The document node a citation resolves to. Citations of one document by number and by title refer to the same node. Written in the derived graph."""
    responsibleAgency: URIRef
    """An agency responsible for a task (负责, 按职责分工负责, 责任单位)."""
    similarTo: URIRef
    """Two documents are similar in content (as a legal database marks them “相似于”). Symmetric: a load states both directions, so queries need no reasoning. Neither a citation nor a statement of lineage."""
    subTaskOf: URIRef
    """The task a sub-task belongs to: the nearest enclosing item that is itself a task (二、（一）1. of 二、（一）). A top-level task has none."""

    # Datatype properties (owl:DatatypeProperty)
    citationKind: URIRef
    """How the document is cited: “basis” when the citing document names it as the policy it implements (为贯彻落实/根据/按照/依据《…》), resolved to eli:based_on and eli:cites; “mention” for any other reference, resolved to eli:cites; “draft” for a document still to be drafted or published, which gives neither."""
    citedNumber: URIRef
    """The document number of the cited document given in the citation, in canonical form (〔〕 brackets, ASCII digits, no spaces), such as “国办发〔2015〕19号”."""
    citedTitle: URIRef
    """The title of the cited document as written in the citation, without the outer 《》."""
    documentType: URIRef
    """The genre of the document taken from the end of its title, such as “通知” (notice), “实施意见” (implementing opinions), “行动计划” (action plan) or “方案” (programme)."""
    encoding: URIRef
    """The character encoding the source file was read with, such as “utf-8” or “gb18030”."""
    issuerCode: URIRef
    """The issuer code (机关代字) of the document number, such as “厦府办” or “国办发”."""
    label: URIRef
    """The number of a task or an article as written in the document, such as “（二）”, “3.”, “①” or “第十二条”."""
    legalRank: URIRef
    """The rank in the hierarchy of legal norms that a table (such as a legal database's export) states, such as “部门规章” or “地方规范性文件”, as written. It is not plo:level: the level is derived from the issuer and the scope."""
    levelRank: URIRef
    """The order of the administrative levels, from the top: national 1, provincial 2, municipal 3, county 4. The parent region (skos:broader) of a region has a smaller level rank."""
    loadedFrom: URIRef
    """Where the file of a source's named graph was read from when it was last loaded: its absolute path on the machine that loaded it (for a row of a table, the table file's path). Stated about the named graph, inside that graph: GRAPH ?g { ?g plo:loadedFrom ?path }. A later load of the same dcterms:source uses it to tell whether it is the same file."""
    numberAsWritten: URIRef
    """The document number exactly as written in the document, such as “厦府办 [2015]134号”; its canonical form is eli:id_local."""
    numberSerial: URIRef
    """The serial number of the document number, in ASCII digits, such as “134”."""
    numberYear: URIRef
    """The year in the brackets of the document number, such as 2015. Numbers without a year (令第127号) have none."""
    ordinal: URIRef
    """The position in document order among the units of its kind of its document, starting at 1: a task among the tasks, an article among the articles, another provision among the other provisions."""
    path: URIRef
    """The labels as written from the outermost numbered level down, such as “二、（一）1.”; an item inside an article from the article, such as “第十二条（一）”."""
    position: URIRef
    """The order of the citation in the text of its document, starting at 1."""
    provisionKind: URIRef
    """The kind of a unit that is neither a task nor an article: part, a part that holds tasks or other parts (二、重点任务); goal, an item of a goal, principle, background or description part; safeguard, an item of a safeguard, implementation or step part; list, an entry of a list that is not work (conditions, materials, definitions, names); clause, an item inside an article."""
    section: URIRef
    """The heading of the section a task sits in, such as “一、简政放权，……”."""
    sha256: URIRef
    """The SHA-256 digest of the bytes of the source file a document was loaded from, as 64 lower-case hexadecimal digits. Only loaded documents (those with dcterms:source) have one."""
    tableSha256: URIRef
    """The SHA-256 digest of the bytes of a loaded citation table, 64 lower-case hex digits; a table loaded again with the same content is skipped."""
    tableSource: URIRef
    """The path of a loaded citation table, written as dcterms:source is (relative to the folder given to load)."""
    taskCount: URIRef
    """The number of plo:Task extracted from a loaded document; its tasks' plo:ordinal run from 1 to this number."""
    text: URIRef
    """The unit's own text (without the numbered sub-tasks or sub-items under it, which have theirs); a task's heading (first sentence) is its dcterms:title."""


LEVELS: dict[str, URIRef] = {
    "national": PLO.National,
    "provincial": PLO.Provincial,
    "municipal": PLO.Municipal,
    "county": PLO.County,
}
"""Level name (skos:notation, as in models.LEVELS) → concept of plo:LevelScheme."""

ROLES: dict[str, URIRef] = {
    "coordinating": PLO.coordinatingAgency,
    "guiding": PLO.guidingAgency,
    "lead": PLO.leadAgency,
    "participating": PLO.participatingAgency,
    "responsible": PLO.responsibleAgency,
}
"""Role name (skos:notation, as in models.ROLES) → sub-property of plo:involvesAgency."""
