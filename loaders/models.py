"""Extracted facts: frozen dataclasses, one per concept.

Every extractor returns these; the graph layer turns them into triples. Text keeps the
full-width punctuation of the source; canonical forms are used only for equality and IRIs.
Spans are (start, end) character offsets into the cleaned text of the notice and never take
part in equality.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Level = Literal["national", "provincial", "municipal", "county"]
Role = Literal["lead", "responsible", "participating", "coordinating", "guiding"]
CitationKind = Literal["basis", "mention", "draft"]
ProvisionKind = Literal["part", "goal", "safeguard", "list", "clause"]
AgencyKind = Literal["government", "agency", "group"]
InForce = Literal["inForce", "partiallyInForce", "notInForce"]  # ELI's in-force concepts
Span = tuple[int, int]

LEVELS: tuple[str, ...] = ("national", "provincial", "municipal", "county")
ROLES: tuple[str, ...] = ("lead", "responsible", "participating", "coordinating", "guiding")


class _Dumpable:
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        return jsonable(asdict(self))  # type: ignore[call-overload]


def jsonable(value: Any) -> Any:
    """Dicts, lists and tuples recursively, dates as ISO strings; other values as they are."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Region(_Dumpable):
    """An administrative region from the gazetteer.

    ``name`` is the full official name (厦门市, 福建省, 思明区); ``parent`` the full name of the
    enclosing region (厦门市 → 福建省; a province's parent is None); ``code`` its GB/T 2260 code
    where known. The whole country is ``Region("中华人民共和国", "national", None, "100000")``.
    """

    name: str
    level: Level
    parent: str | None = None
    code: str | None = None
    province: str | None = None  # the province that contains it (itself for a province)


@dataclass(frozen=True)
class DocNumber(_Dumpable):
    """A 发文字号. Equality is on the canonical form.

    ``canonical`` follows GB/T 9704-2012: 〔〕 brackets, ASCII digits, no spaces, e.g.
    厦府办〔2015〕134号. ``code`` is the 机关代字 (厦府办), ``year`` the year (None for forms
    without one, such as 令第127号), ``serial`` the serial number as ASCII digits.
    """

    canonical: str
    code: str
    year: int | None
    serial: str
    surface: str = field(default="", compare=False)
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class Agency(_Dumpable):
    """An organisation, qualified by its jurisdiction.

    ``name`` is the full preferred name (厦门市质量技术监督局); ``surface`` the form written in
    the notice (市质监局), kept as skos:altLabel. ``kind`` tells governments, their agencies, and
    groups (市质量强市工作领导小组成员单位, 省直有关部门) apart. ``function`` is a key of the
    functional classification (``loaders/data`` SKOS scheme), ``vertical`` marks vertically
    managed and central-branch bodies (厦门出入境检验检疫局, 人行厦门市中心支行).
    ``government`` is the full name of the people's government it belongs to, where known.
    ``local`` marks an agency whose jurisdiction the notice neither states nor implies
    (市工业和信息化局 in a text that never names its city): it is known only within its notice,
    one node per document.
    """

    name: str
    kind: AgencyKind = "agency"
    region: Region | None = field(default=None, compare=False)
    function: str | None = field(default=None, compare=False)
    vertical: bool = field(default=False, compare=False)
    government: str | None = field(default=None, compare=False)
    surface: str = field(default="", compare=False)
    local: bool = field(default=False, compare=False)


@dataclass(frozen=True)
class AgencyRole(_Dumpable):
    """An agency's role in a task: lead 牵头, responsible 负责, participating 参加/参与/配合,
    coordinating 协调, guiding 指导."""

    agency: Agency
    role: Role
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class Citation(_Dumpable):
    """A reference to another document: by 《title》, by 发文字号, or both.

    ``title`` is without the outer 《》, as written. ``kind`` is ``basis`` when the notice names
    the document as the policy it implements (为贯彻落实/根据/按照/依据《…》), ``mention`` for any
    other reference, ``draft`` for a document still to be drafted or published (neither cites
    nor based_on in the graph).
    """

    title: str | None
    number: DocNumber | None
    kind: CitationKind = "mention"
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class Task(_Dumpable):
    """A numbered work item of a notice.

    ``label`` is the number as written ("(二)", "3.", "①"); ``ordinal`` its 1-based position
    among the document's tasks; ``heading`` its first sentence; ``text`` the full text;
    ``section`` the heading of the section it sits in (一、简政放权,…) or None.
    ``roles`` are the formally responsible agencies; ``mentions`` agencies named in the running
    text only. ``path`` is the labels as written from the outermost numbered level down
    ("二、（一）1."); ``parent`` the path of the nearest enclosing item that is itself a task
    (None for a top-level task).
    """

    label: str
    ordinal: int
    heading: str
    text: str = field(compare=False)
    section: str | None = None
    roles: tuple[AgencyRole, ...] = ()
    mentions: tuple[Agency, ...] = ()
    span: Span = field(default=(0, 0), compare=False)
    path: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Article(_Dumpable):
    """An article of a regulation written in articles (第十二条 of a 办法, 细则, 规定, 令).

    ``label`` as written ("第十二条"), ``ordinal`` its 1-based position among the document's
    articles, ``text`` its full text (the label not included), ``roles`` the agencies its
    responsibility clauses name.
    """

    label: str
    ordinal: int
    text: str = field(compare=False)
    roles: tuple[AgencyRole, ...] = ()
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class Provision(_Dumpable):
    """A numbered unit of a notice's body that is neither a task nor an article.

    ``kind``: ``part`` a part that holds tasks or other parts (二、重点任务, 第三章 …), ``goal`` an
    item of a goal or principle part (指导思想, 基本原则, 工作目标 …) or of background and
    description, ``safeguard`` an item of a safeguard or step part (保障措施, 组织实施, 实施步骤 …),
    ``list`` an item of a list that is not work (conditions, materials, definitions, names),
    ``clause`` an item inside an article. ``path`` as for :class:`Task`; ``ordinal`` its 1-based
    position among the document's provisions; ``parent`` the path of the numbered unit it sits in.
    """

    kind: ProvisionKind
    label: str
    path: str
    ordinal: int
    heading: str
    text: str = field(compare=False)
    parent: str | None = None
    span: Span = field(default=(0, 0), compare=False)


@dataclass(frozen=True)
class Conflict(_Dumpable):
    """A fact that a page's metadata or a table's column states otherwise than the text:
    ``stated`` won, ``found`` is what extraction read in the text."""

    field: str
    stated: str
    found: str


@dataclass(frozen=True)
class Notice(_Dumpable):
    """Everything extracted from one source file."""

    source: str  # path relative to the folder given to load (CONTRACT: dcterms:source)
    sha256: str  # of the file's bytes
    number: DocNumber | None = None
    title: str | None = None
    doctype: str | None = None  # 通知, 意见, 实施意见, 方案, 行动计划, 工作要点 …
    issuers: tuple[Agency, ...] = ()
    date: date | None = None  # 成文日期
    published: date | None = None  # 发布日期, where given separately
    level: Level | None = None
    region: Region | None = None
    promulgates: str | None = None  # X of "…关于印发X的通知"
    citations: tuple[Citation, ...] = ()
    tasks: tuple[Task, ...] = ()
    encoding: str | None = field(default=None, compare=False)
    url: str | None = None  # where the notice was published, when its source says
    in_force: InForce | None = None  # validity a page, a table or a title prefix states
    conflicts: tuple[Conflict, ...] = field(default=(), compare=False)  # stated facts that overrode the text
    articles: tuple[Article, ...] = ()
    provisions: tuple[Provision, ...] = ()  # the numbered units that are neither tasks nor articles
