#!/usr/bin/env bash
# Two app servers of the portal, A (127.0.0.1:3010) and B (127.0.0.1:3011), on one fresh
# PostgreSQL database, behind the deployed nginx site with TLS: https://127.0.0.1:3543 balances
# between them, https://127.0.0.1:3544 reaches A alone and https://127.0.0.1:3545 B alone.
# Settings come from the environment (support/portal.ts, clusterEnv). Runs until stopped.
set -euo pipefail
cd "$(dirname "$0")"
database="${DATABASE_URL##*/}"
psql "$PG_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" -c "CREATE DATABASE $database" >/dev/null
rm -rf "$CLUSTER_STATE"
mkdir -p "$CLUSTER_STATE"
servers=()
stop() { kill "${servers[@]}" 2>/dev/null || true; }
trap stop EXIT
# Both start at once: the migrations' advisory lock makes one wait for the other.
LEPTOS_SITE_ADDR=127.0.0.1:3010 "$PORTAL_BIN" serve 2>"$CLUSTER_STATE/a.log" &
servers+=($!)
LEPTOS_SITE_ADDR=127.0.0.1:3011 "$PORTAL_BIN" serve 2>"$CLUSTER_STATE/b.log" &
servers+=($!)
# nginx reaches the servers from 127.0.0.2 (their TRUSTED_PROXIES), the browser comes from
# 127.0.0.1: the test can tell the two apart.
PROXY_PORT=3543 PROXY_HTTP_PORT=3580 VIEWER_PORT='' PROXY_BIND=127.0.0.2 \
  DIRECT="3544=127.0.0.1:3010 3545=127.0.0.1:3011" \
  bash tls-proxy.sh "$CLUSTER_STATE/proxy" 127.0.0.1:3010 127.0.0.1:3011
