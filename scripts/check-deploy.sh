#!/usr/bin/env bash
# Checks deploy/ with the tools that will read it: systemd's verifier for the units (any warning
# fails) and nginx for the site, rendered as the end-to-end proxy renders it. (The end-to-end
# tests then run every request through that site.)
# Usage: scripts/check-deploy.sh PORTAL_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
portal_bin="$(realpath "${1:?usage: check-deploy.sh PORTAL_BINARY}")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The units as installed, with the binary where this build put it.
mkdir "$work/units"
for unit in deploy/systemd/*; do
  sed "s#/opt/portal/bin/portal#$portal_bin#g" "$unit" >"$work/units/$(basename "$unit")"
done
cp "$work/units/portal@.service" "$work/units/portal@a.service"
warnings=$(cd "$work/units" && systemd-analyze verify --man=no \
  portal@a.service portal-migrate.service portal-backup.service portal-backup.timer 2>&1) || {
  echo "$warnings" >&2
  exit 1
}
if [ -n "$warnings" ]; then
  echo "$warnings" >&2
  echo "error: systemd-analyze verify warned about deploy/systemd" >&2
  exit 1
fi

# The nginx site: made by the proxy script and checked with nginx -t.
mkdir -p "$work/proxy/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -keyout "$work/proxy/tls/key.pem" -out "$work/proxy/tls/cert.pem" 2>/dev/null
sed -e 's#^exec nginx #exec nginx -t #' end2end/support/tls-proxy.sh >"$work/check-proxy.sh"
sed -i "s#\$(dirname \"\$0\")/../../deploy/nginx#$PWD/deploy/nginx#" "$work/check-proxy.sh"
if ! checked=$(bash "$work/check-proxy.sh" "$work/proxy" 2>&1); then
  echo "$checked" >&2
  echo "error: nginx refuses deploy/nginx" >&2
  exit 1
fi
echo "deploy/: the systemd units and the nginx site check out"
