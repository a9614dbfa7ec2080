// The measurement options of an audit (prices, QoE and fluidity parameters, stall threshold, rating overrides), read
// from the page form or the CLI flags into the kit's MeterOptions shape, with one set of rules for both. Pure: the CLI
// imports this file in Node. A bad value throws OptionError naming the CLI flag (and the form field).

export class OptionError extends Error {
  /** @param {{flag: string, field: string}} option  @param {string} message */
  constructor(option, message) {
    super(`${option.flag} ${message}`);
    this.flag = option.flag;
    this.field = option.field;
  }
}

const RULES = {
  positive: [(v) => v > 0, 'a number > 0'],
  nonNegative: [(v) => v >= 0, 'a number >= 0'],
  unit: [(v) => v >= 0 && v <= 1, 'a number in [0, 1]'],
};

/** Numeric options: CLI flag, form field, rule, where the value goes in MeterOptions, and its unit. */
export const NUMERIC_OPTIONS = [
  { flag: '--price-in', field: 'priceIn', rule: 'nonNegative', path: ['cost', 'inputUsdPerMtok'], unit: 'USD per million input tokens' },
  { flag: '--price-out', field: 'priceOut', rule: 'nonNegative', path: ['cost', 'outputUsdPerMtok'], unit: 'USD per million output tokens' },
  { flag: '--qoe-reading-speed', field: 'qoeReadingSpeed', rule: 'positive', path: ['qoe', 'readingTokensPerS'], unit: 'tokens/s the reader digests (default 4.8)' },
  { flag: '--qoe-ttft-expected-ms', field: 'qoeTtftExpectedMs', rule: 'nonNegative', path: ['qoe', 'ttftExpectedMs'], unit: 'ms the reader expects to wait for the first token (default 1000)' },
  { flag: '--qoe-ttft-penalty', field: 'qoeTtftPenalty', rule: 'unit', path: ['qoe', 'ttftPenaltyAlpha'], unit: 'α in [0, 1]: QoE × α^(late TTFT in s) (default none)' },
  { flag: '--fluidity-ttft-deadline-ms', field: 'fluidityTtftDeadlineMs', rule: 'positive', path: ['fluidity', 'ttftDeadlineMs'], unit: 'ms, first-token deadline (default 100)' },
  { flag: '--fluidity-tbt-deadline-ms', field: 'fluidityTbtDeadlineMs', rule: 'positive', path: ['fluidity', 'tbtDeadlineMs'], unit: 'ms per later token (default 50)' },
  { flag: '--stall-threshold-ms', field: 'stallThresholdMs', rule: 'positive', path: ['stallThresholdMs'], unit: 'ms, a gap at least this long is a stall (default 250)' },
];
export const PRICES_OPTION = { flag: '--prices', field: 'pricesFile' };
export const RATING_OPTION = { flag: '--rating', field: 'ratings' };

function number(option, raw) {
  const v = typeof raw === 'number' ? raw : String(raw).trim() === '' ? NaN : Number(raw);
  const [ok, what] = RULES[option.rule];
  if (!Number.isFinite(v) || !ok(v)) throw new OptionError(option, `needs ${what} (${option.unit}), got ${JSON.stringify(raw)}`);
  return v;
}

function put(out, path, v) {
  let o = out;
  for (const k of path.slice(0, -1)) o = (o[k] ??= {});
  o[path.at(-1)] = v;
}

/** Prices for `model` from a prices document `{"<model>": {"inputUsdPerMtok": n, "outputUsdPerMtok": n}, "*": …}`. */
export function pricesFor(prices, model) {
  const o = PRICES_OPTION;
  if (!prices || typeof prices !== 'object' || Array.isArray(prices)) throw new OptionError(o, 'needs a JSON object keyed by model, e.g. {"gpt-4o-mini": {"inputUsdPerMtok": 0.15, "outputUsdPerMtok": 0.6}}');
  const entry = prices[model] ?? prices['*'];
  if (!entry) throw new OptionError(o, `has no prices for model ${JSON.stringify(model)} (keys: ${Object.keys(prices).join(', ') || 'none'}; "*" matches any model)`);
  const field = (k, flag) => number({ ...NUMERIC_OPTIONS.find((n) => n.flag === flag), flag: `${o.flag} ${model}.${k}`, field: o.field }, entry[k] ?? '');
  return { inputUsdPerMtok: field('inputUsdPerMtok', '--price-in'), outputUsdPerMtok: field('outputUsdPerMtok', '--price-out') };
}

/** One rating override "metric=good,poor" (e.g. "ttft=800,1800") → [metric, [good, poor]]. */
export function parseRating(text) {
  const m = /^\s*([A-Za-z]+)\s*[=:]\s*([^,]+),([^,]+)$/.exec(String(text));
  if (!m) throw new OptionError(RATING_OPTION, `needs METRIC=GOOD,POOR (e.g. ttft=800,1800), got ${JSON.stringify(text)}`);
  const [good, poor] = [m[2], m[3]].map(Number);
  if (!Number.isFinite(good) || !Number.isFinite(poor)) throw new OptionError(RATING_OPTION, `${m[1]} thresholds must be numbers, got ${JSON.stringify(text)}`);
  return [m[1], [good, poor]];
}

/**
 * Checks rating overrides against the core's threshold table (`core.thresholds()`: {metric: {good, poor,
 * direction}}): the metric must be rated, and good must be on the good side of poor.
 */
export function checkRatings(ratings, table) {
  for (const [metric, [good, poor]] of Object.entries(ratings ?? {})) {
    const t = table?.[metric];
    if (!t) throw new OptionError(RATING_OPTION, `${metric} is not a rated metric (rated: ${Object.keys(table ?? {}).join(', ')})`);
    const higher = /higher/i.test(String(t.direction));
    if (higher ? good < poor : good > poor) {
      throw new OptionError(RATING_OPTION, `${metric} is ${higher ? 'higher' : 'lower'}-is-better, so GOOD must be ${higher ? '>=' : '<='} POOR (default ${t.good},${t.poor}), got ${good},${poor}`);
    }
  }
}

/**
 * Reads the options. `raw`: {priceIn, priceOut, qoeReadingSpeed, …} (strings or numbers; empty/undefined = unset),
 * `prices` (a parsed prices document), `ratings` (a list of "metric=good,poor" strings). Returns the MeterOptions part:
 * {cost?, qoe?, fluidity?, stallThresholdMs?, ratings?}.
 */
export function readOptions(raw = {}, { model } = {}) {
  const out = {};
  for (const option of NUMERIC_OPTIONS) {
    const v = raw[option.field];
    if (v === undefined || v === null || v === '') continue;
    put(out, option.path, number(option, v));
  }
  const [pin, pout] = NUMERIC_OPTIONS;
  if (out.cost && raw.prices) throw new OptionError(PRICES_OPTION, `cannot be combined with ${pin.flag}/${pout.flag}`);
  if (out.cost && out.cost.inputUsdPerMtok === undefined) throw new OptionError(pin, `is needed with ${pout.flag} (both prices, USD per million tokens)`);
  if (out.cost && out.cost.outputUsdPerMtok === undefined) throw new OptionError(pout, `is needed with ${pin.flag} (both prices, USD per million tokens)`);
  if (raw.prices) out.cost = pricesFor(raw.prices, model);
  const ratings = (raw.ratings ?? []).filter((r) => String(r).trim() !== '');
  if (ratings.length) out.ratings = Object.fromEntries(ratings.map(parseRating));
  return out;
}
