#!/usr/bin/env bash
# Idempotent setup: brings a fresh Debian 12 machine (root, registry-only network, Rust + node/npm + python3
# present) to a state where every README command works. A second run installs nothing and takes seconds.
#
# Tool root: $CHAT_VITALS_TOOLS (default: <repo>/.tools). Point it at an empty directory to test the fresh path.
# Prints one "setup: installed <what>" line per action and, when nothing was needed, "setup: nothing to install".
#
# Why each tool comes from where it does: see docs/DEVELOPING.md ("Toolchain").
#
# On a fresh machine the installs run in three lanes at once, because they wait on different things: the compiles
# (cargo install: CPU), apt (the Debian mirror and dpkg) and the npm/PyPI downloads. A lane's output goes to its log
# and is printed only when it fails; each lane prints how long it took.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${CHAT_VITALS_TOOLS:-$REPO/.tools}"
WASM_PACK_VERSION="0.15.1"
BINARYEN_VERSION="132.0.0"     # npm binaryen: Debian's binaryen 108 emits modules that crash at init
PY_HDRH_VERSION="0.10.8"       # PyPI hdrhistogram, the Python peer of the interop test
PY_OTLP_VERSION="1.45.2"       # PyPI opentelemetry-proto: parses the kit's OTLP/JSON payloads (tests/e2e/otlp_check.py)
PY_PROTOBUF_VERSION="7.36.2"   # PyPI protobuf, its json_format parser (pinned with it)
GECKODRIVER_VERSION="0.37.1"   # crates.io geckodriver: Firefox's WebDriver server (~3 CPU-minutes to compile)
# The other engines of the cross-engine e2e subset, as tested. Debian keeps only the newest build of a package, so
# when a pinned version is gone from the archive the candidate is installed and setup says so.
declare -A APT_PINS=([firefox-esr]="153.8.0esr-1~deb12u1" [wpewebkit-driver]="2.38.6-1" [cog]="0.16.1-1")
DRY_RUN=0
[[ "${1:-}" == "--dry-run" ]] && DRY_RUN=1   # list what would be installed, install nothing

say() { echo "setup: $*" >&2; }
mkdir -p "$TOOLS/bin"
TOOLS="$(cd "$TOOLS" && pwd)"
LANES_DIR="$(mktemp -d)"
trap 'rm -rf "$LANES_DIR"' EXIT
# installed WHAT: records an install (lanes run in subshells, so the record is a file, not an array).
installed() { echo "$1" >> "$LANES_DIR/installed"; }
# would WHAT: in --dry-run mode record WHAT and return 1 (skip the install), else return 0.
would() { if ((DRY_RUN)); then installed "$1"; return 1; fi; return 0; }

LANE_PIDS=()
LANE_NAMES=()
# lane NAME FN: runs FN in the background, its output in NAME's log (in --dry-run mode: in the foreground).
lane() {
  if ((DRY_RUN)); then "$2"; return; fi
  ( start=$SECONDS; "$2"; echo "$1 $((SECONDS - start))" > "$LANES_DIR/$1.time" ) > "$LANES_DIR/$1.log" 2>&1 &
  LANE_PIDS+=("$!")
  LANE_NAMES+=("$1")
}
# wait_lanes: waits for every lane and passes on its own "setup: …" lines (warnings, retries); prints the last 80
# lines of a failed lane's log and then fails.
wait_lanes() {
  local i name failed=0
  for i in "${!LANE_PIDS[@]}"; do
    name="${LANE_NAMES[$i]}"
    if wait "${LANE_PIDS[$i]}"; then
      grep '^setup: ' "$LANES_DIR/$name.log" >&2 || true
    else
      say "lane $name failed; its output:"
      tail -n 80 "$LANES_DIR/$name.log" >&2
      failed=1
    fi
  done
  return "$failed"
}

# 1. wasm32 target
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown && would "rust target wasm32-unknown-unknown"; then
  rustup target add wasm32-unknown-unknown >&2
  installed "rust target wasm32-unknown-unknown"
fi

# 1b. The pinned nightly the release wasm is built with (wasm-pack.toml [profiles.release] toolchain): minimal
# profile plus rust-src, which -Zbuild-std compiles std from. No wasm32 target is needed: build-std builds it.
NIGHTLY="$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["profiles"]["release"].get("toolchain", ""))' "$REPO/wasm-pack.toml")"
if [[ -n "$NIGHTLY" ]] && ! rustup "+$NIGHTLY" component list --installed 2>/dev/null | grep -q '^rust-src' && would "rust toolchain $NIGHTLY + rust-src"; then
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src >&2
  installed "rust toolchain $NIGHTLY + rust-src"
fi

# Lane "apt".
install_apt() {
  # 2. Browsers: Chromium + ChromeDriver (same source package, so versions match); Firefox ESR; WPE WebKit's
  # WebDriver server + cog (its headless browser, no display needed). brotli (size reports), fonts.
  need_apt=()
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
  command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
  command -v WPEWebDriver >/dev/null 2>&1 || need_apt+=(wpewebkit-driver)
  command -v cog >/dev/null 2>&1 || need_apt+=(cog)
  command -v brotli >/dev/null 2>&1 || need_apt+=(brotli)
  # Glyphs for the simulated endpoint's CJK and emoji words, so screenshots and the page show text, not boxes.
  [[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]] || need_apt+=(fonts-wqy-microhei)
  [[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ]] || need_apt+=(fonts-noto-color-emoji)
  if ((${#need_apt[@]})) && would "apt ${need_apt[*]}"; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    specs=()
    for pkg in "${need_apt[@]}"; do
      pin="${APT_PINS[$pkg]:-}"
      if [[ -z "$pin" ]]; then specs+=("$pkg")
      elif apt-cache madison "$pkg" | awk -F'|' '{gsub(/ /, "", $2); print $2}' | grep -qxF "$pin"; then specs+=("$pkg=$pin")
      else say "warning: $pkg $pin (tested) is not in the archive; installing $(apt-cache policy "$pkg" | awk '/Candidate:/ {print $2}')"; specs+=("$pkg")
      fi
    done
    apt-get install -y -qq --no-install-recommends "${specs[@]}" >&2
    installed "apt ${need_apt[*]}"
  fi
}

# Lane "compile": the tools built from crates.io, one after the other (each cargo install uses every core).
install_compiled() {
  # opt-level 1 for these tools (not for anything they build): a fresh lane took 566 s and 621 s instead of 705 s
  # at the default 3 (fresh runs on a 2-core VM), and wasm-bindgen processes the release wasm as fast (0.08 vs 0.09 s).
  export CARGO_PROFILE_RELEASE_OPT_LEVEL=1
  # 3. wasm-pack, pinned, into the tool root
  if [[ "$("$TOOLS/bin/wasm-pack" --version 2>/dev/null || true)" != "wasm-pack $WASM_PACK_VERSION" ]] && would "wasm-pack $WASM_PACK_VERSION"; then
    cargo install --quiet --root "$TOOLS" wasm-pack --version "$WASM_PACK_VERSION" --locked >&2
    installed "wasm-pack $WASM_PACK_VERSION"
  fi

  # 4. wasm-bindgen-cli at exactly the Cargo.lock version (wasm-pack only uses a PATH copy that matches)
  WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$REPO/Cargo.lock")"
  if [[ -z "$WB_VERSION" ]]; then say "cannot read the wasm-bindgen version from Cargo.lock"; exit 1; fi
  if [[ "$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null || true)" != "wasm-bindgen $WB_VERSION" ]] && would "wasm-bindgen-cli $WB_VERSION"; then
    # --locked first; the registry mirror can lack a version the CLI's lockfile names, then resolve afresh.
    if ! cargo install --quiet --root "$TOOLS" wasm-bindgen-cli --version "$WB_VERSION" --locked >&2; then
      say "wasm-bindgen-cli --locked failed; retrying without --locked"
      cargo install --quiet --root "$TOOLS" wasm-bindgen-cli --version "$WB_VERSION" >&2
    fi
    installed "wasm-bindgen-cli $WB_VERSION"
  fi

  # 4b. geckodriver, pinned, into the tool root (Firefox's WebDriver server; crates.io is reachable, GitHub is not)
  if [[ "$("$TOOLS/bin/geckodriver" --version 2>/dev/null | head -n1 || true)" != "geckodriver $GECKODRIVER_VERSION" ]] && would "geckodriver $GECKODRIVER_VERSION"; then
    cargo install --quiet --root "$TOOLS" geckodriver --version "$GECKODRIVER_VERSION" --locked >&2
    installed "geckodriver $GECKODRIVER_VERSION"
  fi
}

# Lane "downloads": npm and PyPI.
install_downloads() {
  # 5. wasm-opt from npm binaryen (never Debian's)
  if [[ "$("$TOOLS/npm/node_modules/.bin/wasm-opt" --version 2>/dev/null || true)" != "wasm-opt version ${BINARYEN_VERSION%%.*}"* ]] && would "binaryen $BINARYEN_VERSION (wasm-opt)"; then
    npm install --silent --prefix "$TOOLS/npm" --no-audit --no-fund --no-save "binaryen@$BINARYEN_VERSION" >&2
    installed "binaryen $BINARYEN_VERSION (wasm-opt)"
  fi

  # 6. npm dependencies of the repo, from the lockfile (re-run only when the lockfile changes)
  LOCK_SUM="$(sha256sum "$REPO/package-lock.json" | cut -d' ' -f1)"
  if [[ ! -d "$REPO/node_modules" || "$(cat "$REPO/node_modules/.chat-vitals-lock" 2>/dev/null || true)" != "$LOCK_SUM" ]] && would "npm dependencies (npm ci)"; then
    (cd "$REPO" && npm ci --silent --no-audit --no-fund >&2)
    echo "$LOCK_SUM" > "$REPO/node_modules/.chat-vitals-lock"
    installed "npm dependencies (npm ci)"
  fi

  # 7. Python hdrhistogram (PyPI), for the HdrHistogram interop test, into the tool root
  if ! PYTHONPATH="$TOOLS/py" python3 -c "import hdrh.histogram" 2>/dev/null && would "python hdrhistogram $PY_HDRH_VERSION"; then
    python3 -m pip install --quiet --disable-pip-version-check --target "$TOOLS/py" "hdrhistogram==$PY_HDRH_VERSION" >&2
    installed "python hdrhistogram $PY_HDRH_VERSION"
  fi

  # 7b. Python opentelemetry-proto + protobuf (PyPI), the OTLP payload check, into the tool root
  if [[ "$(PYTHONPATH="$TOOLS/py" python3 -c "import google.protobuf, importlib.metadata as m; from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2; print(m.version('opentelemetry-proto'), google.protobuf.__version__)" 2>/dev/null || true)" != "$PY_OTLP_VERSION $PY_PROTOBUF_VERSION" ]] && would "python opentelemetry-proto $PY_OTLP_VERSION"; then
    python3 -m pip install --quiet --disable-pip-version-check --target "$TOOLS/py" --upgrade "opentelemetry-proto==$PY_OTLP_VERSION" "protobuf==$PY_PROTOBUF_VERSION" >&2
    installed "python opentelemetry-proto $PY_OTLP_VERSION"
  fi
}

lane apt install_apt
lane downloads install_downloads
lane compile install_compiled
wait_lanes

# 8. The environment every other script sources
((DRY_RUN)) || cat > "$TOOLS/env.sh" <<ENV
export PATH="$TOOLS/npm/node_modules/.bin:$TOOLS/bin:\$HOME/.cargo/bin:\$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
export GECKODRIVER="$TOOLS/bin/geckodriver"
export CHAT_VITALS_TOOLS="$TOOLS"
export CHAT_VITALS_PYTHONPATH="$TOOLS/py"
ENV

if [[ -s "$LANES_DIR/installed" ]]; then
  while IFS= read -r what; do say "$( ((DRY_RUN)) && echo "would install" || echo installed) $what"; done < "$LANES_DIR/installed"
  # How long each lane took (they ran at once: the setup took about the longest of them, not their sum).
  ((DRY_RUN)) || say "lanes (s): $(cat "$LANES_DIR"/*.time | tr '\n' ' ')"
else
  say "nothing to install"
fi
