#!/usr/bin/env bash
# The main job (README command 1): set up, build, start the built-in simulated endpoint on 127.0.0.1, run an audit
# of N streamed responses in headless Chromium through the www page, print the summary and write out/report.*.
# Extra arguments go to the CLI (see `node www/cli/audit.mjs --help`), e.g. --runs 50 --profile stalls.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
bash scripts/setup.sh
# shellcheck disable=SC1091
source "${CHAT_VITALS_TOOLS:-$REPO/.tools}/env.sh"
python3 scripts/build.py
cargo build --quiet --release --locked -p chat-vitals-sim
node www/cli/audit.mjs "$@"
echo
echo "Open the page interactively: target/release/chat-vitals-serve --www www --page-port 8080   then browse http://127.0.0.1:8080/"
