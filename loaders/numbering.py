"""Numbering stage: skipped numbers, repeated labels and letters outside the Vietnamese sequence."""
from __future__ import annotations

from .models import NumberingAnomaly, Section, SectionKind
from .structure import VIETNAMESE_LETTERS, roman_value

_LETTER_INDEX = {letter: i for i, letter in enumerate(VIETNAMESE_LETTERS)}
_KIND_NAMES = {SectionKind.KHOAN: "khoản", SectionKind.MUC: "mục", SectionKind.ARTICLE: "Điều", SectionKind.ROW: "row"}
# bound once: attribute access on an Enum class is slow, and these are read per section
_KHOAN, _DIEM, _MUC = SectionKind.KHOAN, SectionKind.DIEM, SectionKind.MUC
_NUMBERED = frozenset((_KHOAN, _DIEM, _MUC, SectionKind.ARTICLE, SectionKind.ROW))


def check_numbering(sections: dict[str, Section]) -> list[NumberingAnomaly]:
    anomalies: list[NumberingAnomaly] = []
    groups: dict[tuple[str | None, SectionKind, int], list[Section]] = {}
    for section in sections.values():
        if section.kind in _NUMBERED:
            depth = section.label.count(".") if section.kind is _KHOAN else 0
            groups.setdefault((section.parent, section.kind, depth), []).append(section)
    for (parent, kind, _), items in groups.items():
        where = parent or "(document)"
        if kind is _DIEM:
            seen: dict[str, Section] = {}
            last = -1
            for item in items:
                label = item.label
                if label not in _LETTER_INDEX:
                    anomalies.append(NumberingAnomaly("invalid_letter", item.path,
                                                      f"point '{label})' under {where} is not in the Vietnamese sequence "
                                                      f"(a b c d đ e g h i k …)", item.line))
                    continue
                index = _LETTER_INDEX[label]
                if label in seen:
                    anomalies.append(NumberingAnomaly("repeated", item.path,
                                                      f"point '{label})' under {where} repeats the label of {seen[label].path}",
                                                      item.line))
                elif index > last + 1 and last >= 0:
                    missing = VIETNAMESE_LETTERS[last + 1:index]
                    # writers often go d -> e: a lone missing "đ" is reported apart, as minor
                    kind_name = "skipped_đ" if missing == ["đ"] else "skipped"
                    anomalies.append(NumberingAnomaly(kind_name, item.path,
                                                      f"points under {where} skip {', '.join(missing)} before '{label})'",
                                                      item.line))
                seen.setdefault(label, item)
                last = max(last, index)
            continue
        last_value = 0
        seen_labels: dict[str, Section] = {}
        for item in items:
            label = item.label.rsplit(".", 1)[-1]
            if kind is _MUC:
                value = roman_value(label)
            elif label.isdigit():
                value = int(label)
            else:
                continue
            name = _KIND_NAMES[kind]
            if item.label in seen_labels:
                anomalies.append(NumberingAnomaly("repeated", item.path,
                                                  f"{name} {item.label} under {where} repeats {seen_labels[item.label].path}",
                                                  item.line))
            elif value > last_value + 1 and last_value > 0:
                gap = ", ".join(str(v) for v in range(last_value + 1, value)) if kind is not _MUC else \
                    f"{last_value + 1}..{value - 1}"
                anomalies.append(NumberingAnomaly("skipped", item.path,
                                                  f"{name} numbering under {where} jumps from {last_value} to {value} "
                                                  f"(missing {gap})", item.line))
            seen_labels.setdefault(item.label, item)
            last_value = max(last_value, value)
    return anomalies
