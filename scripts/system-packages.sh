#!/usr/bin/env bash
# Installs the Debian packages the tests need beyond Python: Chromium (browser tests of the web UI)
# and PostgreSQL (the storage, export and API tests run against it as well as SQLite).
# Idempotent: installs only what is missing. Without root (or sudo) it says what to run and
# goes on; the tests then skip what needs the missing program, except with CI=true, where
# they fail.
set -uo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "newsgraph: the browser and PostgreSQL tests need: ${need[*]}; install them with" >&2
    echo "    sudo apt-get install -y ${need[*]}" >&2
    exit 0
fi
echo "newsgraph: installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null || true
if ! $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    echo "newsgraph: apt-get could not install ${need[*]}" >&2
    [ "${CI:-}" = "true" ] && exit 1
fi
exit 0
