// Issue 2: wasm-pack.toml is the one home of the build settings, and setup is idempotent with a testable fresh path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, statSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './harness.mjs';

const plan = (...args) => JSON.parse(execFileSync('python3', [join(REPO, 'scripts/build.py'), '--plan', ...args], { encoding: 'utf8' }));
const config = readFileSync(join(REPO, 'wasm-pack.toml'), 'utf8');
const tmp = () => mkdtempSync(join(tmpdir(), 'cv-build-'));

test('the build plan is read from wasm-pack.toml', () => {
  const p = plan();
  assert.equal(p.profile, 'release');
  const wp = p.steps[0].cmd;
  assert.deepEqual(wp.slice(0, 3), ['wasm-pack', '--quiet', 'build']);
  assert.ok(wp.includes('--no-opt'), 'wasm-pack never runs its own wasm-opt');
  assert.equal(wp[wp.indexOf('--target') + 1], 'web');
  assert.equal(wp[wp.indexOf('--out-dir') + 1], join(REPO, 'www/pkg'));
  // After `--`: the release profile's cargo arguments (std rebuilt by the pinned nightly), then the target's.
  const buildStd = ['-Zbuild-std=std,panic_abort'];
  assert.deepEqual(wp.slice(wp.indexOf('--')), ['--', ...buildStd, '--no-default-features'], 'the default build is the embedded one');
  assert.deepEqual(wp.slice(4, 6), ['--mode', 'force'], 'no wasm32 rust-std check: build-std builds it');
  const full = p.steps.find((s) => s.target === 'web-full').cmd;
  assert.equal(full[full.indexOf('--out-dir') + 1], join(REPO, 'www/pkg-full'));
  assert.deepEqual(full.slice(full.indexOf('--')), ['--', ...buildStd, '-Zbuild-std-features=optimize_for_size', '--no-default-features', '--features', 'full'],
    'the full build: std built for size (the profile\'s arguments for this target), without the host-only json feature');
  assert.equal(p.steps[1].cmd[0], 'wasm-opt');
  assert.ok(p.steps[1].cmd.includes('-Os'));
  // The release profile's rustflags reach the wasm32 compilation only (a target-specific variable), and its
  // toolchain only the wasm-pack run (rustup's per-process override).
  assert.deepEqual(p.steps[0].env, {
    RUSTUP_TOOLCHAIN: 'nightly-2026-05-19',
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS: '-C llvm-args=-inline-threshold=50 -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none',
  });
  const npm = plan('--target', 'npm', '--profile', 'dev');
  assert.equal(npm.steps.length, 1, 'dev profile has wasm_opt = false: no wasm-opt step');
  assert.equal(npm.steps[0].env, undefined, 'the dev profile sets no rustflags and no toolchain (stable)');
  assert.deepEqual(npm.steps[0].cmd.slice(npm.steps[0].cmd.indexOf('--')), ['--', '--no-default-features'], 'the dev profile adds no cargo arguments');
  assert.ok(!npm.steps[0].cmd.includes('--mode'), 'the dev build keeps wasm-pack\'s checks');
  assert.ok(npm.steps[0].cmd.includes('--dev'));
  assert.equal(npm.steps[0].cmd[npm.steps[0].cmd.indexOf('--target') + 1], 'bundler');
  // Neither bindings build writes a package.json: the one package named chat-vitals is scripts/pack.sh's.
  for (const s of [wp, npm.steps[0].cmd]) assert.ok(s.includes('--no-pack'), `${s.join(' ')} has --no-pack`);
});

test('changing a value in wasm-pack.toml changes the plan', () => {
  const dir = tmp();
  const f = join(dir, 'wasm-pack.toml');
  writeFileSync(f, config.replace('out_dir = "www/pkg"', 'out_dir = "elsewhere/pkg"').replace('"-Os"', '"-O3"'));
  const p = plan('--config', f);
  const wp = p.steps[0].cmd;
  assert.equal(wp[wp.indexOf('--out-dir') + 1], join(REPO, 'elsewhere/pkg'));
  assert.ok(p.steps[1].cmd.includes('-O3') && !p.steps[1].cmd.includes('-Os'));
  rmSync(dir, { recursive: true });
});

test('changing the wasm-opt flags in wasm-pack.toml changes the built wasm', { timeout: 300_000 }, () => {
  const dir = tmp();
  const build = (flags, name) => {
    const out = join(dir, name);
    const f = join(dir, `${name}.toml`);
    writeFileSync(f, config.replace('out_dir = "www/pkg"', `out_dir = "${out}"`)
      .replace(/^wasm_opt = \[.*\]$/m, `wasm_opt = ${JSON.stringify(flags)}`));
    execFileSync('python3', [join(REPO, 'scripts/build.py'), '--config', f, '--target', 'web'], { stdio: 'pipe' });
    return statSync(join(out, 'chat_vitals_bg.wasm')).size;
  };
  const small = build(['-Os', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-reference-types', '--enable-multivalue', '--enable-mutable-globals'], 'os');
  const none = build(['-O0', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-reference-types', '--enable-multivalue', '--enable-mutable-globals'], 'o0');
  assert.ok(small < none, `-Os build (${small} B) is smaller than -O0 build (${none} B)`);
  rmSync(dir, { recursive: true });
});

test('Cargo.toml holds no second copy of the build settings', () => {
  assert.doesNotMatch(readFileSync(join(REPO, 'Cargo.toml'), 'utf8'), /package\.metadata\.wasm-pack/);
});

test('setup is idempotent: a second run installs nothing', () => {
  const r = spawnSync('bash', [join(REPO, 'scripts/setup.sh')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /setup: nothing to install/);
});

test('setup against an empty tool root plans the full fresh install', () => {
  const dir = tmp();
  const r = spawnSync('bash', [join(REPO, 'scripts/setup.sh'), '--dry-run'], { encoding: 'utf8', env: { ...process.env, CHAT_VITALS_TOOLS: dir } });
  assert.equal(r.status, 0, r.stderr);
  for (const what of ['wasm-pack 0.15.1', 'wasm-bindgen-cli 0.2.130', 'geckodriver 0.37.1', 'binaryen 132.0.0', 'python opentelemetry-proto 1.45.2']) {
    assert.match(r.stderr, new RegExp(`would install ${what.replace(/\./g, '\\.')}`));
  }
  assert.equal(existsSync(join(dir, 'env.sh')), false, 'dry run writes nothing');
  rmSync(dir, { recursive: true });
});
