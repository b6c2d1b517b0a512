"""Reference stage: find mentions of the plan's own clauses and resolve them on the tree.

"điểm a, b khoản 3; điểm a, c, e khoản 4 mục III" is read as chains of levels
(điểm < khoản < mục < Điều < Phần); a chain that lacks a higher level takes it from the
chain after it, so the trailing "mục III" applies to every group. A target that does not
exist is kept as a broken reference with the path it asked for; one that matches two
nodes (duplicate labels) is ambiguous. Mentions of another document's clauses
("khoản 2 Điều 5 Nghị định số 45/2020/NĐ-CP") are not internal references.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from .clean import JoinedParagraphs, Paragraph
from .models import Dropped, NumberingAnomaly, Reference, RefStatus, Section, SectionKind, Span
from .structure import ROMAN
from .text import fold, literal_positions, matches_at

# level of each keyword (higher contains lower)
KEYWORDS = {"diem": 1, "khoan": 2, "muc": 3, "dieu": 4, "phan": 5, "phu luc": 6}
# with and without diacritics (ASCII-only PDFs and web copies drop them)
_KW = r"(?:điểm|diem|khoản|khoan|mục|muc|điều|dieu|phần|phan|phụ lục|phu luc)"


def _label_pattern(roman: str) -> str:
    return rf"(?:\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}|{roman}|[a-zđ])"


def _mention_pattern(roman: str) -> str:
    label = _label_pattern(roman)
    return (rf"(?<![\wÀ-ỹ])(?:các\s+)?{_KW}\s+(?:này\b|{label}(?![\wÀ-ỹ/]))"
            rf"(?:(?:\s*,\s*|\s*;\s*|\s+và\s+|\s+|\s+của\s+|\s*,\s*của\s+)"
            rf"(?:(?:các\s+)?{_KW}\s+(?:này\b|{label}(?![\wÀ-ỹ/]))|{label}(?![\wÀ-ỹ/])))*")


_LABEL = _label_pattern(ROMAN)
# the same mention in lowercased text: without IGNORECASE the engine runs about twice as fast
_MENTION_LOWER = re.compile(_mention_pattern(ROMAN.lower()))
_MENTION = re.compile(_mention_pattern(ROMAN), re.IGNORECASE)   # for text whose lowercase changes length
_TOKEN = re.compile(rf"(?P<kw>{_KW})|(?P<this>này)|(?P<sep>;)|(?P<label>{_LABEL})(?![\wÀ-ỹ/])",
                    re.IGNORECASE)
_EXTERNAL_AFTER = re.compile(
    r"^\s*(?:của\s+|tại\s+|theo\s+)?(?:Luật|Bộ luật|Nghị định|Thông tư|Quyết định|Nghị quyết|Chỉ thị|Công văn|Hiến pháp|Pháp lệnh)\b",
    re.IGNORECASE)
# the keywords of _KW as literals, for finding where a mention can start
_KEYWORD_WORDS = ("điểm", "khoản", "mục", "điều", "phần", "phụ lục", "diem", "khoan", "muc", "dieu", "phan", "phu luc")
_ANY_KEYWORD = re.compile("|".join(_KEYWORD_WORDS))


_ROMAN = re.compile(ROMAN)


@lru_cache(maxsize=256)
def _keyword_level(keyword: str) -> int:
    """Level of a keyword as written ("Khoản", "KHOAN"): a handful of spellings, folded once."""
    return KEYWORDS[fold(keyword)]


@dataclass(slots=True)
class Level:
    kw: int                       # keyword level
    labels: list[str] = field(default_factory=list)
    this: bool = False            # "Điều này", "khoản này"


def parse_mention(raw: str) -> list[list[Level]]:
    """Split a mention into chains of levels, lowest level first within a chain."""
    chains: list[list[Level]] = []
    chain: list[Level] = []
    current: Level | None = None
    for m in _TOKEN.finditer(raw):
        token = m.lastgroup          # the one named group of the alternative that matched
        if token == "kw":
            level = _keyword_level(m.group("kw"))
            if chain and level <= chain[-1].kw:
                chains.append(chain)
                chain = []
            current = Level(level)
            chain.append(current)
        elif token == "this":
            if current is not None:
                current.this = True
        elif token == "sep":
            current = None
        elif current is not None:    # a label
            label = m.group("label")
            if current.kw in (3, 5, 6):          # mục / phần / phụ lục: Roman or digits, as written
                current.labels.append(label.upper() if _ROMAN.fullmatch(label.upper()) and not label.isdigit() else label)
            elif current.kw == 1:
                if len(label) == 1 and label.isalpha():
                    current.labels.append(label.lower())
            else:
                if label[0].isdigit():
                    current.labels.append(label)
    if chain:
        chains.append(chain)
    chains = [c for c in chains if all(l.labels or l.this for l in c)]
    # a chain lacking a higher level inherits it from the chain after it
    for i in range(len(chains) - 2, -1, -1):
        top = chains[i][-1].kw
        for level in chains[i + 1]:
            if level.kw > top:
                chains[i].append(level)
    return chains


@dataclass(slots=True)
class Resolver:
    sections: dict[str, Section]
    roots: list[str] = field(default_factory=list)     # top-level paths, listed once

    def __post_init__(self) -> None:
        self.roots = [p for p, s in self.sections.items() if s.parent is None]

    def _children(self, path: str | None, kind: SectionKind, label: str) -> list[str]:
        if path is None:
            pool = self.roots
        else:
            pool = self.sections[path].children
        found = [p for p in pool if self.sections[p].kind is kind and self.sections[p].label == label]
        if found or path is None:
            return found
        # look one level deeper (khoản under an unnumbered heading, points under a sub-khoản)
        deeper = []
        for child in pool:
            deeper += [p for p in self.sections[child].children
                       if self.sections[p].kind is kind and self.sections[p].label == label]
        return deeper

    def ancestor(self, path: str, kind: SectionKind) -> str | None:
        node: str | None = path
        while node is not None:
            if self.sections[node].kind is kind:
                return node
            node = self.sections[node].parent
        return None

    def scope_root(self, source: str) -> str | None:
        """The part/article/attachment a bare "mục II" is looked up in (None: document root)."""
        art = self.ancestor(source, SectionKind.ARTICLE)
        if art is not None:
            return self.sections[art].parent
        return None

    def resolve(self, chain: list[Level], source: str) -> list[tuple[str, list[str]]]:
        """Expand a chain into (asked path, candidate paths) pairs, top level first."""
        by_kw = {l.kw: l for l in chain}
        root = self.scope_root(source)
        if 4 in by_kw:
            article = by_kw[4]
            current = self.ancestor(source, SectionKind.ARTICLE)
            labels = [self.sections[current].label] if article.this and current else article.labels
            expanded = [(f"Art{l}", self._children(root, SectionKind.ARTICLE, l)) for l in labels]
        elif 3 in by_kw:
            expanded = [(l, self._children(root, SectionKind.MUC, l) or
                         (self._children(None, SectionKind.MUC, l) if root is not None else []))
                        for l in by_kw[3].labels]
        elif 6 in by_kw:
            labels = [str(int(l)) if l.isdigit() else l for l in by_kw[6].labels]
            expanded = [(f"PL{l}", self._children(None, SectionKind.APPENDIX, l)) for l in labels]
        else:
            kinds = (SectionKind.MUC, SectionKind.ARTICLE, SectionKind.HEADING, SectionKind.APPENDIX)
            if 2 not in by_kw:
                kinds = (SectionKind.KHOAN,) + kinds
            base = next((a for a in (self.ancestor(source, k) for k in kinds) if a is not None), None)
            expanded = [(base or "", [base])]
        for kw, kind in ((2, SectionKind.KHOAN), (1, SectionKind.DIEM)):
            if kw not in by_kw:
                continue
            expanded = [(f"{asked}.{label}" if asked else label,
                         [c for node in nodes for c in self._children(node, kind, label)])
                        for asked, nodes in expanded for label in by_kw[kw].labels]
        return expanded


def find_references(sections: dict[str, Section], joined: JoinedParagraphs
                    ) -> tuple[list[Reference], list[NumberingAnomaly], list[Dropped]]:
    """Scan each clause's paragraphs for internal references and resolve them."""
    paragraphs = joined.paragraphs
    resolver = Resolver(sections)
    refs: list[Reference] = []
    anomalies: list[NumberingAnomaly] = []
    dropped: list[Dropped] = []
    for index, start, end in _mentions(joined):
        source, para = paragraphs[index]
        text = para.text
        raw = text[start:end].rstrip(" ,;")
        if _EXTERNAL_AFTER.match(text[end:end + 40]):
            continue
        chains = parse_mention(raw)
        if not chains:
            continue
        span = Span(para.offset(start), para.offset(start + len(raw) - 1) + 1)
        for chain in chains:
            for level in chain:
                seen = set()
                for label in level.labels:
                    if label in seen:
                        anomalies.append(NumberingAnomaly(
                            "repeated_in_reference", source, f"'{label}' repeated in reference \"{raw}\"", para.line_no))
                    seen.add(label)
            try:
                expanded = resolver.resolve(chain, source)
            except (KeyError, TypeError):
                dropped.append(Dropped("reference", "could not interpret the mention", raw, para.line_no, source))
                continue
            seen_paths: set[str] = set()
            for index, (asked, cands) in enumerate(expanded):
                if asked in seen_paths:
                    continue
                seen_paths.add(asked)
                cands = list(dict.fromkeys(cands))
                if cands == [source]:
                    continue        # a heading naming itself ("PHỤ LỤC 02", "Điều này")
                status = RefStatus.RESOLVED if len(cands) == 1 else (
                    RefStatus.BROKEN if not cands else RefStatus.AMBIGUOUS)
                refs.append(Reference(source, asked, status, cands, raw, span, index))
    return refs, anomalies, dropped


def _mentions(joined: JoinedParagraphs) -> Iterator[tuple[int, int, int]]:
    """(paragraph index, start, end) of every mention, in document order: the same matches as
    `_MENTION_LOWER.finditer` over each lowercased paragraph, found by trying the regex only where
    a mention can start (a keyword, or "các" and spaces before one) instead of at every character."""
    lowered = joined.text.lower()
    if len(lowered) != len(joined.text):      # a character whose lowercase is longer: one by one
        yield from _mentions_one_by_one(joined.paragraphs)
        return
    for m in matches_at(_MENTION_LOWER, lowered, _mention_starts(lowered)):
        index, base = joined.locate(m.start())
        yield index, m.start() - base, m.end() - base


def _mention_starts(lowered: str) -> list[int]:
    """Where a mention can start: at a keyword, or at "các" followed by spaces and a keyword."""
    starts = set()
    for pos in literal_positions(lowered, _KEYWORD_WORDS):
        starts.add(pos)
        before = pos
        while before and lowered[before - 1].isspace():     # str.isspace() is exactly regex \s
            before -= 1
        if before < pos and lowered.endswith("các", 0, before):
            starts.add(before - 3)
    return sorted(starts)


def _mentions_one_by_one(paragraphs: list[tuple[str, Paragraph]]) -> Iterator[tuple[int, int, int]]:
    for index, (_, para) in enumerate(paragraphs):
        text = para.text
        lowered = text.lower()
        if not _ANY_KEYWORD.search(lowered):
            continue
        found = _MENTION_LOWER.finditer(lowered) if len(lowered) == len(text) else _MENTION.finditer(text)
        for m in found:
            yield index, m.start(), m.end()
