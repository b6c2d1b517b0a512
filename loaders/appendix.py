"""Appendix stage: PHỤ LỤC tables -> group and row sections with their cells.

Two input shapes: the `|`-per-line form of tables copied from web pages (each cell's
lines, then a line holding only `|`) and one line per row with cells joined by " | "
(HTML/DOCX input). The header row names the columns; rows are split on the STT
column, whose numbers run in sequence, so a number inside a cell ("2022") is not
mistaken for a new row. Merged cells (rowspan) leave later rows short: they inherit
the missing trailing cells from the row above, and the report says so.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .clean import Line, Paragraph
from .models import Dropped, Section, SectionKind
from .structure import ROMAN, TreeBuilder, classify

_ROW_NUMBER = re.compile(r"^\d{1,3}\.?$")
_GROUP_KEY = re.compile(rf"^(?:{ROMAN}|[A-Z])\.?$")
_HEADER_WORDS = re.compile(r"^(?:S?TT|Số\s*TT|STT)$", re.IGNORECASE)
_GROUP_KIND, _ROW_KIND = SectionKind.GROUP, SectionKind.ROW   # bound once: Enum attribute access is slow


@dataclass(slots=True)
class Cell:
    text: str
    start: int
    end: int
    line: int
    para: Paragraph | None = None


def split_appendices(lines: list[Line]) -> list[int]:
    """Indices of lines that open an appendix (PHỤ LỤC n at the start of a line)."""
    starts = []
    prev = ""
    for i, line in enumerate(lines):
        text = line.text
        if text and text[0] in "Pp":
            marker = classify(text)
            if marker is not None and marker.kind is SectionKind.APPENDIX and (
                    not prev or prev in ("|",) or prev.endswith((".", ":", ";", ")", "|")) or prev.isupper()):
                starts.append(i)
        if text:
            prev = text
    return starts


def _cells_from_pipe_lines(lines: list[Line]) -> list[Cell]:
    cells: list[Cell] = []
    buf: list[Line] = []
    for line in lines:
        text = line.text
        if text == "|":
            if buf:
                para = Paragraph.of(buf)
                cells.append(Cell(para.text, para.start, para.end, para.line_no, para))
                buf = []
            else:
                cells.append(Cell("", line.start, line.start, line.no))
        elif text:
            buf.append(line)
    if buf:
        para = Paragraph.of(buf)
        cells.append(Cell(para.text, para.start, para.end, para.line_no, para))
    return cells


def _rows_from_inline(lines: list[Line]) -> list[list[Cell]]:
    rows = []
    for line in lines:
        if " | " not in line.text and not line.text.endswith(" |"):
            continue
        cells, pos = [], 0
        for part in line.text.split("|"):
            stripped = part.strip()
            lead = len(part) - len(part.lstrip())
            start = line.start + pos + lead
            sub = Line(line.no, start, start + len(stripped), stripped)
            cells.append(Cell(stripped, start, start + len(stripped), line.no, Paragraph.of([sub]) if stripped else None))
            pos += len(part) + 1
        rows.append(cells)
    return rows


def _header_length(cells: list[Cell]) -> int:
    """The header row ends where the first STT value (1, I, A) appears."""
    for k in range(2, min(len(cells), 12)):
        text = cells[k].text
        if _is_key(text) and not _HEADER_WORDS.match(text):
            return k
    return 0


def _is_key(text: str) -> bool:
    return bool(_ROW_NUMBER.match(text) or _GROUP_KEY.match(text))


def _group_rows(cells: list[Cell], ncols: int) -> list[list[Cell]]:
    """Split the cell stream into rows on the STT column."""
    rows: list[list[Cell]] = []
    current: list[Cell] | None = None
    expected = 1
    last_was_group = False
    for cell in cells:
        text = cell.text.rstrip(".")
        starts_row = False
        if current is None:
            starts_row = _is_key(cell.text)
        elif len(current) >= 2:
            if text.isdigit():
                number = int(text)
                full = len(current) >= ncols
                if number == expected or (last_was_group and number == 1) or (full and expected < number <= expected + 2):
                    starts_row = True
            elif _GROUP_KEY.match(cell.text) and len(current) >= 2:
                # a group row: key + title + empty cells; accept when the row above is complete
                starts_row = len(current) >= ncols or all(not c.text for c in current[2:])
        if starts_row:
            current = [cell]
            rows.append(current)
            if text.isdigit():
                expected = int(text) + 1
                last_was_group = False
            else:
                last_was_group = True
        elif current is not None:
            current.append(cell)
    return rows


def parse_appendix(builder: TreeBuilder, lines: list[Line], dropped: list[Dropped]) -> None:
    """Add one appendix (its first line is the PHỤ LỤC marker) with its table to the tree."""
    marker = classify(lines[0].text)
    assert marker is not None
    number = str(int(marker.label)) if marker.label.isdigit() else marker.label
    # title: upper-case lines after the marker; then "(Ban hành kèm theo ...)" until the table
    inline = False
    for line in lines[1:]:   # a plain loop: any() over a generator costs a resume per line
        if " | " in line.text:
            inline = True
            break
    table_at = len(lines)
    for i in range(1, len(lines)):
        text = lines[i].text
        if not text:
            continue
        if inline:
            if " | " in text:
                table_at = i
                break
        elif text == "|" or _next_text(lines, i) == "|":
            table_at = i
            break
    title_lines = [lines[0]] + [l for l in lines[1:table_at] if l.text]
    head = Paragraph.of(title_lines)
    title_parts = [marker.rest] if marker.rest else []
    body_parts = []
    for line in title_lines[1:]:
        (body_parts if body_parts or line.text.startswith("(") else title_parts).append(line.text)
    builder.stack.clear()
    appendix = builder.add(SectionKind.APPENDIX, number, f"PL{number}", " ".join(title_parts), head, 0, None)
    if body_parts:
        builder.bodies.setdefault(appendix.path, []).append(" ".join(body_parts))
    table_lines = lines[table_at:]
    if inline:
        raw_rows = _rows_from_inline(table_lines)
        if not raw_rows:
            return
        header = raw_rows[0]
        ncols = len(header)
        body_rows = raw_rows[1:]
    else:
        cells = _cells_from_pipe_lines(table_lines)
        ncols = _header_length(cells)
        if ncols == 0:
            dropped.append(Dropped("table", "no header row with an STT column found", cells[0].text if cells else "",
                                   lines[0].no, appendix.path))
            return
        header = cells[:ncols]
        body_rows = _group_rows(cells[ncols:], ncols)
    columns = [" ".join(c.text.split()) or f"col{i + 1}" for i, c in enumerate(header)]
    _add_rows(builder, appendix, columns, body_rows, dropped)


def _next_text(lines: list[Line], i: int) -> str:
    """Text of the first non-empty line after line i ("" if none)."""
    for j in range(i + 1, len(lines)):
        if lines[j].text:
            return lines[j].text
    return ""


def _add_rows(builder: TreeBuilder, appendix: Section, columns: list[str], rows: list[list[Cell]],
              dropped: list[Dropped]) -> None:
    ncols = len(columns)
    keys = Counter(k for k in (r[0].text.rstrip(".") for r in rows if r) if k.isdigit())
    duplicated = {k for k, n in keys.items() if n > 1}
    previous: list[Cell] | None = None
    letter_group: Section | None = None
    roman_group: Section | None = None
    for row in rows:
        head = row[0]
        key = head.text.rstrip(".")
        line = head.line
        span_para = Paragraph.of([Line(line, head.start, row[-1].end, "")])
        if not key.isdigit():
            title = row[1].text if len(row) > 1 else ""
            is_letter = len(key) == 1 and key not in "IVX"
            parent = appendix if is_letter or letter_group is None else letter_group
            builder.stack.clear()
            group = builder.add(_GROUP_KIND, key, key, title, span_para, 1, parent)
            group.line = line
            if is_letter:
                letter_group, roman_group = group, None
            else:
                roman_group = group
            continue
        if len(row) < ncols:
            if previous is not None and len(previous) >= ncols:
                missing = columns[len(row):]
                dropped.append(Dropped("table", f"short row (merged cells): {', '.join(missing)} taken from row "
                                       f"{previous[0].text}", " | ".join(c.text for c in row), line, appendix.path))
                row = row + previous[len(row):ncols]
            else:
                dropped.append(Dropped("table", f"short row: {ncols - len(row)} cell(s) missing",
                                       " | ".join(c.text for c in row), line, appendix.path))
        elif len(row) > ncols:
            dropped.append(Dropped("table", f"row has {len(row)} cells for {ncols} columns (fused or extra cells); "
                                   "extra cells joined into the last column", " | ".join(c.text for c in row),
                                   line, appendix.path))
            last = row[ncols - 1]
            joined = " ".join(c.text for c in row[ncols - 1:] if c.text)
            row = row[:ncols - 1] + [Cell(joined, last.start, row[-1].end, last.line)]
        cells = {columns[i]: row[i].text for i in range(1, min(len(row), ncols))}
        title = row[1].text if len(row) > 1 else ""
        parent = roman_group or letter_group or appendix
        segment = f"{parent.path.split('.', 1)[1]}.{key}" if key in duplicated and parent is not appendix else key
        builder.stack.clear()
        builder.stack.append((0, appendix))
        section = builder.add(_ROW_KIND, key, segment, title, span_para, 2, appendix, cells)
        if parent is not appendix:
            appendix.children.pop()     # add() has just appended section.path there (paths are unique)
            section.parent = parent.path
            parent.children.append(section.path)
            builder._extend(section, builder.ends[section.path])
        section.line = line
        path = section.path
        builder.paragraphs.extend([(path, c.para) for c in row[1:] if c.para is not None])
        previous = row
