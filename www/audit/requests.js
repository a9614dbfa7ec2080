// Endpoint presets: how each supported API is asked for a streamed answer. Pure functions, no I/O.
// The API key is only ever placed in request headers here; it is never stored, put in a URL, or reported.

/** Simulated endpoint timing profiles (served by chat-vitals-serve, see sim/src/profile.rs). */
export const SIM_PROFILES = ['realistic', 'steady', 'bursty', 'stalls', 'slow-start', 'heavy-tail', 'scripted'];

/** Endpoint kinds the page can call, with the wire format the kit should expect. */
export const PRESETS = {
  sim: { label: 'Simulated endpoint (built in)', format: 'openai-chat' },
  'openai-chat': { label: 'OpenAI-compatible Chat Completions', format: 'openai-chat', path: '/v1/chat/completions' },
  'openai-responses': { label: 'OpenAI Responses API', format: 'openai-responses', path: '/v1/responses' },
  anthropic: { label: 'Anthropic Messages', format: 'anthropic', path: '/v1/messages' },
  ollama: { label: 'Ollama /api/chat', format: 'ollama', path: '/api/chat' },
  'ai-sdk': { label: 'Vercel AI SDK route (UI message stream)', format: 'ai-sdk-ui', path: '' },
};

/**
 * Builds {url, init, format} for one request.
 * @param {{preset: string, endpoint?: string, profile?: string, model?: string, prompt: string,
 *          apiKey?: string, headers?: Record<string,string>, maxTokens?: number, sim?: object}} c
 * @param {string} origin where the simulated endpoint lives (the page's own server by default)
 */
export function buildRequest(c, origin, pageOrigin = origin) {
  const preset = PRESETS[c.preset] ? c.preset : 'sim';
  const headers = { 'content-type': 'application/json', ...(c.headers ?? {}) };
  const model = c.model || 'sim-model';
  const messages = [{ role: 'user', content: c.prompt }];
  let url;
  let body;
  switch (preset) {
    case 'sim': {
      const base = (c.endpoint || origin).replace(/\/$/, '');
      url = `${base}/p/${encodeURIComponent(c.profile || 'realistic')}/v1/chat/completions`;
      body = { model, messages, stream: true, stream_options: { include_usage: true } };
      if (c.maxTokens) body.max_tokens = c.maxTokens;
      if (c.sim) body.sim = c.sim;
      break;
    }
    case 'openai-chat':
      url = join(c.endpoint, PRESETS[preset].path);
      body = { model, messages, stream: true, stream_options: { include_usage: true } };
      if (c.maxTokens) body.max_tokens = c.maxTokens;
      if (c.apiKey) headers.authorization = `Bearer ${c.apiKey}`;
      break;
    case 'openai-responses':
      url = join(c.endpoint, PRESETS[preset].path);
      body = { model, input: c.prompt, stream: true };
      if (c.maxTokens) body.max_output_tokens = c.maxTokens;
      if (c.apiKey) headers.authorization = `Bearer ${c.apiKey}`;
      break;
    case 'anthropic':
      url = join(c.endpoint, PRESETS[preset].path);
      body = { model, messages, max_tokens: c.maxTokens || 1024, stream: true };
      headers['anthropic-version'] = '2023-06-01';
      headers['anthropic-dangerous-direct-browser-access'] = 'true';
      if (c.apiKey) headers['x-api-key'] = c.apiKey;
      break;
    case 'ollama':
      url = join(c.endpoint, PRESETS[preset].path);
      body = { model, messages, stream: true };
      break;
    case 'ai-sdk':
      url = c.endpoint;
      body = { id: `chat-${Date.now()}`, messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: c.prompt }] }] };
      if (c.apiKey) headers.authorization = `Bearer ${c.apiKey}`;
      break;
  }
  if (c.relay && preset !== 'sim') {
    // Opt-in same-origin relay (chat-vitals-serve --relay): for endpoints without CORS. It adds a hop; reports say so.
    headers['x-relay-target'] = url;
    url = `${pageOrigin.replace(/\/$/, '')}/__relay`;
  }
  return { url, init: { method: 'POST', headers, body: JSON.stringify(body) }, format: PRESETS[preset].format };
}

function join(base, path) {
  if (!base) throw new Error('endpoint URL is required for this preset');
  return base.replace(/\/$/, '') + path;
}

/** Parses "Name: value" lines into an object (blank lines and lines without a colon are ignored). */
export function parseHeaderLines(text) {
  const out = {};
  for (const line of String(text || '').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}
