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
tls="$state/tls"
rm -rf "$dir"
mkdir -p "$dir/temp" "$tls"
# Workers may run as another user than the master (nobody, when started as root).
chmod 1777 "$dir/temp"
if [ ! -s "$tls/cert.pem" ] || [ ! -s "$tls/key.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null
fi

# The deployed site, listening where the tests reach it and with the test certificate.
{
  echo "upstream portal_app {"
  for upstream in "${upstreams[@]}"; do echo "    server $upstream max_fails=3 fail_timeout=10s;"; done
  echo "    keepalive 32;"
  echo "}"
} >"$dir/portal-upstream.conf"
sed -e 's#^    listen 80;#    listen 127.0.0.1:3480;#' \
  -e '/listen \[::\]/d' \
  -e 's#^    listen 443 ssl http2;#    listen 127.0.0.1:3443 ssl http2;#' \
  -e "s#/etc/ssl/portal/fullchain.pem#$tls/cert.pem#" \
  -e "s#/etc/ssl/portal/privkey.pem#$tls/key.pem#" \
  "$deploy/portal.conf" >"$dir/portal.conf"

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
  include $dir/portal-upstream.conf;
  include $dir/portal.conf;

  server {
    listen 127.0.0.1:3444 ssl;
    ssl_certificate $tls/cert.pem;
    ssl_certificate_key $tls/key.pem;
    location = /favicon.ico { return 204; }
    location /viewer {
      default_type text/html;
      return 200 '<!doctype html><html lang="en"><title>CareConnect viewer</title><h1>CareConnect viewer (test stand-in)</h1></html>';
    }
  }
}
EOF

exec nginx -e stderr -p "$dir" -c "$dir/nginx.conf"
