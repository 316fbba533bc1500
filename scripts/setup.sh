#!/usr/bin/env bash
# Installs what building or testing Plasticity needs, and skips whatever is already there, so it
# is safe to run before every build. The Makefile calls it; you rarely need to.
#
#   scripts/setup.sh build   OpenSSL's headers (Debian libssl-dev, for passkeys), wasm32 target,
#                            cargo-leptos, wasm-bindgen-cli (at the Cargo.lock version),
#                            wasm-opt (npm binaryen, under tools/)
#   scripts/setup.sh test    all of that, plus Debian's Chromium and nginx (for the browser
#                            tests and the several-instances test), the Playwright packages and
#                            cargo-audit (the dependency check against RustSec advisories)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
CARGO_AUDIT_VERSION=0.22.2
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

say() { printf '==> %s\n' "$*"; }
fail() { printf 'setup: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root (or sudo) to run: $*"; fi; }

# `npm ci` when node_modules is missing or older than the lock file.
npm_install() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "npm packages in $dir"
    (cd "$dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
}

build_tools() {
  command -v cargo >/dev/null || fail "Rust is not installed (https://rustup.rs)"
  command -v npm >/dev/null || fail "Node.js 20 and npm are not installed"
  # OpenSSL's headers, for webauthn-rs (passkeys).
  if ! { command -v pkg-config >/dev/null && pkg-config --exists openssl; }; then
    say "Debian packages: libssl-dev pkg-config"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q libssl-dev pkg-config
  fi
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
    say "cargo-leptos $CARGO_LEPTOS_VERSION (this takes about 25 minutes on 2 cores)"
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  local bindgen
  bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  [ -n "$bindgen" ] || fail "cannot find wasm-bindgen's version in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen" ]; then
    say "wasm-bindgen-cli $bindgen (the version in Cargo.lock)"
    # Not --locked: the lock file of some wasm-bindgen-cli releases pins a yanked crate.
    cargo install wasm-bindgen-cli --version "$bindgen"
  fi
  npm_install tools
}

test_tools() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  # Java for the W3C Nu HTML checker (npm vnu-jar, under tools/).
  command -v java >/dev/null || missing+=(default-jre-headless)
  # The session-expiry journey ends a session in the browser tests' database.
  command -v sqlite3 >/dev/null || missing+=(sqlite3)
  if [ ${#missing[@]} -gt 0 ]; then
    say "Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
  npm_install end2end
  if [ "$(cargo audit --version 2>/dev/null | awk '{print $2}')" != "$CARGO_AUDIT_VERSION" ]; then
    say "cargo-audit $CARGO_AUDIT_VERSION (about 8 minutes on 2 cores)"
    cargo install cargo-audit --version "$CARGO_AUDIT_VERSION" --locked
  fi
}

case "${1:-}" in
  build) build_tools ;;
  test) build_tools; test_tools ;;
  *) fail "usage: scripts/setup.sh build|test" ;;
esac
