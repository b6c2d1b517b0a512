"""Parse throughput on the seed plans repeated to ~50 MB, next to the floor no parser can beat:
a bare `re.finditer(r"\\S+")` pass over the same text in the same run.

    python benchmarks/parse.py [--mb 50]

The parser figure is the whole of `parse_text` (tree, references, legal bases, roles and
targets); the time spent in the roles and targets stages is printed beside it. The floor and
the parser are timed document by document, one right after the other, so that both see the
same machine: on a shared virtual machine the speed of a single pass drifts by a third
within a minute.
"""
from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from pathlib import Path

import loaders.roles
import loaders.targets
from loaders.pipeline import parse_text
from loaders.read import read_document

PLANS = Path(__file__).resolve().parent.parent / "data" / "plans"


def _timed(module, name: str, spent: Counter) -> None:
    """Wrap module.name so the time spent in it is added to spent[name]."""
    inner = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start

    setattr(module, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=50.0, help="megabytes of plan text to process")
    args = parser.parse_args()
    texts = [read_document(p) for p in sorted(PLANS.glob("*.txt"))]
    sizes = [len(t.encode("utf-8")) for t in texts]
    target = int(args.mb * 1_000_000)
    batch: list[str] = []
    total = 0
    while total < target:
        for text, size in zip(texts, sizes):
            batch.append(text)
            total += size
    parse_text(texts[0], "warm-up")          # one-time loads (agency catalog, registries) not timed
    spent: Counter = Counter()
    _timed(loaders.roles, "assign_roles", spent)
    _timed(loaders.targets, "extract_targets", spent)
    word = re.compile(r"\S+")
    floor_s = parse_s = 0.0
    tokens = sections = 0
    for i, text in enumerate(batch):
        start = time.perf_counter()
        for _ in word.finditer(text):
            tokens += 1
        middle = time.perf_counter()
        sections += len(parse_text(text, f"seed-{i}").sections)
        end = time.perf_counter()
        floor_s += middle - start
        parse_s += end - middle
    mb = total / 1_000_000
    core_s = parse_s - spent["assign_roles"] - spent["extract_targets"]
    print(f"text: {mb:.1f} MB in {len(batch)} documents ({tokens:,} tokens, {sections:,} sections)")
    print(f"floor  re.finditer(r'\\S+'): {mb / floor_s:8.2f} MB/s  ({floor_s:.2f} s)")
    print(f"parser parse_text:          {mb / parse_s:8.2f} MB/s  ({parse_s:.2f} s)")
    print(f"  tree, references, legal:  {core_s:8.2f} s")
    print(f"  roles:                    {spent['assign_roles']:8.2f} s")
    print(f"  targets:                  {spent['extract_targets']:8.2f} s")
    print(f"ratio parser/floor:         {floor_s / parse_s:8.3f}  (goal >= 0.100)")


if __name__ == "__main__":
    main()
