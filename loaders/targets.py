"""Targets stage: quantified goals (chỉ tiêu) -> `Target` items with indicator keys.

Rules of the genre, not of one file:
- A value is a percentage ("80%", "60,29%"), a range ("15% đến 20%", "15-20%"), points
  ("6,03/10 điểm"), money ("2 tỷ đồng") or a count ("1.000 doanh nghiệp", "02 lần"); money
  and counts only when a goal word introduces them ("tối thiểu", "ít nhất", "đạt", "trên").
- The indicator is the phrase around the value inside its clause (clauses end at ";", ":",
  a sentence end or a line break): before it ("Tỷ lệ dân số có tài khoản … trên 50%"),
  after it ("90% hồ sơ công việc tại cấp tỉnh") or both ("Kinh tế số chiếm … GRDP").
  Several values in one clause are cut at "," / "và"; a value with no subject of its own
  shares the subject of the value before it ("cáp quang phủ trên 80% hộ gia đình, 100% xã").
- Comparator from the words next to the value: tối thiểu/ít nhất/từ … trở lên -> '>=',
  trên/hơn -> '>', dưới/không quá/tối đa -> '<=', a range -> 'range', else '='.
- Year: a year phrase in the clause or sentence ("đến năm 2025", "trước ngày 01/6/2023"),
  else the year of an earlier target of the same paragraph, else the context (enclosing
  headings such as "Mục tiêu cơ bản đến năm 2025" or appendix group "ĐẾN NĂM 2025", a row's
  time column, a task block's "Thời gian hoàn thành", a one-year plan's title).
- A parenthesis "(Năm 2022: …)" is the baseline of the targets before it, not a target.

All matching runs on a length-preserving folded copy of the text (no diacritics, lowercase),
so offsets found there are offsets in the original and text typed without diacritics works.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .indicators import indicator_key, squash
from .text import find_words, fold_keep_offsets, nfc
from .models import Dropped, ParsedDocument, Section, SectionKind, Span, Target

# ---------------------------------------------------------------------------------------
# Patterns (all on folded text)

def _at_word_start(words: str) -> str:
    """`(?<![a-z])(?:<words>)` written as alternatives that each start with their word (the
    look-behind after it tests the character before it): a pattern that starts with them is
    searched for by scanning for their first letters, not tried at every position."""
    return "(?:" + "|".join(f"{word}(?<![a-z]{word})" for word in words.split("|")) + ")"


NUM = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)"
_COUNT_NOUNS = (
    r"doanh nghiep|hop tac xa|xa|phuong|thi tran|huyen|lan|cuoc|nguoi|ho gia dinh|ho kinh doanh|ho|"
    r"san pham|mo hinh|lop|khoa|dich vu|nen tang|ung dung|co so du lieu|co so|he thong|tram|thon|"
    r"chuyen gia|can bo|hoc vien|diem phat song|km|truong|benh vien|sang kien|de tai|cong trinh"
)
_COUNT_NOUNS_X = _COUNT_NOUNS.replace(" ", "\\ ")   # verbose pattern: spaces must be escaped
# NUM after its first digit
_NUM_REST = r"\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d*(?:,\d+)?"
# A value: one number, then what makes it a range, percentage, points, money or count.
# Every branch after a number starts with a character that cannot continue a number (not a
# digit, '.' or ','), so a number that matches always spans its whole run of digits, dots and
# commas: the numbers are atomic and shared by all branches without changing any match. The
# leading digit (with the look-behind after it) lets the engine scan for digits quickly.
_MENTION = re.compile(
    rf"""(?P<num>\d(?<![\w.,/]\d)(?>{_NUM_REST}))(?:
        \s*%?\s*(?:den|toi|-|–|—)\s*(?P<rb>(?>{NUM}))\s*%
      | \s*(?P<pct>%)
      | \s*/\s*(?P<ptmax>(?>{NUM}))\s*diem(?![a-z])
      | \s*(?P<mu>nghin\ ty|ngan\ ty|ty|trieu)(?:\s*(?:dong|vnd))?(?![a-z])(?!\s+(?:le|trong)\b)
      | \s+(?P<noun>{_COUNT_NOUNS_X})(?![a-z])
    )""",
    re.X,
)
# For the (usual) folded text that is all ASCII: the same pattern with ASCII classes (there they
# match the same characters, since folding turns every space but '\n' into ' ': no \x1c-\x1f, the
# only ASCII characters Unicode \s adds) and '0' for the \d it starts with, searched in a copy of
# the text with every digit turned to '0'. The pattern tells digits only from other characters,
# so its matches there have the same spans; and a search scans for a literal first character
# with a tight loop, about ten times quicker than for a class such as \d.
_MENTION_ZEROED = re.compile(_MENTION.pattern.replace(r"(?P<num>\d", "(?P<num>0", 1), re.X | re.A)
_ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_BASELINE = re.compile(r"\(\s*nam\s+((?:19|20)\d{2})\s*:[^()]*\)")
# in a baseline: its "năm 2022:" head, what parts it splits into, their value
_BASELINE_HEAD = re.compile(r"\s*nam\s+\d{4}\s*:\s*")
_BASELINE_SEP = re.compile(r";|(?<![a-z])va(?=\s*\d)")
_PCT_VALUE = re.compile(rf"(\d(?>{_NUM_REST}))\s*%")     # (numbers taken whole, as in `_MENTION`)
_POINTS_VALUE = re.compile(rf"(\d(?>{_NUM_REST}))\s*/\s*(?>{NUM})\s*diem")
# `_DATE` and `_CITATION` start with their literal word, which a search finds quickly; a
# look-behind over that word then tests what precedes it ("(?<!truoc ngay)" after "ngay" is
# "(?<!truoc )" before it).
_DATE = re.compile(r"ngay(?<!truoc ngay)(?<!truocngay)\s+\d{1,2}\s*(?:/\s*\d{1,2}\s*/\s*\d{4}|thang\s+\d{1,2}\s+nam\s+\d{4})")
_YEAR_PREPS = ("den", "toi", "trong", "vao", "cho", "tu nay den", "truoc", "cuoi")
_YEAR_PREPS_X = "|".join(p.replace(" ", "\\ ") for p in _YEAR_PREPS)   # verbose pattern
_YEAR = re.compile(     # tried only where `_year_starts` says a match can start
    rf"""truoc\s+(?:ngay\s+)?(?:\d{{1,2}}\s*/\s*|\d{{1,2}}\s+thang\s+)?(?:thang\s+)?\d{{1,2}}\s*(?:/|nam)\s*(?P<dy>(?:19|20)\d{{2}})
      | giai\s+doan\s+(?:19|20)\d{{2}}\s*[-–—]\s*(?P<gy>(?:19|20)\d{{2}})
      | (?:(?P<prep>{_YEAR_PREPS_X})\s+)?nam\s+(?P<y>(?:19|20)\d{{2}})(?!\s*[-–—/]\s*\d)""",
    re.X,
)
_QUOTED = re.compile(r"[“\"«][^”\"»\n]{0,300}[”\"»]")
_CITATION = re.compile(r"so(?<![a-z]so)\s+\d+[\w.-]*/[^\s;.]*[^;\n]*?(?=[;\n]|\.(?:\s|$)|$)")
_GOAL_PREP = {"den", "toi", "trong", "vao", "tu nay den", "truoc", "cuoi"}
# clause boundaries: ';' ':' line breaks, sentence ends ('.' before a space, the end or a closing
# quote); a sentence end is a clause end that is not ';' or ':'. Written as one character class
# first (the '.' condition after it) so the engine scans for those characters quickly.
_CLAUSE_END = re.compile(r"[;:\n!?.](?:(?<!\.)|(?=\s|$|[\"”)]))")
_SEP = re.compile(r"(?=[,vht])(?:,|(?<![a-z])(?:va|hoac|trong do)(?![a-z]))")

_GE_WORDS = "toi thieu|it nhat|khong duoi|khong thap hon|tu"
_GE_TAIL = re.compile(rf"(?P<w>{_at_word_start(_GE_WORDS)})(?:\s+(?:dat duoc|dat|la|bang|co|o muc|len))?\s*$")
_GT_WORDS = "tren|hon|vuot|cao hon|lon hon|vuot muc"
_GT_TAIL = re.compile(rf"{_at_word_start(_GT_WORDS)}\s*$")
_LE_WORDS = "duoi|khong qua|toi da|khong vuot qua|thap hon|nho hon"
_LE_TAIL = re.compile(rf"{_at_word_start(_LE_WORDS)}\s*$")
_GE_HEAD = re.compile(r"^\s*tro len(?![a-z])")
_GE_AFTER_COUNT = re.compile(r"(?<![a-z])tro len(?![a-z])")
_LE_HEAD = re.compile(r"^\s*tro xuong(?![a-z])")
_GOAL_WORDS = "toi thieu|it nhat|khong duoi|dat|tren|hon|tu|phan dau|co|len|den|toi da|khong qua"
_GOAL_WORD = re.compile(rf"(?P<w>{_at_word_start(_GOAL_WORDS)})\s*$")

# words stripped from the end of the left context (comparators and copulas, not verbs like chiếm/tăng)
_LEFT_TRAIL_WORDS = (
    "toi thieu|it nhat|khong duoi|khong thap hon|khong qua|khong vuot qua|toi da|tren|hon|duoi|"
    "tu|dat duoc|dat|la|bang|o muc|muc|len|den|co|khoang|xap xi|binh quan|vao|voi"
)
_LEFT_TRAIL = re.compile(rf"(?P<w>{_at_word_start(_LEFT_TRAIL_WORDS)})\s*$")
# a trailing "và"/"hoặc"/"trong đó"/"với" cut from the right context
_RIGHT_TRAIL_WORDS = "va|hoac|trong do|voi"
_RIGHT_TRAIL = re.compile(rf"{_at_word_start(_RIGHT_TRAIL_WORDS)}\s*$")


def _longest(words: str) -> int:
    return max(len(w) for w in words.split("|"))


# How far before the trailing whitespace a match of each "…\s*$" pattern above can start:
# its longest word. See `_search_end` and `_cut_trail`.
_GT_REACH = _longest(_GT_WORDS)
_LE_REACH = _longest(_LE_WORDS)
_GOAL_REACH = _longest(_GOAL_WORDS)
_LEFT_TRAIL_REACH = _longest(_LEFT_TRAIL_WORDS)
_LEFT_TRAIL_ENDS = tuple(_LEFT_TRAIL_WORDS.split("|"))
_RIGHT_TRAIL_REACH = _longest(_RIGHT_TRAIL_WORDS)
_LEFT_LEAD = re.compile(
    r"(?:[\s,;.\-–+•*)]+|(?P<w>va|hoac|trong do|dong thoi|phan dau|dam bao|bao dam|duy tri|muc tieu|chi tieu|cu the|"
    r"theo do|theo ke hoach|ngoai ra|tiep tuc|dat|nham|de|gom|gom co|bao gom|la|cung)(?![a-z])"
    r"|(?:(?:den|toi|trong|vao|cho|tu nay den|cuoi)\s+)?nam\s+(?:19|20)\d{2}"
    r"|giai\s+doan\s+(?:19|20)\d{2}\s*[-–—]\s*(?:19|20)\d{2})"
)
_LEFT_INTRO = re.compile(
    r"^.*(?<![a-z])(?:phan dau|dam bao|bao dam|muc tieu[^,;]*?(?<![a-z])(?:la|gom co|gom|bao gom|dat))(?![a-z])"
)
_PAST_WORDS = "da dat|da co|da hoan thanh|hien nay|hien co|ket qua|nam qua|vua qua"
_PAST = re.compile(rf"{_at_word_start(_PAST_WORDS)}(?![a-z])")
# the lead-ins after a value, as many as follow each other (one match: a greedy repeat whose
# pattern has nothing after it takes, at each step, what a loop of single matches would)
_RIGHT_LEADS = re.compile(
    r"(?:[\s)]+|tro len|tro xuong|(?:(?:den|toi|trong|vao|cho|cuoi)\s+)?nam\s+(?:19|20)\d{2})*"
)
# Where the phrase after a value with no subject before it stops: before "\s(", a comma before
# "được", "bao gồm"…, "trước ngày/tháng" or "vào/đến/trong năm 2025". Every alternative starts
# with a literal character, so a search scans for those: "\s(" is found at its parenthesis.
_RIGHT_STOP_B = re.compile(
    r"\((?<=\s\()|,\s*(?=(?:duoc|bao gom|dam bao|trong do|nham|de|theo|nguoi dan chi|mo du lieu)(?![a-z]))"
    r"|truoc(?<![a-z]truoc)\s+(?:ngay|thang)\s"
    + "".join(rf"|{word}(?<![a-z]{word})\s+nam\s+(?:19|20)\d{{2}}" for word in ("vao", "den", "trong"))
)
# a long left context ending in ", <verb> …" keeps only that last clause ("…, giảm 30% thủ tục")
_ACTION = re.compile(r"\s*(?:giam|cat giam|tang|nang|dat|phan dau|hoan thanh|mo|chiem|phu|dua|ho tro|thu hut|"
                     r"phat trien|trien khai|dao tao|boi duong|tap huan)(?![a-z])")
_GENERIC_WORDS = r"ty l[eo](?: nay| la| do)?|muc tieu|chi tieu|con so|so luong|muc|dat|"
_GENERIC = re.compile(rf"^(?:{_GENERIC_WORDS})$")
# `_GENERIC` for a text before its whitespace is squashed: `_GENERIC.match(" ".join(s.split()))`
# is `_GENERIC_SPACED.match(s)`
_GENERIC_SPACED = re.compile(r"^\s*(?:" + _GENERIC_WORDS.replace(" ", r"\s+") + r")\s*$")
_LABEL = re.compile(r"^\s*(?:[-+•*]\s*)?(?:nhiem vu|muc tieu|noi dung(?: thuc hien)?|chi tieu)\s*:\s*")
_TIME_LABEL = re.compile(r"^\s*(?:[-+•*]\s*)?thoi (?:gian|han)(?: hoan thanh| thuc hien)?\s*:")
_WORD = re.compile(r"\S+")
# the first 30 words of a text with more than 30 (possessive: each word and gap taken whole)
_OVER_30_WORDS = re.compile(r"\s*+(?:\S++\s++){29}\S++(?=\s+\S)")
_STOP = re.compile(r"[,;.(]")
_NEXT_WORD = re.compile(r"\s+\S+")
_DIGIT = re.compile(r"\d")
# ASCII and two runs of blocks without decimal digits (each kept only if so): U+0080-U+036F (Latin
# letters, combining marks) and U+1E00-U+206F (Vietnamese letters, Greek, punctuation). A text made
# of these characters only, as a Vietnamese text is, has no decimal digit but the ASCII ones;
# matching it tests two ranges per character, a fraction of the cost of a search for a digit.
_NO_DIGIT_BLOCKS = ((0x80, 0x36F), (0x1E00, 0x206F))
_NO_OTHER_DIGIT = re.compile("[\x00-\x7f" + "".join(
    f"{chr(lo)}-{chr(hi)}" for lo, hi in _NO_DIGIT_BLOCKS
    if not any(chr(c).isdecimal() for c in range(lo, hi + 1))) + "]*")
_SPACES_OR_BARS = re.compile(r"[\s|]+")
_YEAR_DIGITS = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ROW = SectionKind.ROW     # (an Enum member lookup costs about as much as a short regex match)
_MONEY_SCALE = {"ty": 1e9, "nghin ty": 1e12, "ngan ty": 1e12, "trieu": 1e6}


# folded words that are also the fold of other words: accept them only in their own spelling
_AMBIGUOUS = {
    "tu": ("từ",), "dat": ("đạt",), "la": ("là",), "den": ("đến",), "co": ("có",), "muc": ("mức",),
    "de": ("để",), "len": ("lên",), "hon": ("hơn",), "tren": ("trên",), "duoi": ("dưới",), "voi": ("với",),
    "vao": ("vào",), "bang": ("bằng",), "gom": ("gồm",), "cung": ("cũng",), "dat duoc": ("đạt được",),
}


def _spelled(text: str, m: re.Match, group: str = "w") -> bool:
    """Whether the folded word matched in `group` is written as the word the rule means."""
    word = m.group(group)
    if word is None or word not in _AMBIGUOUS:
        return True
    written = text[m.start(group):m.end(group)].lower()
    return written.isascii() or written in _AMBIGUOUS[word]   # text typed without diacritics is taken as meant


def _has_digit(s: str) -> bool:
    """`_DIGIT.search(s) is not None`, quicker: substring tests (memchr) for the ASCII digits,
    and a search for another digit only in a text with characters outside `_NO_DIGIT_BLOCKS`."""
    return ("2" in s or "0" in s or "1" in s or "3" in s or "4" in s or "5" in s or "6" in s
            or "7" in s or "8" in s or "9" in s
            or (_NO_OTHER_DIGIT.fullmatch(s) is None and _DIGIT.search(s) is not None))


def _blank(m: re.Match) -> str:
    return " " * len(m.group(0))


def parse_number(raw: str) -> float:
    """Vietnamese number: '60,29' -> 60.29; '1.000' -> 1000; '1.000,5' -> 1000.5."""
    if raw.isdecimal():     # plain digits, the usual case
        return float(raw)
    raw = raw.strip()
    if "." in raw and re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", raw):
        raw = raw.replace(".", "")
    return float(raw.replace(",", "."))


# ---------------------------------------------------------------------------------------
# Sentence-level extraction

@dataclass(slots=True)
class Found:
    """A target found in one string; offsets are into that (NFC) string."""

    indicator: str
    indicator_key: str | None
    comparator: str
    value: float
    value_max: float | None
    unit: str
    year: int | None
    baseline: str | None
    start: int                      # the clause piece holding indicator and value
    end: int
    value_start: int
    value_end: int
    baseline_value: float | None = None
    baseline_year: int | None = None
    year_source: str | None = None  # "sentence" | "carried" | "context" | None
    inherited: bool = False         # indicator taken from the context or an earlier target


@dataclass(slots=True)
class Rejected:
    reason: str
    start: int
    end: int


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    kind: str      # pct | range | points | money | count


def _mentions(f: str) -> list[_Mention]:
    if f.isascii():
        matches = _MENTION_ZEROED.finditer(f.encode("ascii").translate(_ZERO_DIGITS).decode("ascii"))
    else:
        matches = _MENTION.finditer(f)
    out = []
    for m in matches:
        start, end = m.span()
        value = parse_number(f[start:m.end("num")])     # (the digits as written in f)
        kind = m.lastgroup      # the group that closes the match tells its branch
        if kind == "rb":
            value_max = parse_number(f[m.start("rb"):m.end("rb")])
            if value_max > value:
                out.append(_Mention(start, end, value, value_max, "%", "range"))
        elif kind == "pct":
            out.append(_Mention(start, end, value, None, "%", "pct"))
        elif kind == "ptmax":
            out.append(_Mention(start, end, value, None, "points", "points"))
        elif kind == "mu":
            out.append(_Mention(start, end, value * _MONEY_SCALE[m.group("mu")], None, "VND", "money"))
        else:
            # a count: the noun is not part of the value
            out.append(_Mention(start, m.end("num"), value, None, "count", "count"))
    return out


def _year_starts(f: str) -> list[int]:
    """Every offset where a `_YEAR` match can start: "truoc", "giai", "nam", or one of
    `_YEAR_PREPS` followed by whitespace and "nam" (the only ways its branches begin)."""
    starts = set()
    for word in ("truoc", "giai", "nam"):
        if word not in f:       # (`in` is quicker to ask than `find`, which parses its arguments)
            continue
        i = f.find(word)
        while i >= 0:
            starts.add(i)
            if word == "nam":
                k = i
                while k and f[k - 1].isspace():     # str.isspace is the regex's \s
                    k -= 1
                if k < i and f.endswith(_YEAR_PREPS, 0, k):
                    starts.update(k - len(p) for p in _YEAR_PREPS if f.endswith(p, 0, k))
            i = f.find(word, i + 1)
    return sorted(starts)


def _year_matches(f: str):
    """`_YEAR.finditer(f)`, with the pattern tried only where a match can start."""
    end = 0
    for i in _year_starts(f):
        if i >= end:
            m = _YEAR.match(f, i)
            if m:
                yield m
                end = m.end()


def _search_end(pattern: re.Pattern, f: str, a: int, b: int, reach: int) -> re.Match | None:
    """`pattern.search(f, a, b)` for a pattern "<word>\\s*$" whose words are at most `reach`
    characters long: a match starts no further back before the trailing whitespace of f[a:b],
    so only that tail is searched."""
    t = b
    while t > a and f[t - 1].isspace():
        t -= 1
    return pattern.search(f, max(a, t - reach), b)


def _cut_trail(f: str, a: int, b: int, text: str) -> int:
    """The end of f[a:b] with the comparators and copulas at its end cut off, one cut at a time:
    before a `_LEFT_TRAIL` word that ends it but for trailing whitespace (a word not written as
    meant stops the cutting), else before a mark ",(:-–" there, else before that whitespace."""
    while b > a:
        t = b
        while t > a and f[t - 1].isspace():     # str.isspace is the regex's \s
            t -= 1
        start = max(a, t - _LEFT_TRAIL_REACH)
        m = _LEFT_TRAIL.search(f, start, b) if f.endswith(_LEFT_TRAIL_ENDS, start, t) else None
        if m:
            if not _spelled(text, m):
                break
            b = m.start()
        elif t > a and f[t - 1] in ",(:-–":
            b = t - 1
        else:
            return t    # (no word nor mark ends what is left)
    return b


def _strip_left(f: str, a: int, b: int, text: str) -> tuple[int, int]:
    """Trim the left context [a, b) to the indicator phrase (labels, lead-ins, comparators off)."""
    colon = f.rfind(":", a, b)
    if colon >= 0:
        a = colon + 1
    seg = f[a:b]
    # every `_LEFT_INTRO` match holds one of these words
    if "phan dau" in seg or "dam bao" in seg or "bao dam" in seg or "muc tieu" in seg:
        m = _LEFT_INTRO.match(seg)
        if m:
            a += m.end()
    while a < b:
        m = _LEFT_LEAD.match(f, a, b)
        if not m or m.end() == a or not _spelled(text, m):
            break
        a = m.end()
    b = _cut_trail(f, a, b, text)
    while b > a and f[b - 1] in " ,;:(-–":
        b -= 1
    while a < b and f[a] in " ,;:)-–":
        a += 1
    return a, b


def _trail_start(f: str, a: int, b: int, text: str) -> int:
    """Where the comparator/copula words just before a value begin ("tối thiểu", "đạt")."""
    end = b
    b = _cut_trail(f, a, b, text)
    while b < end and f[b] in " ,;:(-–":
        b += 1
    return b


def _strip_right(f: str, a: int, b: int, pattern_b: bool) -> tuple[int, int, int]:
    """(start, display end, matching end) of the phrase after the value."""
    a = _RIGHT_LEADS.match(f, a, b).end()     # (it always matches, if only the empty string)
    if a < b and f[a] in ",;.":
        return a, a, a
    full = b
    if pattern_b:
        m = _RIGHT_STOP_B.search(f, a, b)
        if m and m.start() == a and f[a] == "(":     # its whitespace is before a: not in the range
            m = _RIGHT_STOP_B.search(f, a + 1, b)
        if m:
            b = m.start() - (f[m.start()] == "(")    # "\s(" starts at its whitespace
    else:
        stop = _STOP.search(f, a, b)
        if stop:
            b = stop.start()
    # bound the phrase: at most ~30 words (31 words and their gaps take at least 61 characters)
    m = _OVER_30_WORDS.match(f, a, b) if b - a > 60 else None
    if m:
        b = m.end()
    while b > a and f[b - 1] in " ,;:.(-–":
        b -= 1
    while b > a:
        seg = f[a:b]    # searched as a slice: the look-behind must not see before a
        m = _search_end(_RIGHT_TRAIL, seg, 0, len(seg), _RIGHT_TRAIL_REACH)
        if not m:
            break
        b = a + m.start()
        while b > a and f[b - 1] in " ,":
            b -= 1
    return a, b, max(b, full) if pattern_b else b


def _comparator(f: str, piece_start: int, m: _Mention, text: str) -> str:
    if m.kind == "range":
        return "range"
    head = f[m.end:m.end + (60 if m.kind == "count" else 20)]
    if "tro " in head:      # (in every match of these three patterns)
        if _GE_HEAD.match(head) or (m.kind == "count" and _GE_AFTER_COUNT.search(head)):
            return ">="
        if _LE_HEAD.match(head):
            return "<="
    lo = max(piece_start, m.start - 40)
    ge = _GE_TAIL.search(f, lo, m.start)
    if ge and _spelled(text, ge):
        return ">="
    # as `_search_end` does, in a slice (the look-behinds stop at its start) stripped once for both
    tail = f[lo:m.start].rstrip()
    if _GT_TAIL.search(tail, max(0, len(tail) - _GT_REACH)):
        return ">"
    if _LE_TAIL.search(tail, max(0, len(tail) - _LE_REACH)):
        return "<="
    return "="


def _year_of(match: re.Match) -> tuple[int, str | None]:
    for g in ("dy", "gy", "y"):
        if match.group(g):
            prep = "truoc" if g == "dy" else ("giai doan" if g == "gy" else match.group("prep"))
            return int(match.group(g)), prep
    raise ValueError


def _split_baseline(content: str, count: int) -> list[str] | None:
    parts = [p.strip(" ;,") for p in _BASELINE_SEP.split(content)]
    parts = [p for p in parts if p]
    return parts if len(parts) == count and count > 1 else None


def _first_value(f: str) -> float | None:
    m = _PCT_VALUE.search(f)
    if m:
        return parse_number(m.group(1))
    m = _POINTS_VALUE.search(f)
    return parse_number(m.group(1)) if m else None


@lru_cache(maxsize=8192)
def _context_key_text(text: str) -> str:
    """An indicator phrase from a heading/task title: labels off, first clause only."""
    t = re.sub(r"^\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.|[IVX]+\.|[-+•*])\s*", "", nfc(text)).strip()
    f = fold_keep_offsets(t)
    m = _LABEL.match(f)
    if m:
        t, f = t[m.end():], f[m.end():]
    m = re.search(r"[;:]|\.(?=\s|$)", f)
    if m:
        t = t[:m.start()]
    t = re.sub(r"^\s*(?:[a-zđ]\)|\d+(?:\.\d+)*\.|[IVX]+\.|[-+•*])\s*", "", t)
    t = re.sub(r"^(?:Nâng|Tăng|Tăng cường|Nâng cao|Đẩy mạnh|Thúc đẩy)\s+(?:các\s+)?", "", t).strip()
    return t.strip(" .;:,")


def find_targets(text: str, default_year: int | None = None, context: str | None = None,
                 rejected: list[Rejected] | None = None) -> list[Found]:
    """Targets stated in `text` (a sentence, paragraph or section text).

    `default_year` applies when the text states no year; `context` is an indicator phrase
    (e.g. the task title "Nhiệm vụ: Nâng tỷ trọng kinh tế số trong GRDP") used when a value
    has no indicator of its own ("Mục tiêu: Đạt tối thiểu 12%"). Values that look like
    targets but cannot be placed go to `rejected`.
    """
    text = nfc(text)     # (a text without digits has no value: it returns below, at no mentions)
    f = fold_keep_offsets(text)
    # baselines "(Năm 2022: ...)" are masked out of the working copy
    baselines = ([(m.start(), m.end(), int(m.group(1))) for m in _BASELINE.finditer(f)]
                 if "(" in f and ":" in f else [])
    w = _BASELINE.sub(_blank, f) if baselines else f
    mentions = _mentions(w)
    if not mentions:
        return []
    # Clause ends up to the first one at or after the last value, and years up to the first one
    # starting at or after the end of its clause: the look-ups below never ask for a later one.
    last = mentions[-1].start
    clause_ends = []
    for m in _CLAUSE_END.finditer(w):
        i = m.start()
        clause_ends.append(i)
        if i >= last:
            break
    limit = clause_ends[-1] if clause_ends and clause_ends[-1] >= last else len(w)
    years, year_starts = [], []
    if "nam" in w or "truoc" in w or "giai" in w:     # (a year phrase starts with one, see `_year_starts`)
        # (each mask is applied only where a string that all its matches contain occurs)
        ydoc = _DATE.sub(_blank, w) if "ngay" in w else w
        # years inside a cited document's number/title or a quoted name are not target years
        if "“" in ydoc or '"' in ydoc or "«" in ydoc:
            ydoc = _QUOTED.sub(_blank, ydoc)
        if "/" in ydoc:
            ydoc = _CITATION.sub(_blank, ydoc)
        for m in _year_matches(ydoc):
            year_starts.append(m.start())
            years.append((m.start(), m.end(), *_year_of(m)))
            if m.start() >= limit:
                break

    # group mentions into clauses, by the number of clause ends before them
    clauses: dict[int, list[_Mention]] = {}
    for m in mentions:
        clauses.setdefault(bisect.bisect_right(clause_ends, m.start - 1), []).append(m)

    found: list[Found] = []
    carried: int | None = None
    previous: Found | None = None
    for n, ms in clauses.items():
        c_start = clause_ends[n - 1] + 1 if n else 0
        c_end = clause_ends[n] if n < len(clause_ends) else len(w)
        pieces: list[tuple[int, int, _Mention]] = []     # (start, end, value)
        start = c_start
        for i, m in enumerate(ms):
            if i + 1 < len(ms):
                nxt = ms[i + 1]
                seps = list(_SEP.finditer(w, m.end, nxt.start))
                if not seps:
                    tail = (_GE_TAIL.search(w, m.end, nxt.start)
                            or _search_end(_GOAL_WORD, w, m.end, nxt.start, _GOAL_REACH))
                    cut = tail.start() if tail else nxt.start
                else:
                    a, b = _strip_left(w, seps[-1].end(), nxt.start, text)
                    if a >= b:
                        cut = seps[-1].start()
                    else:
                        own = _strip_left(w, start, m.start, text)
                        cut = seps[0].start() if own[0] < own[1] else seps[-1].start()
                end = cut
            else:
                end = c_end
            pieces.append((start, end, m))
            start = end

        # the last piece's end and, if it has one, its subject (left context) for the next to share
        prev_end, prev_subject = -1, None
        for p_start, p_end, m in pieces:
            if m.kind in ("money", "count"):
                goal = _search_end(_GOAL_WORD, w, p_start, m.start, _GOAL_REACH)
                if not (goal and _spelled(text, goal)):
                    continue    # counts and amounts are targets only when a goal word introduces them
            lo = max(p_start, m.start - 60)
            seg = w[lo:m.start]     # (every `_PAST` word holds "da ", "hien " or " qua")
            if ("da " in seg or "hien " in seg or " qua" in seg) and _PAST.search(w, lo, m.start):
                if rejected is not None:
                    rejected.append(Rejected("achieved result, not a goal", p_start, p_end))
                continue
            la, lb = _strip_left(w, p_start, m.start, text)
            pattern_b = la >= lb
            ra, rb, rfull = _strip_right(w, m.end, p_end, pattern_b)
            if m.kind == "count":
                # the count noun belongs to the indicator
                noun = _NEXT_WORD.match(w, m.end, p_end)
                ra = m.end
                if not pattern_b:
                    stop = _STOP.search(w, m.end, p_end)
                    rb = stop.start() if stop else rb
                rb = max(rb, noun.end() if noun else m.end)
                while rb > ra and w[rb - 1] in " ,;:.":
                    rb -= 1
            # long left contexts: keep the part after the last comma for display
            la_disp = la
            # (str.split() words are the \S+ runs; 13 of them take at least 25 characters)
            if lb - la >= 25 and len(w[la:lb].split()) > 12:
                comma = w.rfind(",", la, lb)
                if comma > la and _ACTION.match(w, comma + 1, lb):
                    la_disp = comma + 1
                    while la_disp < lb and w[la_disp] == " ":
                        la_disp += 1
            inherited = False
            left_txt = text[la_disp:lb].strip()
            right_txt = text[ra:rb].strip()
            key_text = f"{w[la_disp:lb]} {w[ra:rb]}".strip()
            if pattern_b and prev_subject is not None and prev_end == p_start:
                # "cáp quang phủ trên 80% hộ gia đình, 100% xã": shared subject
                pa, pb = prev_subject
                left_txt = text[pa:pb].strip()
                key_text = f"{w[pa:pb]} {w[ra:rb]}"
            else:
                prev_subject = None if pattern_b else (la_disp, lb)
            prev_end = p_end

            key = indicator_key(key_text, folded=True, unit=m.unit)
            if key is None and (la_disp != la or rfull != rb):
                key = indicator_key(f"{w[la:lb]} {w[ra:rfull]}", folded=True, unit=m.unit)
            if key is None:
                key = indicator_key(f"{w[p_start:m.start]} {w[m.end:p_end]}", folded=True, unit=m.unit)
            generic = _GENERIC_SPACED.match(key_text) is not None
            if generic:
                if callable(context):
                    context = context()
                if previous is not None and previous.start >= c_start - 400 and _GENERIC.match(w[la:lb].strip()):
                    left_txt, right_txt = previous.indicator, ""
                    key = previous.indicator_key
                    inherited = True
                elif context:
                    left_txt, right_txt = _context_key_text(context), ""
                    key = indicator_key(left_txt, unit=m.unit)
                    inherited = True
                if not (left_txt or right_txt):
                    if rejected is not None:
                        rejected.append(Rejected("value without an identifiable indicator", p_start, p_end))
                    continue
            if left_txt and right_txt:
                indicator = f"{left_txt} … {right_txt}"
            else:
                indicator = left_txt or right_txt
            indicator = squash(indicator).strip(" ,;:.")

            # year: the last one in the clause before the value, else the next one in the piece after
            # it with a goal preposition, else the last one with a goal preposition or "giai đoạn"
            # in the sentence before it
            year, source = None, None
            if years:
                j = bisect.bisect_left(year_starts, m.start) - 1
                if j >= 0 and years[j][0] >= c_start and years[j][1] <= m.start:
                    year = years[j][2]
                else:
                    k = bisect.bisect_left(year_starts, m.end)
                    if k < len(years) and years[k][0] < p_end and years[k][3] in _GOAL_PREP:
                        year = years[k][2]
                    else:
                        # the sentence starts after the last clause end before it but ';' and ':'
                        i = bisect.bisect_right(clause_ends, m.start - 1)
                        while i and w[clause_ends[i - 1]] in ";:":
                            i -= 1
                        s_start = clause_ends[i - 1] + 1 if i else 0
                        while j >= 0 and years[j][0] >= s_start:
                            if years[j][3] in _GOAL_PREP or years[j][3] == "giai doan":
                                year = years[j][2]
                                break
                            j -= 1
                if year is not None:
                    source, carried = "sentence", year
            if year is None and carried is not None:
                year, source = carried, "carried"
            if year is None and callable(default_year):
                default_year = default_year()
            if year is None and default_year is not None:
                year, source = default_year, "context"

            start = la if not pattern_b else _trail_start(w, p_start, m.start, text)
            end = max(rb, m.end) if rb > ra else m.end
            # (positional: a class called with keywords passes them to __init__ in a dict)
            tgt = Found(indicator, key, _comparator(w, p_start, m, text), m.value, m.value_max, m.unit,
                        year, None, start, end, m.start, m.end, None, None, source, inherited)
            found.append(tgt)
            previous = tgt

    # baselines belong to the targets before them (since the previous baseline)
    last_end = 0
    for s, e, byear in baselines:
        owners = [t for t in found if last_end <= t.value_start < s and t.baseline is None]
        content = text[s + 1:e - 1].strip()
        fcontent = f[s + 1:e - 1].strip()
        head = _BASELINE_HEAD.match(fcontent)
        body, fbody = (content[head.end():], fcontent[head.end():]) if head else (content, fcontent)
        prefix = content[:head.end()].strip() if head else ""
        parts = _split_baseline(fbody, len(owners))
        if parts is not None:
            # pair parts with targets in order (both in the folded body)
            pos = 0
            for t, part in zip(owners, parts):
                i = fbody.find(part, pos)
                pos = i + len(part)
                t.baseline = f"{prefix} {body[i:pos]}".strip()
                t.baseline_value, t.baseline_year = _first_value(part), byear
        else:
            for t in owners:
                t.baseline = content
                t.baseline_value, t.baseline_year = _first_value(fbody), byear
        last_end = e
    return found


# ---------------------------------------------------------------------------------------
# Document level

_SINGLE_YEAR_TITLE = re.compile(r"(?<![a-z])nam\s+((?:19|20)\d{2})(?![\d])")
_MULTI_YEAR_TITLE = re.compile(r"(?<![a-z])(?:den|toi|giai doan|dinh huong|tam nhin)(?![a-z])")
_YEAR_TITLE = re.compile(r"\s*(?:[-+]\s*)?(?:thoi gian[^:]*:\s*)?nam")


def _first_line(text: str) -> str:
    """The first non-blank line of `text` as `splitlines` cuts it, splitting only a prefix:
    all lines of a prefix but its last are whole lines of the text."""
    size = 256
    while size < len(text):
        lines = text[:size].splitlines()
        for line in lines[:-1]:
            if line.strip():
                return line
        size *= 8
    return next((line for line in text.splitlines() if line.strip()), "")


def _document_year(doc: ParsedDocument) -> int | None:
    """The year of a one-year plan ("Kế hoạch chuyển đổi số … năm 2023"), from its title."""
    candidates = [doc.identity.title] if doc.identity and doc.identity.title else []
    candidates.append(_first_line(doc.text))
    for title in candidates:
        f = fold_keep_offsets(nfc(title))
        if _MULTI_YEAR_TITLE.search(f):
            continue
        years = set(_SINGLE_YEAR_TITLE.findall(f))
        if len(years) == 1:
            return int(years.pop())
    return None


@lru_cache(maxsize=8192)
def _title_year(title: str) -> int | None:
    if not title:
        return None
    f = fold_keep_offsets(nfc(title))
    f = _BASELINE.sub(_blank, f)
    f = _DATE.sub(_blank, f)
    for m in _year_matches(f):
        year, prep = _year_of(m)
        if prep in _GOAL_PREP or prep == "giai doan" or _YEAR_TITLE.match(f):
            return year
    return None


@lru_cache(maxsize=1024)
def _is_time_header(header: str) -> bool:
    f = fold_keep_offsets(header)
    return "thoi gian" in f or "thoi han" in f


def _cell_year(section: Section) -> int | None:
    for header, value in section.cells.items():
        if _is_time_header(header):
            ys = _YEAR_DIGITS.findall(value)
            if ys:
                return int(ys[-1])
    return None


def _task_year(doc: ParsedDocument, section: Section, memo: dict[str, tuple[bool, int | None]]) -> int | None:
    """A task block's "Thời gian hoàn thành: Năm 2023" (a sibling or an ancestor's child)."""
    node = section
    while node is not None:
        hit = memo.get(node.path)
        if hit is None:
            hit = (False, None)
            for child_path in node.children:
                child = doc.sections.get(child_path)
                head = child.title[:40] if child is not None else ""
                # a label ends in ':', and only ':' folds to ':'
                if ":" in head and _TIME_LABEL.match(fold_keep_offsets(head)):
                    ys = _YEAR_DIGITS.findall(child.title)
                    hit = (True, int(ys[0]) if ys else None)
                    break
            memo[node.path] = hit
        if hit[0]:
            return hit[1]
        node = doc.sections.get(node.parent) if node.parent else None
    return None


def _chain(doc: ParsedDocument, section: Section, in_body: bool) -> list[Section]:
    """The section (for its body text) and its ancestors, nearest first."""
    chain = []
    if in_body:
        chain.append(section)
    node = doc.sections.get(section.parent) if section.parent else None
    while node is not None:
        chain.append(node)
        node = doc.sections.get(node.parent) if node.parent else None
    return chain


def _context_year(doc: ParsedDocument, section: Section, in_body: bool, doc_year,
                  memo: dict[str, tuple[bool, int | None]]) -> int | None:
    """The year that a target of this section inherits when it states none; `doc_year()`
    is the one-year plan's year, asked for last."""
    year = _cell_year(section) if section.kind is _ROW else None
    if year is None:
        for node in _chain(doc, section, in_body):
            year = _title_year(node.title)
            if year is not None:
                break
    if year is None:
        year = _task_year(doc, section, memo)
    if year is None:
        year = doc_year()
    return year


def _context_indicator(doc: ParsedDocument, section: Section, in_body: bool) -> str | None:
    """The indicator phrase that a target of this section inherits when it has none."""
    for node in _chain(doc, section, in_body):
        phrase = _context_key_text(node.title)
        if phrase and not _GENERIC.match(fold_keep_offsets(phrase)):
            return node.title
    return None


class _Aligner:
    """Maps offsets of a section string (paragraphs joined with single spaces) to doc.text."""

    def __init__(self, doc_text: str, s: str, lo: int, hi: int):
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.dstarts: list[int] = []
        self.dends: list[int] = []
        cursor = lo
        limit = min(len(doc_text), hi + 200)
        for m in _WORD.finditer(s):
            tok = m.group(0)
            i = doc_text.find(tok, cursor, limit)
            if i < 0 or i - cursor > 400:
                continue
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.dstarts.append(i)
            self.dends.append(i + len(tok))
            cursor = i + len(tok)

    def span(self, a: int, b: int) -> Span | None:
        if not self.starts:
            return None
        i = bisect.bisect_right(self.starts, a) - 1
        if i < 0 or self.ends[i] <= a:
            i += 1
            if i >= len(self.starts):
                return None
            start = self.dstarts[i]
        else:
            start = self.dstarts[i] + (a - self.starts[i])
        j = bisect.bisect_left(self.ends, b)
        if j < len(self.ends) and self.starts[j] < b:
            end = self.dstarts[j] + (b - self.starts[j])
        else:
            j -= 1
            if j < 0:
                return None
            end = self.dends[j]
        if end <= start:
            return None
        return Span(start, end)


def _locate(doc_text: str, quote: str, lo: int, hi: int) -> Span | None:
    """Find a quote (built from paragraphs joined with single spaces) in doc.text[lo:hi]."""
    phrase = quote.strip()
    if not phrase:
        return None
    hi = min(len(doc_text), hi)
    if "|" in phrase:
        m = re.compile(r"[\s|]+".join(map(re.escape, phrase.split()))).search(doc_text, lo, hi)
        return Span(m.start(), m.end()) if m else None
    # Usually the first occurrence of the first word starts the quote, with the same number of
    # separators (whitespace or '|') between the words, e.g. a line break for a space. Then
    # find_words stops at that first candidate, and its match is exactly these characters:
    # the quote as written, or with line breaks for spaces (the usual cases), or the same words.
    start = doc_text.find(phrase.split(None, 1)[0], lo, hi)
    end = start + len(phrase)
    seg = doc_text[start:end] if start >= 0 and end <= hi else ""
    if seg == phrase or seg.replace("\n", " ") == phrase:
        return Span(start, end)
    tokens = phrase.split()
    if seg and not (seg[-1] == "|" or seg[-1].isspace()) and seg.replace("|", " ").split() == tokens:
        return Span(start, end)
    found = find_words(doc_text, tokens, lo, hi, _SPACES_OR_BARS, phrase)
    return Span(*found) if found else None


def extract_targets(doc: ParsedDocument) -> None:
    """Fill doc.targets, doc.report.targets and doc.report.dropped (kind "target")."""
    known_year: list[int | None] = []      # the document's year, once asked for

    def doc_year() -> int | None:
        if not known_year:
            known_year.append(_document_year(doc))
        return known_year[0]

    memo: dict[str, tuple[bool, int | None]] = {}
    carried_year: int | None = None
    carried_from: str | None = None

    # The context of the section and part at hand: find_targets (below) asks for each at most
    # once, and only when needed.
    def year_of() -> int | None:
        year = _context_year(doc, section, where == "body", doc_year, memo)
        # prose: a paragraph continuing a list (previous text ended with ';') keeps its year
        if year is None and carried_year is not None and carried_from == section.parent:
            year = carried_year
        return year

    def indicator_of() -> str | None:
        return _context_indicator(doc, section, where == "body")

    for section in doc.sections.values():
        parts = [("title", section.title)]
        if section.kind is not _ROW and section.body:
            parts.append(("body", section.body))
        for where, s in parts:
            if not s or not _has_digit(s):
                continue
            rejected: list[Rejected] = []
            found = find_targets(s, year_of, indicator_of, rejected)
            if not found and not rejected:
                continue
            if where == "title":
                lo, hi = section.head_span.start, max(section.head_span.end, section.span.end) + 200
            else:
                lo, hi = section.head_span.end, section.span.end + 200
            aligner: _Aligner | None = None
            cursor = lo
            for t in found:
                span = _locate(doc.text, s[t.start:t.end], cursor, hi)
                if span is None:
                    aligner = aligner or _Aligner(doc.text, s, lo, hi)
                    span = aligner.span(t.start, t.end) or section.head_span
                else:
                    cursor = span.start
                # (positional, in the order of Target's fields: see `tgt = Found(` above)
                doc.targets.append(Target(
                    t.indicator, t.indicator_key, t.comparator, t.value, t.value_max, t.unit, t.year,
                    t.baseline, section.path, span, doc.text[span.start:span.end],
                    t.baseline_value, t.baseline_year))
            for r in rejected:
                span = _locate(doc.text, s[r.start:r.end], lo, hi)
                doc.report.dropped.append(Dropped(
                    "target", r.reason, s[r.start:r.end].strip(),
                    doc.line_of(span.start) if span else section.line, section.path))
            if found:
                last = found[-1]
                if s.rstrip().endswith((";", ",")) and last.year is not None:
                    carried_year, carried_from = last.year, section.parent
                else:
                    carried_year, carried_from = None, None
    doc.report.targets = len(doc.targets)
