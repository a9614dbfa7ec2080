#!/usr/bin/env bash
# Mechanical architecture checks (each prints "check: ok <name>" or "check: FAIL <name>" and the offending lines):
#  1. the bindings crates (wasm_bindgen, js_sys, web_sys) are imported only in src/wasm/;
#  2. the core never reads a clock (clippy's disallowed-methods catches calls; this also catches paths in use lines);
#  3. wasm-pack.toml is the one home of the build settings: no [package.metadata.wasm-pack] in Cargo.toml.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
check() { # name, offending-lines
  if [[ -z "$2" ]]; then echo "check: ok $1"; else echo "check: FAIL $1"; echo "$2" | sed 's/^/  /'; fail=1; fi
}
check "bindings-only-in-src/wasm" "$(grep -rnE '\b(wasm_bindgen|js_sys|web_sys)\b' src --include='*.rs' | grep -v '^src/wasm/' | grep -vE '^[^:]+:[0-9]+:\s*//' || true)"
check "no-clock-reads-in-core" "$(grep -rnE '(Instant|SystemTime)::now|std::time::(Instant|SystemTime)' src --include='*.rs' | grep -vE '^[^:]+:[0-9]+:\s*//' || true)"
check "no-build-settings-in-Cargo.toml" "$(grep -nE '^\[package\.metadata\.wasm-pack' Cargo.toml || true)"
exit $fail
