#!/usr/bin/env bash
# The long fuzzing run: every server function through the real router with many hostile inputs
# (the test command runs a dozen per function). Usage: scripts/fuzz.sh [CASES_PER_FUNCTION]
# On SQLite, then on PostgreSQL when TEST_DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cases="${1:-400}"
say() { printf '\n\033[1;34m==>\033[0m %s\n' "$*"; }
say "fuzzing every server function, $cases cases each, on SQLite"
FUZZ_CASES="$cases" cargo test -p server --test it fuzz -- --nocapture
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  say "the same on PostgreSQL"
  FUZZ_CASES="$cases" cargo test -p server --test it fuzz -- --nocapture
fi
