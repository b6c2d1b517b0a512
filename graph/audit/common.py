"""Helpers shared by the audit checks: word matching, quoting, ids."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable

from loaders.models import ParsedDocument, Section, Span

from .models import squash

# Old/new tone placement ("hoá" / "hóa", "thuỷ" / "thủy"): both sides are mapped the same way.
_TONE = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_RE = re.compile("|".join(_TONE))
_WS = re.compile(r"\s+")

VI_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def norm(text: str | None) -> str:
    """Diacritic-preserving match form: NFC, lowercase, one tone placement, single spaces.

    Diacritics are kept on purpose: "giá" (price) is a domain word, "gia" is not.
    """
    s = unicodedata.normalize("NFC", text or "").lower()
    s = _TONE_RE.sub(lambda m: _TONE[m.group(0)], s)
    return _WS.sub(" ", s).strip()


@lru_cache(maxsize=4096)
def _word_re(word: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(norm(word)).replace(r"\ ", r"\s+") + r"(?!\w)")


def words_in(text_norm: str, words: Iterable[str]) -> list[str]:
    """The `words` (phrases) that occur in `text_norm` (already `norm`ed) as whole words."""
    out: list[str] = []
    for w in words:
        if w and w not in out and _word_re(w).search(text_norm):
            out.append(w)
    return out


def subtree_text(doc: ParsedDocument, sec: Section) -> str:
    """Heading and body of a section with everything under it."""
    text = doc.text[sec.span.start:sec.span.end]
    return text if text.strip() else sec.text


def heading(sec: Section) -> str:
    return squash(sec.title, 90)


def describe(doc: ParsedDocument, path: str) -> str:
    sec = doc.sections.get(path)
    return f"{path} “{heading(sec)}”" if sec is not None and sec.title else path


def sentence_around(doc: ParsedDocument, span: Span, sec: Section | None, limit: int = 240) -> str:
    """The sentence of `sec` that contains `span` (whole clause when short)."""
    if sec is None:
        return squash(doc.text[span.start:span.end], limit)
    lo, hi = sec.head_span.start, max(sec.head_span.end, span.end)
    if not (lo <= span.start <= hi):
        lo, hi = sec.span.start, sec.span.end
    text = doc.text
    start = span.start
    while start > lo and not (text[start - 1] in ".;:" and (start >= len(text) or text[start].isspace())):
        start -= 1
    end = span.end
    while end < hi and text[end] not in ".;":
        end += 1
    if end < hi:
        end += 1
    return squash(text[start:end], limit)


def clause_quote(doc: ParsedDocument, path: str | None, limit: int = 240) -> str:
    sec = doc.sections.get(path or "")
    if sec is None:
        return ""
    return squash(doc.text[sec.head_span.start:sec.head_span.end] or sec.text, limit)


def line_of(doc: ParsedDocument, offset: int) -> int:
    return doc.line_of(offset)


def section_id(doc_id: str, path: str) -> tuple[str, str]:
    return ("Section", f"{doc_id}#{path}")


def missing_id(doc_id: str, path: str) -> tuple[str, str]:
    return ("Missing", f"{doc_id}#missing:{path}")


def document_node(doc_id: str) -> tuple[str, str]:
    return ("Document", doc_id)


def target_ids(doc: ParsedDocument) -> list[str]:
    """Graph ids of doc.targets in order: `<doc_id>#<section>:t<n>` (n per section, from 1)."""
    per: dict[str, int] = {}
    out = []
    for t in doc.targets:
        n = per.get(t.section, 0) + 1
        per[t.section] = n
        out.append(f"{doc.doc_id}#{t.section}:t{n}")
    return out


def agency_label(ref: Any) -> str:
    """'Sở Tài chính (DOF)'."""
    abbr = getattr(ref, "abbr", None)
    name = getattr(ref, "name", None) or getattr(ref, "key", "")
    return f"{name} ({abbr})" if abbr else name


def fmt_num(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def fmt_value(comparator: str, value: float, value_max: float | None, unit: str) -> str:
    u = unit if unit == "%" else f" {unit}"
    if comparator == "range" and value_max is not None:
        return f"{fmt_num(value)}–{fmt_num(value_max)}{u}"
    sym = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": ""}.get(comparator, comparator)
    return f"{sym}{fmt_num(value)}{u}"
