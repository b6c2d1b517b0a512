"""Text normalisation shared by every stage: NFC at the door, folding for matching."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def nfc(text: str) -> str:
    """Composed Unicode: Vietnamese arrives both composed and decomposed."""
    return unicodedata.normalize("NFC", text)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str) -> str:
    """Diacritic-free, lowercase, single-spaced: 'Sở  Thông tin' -> 'so thong tin'."""
    return _SPACES.sub(" ", _strip_marks(text).lower()).strip()


def slug(text: str) -> str:
    """Readable ASCII key: 'Tiền Giang' -> 'tien-giang'."""
    return _NON_WORD.sub("-", fold(text)).strip("-")


def fold_keep_offsets(text: str) -> str:
    """Like `fold` but one output character per input character, so offsets carry over."""
    out = []
    for ch in text:
        base = _strip_marks(ch)
        out.append(base[:1].lower() if base else ch)
    return "".join(out)
