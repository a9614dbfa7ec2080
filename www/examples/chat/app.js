// A sample chat app that knows nothing about chat-vitals: the real `openai` SDK in the browser, streaming from
// an OpenAI-compatible endpoint (the simulated one by default, same origin), rendering tokens as they arrive.
// The bubble is created on the first token, after a typing indicator, as many chat UIs do.
import { OpenAI } from '../../vendor/openai.js';

const params = new URLSearchParams(location.search);
const client = new OpenAI({
  baseURL: params.get('baseURL') ?? `${location.origin}/p/${params.get('profile') ?? 'steady'}/v1`,
  apiKey: 'sk-sample-not-a-real-key',
  dangerouslyAllowBrowser: true,
});
const log = document.querySelector('#log');

function bubble(cls, text) {
  const el = document.createElement('div');
  el.className = `msg ${cls}`;
  el.textContent = text;
  log.append(el);
  return el;
}

document.querySelector('#form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const input = document.querySelector('#input');
  const prompt = input.value.trim() || 'Hello';
  input.value = '';
  bubble('user', prompt);
  const typing = bubble('typing-indicator', '…');
  let answer = null;
  const stream = await client.chat.completions.create({
    model: 'sim-model', stream: true, max_tokens: Number(params.get('tokens') ?? 24),
    messages: [{ role: 'user', content: prompt }],
  });
  for await (const chunk of stream) {
    const text = chunk.choices[0]?.delta?.content;
    if (!text) continue;
    if (!answer) { typing.remove(); answer = bubble('assistant', ''); }
    answer.textContent += text;
  }
  typing.remove();
  (answer ?? bubble('assistant', '')).dataset.done = 'true';
});
