#!/usr/bin/env bash
# Builds what the benchmarks need (release wasm → www/pkg, the sim/page server, www/vendor bundles) and runs them.
#   bash scripts/bench.sh            full run (~3–5 min; results printed; --json FILE to keep them)
#   bash scripts/bench.sh --smoke    every row tiny (seconds), asserts the rows produce numbers
#   bash scripts/bench.sh --only 2,3 selected rows
# Set SKIP_BUILD=1 to reuse existing builds.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -n "${CHAT_VITALS_TOOLS:-}" && -f "$CHAT_VITALS_TOOLS/env.sh" ]]; then source "$CHAT_VITALS_TOOLS/env.sh"; fi
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  [[ -d node_modules/playwright-core ]] || npm ci --no-audit --no-fund
  python3 scripts/build.py
  cargo build --release -p chat-vitals-sim
  node scripts/vendor.mjs
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(${CHROMIUM:-/usr/bin/chromium} --version 2>/dev/null || echo chromium ?), load $(cut -d' ' -f1-3 /proc/loadavg)"
exec node bench/run.mjs "$@"
