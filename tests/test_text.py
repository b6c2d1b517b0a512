"""The folding helpers every stage matches on: fast paths must equal the plain definitions."""
from __future__ import annotations

import re
import unicodedata

from loaders.targets import _has_digit
from loaders.text import _fold_char, fold, fold_keep_offsets

BMP = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]


def test_fold_keep_offsets_is_the_per_character_fold_on_every_character():
    # alone (the codec fast path or the table) and next to Vietnamese (mixed input)
    for ch in BMP:
        assert fold_keep_offsets(ch) == _fold_char(ch), hex(ord(ch))
    mixed = "".join(f"Đề{ch}án" for ch in BMP)
    assert fold_keep_offsets(mixed) == "".join(_fold_char(c) for c in mixed)


def test_fold_squashes_every_unicode_space_like_the_regex():
    spaces = "".join(ch for ch in BMP if ch.isspace())
    text = f"{spaces}Sở{spaces}Thông  tin{spaces}"
    expected = re.sub(r"\s+", " ", "".join(_fold_char(c) for c in text)).strip()
    assert fold(text) == expected == "so thong tin"
    assert fold(unicodedata.normalize("NFD", "Sở Thông tin")) == "so thong tin"


def test_digit_test_agrees_with_the_regex_on_every_character():
    digit = re.compile(r"\d")
    for ch in BMP:
        assert _has_digit(f"năm {ch}") == bool(digit.search(ch)), hex(ord(ch))
