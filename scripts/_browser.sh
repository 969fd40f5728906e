# Sourced by scripts/test: a Chromium or Chrome for the browser tests
# (tests/test_report.py draws the report, tests/test_analysis.py the notebook
# table). One that is there is used; Debian's chromium is installed only where
# that needs no password (root, or passwordless sudo) and apt-get exists.
# Never fails: without a browser those tests skip, saying why (with CI=true
# they fail instead, so CI always renders).

# The browsers looked for, in order (tests/conftest.py's `browser` looks for the same).
BROWSERS="chromium chromium-browser google-chrome google-chrome-stable chrome"
MAC_CHROME="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"

find_browser() {
    local name
    for name in $BROWSERS; do
        command -v "$name" 2>/dev/null && return 0
    done
    [ -x "$MAC_CHROME" ] && echo "$MAC_CHROME" && return 0
    return 1
}

# Prints the browser's path (nothing when there is none); says on stderr what it did.
browser_for_tests() {
    find_browser && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "==> no Chromium or Chrome, and no apt-get to install one: the browser tests skip" >&2
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
            sudo="sudo -n"
        else
            echo "==> no Chromium or Chrome, and installing one needs root: the browser tests skip" >&2
            return 0
        fi
    fi
    echo "==> installing Debian's chromium (the browser tests)" >&2
    $sudo apt-get install -y -q chromium >/dev/null 2>&1 \
        || { $sudo apt-get update -q >/dev/null 2>&1 \
             && $sudo apt-get install -y -q chromium >/dev/null 2>&1; } \
        || echo "==> could not install chromium: the browser tests skip" >&2
    find_browser || true
}
