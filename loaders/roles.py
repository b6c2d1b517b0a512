"""Responsibilities: who leads, coordinates, advises or steers which task.

Genre rules (see /work/shared/DOMAIN.md, "Responsibilities"):

* role words: "chủ trì" = lead, "phối hợp (với)" = coordinate, "đầu mối" = focal point,
  "tham mưu" = advise, "đôn đốc" / "điều phối" = steer; "Đơn vị thực hiện" = lead when no
  "chủ trì" is named. "X chủ trì, phối hợp với Y, Z" = X lead, Y and Z coordinate.
* assignment parts ("TỔ CHỨC THỰC HIỆN"): a khoản whose title names agencies hands them
  the roles its points state; a point that refers to other points of the plan
  ("... được nêu tại điểm c, d khoản 1 mục II") gives the role on each referenced point
  (`via_reference`), otherwise the point itself is the task. A point with no role word is
  the agency's own work: lead ("tham gia" = coordinate).
* appendix rows: the header row says which column is Chủ trì / Phối hợp / Thời gian.
* DTI-style task blocks: "Nhiệm vụ:" / "Đơn vị chủ trì:" / "Đơn vị phối hợp:" /
  "Thời gian hoàn thành:" fields; agencies named in other fields are not roles.
* prose (news, plan bodies): roles found sentence by sentence, task = the section or
  paragraph holding the sentence. Objective / requirement parts are not tasks.
"""
from __future__ import annotations

import re
import sys
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.agencies import AgencyCatalog, Mention, looks_like_agency
from loaders.models import (
    AgencyRef, Assignment, Dropped, ParsedDocument, RefStatus, Role, Section, SectionKind, Span, Task,
)
from loaders.text import fold, fold_keep_offsets, literal_positions

# ----------------------------------------------------------------------------- vocabulary

# Each branch opens with a literal letter, so the regex engine skips ahead to a c, d, p or t
# without entering a match; the word-start test follows that letter, and the groups that
# name the role come after it (a group opening a branch would hide the letter).
_ROLE_RX = re.compile(
    r"(?:c(?<![a-z0-9]c)(?P<lead>hu tri)|p(?<![a-z0-9]p)(?P<coord>hoi hop)(?:\s+voi)?"
    r"|d(?<![a-z0-9]d)(?:(?P<focal>au moi)|(?P<steer>on doc|ieu phoi))|t(?<![a-z0-9]t)(?P<advise>ham muu))"
    r"(?![a-z0-9])"
)
# every _ROLE_RX match starts with one of these
_ROLE_LITERALS = ("chu tri", "phoi hop", "dau moi", "tham muu", "don doc", "dieu phoi")
_ROLE_OF = {"lead": Role.LEAD, "coord": Role.COORDINATE, "focal": Role.FOCAL_POINT,
            "advise": Role.ADVISE, "steer": Role.STEER}
# a role word that opens a clause whose subject is inherited ("a) Chủ trì, phối hợp ...")
_OPENING_EXTRA = re.compile(r"\s*tham gia(?![a-z0-9])")
_ASSIGN_PART = re.compile(
    r"^(?:[ivxlc]+\.?\s*)?(?:to chuc (?:thuc hien|trien khai)|trach nhiem (?:thuc hien|cua cac)|"
    r"phan cong (?:nhiem vu|thuc hien|trach nhiem)|giao nhiem vu|.*\bgiao\s*:?\s*$)"
)
_NON_TASK_PART = re.compile(
    r"^(?:[ivxlc]+\.?\s*)?(?:muc dich|yeu cau|muc tieu|quan diem|can cu|thuc trang|ket qua|danh gia)"
)
_LABEL = re.compile(r"\s*(?:(?:[IVXLC]+|\d+(?:\.\d+)*)[.)]|[a-zđ]\)|[-+•*–])\s*")
_PREFIX_PHRASES = ("de nghi", "giao", "giao cho", "thu truong", "chu tich", "lanh dao", "trach nhiem cua",
                   "doi voi", "yeu cau")
_PREFIX_WORDS = re.compile(r"^\s*(?:(?:" + "|".join(_PREFIX_PHRASES) + r")\s+)+")
_QUALIFIER_BEFORE = re.compile(
    r"(?:thuoc|truc thuoc|cua|qua|ve|gui|trinh|tai|theo|voi|thong qua|kien nghi|bao cao|de xuat)\s*\(?\s*$"
)
_CONNECTOR_GAP = re.compile(
    r"^[\s,;&\-–/]*(?:(?:va|cung|voi|cac|hoac|to chuc|ca nhan|dia phuong|don vi|co quan)(?![a-z0-9])[\s,;]*)*"
    r"[\s,;&\-–/]*$"
)
_BOUNDARY = re.compile(r"[.;:!?](?=\s|$)")
_FIELD_RX = re.compile(     # matched at line starts (see _line_starts): a field is one line's head
    r"[ \t]*(?:[-+•*][ \t]*)?(?:[a-zđ]\)[ \t]*)?"
    r"(?P<label>nhiem vu|muc tieu|noi dung(?: thuc hien)?|(?:don vi|co quan) chu tri(?: thuc hien)?|"
    r"(?:don vi|co quan) thuc hien|(?:don vi|co quan) phoi hop(?: thuc hien)?|"
    r"thoi gian(?: hoan thanh| thuc hien)?|thoi han(?: hoan thanh)?|san pham|(?:nguon )?kinh phi)[ \t]*:"
)
_DEADLINE_RX = re.compile(
    r"(?=[tchđ])(?:trước ngày|trước tháng|trước quý|chậm nhất|hoàn thành trước|hoàn thành trong|trong năm|"
    r"trong quý|định kỳ hàng|định kỳ hằng|hàng năm|hằng năm|hàng quý|hằng quý|thường xuyên)[^;.()\n]*",
    re.I,
)
# _DEADLINE_RX's phrases folded: every character re.I matches in them folds as they do, so
# a deadline starts where one of these starts in the folded text
_DEADLINE_FOLDED = ("truoc ngay", "truoc thang", "truoc quy", "cham nhat", "hoan thanh truoc",
                    "hoan thanh trong", "trong nam", "trong quy", "dinh ky hang", "hang nam", "hang quy",
                    "thuong xuyen")
_TOKENS = re.compile(r"[a-z0-9]+")
_PUNCT = re.compile(r"[.;:]")
_GAP_FILLER = re.compile(r"(?<![a-z0-9])(?:voi|cac|va|cung|cho|la)(?![a-z0-9])")
_CAC = re.compile(r"(?<![a-z0-9])cac(?![a-z0-9])")
# the only words that may come before the agency a clause opens with (see _opening_mention)
_LEAD_IN_WORDS = frozenset(" ".join(_PREFIX_PHRASES).split()) | {"cac"}
_OPENER = re.compile(r"\s*(?:de nghi|giao(?: cho)?)\s+")
# "\b[tT]ỉnh X": the literal "ỉnh" first lets the engine skip ahead by string search, the
# word start is checked behind it (a name ends before space or punctuation, never before
# "ỉnh", so matches resume where they did)
_PROVINCE_NAME = re.compile(r"ỉnh(?<=(?<!\w)[tT]ỉnh)\s+([A-ZĐ][^\s,.;:()]*(?:\s+[A-ZĐ][^\s,.;:()]*){0,2})")
_PAREN = re.compile(r"\([^()]*\)")
_PIECE_SPLIT = re.compile(r"[;,]|\bvà\b")
_NUMBER_COLUMN = re.compile(r"^(?:stt|tt|so tt)$")
_TASK_TITLE = re.compile(r"nhiem vu\s*:")
_TASK_BODY = re.compile(r"\s*[-+•]?\s*nhiem vu\s*:")     # on fold(): one line, so only at its start
_ANNUAL = re.compile(r"\b(?:hang|moi) (?:nam)\b|dinh ky (?:hang|hang) nam|\bhang nam\b")
_QUARTERLY = re.compile(r"\b(?:hang|moi) quy\b")
_ONGOING = re.compile(r"\bthuong xuyen\b|\bliên tuc\b|\blien tuc\b")
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|den|toi)\s*(?:nam\s*)?((?:19|20)\d\d)\b")
_YEARS = re.compile(r"\b((?:19|20)\d\d)\b")
_OPEN_ENDED = re.compile(r"tiep theo|tro di|tro ve sau|ve sau|hang nam|thuong xuyen|duy tri")
_IGNORABLE_PIECE = re.compile(
    r"^(?:(?:cac|co|lien quan|co lien quan|tinh|cap|huyen|xa|tp|thanh pho|tren dia ban|dia ban|va|theo|"
    r"chuc nang|nhiem vu|don vi|dia phuong|to chuc|ca nhan|nguoi dan|duoc giao)\s*)*$"
)


# the members read in loops, as module globals: reading one off its Enum class goes through
# EnumType's __getattr__ hook, which costs about as much as a small function call
_LEAD, _COORDINATE = Role.LEAD, Role.COORDINATE
_ROW, _KHOAN, _APPENDIX, _BULLET = SectionKind.ROW, SectionKind.KHOAN, SectionKind.APPENDIX, SectionKind.BULLET

_TABLE_KINDS = frozenset({SectionKind.ROW, SectionKind.GROUP, SectionKind.APPENDIX})
_PART_KINDS = frozenset({SectionKind.PART, SectionKind.MUC, SectionKind.HEADING, SectionKind.ARTICLE})
_ASSIGN_PART_KINDS = _PART_KINDS | {SectionKind.KHOAN}


# ----------------------------------------------------------------------------- context

@dataclass
class _Ctx:
    doc: ParsedDocument
    catalog: AgencyCatalog
    folded: str
    defaults: dict
    role_spots: list[int]       # where a role literal starts in `folded`, in order
    assignments: list[Assignment] = field(default_factory=list)
    seen: set = field(default_factory=set)
    tasks: dict[str, Task] = field(default_factory=dict)
    consumed: set[str] = field(default_factory=set)
    refs_by_source: dict[str, list] = field(default_factory=dict)
    quotes: dict[tuple[int, int], str] = field(default_factory=dict)
    title_keys: dict[str, str] = field(default_factory=dict)
    outside_tasks: dict[str, bool] = field(default_factory=dict)
    cells: dict[tuple[str, Role], tuple] = field(default_factory=dict)   # cell_agencies, per cell text
    periods: dict[str, tuple] = field(default_factory=dict)     # parse_period, per time text

    def scan(self, start: int, end: int) -> list[Mention]:
        return self.catalog.scan(self.doc.text, self.folded, start, end, self.defaults)

    def add(self, ref: AgencyRef, role: Role, task: str, clause: str, span: Span, *,
            via_reference: bool = False, broken: bool = False) -> None:
        key = (ref.key, role, task)
        if key in self.seen:
            return
        self.seen.add(key)
        # one clause gives roles to several agencies: squash its quote once
        quote = self.quotes.get((span.start, span.end))
        if quote is None:
            quote = _squash_head(self.doc.text[span.start:span.end], 500)
            self.quotes[(span.start, span.end)] = quote
        self.assignments.append(Assignment(ref, role, task, clause, span, quote, via_reference, broken))

    def drop(self, kind: str, reason: str, text: str, section: str | None, offset: int | None) -> None:
        line = self.doc.line_of(offset) if offset is not None else None
        self.doc.report.dropped.append(Dropped(kind, reason, _squash_head(text, 300), line, section))




def _squash(s: str) -> str:
    """What _WS.sub(" ", s).strip() gives: `" ".join(s.split())`, but most clauses need at most
    their line breaks made spaces and their ends stripped, and splitting copies every word.
    isprintable() rules out every whitespace character but " ", so such a text with no "  "
    has single spaces between its words."""
    t = s.replace("\n", " ")
    if t.isprintable() and "  " not in t:
        return t.strip(" ")
    return " ".join(t.split())


def _squash_head(s: str, n: int) -> str:
    """`_squash(s)[:n]`, squashing only a head of a long clause: the squashed head is a
    prefix of the squashed whole, so it is enough once it holds n characters."""
    k = n + 64
    while k < len(s):
        head = _squash(s[:k])
        if len(head) >= n:
            return head[:n]
        k *= 2
    return _squash(s)[:n]


# ----------------------------------------------------------------------------- entry point

def assign_roles(doc: ParsedDocument, catalog: AgencyCatalog) -> None:
    """Fill doc.tasks, doc.assignments, doc.agencies; report what could not be placed."""
    folded = fold_keep_offsets(doc.text)
    ctx = _Ctx(doc, catalog, folded, jurisdiction_defaults(doc), literal_positions(folded, _ROLE_LITERALS))
    for r in doc.references:
        ctx.refs_by_source.setdefault(r.source, []).append(r)
    sections = doc.sections

    # 1. appendix rows
    for s in sections.values():
        if s.kind is _ROW and s.cells:
            _appendix_row(ctx, s)
            ctx.consumed.add(s.path)
    # 2. task blocks
    for holder in _task_block_holders(doc):
        _task_block(ctx, holder)
    # 3. assignment parts
    for s in sections.values():
        if s.kind in _ASSIGN_PART_KINDS and s.path not in ctx.consumed and _is_assignment_part(ctx, s):
            ctx.consumed.add(s.path)
            for child in s.children:
                if child in sections and child not in ctx.consumed:
                    _assignment_clause(ctx, sections[child])
    # 4. prose everywhere else (not objectives / requirements, not appendices)
    for s in sections.values():
        if s.path in ctx.consumed or s.kind in _TABLE_KINDS:
            continue
        if _outside_tasks(ctx, s):
            continue
        _prose_section(ctx, s)

    # tasks, agencies, report
    doc.assignments = ctx.assignments
    for a in ctx.assignments:
        if a.task in sections and not a.broken and a.task not in ctx.tasks:
            ctx.tasks[a.task] = _section_task(ctx, sections[a.task], "section")
    doc.tasks = [ctx.tasks[p] for p in sections if p in ctx.tasks]     # every task is a section's
    agencies: dict[str, AgencyRef] = {}
    for a in ctx.assignments:
        agencies.setdefault(a.agency.key, a.agency)
    doc.agencies = agencies
    doc.report.uncatalogued_agencies = sorted(k for k, r in agencies.items() if not r.catalogued)
    doc.report.tasks = len(doc.tasks)
    doc.report.assignments = len(doc.assignments)


def jurisdiction_defaults(doc: ParsedDocument) -> dict:
    """Default scope per level: the document's jurisdiction, and for a district plan its
    province (the most named "tỉnh X" in the text)."""
    ident = doc.identity
    jur = ident.jurisdiction
    out: dict = {None: jur}
    if ident.jurisdiction_level == "district":
        out["district"] = jur
        names = Counter(m.group(1) for m in _PROVINCE_NAME.finditer(doc.text))
        if names:
            out["province"] = names.most_common(1)[0][0]
    elif ident.jurisdiction_level == "commune":
        out["commune"] = jur
    else:
        out["province"] = jur
    return out


# ----------------------------------------------------------------------------- section helpers

def own_range(doc: ParsedDocument, s: Section) -> tuple[int, int]:
    """[start, end) of the text that belongs to the section itself, not its children."""
    start = s.span.start
    end = s.span.end
    if s.children:
        first = doc.sections.get(s.children[0])
        if first is not None:
            end = min(end, first.span.start)
    return start, end


def _skip_label(doc: ParsedDocument, start: int, end: int) -> int:
    m = _LABEL.match(doc.text, start, end)
    return m.end() if m else start


def _title_key(ctx: _Ctx, s: Section) -> str:
    key = ctx.title_keys.get(s.path)
    if key is None:
        key = ctx.title_keys[s.path] = fold(s.title).rstrip(":. ")
    return key


def _is_assignment_part(ctx: _Ctx, s: Section) -> bool:
    if s.kind not in _ASSIGN_PART_KINDS:
        return False
    t = _title_key(ctx, s)
    if not t or len(t) > 80:
        return False
    return bool(_ASSIGN_PART.match(t))


def _outside_tasks(ctx: _Ctx, s: Section) -> bool:
    """Whether `s` or an ancestor is an objective / requirement part or an appendix;
    memoised per path, so each ancestor chain is walked once per document."""
    hit = ctx.outside_tasks.get(s.path)
    if hit is None:
        if s.kind in _PART_KINDS or (s.kind is _KHOAN and s.parent is None):
            hit = bool(_NON_TASK_PART.match(_title_key(ctx, s)))
        else:
            hit = False
        parent = ctx.doc.sections.get(s.parent) if s.parent else None
        if not hit and parent is not None:
            hit = parent.kind is _APPENDIX or _outside_tasks(ctx, parent)
        ctx.outside_tasks[s.path] = hit
    return hit


# ----------------------------------------------------------------------------- clause analysis

@dataclass
class _Found:
    ref: AgencyRef
    role: Role
    start: int      # where the agency is named, or the clause start for an inherited one


def _first_of(folded: str, words: tuple[str, ...], start: int, end: int) -> int:
    """Where the first of `words` in folded[start:end] starts, or -1: a regex whose matches
    start with one of them need not look before it (str.find is far cheaper than a regex)."""
    sub = folded[start:end]     # `in` on a slice: str.find(w, start, end) parses its arguments slowly
    if not any(map(sub.__contains__, words)):
        return -1
    return min(sub.find(w) for w in words if w in sub) + start


def _role_words(ctx: _Ctx, start: int, end: int) -> list[tuple[int, int, Role]]:
    """(start, end, role) of each role word in folded[start:end]: what _ROLE_RX.finditer finds,
    but the regex is only tried where a role literal starts, as each of its matches starts with
    one. The literals are found once for the whole text: a search per clause costs far more
    (the regex would enter a match at every c, d, p and t)."""
    spots = ctx.role_spots
    words = []
    pos = start
    for k in range(bisect_left(spots, start), len(spots)):
        i = spots[k]
        if i >= end:
            break
        if i >= pos and (m := _ROLE_RX.match(ctx.folded, i, end)):
            words.append((i, m.end(), _ROLE_OF[m.lastgroup]))
            pos = m.end()
    return words


def _words(s: str, start: int = 0, end: int = sys.maxsize) -> int:
    """Words in s[start:end]; pos/endpos spare the slice (the token regex looks at nothing around)."""
    return len(_TOKENS.findall(s, start, end))


def _has_words(s: str, start: int = 0, end: int = sys.maxsize) -> bool:
    return _TOKENS.search(s, start, end) is not None


def _preceded_by_qualifier(ctx: _Ctx, pos: int, floor: int) -> bool:
    before = ctx.folded[max(floor, pos - 25):pos]
    return bool(_QUALIFIER_BEFORE.search(before))


def _list_after(ctx: _Ctx, pos: int, end: int, mentions: list[Mention], max_gap_words: int = 1) -> list[Mention]:
    """The run of mentions right after `pos` ("phối hợp với A, B và C ...")."""
    out: list[Mention] = []
    cur = pos
    for m in mentions:
        if m.start < cur:
            continue
        if m.start >= end:
            break
        gap = ctx.folded[cur:m.start]
        if out:
            if not _CONNECTOR_GAP.match(gap):
                break
        else:
            g = _GAP_FILLER.sub(" ", gap)
            if _words(g) > max_gap_words or _PUNCT.search(gap):
                break
        out.append(m)
        cur = m.end
    return out


def _sentence_start(ctx: _Ctx, floor: int, pos: int) -> int:
    """Where the sentence holding `pos` starts: after the last boundary in folded[floor:pos]."""
    start = floor
    for b in _BOUNDARY.finditer(ctx.folded, floor, pos):
        start = b.end()
    return start


def _subjects_before(ctx: _Ctx, pos: int, window_start: int, mentions: list[Mention]) -> list[Mention]:
    """Mentions that are the grammatical subject of the role word at `pos`, in its sentence
    from `window_start` on."""
    cands = [m for m in mentions if m.start >= window_start and m.end <= pos]
    cands = [m for m in cands if not _preceded_by_qualifier(ctx, m.start, window_start)]
    if not cands:
        return []
    last = cands[-1]
    gap = ctx.folded[last.end:pos]
    if _words(gap) > 8 or "," in gap and _words(gap) > 3:
        return []
    # keep the run of mentions joined by connectors that ends with `last`
    run = [last]
    for m in reversed(cands[:-1]):
        if _CONNECTOR_GAP.match(ctx.folded[m.end:run[0].start]):
            run.insert(0, m)
        else:
            break
    return run


def analyse(ctx: _Ctx, start: int, end: int, inherited: list[AgencyRef] | None = None,
            implicit: bool = False, mentions: list[Mention] | None = None) -> list[_Found]:
    """Roles stated in text[start:end].

    `inherited`: agencies the clause belongs to (khoản title, "X:" paragraph head);
    `implicit`: an inherited agency gets `lead` when the clause opens with no role word.
    """
    body = _skip_label(ctx.doc, start, end)
    words = _role_words(ctx, body, end)
    opener = _OPENER.match(ctx.folded, body, end)
    if mentions is None:
        mentions = _needed_mentions(ctx, start, body, end, words, opener, bool(inherited or implicit))
    out: list[_Found] = []
    prev_end = body
    prev_role: Role | None = None
    objects: set[int] = set()
    for ws, we, role in words:
        sentence = _sentence_start(ctx, prev_end, ws)
        if prev_role is _COORDINATE and sentence == prev_end:
            subj = []          # what follows "phối hợp với" in its sentence is its object phrase
        else:
            subj = [m for m in _subjects_before(ctx, ws, sentence, mentions) if m.start not in objects]
        for m in subj:
            for ref in m.refs:
                out.append(_Found(_as_inherited(ref, inherited), role, m.start))
        if role is _COORDINATE:
            # objects of "phối hợp (với)" coordinate, unless "phối hợp" is the subject's own
            # role ("X phối hợp với Y ...": X coordinates, Y is the one it works for)
            opening = not _has_words(ctx.folded, body, ws)
            own = bool(subj) or (opening and bool(inherited))
            for m in _list_after(ctx, we, end, mentions):
                objects.add(m.start)
                if not own:
                    for ref in m.refs:
                        out.append(_Found(ref, _COORDINATE, m.start))
        prev_end = we
        prev_role = role
    # "Giao X, Y ..." / "Đề nghị X ..." with no role word of their own: X implements
    if opener:
        for m in _list_after(ctx, opener.end(), end, mentions, max_gap_words=0):
            for ref in m.refs:
                if not any(f.ref.key == ref.key for f in out):
                    out.append(_Found(ref, _LEAD, m.start))
    # the clause's own agency: named at its start, or inherited from its heading
    if inherited or implicit:
        role = _opening_role(ctx, body, end, words)
        first = _opening_mention(ctx, body, mentions)
        if first is not None and not opener:
            if role is None and implicit and not any(f.start == first.start for f in out):
                for ref in first.refs:
                    out.append(_Found(ref, _LEAD, start))
        elif inherited:
            if role is None and implicit:
                role = _LEAD
            if role is not None:
                for ref in inherited:
                    if not any(f.ref.key == ref.key for f in out):
                        out.append(_Found(ref, role, start))
    return out


def _needed_mentions(ctx: _Ctx, start: int, body: int, end: int, words: list, opener: re.Match | None,
                     own: bool) -> list[Mention]:
    """What analyse reads of ctx.scan(start, end), found by scanning no more than needed.
    A scan restarted right after a ";" or ":", or stopped at one, finds what the whole scan
    finds on that side of it, as no mention spans either.

    An opener's list is read from `body` on: the whole scan. So is the agency a clause with
    an agency of its own (`own`) opens with, if one can. A role word's subjects are named
    in its sentence before it, the list after "phối hợp" follows it and may run over ";" (and
    over role words within names) but not over ":". Where none of these can be named (most
    points open with their role word), nothing is read."""
    if opener:
        return ctx.scan(start, end)
    if not words:
        return ctx.scan(start, end) if own and _may_open_with_mention(ctx, body, end) else []
    folded = ctx.folded
    coords = [we for _, we, role in words if role is _COORDINATE]
    named = any(_has_words(folded, prev, ws) for prev, (ws, _, _) in zip([body] + [we for _, we, _ in words], words))
    if not (coords or named or own and _may_open_with_mention(ctx, body, end)):
        return []
    last = words[-1][0]
    stop = min([i for i in (folded.find(";", last, end), folded.find(":", last, end)) if i >= 0], default=end)
    if coords:
        colon = folded.find(":", coords[-1], end)
        stop = max(stop, end if colon < 0 else colon)
    if own:
        return ctx.scan(start, stop)
    sentence = _sentence_start(ctx, body, words[0][0])
    return ctx.scan(max(start, folded.rfind(";", start, sentence) + 1, folded.rfind(":", start, sentence) + 1), stop)


def _as_inherited(ref: AgencyRef, inherited: list[AgencyRef] | None) -> AgencyRef:
    """A short form of the clause's own agency ("Ngân hàng Nhà nước Việt Nam" under
    "Ngân hàng Nhà nước Việt Nam chi nhánh Tiền Giang") is that agency."""
    for inh in inherited or ():     # keys first: most often it is the agency itself
        if inh.key != ref.key and (short := fold(ref.mention)) and fold(inh.mention).startswith(short):
            return inh
    return ref


def _opening_role(ctx: _Ctx, body: int, end: int, words) -> Role | None:
    if _OPENING_EXTRA.match(ctx.folded, body, end):
        return _COORDINATE
    if words:
        ws, _, role = words[0]
        if _words(ctx.folded, body, ws) <= 2 and not _PUNCT.search(ctx.folded, body, ws):
            return role
    return None


def _may_open_with_mention(ctx: _Ctx, body: int, end: int) -> bool:
    """False only if _opening_mention finds nothing, whatever the clause's mentions. Only
    _LEAD_IN_WORDS may come before the mention it returns, so that mention starts at one of
    the words up to the first other word: a catalog check at each of them spares the scan."""
    for word in _TOKENS.finditer(ctx.folded, body, end):
        if ctx.catalog.may_start(ctx.doc.text, ctx.folded, word.start(), end):
            return True
        if word.group() not in _LEAD_IN_WORDS:
            return False
    return False


def _opening_mention(ctx: _Ctx, body: int, mentions: list[Mention]) -> Mention | None:
    """The agency a clause opens with ("Các doanh nghiệp viễn thông phối hợp ...")."""
    for m in mentions:
        if m.start < body:
            continue
        lead_in = _PREFIX_WORDS.sub("", ctx.folded[body:m.start])
        lead_in = _CAC.sub("", lead_in)
        return None if _has_words(lead_in) else m
    return None


# ----------------------------------------------------------------------------- assignment parts

def _header_subjects(ctx: _Ctx, start: int, end: int, mentions: list[Mention],
                     head_limit: int | None = None) -> tuple[list[AgencyRef], int] | None:
    """A khoản/paragraph head that names who the clause is for: "3. Sở Thông tin và Truyền
    thông", "Các sở, ban, ngành thuộc UBND tỉnh, UBND các huyện...:", "Ban Chỉ đạo ...: ".
    Returns (agencies, end of the head) or None."""
    body = _skip_label(ctx.doc, start, end)
    colon = None
    head_end = end if head_limit is None else max(body, min(head_limit, end))
    i = ctx.doc.text.find(":", body, head_end)
    if i >= 0:
        colon = head_end = i
    inside = [x for x in mentions if x.start >= body and x.end <= head_end]
    if not inside:
        return None
    lead_in = _PREFIX_WORDS.sub("", ctx.folded[body:inside[0].start])
    if _has_words(_CAC.sub("", lead_in)):
        return None
    if _role_words(ctx, body, head_end) and colon is None:
        return None          # a whole sentence with a role word: analysed as a clause
    if _words(ctx.folded, inside[-1].end, head_end) > (5 if colon is not None else 6):
        return None          # a sentence that starts with an agency, not a heading
    for a, b in zip(inside, inside[1:]):
        if _words(ctx.folded, a.end, b.start) > 6:
            return None
    refs: list[AgencyRef] = []
    for x in inside:
        if _preceded_by_qualifier(ctx, x.start, body):
            continue
        for r in x.refs:
            if all(r.key != o.key for o in refs):
                refs.append(r)
    return (refs, (colon + 1) if colon is not None else head_end) if refs else None


def _assignment_clause(ctx: _Ctx, s: Section) -> None:
    doc = ctx.doc
    ctx.consumed.add(s.path)
    start, end = own_range(doc, s)
    mentions = ctx.scan(start, end)
    head = _header_subjects(ctx, start, end, mentions, s.head_span.end)
    if head is None:
        # a sentence clause ("Giao Sở X chủ trì ...", "Ban Chỉ đạo ... đôn đốc ...")
        found = analyse(ctx, start, end, mentions=mentions)
        if found:
            _emit(ctx, s.path, start, end, found)
        elif s.children:
            for c in s.children:
                if c in doc.sections:
                    _assignment_clause(ctx, doc.sections[c])
            return
        else:
            ctx.drop("role", "assignment clause names no agency", doc.text[start:end], s.path, start)
        for c in s.children:
            if c in doc.sections:
                ctx.consumed.add(c)
                _prose_section(ctx, doc.sections[c])
        return
    subjects, head_end = head
    rest_has_text = _has_words(ctx.folded, head_end, end)
    children = [doc.sections[c] for c in s.children if c in doc.sections]
    if rest_has_text:
        rest_mentions = [m for m in mentions if m.start >= head_end]
        found = analyse(ctx, head_end, end, inherited=subjects, implicit=True, mentions=rest_mentions)
        _emit(ctx, s.path, head_end, end, found)
    for c in children:
        _points_of(ctx, c, subjects)
    if not rest_has_text and not children:
        ctx.drop("role", "agency heading with no clause", doc.text[start:end], s.path, start)


def _points_of(ctx: _Ctx, s: Section, subjects: list[AgencyRef]) -> None:
    """One point of an agency's clause: its text (with its bullets) is one clause."""
    doc = ctx.doc
    ctx.consumed.add(s.path)
    start, end = own_range(doc, s)
    found = analyse(ctx, start, end, inherited=subjects, implicit=True)
    _emit(ctx, s.path, start, end, found)
    for c in s.children:
        if c in doc.sections:
            # sub-bullets continue the point: same agencies, own roles if stated
            _points_of(ctx, doc.sections[c], subjects)


def _emit(ctx: _Ctx, path: str, start: int, end: int, found: list[_Found]) -> None:
    """Attach roles found in clause `path` to its referenced points, or to itself."""
    if not found:
        return
    refs = [r for r in ctx.refs_by_source.get(path, []) if start <= r.span.start < end]
    span = Span(start, end)
    if refs:
        for r in refs:
            if r.status is RefStatus.BROKEN or not r.targets:
                targets, broken = [r.target_path], True
            else:
                targets, broken = list(r.targets), False
            for t in targets:
                for f in found:
                    ctx.add(f.ref, f.role, t, path, span, via_reference=True, broken=broken)
        return
    for f in found:
        ctx.add(f.ref, f.role, path, path, span)
    if path in ctx.doc.sections and path not in ctx.tasks:
        ctx.tasks[path] = _section_task(ctx, ctx.doc.sections[path], "assignment", start, end)


# ----------------------------------------------------------------------------- prose

def _prose_section(ctx: _Ctx, s: Section) -> None:
    doc = ctx.doc
    start, end = own_range(doc, s)
    if start >= end:
        return
    colon = doc.text.find(":", start, min(end, s.head_span.end))
    headed = colon >= 0
    body = _skip_label(doc, start, end)
    if not _role_words(ctx, start, end) and not _OPENER.match(ctx.folded, body, end):
        # no role word, no "Giao/Đề nghị": roles come only from a head "X: ..." that opens
        # with an agency (most prose has neither)
        if not headed or not _may_open_with_mention(ctx, body, end):
            return
    # a section headed "X: ..." (news paragraphs, unnumbered clauses) belongs to X; the head's
    # mentions are those of a scan up to its colon, as no mention spans one
    head = _header_subjects(ctx, start, end, ctx.scan(start, colon), s.head_span.end) if headed else None
    if head is not None:
        subjects, head_end = head
        found = analyse(ctx, head_end, end, inherited=subjects, implicit=True)
    else:
        found = analyse(ctx, start, end)
    _emit(ctx, s.path, start, end, found)


# ----------------------------------------------------------------------------- appendix rows

def _column(headers: list[str], *patterns: str) -> str | None:
    for pat in patterns:
        for h in headers:
            if re.search(pat, fold(h)):
                return h
    return None


@lru_cache(maxsize=256)
def _columns(headers: tuple[str, ...]) -> tuple:
    """Which header is Chủ trì / Đơn vị thực hiện / Phối hợp / Thời gian / content."""
    hs = list(headers)
    lead_col = _column(hs, r"chu tri")
    impl_col = None if lead_col else _column(hs, r"(?:don vi|co quan) thuc hien", r"^thuc hien$")
    coord_col = _column(hs, r"phoi hop")
    time_col = _column(hs, r"thoi gian|thoi han|tien do|^nam$")
    content_col = _column(hs, r"noi dung|nhiem vu|ten |^ten|chi tieu|van ban|du an|hoat dong|giai phap")
    others = tuple(h for h in hs if h not in (lead_col, impl_col, coord_col, time_col, content_col)
                   and not _NUMBER_COLUMN.search(fold(h)))
    return lead_col, impl_col, coord_col, time_col, content_col, others


def _appendix_row(ctx: _Ctx, s: Section) -> None:
    lead_col, impl_col, coord_col, time_col, content_col, others = _columns(tuple(s.cells))
    if content_col is None:
        content_col = max(others, key=lambda h: len(s.cells.get(h, "")), default=None)
    raw_title = s.cells.get(content_col, "") if content_col else s.title
    title = _squash_head(raw_title, 300)
    time_text = _squash(s.cells.get(time_col, "")) if time_col else ""
    task = Task(s.path, title, time_text or None, source="appendix_row")
    _apply_period(ctx, task, time_text)
    lead_h = lead_col or impl_col
    if lead_h is None and coord_col is None:
        ctx.drop("table", "appendix table has no Chủ trì / Phối hợp column", s.title, s.path, s.span.start)
        return
    any_lead = False
    for header, role in ((lead_h, _LEAD), (coord_col, _COORDINATE)):
        if header is None:
            continue
        cell = s.cells.get(header, "") or ""
        if not cell.strip():
            if role is _LEAD:
                ctx.drop("role", "appendix row has an empty Chủ trì cell (no lead)", raw_title, s.path,
                         s.span.start)
            continue
        span = _locate(ctx.doc.text, cell, s.span)
        for ref, r, _ in cell_agencies(ctx, cell, role, s.path, span.start):
            ctx.add(ref, r, s.path, s.path, span)
            any_lead |= r is _LEAD
        if role is _LEAD and not any_lead:
            ctx.drop("role", "no agency recognised in the Chủ trì cell (row has no lead)", cell, s.path, span.start)
    ctx.tasks.setdefault(s.path, task)


def _locate(text: str, cell: str, within: Span) -> Span:
    """The first run of the cell's first 40 words in `within`, separated by whitespace runs
    (`find_words(text, words, ...)` with \\s+). A cell is its source lines joined with spaces,
    so it is seldom there verbatim, but mostly is with line breaks for some of the spaces: one
    comparison settles such a run. Else splitting the text after the occurrence of the first
    word compares all the words in one call instead of one regex call per word."""
    words = cell.split()[:40]
    if not words:
        return within
    n = len(words)
    phrase = " ".join(words)
    i = text.find(words[0], within.start, within.end)
    while i >= 0:
        end = i + len(phrase)
        if end <= within.end and text[i:end].replace("\n", " ") == phrase:
            return Span(i, end)
        rest = text[i:within.end]
        # str.split() splits on what \s matches: the first n-1 words must be whole tokens
        # followed by whitespace, the last only has to begin the remainder
        parts = rest.split(None, n - 1)
        if len(parts) == n and parts[-1].startswith(words[-1]) and parts[:-1] == words[:-1]:
            return Span(i, i + len(rest) - len(parts[-1]) + len(words[-1]))
        i = text.find(words[0], i + 1, within.end)
    return within


def cell_agencies(ctx: _Ctx, cell: str, role: Role, path: str | None = None,
                  offset: int | None = None) -> list[tuple[AgencyRef, Role, tuple[int, int]]]:
    """Agencies listed in one table cell / field value, each with its role.

    Names keep their commas ("Sở Văn hóa, Thể thao và Du lịch", "Các sở, ban, ngành")
    because the catalog matches whole names first; what is left between names is split on
    ';' ',' 'và' and kept as uncatalogued agencies when it looks like one. A remark in
    parentheses with its own role word ("(Sở TT&TT chủ trì, tổng hợp ...)") is read as a
    clause; without one, the bodies it names get the column's role.

    The same cell text recurs across rows ("Sở Thông tin và Truyền thông"): it is read once
    per document; only what is reported about it depends on the row.
    """
    hit = ctx.cells.get((cell, role))
    if hit is None:
        hit = ctx.cells[(cell, role)] = _read_cell(ctx, cell, role)
    out, unrecognised = hit
    for p in unrecognised:
        ctx.drop("agency", "text in an agency cell is not a recognised agency", p, path, offset)
    return list(out)


def _read_cell(ctx: _Ctx, cell: str, role: Role) -> tuple[list, list[str]]:
    """cell_agencies for one cell text: (agencies with roles, unrecognised pieces)."""
    cat = ctx.catalog
    folded = fold_keep_offsets(cell)
    mentions = cat.scan(cell, folded, 0, len(cell), ctx.defaults)
    out: list[tuple[AgencyRef, Role, tuple[int, int]]] = []
    unrecognised: list[str] = []
    parens = [(m.start(), m.end()) for m in _PAREN.finditer(cell)]

    def in_paren(pos: int):
        for a, b in parens:
            if a <= pos < b:
                return a, b
        return None

    paren_roles: dict[tuple[int, int], list[tuple[int, Role]]] = {}
    for a, b in parens:
        inner = folded[a:b]
        subjects = []
        for rm in _ROLE_RX.finditer(inner):
            prior = [m for m in mentions if a <= m.start and m.end <= a + rm.start()]
            if prior:
                subjects.append((prior[-1].start, _ROLE_OF[rm.lastgroup]))
        paren_roles[(a, b)] = subjects
    for m in mentions:
        p = in_paren(m.start)
        r = role
        if p is not None:
            stated = [rr for st, rr in paren_roles[p] if st == m.start]
            if stated:
                r = stated[0]
            elif paren_roles[p]:
                continue     # an object inside a remark ("trình UBND tỉnh phê duyệt")
        for ref in m.refs:
            out.append((ref, r, (m.start, m.end)))
    # leftovers between names
    covered = sorted([(m.start, m.end) for m in mentions] + parens)
    pos = 0
    gaps = []
    for a, b in covered + [(len(cell), len(cell))]:
        if a > pos:
            gaps.append((pos, a))
        pos = max(pos, b)
    for a, b in gaps:
        for piece in _PIECE_SPLIT.split(cell[a:b]):
            p = piece.strip(" .:-–\n\t")
            if not p or _IGNORABLE_PIECE.match(fold(p)):
                continue
            if looks_like_agency(p):
                ref = cat.match(p, None, ctx.defaults)
                if ref is not None:
                    out.append((ref, role, (a, b)))
                    continue
            unrecognised.append(p)
    return out, unrecognised


# ----------------------------------------------------------------------------- task blocks

def _task_block_holders(doc: ParsedDocument) -> list[Section]:
    holders: list[Section] = []
    seen: set[str] = set()
    for s in doc.sections.values():
        if s.kind in _TABLE_KINDS:
            continue
        head = s.title[:20]
        t = fold(head) if ":" in head else ""
        if t and _TASK_TITLE.match(t):
            holder = s
            if s.kind is _BULLET and s.parent in doc.sections:
                holder = doc.sections[s.parent]
            if holder.path not in seen:
                seen.add(holder.path)
                holders.append(holder)
        elif s.path not in seen and s.body and ":" in s.body and \
                _TASK_BODY.match(fold(s.body)):
            seen.add(s.path)
            holders.append(s)
    return holders


def _task_block(ctx: _Ctx, holder: Section) -> None:
    doc = ctx.doc
    start, end = holder.span.start, holder.span.end
    fields: list[tuple[str, int, int]] = []
    marks = [m for p in _line_starts(ctx.folded, start, end) if (m := _FIELD_RX.match(ctx.folded, p, end))]
    for i, m in enumerate(marks):
        vend = marks[i + 1].start() if i + 1 < len(marks) else end
        fields.append((m.group("label"), m.end(), vend))     # the labels are single-spaced
    if not any(lbl == "nhiem vu" for lbl, _, _ in fields):
        return
    ctx.consumed.add(holder.path)
    for d in _descendants(doc, holder):
        ctx.consumed.add(d)

    # the value ranges of each kind of field; a label is of one kind at most
    tasks, times, leads, impl, coords = [], [], [], [], []
    for lbl, a, b in fields:
        if lbl == "nhiem vu":
            tasks.append((a, b))
        elif lbl.startswith(("thoi gian", "thoi han")):
            times.append((a, b))
        elif "chu tri" in lbl:
            leads.append((a, b))
        elif "phoi hop" in lbl:
            coords.append((a, b))
        elif lbl.endswith("thuc hien") and lbl.startswith(("don vi", "co quan")):
            impl.append((a, b))
    title = " ".join(_squash(doc.text[a:b]) for a, b in tasks)
    time_text = " ".join(_squash(doc.text[a:b]) for a, b in times).rstrip(".")
    task = Task(holder.path, title[:300], time_text or None, source="task_block")
    _apply_period(ctx, task, time_text)
    ctx.tasks[holder.path] = task
    plan = [(v, _LEAD) for v in leads] + [(v, _LEAD if not leads else _COORDINATE) for v in impl] \
        + [(v, _COORDINATE) for v in coords]
    got_lead = False
    for (a, b), role in plan:
        span = Span(a, b)
        for ref, r, _ in cell_agencies(ctx, doc.text[a:b], role, holder.path, a):
            ctx.add(ref, r, holder.path, holder.path, span)
            got_lead |= r is _LEAD
    if not got_lead:
        ctx.drop("role", "task block names no lead (Đơn vị chủ trì / thực hiện)", title, holder.path, start)


def _line_starts(text: str, start: int, end: int) -> list[int]:
    """Where lines begin in text[start:end]: what `^` matches under re.M. A regex search for
    `^...` would enter a match at every character; str.find jumps from line to line."""
    out = [start] if start == 0 or text[start - 1] == "\n" else []
    i = text.find("\n", start, end)
    while i >= 0:
        out.append(i + 1)
        i = text.find("\n", i + 1, end)
    return out


def _descendants(doc: ParsedDocument, s: Section):
    stack = list(s.children)
    while stack:
        p = stack.pop()
        yield p
        sec = doc.sections.get(p)
        if sec is not None:
            stack.extend(sec.children)


# ----------------------------------------------------------------------------- tasks and periods

def _section_task(ctx: _Ctx, s: Section, source: str, start: int | None = None, end: int | None = None) -> Task:
    task = Task(s.path, _squash_head(s.title, 300), source=source)
    if start is not None and end is not None:
        first = _first_of(ctx.folded, _DEADLINE_FOLDED, start, end)
        m = _DEADLINE_RX.search(ctx.doc.text, first, end) if first >= 0 else None
        if m:
            task.deadline_text = _squash(m.group(0)).rstrip(" ,")
            _apply_period(ctx, task, task.deadline_text)
    return task


def parse_period(text: str) -> tuple[int | None, int | None, str | None]:
    """("2023-2024") -> (2023, 2024, None); ("Hàng năm") -> (None, None, "annual");
    ("Năm 2023 và các năm tiếp theo") -> (2023, None, None); ("Thường xuyên") -> ongoing."""
    f = fold(text) if text else ""
    if not f:
        return None, None, None
    recurrence = None
    if _ANNUAL.search(f):
        recurrence = "annual"
    elif _QUARTERLY.search(f):
        recurrence = "quarterly"
    elif _ONGOING.search(f):
        recurrence = "ongoing"
    start = end = None
    rng = _YEAR_RANGE.search(f)
    if rng:
        start, end = int(rng.group(1)), int(rng.group(2))
    else:
        years = [int(y) for y in _YEARS.findall(f)]
        if years:
            start = years[0]
            open_ended = _OPEN_ENDED.search(f)
            end = None if open_ended else max(years)
    return start, end, recurrence


def _apply_period(ctx: _Ctx, task: Task, text: str) -> None:
    """Set the task's period from `text`; a table repeats its time cells ("Hàng năm",
    "2022-2023"), so each text is parsed once per document."""
    period = ctx.periods.get(text)
    if period is None:
        period = ctx.periods[text] = parse_period(text)
    task.period_start, task.period_end, task.recurrence = period


__all__ = ["assign_roles", "parse_period", "jurisdiction_defaults", "analyse", "cell_agencies"]
