#!/usr/bin/env bash
# Installs whatever is missing to build and run the portal on a fresh machine (Debian, Rust via
# rustup, Node.js + npm). With --for-tests it also installs Chromium, nginx and openssl for the
# end-to-end tests.
# Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
for_tests=false
[ "${1:-}" = "--for-tests" ] && for_tests=true

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release browser bundle builds its own standard library (scripts/build-release.sh).
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding the rust-src component"
  rustup component add rust-src
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes on 2 cores)"
  # no_downloads: cargo-leptos uses the wasm-bindgen and wasm-opt on PATH instead of fetching them.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version"
  cargo install wasm-bindgen-cli --version "$bindgen_version"
fi

# npm packages: binaryen (wasm-opt for release builds) and the end-to-end test tools.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing npm packages (end2end/)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# The end-to-end tests drive Debian's Chromium against the portal behind a real TLS proxy
# (nginx, with a certificate openssl makes for the run).
if $for_tests && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ] || [ ! -x /usr/bin/openssl ]; }; then
  say "installing Debian's Chromium, nginx and openssl for the end-to-end tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver nginx-light openssl
fi

# The server's tests read the signed HPCAA back with poppler's pdftotext, as a person's PDF
# reader would.
if $for_tests && ! command -v pdftotext >/dev/null; then
  say "installing poppler-utils (pdftotext) to read the generated PDFs back"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils
fi

# scripts/check-deploy.sh verifies deploy/systemd with systemd's own verifier.
if $for_tests && ! command -v systemd-analyze >/dev/null; then
  say "installing systemd (systemd-analyze) to check the deployment units"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd
fi
