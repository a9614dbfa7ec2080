#!/usr/bin/env bash
# Builds and packs the npm package `chat-vitals` (the kit, the wasm-bindgen glue, the wasm, types, README, licences).
# The last line printed is the tarball's path. --no-build packs what www/pkg and www/dist already hold (scripts/test.sh
# builds them just before).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
if [[ "${1:-}" != "--no-build" ]]; then
  bash scripts/setup.sh >&2
  # shellcheck disable=SC1091
  source "${CHAT_VITALS_TOOLS:-$REPO/.tools}/env.sh"
  python3 scripts/build.py --profile release --target web --target web-full >&2
  node scripts/vendor.mjs >&2
fi
node scripts/pack.mjs
