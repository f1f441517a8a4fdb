#!/usr/bin/env bash
# Installs what is missing, builds the portal and serves it on its embedded defaults at
# http://127.0.0.1:3000 (SQLite file data/portal.db, development mailbox at /dev/mailbox,
# development identity provider at /dev/idp). Configuration: see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
# Development mode is chosen here, explicitly: the portal refuses it beside a real identity
# provider, SMTP server or https public URL, and runs in production mode when it is not chosen.
export PORTAL_ENV=development
exec cargo leptos serve --split "$@"
