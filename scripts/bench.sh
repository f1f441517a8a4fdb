#!/usr/bin/env bash
# Benchmarks of the release build, on SQLite and on PostgreSQL, written to bench/RESULTS.md:
# seeding, the Active Members tab on worksites of 100, 10 000 and 100 000 members, address search
# as you type, the home page for an administrator with people waiting, an authenticated read,
# password sign-ins (alone and beside other requests), 10 000 emails drained to a local SMTP
# sink, and the browser bundle's size and page metrics under slow-4G and 4x CPU throttling.
#
#   bash scripts/bench.sh            # the full run: the first release build takes about 25 minutes
#                                    # on 2 cores, the figures about 10 more
#   BENCH_USERS=20000 BENCH_DURATION=5s bash scripts/bench.sh   # a quicker look
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --for-tests
source scripts/env.sh

USERS=${BENCH_USERS:-100000}
WORKSITES=${BENCH_WORKSITES:-10000}
LARGEST=${BENCH_LARGEST:-$USERS}
DURATION=${BENCH_DURATION:-10s}
EMAILS=${BENCH_EMAILS:-10000}
PORT=3100
ORIGIN="http://127.0.0.1:$PORT"
PG_ADMIN_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
STATE="$PWD/bench/.state"
say() { printf '\n\033[1;34m==>\033[0m %s\n' "$*"; }

if ! command -v wrk >/dev/null; then
  say "installing wrk"
  apt-get install -y -qq wrk >/dev/null
fi

# What is measured is the working tree as built, which may differ from its commit.
# Outside a git checkout it is unknown; new files that are not ignored count as changes.
MEASURED="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$MEASURED" != unknown ] && [ -n "$(git status --porcelain -- . ':!bench/RESULTS.md')" ]; then
  MEASURED="$MEASURED, with uncommitted changes"
fi
say "building the release portal (scripts/build-release.sh)"
scripts/build-release.sh
BIN="$TARGET_DIR/release/portal"
# cargo-leptos writes the site under the project, wherever CARGO_TARGET_DIR puts the binaries.
SITE="$PWD/target/site"

rm -rf "$STATE"
mkdir -p "$STATE"
echo "$MEASURED" >"$STATE/measured.txt"
FIGURES="$STATE/figures.tsv"
: >"$FIGURES"

SINK_PID=""
PORTAL_PID=""
cleanup() {
  [ -n "$PORTAL_PID" ] && kill "$PORTAL_PID" 2>/dev/null || true
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
}
trap cleanup EXIT

SMTP_SINK_PORT=2625 SMTP_SINK_HTTP_PORT=2680 node end2end/support/smtp-sink.mjs >"$STATE/sink.log" 2>&1 &
SINK_PID=$!

# Development mode (seeding is refused in production), except where a real SMTP server is set.
portal() {
  PORTAL_ENV=development DATABASE_URL="$DB_URL" PORTAL_PUBLIC_URL="$ORIGIN" RUST_LOG=warn "$BIN" "$@"
}

start_portal() {
  env PORTAL_ENV=development DATABASE_URL="$DB_URL" PORTAL_PUBLIC_URL="$ORIGIN" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" \
    LEPTOS_SITE_ROOT="$SITE" RUST_LOG=warn SIGN_INS_PER_ADDRESS_PER_MINUTE=1000000 "$@" \
    "$BIN" serve >>"$STATE/portal-$BACKEND.log" 2>&1 &
  PORTAL_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "$ORIGIN/healthz" >/dev/null && return 0
    sleep 0.2
  done
  echo "the portal did not start" >&2
  exit 1
}

stop_portal() {
  kill "$PORTAL_PID" 2>/dev/null || true
  wait "$PORTAL_PID" 2>/dev/null || true
  PORTAL_PID=""
}

# Signs the seeded account in; prints its session cookie (name=value).
sign_in() {
  curl -sf -c - -o /dev/null -X POST "$ORIGIN/api/sign_in" \
    -H "Origin: $ORIGIN" -H 'Sec-Fetch-Site: same-origin' \
    --data-urlencode "username=$1" --data-urlencode "password=seeded password for benchmarks" |
    awk '$6 == "portal_session" { print $6 "=" $7 }' | tail -n1
}

# record NAME < wrk output: appends backend, name, requests/s, p50, p99 (ms) and errors.
record() {
  awk -v backend="$BACKEND" -v name="$1" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50.000%" || $1 == "50%" { p50 = ms($2) }
    $1 == "99.000%" || $1 == "99%" { p99 = ms($2) }
    /Requests\/sec/ { rps = $2 }
    /Non-2xx/ { errors += $NF }
    /Socket errors/ { errors += 1 }
    END { printf "%s\t%s\t%.0f\t%.2f\t%.2f\t%d\n", backend, name, rps, p50, p99, errors }
  ' >>"$FIGURES"
}

query() { # SQL: prints the first column of the first row, from the database being measured
  if [ "$BACKEND" = sqlite ]; then
    python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
      "$STATE/bench.db" "$1"
  else
    psql "$DB_URL" -qAt -c "$1"
  fi
}

server_fn() { # NAME CONNECTIONS FUNCTION BODIES [COOKIE]
  FUNCTION="$3" BODIES="$4" COOKIE="${5:-}" ORIGIN="$ORIGIN" \
    wrk -t2 -c"$2" -d"$DURATION" --latency -s bench/wrk/server-fn.lua "$ORIGIN" | tee "$STATE/$BACKEND-$1.txt" | record "$1"
}

for BACKEND in sqlite postgres; do
  if [ "$BACKEND" = sqlite ]; then
    DB_URL="sqlite://$STATE/bench.db?mode=rwc"
  else
    psql "$PG_ADMIN_URL" -q -c "DROP DATABASE IF EXISTS portal_bench" -c "CREATE DATABASE portal_bench" >/dev/null
    # Loopback, as a database on the portal's own host is reached: without TLS, which would
    # otherwise encrypt every message over it (sqlx prefers TLS when the server offers it).
    DB_URL="${PG_ADMIN_URL%/*}/portal_bench?sslmode=disable"
  fi
  say "$BACKEND: seeding $USERS people, $WORKSITES worksites (largest $LARGEST members)"
  portal migrate >/dev/null
  portal seed --users "$USERS" --worksites "$WORKSITES" --largest-worksite "$LARGEST" | tee "$STATE/seed-$BACKEND.txt"
  ADMIN=$(awk '/^anchor/ { print $4; exit }' "$STATE/seed-$BACKEND.txt")
  FIRST=$(awk '/^first account/ { print $3; exit }' "$STATE/seed-$BACKEND.txt")
  mapfile -t ANCHORS < <(awk '/^anchor/ { print $2 " " $3 }' "$STATE/seed-$BACKEND.txt")

  start_portal
  COOKIE=$(sign_in "$ADMIN")
  [ -n "$COOKIE" ] || { echo "could not sign the administrator in" >&2; exit 1; }
  say "$BACKEND: warming up (caches and connections), then the server figures"
  for anchor in "${ANCHORS[@]}"; do
    read -r code size <<<"$anchor"
    FUNCTION=worksite_members BODY="code=$code&active=true&search=&cursor=First" COOKIE="$COOKIE" ORIGIN="$ORIGIN" \
      wrk -t2 -c16 -d3s -s bench/wrk/server-fn.lua "$ORIGIN" >/dev/null
  done
  for anchor in "${ANCHORS[@]}"; do
    read -r code size <<<"$anchor"
    server_fn "members-$size" 16 worksite_members "code=$code&active=true&search=&cursor=First" "$COOKIE"
  done
  # The page after the first of the largest list ("Next": after its 25th member, read from the
  # database since answers are postcard), and its query plans.
  read -r code size <<<"${ANCHORS[0]}"
  after=$(query "SELECT m.id FROM memberships m JOIN worksites w ON w.id = m.worksite_id
    WHERE w.code = '$code' AND m.status = 'active'
    ORDER BY m.list_group, m.list_name, m.id LIMIT 1 OFFSET 24")
  server_fn "members-next-page-$size" 16 worksite_members "code=$code&active=true&search=&cursor%5BAfter%5D=$after" "$COOKIE"
  server_fn "members-search-$size" 16 worksite_members "code=$code&active=true&search=s&cursor=First|code=$code&active=true&search=smi&cursor=First|code=$code&active=true&search=smith+vi&cursor=First" "$COOKIE"
  portal explain "$code" >"$STATE/plans-$BACKEND.txt"
  server_fn "address-search" 16 search_worksites "query=ma|query=main|query=main+st|query=kings|query=kingsway+bu|query=v6e|query=broadway+van|query=oak" "$COOKIE"
  server_fn "authenticated-read" 64 my_worksites "x=1" "$COOKIE"
  COOKIE="$COOKIE" wrk -t2 -c16 -d"$DURATION" --latency -H "Cookie: $COOKIE" "$ORIGIN/" | tee "$STATE/$BACKEND-home.txt" | record "home-page"
  FIRST="$FIRST" COUNT="$USERS" PASSWORD="seeded password for benchmarks" ORIGIN="$ORIGIN" \
    wrk -t2 -c50 -d"$DURATION" --latency -s bench/wrk/sign-in.lua "$ORIGIN" | tee "$STATE/$BACKEND-sign-in.txt" | record "password-sign-in"
  # Fifty sign-ins at once while members pages are read: the reads' p99.
  FIRST="$FIRST" COUNT="$USERS" PASSWORD="seeded password for benchmarks" ORIGIN="$ORIGIN" \
    wrk -t1 -c50 -d"$DURATION" -s bench/wrk/sign-in.lua "$ORIGIN" >/dev/null &
  background=$!
  read -r code size <<<"${ANCHORS[1]:-${ANCHORS[0]}}"
  server_fn "members-beside-sign-ins" 8 worksite_members "code=$code&active=true&search=&cursor=First" "$COOKIE"
  wait "$background"

  if [ "$BACKEND" = sqlite ]; then
    say "client figures (release bundle, slow 4G, 4x CPU)"
    read -r code size <<<"${ANCHORS[1]:-${ANCHORS[0]}}"
    node bench/client.mjs "$SITE" "$ORIGIN" "$COOKIE" "/worksites/$code" | tee "$STATE/client.json"
  fi
  stop_portal

  say "$BACKEND: draining $EMAILS queued emails to the SMTP sink"
  before=$(curl -sf http://127.0.0.1:2680/stats | sed 's/.*"total":\([0-9]*\).*/\1/')
  portal seed --emails "$EMAILS" >/dev/null
  started=$(date +%s.%N)
  # Mail goes out in production mode only, which needs an identity provider (fetched only when
  # someone signs in) and an https public URL (only written into the emails' links).
  start_portal PORTAL_ENV=production SMTP_URL=smtp://127.0.0.1:2625 PORTAL_PUBLIC_URL=https://portal.bench.invalid \
    OIDC_ISSUER_URL=https://idp.bench.invalid OIDC_CLIENT_ID=bench OIDC_CLIENT_SECRET=bench
  while :; do
    total=$(curl -sf http://127.0.0.1:2680/stats | sed 's/.*"total":\([0-9]*\).*/\1/')
    [ $((total - before)) -ge "$EMAILS" ] && break
    if awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { exit !(n - s > 300) }'; then break; fi
    sleep 0.2
  done
  elapsed=$(awk -v s="$started" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }')
  sleep 2
  received=$(( $(curl -sf http://127.0.0.1:2680/stats | sed 's/.*"total":\([0-9]*\).*/\1/') - before ))
  stop_portal
  outbox="SELECT status, COUNT(*) FROM outbound_emails GROUP BY status ORDER BY status"
  if [ "$BACKEND" = sqlite ]; then
    statuses=$(sqlite3 "$STATE/bench.db" "$outbox" | tr '\n' ' ')
  else
    statuses=$(psql "$DB_URL" -qAt -c "$outbox" | tr '\n' ' ')
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$BACKEND" "$EMAILS" "$elapsed" "$received" "$statuses" >>"$STATE/emails.tsv"
done

say "writing bench/RESULTS.md"
python3 bench/report.py "$STATE" "$USERS" "$WORKSITES" "$LARGEST" "$DURATION" >bench/RESULTS.md
cat bench/RESULTS.md
