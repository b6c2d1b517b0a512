"""Text normalisation shared by every stage: NFC at the door, folding for matching."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Composed Unicode: Vietnamese arrives both composed and decomposed."""
    return unicodedata.normalize("NFC", text)


def _base_lower(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    decomposed = unicodedata.normalize("NFD", ch)
    base = "".join(c for c in decomposed if unicodedata.category(c) != "Mn") or ch
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


# One output character per input character over Latin letters with diacritics (and ASCII capitals),
# so folding is a single str.translate and offsets carry over.
_FOLD_TABLE = {cp: _base_lower(chr(cp)) for cp in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) +
               list(range(0x1E00, 0x1F00))}


def fold_keep_offsets(text: str) -> str:
    """Diacritic-free lowercase with one output character per input character (offsets carry over)."""
    return text.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """Diacritic-free, lowercase, single-spaced: 'Sở  Thông tin' -> 'so thong tin'."""
    if not unicodedata.is_normalized("NFC", text):
        text = nfc(text)
    folded = text.translate(_FOLD_TABLE).lower()
    return _SPACES.sub(" ", folded).strip()


def slug(text: str) -> str:
    """Readable ASCII key: 'Tiền Giang' -> 'tien-giang'."""
    return _NON_WORD.sub("-", fold(text)).strip("-")
