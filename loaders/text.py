"""Text normalisation shared by every stage: NFC at the door, folding for matching."""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from functools import cache

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


def nfc(text: str) -> str:
    """Composed Unicode: Vietnamese arrives both composed and decomposed."""
    return unicodedata.normalize("NFC", text)


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


@cache
def _fold_table() -> list[str]:
    """A `str.translate` table for the whole Basic Multilingual Plane (a list is the fastest
    table `translate` takes), built the first time a text needs it, not at start-up.
    Characters past the plane (emoji, historic scripts) are left as they are."""
    return [_fold_char(chr(code)) for code in range(0x10000)]


# The characters plans are written in (printable ASCII, Vietnamese letters, common
# typography; NUL first, as the codec requires) go through the charmap codec instead:
# each is encoded to one byte and the bytes are decoded through the same table folded.
# That is the translation above with about 5x fewer instructions, since `translate`
# looks every character up as a Python int.
_VIETNAMESE = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_CODEC_CHARS = ("\x00\t\n\x0b\x0c\r" + "".join(map(chr, range(0x20, 0x7f))) + _VIETNAMESE
                + _VIETNAMESE.upper() + "\xa0–—…“”‘’•°·×≤≥±²§→\uf0b7\u200b\ufeff")
_CODEC_ENCODE = codecs.charmap_build(_CODEC_CHARS.ljust(256, "\ufffe"))
_CODEC_DECODE = "".join(map(_fold_char, _CODEC_CHARS)).ljust(256, "\ufffe")


def fold_keep_offsets(text: str) -> str:
    """Diacritic-free lowercase with one output character per input character, so an offset in
    the folded text is the same offset in `text`."""
    try:
        encoded = codecs.charmap_encode(text, "strict", _CODEC_ENCODE)[0]
    except UnicodeEncodeError:           # a character outside the codec's table
        return text.translate(_fold_table())
    return codecs.charmap_decode(encoded, "strict", _CODEC_DECODE)[0]


def fold(text: str) -> str:
    """Diacritic-free, lowercase, single-spaced: 'Sở  Thông tin' -> 'so thong tin'."""
    if not unicodedata.is_normalized("NFC", text):
        text = nfc(text)
    return " ".join(fold_keep_offsets(text).split())     # split() knows the same spaces as \s


def literal_positions(text: str, literals: tuple[str, ...]) -> list[int]:
    """Sorted start of every occurrence of any of `literals`: `str.find` skips through text many
    times faster than a regex alternation of the same words."""
    found: list[int] = []
    for literal in literals:
        pos = text.find(literal)
        while pos >= 0:
            found.append(pos)
            pos = text.find(literal, pos + 1)
    found.sort()
    return found


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """The matches `pattern.finditer(text)` gives, when every match of `pattern` (never empty)
    starts at one of `starts` (sorted): the regex is tried only there, not at every character.
    `match` at a position still sees the text before it, so look-behinds work as in finditer."""
    end = 0
    for pos in starts:
        if pos >= end:          # finditer resumes after the previous match
            m = pattern.match(text, pos)
            if m:
                end = m.end()
                yield m


def slug(text: str) -> str:
    """Readable ASCII key: 'Tiền Giang' -> 'tien-giang'."""
    return _NON_WORD.sub("-", fold(text)).strip("-")


def find_words(text: str, words: list[str], lo: int, hi: int, sep: "re.Pattern[str]" = _SPACES,
               phrase: str | None = None) -> tuple[int, int] | None:
    """The leftmost run of `words` (no whitespace in them) in text[lo:hi], separated by runs
    of `sep`: what a regex of the escaped words joined by `sep` finds, without compiling a
    regex per quote. A word must not start with a character `sep` matches (the runs are
    then taken whole, as the regex would). `phrase`, the words as written with their own
    whitespace, settles a candidate at once where it occurs verbatim."""
    first = words[0]
    i = text.find(first, lo, hi)
    while i >= 0:
        if phrase is not None and text.startswith(phrase, i, hi):
            return i, i + len(phrase)
        pos = i + len(first)
        for w in words[1:]:
            gap = sep.match(text, pos, hi)
            if gap is None or not text.startswith(w, gap.end(), hi):
                break
            pos = gap.end() + len(w)
        else:
            return i, pos
        i = text.find(first, i + 1, hi)
    return None
