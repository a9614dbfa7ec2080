#!/usr/bin/env bash
# All tests: the README's test command, and what .ci/run calls verbatim.
#
# Layers (each counted): lint/architecture checks, host `cargo test` (core + simulated endpoint), wasm-bindgen-test
# in headless Chromium (JS-facing bindings), node --test + playwright-core against the page on 127.0.0.1 (e2e,
# SDKs, interop, audit CLI, benchmark smoke). Every layer runs even if an earlier one failed; the last line counts
# everything that ran: "N passed, N failed". Exit status is non-zero if anything failed.
#
# Env: PROPTEST_CASES (property-test cases; default set per test), CHAT_VITALS_TOOLS (tool root).
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
LOGDIR="$(mktemp -d)"
PASSED=0
FAILED=0
SUMMARY=()

bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC1091
source "${CHAT_VITALS_TOOLS:-$REPO/.tools}/env.sh"

# check NAME CMD...: a pass/fail check (lint, build); counts as one test.
check() {
  local name="$1"; shift
  echo "== check: $name"
  if "$@" > "$LOGDIR/$name.log" 2>&1; then
    PASSED=$((PASSED + 1)); SUMMARY+=("check $name: ok")
  else
    FAILED=$((FAILED + 1)); SUMMARY+=("check $name: FAILED")
    tail -n 60 "$LOGDIR/$name.log"
  fi
}

# suite NAME KIND CMD...: a test runner whose counts are parsed (KIND = cargo | tap).
# A runner that fails without printing counts (e.g. a compile error) counts as one failure.
suite() {
  local name="$1" kind="$2"; shift 2
  echo "== suite: $name"
  "$@" 2>&1 | tee "$LOGDIR/$name.log"
  local rc=${PIPESTATUS[0]} p=0 f=0
  if [[ "$kind" == cargo ]]; then
    p=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$LOGDIR/$name.log" | awk '{s+=$4} END {print s+0}')
    f=$(grep -Eo '[0-9]+ failed;' "$LOGDIR/$name.log" | awk '{s+=$1} END {print s+0}')
  else
    p=$(grep -E '^# pass [0-9]+' "$LOGDIR/$name.log" | awk '{s+=$3} END {print s+0}')
    f=$(grep -E '^# fail [0-9]+' "$LOGDIR/$name.log" | awk '{s+=$3} END {print s+0}')
  fi
  if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
  if [[ $p -eq 0 && $f -eq 0 ]]; then f=1; echo "suite $name ran no test"; fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  SUMMARY+=("suite $name: $p passed, $f failed")
}

check fmt cargo fmt --all --check
check architecture bash scripts/check-architecture.sh
check clippy-host cargo clippy --workspace --all-targets --locked -- -D warnings
check clippy-wasm32-full cargo clippy -p chat-vitals --lib --target wasm32-unknown-unknown --no-default-features --features full --locked -- -D warnings
check clippy-wasm32-embedded cargo clippy -p chat-vitals --lib --target wasm32-unknown-unknown --no-default-features --locked -- -D warnings
suite rust-host cargo cargo test --workspace --locked --no-fail-fast
check build-wasm python3 scripts/build.py --profile release --target web --target web-full
check build-server cargo build --release --locked -p chat-vitals-sim
check build-vendor node scripts/vendor.mjs
suite wasm-browser cargo wasm-pack test --headless --chrome . --locked --test web
suite node-e2e tap node --test --test-reporter=tap --test-concurrency=1 tests/e2e/

echo
echo "== summary"
printf '%s\n' "${SUMMARY[@]}"
rm -rf "$LOGDIR"
echo "$PASSED passed, $FAILED failed"
[[ $FAILED -eq 0 ]]
