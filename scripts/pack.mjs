#!/usr/bin/env node
// Assembles the npm package `chat-vitals` from the built tree and runs `npm pack`. Called by scripts/pack.sh (which
// builds first). Layout (the same relative paths as in www/, so no import is rewritten):
//   kit/   the kit's ES modules + .d.ts (www/kit/)          pkg/  the wasm-bindgen glue, its .d.ts and the wasm
//   dist/  the injectable classic script (kit + wasm)       README.md, LICENSE-*, THIRD-PARTY-LICENSES.md, docs/
// Prints the tarball's absolute path as its last line.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(REPO, 'target', 'pack');
const STAGE = join(OUT, 'chat-vitals');

/**
 * Files of www/kit/ that ship: the modules and their declarations. Not the manifest template, and not inject.js (the
 * injectable build's source: it imports the wasm through esbuild's binary loader; the package ships its output).
 */
export const KIT_FILES = (dir = join(REPO, 'www', 'kit')) => readdirSync(dir)
  .filter((f) => /\.(js|d\.ts)$/.test(f) && f !== 'inject.js').sort();
/** Files of www/pkg/ that ship (wasm-bindgen output; no package.json: the package is this one). */
const PKG_FILES = ['chat_vitals.js', 'chat_vitals.d.ts', 'chat_vitals_bg.wasm', 'chat_vitals_bg.wasm.d.ts'];

function need(path, hint) {
  if (!existsSync(path)) throw new Error(`pack: ${path} is missing (${hint})`);
  return path;
}

function cargoVersion() {
  const m = readFileSync(join(REPO, 'Cargo.toml'), 'utf8').match(/^\[package\][\s\S]*?^version\s*=\s*"([^"]+)"/m);
  if (!m) throw new Error('pack: no [package] version in Cargo.toml');
  return m[1];
}

/** Rust crates compiled into the wasm (normal dependencies of the chat-vitals crate for wasm32), with licences. */
function thirdPartyLicenses() {
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--locked',
    '--filter-platform', 'wasm32-unknown-unknown'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 }));
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map(meta.resolve.nodes.map((n) => [n.id, n]));
  const root = meta.packages.find((p) => p.name === 'chat-vitals');
  const seen = new Set();
  const walk = (id) => {
    for (const d of nodes.get(id)?.deps ?? []) {
      if (!d.dep_kinds.some((k) => k.kind === null)) continue; // normal dependencies only (not dev/build)
      // A proc-macro runs in the compiler; neither it nor its dependencies end up in the wasm.
      if (byId.get(d.pkg)?.targets.some((t) => t.kind.includes('proc-macro'))) continue;
      if (!seen.has(d.pkg)) { seen.add(d.pkg); walk(d.pkg); }
    }
  };
  walk(root.id);
  const rows = [...seen].map((id) => byId.get(id)).sort((a, b) => a.name.localeCompare(b.name))
    .map((p) => `| ${p.name} | ${p.version} | ${p.license ?? '(see the crate)'} |`);
  return `# Third-party licences\n\nThe wasm module (pkg/chat_vitals_bg.wasm) contains code from these Rust crates (crates.io), each under\nthe licence named; their licence texts are in each crate's source on crates.io. The MIT and Apache-2.0 texts are\nin LICENSE-MIT and LICENSE-APACHE.\n\n| crate | version | licence |\n|---|---|---|\n${rows.join('\n')}\n`;
}

export function assemble() {
  rmSync(STAGE, { recursive: true, force: true });
  for (const d of ['kit', 'pkg', 'pkg-full', 'dist']) mkdirSync(join(STAGE, d), { recursive: true });
  for (const f of KIT_FILES()) cpSync(join(REPO, 'www', 'kit', f), join(STAGE, 'kit', f));
  // pkg/ = the embedded default build (load()), pkg-full/ = the full build loadFull() imports (BENCHMARKS.md row 3).
  for (const d of ['pkg', 'pkg-full']) {
    for (const f of PKG_FILES) cpSync(need(join(REPO, 'www', d, f), 'run python3 scripts/build.py'), join(STAGE, d, f));
    // The glue imports the bindings' inline JS (the report decoder, src/wasm/js.rs) from snippets/.
    cpSync(need(join(REPO, 'www', d, 'snippets'), 'run python3 scripts/build.py'), join(STAGE, d, 'snippets'), { recursive: true });
  }
  // The glue's classes declare [Symbol.dispose]; say which lib that needs, so a strict consumer on lib ES2022
  // (skipLibCheck off) type-checks without adding ESNext to its own config.
  for (const d of ['pkg', 'pkg-full']) {
    const dts = join(STAGE, d, 'chat_vitals.d.ts');
    writeFileSync(dts, `/// <reference lib="esnext.disposable" />\n${readFileSync(dts, 'utf8')}`);
  }
  cpSync(need(join(REPO, 'www', 'dist', 'chat-vitals-inject.js'), 'run node scripts/vendor.mjs'), join(STAGE, 'dist', 'chat-vitals-inject.js'));
  for (const f of ['README.md', 'LICENSE-MIT', 'LICENSE-APACHE']) cpSync(join(REPO, f), join(STAGE, f));
  // The README links these (relative), and the report schema is part of the API.
  mkdirSync(join(STAGE, 'docs'));
  for (const f of ['INTEGRATION.md', 'METRICS.md', 'report.schema.json']) cpSync(join(REPO, 'docs', f), join(STAGE, 'docs', f));
  writeFileSync(join(STAGE, 'THIRD-PARTY-LICENSES.md'), thirdPartyLicenses());
  const manifest = JSON.parse(readFileSync(join(REPO, 'www', 'kit', 'package.template.json'), 'utf8'));
  manifest.version = cargoVersion();
  writeFileSync(join(STAGE, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return STAGE;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const stage = assemble();
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', OUT], { cwd: stage, encoding: 'utf8' }));
  console.log(`pack: ${info.entryCount} files, ${info.size} B packed, ${info.unpackedSize} B unpacked`);
  console.log(join(OUT, info.filename));
}
