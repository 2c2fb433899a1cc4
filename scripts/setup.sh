#!/usr/bin/env bash
# Makes the checkout ready to run and test: system packages, .venv, Python packages pinned by
# requirements.lock, and node_modules from package-lock.json. Idempotent: each step leaves a
# stamp keyed on the hash of its inputs and is skipped while the inputs are unchanged.
set -euo pipefail

cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
VENV=.venv

hash_of() {
    cat "$@" | sha256sum | cut -d' ' -f1
}

# 1. System packages (WeasyPrint libraries, gettext, Chromium + ChromeDriver, toolchain).
bash scripts/system_deps.sh

# 2. Virtual environment with Python 3.11.
if [ ! -x "$VENV/bin/python" ]; then
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        echo "setup: $PYTHON not found; the project needs Python 3.11 (set PYTHON=... to choose one)." >&2
        exit 1
    fi
    echo "setup: creating $VENV with $PYTHON"
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "setup: $VENV is not Python 3.11 ($("$VENV/bin/python" --version 2>&1)); remove it and re-run." >&2
    exit 1
fi

# 3. Python packages, pinned by requirements.lock.
py_stamp="$VENV/.setup-stamp"
py_hash="$(hash_of requirements.lock pyproject.toml)-$("$VENV/bin/python" --version 2>&1 | tr -d ' ')"
if [ "$(cat "$py_stamp" 2>/dev/null || true)" != "$py_hash" ]; then
    echo "setup: installing Python packages (requirements.lock)"
    "$VENV/bin/python" -m pip install --quiet -c requirements.lock -e '.[dev]'
    "$VENV/bin/python" -m pip check
    echo "$py_hash" > "$py_stamp"
fi

# 4. Front-end packages, exactly as package-lock.json says.
node_stamp=node_modules/.setup-stamp
node_hash="$(hash_of package-lock.json)"
if [ "$(cat "$node_stamp" 2>/dev/null || true)" != "$node_hash" ]; then
    echo "setup: installing front-end packages (npm ci)"
    npm ci --no-audit --no-fund
    echo "$node_hash" > "$node_stamp"
fi

# 5. WeasyPrint must find its system libraries.
if ! "$VENV/bin/python" -c "import weasyprint" >/dev/null 2>&1; then
    "$VENV/bin/python" -c "import weasyprint" || true
    echo "setup: WeasyPrint cannot load its system libraries (Pango/HarfBuzz); see scripts/system_deps.sh." >&2
    exit 1
fi
