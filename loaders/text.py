"""Text normalisation shared by every stage: NFC at the door, folding for matching."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Composed Unicode: Vietnamese arrives both composed and decomposed."""
    return unicodedata.normalize("NFC", text)


_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_FOLD_CACHE: dict[int, str] = {}


def _fold_char(ch: str) -> str:
    """One character folded to one character: base letter, lowercase; dashes to '-', spaces to ' '."""
    if ch in _DASHES:
        return "-"
    if ch.isspace():
        return ch if ch == "\n" else " "
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn").lower()
    return base if len(base) == 1 else ch


def fold_keep_offsets(text: str) -> str:
    """Diacritic-free lowercase with one output character per input character, so an offset in
    the folded text is the same offset in `text` (the table grows lazily, one entry per new character)."""
    table = _FOLD_CACHE
    for ch in [c for c in set(text) if ord(c) not in table]:
        table[ord(ch)] = _fold_char(ch)
    return text.translate(table)


def fold(text: str) -> str:
    """Diacritic-free, lowercase, single-spaced: 'Sở  Thông tin' -> 'so thong tin'."""
    if not unicodedata.is_normalized("NFC", text):
        text = nfc(text)
    return _SPACES.sub(" ", fold_keep_offsets(text)).strip()


def slug(text: str) -> str:
    """Readable ASCII key: 'Tiền Giang' -> 'tien-giang'."""
    return _NON_WORD.sub("-", fold(text)).strip("-")
