"""Bytes → clean text: the first stage of every load.

Named steps, each a pure function: ``decode`` (BOM, strict UTF-8, a declared HTML charset,
then detection among Chinese encodings; a page with a few broken bytes still reads),
``read_page`` (a saved web page → the notice's text, and the facts the page states about
itself from its 政府信息公开 block and meta tags, ``SourceText.metadata``; labels, meta tag
names and furniture words in ``data/page_fields.json``), ``strip_noise`` (web-page furniture
lines, patterns in ``data/noise.json``). ``read_bytes`` and ``read_path`` chain them. A file
that is not text raises ``ReadError``.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from html import unescape
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from policykg.errors import ReadError
from policykg.loaders import formats

__all__ = [
    "BadBytes", "SourceText", "block_fields", "decode", "decode_damaged", "html_to_text", "page_metadata", "read_bytes", "read_page",
    "read_path", "strip_noise", "title_from_head",
]


@dataclass(frozen=True)
class SourceText:
    """A source file read as text."""

    text: str  # cleaned plain text, lines kept
    encoding: str  # utf-8, utf-8-sig, gb18030, big5, utf-16 … ("" for PDF and .docx)
    format: str  # "text", "html", "pdf" or "docx"
    # what a saved web page states about the notice (keys of loaders/given.py's FIELDS, and
    # "publisher"): its meta tags and 政府信息公开 block, see ``page_metadata``
    metadata: dict[str, str] = field(default_factory=dict)
    bad_bytes: BadBytes | None = None  # bytes that could not be decoded, each read as U+FFFD


# ---------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"\x89PNG", "PNG image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf", "7z archive"),
)
# Encodings detection may choose from; GB2312 and GBK are decoded as their superset GB18030.
_CANDIDATES = ["gb18030", "big5", "utf_16_le", "utf_16_be"]
_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "cp936": "gb18030",
          "big5": "big5", "big5hkscs": "big5", "cp950": "big5", "utf_8": "utf-8", "utf-8": "utf-8",
          "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be", "utf_16": "utf-16", "ascii": "utf-8"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|meta|body)\b", re.I | re.S)
_HTML_ANY = re.compile(rb"<(?:html|body|head)\b[^>]*>|<meta\s[^>]*charset", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def _canonical(name: str) -> str:
    key = codecs.lookup(name).name.replace("-", "_")
    return _NAMES.get(key, codecs.lookup(name).name)


def _plausible(text: str) -> bool:
    """Whether decoded text reads as text: few control characters, and Chinese or ASCII."""
    if not text.strip():
        return False
    if len(_CONTROL.findall(text)) > max(2, len(text) // 200):
        return False
    letters = sum(1 for ch in text if ch.isprintable() or ch in "\n\r\t")
    return letters >= 0.95 * len(text)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without BOM: NUL bytes fall on the high byte of ASCII characters."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    for enc in order:
        text = _strict(data, enc)
        if text is not None and _plausible(text) and not _CONTROL.search(text) and _mostly_text(text):
            return text, enc
    return None


def _mostly_text(text: str) -> bool:
    """Chinese or ASCII characters make up nearly all of ``text``."""
    usual = sum(1 for ch in text if ch < "\x7f" or "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return usual >= 0.9 * len(text)


# charset names pages declare that Python's codecs do not know
_ALIASES = {"x-gbk": "gbk", "x-gb2312": "gb2312", "gb_2312-80": "gb2312", "gb-2312": "gb2312",
            "csgb2312": "gb2312", "chinese": "gb2312", "windows-936": "gbk", "x-big5": "big5",
            "big5-hkscs": "big5hkscs", "x-euc-cn": "gb2312", "unicode": "utf-8", "utf8mb4": "utf-8"}


def _declared(data: bytes) -> str | None:
    """The charset a saved page declares (<meta charset> or <meta http-equiv content-type>)."""
    m = _META_CHARSET.search(data[:16384])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        return _canonical(_ALIASES.get(name, name))
    except LookupError:
        return None


@dataclass(frozen=True)
class BadBytes:
    """Bytes that do not decode (a stray byte, a character cut at the end, a NUL), each read
    as U+FFFD: how many, and the offset of the first in the file."""

    count: int
    first: int


def _bad_limit(data: bytes) -> int:
    """How many bad bytes a text may hold and still be read (a few; more is not text)."""
    return max(8, len(data) // 200)


def _with_replacement(data: bytes, encoding: str) -> tuple[str, BadBytes | None] | None:
    """``data`` decoded with each undecodable byte run (and NUL) read as U+FFFD, and what was
    replaced; None when more than a few bytes are bad."""
    limit, parts, pos, count, first = _bad_limit(data), [], 0, 0, None
    while True:
        try:
            parts.append(data[pos:].decode(encoding))
            break
        except UnicodeDecodeError as exc:
            parts += [data[pos : pos + exc.start].decode(encoding), "\ufffd"]
            first = pos + exc.start if first is None else first
            count += exc.end - exc.start
            pos += exc.end
            if count > limit:
                return None
    text = "".join(parts)
    nul = text.find("\x00")
    if nul >= 0:  # a stray NUL (where it is in the file: the bytes before it, encoded again)
        nuls = text.count("\x00")
        offset = len(text[:nul].encode(encoding, "replace"))
        first = offset if first is None else min(first, offset)
        count += nuls
        text = text.replace("\x00", "\ufffd")
        if count > limit:
            return None
    return text, (BadBytes(count, first) if count else None)


def _lenient(data: bytes, encodings: list[str]) -> tuple[str, str, BadBytes | None] | None:
    """A notice with a few broken bytes (a truncated download, a stray byte or NUL): the
    encoding that needs fewest replacements, if they are few and the text reads as Chinese."""
    best: tuple[int, str, str, BadBytes | None] | None = None
    for enc in dict.fromkeys(encodings):
        found = _with_replacement(data, enc)
        if found is None or not _CJK.search(found[0]) or not _plausible(found[0].replace("\ufffd", "")):
            continue
        text, bad = found
        n = bad.count if bad else 0
        if best is None or n < best[0]:
            best = (n, text, enc, bad)
    return None if best is None else best[1:]


def decode(data: bytes) -> tuple[str, str]:
    """``data`` as text and the encoding it was read with (see :func:`decode_damaged`)."""
    text, encoding, _ = decode_damaged(data)
    return text, encoding


def decode_damaged(data: bytes) -> tuple[str, str, BadBytes | None]:
    """``data`` as text, the encoding it was read with, and the bytes that could not be read.

    Order: a BOM; strict UTF-8; the charset a saved web page declares (GB2312/GBK read as
    GB18030), if it decodes cleanly; UTF-16 without BOM; then detection (charset-normalizer)
    among GB18030, Big5 and UTF-16. A text with a few bad bytes (a stray 0xFF or NUL, a
    character cut at the end) is read with each as U+FFFD and the bad bytes are reported.
    Raises ``ReadError`` for empty, binary or undecodable data.
    """
    if not data or not data.strip():
        raise ReadError("empty file")
    for sig, what in _SIGNATURES:
        if data.startswith(sig):
            raise ReadError(f"binary file ({what}), not text")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _strict(data, enc)
            if text is None:
                raise ReadError(f"cannot decode: invalid {enc} after its byte-order mark")
            return text.lstrip("\ufeff"), enc, None
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found:
            return (*found, None)
        if data.count(b"\x00") > _bad_limit(data):
            raise ReadError("binary file (NUL bytes / not text)")
        return _damaged(data, None)
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8", None
    declared = _declared(data) if _HTML_ANY.search(data[:16384]) else None
    if declared and declared != "utf-8":
        text = _strict(data, declared)
        if text is not None and _plausible(text):
            return text, declared, None
    return _detect(data, declared)


def _detect(data: bytes, declared: str | None = None) -> tuple[str, str, BadBytes | None]:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    guessed = _canonical(best.encoding) if best is not None else None
    if guessed is not None:
        text = _strict(data, guessed)
        if text is not None and _plausible(text) and _CJK.search(text):
            return text, guessed, None
    return _damaged(data, declared, guessed)


def _damaged(data: bytes, declared: str | None, guessed: str | None = None) -> tuple[str, str, BadBytes | None]:
    found = _lenient(data, [e for e in (declared, guessed, "utf-8", "gb18030", "big5") if e and "16" not in e])
    if found:
        return found
    if b"\x00" in data:
        raise ReadError("binary file (NUL bytes / not text)")
    raise ReadError("cannot decode: not UTF-8, and no Chinese encoding (GB18030, Big5, UTF-16) fits")


# ---------------------------------------------------------------- html

_DROP = frozenset({"script", "style", "nav", "header", "footer", "form", "noscript", "iframe", "select",
                   "button", "textarea", "svg", "object", "embed", "template", "head", "aside", "map"})
_BLOCK = frozenset({"p", "div", "br", "tr", "td", "th", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
                    "h6", "table", "tbody", "thead", "section", "article", "dd", "dt", "dl", "pre",
                    "blockquote", "hr", "center", "title", "caption", "main", "figure", "figcaption",
                    "address", "body", "html"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "wbr", "source",
                   "param", "track", "embed"})
# An open element a new start tag closes (HTML's implied end tags), so that unclosed <p>, <li>
# or <td> do not nest ever deeper.
_CLOSES = {
    "p": frozenset({"p"}), "li": frozenset({"li", "p"}), "dt": frozenset({"dt", "dd", "p"}),
    "dd": frozenset({"dt", "dd", "p"}), "tr": frozenset({"tr", "td", "th", "p"}),
    "td": frozenset({"td", "th", "p"}), "th": frozenset({"td", "th", "p"}),
    **{tag: frozenset({"p"}) for tag in ("div", "table", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5",
                                         "h6", "section", "article", "pre", "blockquote", "center")},
}
_SCOPES = frozenset({"table", "ul", "ol", "dl", "div", "body", "td", "th", "li", "section", "article"})
_NEWLINE = "\n"
_CONTAINER_TAGS = ("div", "td", "article", "section", "main", "span", "font", "dd")
_CONTENT_BEGIN = frozenset({"zjeg_rss.content.begin", "<$[信息内容]>begin", "content start", "正文开始"})
_CONTENT_END = frozenset({"zjeg_rss.content.end", "<$[信息内容]>end", "content end", "正文结束"})
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\u00ad\ufeff]")
_SP = "[^\\S\\n]"  # a space other than a line break (also \u3000, \xa0, \u2003)


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent", "depth")

    def __init__(self, tag: str, attrs: dict[str, str], parent: _Node | None = None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []
        self.parent = parent
        self.depth = parent.depth + 1 if parent is not None else 0

    def names(self) -> str:
        return f"{self.attrs.get('id', '')} {self.attrs.get('class', '')}"


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unclosed tags close with their parent, and a start tag closes
    the open elements it implies the end of (a new <p> ends an open <p>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        closes = _CLOSES.get(tag)
        if closes:
            for i in range(len(self.stack) - 1, 0, -1):
                open_tag = self.stack[i].tag
                if open_tag in closes:
                    del self.stack[i:]
                    break
                if open_tag in _SCOPES:
                    break
        node = _Node(tag, {k.lower(): v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k.lower(): v or "" for k, v in attrs}, self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        # content markers of some portals' publishing systems (<!--ZJEG_RSS.content.begin-->):
        # what they enclose becomes an element the container search finds
        marker = data.strip().lower()
        if marker in _CONTENT_BEGIN:
            node = _Node("div", {"class": "marked-content"}, self.stack[-1])
            self.stack[-1].children.append(node)
            self.stack.append(node)
        elif marker in _CONTENT_END:
            for i in range(len(self.stack) - 1, 0, -1):
                if self.stack[i].attrs.get("class") == "marked-content":
                    del self.stack[i:]
                    return


def _hidden(node: _Node) -> bool:
    style = node.attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or "hidden" in node.attrs


class _Page:
    """A parsed page and, for each element, how much Chinese text it holds: in all, inside links,
    and outside links and page furniture (the measure of article text)."""

    def __init__(self, html: str) -> None:
        builder = _TreeBuilder()
        builder.feed(html)
        builder.close()
        self.root = builder.root
        self.sizes: dict[int, tuple[int, int, int, int]] = {}  # id → (cjk, in links, clean, links)
        self.furniture: set[int] = set()
        self.meta_blocks: dict[int, frozenset[str]] = {}  # id → the labels of a 政府信息公开 block
        self._title_slot = False
        self._joined: set[int] = set()
        self._measure(self.root, False)

    def _measure(self, node: _Node, in_link: bool) -> tuple[int, int, int, int, int]:
        """(Chinese characters, of them in links, outside links and furniture, links, labels)."""
        if node.tag in _DROP or _hidden(node):
            self.sizes[id(node)] = (0, 0, 0, 0)
            return 0, 0, 0, 0, 0
        link = in_link or node.tag == "a"
        total = linked = clean = links = labels = 0
        for child in node.children:
            if isinstance(child, str):
                k = len(_CJK.findall(child))
                total += k
                if link:
                    linked += k
                else:
                    clean += k
                if k >= 2:
                    labels += len(_bare_label_rx().findall(re.sub(r"\s+", "", child)))
            else:
                t, li, c, n, la = self._measure(child, link)
                total, linked, clean, links, labels = total + t, linked + li, clean + c, links + n, labels + la
        if node.tag == "a":
            links += 1
        if self._is_furniture(node, total, linked, links):
            self.furniture.add(id(node))
            clean = 0
        elif node.tag in _META_BLOCK_TAGS and labels >= 2 and 6 <= total < 600:
            found = _block_labels(node)
            if found:
                self.meta_blocks[id(node)] = found
                clean = 0
        self.sizes[id(node)] = (total, linked, clean, links)
        return total, linked, clean, links, labels

    @staticmethod
    def _is_furniture(node: _Node, total: int, linked: int, links: int) -> bool:
        """Share bars, breadcrumbs, tools, footers (by id/class, when they hold little text), and
        lists of links (related articles, columns)."""
        if total - linked < 150 and any(_furniture_rx().search(t) for t in node.names().split()):
            return True
        return node.tag in ("ul", "ol", "div", "table", "dl") and links >= 3 and linked >= 0.8 * total

    def clean(self, node: _Node) -> int:
        return self.sizes[id(node)][2]

    def nodes(self, *, everything: bool = False) -> list[_Node]:
        """Elements in document order; below dropped elements (head, scripts …) too if ``everything``."""
        out: list[_Node] = []
        stack: list[_Node] = [self.root]
        while stack:
            node = stack.pop()
            out.append(node)
            if everything or node.tag not in _DROP:
                stack.extend(c for c in reversed(node.children) if isinstance(c, _Node))
        return out

    def render(self, node: _Node, *, skip: _Node | None = None, furniture: bool = False) -> str:
        out: list[str] = []
        self._title_slot = not furniture  # the first block of text may be a title broken by <br>
        self._joined = set()  # blocks whose line went into a title (``_title_run``)
        self._text(node, out, skip, furniture, top=node)
        return "".join(out)

    def _text(self, node: _Node, out: list[str], skip: _Node | None, furniture: bool, top: _Node) -> None:
        if node is skip or node.tag in _DROP or _hidden(node):
            return
        if not furniture and node is not top and (id(node) in self.furniture or id(node) in self.meta_blocks):
            return
        if id(node) in self._joined:
            return  # a line of a title already written
        if not furniture and (node.tag in _HEADINGS or (self._title_slot and node.tag in _BLOCK
                                                          and not self._holds_blocks(node))):
            joined = self._broken_title(node)
            if node.tag not in _HEADINGS and _CJK.search(self.render_lines(node)):
                self._title_slot = False  # only the first block of text
                joined = joined or self._title_run(node)
            if joined:
                out.append(f"{_NEWLINE}{joined}{_NEWLINE}")
                return
        block = node.tag in _BLOCK
        # rendering everything (for the metadata block): inline cells (<span>发布机构</span><span>…)
        # kept apart
        end = _NEWLINE if block else " " if furniture and node.tag in _INLINE_CELLS else ""
        out.append(end)
        for child in node.children:
            if isinstance(child, str):
                out.append(child)
            else:
                self._text(child, out, skip, furniture, top)
        out.append(end)

    def _holds_blocks(self, node: _Node) -> bool:
        """Whether ``node`` holds block elements other than line breaks."""
        return any(isinstance(c, _Node) and ((c.tag in _BLOCK and c.tag != "br") or self._holds_blocks(c))
                   for c in node.children)

    def render_lines(self, node: _Node) -> str:
        out: list[str] = []
        self._text_lines(node, out)
        return "".join(out)

    def _broken_title(self, node: _Node) -> str | None:
        """A title broken over lines (XX省人民政府<br>关于印发…<br>方案的通知), in a heading or
        the first block of text, as one line; None when it is not one (a line holds a number, a
        date or a sentence's punctuation, or the whole reads as no title)."""
        from policykg.loaders import dates, docnumber

        lines = [line for line in _tidy(self.render_lines(node)).split("\n") if line]
        if not 2 <= len(lines) <= 4 or any(len(line) > 40 or re.search("[。；;：:！？?]", line) for line in lines):
            return None
        if any(docnumber.find_all(line) or dates.find_dates(line) for line in lines):
            return None
        joined = "".join(_unspaced(line) for line in lines)
        return joined if len(joined) <= 120 and _titleish(joined) else None

    def _title_run(self, node: _Node) -> str | None:
        """A title printed one short line a paragraph, ``node`` and the paragraphs right after it
        with the same tag and formatting (国务院关于同意… / 高新技术产业开发区建设 / …的批复), as
        one line: the last line ends with a document type, the first does not, and no line holds
        a number, a date, a sentence's punctuation or a letterhead (…文件). The paragraphs taken
        are not rendered again."""
        from policykg.loaders import dates, docnumber, meta

        if node.parent is None:
            return None
        siblings = node.parent.children
        run = [node]
        for nxt in siblings[siblings.index(node) + 1:]:
            if isinstance(nxt, str):
                if nxt.strip():
                    break
                continue
            if (nxt.tag != node.tag or nxt.attrs != node.attrs or self._holds_blocks(nxt)
                    or not _CJK.search(self.render_lines(nxt)) or len(run) == 4):
                break
            run.append(nxt)
        if len(run) < 2:
            return None
        lines = [_unspaced(_tidy(self.render_lines(n)).replace("\n", "")) for n in run]
        suffixes = meta.doctype_suffixes()
        if (any(len(line) > 40 or re.search("[。；;：:！？?]", line) or line.endswith("文件")
                or docnumber.find_all(line) or dates.find_dates(line) for line in lines)
                or lines[0].endswith(suffixes)):
            return None
        for end in range(1, len(lines)):
            if lines[end].endswith(suffixes):
                self._joined.update(id(n) for n in run[1:end + 1])
                return "".join(lines[:end + 1])
        return None

    def _text_lines(self, node: _Node, out: list[str]) -> None:
        """The text of ``node``, block elements ending lines (furniture not left out)."""
        for child in node.children:
            if isinstance(child, str):
                out.append(child)
            elif child.tag not in _DROP and not _hidden(child):
                if child.tag in _BLOCK:
                    out.append(_NEWLINE)
                self._text_lines(child, out)
                if child.tag in _BLOCK:
                    out.append(_NEWLINE)


_HEADINGS = frozenset({"h1", "h2", "h3"})
_INLINE_CELLS = frozenset({"span", "label", "b", "strong", "em", "font", "i"})
_META_BLOCK_TAGS = frozenset({"table", "tbody", "dl", "div", "ul", "section", "p", "tr", "li", "span"})


def _lines(node: _Node) -> list[str]:
    """The text of ``node`` as lines (block elements end lines), whitespace squeezed out."""
    out: list[str] = []
    stack: list[_Node | str] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif item.tag not in _DROP and not _hidden(item):
            if item.tag in _BLOCK:
                stack.append(_NEWLINE)
                out.append(_NEWLINE)
            stack.extend(reversed(item.children))
    return [squeezed for line in "".join(out).split("\n") if (squeezed := re.sub(r"\s+", "", line))]


def _block_labels(node: _Node) -> frozenset[str]:
    """The labels of a 政府信息公开 block, when ``node`` is one: three labels (two in a short
    element), one of them distinctive, and label lines make up a good part of its lines (an
    article that also holds the block is not one)."""
    lines = _lines(node)
    rx = _bare_label_rx()
    labels = frozenset(label.lstrip("[【［") for line in lines for label in rx.findall(line))
    if not (len(labels) >= 3 or (len(labels) == 2 and len(lines) <= 4)) or not labels & _strong_labels():
        return frozenset()
    labelled = sum(1 for line in lines if rx.match(line))
    return labels if labelled >= 0.4 * len(lines) else frozenset()


def _inside(inner: _Node, outer: _Node) -> bool:
    node: _Node | None = inner
    while node is not None:
        if node is outer:
            return True
        node = node.parent
    return False


def _tidy(text: str) -> str:
    lines = []
    for line in _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = re.sub(r"[ \t\xa0]+", " ", line).strip()
        lines.append(line)
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """The text of a saved web page (see ``read_page``)."""
    return read_page(html)[0]


def page_metadata(html: str) -> dict[str, str]:
    """What a saved web page states about its notice (see ``read_page``)."""
    return read_page(html)[1]


def read_page(html: str) -> tuple[str, dict[str, str]]:
    """A saved web page → (the notice's text, the facts the page states about it).

    The text is the main content container's: of the elements whose id or class says
    content/article/zoom/TRS_Editor …, the one with the most Chinese text outside links and page
    furniture, narrowed to the innermost element holding at least 60 % of that text (a page-wide
    wrapper gives way to the article inside it); without one, the innermost block holding 60 % of
    the body's text. The narrowing stops short of leaving out the notice's own head (its
    addressee line, its number on a line of its own: a cover notice before its attachment).
    Scripts, styles, navigation, headers, footers, forms, share bars, breadcrumbs, lists of
    links and the 政府信息公开 block (its facts are the metadata) are dropped; block elements
    end lines (but a title broken over lines is one line: by <br> in a heading or in the first
    block of text, one short line a paragraph in same-formatted paragraphs at the top, or as
    the page states it or heads itself with it); entities unescaped; zero-width characters
    removed. The page's title element (an h1 or a title-classed block reading as a document
    title), else the stated title, else og:title or <title> without the site's name
    (``title_from_head``), is put in front when the content does not start with it.

    The facts (``SourceText.metadata``) come from the 政府信息公开 block (``block_fields``) and
    the meta tags of Chinese government sites (``ArticleTitle``, ``PubDate``, ``ContentSource``,
    ``Url``; any case); a stated title the page's heading completes (its issuer in front) is
    taken from the heading; a stated title loses an order-number mark before it (【第31号令】)
    and an outer 《》. og:title and <title> are not stated facts: they only head the text.
    """
    try:
        return _read_page(html)
    except RecursionError:  # pathologically nested markup: the text without its tags
        text = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", "\n", html)
        return _tidy(unescape(text)), {}


def _read_page(html: str) -> tuple[str, dict[str, str]]:
    page = _Page(html)
    nodes = page.nodes()
    body = next((n for n in nodes if n.tag == "body"), page.root)
    best = _container(page, nodes, body)
    fields = block_fields("\n".join((
        _tidy(page.render(body, skip=best, furniture=True)) if best is not body else "",
        "\n".join(_tidy(page.render(best, furniture=True)).split("\n")[:40]),
    )))
    metadata, weak_title, names = _stated(page, html, fields)
    content = page.render(body if best is body else best)
    if best is not body:
        content += "".join(f"\n{page.render(n)}" for n in _signature_after(page, best))
    heading = _heading(page, nodes, best) if best is not body else None
    if heading and _squeeze(heading) in names:  # the site's or the column's name
        heading = None
    heading = heading or metadata.get("title") or weak_title
    stated = metadata.get("title")
    if stated and heading and len(heading) > len(stated) and _squeeze(heading).endswith(_squeeze(stated)):
        metadata["title"] = heading  # the page's heading is the full title (with its issuer)
    content = _tidy(content)
    if heading:
        content = _join_title_lines(content, heading)
    if heading and _squeeze(heading) not in _squeeze(content[:400]):
        content = f"{heading}\n{content}"
    return content, metadata


def _join_title_lines(text: str, title: str) -> str:
    """``text`` with the title the page states or heads itself with, when its first lines
    print it broken over two to four lines (one paragraph a line), as one line."""
    want = _squeeze(_unspaced(title))
    lines = text.split("\n")
    for start in range(min(8, len(lines))):
        joined = ""
        for end in range(start, min(start + 4, len(lines))):
            joined += _squeeze(_unspaced(lines[end]))
            if not want.startswith(joined):
                break
            if joined == want and end > start:
                return "\n".join([*lines[:start], title, *lines[end + 1:]])
    return text


_SIGNATURE_END = re.compile(r"(?:政府|办公室|办公厅|委员会|委|局|厅|部|署|院|中心|办|会|所|处|站)$")


def _signature_after(page: _Page, container: _Node) -> list[_Node]:
    """The elements right after the content container that hold its signature: short lines of
    an organ's name or a date (a page that sets the signature apart from the body)."""
    from policykg.loaders import dates

    anchor = container
    for _ in range(2):  # after the container, else after its parent when nothing else follows it
        parent = anchor.parent
        if parent is None:
            return []
        siblings = [c for c in parent.children if isinstance(c, _Node)]
        out: list[_Node] = []
        for n in siblings[siblings.index(anchor) + 1:]:
            if id(n) in page.furniture or id(n) in page.meta_blocks or n.tag in _DROP or _hidden(n):
                continue
            text = _tidy(page.render(n))
            if not text:
                continue
            lines = text.split("\n")
            if len(lines) > 4 or any(len(_CJK.findall(line)) > 40 for line in lines) or not all(
                    dates.find_dates(line) or _SIGNATURE_END.search(line) for line in lines):
                return out
            out.append(n)
        if out:
            return out
        anchor = parent
    return []


def _container(page: _Page, nodes: list[_Node], body: _Node) -> _Node:
    container_re = _container_rx()
    named = [n for n in nodes if n.tag in _CONTAINER_TAGS and id(n) not in page.furniture
             and container_re.search(n.names())]
    best = max(named, key=page.clean, default=None)
    if best is None or page.clean(best) < 20:
        best, candidates = body, [n for n in nodes if n.tag in _CONTAINER_TAGS and id(n) not in page.furniture]
    else:
        candidates = named
    floor = 0.6 * page.clean(best)
    inner = best
    for n in candidates:
        if n.depth > inner.depth and page.clean(n) >= floor and _inside(n, best):
            inner = n
    while inner is not best and inner.parent is not None and _leaves_head(page, best, inner):
        inner = inner.parent  # a cover notice before its attachment: keep them together
    return inner


def _leaves_head(page: _Page, outer: _Node, inner: _Node) -> bool:
    """Whether the text of ``outer`` outside ``inner`` holds a line only the notice itself
    writes (its addressee line, its 发文字号 on a line of its own: ``notice_head`` in
    ``data/page_fields.json``)."""
    head = _notice_head_rx()
    return any(head.match(_squeeze(line)) for line in _tidy(page.render(outer, skip=inner)).split("\n"))


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


_TITLE_CLASS = re.compile(r"(?i)title|biaoti|^bt$|_bt\b|tit\b")


def _heading(page: _Page, nodes: list[_Node], container: _Node) -> str | None:
    """The page's title element outside the content container (an h1, a title-classed block, an
    h2) that reads as a document title."""
    outside = [n for n in nodes if not _inside(n, container) and not _inside(container, n)
               and id(n) not in page.furniture]
    for want in ("h1", "classed", "h2"):
        for n in outside:
            classed = n.tag in ("div", "td", "p", "span", "h3", "h4", "strong", "font") and _TITLE_CLASS.search(n.names())
            if (want == "classed" and classed) or n.tag == want:
                text = _tidy(page.render(n))
                if text.count("\n") <= 2 and len(text) <= 120:  # a title broken over lines
                    text = _unspaced(text.replace("\n", ""))
                    if _titleish(text):
                        return text
    return None


_SPACED = re.compile(f"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?:{_SP}+[\u4e00-\u9fff])+(?![\u4e00-\u9fff])")


def _unspaced(text: str) -> str:
    """``text`` without the spaces of letter-spaced names (国 务 院, 通　知); spaces between
    words kept (市财政局 市教育局)."""
    return _SPACED.sub(lambda m: re.sub(f"{_SP}+", "", m.group()), text.strip())


# ---------------------------------------------------------------- stated metadata


@cache
def _page_data() -> dict:
    with resources.files("policykg.loaders").joinpath("data", "page_fields.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _furniture_rx() -> re.Pattern[str]:
    return re.compile(_page_data()["furniture"]["regex"])


@cache
def _label_rx() -> tuple[re.Pattern[str], dict[str, str | None]]:
    entries = sorted(_page_data()["labels"], key=lambda e: -len(e["label"]))
    alts = "|".join(f"{_SP}*".join(map(re.escape, e["label"])) for e in entries)
    # a label opens its line (a colon optional: a table cell) or follows a space or a bar and
    # ends with a colon (several labels on one line); it may be bracketed: 【发文字号】, [标题]
    rx = re.compile(f"(?:^|(?<=[\\s|｜]))[\\[【［]?{_SP}*(?P<label>{alts}){_SP}*(?:[\\]】］]{_SP}*[:：]?|[:：]|$)"
                    f"|^(?P<alone>{alts}){_SP}*$")
    return rx, {e["label"]: e["field"] for e in entries}


@cache
def _title_prefix_rx() -> re.Pattern[str]:
    return re.compile(_page_data()["title_prefix"]["regex"])


@cache
def _notice_head_rx() -> re.Pattern[str]:
    return re.compile(_page_data()["notice_head"]["regex"])


@cache
def _spaced_label_rx() -> re.Pattern[str]:
    """A label opening a line without a colon, a space before its value (发布机构 XX市人民政府)."""
    labels = sorted((e["label"] for e in _page_data()["labels"]), key=len, reverse=True)
    alts = "|".join(f"{_SP}*".join(map(re.escape, label)) for label in labels)
    return re.compile(f"^(?P<spaced>{alts}){_SP}+(?=\\S)")


@cache
def _bare_label_rx() -> re.Pattern[str]:
    labels = sorted((e["label"] for e in _page_data()["labels"]), key=len, reverse=True)
    return re.compile("[\\[【［]?(?:" + "|".join(map(re.escape, labels)) + ")")


@cache
def _strong_labels() -> frozenset[str]:
    return frozenset(_page_data()["strong_labels"])


def _label_line(line: str) -> list[re.Match[str]]:
    rx, _ = _label_rx()
    found = list(rx.finditer(line))
    if found and found[0].start() == 0:
        return found
    if "：" not in line and ":" not in line and (m := _spaced_label_rx().match(line)):
        return [m]
    return []


def block_fields(text: str) -> dict[str, str]:
    """The fields of a 政府信息公开 block in ``text`` (lines of a rendered page): field → value.

    A line opening with a label (索引号, 发文字号, 标　　题 … in ``data/page_fields.json``) holds
    one or more ``label：value`` pairs; a label alone on its line (a table cell) takes the next
    line. Consecutive label lines form a block; a block counts when it has two labels, one of
    them distinctive (索引号, 发文字号, 成文日期 …); a block printed twice gives its values once,
    the first one found winning. Dates and numbers keep only the date or number."""
    _, field_of = _label_rx()
    strong = {_squeeze(s) for s in _page_data()["strong_labels"]}
    lines = [line.strip() for line in text.split("\n")]
    blocks: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        found = _label_line(lines[i])
        if not found:
            if current:
                blocks.append(current)
                current = []
            i += 1
            continue
        line = lines[i]
        for j, m in enumerate(found):
            end = found[j + 1].start() if j + 1 < len(found) else len(line)
            value = line[m.end():end].strip()
            if not value and j == len(found) - 1 and i + 1 < len(lines) and not _label_line(lines[i + 1]):
                i += 1
                value = lines[i]
            current.append((_squeeze(next(g for g in m.groups() if g)), value))
        i += 1
    if current:
        blocks.append(current)
    out: dict[str, str] = {}
    for block in blocks:
        labels = {label for label, _ in block}
        if len(labels) < 2 or not labels & strong:
            continue
        for label, value in block:
            field = field_of.get(label)
            value = _field_value(field, value) if field else ""
            if field and value and field not in out:
                out[field] = value
    return out


def _field_value(field: str, value: str) -> str:
    from policykg.loaders import dates, docnumber

    value = value.strip()
    if field in ("date", "published"):
        found = dates.find_dates(value)
        return value[found[0][1][0]:found[0][1][1]] if found else ""
    if field == "number":
        numbers = docnumber.find_all(value)
        return numbers[0].surface if numbers else ""
    if field == "title":
        value = _without_number(_title_prefix_rx().sub("", value), docnumber.find_all(value))
        if value.startswith("《") and value.endswith("》") and value.find("》") == len(value) - 1:
            value = value[1:-1]  # an outer 《》 around the whole title
    if field in ("title", "issuer", "publisher"):
        value = _unspaced(value)
    if field in ("issuer", "publisher"):
        parts = re.split(f"{_SP}+", value)
        if len(parts) > 1 and all(len(_CJK.findall(p)) >= 4 for p in parts):
            value = "、".join(parts)  # names side by side: 省发展改革委 省财政厅
        return value if len(_CJK.findall(value)) >= 2 else ""
    return value


def _without_number(title: str, numbers: list) -> str:
    """A stated title without the document number some sites print before or after it
    (…的通知（粤府办〔2031〕41号）, 国发〔2031〕5号 国务院关于…)."""
    for n in numbers:
        surface = n.surface
        bare = title.strip().rstrip(")）]】 \u3000").lstrip("(（[【 \u3000")
        if bare.endswith(surface) and len(bare) > len(surface) + 4:
            title = re.sub(f"{_SP}*[(（\\[【]?{_SP}*{re.escape(surface)}{_SP}*[)）\\]】]?{_SP}*$", "", title.strip())
        elif bare.startswith(surface) and len(bare) > len(surface) + 4:
            title = re.sub(f"^{_SP}*[(（\\[【]?{_SP}*{re.escape(surface)}{_SP}*[)）\\]】]?{_SP}*", "", title.strip())
    return title


def _titleish(text: str) -> bool:
    """Whether ``text`` reads as a document's title: Chinese, ending with a document type
    (通知, 实施意见, 办法 …) before any bracketed part, and no breadcrumb or site name."""
    from policykg.loaders import meta

    t = _squeeze(text)
    if len(_CJK.findall(t)) < 6 or re.search(r"[>＞»›]|首页|当前位置|您的位置", t):
        return False
    t = re.sub(r"^[\[【［〔(（][^\]】］〕)）]{1,6}[\]】］〕)）]", "", t)  # a validity prefix
    t = re.sub(r"(?:[(（][^()（）]*[)）])+$", "", t)
    return t.endswith(meta.doctype_suffixes()) or "关于" in t


def title_from_head(title: str) -> str | None:
    """The notice's title in a page's <title>, without the site's name joined to it
    (``关于…_XX市人民政府``, ``XX市人民政府 - 关于…``); None when no part reads as a title."""
    parts = [p.strip() for p in re.split(_page_data()["title_separators"], _tidy(title).replace("\n", " "))]
    titles = [p for p in parts if _titleish(p)]
    return max(titles, key=len) if titles else None


_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)


def _stated(page: _Page, html: str, fields: dict[str, str]) -> tuple[dict[str, str], str | None, set[str]]:
    """The page's metadata (the block's fields, then its meta tags), a weak title (og:title,
    <title>) that only puts a heading in front of the text, for extraction to weigh, and the
    site's and column's names (SiteName, ColumnName), which are no title."""
    data = _page_data()
    tags: dict[str, str] = {}
    head_title = None
    for n in page.nodes(everything=True):
        if n.tag == "meta":
            name = (n.attrs.get("name") or n.attrs.get("property") or "").strip().lower()
            key = data["meta_tags"].get(name)
            content = _tidy(n.attrs.get("content", "")).replace("\n", " ")
            if key and content and key not in tags:
                tags[key] = content
        elif n.tag == "link" and "canonical" in n.attrs.get("rel", "").lower() and n.attrs.get("href"):
            tags.setdefault("url", n.attrs["href"].strip())
        elif n.tag == "title" and head_title is None:
            head_title = "".join(c for c in n.children if isinstance(c, str))
    out = dict(fields)
    weak = None
    names = {_squeeze(tags.get("site", "")), _squeeze(tags.get("column", ""))}
    if "title" not in out:
        title = _field_value("title", tags.get("title", ""))
        if len(_CJK.findall(title)) >= 6 and _squeeze(title) not in names and not re.search("[>＞»›]", title):
            out["title"] = title
        else:
            for w in (tags.get("weak_title"), head_title):
                t = title_from_head(w) if w else None
                if t and _squeeze(t) not in names:
                    weak = t
                    break
    published = tags.get("published")
    if "published" not in out and published:
        from policykg.loaders import dates

        found = dates.find_dates(published)
        if found:
            out["published"] = published[found[0][1][0]:found[0][1][1]]
    publisher = tags.get("publisher")
    if ("publisher" not in out and publisher and len(_CJK.findall(publisher)) >= 3 and _squeeze(publisher) not in names
            and not any(w in publisher for w in data["not_publisher"])):
        out["publisher"] = publisher
    saved = _SAVED_FROM.search(html[:4096])
    url = tags.get("url") or (saved.group(1) if saved else None)
    if url and url.startswith(("http://", "https://")):
        out["url"] = url
    return out, weak, names - {""}


@cache
def _noise_data() -> dict:
    with resources.files("policykg.loaders").joinpath("data", "noise.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _container_rx() -> re.Pattern[str]:
    return re.compile(_noise_data()["content_containers"]["regex"])


# ---------------------------------------------------------------- noise


@cache
def noise_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(name, compiled regex) of every noise pattern in ``data/noise.json``."""
    return tuple((p["name"], re.compile(p["regex"])) for p in _noise_data()["patterns"])


def noise_kind(line: str) -> str | None:
    """The name of the noise pattern the whole of ``line`` matches, or None for a real line."""
    s = line.strip()
    if not s:
        return None
    for name, pattern in noise_patterns():
        if pattern.fullmatch(s):
            return name
    return None


@cache
def _any_noise() -> re.Pattern[str]:
    """Every noise pattern as one (a line is noise when it matches any of them whole)."""
    return re.compile("|".join(f"(?:{rx.pattern})" for _, rx in noise_patterns()))


def strip_noise(text: str) -> str:
    """``text`` without lines of web-page furniture (footers, comment boxes, QR-code captions,
    page tools, links to other articles); other lines are kept as written."""
    noise = _any_noise()
    kept = [line.rstrip() for line in text.split("\n") if not ((s := line.strip()) and noise.fullmatch(s))]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")


# ---------------------------------------------------------------- reading


def _is_html(data: bytes, name: str) -> bool:
    if name.lower().endswith((".htm", ".html", ".shtml", ".xhtml")):
        return True
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe")
    return bool(_HTML_START.search(head) or _HTML_ANY.search(head))


def _mhtml_page(data: bytes) -> bytes | None:
    """The HTML part of a web archive (MIME multipart/related, as browsers save .mht/.mhtml),
    its transfer encoding undone, or None for anything else."""
    head = data[:2048].lower()
    if b"mime-version:" not in head or b"multipart/related" not in head:
        return None
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                return None
            charset = part.get_content_charset()
            if charset and not _META_CHARSET.search(payload[:16384]):  # the part's charset, for decode()
                payload = f'<meta charset="{charset}">'.encode("ascii", "ignore") + payload
            return payload
    return None


def read_bytes(data: bytes, name: str = "") -> SourceText:
    """Decode, convert a saved web page to text (and read what it states about itself: its
    ``metadata``), drop page noise. A page saved as a web archive (.mht, .mhtml) is read from
    its HTML part. A PDF or .docx (by the suffix of ``name``) is read through :mod:`formats`;
    .doc and .wps raise ``ReadError``."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in formats.UNSUPPORTED:
        raise ReadError(formats.UNSUPPORTED[suffix])
    if suffix == ".pdf":
        return SourceText(strip_noise(formats.pdf_text(data)), "", "pdf")  # no character encoding to report
    if suffix == ".docx":
        return SourceText(strip_noise(formats.docx_text(data)), "", "docx")
    archived = _mhtml_page(data)
    if archived is not None:
        data, name = archived, "page.html"
    text, encoding, bad = decode_damaged(data)
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    fmt = "text"
    metadata: dict[str, str] = {}
    probe = text[:4096].encode("utf-8", "ignore")
    if _is_html(probe, name):
        fmt = "html"
        text, metadata = read_page(text)
    text = strip_noise(text)
    if not text.strip():
        raise ReadError("no text (only markup or page furniture)")
    return SourceText(text, encoding, fmt, metadata, bad)


def read_path(path: str | os.PathLike[str]) -> SourceText:
    """Read a file from disk (see ``read_bytes``)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read {p}: {exc.strerror or exc}") from exc
    return read_bytes(data, p.name)
