#!/usr/bin/env bash
# The editor's checks (citations, readability, safe messaging, claims) on a 200 KB body, the
# largest the editor accepts, in the release build. Target: under 5 ms. Prints the mean and best.
# Then the preview (checks and rendering) of the bodies a writer could send to cost the most
# (issue 28), with the size of each answer: each in well under a second, each answer a small
# multiple of its body.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --features ssr --lib all_checks_on_the_largest_body -- --ignored --nocapture 2>&1 \
  | grep -E "all checks on|test result"
cargo test --release --features ssr --lib previews_of_the_costliest_bodies -- --ignored --nocapture 2>&1 \
  | grep -E "preview of|test result"
