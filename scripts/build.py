#!/usr/bin/env python3
"""Build driver: reads wasm-pack.toml (the one home of the build settings) and runs wasm-pack and wasm-opt.

Usage: python3 scripts/build.py [--profile dev|release] [--target web|npm ...] [--config FILE] [--plan]

--plan prints the commands as JSON instead of running them (used by tests/build_config.test.mjs to show
that changing a value in wasm-pack.toml changes the build).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tomllib

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(config_path):
    with open(config_path, "rb") as f:
        return tomllib.load(f)


def cargo_args(profile, name, target):
    """What goes to cargo after wasm-pack's `--`: the profile's arguments, the profile's for this target, the target's."""
    args = [*profile.get("cargo_args", []), *profile.get("target_cargo_args", {}).get(name, []), *target.get("cargo_args", [])]
    return ["--", *args] if args else []


def plan(cfg, profile_name, target_names):
    build = cfg.get("build", {})
    profile_name = profile_name or build.get("default_profile", "release")
    target_names = target_names or build.get("default_targets", ["web"])
    out_name = build.get("out_name", "chat_vitals")
    profiles, targets = cfg.get("profiles", {}), cfg.get("targets", {})
    if profile_name not in profiles:
        raise SystemExit(f"build: unknown profile {profile_name!r}; wasm-pack.toml has {sorted(profiles)}")
    profile = profiles[profile_name]
    steps = []
    for name in target_names:
        if name not in targets:
            raise SystemExit(f"build: unknown target {name!r}; wasm-pack.toml has {sorted(targets)}")
        t = targets[name]
        out_dir = t["out_dir"]
        steps.append({"target": name, "cmd": [
            "wasm-pack", "--quiet", "build", REPO, *profile.get("wasm_pack_args", []), "--no-opt",
            "--no-pack" if t.get("no_pack") else None,
            profile["wasm_pack_profile"], "--target", t["wasm_pack_target"],
            "--out-dir", os.path.join(REPO, out_dir), "--out-name", out_name,
            *cargo_args(profile, name, t),
        ]})
        steps[-1]["cmd"] = [c for c in steps[-1]["cmd"] if c]
        env = {}
        if profile.get("toolchain"):
            # rustup's override: wasm-pack's cargo (and its sysroot checks) use this toolchain, nothing else does.
            env["RUSTUP_TOOLCHAIN"] = profile["toolchain"]
        if profile.get("rustflags"):
            # Target-specific, so host build scripts and proc macros are compiled without them.
            env["CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS"] = " ".join(profile["rustflags"])
        if env:
            steps[-1]["env"] = env
        flags = profile.get("wasm_opt", False)
        if flags:
            wasm = os.path.join(REPO, out_dir, f"{out_name}_bg.wasm")
            steps.append({"target": name, "cmd": ["wasm-opt", *flags, wasm, "-o", wasm]})
    return {"profile": profile_name, "targets": target_names, "steps": steps}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profile")
    ap.add_argument("--target", action="append", dest="targets")
    ap.add_argument("--config", default=os.path.join(REPO, "wasm-pack.toml"))
    ap.add_argument("--plan", action="store_true", help="print the commands as JSON, run nothing")
    a = ap.parse_args()
    p = plan(load(a.config), a.profile, a.targets)
    if a.plan:
        print(json.dumps(p, indent=2))
        return
    for tool in {s["cmd"][0] for s in p["steps"]}:
        if not shutil.which(tool):
            raise SystemExit(f"build: {tool} not on PATH; run scripts/setup.sh (or source $CHAT_VITALS_TOOLS/env.sh)")
    for step in p["steps"]:
        env = step.get("env", {})
        shown = [f"{k}={v!r}" for k, v in env.items()] + [os.path.relpath(c, REPO) if c.startswith(REPO) else c for c in step["cmd"]]
        print("build: " + " ".join(shown), file=sys.stderr)
        subprocess.run(step["cmd"], check=True, env={**os.environ, **env})


if __name__ == "__main__":
    main()
