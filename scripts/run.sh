#!/usr/bin/env bash
# Installs what is missing, builds the portal and serves it on its embedded defaults at
# http://127.0.0.1:3000 (SQLite file data/portal.db, development mailbox at /dev/mailbox,
# development identity provider at /dev/idp). Configuration: see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
exec cargo leptos serve --split "$@"
