// Bundles the npm packages that browser test pages and benchmarks load (real SDKs as the "app", peers for
// benchmarks) into www/vendor/*.js ES modules with esbuild. Build output, not committed (.gitignore).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, 'www', 'vendor');
mkdirSync(out, { recursive: true });

const entries = {
  'openai.js': "export { default as OpenAI } from 'openai';",
  'anthropic.js': "export { default as Anthropic } from '@anthropic-ai/sdk';",
  'ai.js': "export { DefaultChatTransport, TextStreamChatTransport, readUIMessageStream } from 'ai';",
  'hdr-histogram.js': "export { build, initWebAssembly, encodeIntoCompressedBase64, decodeFromCompressedBase64 } from 'hdr-histogram-js';",
  'eventsource-parser.js': "export { createParser } from 'eventsource-parser';",
  'web-vitals.js': "export * from 'web-vitals';",
  // React 19 + react-markdown in one module (one React instance), production build (esbuild's minify defines
  // NODE_ENV=production): the app of www/test-pages/react-chat.html.
  'react.js': "export { createElement, useState, useEffect } from 'react'; export { createRoot } from 'react-dom/client'; export { default as Markdown } from 'react-markdown';",
};
await Promise.all(Object.entries(entries).map(([file, contents]) => build({
  stdin: { contents, resolveDir: repo, loader: 'js' },
  bundle: true, format: 'esm', platform: 'browser', target: 'chrome120', minify: true,
  outfile: join(out, file), logLevel: 'warning', legalComments: 'none',
})));
// The injectable build: one classic script with the wasm embedded, for Playwright's page.addInitScript().
await build({
  entryPoints: [join(repo, 'www', 'kit', 'inject.js')], bundle: true, format: 'iife', platform: 'browser', target: 'chrome120',
  minify: true, loader: { '.wasm': 'binary' }, outfile: join(repo, 'www', 'dist', 'chat-vitals-inject.js'),
  logLevel: 'error', legalComments: 'none',
});
// The shipped ES module: the kit + wasm-bindgen glue in one minified file next to its wasm (what a site deploys;
// BENCHMARKS.md row 3 measures these two files). `load()` finds the wasm next to the module.
await build({
  entryPoints: [join(repo, 'www', 'kit', 'index.js')], bundle: true, format: 'esm', platform: 'browser', target: 'chrome120',
  minify: true, outfile: join(repo, 'www', 'dist', 'chat-vitals.min.js'), logLevel: 'error', legalComments: 'none',
  // loadFull()'s `import('../pkg-full/chat_vitals.js')` stays an import (www/dist/../pkg-full/ = www/pkg-full/): the
  // full build is fetched on demand, not inlined into the shipped module.
  plugins: [{ name: 'full-build-on-demand', setup(b) {
    b.onResolve({ filter: /pkg-full\/chat_vitals\.js$/ }, () => ({ path: '../pkg-full/chat_vitals.js', external: true }));
  } }],
});
copyFileSync(join(repo, 'www', 'pkg', 'chat_vitals_bg.wasm'), join(repo, 'www', 'dist', 'chat_vitals_bg.wasm'));
console.log(`vendor: bundled ${Object.keys(entries).length} modules into www/vendor/, www/dist/chat-vitals-inject.js and www/dist/chat-vitals.min.js (+ wasm)`);
