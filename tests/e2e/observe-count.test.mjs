// observe() counts visible chars incrementally while the DOM only grows by text nodes and recounts the subtree on any
// other change; either way each paint reports what visibleChars() (the full walk) says is visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser } from './harness.mjs';

const env = useBrowser({ profile: 'scripted' });

test('observe paints match the full visibleChars walk through appends, hidden nodes, elements and removals', async () => {
  const { server, browser: { page } } = env;
  await page.goto(`${server.page}bench/index.html`);
  await page.evaluate(async () => {
    const kit = await import('/kit/index.js');
    const el = document.createElement('div');
    document.body.append(el);
    // A shape-based rule: an empty paragraph is hidden until text is added to it.
    document.head.insertAdjacentHTML('beforeend', '<style>.t-empty:empty { display: none }</style>');
    window.t = { kit, el, paints: [] };
    window.t.stop = kit.observe(el, { live: true, paint: (n) => window.t.paints.push(n) });
  });
  // Each step mutates, then waits (bounded) until a paint reports the full walk's count.
  const step = async (mutate, expected) => {
    const want = await page.evaluate(mutate);
    if (expected !== undefined) assert.equal(want, expected);
    await page.waitForFunction((w) => window.t.paints.at(-1) === w, want, { timeout: 5000 });
    return want;
  };
  await step(() => { window.t.el.append('hello'); return window.t.kit.visibleChars(window.t.el); }, 5);
  await step(() => { window.t.el.append(' wörld', ' 😀'); return window.t.kit.visibleChars(window.t.el); }, 13);
  // A hidden element adds nothing; the next plain append is counted on top of the recount.
  await step(() => {
    const s = document.createElement('span'); s.hidden = true; s.textContent = 'secret'; window.t.el.append(s);
    window.t.el.append('!'); return window.t.kit.visibleChars(window.t.el);
  }, 14);
  // Text appended inside a hidden element is not counted.
  await step(() => {
    window.t.el.querySelector('span').append('more secret'); window.t.el.append('?'); return window.t.kit.visibleChars(window.t.el);
  }, 15);
  // A visible element, then text appended into it.
  await step(() => { const b = document.createElement('b'); window.t.el.append(b); b.append('xy'); return window.t.kit.visibleChars(window.t.el); }, 17);
  // A removal forces a recount; paints report growth only, so grow past the previous count.
  await step(() => { window.t.el.firstChild.remove(); window.t.el.append('0123456789'); return window.t.kit.visibleChars(window.t.el); }, 22);
  // Edited text (characterData) forces a recount too.
  await step(() => { window.t.el.lastChild.data = '0123456789abc'; return window.t.kit.visibleChars(window.t.el); }, 25);
  // Plain appends into a visible child element and into a display:none one (checked at the frame, not per mutation).
  await step(() => {
    const i = document.createElement('i'); i.style.display = 'none'; window.t.el.append(i); window.t.el.append('.');
    return window.t.kit.visibleChars(window.t.el);
  }, 26);
  await step(() => {
    window.t.el.querySelector('b').append('more'); window.t.el.querySelector('i').append('not shown');
    return window.t.kit.visibleChars(window.t.el);
  }, 30);
  // Elements added (a markdown renderer's paragraphs) are counted by walking only them: nested, written to in the
  // same task (counted once), inside a display:none element (not counted), or carrying an ignored subtree.
  await step(() => {
    const q = document.createElement('blockquote'); const p = document.createElement('p'); p.textContent = 'nested';
    q.append(p); window.t.el.append(q); p.append('!'); q.append(document.createElement('br'));
    return window.t.kit.visibleChars(window.t.el);
  }, 37);
  await step(() => {
    const p = document.createElement('p'); window.t.el.querySelector('i').append(p); p.append('hidden text');
    const s = document.createElement('p'); s.innerHTML = 'seen<span class="typing-indicator">...</span>';
    window.t.el.append(s);
    return window.t.kit.visibleChars(window.t.el);
  }, 41);
  // Many paragraphs over many frames: still equal to the full walk.
  for (let k = 0; k < 5; k++) {
    await step(() => {
      const p = document.createElement('p'); window.t.el.append(p); p.append('para ', 'graph');
      return window.t.kit.visibleChars(window.t.el);
    }, 41 + 10 * (k + 1));
  }
  // Hiding a counted parent starts a new visibility cache: text appended to it in a later frame is not counted.
  const nextFrame = () => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
  await nextFrame();
  await page.evaluate(() => { window.t.el.querySelector('b').hidden = true; });
  await nextFrame();
  await nextFrame();
  await step(() => {
    window.t.el.querySelector('b').append('zzz'); window.t.el.append('0123456789ABCDEF');
    return window.t.kit.visibleChars(window.t.el);
  }, 85 + 16);
  // An empty paragraph hidden by `:empty` becomes visible when text is appended in a later frame.
  await step(() => {
    const p = document.createElement('p'); p.className = 't-empty'; p.id = 'empty-p'; window.t.el.append(p);
    window.t.el.append('.'); return window.t.kit.visibleChars(window.t.el);
  }, 102);
  await nextFrame();
  await nextFrame();
  await step(() => { document.getElementById('empty-p').append('filled'); return window.t.kit.visibleChars(window.t.el); }, 108);
  await page.evaluate(() => window.t.stop());
});

test('bound by selector: an ancestor\'s attribute change that reveals text recounts (not only re-queries)', async () => {
  const { server, browser: { page } } = env;
  await page.goto(`${server.page}bench/index.html`);
  await page.evaluate(async () => {
    const kit = await import('/kit/index.js');
    document.head.insertAdjacentHTML('beforeend', '<style>.collapsed .extra { display: none }</style>');
    document.body.insertAdjacentHTML('beforeend',
      '<section id="wrap" class="collapsed"><div class="bubble"><p class="main"></p><p class="extra"></p></div></section>');
    window.t = { kit, paints: [] };
    window.t.stop = kit.observe('#wrap .bubble', { live: true, paint: (n) => window.t.paints.push(n) });
  });
  const count = () => page.evaluate(() => window.t.kit.visibleChars(document.querySelector('#wrap .bubble')));
  await page.evaluate(() => {
    document.querySelector('.main').append('shown');
    document.querySelector('.extra').append('collapsed text');
  });
  assert.equal(await count(), 5);
  await page.waitForFunction(() => window.t.paints.at(-1) === 5, null, { timeout: 5000 });
  await page.evaluate(() => document.getElementById('wrap').classList.remove('collapsed'));
  assert.equal(await count(), 19);
  await page.waitForFunction(() => window.t.paints.at(-1) === 19, null, { timeout: 5000 });
  await page.evaluate(() => window.t.stop());
});

test('text-counter: counts only what its mutation records say, settled when asked, equal to the full walk', async () => {
  const { server, browser: { page } } = env;
  await page.goto(`${server.page}bench/index.html`);
  const r = await page.evaluate(async () => {
    const { createTextCounter } = await import('/kit/text-counter.js');
    const { visibleChars, DEFAULT_IGNORE } = await import('/kit/visible.js');
    const el = document.createElement('div');
    document.body.append(el);
    const mo = new MutationObserver(() => {});
    mo.observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
    const c = createTextCounter(DEFAULT_IGNORE, (rec) => rec.attributeName === 'elementtiming');
    c.setElement(el);
    const out = [];
    const step = (mutate) => {
      mutate();
      const notedBefore = c.count(); // nothing noted yet: still the last count
      c.note(mo.takeRecords());
      const changed = c.changed;
      out.push({ notedBefore, changed, count: c.count(), walk: visibleChars(el), changedAfter: c.changed });
    };
    c.count();
    step(() => el.append('hello'));
    step(() => { const p = document.createElement('p'); p.textContent = 'wörld 😀'; el.append(p); });
    step(() => { const s = document.createElement('span'); s.className = 'typing-indicator'; s.textContent = '…'; el.append(s); });
    step(() => el.querySelector('p').setAttribute('elementtiming', 'x')); // disregarded: no change
    step(() => el.firstChild.remove()); // a removal: recount
    return out;
  });
  assert.deepEqual(r.map((x) => x.count), r.map((x) => x.walk), 'every count equals the full walk');
  assert.deepEqual(r.map((x) => x.count), [5, 12, 12, 12, 7]);
  assert.deepEqual(r.map((x) => x.notedBefore), [0, 5, 12, 12, 12], 'unnoted mutations are not counted (counting happens only from records)');
  assert.deepEqual(r.map((x) => x.changed), [true, true, true, false, true], 'the skipped attribute record is no change');
  assert.ok(r.every((x) => !x.changedAfter), 'a count settles what was noted');
});
