"""Bytes → clean text: the first stage of every load.

Named steps, each a pure function: ``decode`` (BOM, strict UTF-8, a declared HTML charset,
then detection among Chinese encodings), ``html_to_text`` (a saved web page → the notice's
text), ``strip_noise`` (web-page furniture lines, patterns in ``data/noise.json``).
``read_bytes`` and ``read_path`` chain them. A file that is not text raises ``ReadError``.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

from policykg.errors import ReadError
from policykg.loaders import formats

__all__ = ["SourceText", "decode", "html_to_text", "read_bytes", "read_path", "strip_noise"]


@dataclass(frozen=True)
class SourceText:
    """A source file read as text."""

    text: str  # cleaned plain text, lines kept
    encoding: str  # utf-8, utf-8-sig, gb18030, big5, utf-16 … ("" for PDF and .docx)
    format: str  # "text", "html", "pdf" or "docx"


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


def _declared(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    try:
        return _canonical(m.group(1).decode("ascii"))
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str, str]:
    """``data`` as text and the encoding it was read with.

    Order: a BOM; strict UTF-8; the charset a saved web page declares (GB2312/GBK read as
    GB18030), if it decodes cleanly; UTF-16 without BOM; then detection (charset-normalizer)
    among GB18030, Big5 and UTF-16. Raises ``ReadError`` for empty, binary or undecodable data.
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
            return text.lstrip("\ufeff"), enc
    if b"\x00" in data:
        found = _utf16_without_bom(data)
        if found:
            return found
        raise ReadError("binary file (NUL bytes / not text)")
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    declared = _declared(data) if _HTML_ANY.search(data[:4096]) else None
    if declared and declared != "utf-8":
        text = _strict(data, declared)
        if text is not None and _plausible(text):
            return text, declared
    return _detect(data)


def _detect(data: bytes) -> tuple[str, str]:
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None:
        enc = _canonical(best.encoding)
        text = _strict(data, enc)
        if text is not None and _plausible(text) and _CJK.search(text):
            return text, enc
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
_NEWLINE = "\n"


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: unclosed tags close with their parent."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _text(node: _Node, out: list[str]) -> None:
    if node.tag in _DROP or _hidden(node):
        return
    block = node.tag in _BLOCK
    if block:
        out.append(_NEWLINE)
    for child in node.children:
        if isinstance(child, str):
            out.append(child)
        else:
            _text(child, out)
    if block:
        out.append(_NEWLINE)


def _hidden(node: _Node) -> bool:
    style = node.attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style or "hidden" in node.attrs


def _walk(node: _Node):  # noqa: ANN202 - a generator of nodes
    yield node
    if node.tag in _DROP:
        return
    for child in node.children:
        if isinstance(child, _Node):
            yield from _walk(child)


def _render(node: _Node) -> str:
    out: list[str] = []
    _text(node, out)
    return "".join(out)


def _cjk_count(node: _Node) -> int:
    return len(_CJK.findall(_render(node)))


def _tidy(text: str) -> str:
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = re.sub(r"[ \t\xa0\u200b]+", " ", line).strip()
        lines.append(line)
    return "\n".join(line for line in lines if line)


def html_to_text(html: str) -> str:
    """The text of a saved web page: the main content container (an element whose id or class
    says content/article/zoom/TRS_Editor … with the most Chinese text) or else the body;
    scripts, styles, navigation, headers, footers and forms dropped; block elements end lines;
    entities unescaped. A page metadata table (索引号, 发文字号 …) outside the container is kept
    in front of it."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    root = builder.root
    nodes = list(_walk(root))
    body = next((n for n in nodes if n.tag == "body"), root)
    container_re, labels = _html_rules()
    best, best_count = None, 0
    for n in nodes:
        if n.tag in ("div", "td", "article", "section", "main", "span", "font") and container_re.search(
            " ".join((n.attrs.get("id", ""), n.attrs.get("class", "")))
        ):
            count = _cjk_count(n)
            if count > best_count:
                best, best_count = n, count
    if best is None or best_count < 20:
        return _tidy(_render(body))
    outside = [n for n in nodes if not _contains(best, n) and not _contains(n, best)]
    parts = []
    for n in outside:
        if n.tag == "table":
            text = _render(n)
            if sum(label in text for label in labels) >= 2:
                parts.append(text)
                break
    heading = _heading(outside, best)
    if heading and heading not in _render(best)[:300]:
        parts.append(heading)
    parts.append(_render(best))
    return _tidy("\n".join(parts))


_TITLE_CLASS = re.compile(r"(?i)title|biaoti|^bt$|_bt\b")


def _heading(outside: list[_Node], container: _Node) -> str | None:
    """The page's title element outside the content container (an h1, or a title-classed
    block), if it carries Chinese text."""
    for want in ("h1", "classed", "h2"):
        for n in outside:
            if n.tag == "title":
                continue
            classed = n.tag in ("div", "td", "p", "span", "h3") and _TITLE_CLASS.search(
                " ".join((n.attrs.get("id", ""), n.attrs.get("class", ""))))
            if (want == "classed" and classed) or n.tag == want:
                text = _tidy(_render(n))
                if len(_CJK.findall(text)) >= 6 and "\n" not in text:
                    return text
    return None


def _contains(outer: _Node, inner: _Node) -> bool:
    return any(n is inner for n in _walk(outer))


@cache
def _noise_data() -> dict:
    with resources.files("policykg.loaders").joinpath("data", "noise.json").open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _html_rules() -> tuple[re.Pattern[str], tuple[str, ...]]:
    d = _noise_data()
    return re.compile(d["content_containers"]["regex"]), tuple(d["metadata_labels"]["labels"])


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


def read_bytes(data: bytes, name: str = "") -> SourceText:
    """Decode, convert a saved web page to text, drop page noise. A PDF or .docx (by the
    suffix of ``name``) is read through :mod:`formats`; .doc and .wps raise ``ReadError``."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in formats.UNSUPPORTED:
        raise ReadError(formats.UNSUPPORTED[suffix])
    if suffix == ".pdf":
        return SourceText(strip_noise(formats.pdf_text(data)), "", "pdf")  # no character encoding to report
    if suffix == ".docx":
        return SourceText(strip_noise(formats.docx_text(data)), "", "docx")
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    fmt = "text"
    probe = text[:4096].encode("utf-8", "ignore")
    if _is_html(probe, name):
        fmt = "html"
        text = html_to_text(text)
    text = strip_noise(text)
    if not text.strip():
        raise ReadError("no text (only markup or page furniture)")
    return SourceText(text, encoding, fmt)


def read_path(path: str | os.PathLike[str]) -> SourceText:
    """Read a file from disk (see ``read_bytes``)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read {p}: {exc.strerror or exc}") from exc
    return read_bytes(data, p.name)
