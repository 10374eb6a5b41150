// Measuring and printing for `npm run bench`: timed batches after a warm-up (median per-op
// time), a bounded HTTP load generator, and the aligned tables. No product code here.
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

/** Keeps results alive so the optimizer cannot drop the measured work. */
const sink: { value: unknown } = { value: undefined };
export const keep = (value: unknown): void => {
  sink.value = value;
};

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile of `values` (0 < p ≤ 100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface Timing {
  /** Median microseconds per operation over the timed batches. */
  us: number;
  /** Operations per second at that median. */
  ops: number;
  /** Operations per timed batch. */
  batch: number;
}

/** Timed batches per case by default. */
export const BATCHES = 21;

export interface TimingOptions {
  /** Warm-up duration per case in ms (also used to size the batches). Default 200. */
  warmupMs?: number;
  /** Target duration of one timed batch in ms. Default 40. */
  batchMs?: number;
  /** Timed batches per case; the median is reported. Default `BATCHES`. */
  batches?: number;
}

function timing(perOpMs: number[], batch: number): Timing {
  const us = median(perOpMs) * 1000;
  return { us, ops: 1e6 / us, batch };
}

/** Runs `fn` `n` times in a row (awaiting each call, for async operations). */
type Loop<F> = (fn: F, n: number) => void | Promise<void>;

/**
 * Times operations side by side: each is warmed up and given a batch size, then their timed
 * batches take turns (in rotating order), so a busy machine slows every case alike. `loop` runs
 * one batch; it is awaited once per batch, never per operation.
 */
async function timeCases<K extends string, F>(
  cases: Record<K, F>,
  options: TimingOptions,
  loop: Loop<F>,
): Promise<Record<K, Timing>> {
  const { warmupMs = 200, batchMs = 40, batches = BATCHES } = options;
  const names = Object.keys(cases) as K[];
  const size = {} as Record<K, number>;
  const perOp = {} as Record<K, number[]>;
  for (const name of names) {
    let runs = 0;
    const start = performance.now();
    for (let chunk = 1; performance.now() - start < warmupMs; chunk = Math.min(chunk * 2, 64)) {
      await loop(cases[name], chunk);
      runs += chunk;
    }
    size[name] = Math.max(1, Math.round((batchMs * runs) / (performance.now() - start)));
    perOp[name] = [];
  }
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(b + i) % names.length];
      const batch = size[name];
      const start = performance.now();
      await loop(cases[name], batch);
      perOp[name].push((performance.now() - start) / batch);
    }
  }
  const out = {} as Record<K, Timing>;
  for (const name of names) out[name] = timing(perOp[name], size[name]);
  return out;
}

/** Times synchronous operations side by side (see `timeCases`). */
export function timeSync<K extends string>(
  cases: Record<K, () => unknown>,
  options: TimingOptions = {},
): Promise<Record<K, Timing>> {
  return timeCases(cases, options, (fn, n) => {
    for (let i = 0; i < n; i++) keep(fn());
  });
}

/** As `timeSync`, for operations that return a promise (awaited one at a time). */
export function timeAsync<K extends string>(
  cases: Record<K, () => Promise<unknown>>,
  options: TimingOptions = {},
): Promise<Record<K, Timing>> {
  return timeCases(cases, options, async (fn, n) => {
    for (let i = 0; i < n; i++) keep(await fn());
  });
}

export interface LoadRun {
  /** Wall-clock seconds for the run. */
  seconds: number;
  /** Latency of every request in ms. */
  latencies: number[];
  /** Responses that were not 200. */
  failures: number;
}

export interface LoadResult {
  /** Completed requests per second over all runs. */
  rps: number;
  /** Latency percentiles in ms. */
  p50: number;
  p99: number;
  /** Responses that were not 200. */
  failures: number;
}

/**
 * Sends `total` GET requests to `pathFor()` on `origin` (an `http://127.0.0.1:port`), at most
 * `concurrency` in flight over keep-alive connections, and reads every body.
 */
export async function load(
  origin: string,
  pathFor: () => string,
  total: number,
  concurrency: number,
): Promise<LoadRun> {
  const { hostname, port } = new URL(origin);
  if (hostname !== '127.0.0.1') throw new Error(`bench: refusing to load ${origin}`);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failures = 0;
  let sent = 0;
  const one = (path: string) =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: hostname, port, path, agent, method: 'GET' }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  const worker = async () => {
    while (sent < total) {
      sent++;
      const start = performance.now();
      const status = await one(pathFor());
      latencies.push(performance.now() - start);
      if (status !== 200) failures++;
    }
  };
  const start = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return { seconds: (performance.now() - start) / 1000, latencies, failures };
}

/** Throughput and latency percentiles over several runs of one case. */
export function summarize(runs: readonly LoadRun[]): LoadResult {
  const latencies = runs.flatMap((run) => run.latencies);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
  };
}

/** `1234567` → `1,234,567`; fractions keep `digits` decimals. */
export function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Three significant figures, without exponent (`0.0123`, `1.23`, `123`, `12,345`). */
export function sig(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : abs >= 0.1 ? 3 : 4;
  return num(value, digits);
}

export const kB = (bytes: number): string => `${num(bytes / 1000, 1)} kB`;

/** A cost ratio, ours ÷ baseline: `2.31×`. */
export function ratio(ours: number, baseline: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || baseline === 0) return 'n/a';
  const r = ours / baseline;
  return `${r >= 10 ? num(r, 1) : r >= 1 ? num(r, 2) : num(r, 3)}×`;
}

/**
 * Prints one aligned table: a title line, a header, then rows. The first column is
 * left-aligned, the others right-aligned; a row of one cell is a sub-heading.
 */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, c) =>
    Math.max(h.length, ...rows.filter((r) => r.length > 1).map((r) => (r[c] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(row.length === 1 ? row[0] : line(row));
}
