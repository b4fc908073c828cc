"""Document formats other than plain text and saved pages: which suffixes load, and the text of
PDF (its text layer, through pypdf) and Word .docx (its document XML, read with the standard
library). Formats that cannot be read directly (.doc, .wps, scanned PDFs) raise ``ReadError``
saying what to do.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree

from policykg.errors import ReadError

__all__ = ["DOCUMENT_SUFFIXES", "TEXT_SUFFIXES", "UNSUPPORTED", "docx_text", "pdf_text"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst", ".htm", ".html", ".shtml", ".xhtml"})
DOCUMENT_SUFFIXES = frozenset({".pdf", ".docx"})
# formats that are recognised but need converting first: suffix → what to do
UNSUPPORTED = {
    ".doc": "a legacy Word .doc file: convert it to .docx first, e.g. libreoffice --headless --convert-to docx FILE",
    ".wps": "a WPS Writer .wps file: convert it to .docx first, e.g. libreoffice --headless --convert-to docx FILE "
            "(or save as .docx from WPS)",
}
NO_TEXT_LAYER = "no text layer (a scanned PDF?): run OCR first, e.g. ocrmypdf -l chi_sim FILE OUT.pdf"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# spaces a PDF's layout puts between Chinese characters and punctuation (关 于 印 发 → 关于印发);
# a space next to a Latin letter or a digit is kept
_CJK = "\u3400-\u9fff\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\u2018-\u201d"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page by page. Raises ``ReadError`` for an encrypted or broken
    PDF, and for one without text (a scan: run OCR first)."""
    import pypdf
    from pypdf.errors import PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("an encrypted PDF: remove its password first, e.g. qpdf --decrypt IN.pdf OUT.pdf")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ReadError(f"cannot read the PDF: {type(exc).__name__}: {exc}") from exc
    text = _CJK_GAP.sub("", "\n".join(p.strip("\n") for p in pages))
    if len(re.sub(r"\s", "", text)) < 10:
        raise ReadError(NO_TEXT_LAYER)
    return text


def docx_text(data: bytes) -> str:
    """The text of a Word .docx file: its paragraphs in order, table cells one per line, line
    breaks and tabs kept; headers, footers and comments left out."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ReadError(f"not a Word .docx file ({exc})") from exc
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise ReadError(f"cannot read the .docx document: {exc}") from exc
    lines: list[str] = []
    for para in root.iter(f"{_W}p"):
        parts: list[str] = []
        for el in para.iter():
            if el.tag == f"{_W}t" and el.text:
                parts.append(el.text)
            elif el.tag == f"{_W}tab":
                parts.append("\t")
            elif el.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        lines.append("".join(parts))
    text = "\n".join(lines).strip()
    if not text:
        raise ReadError("an empty .docx file (no text)")
    return text
