// Example: measuring a chat answer streamed over a WebSocket with chat-vitals' manual path.
// The server here answers `{"prompt": …}` with `{"type":"delta","text":…}` messages and a final `{"type":"done"}`;
// adapt the three marked lines to your protocol. tests/e2e/websocket.test.mjs runs this file against a scripted server.
import { load, begin } from '../kit/index.js';

/**
 * Sends `prompt` on an open WebSocket and resolves with the kit's report once the answer is done.
 * @param {WebSocket} ws an open socket
 * @param {string} prompt
 * @param {{onText?: (text: string) => void}} [app] the app's own rendering
 */
export async function askOverWebSocket(ws, prompt, app = {}) {
  await load(); // once per page; measurement is a no-op (never an error) until the wasm core is ready
  const handle = begin({ format: 'text', label: 'websocket' }); // the clock starts at the request
  ws.send(JSON.stringify({ prompt }));
  return new Promise((resolve) => {
    const onMessage = (ev) => {
      const msg = JSON.parse(ev.data);
      if (msg.type === 'delta') { //                  ← your protocol's "text arrived"
        handle.chunk(msg.text); //                     stamps performance.now() on arrival
        app.onText?.(msg.text);
      } else if (msg.type === 'done') { //            ← your protocol's "answer finished"
        finish('eof');
      } else if (msg.type === 'error') { //           ← your protocol's "server failed"
        finish('error');
      }
    };
    const onClose = () => finish('aborted'); // the socket went away mid-answer
    const finish = (outcome) => {
      ws.removeEventListener('message', onMessage);
      ws.removeEventListener('close', onClose);
      resolve(handle.end(outcome)); // → the report (also delivered to session.onReport listeners)
    };
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', onClose);
  });
}
