"""The text helpers every stage matches with: fast paths must equal the plain definitions."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders import identity, legal, references
from loaders.clean import JoinedParagraphs, Paragraph, split_lines
from loaders.targets import _has_digit
from loaders.text import _fold_char, fold, fold_keep_offsets, literal_positions, matches_at

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


# --- regexes tried only where a keyword starts (text.matches_at) equal a full finditer -----------

# pieces of plan text around the keywords, including the traps: a keyword inside a word, "các"
# before spaces of several kinds, NUL, letters whose lowercase is longer or context-dependent
_PIECES = ["điểm", "Điểm", "ĐIỂM", "diem", "khoản", "Khoản", "khoan", "mục", "MỤC", "muc", "điều", "Điều", "dieu",
           "phần", "phan", "phụ lục", "Phụ lục", "phu luc", "các", "Các", "xcác", "này", " ", "  ", "\t", "\u00a0",
           "\n", ", ", "; ", " và ", " của ", "a", "b", "đ", "e", "1", "2", "2.1", "II", "iii", "X", "\0", "Σ", "İ",
           "Quyết định", "Nghị quyết", "Thông tư", "Thông tư liên tịch", "Kế hoạch", "Chương trình", "Văn bản",
           "Luật", " số ", "số:", "749", "/QĐ-TTg", "/2020/NĐ-CP", "08-NQ/TU", "/", "-", "tỉnh", "huyện",
           "thành phố", "thị xã", "Quảng Ngãi", "Tiền Giang", "Sở", "ủy", "mức",
           # whole mentions and citations, so that runs of them are common
           "các khoản 2", "Các \u00a0điểm a, b", "các\tmục II", "điểm a, b khoản 3; điểm c khoản 4 mục III",
           "khoản 2 Điều 3", "Điều này", "Quyết định số 749/QĐ-TTg", "Quyết định 749", "Nghị định số 45/2020/NĐ-CP",
           "tỉnh Quảng Ngãi", "Kế hoạch này"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _spans(matches):
    return [m.span() for m in matches]


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_mentions_tried_at_keywords_are_the_mentions_finditer_finds(text):
    lowered = text.lower()
    assert _spans(matches_at(references._MENTION_LOWER, lowered, references._mention_starts(lowered))) == \
        _spans(references._MENTION_LOWER.finditer(lowered))


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_citations_tried_at_type_words_are_the_citations_finditer_finds(text):
    starts = literal_positions(text, legal._TYPE_WORDS)
    assert _spans(matches_at(legal._CITATION, text, starts)) == _spans(legal._CITATION.finditer(text))
    assert bool(_spans(legal._BARE_NUMBER.finditer(text))) <= bool(literal_positions(text, legal._CODE_FRAGMENTS))


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_identity_regexes_tried_at_their_words_are_what_finditer_finds(text):
    starts = literal_positions(text, identity._JURISDICTION_WORDS)
    assert _spans(matches_at(identity._BODY_JURISDICTION, text, starts)) == \
        _spans(identity._BODY_JURISDICTION.finditer(text))
    first = next(matches_at(identity._SELF_TYPE, text, literal_positions(text, identity._SELF_TYPE_WORDS)), None)
    expected = identity._SELF_TYPE.search(text)
    assert (first and first.span()) == (expected and expected.span())


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=6))
def test_a_pass_over_joined_paragraphs_finds_what_each_paragraph_holds(texts):
    paragraphs = [(None, Paragraph.of([line])) for text in texts
                  for line in split_lines(text.replace("\0", " ")) if line.text]
    if not paragraphs:
        return
    joined = JoinedParagraphs(paragraphs)
    per_paragraph = [(i, m.span()) for i, (_, p) in enumerate(paragraphs)
                     for m in references._MENTION_LOWER.finditer(p.text.lower())]
    lowered = joined.text.lower()
    if len(lowered) == len(joined.text):
        found = []
        for m in references._MENTION_LOWER.finditer(lowered):
            index, base = joined.locate(m.start())
            found.append((index, (m.start() - base, m.end() - base)))
        assert found == per_paragraph
