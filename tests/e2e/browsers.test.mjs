// The driver layer's teardown (www/cli/browsers.mjs, www/cli/processes.mjs): close() returns only once every process the browser started
// has exited, in each engine. WPE WebKit's web and network processes outlived cog by 1–2 s (one at ~90 % of a core),
// so the next test file began on a machine still busy with them (merge.test.mjs after engines.test.mjs), and
// geckodriver was still exiting. Without the fix the Firefox and WebKit cases fail.
import { test, before, after } from 'node:test';
import { statfsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, ENGINES } from './harness.mjs';
import { descendants, running } from '../../www/cli/processes.mjs';
import { devShmArgs, CHROMIUM_ARGS } from '../../www/cli/browsers.mjs';

test('Chromium keeps shared memory in /dev/shm unless that is missing or under 1 GiB', () => {
  assert.deepEqual(devShmArgs('/nonexistent-dir-for-this-test'), ['--disable-dev-shm-usage']);
  let shmBytes = 0;
  try { const st = statfsSync('/dev/shm'); shmBytes = st.bavail * st.bsize; } catch { /* no /dev/shm */ }
  assert.equal(CHROMIUM_ARGS.includes('--disable-dev-shm-usage'), shmBytes < 2 ** 30,
    `/dev/shm has ${(shmBytes / 2 ** 30).toFixed(1)} GiB free`);
});

let server;
before(async () => { server = await startServer({ profile: 'scripted' }); });
after(() => server?.stop());

for (const engine of ENGINES) {
  test(`${engine}: close() leaves no process of the browser running`, async () => {
    const others = descendants(process.pid).map(({ pid }) => pid); // the server, and nothing of a browser yet
    const browser = await launchBrowser(engine);
    let mine = [];
    try {
      await browser.goto(`${server.page}test-pages/kit.html`);
      await browser.waitFor(() => window.cv?.ready); // a page with the kit: web, network (and GPU) processes run
      mine = descendants(process.pid).filter(({ pid }) => !others.includes(pid));
      assert.ok(mine.length >= 2, `${engine}: the browser's processes are found (${mine.length})`);
    } finally {
      await browser.close();
    }
    const left = mine.filter(running);
    assert.deepEqual(left, [], `${engine}: still running after close(): ${left.map(({ pid }) => pid).join(', ')}`);
  });
}
