"""Precision / recall of lead and coordinate assignments on the seed plans.

Gold: tests/fixtures/roles_gold.yaml, labelled by hand from the text of each seed
(conventions in the file's header). An assignment is compared as
(agency key, role, task path); agency keys carry the jurisdiction, so a right agency in
the wrong scope counts as an error.

    .venv/bin/python benchmarks/accuracy.py            # table
    .venv/bin/python benchmarks/accuracy.py --details  # also list misses / extras
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders.pipeline import parse_file  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "roles_gold.yaml"
PLANS = ROOT / "data" / "plans"
ROLES = ("lead", "coordinate")


def load_gold(path: Path = GOLD) -> dict[str, dict[str, set[tuple[str, str]]]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {doc: {role: {tuple(x) for x in items.get(role, [])} for role in ROLES} for doc, items in raw.items()}


def predicted(doc) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {r: set() for r in ROLES}
    for a in doc.assignments:
        role = a.role.value
        if role in out:
            out[role].add((a.agency.key, a.task))
    return out


def score(gold: set, pred: set) -> tuple[int, int, int]:
    tp = len(gold & pred)
    return tp, len(pred - gold), len(gold - pred)


def _pr(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run(details: bool = False) -> dict:
    gold = load_gold()
    rows = []
    totals = {r: [0, 0, 0] for r in ROLES}
    misses: list[str] = []
    seconds = 0.0
    for stem in sorted(gold):
        files = list(PLANS.glob(f"{stem}*.txt"))
        if not files:
            print(f"missing seed {stem}", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        doc = parse_file(files[0])
        seconds += time.perf_counter() - t0
        pred = predicted(doc)
        for role in ROLES:
            tp, fp, fn = score(gold[stem][role], pred[role])
            for i, v in enumerate((tp, fp, fn)):
                totals[role][i] += v
            rows.append((stem[:3], role, tp, fp, fn, *_pr(tp, fp, fn)))
            if details:
                misses += [f"  {stem[:3]} {role:10} MISSED {k} on {t}" for k, t in sorted(gold[stem][role] - pred[role])]
                misses += [f"  {stem[:3]} {role:10} EXTRA  {k} on {t}" for k, t in sorted(pred[role] - gold[stem][role])]
    print(f"{'seed':5} {'role':11} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6} {'f1':>6}")
    for r in rows:
        print(f"{r[0]:5} {r[1]:11} {r[2]:4d} {r[3]:4d} {r[4]:4d} {r[5]:6.3f} {r[6]:6.3f} {r[7]:6.3f}")
    print("-" * 50)
    summary = {}
    for role in ROLES:
        tp, fp, fn = totals[role]
        p, r, f = _pr(tp, fp, fn)
        summary[role] = (p, r, f)
        print(f"{'all':5} {role:11} {tp:4d} {fp:4d} {fn:4d} {p:6.3f} {r:6.3f} {f:6.3f}")
    tp = sum(t[0] for t in totals.values())
    fp = sum(t[1] for t in totals.values())
    fn = sum(t[2] for t in totals.values())
    p, r, f = _pr(tp, fp, fn)
    summary["all"] = (p, r, f)
    print(f"{'all':5} {'both':11} {tp:4d} {fp:4d} {fn:4d} {p:6.3f} {r:6.3f} {f:6.3f}")
    print(f"(parse time for the seeds, whole pipeline: {seconds:.2f}s)")
    if details and misses:
        print("\n".join(misses))
    return summary


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--details", action="store_true", help="list missed and extra assignments")
    run(ap.parse_args().details)
