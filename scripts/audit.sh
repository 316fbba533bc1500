#!/usr/bin/env bash
# Checks Cargo.lock against the RustSec advisory database (cargo-audit) and fails on any advisory
# that affects a crate we build, except the ones `.cargo/audit.toml` ignores, each with its reason.
# Where the database cannot be fetched, PLASTICITY_ADVISORY_DB names a local copy (a plain folder
# or a git clone of github.com/rustsec/advisory-db); .ci/run points it at ../shared/advisory-db.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# The reason .cargo/audit.toml gives for ignoring the rsa advisory must still hold.
if [ -n "$(cargo tree -q -i rsa --features ssr -e normal 2>/dev/null)" ]; then
  echo "audit: rsa is now built into the server; RUSTSEC-2023-0071 may affect us (see .cargo/audit.toml)" >&2
  exit 1
fi
db=${PLASTICITY_ADVISORY_DB:-}
if [ -z "$db" ]; then
  exec cargo audit --deny warnings
fi
[ -d "$db/crates" ] || { echo "audit: $db is not a RustSec advisory database (no crates/ folder)" >&2; exit 1; }
# cargo-audit opens the database as a git repository: a plain copy is committed once into a
# scratch folder (rebuilt when the copy changes).
if [ ! -d "$db/.git" ]; then
  stamp=$( (cat "$db/SNAPSHOT.md" 2>/dev/null; find "$db/crates" -type f | wc -l) | sha256sum)
  repo=target/advisory-db
  if [ "$(cat "$repo/.stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$repo" && mkdir -p "$repo"
    cp -r "$db"/. "$repo"/
    git -C "$repo" init -q
    git -C "$repo" add -A
    git -C "$repo" -c user.name=audit -c user.email=audit@localhost commit -q -m snapshot
    echo "$stamp" > "$repo/.stamp"
  fi
  db=$repo
fi
exec cargo audit --db "$db" --no-fetch --stale --deny warnings
