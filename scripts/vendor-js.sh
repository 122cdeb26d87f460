#!/usr/bin/env bash
# Installs the web UI's front-end libraries from npm (package-lock.json pins them) and copies
# the files the pages load into src/newsgraph/web/static/vendor/, so the UI works offline:
# no CDN, no tile server. Idempotent; the copies are not committed (.gitignore).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
    echo "newsgraph: npm is missing; the web UI's map, timeline and charts need it at install time." >&2
    echo "    install Node.js and npm (Debian: sudo apt-get install -y npm), then run make install again" >&2
    exit 1
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
dest=src/newsgraph/web/static/vendor
mkdir -p "$dest"
cp node_modules/d3/dist/d3.min.js "$dest/d3.min.js"
cp node_modules/topojson-client/dist/topojson-client.min.js "$dest/topojson-client.min.js"
# Natural Earth country outlines at 1:50m (public domain), as TopoJSON, from the world-atlas package
cp node_modules/world-atlas/countries-50m.json "$dest/countries-50m.json"
for pkg in d3 topojson-client world-atlas; do
    cp "node_modules/$pkg/LICENSE" "$dest/LICENSE.$pkg"
done
