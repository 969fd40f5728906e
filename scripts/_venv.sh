# Sourced by the scripts: makes sure .venv exists and holds the project with
# the given extra (default: dev), reinstalling only when pyproject.toml
# changed. Needs nothing but python3 >= 3.11.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRA="${1:-dev}"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: retab-runs needs Python >= 3.11 as '$PY' (set PYTHON=...)" >&2
    exit 2
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating $VENV" >&2
    "$PY" -m venv "$VENV"
fi
stamp="$VENV/.installed-$EXTRA"
want="$(cat "$ROOT/pyproject.toml" "$ROOT/scripts/constraints.txt" | "$VENV/bin/python" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "==> installing retab-runs[$EXTRA] into .venv" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
        -c "$ROOT/scripts/constraints.txt" -e "$ROOT[$EXTRA]"
    echo "$want" > "$stamp"
fi
export PATH="$VENV/bin:$PATH"
