"""Agency catalog: recognise the bodies a plan assigns work to.

The catalog itself is data (`loaders/data/agencies.yaml`); this module compiles it into
one regex over *folded* text (no diacritics, lowercase, dashes unified) so matching is
tolerant of case, spacing, line wraps, missing diacritics and OCR slips such as
"tình" for "tỉnh". Folding here is character-for-character (`loaders.text.fold_keep_offsets`), so an
offset in the folded text is the same offset in the original: no offset map needed.

An agency mention is scoped to a jurisdiction: the one it names ("Sở TT&TT Điện Biên",
"UBND thành phố Mỹ Tho", "... chi nhánh Tiền Giang") or else the document's.
National bodies are scoped to "national". Keys are `<type_key>@<slug(jurisdiction)>`;
a mention that looks like an agency but is not in the catalog becomes
`x-<slug(name)>@<jurisdiction>` with `catalogued=False`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import yaml

from loaders.models import AgencyRef
from loaders.text import fold, fold_keep_offsets, nfc, slug

DEFAULT_PATH = Path(__file__).parent / "data" / "agencies.yaml"
NATIONAL = "national"

# --------------------------------------------------------------------------- data types

@dataclass(slots=True, frozen=True)
class Successor:
    type_key: str
    date: str | None
    note: str | None = None


@dataclass(slots=True)
class AgencyType:
    key: str
    name: str
    name_en: str | None
    abbr: str | None
    level: str                      # national | province | district | commune
    collective: bool = False
    variants: list[str] = field(default_factory=list)
    domain_words: list[str] = field(default_factory=list)
    successors: list[Successor] = field(default_factory=list)
    takes_name: bool = False
    requires_name: bool = False
    name_is_jurisdiction: bool = True
    capitalised: bool = False
    not_followed_by: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(slots=True)
class Mention:
    """A found agency mention: [start, end) in the text given, and its resolved refs."""

    start: int
    end: int
    refs: list[AgencyRef]


# --------------------------------------------------------------------------- pattern helpers

# between words: a separator, then maybe "và" / "&" (an empty branch, not `?`: the regex
# engine runs `?` over a group through its slower repeat machinery)
_SEP = r"(?:\s*[,\-&/.]\s*|\s+)(?:(?:va|&)(?![a-z0-9])\s*|)"
_UBND_TAILS = (r"bnd", r"y\s*ban\s+nhan\s+dan", r"y\s+ban\s+nhan", r"b\s*nd")   # each after a "u"
_UBND = "(?:" + "|".join("u" + t for t in _UBND_TAILS) + ")"
_TOKEN = re.compile(r"[a-z0-9]+")

# words that start an agency name: used for "looks like an agency" and name boundaries
HEAD_WORDS = (
    "Sở", "Phòng", "Ban", "Trung tâm", "Cục", "Chi cục", "Tổng cục", "Hội", "Hiệp hội",
    "Đại học", "Trường", "Học viện", "Viện", "Công ty", "Tập đoàn", "Ngân hàng", "Bưu điện",
    "Thanh tra", "Công an", "Đài", "Báo", "Ủy ban", "Uỷ ban", "UBND", "Bộ", "Kho bạc",
    "Văn phòng", "Liên đoàn", "Quỹ", "Đoàn", "Bảo hiểm", "Cảng vụ", "Chi nhánh", "Tổng công ty",
    "Hạt", "Đội", "Bệnh viện", "Tòa án", "Viện kiểm sát", "Mặt trận", "Tỉnh ủy", "Huyện ủy",
)
_HEADS_FOLDED = sorted({fold(h) for h in HEAD_WORDS}, key=len, reverse=True)
_LOOKS_LIKE = re.compile(
    r"^\s*(?:(?:cac|de nghi|giao|thu truong|chu tich|trach nhiem cua)\s+)*(?:%s)(?![a-z0-9])"
    % "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in _HEADS_FOLDED)
)


def _by_first_letter(words: list[str]) -> str:
    """An alternation of `words` (longest first) as one branch per first letter: words with
    another first letter cannot match where one does, so only the order within a branch
    counts, and the engine tests each letter once."""
    branches: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        branches.setdefault(w[0], []).append(re.escape(w[1:]).replace(r"\ ", r"\s+"))
    return "(?:" + "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in branches.items()) + ")"


_UNCAT_RE = re.compile(_by_first_letter(list(HEAD_WORDS)) + r"\s+(?=[A-ZĐ\u00C0-\u024F\u1E00-\u1EFF])")
# folded first words that can never begin a place name
_NAME_STOP = {
    "so", "phong", "ban", "trung", "cuc", "chi", "tong", "hoi", "hiep", "dai", "truong", "hoc",
    "vien", "cong", "tap", "ngan", "buu", "bao", "uy", "ubnd", "bo", "kho", "van", "lien", "quy",
    "doan", "chu", "thu", "giam", "cac", "nhung", "ke", "quyet", "nghi", "chi", "thong", "ve",
    "tai", "theo", "trong", "den", "tu", "va", "voi", "cua", "de", "khi", "nam", "ngay", "thang",
    "hdnd", "ubmttq", "mttq", "tinh", "huyen", "xa",
}
_LEVEL_WORDS = {
    "tinh": "province", "huyen": "district", "thi xa": "district", "thanh pho": "district",
    "tp": "district", "quan": "district", "xa": "commune", "phuong": "commune", "thi tran": "commune",
}
_TAIL_KEYWORD = re.compile(
    r"[ \t]*\n?[ \t]*(?:cua\s+)?(?:(cap)\s+)?(tinh|huyen|thi\s+xa|thanh\s+pho|tp\.?|quan|xa|phuong|thi\s+tran)(?![a-z0-9])"
)
_WORD = re.compile(r"[^\s,;:.()\[\]\"“”'‘’/|]+")
_WS = re.compile(r"\s+")
_CONNECTOR = re.compile(r"(?:,[ \t]*|và\s+|[-–][ \t]*)")
_MATCH_PREFIX = re.compile(r"(?:(?:cac|de nghi|giao|thu truong|chu tich|trach nhiem cua)\s*)*")
_UNCAT_PREFIX = re.compile(r"^(?:(?:các|Các|Đề nghị|đề nghị|Giao|giao)\s+)+")

# names, words and places recur across documents: fold and slug each once
_fold_word = lru_cache(maxsize=1 << 16)(fold)
_slug = lru_cache(maxsize=1 << 14)(slug)


def _variant_regex(variant: str) -> str | None:
    toks = [t for t in _TOKEN.findall(fold(variant)) if t != "va"]
    if not toks:
        return None
    parts: list[str] = []
    i = 0
    while i < len(toks):
        if toks[i] == "ubnd":
            parts.append(_UBND)
            i += 1
        elif toks[i:i + 4] == ["uy", "ban", "nhan", "dan"]:
            parts.append(_UBND)
            i += 4
        elif toks[i:i + 3] == ["uy", "ban", "nhan"] and (i + 3 == len(toks) or toks[i + 3] != "dan"):
            parts.append(_UBND)
            i += 3
        else:
            parts.append(re.escape(toks[i]))
            i += 1
    return _SEP.join(parts)


def _is_name_word(word: str, allow_acronym: bool) -> bool:
    if not word or not word[0].isupper():
        return False
    f = _fold_word(word)
    if not f or not f[0].isalpha():
        return False
    if f in _NAME_STOP:
        return False
    if word.isupper() and len(word) > 1 and not allow_acronym:
        return False
    return True


# --------------------------------------------------------------------------- the catalog

class AgencyCatalog:
    def __init__(self, types: dict[str, AgencyType], compounds: list[tuple[str, list[str]]],
                 notes: list[dict] | None = None):
        self.types = types
        self.compounds = compounds
        self.notes = notes or []
        self._ref_fields: dict[tuple[str, str | None], tuple] = {}
        self._compile()

    # ---------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: str | Path | None = None) -> "AgencyCatalog":
        if path is None:
            return _default_catalog()
        return cls._from_file(Path(path))

    @classmethod
    def _from_file(cls, path: Path) -> "AgencyCatalog":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        types: dict[str, AgencyType] = {}
        for raw in data.get("types", []):
            succ = [Successor(s["type"], str(s.get("date")) if s.get("date") else None, s.get("note"))
                    for s in raw.get("successors", []) or []]
            t = AgencyType(
                key=raw["key"], name=nfc(raw["name"]), name_en=raw.get("name_en"), abbr=raw.get("abbr"),
                level=raw.get("level", "province"), collective=bool(raw.get("collective", False)),
                variants=[nfc(str(v)) for v in raw.get("variants", []) or []],
                domain_words=[nfc(str(w)) for w in raw.get("domain_words", []) or []],
                successors=succ, takes_name=bool(raw.get("takes_name", False)),
                requires_name=bool(raw.get("requires_name", False)),
                name_is_jurisdiction=bool(raw.get("name_is_jurisdiction", True)),
                capitalised=bool(raw.get("capitalised", False)),
                not_followed_by=[fold(w) for w in raw.get("not_followed_by", []) or []],
                note=raw.get("note"),
            )
            if t.key in types:
                raise ValueError(f"duplicate agency type key {t.key!r} in {path}")
            types[t.key] = t
        compounds = [(nfc(c["text"]), list(c["types"])) for c in data.get("compounds", []) or []]
        for _, keys in compounds:
            for k in keys:
                if k not in types:
                    raise ValueError(f"compound names unknown type {k!r}")
        for t in types.values():
            for s in t.successors:
                if s.type_key not in types:
                    raise ValueError(f"{t.key}: successor {s.type_key!r} is not a catalog type")
        return cls(types, compounds, data.get("notes"))

    def _compile(self) -> None:
        entries: dict[str, tuple[int, list[str]]] = {}   # regex -> (literal length, type keys)

        def add(text: str, keys: list[str]) -> None:
            rx = _variant_regex(text)
            if rx is None:
                return
            length = len(fold(text))
            if rx in entries:
                old_len, old_keys = entries[rx]
                entries[rx] = (max(old_len, length), old_keys if old_keys == keys else old_keys)
            else:
                entries[rx] = (length, keys)

        for t in self.types.values():
            for v in [t.name, *t.variants]:
                add(v, [t.key])
        for text, keys in self.compounds:
            add(text, keys)
        # compile as a token trie: alternatives sharing a first word share one branch, so
        # the regex engine rejects a position after one cheap literal test
        self._group_types = []
        trie: dict = {"c": {}, "end": None}
        for rx, (_, keys) in sorted(entries.items(), key=lambda kv: (-kv[1][0], kv[0])):
            node = trie
            for part in rx.split(_SEP):
                node = node["c"].setdefault(part, {"c": {}, "end": None})
            if node["end"] is None:
                node["end"] = len(self._group_types)
                self._group_types.append(keys)

        def after(child: dict) -> str:
            """What may follow a trie word: the next word of a longer name, or the name's end."""
            inner = []
            if child["c"]:
                inner.append(_SEP + gen(child))
            if child["end"] is not None:
                inner.append(f"(?P<g{child['end']}>)")
            return "(?:" + "|".join(inner) + ")"

        def gen(node: dict) -> str:
            return "(?:" + "|".join(part + after(child) for part, child in node["c"].items()) + ")"

        # The first words are grouped by first letter ("c(?:ac...|hu...)" is "cac...|chu...",
        # alternatives with other letters cannot match there, so their order does not matter).
        # Each branch then opens with a literal, which lets the regex engine skip every position
        # whose letter begins no name without entering a match. `(?<!\wc)` after the letter c is
        # the `\b` before it, as c is a word character.
        tops: dict[str, list[str]] = {}
        for part, child in trie["c"].items():
            if part == _UBND:
                tops.setdefault("u", []).append("(?:" + "|".join(_UBND_TAILS) + ")" + after(child))
            else:
                tops.setdefault(part[0], []).append(part[1:] + after(child))
        branches = [(c, "(?:" + "|".join(alts) + ")") for c, alts in tops.items()]
        self._regex = re.compile(
            "(?:" + "|".join(f"{c}(?<!\\w{c}){rest}" for c, rest in branches) + r")(?![a-z0-9])"
        )
        # The same names (same groups, in the same order) without the `\b` test, each matched
        # with the character before it: a search then enters a match only after a character that
        # is no ASCII word character, not at every letter that can begin a name, and the costly
        # lookbehind goes; scan() drops the matches after a non-ASCII word character.
        self._after_sep = re.compile(
            "[^0-9A-Z_a-z](?:" + "|".join(c + rest for c, rest in branches) + r")(?![a-z0-9])"
        )
        # per regex group number (a match ends in exactly one group): its type keys, the first
        # type, and whether the match is one local body, which may name its jurisdiction
        self._by_group: list = [None] * (self._regex.groups + 1)
        for name, number in self._regex.groupindex.items():
            keys = self._group_types[int(name[1:])]
            t0 = self.types[keys[0]]
            self._by_group[number] = (keys, t0, len(keys) == 1 and t0.level != "national")
        # query lookup tables
        self._exact: dict[str, list[str]] = {}
        for t in self.types.values():
            keys = {t.key.lower(), fold(t.name), *(fold(v) for v in t.variants)}
            if t.abbr:
                keys.add(fold(t.abbr))
            if t.name_en:
                keys.add(fold(t.name_en))
            for k in keys:
                self._exact.setdefault(re.sub(r"\s+", " ", k).strip(), []).append(t.key)

    # ---------------------------------------------------------------- public API
    def match(self, mention: str, jurisdiction: str | None = None,
              default_jurisdiction: str | Mapping[str, str] | None = None) -> AgencyRef | None:
        """Resolve one mention ("Sở TT&TT", "UBND thành phố Mỹ Tho") to an AgencyRef.

        `jurisdiction` overrides the scope (unless the body is national);
        `default_jurisdiction` is used when the mention names none.
        """
        text = nfc(mention).strip()
        if not text:
            return None
        found = self.find_mentions(text, default_jurisdiction, uncatalogued=False)
        for m_start, _m_end, ref in found:
            # the mention must start the string (after "các", "Đề nghị", "Giao" ...)
            prefix = fold(text[:m_start])
            if prefix and not _MATCH_PREFIX.fullmatch(prefix):
                break
            if jurisdiction and self.types[ref.type_key].level != "national":
                ref = self._ref(ref.type_key, ref.mention, jurisdiction)
            return ref
        if looks_like_agency(text):
            return self._uncatalogued(text, jurisdiction, default_jurisdiction)
        return None

    def find_mentions(self, text: str, default_jurisdiction: str | Mapping[str, str] | None = None,
                      uncatalogued: bool = True) -> list[tuple[int, int, AgencyRef]]:
        """Every agency mention in `text`, longest first, no overlaps, in text order.

        A compound mention ("UBND cấp huyện, xã") yields one tuple per body, same span.
        """
        text = nfc(text)
        folded = fold_keep_offsets(text)
        out: list[tuple[int, int, AgencyRef]] = []
        for m in self.scan(text, folded, 0, len(text), default_jurisdiction, uncatalogued):
            for ref in m.refs:
                out.append((m.start, m.end, ref))
        return out

    def scan(self, text: str, folded: str, start: int, end: int,
             default_jurisdiction: str | Mapping[str, str] | None = None,
             uncatalogued: bool = True) -> list[Mention]:
        """Mentions in text[start:end]; `folded` must be `fold_keep_offsets(text)`."""
        defaults = _defaults(default_jurisdiction)
        found: list[Mention] = []
        # what self._regex.finditer(folded, start, end) finds, cheaper: a name at `start` itself
        # (the character before it may lie outside the range), then each name found with the
        # character before it. A match ends before no letter or digit, so no name starts where
        # one ends: searching on from a match's end misses none.
        first = self._regex.match(folded, start, end)
        if first is not None:
            mention = self._resolve_match(text, folded, first, first.start(), end, defaults)
            if mention is not None:
                found.append(mention)
        pos = first.end() if first else start
        while (m := self._after_sep.search(folded, pos, end)) is not None:
            name_start = m.start() + 1
            if folded[m.start()].isalnum():     # what \w is but "_": the name would be mid-word
                pos = name_start                # (the regex's `\b` test fails there), look on
                continue
            pos = m.end()
            if found and name_start < found[-1].end:
                continue        # inside the previous mention's tail (a mention starts at its match)
            mention = self._resolve_match(text, folded, m, name_start, end, defaults)
            if mention is not None:
                found.append(mention)
        if uncatalogued:
            found = self._add_uncatalogued(text, folded, start, end, found, defaults)
        return found

    def may_start(self, text: str, folded: str, pos: int, end: int) -> bool:
        """False only if no scan of a range ending at `end` finds a mention starting at `pos`:
        a mention starts with a catalog match or an uncatalogued body's head word."""
        return self._regex.match(folded, pos, end) is not None or _UNCAT_RE.match(text, pos, end) is not None

    def resolve_query(self, text: str) -> list[str]:
        """Type keys a user query names: key, English abbreviation or name, Vietnamese
        name or variant, with or without diacritics ("DIC", "so thong tin", "Sở TT&TT")."""
        q = re.sub(r"\s+", " ", fold(nfc(text))).strip()
        if not q:
            return []
        if q in self._exact:
            return list(dict.fromkeys(self._exact[q]))
        q2 = q.replace("_", " ").replace("-", " ")
        if q2 in self._exact:
            return list(dict.fromkeys(self._exact[q2]))
        keys: list[str] = []
        for _, _, ref in self.find_mentions(text, None, uncatalogued=False):
            keys.append(ref.type_key)
        if keys:
            return list(dict.fromkeys(keys))
        # prefix / word-start substring over names, English names and variants
        pat = re.compile(r"(?<![a-z0-9])" + re.escape(q))
        for t in self.types.values():
            cands = [fold(t.name), *(fold(v) for v in t.variants)]
            if t.name_en:
                cands.append(fold(t.name_en))
            if any(pat.search(c) for c in cands):
                keys.append(t.key)
        return keys

    def successors_of(self, type_key: str, on_date: str | None = None) -> list[Successor]:
        t = self.types[type_key]
        return [s for s in t.successors if on_date is None or (s.date or "") <= on_date]

    # ---------------------------------------------------------------- internals
    def _ref(self, type_key: str, mention: str, jurisdiction: str | None) -> AgencyRef:
        # all but the mention depend on (type, jurisdiction) only: built once per pair
        fields = self._ref_fields.get((type_key, jurisdiction))
        if fields is None:
            t = self.types[type_key]
            jur = NATIONAL if t.level == "national" else jurisdiction
            fields = (f"{t.key}@{_slug(jur) if jur else 'unknown'}", t.key, t.name, jur, t.collective,
                      t.name_en, t.abbr)
            if len(self._ref_fields) >= 1 << 14:
                self._ref_fields.clear()
            self._ref_fields[(type_key, jurisdiction)] = fields
        key, type_key, name, jur, collective, name_en, abbr = fields
        return AgencyRef(key, type_key, name, mention, jur, collective, True, name_en, abbr)

    def _uncatalogued(self, name: str, jurisdiction: str | None,
                      default_jurisdiction: str | Mapping[str, str] | None) -> AgencyRef:
        defaults = _defaults(default_jurisdiction)
        jur = jurisdiction or defaults.get("province") or defaults.get(None)
        clean = _WS.sub(" ", nfc(name)).strip(" ,;:.")
        clean = _UNCAT_PREFIX.sub("", clean)
        key = _slug(clean)
        return AgencyRef(
            key=f"x-{key}@{_slug(jur) if jur else 'unknown'}", type_key=f"x-{key}",
            name=clean, mention=name.strip(), jurisdiction=jur, collective=False, catalogued=False,
        )

    def _resolve_match(self, text: str, folded: str, m: re.Match, s: int, limit: int,
                       defaults: dict) -> Mention | None:
        """The mention of catalog match `m`, whose name starts at `s`."""
        keys, t0, local = self._by_group[m.lastindex]
        e = m.end()
        if t0.capitalised and not text[s].isupper():
            return None
        if t0.not_followed_by:
            after = folded[e:e + 20].lstrip()
            if any(after.startswith(w) and not after[len(w):len(w) + 1].isalnum() for w in t0.not_followed_by):
                return None
        # jurisdiction tail. A tail (cua, cap, tinh, huyen, ...) or a place name comes after
        # whitespace, and a name starts with a capital: most matches are followed by neither
        level_hint: str | None = None
        place: str | None = None
        j = e
        while j < limit and folded[j] in " \n":       # the only whitespace folded text has
            j += 1
        tail_or_name = e < j < limit and (folded[j] in "chpqtx" or text[j].isupper())
        k = _TAIL_KEYWORD.match(folded, e, limit) if local and tail_or_name else None
        if k:
            kw = _WS.sub(" ", k.group(2)).rstrip(".")
            level_hint = "province" if k.group(1) == "cap" and kw == "tinh" else _LEVEL_WORDS.get(kw)
            e = k.end()
            if k.group(1) != "cap":
                name, ne = _name_after(text, e, limit, allow_newline=True, min_words=1)
                if name:
                    place, e = name, ne
        elif local:
            name, ne = (_name_after(text, e, limit, allow_newline=True,
                                    min_words=1 if (t0.takes_name or t0.requires_name) else 2)
                        if tail_or_name else (None, e))
            if name:
                if t0.name_is_jurisdiction:
                    place = name
                e = ne
            elif t0.requires_name:
                return None
        elif t0.requires_name:
            name, ne = _name_after(text, e, limit, allow_newline=False, min_words=1)
            if not name:
                return None
            e = ne
        mention = text[s:e]
        refs = []
        for key in keys:
            t = self.types[key]
            if place and t.name_is_jurisdiction:
                jur = place
            else:
                jur = _default_for(t.level if not level_hint else level_hint, defaults)
            refs.append(self._ref(key, mention, jur))
        return Mention(s, e, refs)

    def _add_uncatalogued(self, text: str, folded: str, start: int, end: int,
                          found: list[Mention], defaults: dict) -> list[Mention]:
        starts = [m.start for m in found]
        extra: list[Mention] = []
        for um in _UNCAT_RE.finditer(text, start, end):
            s = um.start()
            if s > 0 and text[s - 1].isalnum():
                continue
            i = bisect_left(starts, s)
            if (i < len(found) and found[i].start <= s < found[i].end) or (i > 0 and found[i - 1].end > s):
                continue
            name, e = _name_after(text, um.end(), end, allow_newline=True, min_words=1, uncat=True)
            if not name:
                continue
            nxt = found[i].start if i < len(found) else end
            e = min(e, nxt)
            raw = text[s:e].rstrip(" ,")
            if len(raw.split()) < 2:
                continue
            # jurisdiction tail after the uncatalogued name
            jur = None
            k = _TAIL_KEYWORD.match(folded, e, min(nxt, end))
            if k and k.group(1) != "cap":
                kw = _WS.sub(" ", k.group(2)).rstrip(".")
                pname, pe = _name_after(text, k.end(), min(nxt, end), allow_newline=True, min_words=1)
                if pname:
                    jur, e = pname, pe
                else:
                    jur, e = _default_for(_LEVEL_WORDS.get(kw, "province"), defaults), k.end()
            ref = self._uncatalogued(raw, jur, defaults)
            ref.mention = text[s:e]
            extra.append(Mention(s, e, [ref]))
        if not extra:
            return found
        return sorted(found + extra, key=lambda m: m.start)


def _defaults(default_jurisdiction: str | Mapping[str, str] | None) -> dict:
    if default_jurisdiction is None:
        return {}
    if isinstance(default_jurisdiction, str):
        return {None: default_jurisdiction}
    d = dict(default_jurisdiction)
    return d


def _default_for(level: str | None, defaults: dict) -> str | None:
    if level == "national":
        return NATIONAL
    if level == "local":
        return defaults.get(None) or defaults.get("district") or defaults.get("province")
    if level == "commune":
        return defaults.get("commune") or defaults.get("district") or defaults.get(None) or defaults.get("province")
    if level == "district":
        return defaults.get("district") or defaults.get(None) or defaults.get("province")
    return defaults.get("province") or defaults.get(None) or defaults.get("district")


_HEAD_STOP = {"so", "phong", "ubnd", "uy", "ban", "cac", "bo", "cuc", "trung", "dai", "bao"}
_UNCAT_LOWER_STOP = {
    "chu", "phoi", "thuc", "trien", "co", "la", "duoc", "to", "xay", "de", "trong", "ve", "va",
    "tai", "cua", "theo", "huong", "dau", "tham", "don", "dieu", "chi", "bao", "cung", "se", "can",
    "da", "dang", "nham", "voi", "tinh", "huyen", "xa", "thanh", "thi", "quan", "phuong", "cap",
    "lien", "thuoc", "tren", "cho", "khi", "neu", "hoac", "cac", "moi", "nhung", "tu", "den",
    "ban", "ra", "vao", "giao", "gui", "qua", "do", "lam", "ho", "tro", "tuyen", "nang", "dam",
}


def _name_after(text: str, pos: int, limit: int, *, allow_newline: bool, min_words: int,
                allow_acronym: bool = False, uncat: bool = False) -> tuple[str | None, int]:
    """A proper name right after `pos`: capitalised words (place names, or the rest of an
    uncatalogued body's name when `uncat`), whitespace separated. Returns (name, end)."""
    words: list[tuple[int, int]] = []
    i = pos
    max_words = 9 if uncat else 5
    while len(words) < max_words:
        j = i
        while j < limit and (text[j] in " \t" or (allow_newline and text[j] == "\n")):
            j += 1
        if j >= limit:
            break
        if uncat and words:
            mcon = _CONNECTOR.match(text, j, limit)
            if mcon and (j > i or text[j] in ",-–"):
                w = _WORD.match(text, mcon.end(), limit)
                if w and w.group()[0].isupper() and _fold_word(w.group()) not in _HEAD_STOP:
                    words.append((w.start(), w.end()))
                    i = w.end()
                    continue
                break
        if j == i and not (uncat and not words):
            break
        if not (uncat and words) and not text[j].isupper():
            break       # a name's words are capitalised, but for an uncatalogued body's later ones
        w = _WORD.match(text, j, limit)
        if not w:
            break
        word = w.group()
        if uncat:
            f = _fold_word(word)
            if word[0].isupper():
                ok = not words or f not in _HEAD_STOP
            else:
                ok = bool(words) and f.isalpha() and f not in _UNCAT_LOWER_STOP
        else:
            ok = _is_name_word(word, allow_acronym)
        if not ok:
            break
        words.append((w.start(), w.end()))
        i = w.end()
    if len(words) < min_words:
        return None, pos
    s, e = words[0][0], words[-1][1]
    return " ".join(text[s:e].split()), e     # _WS.sub(" ", ...): the name ends in words


def looks_like_agency(text: str) -> bool:
    return bool(_LOOKS_LIKE.match(fold(text)))


@lru_cache(maxsize=1)
def _default_catalog() -> AgencyCatalog:
    return AgencyCatalog._from_file(DEFAULT_PATH)


def iter_types(catalog: AgencyCatalog, level: str | None = None) -> Iterable[AgencyType]:
    return (t for t in catalog.types.values() if level is None or t.level == level)
