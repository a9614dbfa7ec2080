// Warm-up at load(): one synthetic response per wire format through every wasm entry point a measured response
// uses (options, headers, chunk, paint, frame, report, end, Aggregate.addAndReport). V8 compiles wasm functions lazily on their
// first call, and the allocator grows memory on first use; without this, that work (~10 ms in total on a 2-core
// machine, up to ~20 ms for the first chunk) lands in the first real response's read path and delays its chunk
// stamps (BENCHMARKS.md row 8). Runs once, before load() resolves; never throws.

const enc = new TextEncoder();
const sse = (o) => `data: ${JSON.stringify(o)}\n\n`;
const named = (e, o) => `event: ${e}\ndata: ${JSON.stringify(o)}\n\n`;
const line = (o) => `${JSON.stringify(o)}\n`;
const chat = (delta, finish = null) => sse({ id: 'w', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });

/** [format option (undefined = detect), headers, body parts] of the synthetic responses. */
export const STREAMS = [
  [undefined, [['content-type', 'text/event-stream']], [
    chat({ role: 'assistant', content: '' }), chat({ content: 'Hé' }) + chat({ content: ' llo' }).slice(0, 20),
    chat({ content: ' llo' }).slice(20), chat({ reasoning_content: 'r' }) + chat({}, 'stop'),
    sse({ id: 'w', choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }), 'data: [DONE]\n\n']],
  ['openai-responses', [], [
    named('response.created', { type: 'response.created', response: { status: 'in_progress' } }),
    named('response.output_text.delta', { type: 'response.output_text.delta', delta: 'Hi' }),
    named('response.completed', { type: 'response.completed', response: { status: 'completed', usage: { input_tokens: 1, output_tokens: 1 } } })]],
  ['anthropic', [], [
    named('message_start', { type: 'message_start', message: { usage: { input_tokens: 1, output_tokens: 1 } } }),
    named('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }),
    named('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } }),
    named('message_stop', { type: 'message_stop' })]],
  ['ollama', [], [line({ message: { role: 'assistant', content: 'Hi' }, done: false }),
    line({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', eval_count: 1 })]],
  ['ai-sdk-ui', [], [sse({ type: 'start' }), sse({ type: 'text-delta', id: 't', delta: 'Hi' }), sse({ type: 'finish' }), 'data: [DONE]\n\n']],
  ['ai-sdk-data', [], ['0:"Hi"\n', 'd:{"finishReason":"stop"}\n']],
  ['text', [], ['Hi', ' there']],
];

/** One synthetic response (an entry of STREAMS) through a Meter, added to `agg`; returns its final report. */
export function runOne(core, agg, [format, headers, parts]) {
  const m = new core.Meter(0, { ...(format ? { format } : {}), firstTokenRule: 'first-content', captureText: true, timelineCap: 256 });
  try {
    m.markSend(0);
    m.headers(1, 200, headers);
    let at = 2;
    for (const p of parts) m.chunk(at++, enc.encode(p));
    m.report();
    m.paint(at, 2);
    m.frame(at++);
    m.takeText();
    m.end(at, 'eof');
    return agg.addAndReport(m, false); // what a session does at end()
  } finally { m.free(); }
}

/** Yields to the event loop (a message, which background tabs do not throttle as they do timers). */
const nextTask = () => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
  ch.port2.postMessage(0);
});

/**
 * Runs the synthetic responses through `core` (the wasm module's exports), one per task so that none is a long task
 * (each is ~1–3 ms once compiled; the first, which compiles the shared path, ~10 ms on a 2-core machine). Resolves
 * with the time it took (ms), or null when something failed (reported to `onError`: the kit still works, only its
 * first response is measured cold). Never rejects.
 */
export async function warmUp(core, onError = () => {}) {
  const t0 = performance.now();
  let agg = null;
  try {
    agg = new core.Aggregate();
    for (const stream of STREAMS) {
      runOne(core, agg, stream);
      await nextTask();
    }
    return performance.now() - t0;
  } catch (e) {
    onError(e);
    return null;
  } finally {
    try { agg?.free(); } catch { /* already reported */ }
  }
}
