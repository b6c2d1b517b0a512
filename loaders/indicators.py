"""Indicator normalisation: a target's indicator phrase -> a stable key from a data file.

The catalogue lives in `loaders/data/indicators.yaml` (key, English name, folded keyword
rules), so the same indicator compares across a plan's body and appendix and across plans.
National targets (QĐ 749/QĐ-TTg, QĐ 942/QĐ-TTg) live in `loaders/data/national_targets.yaml`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .text import fold

DATA_DIR = Path(__file__).parent / "data"
INDICATORS_FILE = DATA_DIR / "indicators.yaml"
NATIONAL_TARGETS_FILE = DATA_DIR / "national_targets.yaml"


# ---------------------------------------------------------------------------------------
# Indicator catalogue

@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    name: str
    units: tuple[str, ...]          # units a value of this indicator may have; empty = any
    all: tuple[re.Pattern, ...]
    none: tuple[re.Pattern, ...]

    def matches(self, folded: str) -> bool:
        return all(p.search(folded) for p in self.all) and not any(p.search(folded) for p in self.none)


def _compile(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])")


@lru_cache(maxsize=1)
def load_indicators() -> tuple[Indicator, ...]:
    with open(INDICATORS_FILE, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh) or []
    items = []
    seen: set[str] = set()
    for entry in raw:
        key = entry["key"]
        if key in seen:
            raise ValueError(f"{INDICATORS_FILE}: duplicate indicator key {key!r}")
        seen.add(key)
        items.append(Indicator(
            key=key,
            name=entry.get("name", key),
            units=tuple(u for u in ([entry["unit"]] if isinstance(entry.get("unit"), str) else entry.get("unit") or [])),
            all=tuple(_compile(p) for p in entry.get("all", [])),
            none=tuple(_compile(p) for p in entry.get("none", [])),
        ))
    return tuple(items)


def indicators_by_key() -> dict[str, Indicator]:
    return {ind.key: ind for ind in load_indicators()}


_UNIT_FAMILY = {"%": "share", "points": "share", "count": "count", "VND": "money"}


def squash(text: str) -> str:
    """`" ".join(text.split())`: each run of whitespace as one space, none at the ends. A text
    with nothing to squash is returned as it is, unsplit: one with no leading, trailing or double
    space that is printable (so has no whitespace but ' ': the others are control characters or
    separators)."""
    if not text.startswith(" ") and not text.endswith(" ") and "  " not in text and text.isprintable():
        return text
    return " ".join(text.split())


def indicator_key(text: str, folded: bool = False, unit: str | None = None) -> str | None:
    """The catalogue key of an indicator phrase, or None when no rule matches.

    `text` is the indicator as written (any Unicode form, with or without diacritics);
    pass `folded=True` when it is already folded. With `unit` ("%", "points", "count",
    "VND"), only indicators measured in a compatible unit are considered.
    """
    if not text:
        return None
    text = text.replace("…", " ")       # the gap mark of a displayed indicator ("chiếm … GRDP")
    f = squash(text) if folded else fold(unicodedata.normalize("NFC", text))
    return _key_of(f, _UNIT_FAMILY.get(unit, unit) if unit else None)


@lru_cache(maxsize=1)
def _by_family() -> dict[str | None, tuple[Indicator, ...]]:
    out: dict[str | None, tuple[Indicator, ...]] = {None: load_indicators()}
    for family in set(_UNIT_FAMILY.values()):
        out[family] = tuple(i for i in load_indicators()
                            if not i.units or any(_UNIT_FAMILY.get(u, u) == family for u in i.units))
    return out


@lru_cache(maxsize=16384)
def _key_of(folded: str, family: str | None) -> str | None:
    candidates = _by_family().get(family)
    if candidates is None:
        candidates = load_indicators()
    for ind in candidates:
        if ind.matches(folded):
            return ind.key
    return None


def indicator_name(key: str | None) -> str | None:
    if key is None:
        return None
    ind = indicators_by_key().get(key)
    return ind.name if ind else None


# ---------------------------------------------------------------------------------------
# National targets

@dataclass(frozen=True, slots=True)
class NationalTarget:
    document: str          # "749/QĐ-TTg"
    indicator_key: str
    year: int
    comparator: str        # '>=', '>', '=', '<=', 'range'
    value: float
    value_max: float | None
    unit: str
    source_clause: str     # "Điều 1, mục II.1.a"
    quote: str


@lru_cache(maxsize=1)
def _national_raw() -> dict:
    with open(NATIONAL_TARGETS_FILE, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def national_documents() -> list[dict]:
    return [dict(d) for d in _national_raw().get("documents", [])]


def load_national_targets(document: str | None = None) -> list[NationalTarget]:
    """National targets from the data file, optionally for one document number."""
    known = indicators_by_key()
    out = []
    for entry in _national_raw().get("targets", []):
        if document is not None and entry["document"] != document:
            continue
        key = entry["indicator_key"]
        if key not in known:
            raise ValueError(f"{NATIONAL_TARGETS_FILE}: unknown indicator_key {key!r}")
        out.append(NationalTarget(
            document=entry["document"],
            indicator_key=key,
            year=int(entry["year"]),
            comparator=entry["comparator"],
            value=float(entry["value"]),
            value_max=float(entry["value_max"]) if entry.get("value_max") is not None else None,
            unit=entry.get("unit", "%"),
            source_clause=entry["source_clause"],
            quote=entry.get("quote", ""),
        ))
    return out
