// Sessions: a set of measured responses, their reports and their aggregate.
import { core, diag, isLoaded } from './core.js';

/** A set of measured responses with their aggregate. */
export class Session {
  constructor(options = {}) {
    this.options = options;
    this.reports = [];
    this.listeners = new Set();
    this.sinks = new Set();
    this.aggregate = null;
    this.bindings = null;
    this.maxReports = options.maxReports ?? 1000;
  }
  /**
   * Internal: the wasm build this session measures with, fixed by its first response or aggregate. A meter of one
   * build cannot be added to another build's aggregate, so a loadFull() that resolves mid-session (or mid-response)
   * does not switch it: its meters and its aggregate stay on the build it started with.
   */
  _bindings() {
    if (!this.bindings && isLoaded()) this.bindings = core;
    return this.bindings ?? core;
  }
  _agg() {
    if (!this.aggregate && isLoaded()) this.aggregate = new (this._bindings()).Aggregate(this.options.metrics ?? undefined);
    return this.aggregate;
  }
  /** @param {(report: object) => void} cb called with each finished response's report. Returns an unsubscribe fn. */
  onReport(cb) { this.listeners.add(cb); return () => this.listeners.delete(cb); }
  /**
   * Internal (exporters such as reportTo): `fn(report, meter, warmup)` runs for each finished response while its
   * meter is still alive, so per-chunk histograms can be read. Returns an unsubscribe fn.
   */
  _addSink(fn) { this.sinks.add(fn); return () => this.sinks.delete(fn); }
  _finish(meter, warmup, extra) {
    let report = null;
    try {
      const agg = this._agg();
      report = Object.assign(agg ? agg.addAndReport(meter, !!warmup) : meter.report(), extra);
    } catch (e) { diag('report', e); }
    if (report) {
      for (const fn of this.sinks) { try { fn(report, meter, !!warmup); } catch (e) { diag('report sink', e); } }
    }
    try { meter.free(); } catch (e) { diag('free', e); }
    if (!report) return null;
    if (this.reports.length >= this.maxReports) this.reports.shift();
    this.reports.push(report);
    for (const cb of this.listeners) { try { cb(report); } catch (e) { diag('onReport callback', e); } }
    return report;
  }
  /** Percentiles etc. of everything measured so far (null before the first response). */
  summary() { try { return this._agg()?.summary() ?? null; } catch (e) { diag('summary', e); return null; } }
  reset() { this.reports = []; try { this._agg()?.reset(); } catch (e) { diag('reset', e); } }
}

/** The default session every helper uses unless given another. */
export const session = new Session();

