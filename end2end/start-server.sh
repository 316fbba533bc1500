#!/usr/bin/env bash
# Starts the release build for the browser tests on a fresh SQLite database with one account
# per role (created through the real `plasticity user add` command), then serves.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf target/e2e && mkdir -p target/e2e
bin=target/release/plasticity
add() { printf '%s\n' "$E2E_PASSWORD" | "$bin" user add --email "$1" --name "$2" --role "$3" ${4:+--credentials "$4"} >/dev/null; }
add writer@clinic.example "Kim Writer" writer
add reviewer@clinic.example "Dr Ada Rivera" reviewer MD
add reviewer2@clinic.example "Dr Sam Lee" reviewer PharmD
add admin@clinic.example "Alex Admin" admin
add throttle@clinic.example "Tess Throttle" writer
# Second-factor journeys (two-factor.spec.ts) enrol these themselves.
add enrol@clinic.example "Eli Enrol" writer
add axe-light@clinic.example "Lee Light" writer
add axe-dark@clinic.example "Dee Dark" writer
add passkey@clinic.example "Pat Passkey" writer
# The session-expiry journeys (held.spec.ts) end these accounts' sessions mid-edit.
add held-js@clinic.example "Hal Held" writer
add held-nojs@clinic.example "Noa Held" writer
exec "$bin" serve
