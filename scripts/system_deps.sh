#!/usr/bin/env bash
# Installs the system packages the project needs on Debian/Ubuntu, and nothing when they
# are all present already (so a repeated `make setup` does not touch apt at all).
#
#   WeasyPrint (PDF export)   libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 + a font
#   translations              gettext (msgfmt, for makemessages/compilemessages)
#   browser tests             chromium chromium-driver (Debian's package names)
#   toolchain, when missing   python3.11 python3.11-venv, nodejs npm
#
# Runs apt-get as root, or through passwordless sudo; otherwise it stops and prints the
# exact command to run by hand.
set -euo pipefail

# Debian packages whose presence is checked with dpkg.
LIB_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

missing=()

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "system_deps: this is not a Debian/Ubuntu system (no dpkg); install by hand:" >&2
    echo "  Python 3.11 with venv, Node.js 20 with npm, Pango >= 1.44 with HarfBuzz subset," >&2
    echo "  gettext, Chromium and ChromeDriver." >&2
    exit 1
fi

for pkg in "${LIB_PACKAGES[@]}"; do
    pkg_installed "$pkg" || missing+=("$pkg")
done

# Binaries: accept them from wherever they come (command -v), install Debian's when absent.
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

# Python 3.11 with a working venv module (Debian splits ensurepip into python3.11-venv).
# Skipped when the project's .venv already exists.
if [ ! -x .venv/bin/python ]; then
    if ! command -v python3.11 >/dev/null 2>&1; then
        missing+=(python3.11 python3.11-venv)
    elif ! python3.11 -c "import ensurepip, venv" >/dev/null 2>&1; then
        missing+=(python3.11-venv)
    fi
fi

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

apt_cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    SUDO=(sudo)
else
    {
        echo
        echo "system_deps: missing system packages: ${missing[*]}"
        echo "This is not root and passwordless sudo is not available. Run this once, then re-run make:"
        echo
        echo "  sudo sh -c '$apt_cmd'"
        echo
    } >&2
    exit 1
fi

echo "system_deps: installing ${missing[*]}"
"${SUDO[@]}" apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
