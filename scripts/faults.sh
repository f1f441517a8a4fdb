#!/usr/bin/env bash
# The fault tests at full size, each printing its figure, written to bench/RELIABILITY.md:
# 50 `kill -9` under a write load on SQLite and on PostgreSQL; SMTP refusing, answering 4xx and
# 5xx, hanging, and down for ten (simulated) minutes; a worker's lease overrun; 300 slowloris
# connections; servers starting together on an empty PostgreSQL database; a full disk under
# SQLite; a 10 000-row import beside other writes. `scripts/test.sh` runs the same tests smaller.
#
#   scripts/faults.sh            the full run (about 10 minutes)
#   KILLS=5 scripts/faults.sh    fewer kills
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
source scripts/env.sh
say() { printf '\n\033[1;34m==>\033[0m %s\n' "$*"; }

KILLS="${KILLS:-50}"
PG_ADMIN_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
fi
started=$(date +%s)
figures=$(mktemp)
trap 'rm -f "$figures"' EXIT

# Runs one group of tests with --nocapture and keeps their "figure:" lines, headed by the group.
group() {
  local title=$1
  shift
  say "$title"
  local output
  output=$(mktemp)
  if ! env "$@" --nocapture --test-threads=1 2>&1 | tee "$output"; then
    echo "error: $title failed" >&2
    exit 1
  fi
  { echo "### $title"; echo; grep -o 'figure: .*' "$output" | sed 's/^figure: /- /'; echo; } >>"$figures"
  rm -f "$output"
}

say "building the tests"
cargo test -p app --features test-support -p server --no-run

group "Crashes: kill -9 under a write load, SQLite" \
  CRASH_KILLS="$KILLS" cargo test -p server --test it crash:: --
group "Crashes: kill -9 under a write load, PostgreSQL" \
  CRASH_KILLS="$KILLS" TEST_DATABASE_URL="$PG_ADMIN_URL" cargo test -p server --test it crash:: --
group "Mail: SMTP refusing, 4xx, 5xx, hanging, down ten minutes; two workers; a lease overrun" \
  OUTAGE_SPEEDUP=60 cargo test -p server --test it mail:: --
group "Slow clients" \
  cargo test -p server --test it slow_clients --
group "Servers starting together on an empty PostgreSQL database" \
  TEST_DATABASE_URL="$PG_ADMIN_URL" cargo test -p server --test it servers_starting_together --
group "A full disk under SQLite" \
  cargo test -p server --test it disk_full:: --
group "A large import beside other writes, SQLite" \
  IMPORT_ROWS=10000 cargo test -p app --features test-support --test it a_large_import --
group "A large import beside other writes, PostgreSQL" \
  IMPORT_ROWS=10000 TEST_DATABASE_URL="$PG_ADMIN_URL" cargo test -p app --features test-support --test it a_large_import --

seconds=$(( $(date +%s) - started ))
{
  echo "# Reliability"
  echo
  echo "Written by \`scripts/faults.sh\` (KILLS=$KILLS) on $(date -u +%Y-%m-%d) at commit" \
    "$(git rev-parse --short HEAD)$(git diff --quiet || echo ' with local changes'), in $seconds s."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))," \
    "$(free -g | awk '/Mem:/ {print $2}') GiB, $(rustc --version | cut -d' ' -f1-2)," \
    "PostgreSQL $(psql "$PG_ADMIN_URL" -qAt -c 'SHOW server_version'). Test builds (debug):" \
    "times are upper bounds of the release build's."
  echo
  echo "What each figure shows, and the test that measures it, is in \`docs/reliability.md\`."
  echo
  cat "$figures"
} >bench/RELIABILITY.md
say "bench/RELIABILITY.md written in $seconds s"
