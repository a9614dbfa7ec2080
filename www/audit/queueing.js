// Browser-side queueing per request, from Resource Timing. A browser opens at most 6 connections to one origin over
// HTTP/1.1; a request beyond that waits inside the browser before it is sent, and that wait would otherwise count as
// the endpoint's TTFT. `requestStart − startTime` is the time from fetch() to the request going out on a connection:
// the wait for a free connection, plus DNS/TCP/TLS when a new connection opens, plus a CORS preflight. Cross-origin
// endpoints expose it only with `Timing-Allow-Origin` (else requestStart is 0 and the value is null).

/** Browsers' HTTP/1.1 connection limit per origin (Chromium, Firefox, Safari). */
export const HTTP1_CONNECTIONS_PER_ORIGIN = 6;

/** `requestStart − startTime` of a resource entry, ms; null when the entry hides it (no Timing-Allow-Origin). */
export function queueMsOf(entry) {
  if (!entry || !(entry.requestStart > 0)) return null;
  return Math.max(0, entry.requestStart - entry.startTime);
}

/**
 * Collects resource entries while an audit runs and matches them to requests. Requests to the same URL are told
 * apart by when fetch() was called and when its headers arrived (startTime, responseStart): two requests close on both
 * had the same wait, so a swap between them cannot change what is reported.
 */
export function resourceTimings() {
  const entries = [];
  let observer = null;
  try {
    observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) entries.push(e); });
    observer.observe({ type: 'resource' });
  } catch { /* no Resource Timing: every queue time is null */ }
  const requests = []; // {href, fetchAtMs, headersAtMs, set(entry)}
  return {
    /** A request: `set(entry)` is called with its resource entry (or null) by `match()`. */
    add(url, fetchAtMs, headersAtMs, set) {
      let href = url;
      try { href = new URL(url, location.href).href; } catch { /* keep it */ }
      requests.push({ href, fetchAtMs, headersAtMs, set });
    },
    /** Waits (up to `waitMs`) for an entry per request, then hands each request its closest unclaimed entry. */
    async match(waitMs = 1000) {
      const t0 = performance.now();
      const enough = () => requests.every((r) => entries.some((e) => e.name === r.href && e.startTime >= r.fetchAtMs - 5));
      while (observer && !enough() && performance.now() - t0 < waitMs) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        for (const e of observer.takeRecords()) entries.push(e);
      }
      observer?.disconnect();
      const claimed = new Set();
      for (const r of [...requests].sort((a, b) => a.fetchAtMs - b.fetchAtMs)) {
        let best = null;
        let bestScore = Infinity;
        for (const e of entries) {
          if (claimed.has(e) || e.name !== r.href) continue;
          const score = Math.abs(e.startTime - r.fetchAtMs)
            + (e.responseStart > 0 && r.headersAtMs != null ? Math.abs(e.responseStart - r.headersAtMs) : 0);
          if (score < bestScore) { best = e; bestScore = score; }
        }
        if (best && Math.abs(best.startTime - r.fetchAtMs) <= 5) claimed.add(best);
        else best = null;
        try { r.set(best); } catch { /* a report that cannot take the field keeps its other fields */ }
      }
    },
  };
}

/**
 * The warning shown before a run whose concurrency exceeds the browser's HTTP/1.1 limit, or null. `endpoint` is the
 * URL the requests go to: http:// is always HTTP/1.1 in browsers; https:// may be HTTP/2, which multiplexes.
 */
export function concurrencyWarning(concurrency, endpoint) {
  const n = Number(concurrency);
  if (!(n > HTTP1_CONNECTIONS_PER_ORIGIN)) return null;
  const tls = /^https:/i.test(String(endpoint ?? ''));
  return `concurrency ${n} exceeds the ${HTTP1_CONNECTIONS_PER_ORIGIN} connections a browser opens to one origin over HTTP/1.1: `
    + `${tls ? 'unless the endpoint speaks HTTP/2, ' : ''}requests beyond ${HTTP1_CONNECTIONS_PER_ORIGIN} wait in the browser before they are sent, `
    + 'and that wait adds to their TTFT; each response\'s browserQueueMs shows it';
}
