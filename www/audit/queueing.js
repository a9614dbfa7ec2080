// Browser-side queueing per request, from Resource Timing. A browser opens at most 6 connections to one origin over
// HTTP/1.1; a request beyond that waits inside the browser before it is sent, and that wait would otherwise count as
// the endpoint's TTFT. `requestStart − startTime` is the time from fetch() to the request going out on a connection:
// the wait for a free connection, plus DNS/TCP/TLS when a new connection opens, plus a CORS preflight. Cross-origin
// endpoints expose it only with `Timing-Allow-Origin` (else requestStart is 0 and the value is null).

/** Browsers' HTTP/1.1 connection limit per origin (Chromium, Firefox, Safari). */
export const HTTP1_CONNECTIONS_PER_ORIGIN = 6;

/** How far a resource entry's startTime may be from the fetch() call it belongs to (seen: 15 ms at load 20). */
const START_SLACK_MS = 100;

/** `requestStart − startTime` of a resource entry, ms; null when the entry hides it (no Timing-Allow-Origin). */
export function queueMsOf(entry) {
  if (!entry || !(entry.requestStart > 0)) return null;
  return Math.max(0, entry.requestStart - entry.startTime);
}

/**
 * Collects resource entries while an audit runs and matches them to its requests (in fetch() order per URL, see
 * match()). `expected`: how many requests the audit will make (the entry buffer is sized for them).
 */
export function resourceTimings(expected = 0) {
  const t0 = performance.now();
  const seen = [];
  let observer = null;
  try {
    // The page's buffer keeps 250 entries by default; an audit's own requests must all fit.
    performance.setResourceTimingBufferSize?.(Math.max(250, 2 * expected + 100));
    observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) seen.push(e); });
    observer.observe({ type: 'resource' });
  } catch { /* no Resource Timing: every queue time is null */ }
  const requests = []; // {href, fetchAtMs, set(entry)}
  /** This audit's entries: the buffer's and the observer's (which outlives a full buffer), once each. */
  const entries = () => {
    const all = new Map();
    let buffered = [];
    try { buffered = performance.getEntriesByType('resource'); } catch { /* none */ }
    for (const e of [...buffered, ...seen, ...(observer?.takeRecords() ?? [])]) {
      if (e.startTime >= t0 - START_SLACK_MS) all.set(`${e.name} ${e.startTime}`, e);
    }
    return [...all.values()];
  };
  return {
    /** A request: `set(entry)` is called with its resource entry (or null) by `match()`. */
    add(url, fetchAtMs, set) {
      let href = url;
      try { href = new URL(url, location.href).href; } catch { /* keep it */ }
      requests.push({ href, fetchAtMs, set });
    },
    /** Waits (up to `waitMs`) for an entry per request, then hands each request its entry (or null). */
    async match(waitMs = 1000) {
      const start = performance.now();
      let list = entries();
      const enough = () => requests.every((r) => list.filter((e) => e.name === r.href).length >= requests.filter((x) => x.href === r.href).length);
      while (!enough() && performance.now() - start < waitMs) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        list = entries();
      }
      observer?.disconnect();
      // Per URL, requests in fetch() order and entries in startTime order pair up in order: the browser stamps
      // startTime in the fetch() call, so the two orders agree (a loaded main thread can delay the stamp by tens of
      // ms, and the headers by more, so nearest-time matching mixes up concurrent requests; order does not). An entry
      // more than START_SLACK_MS before its request belongs to a request the audit did not register (a failed one)
      // and is skipped; a request whose next entry starts well after it has none.
      const byHref = new Map();
      for (const r of requests) (byHref.get(r.href) ?? byHref.set(r.href, []).get(r.href)).push(r);
      for (const [href, rs] of byHref) {
        rs.sort((x, y) => x.fetchAtMs - y.fetchAtMs);
        const es = list.filter((e) => e.name === href).sort((x, y) => x.startTime - y.startTime);
        let j = 0;
        for (const r of rs) {
          while (j < es.length && es[j].startTime < r.fetchAtMs - START_SLACK_MS) j++;
          const e = j < es.length && es[j].startTime <= r.fetchAtMs + START_SLACK_MS ? es[j++] : null;
          try { r.set(e); } catch { /* a report that cannot take the field keeps its other fields */ }
        }
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
