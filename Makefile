# The README's two commands are `make run` and `make test`. Both install what is missing first
# (scripts/setup.sh) and skip what is there.

SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$(PATH)

.PHONY: run test build lint rust-test audit e2e bench

## Build the release and serve it on http://127.0.0.1:3000 with SQLite under data/. Staff
## second-factor secrets are sealed with PLASTICITY_SECRET_KEY: when it is not set, a key made once
## in data/secret.key (readable by this user only) is used.
run:
	scripts/setup.sh build
	$(MAKE) build
	@mkdir -p data; [ -s data/secret.key ] || (umask 077; od -An -N32 -tx1 /dev/urandom | tr -d ' \n' > data/secret.key)
	PLASTICITY_SECRET_KEY="$${PLASTICITY_SECRET_KEY:-$$(cat data/secret.key)}" target/release/plasticity serve

## Every check CI runs: format, lints (server and browser builds), Rust tests, browser tests.
test:
	scripts/setup.sh test
	cargo fmt --check
	$(MAKE) lint rust-test audit build e2e

## The release build, with compiled assets precompressed (brotli 11 by cargo-leptos; its gzip is
## a fast level, so gzip -9 redoes it: 51 KB instead of 58 KB of WebAssembly for gzip-only clients).
build:
	cargo leptos build --release --precompress
	find target/site/pkg -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' \) -exec gzip -9 -k -f {} +

lint:
	cargo clippy --all-targets --features ssr -- -D warnings
	cargo clippy --all-targets --features hydrate --target wasm32-unknown-unknown -- -D warnings

## PostgreSQL tests run when PLASTICITY_TEST_POSTGRES names a server the tests may create
## databases on (.ci/run sets it); otherwise they are skipped, and this says so.
rust-test:
	cargo test --features ssr
	@if [ -z "$$PLASTICITY_TEST_POSTGRES" ]; then \
	  echo; \
	  echo "NOTE: the PostgreSQL tests were SKIPPED (storage on PostgreSQL, two instances, nginx, SQLite-to-PostgreSQL import)."; \
	  echo "      To run them: PLASTICITY_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres make test"; \
	  echo; \
	fi

## Cargo.lock against the RustSec advisories (PLASTICITY_ADVISORY_DB: a local copy, for machines
## that cannot fetch it; .ci/run sets it).
audit:
	scripts/audit.sh

e2e:
	cd end2end && npx playwright test

## Benchmarks (not part of `make test`): page weight, Lighthouse, load against nginx.
bench:
	scripts/setup.sh build
	$(MAKE) build
	bench/run.sh
