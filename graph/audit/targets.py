"""Target checks: conflicting values inside a plan, and targets weaker than a national one.

target_conflict (error): the same indicator (`indicator_key`) and year stated with different
values in one plan — typically body versus appendix. One finding per (indicator, year, unit
family), listing every value with its path; the path of the finding is the first statement.
Only the numbers are compared (value, value_max): "tối thiểu 10%" and "đạt 10%" agree.
When every differing value sits in the *same* clause the finding is downgraded to info:
a plan does not contradict itself within one sentence, so two indicators probably share a
key (an indicator-catalogue issue, evidence says so).

target_below_national (warning): the plan IMPLEMENTS (LegalRelation.IMPLEMENTS) a national
decision whose target for the same indicator, year and unit is higher (for "<=" targets:
lower) than the best value the plan states. Data: loaders.indicators.load_national_targets().
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from loaders.models import LegalRelation, ParsedDocument, Target

from .common import fmt_value, section_id, target_ids
from .models import Finding, Kind, Severity, squash

_FAMILY = {"%": "share", "points": "share"}


def _family(unit: str) -> str:
    return _FAMILY.get(unit, unit)


def _indicator_name(key: str) -> str:
    try:
        from loaders.indicators import indicator_name
        return indicator_name(key) or key
    except Exception:  # noqa: BLE001 - names are cosmetic
        return key


def _signature(t: Target) -> tuple[float, float | None]:
    return (round(float(t.value), 6), None if t.value_max is None else round(float(t.value_max), 6))


def _implemented(doc: ParsedDocument) -> list[str]:
    return list(dict.fromkeys(c.number for c in doc.legal if c.relation is LegalRelation.IMPLEMENTS and c.number))


def _national(national: Iterable[Any] | None) -> list[Any]:
    if national is not None:
        return list(national)
    try:
        from loaders.indicators import load_national_targets
        return load_national_targets()
    except Exception:  # noqa: BLE001 - no data file: the check is skipped
        return []


def check_target_conflicts(doc: ParsedDocument, national: Iterable[Any] | None = None) -> list[Finding]:
    did = doc.doc_id
    ids = target_ids(doc)
    groups: dict[tuple[str, int, str], list[int]] = defaultdict(list)
    for i, t in enumerate(doc.targets):
        if t.indicator_key and t.year is not None:
            groups[(t.indicator_key, t.year, _family(t.unit))].append(i)
    nat = _national(national)
    programmes = _implemented(doc)
    out = []
    for (key, year, _fam), idxs in groups.items():
        sigs = {_signature(doc.targets[i]) for i in idxs}
        if len(sigs) < 2:
            continue
        ts = [doc.targets[i] for i in idxs]
        first = ts[0]
        values = [f"{t.section}: {fmt_value(t.comparator, t.value, t.value_max, t.unit)} (“{squash(t.quote, 80)}”)"
                  for t in ts]
        same_clause = not any(_signature(a) != _signature(b) and a.section != b.section for a in ts for b in ts)
        severity = Severity.INFO if same_clause else Severity.ERROR
        evidence = "; ".join(values)
        if same_clause:
            evidence += ("; the differing values stand in one clause: probably two indicators share the key "
                         f"{key!r} (check loaders/data/indicators.yaml)")
        suggestion = "state one value for the indicator and year in body and appendix"
        refs = [n for n in nat if n.indicator_key == key and n.year == year and n.document in programmes
                and _family(n.unit) == _family(first.unit)]
        if refs:
            n = refs[0]
            suggestion += (f"; the implemented national target is {fmt_value(n.comparator, n.value, n.value_max, n.unit)}"
                           f" ({n.document}, {n.source_clause})")
        out.append(Finding(
            Kind.TARGET_CONFLICT, severity, did, first.section, squash(first.quote, 240),
            f"{key} {year}", suggestion, f"{_indicator_name(key)} {year}: " + evidence,
            doc.line_of(first.span.start), (),
            tuple([("Target", ids[i]) for i in idxs] +
                  [section_id(did, s) for s in dict.fromkeys(t.section for t in ts) if s in doc.sections]),
        ))
    return out


def _best(ts: list[Target], lower_is_better: bool) -> Target:
    if lower_is_better:
        return min(ts, key=lambda t: t.value)
    return max(ts, key=lambda t: t.value_max if t.value_max is not None else t.value)


def check_below_national(doc: ParsedDocument, national: Iterable[Any] | None = None) -> list[Finding]:
    programmes = _implemented(doc)
    if not programmes:
        return []
    nat = [n for n in _national(national) if n.document in programmes]
    if not nat:
        return []
    did = doc.doc_id
    ids = target_ids(doc)
    out = []
    for n in nat:
        idxs = [i for i, t in enumerate(doc.targets)
                if t.indicator_key == n.indicator_key and t.year == n.year and _family(t.unit) == _family(n.unit)]
        if not idxs:
            continue
        lower = n.comparator in ("<=", "<")
        ts = [doc.targets[i] for i in idxs]
        best = _best(ts, lower)
        best_value = best.value if lower else (best.value_max if best.value_max is not None else best.value)
        national_value = n.value if not lower or n.value_max is None else n.value
        weaker = best_value > national_value if lower else best_value < national_value
        if not weaker:
            continue
        plan = fmt_value(best.comparator, best.value, best.value_max, best.unit)
        natv = fmt_value(n.comparator, n.value, n.value_max, n.unit)
        others = [f"{t.section}: {fmt_value(t.comparator, t.value, t.value_max, t.unit)}" for t in ts if t is not best]
        evidence = (f"{_indicator_name(n.indicator_key)} {n.year}: plan {best.section} states {plan}; "
                    f"{n.document} {n.source_clause} sets {natv} (“{squash(n.quote, 120)}”)")
        if others:
            evidence += "; other statements in the plan: " + ", ".join(others)
        out.append(Finding(
            Kind.TARGET_BELOW_NATIONAL, Severity.WARNING, did, best.section, squash(best.quote, 240),
            f"{n.indicator_key} {n.year}",
            f"align with {n.document} ({n.source_clause}): {natv}, or state why the plan sets less",
            evidence, doc.line_of(best.span.start), (),
            tuple([("Target", ids[i]) for i in idxs] + ([section_id(did, best.section)] if best.section in doc.sections else [])),
        ))
    return out
