#!/usr/bin/env bash
# Every test of the portal: formatting and lints, unit and integration tests on SQLite and on
# PostgreSQL, and the end-to-end tests in Chromium against the built portal with a real SMTP
# sink and a real OpenID Connect provider.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
source scripts/env.sh
say() { printf '\n\033[1;34m==>\033[0m %s\n' "$*"; }
started=$(date +%s)
# Compiled first, then run within a limit: a test that hangs fails the run in minutes (cargo test
# names any test still running after 60 s) instead of holding CI until its own time runs out.
tests_within_limit() {
  cargo test "$@" --no-run
  local status=0
  timeout --kill-after=10s 20m cargo test "$@" || status=$?
  if [ "$status" -eq 124 ]; then
    echo "error: the tests were still running after 20 minutes: one of them hangs" >&2
  fi
  return "$status"
}

say "formatting"
cargo fmt --all -- --check

say "lints (server and browser builds)"
cargo clippy -p app --features test-support -p server -p migrations --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

say "no server-only crate reaches the WASM"
browser_crates=$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none | awk '{print $1}' | sort -u)
for crate in tokio sea-orm sqlx mio argon2 lettre tower-sessions openidconnect; do
  if grep -qx "$crate" <<<"$browser_crates"; then
    echo "error: $crate is in the browser build" >&2
    exit 1
  fi
done

say "unit and integration tests on SQLite"
tests_within_limit -p app --features test-support -p server -p migrations

say "integration tests on PostgreSQL"
PG_ADMIN_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
# Databases left by earlier runs.
psql "$PG_ADMIN_URL" -qAt -c "SELECT datname FROM pg_database WHERE datname LIKE 'portal_test_%'" |
  while read -r db; do psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; done
TEST_DATABASE_URL="$PG_ADMIN_URL" tests_within_limit -p app --features test-support -p server --tests

say "building the portal (cargo leptos build --split)"
cargo leptos build --split

say "deployment material (systemd units, nginx site)"
scripts/check-deploy.sh "$TARGET_DIR/debug/portal"

say "end-to-end tests in Chromium"
(cd end2end && PORTAL_BIN="$TARGET_DIR/debug/portal" npx playwright test)

say "all tests passed in $(( $(date +%s) - started )) s"
