#!/usr/bin/env bash
# A real TLS-terminating reverse proxy (Debian's nginx) in front of the portal, as production
# runs it, with the site operators install (deploy/nginx/portal.conf): https://127.0.0.1:3443
# forwards to the portal on 127.0.0.1:3000. It also serves https://127.0.0.1:3444/viewer,
# standing in for the CareConnect viewer that "Open CareConnect" leads to (an external system
# the portal only links to).
# Usage: tls-proxy.sh STATE_DIR [UPSTREAM...]   (runs in the foreground until stopped)
# UPSTREAM: the app servers' addresses (127.0.0.1:3000 unless given).
# The certificate is STATE_DIR/tls/{cert,key}.pem: the Playwright configuration makes it (and has
# the browser trust it) before the servers start; run alone, the script makes one itself.
set -euo pipefail
state="${1:?usage: tls-proxy.sh STATE_DIR [UPSTREAM...]}"
shift
upstreams=("${@:-127.0.0.1:3000}")
deploy="$(cd "$(dirname "$0")/../../deploy/nginx" && pwd)"
dir="$state/nginx"
# TLS_DIR: where the certificate is (STATE_DIR/tls unless given).
tls="${TLS_DIR:-$state/tls}"
rm -rf "$dir"
mkdir -p "$dir/temp" "$tls"
# Workers may run as another user than the master (nobody, when started as root).
chmod 1777 "$dir/temp"
if [ ! -s "$tls/cert.pem" ] || [ ! -s "$tls/key.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null
fi

# The deployed site, listening where the tests reach it and with the test certificate.
# PROXY_PORT (3443) and PROXY_HTTP_PORT (3480) are the site's ports; DIRECT="PORT=UPSTREAM ..."
# adds a port that reaches one app server alone, through the same proxy settings, for a test that
# must say which server answers. PROXY_BIND: the address nginx connects to the app servers from.
port="${PROXY_PORT:-3443}"
http_port="${PROXY_HTTP_PORT:-3480}"
{
  echo "upstream portal_app {"
  for upstream in "${upstreams[@]}"; do echo "    server $upstream max_fails=3 fail_timeout=10s;"; done
  echo "    keepalive 32;"
  echo "}"
} >"$dir/portal-upstream.conf"
sed -e "s#^    listen 80;#    listen 127.0.0.1:$http_port;#" \
  -e '/listen \[::\]/d' \
  -e "s#^    listen 443 ssl http2;#    listen 127.0.0.1:$port ssl http2;#" \
  -e "s#/etc/ssl/portal/fullchain.pem#$tls/cert.pem#" \
  -e "s#/etc/ssl/portal/privkey.pem#$tls/key.pem#" \
  -e "s#/var/log/nginx/#$dir/#" \
  -e "s#/etc/nginx/snippets/#$dir/#" \
  "$deploy/portal.conf" >"$dir/portal.conf"
cp "$deploy/portal-proxy.conf" "$dir/portal-proxy.conf"
: >"$dir/direct.conf"
for direct in ${DIRECT:-}; do
  direct_port="${direct%%=*}"
  cat >>"$dir/direct.conf" <<EOF
upstream portal_direct_$direct_port {
    server ${direct#*=};
    keepalive 8;
}
server {
    listen 127.0.0.1:$direct_port ssl http2;
    ssl_certificate $tls/cert.pem;
    ssl_certificate_key $tls/key.pem;
    set \$portal_upstream portal_direct_$direct_port;
    include $dir/portal-proxy.conf;
}
EOF
done
viewer=""
if [ -n "${VIEWER_PORT-3444}" ]; then
  viewer="server {
    listen 127.0.0.1:${VIEWER_PORT:-3444} ssl;
    ssl_certificate $tls/cert.pem;
    ssl_certificate_key $tls/key.pem;
    location = /favicon.ico { return 204; }
    location /viewer {
      default_type text/html;
      return 200 '<!doctype html><html lang=\"en\"><title>CareConnect viewer</title><h1>CareConnect viewer (test stand-in)</h1></html>';
    }
  }"
fi

cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log stderr warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  ${PROXY_BIND:+proxy_bind $PROXY_BIND;}
  include $dir/portal-upstream.conf;
  include $dir/portal.conf;
  include $dir/direct.conf;
  $viewer
}
EOF

exec nginx -e stderr -p "$dir" -c "$dir/nginx.conf"
