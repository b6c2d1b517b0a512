"""Read stage: bytes on disk -> NFC text, whatever the container or encoding.

Tables in HTML/DOCX come out as one line per row with cells joined by " | ", which the
appendix stage reads as a table (the `|`-per-line form copied from web pages also works).
"""
from __future__ import annotations

import codecs
import io
from pathlib import Path

from .errors import LoadError
from .text import nfc

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".docx", ".pdf"}

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 first; UTF-16 by BOM or NUL pattern; else CP1258 (Vietnamese Windows)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(enc, errors="replace"), file)
    sample = data[:4000]
    if b"\x00" in sample:
        even_nuls, odd_nuls = sample[::2].count(0), sample[1::2].count(0)
        if max(even_nuls, odd_nuls) > len(sample) // 8:
            enc = "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"
            return _checked(data.decode(enc, errors="replace"), file)
        raise LoadError(file, "binary content (NUL bytes): not a text document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return _checked(data.decode("cp1258"), file)
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise LoadError(file, f"cannot decode text as UTF-8, UTF-16 or CP1258 ({utf8_error.reason})", line) from utf8_error


def _checked(text: str, file: str) -> str:
    """Reject decodings that are mostly control characters: the file is binary."""
    sample = text[:4000]
    bad = sum(1 for ch in sample if not (ch.isprintable() or ch in "\n\r\t"))
    if sample and bad > len(sample) // 10:
        raise LoadError(file, "binary content: not a text document")
    return text


def _html_to_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "form", "iframe", "header"]):
        tag.decompose()
    for table in soup.find_all("table"):
        rows = []
        for tr in table.find_all("tr"):
            cells = [" ".join(td.get_text(" ").split()) for td in tr.find_all(["td", "th"])]
            if any(cells):
                rows.append(" | ".join(cells))
        table.replace_with(soup.new_string("\n" + "\n".join(rows) + "\n"))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = []
    body = soup.body or soup
    for element in body.find_all(["p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td"]):
        if element.find(["p", "div", "li"]):
            continue
        element.insert_after(soup.new_string("\n"))
    text = body.get_text("")
    for line in text.splitlines():
        line = " ".join(line.split())
        blocks.append(line)
    return "\n".join(blocks)


def _docx_to_text(data: bytes, file: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise LoadError(file, f"not a readable .docx ({exc.__class__.__name__}: {exc})") from exc
    out: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for tr in child.iter():
                if not tr.tag.endswith("}tr"):
                    continue
                cells = []
                for tc in tr.iterchildren():
                    if tc.tag.endswith("}tc"):
                        cells.append(" ".join("".join(n.text or "" for n in tc.iter() if n.tag.endswith("}t")).split()))
                out.append(" | ".join(cells))
    return "\n".join(out)


def _pdf_to_text(data: bytes, file: str) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:
        raise LoadError(file, f"not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise LoadError(file, "PDF has no text layer (scanned image?); OCR it first")
    return text


def read_document(path: str | Path) -> str:
    """Return the document's text, NFC-normalised, with Unix newlines."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(name, f"unsupported file type '{suffix or '(none)'}' (expected {', '.join(sorted(SUPPORTED_SUFFIXES))})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(name, f"cannot read file: {exc.strerror or exc}") from exc
    if suffix == ".docx":
        text = _docx_to_text(data, name)
    elif suffix == ".pdf":
        text = _pdf_to_text(data, name)
    else:
        text = decode_text(data, name)
        if suffix in HTML_SUFFIXES or text.lstrip()[:200].lower().startswith(("<!doctype html", "<html")):
            text = _html_to_text(text)
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise LoadError(name, "document is empty")
    return text
