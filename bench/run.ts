// `npm run bench`: size, time logic, proxy and element figures, each against a baseline
// measured in the same run. Prints tables and a summary; writes nothing; targets 127.0.0.1 only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { groupByDay, pageDays, type DayGroup } from '../src/days.js';
import { formatDayHeading, formatLongDate, formatTimes } from '../src/labels.js';
import { createMeetergoProxy, type MeetergoProxyFetch } from '../src/proxy/index.js';
import { toNodeHandler } from '../src/proxy/node.js';
import {
  BOOKING,
  PAGE_DAYS,
  SLOTS_PER_DAY,
  ZONE,
  benchElement,
  type ElementResult,
} from './browser.js';
import {
  BATCHES,
  kB,
  load,
  num,
  printTable,
  ratio,
  sig,
  summarize,
  timeAsync,
  timeSync,
  type LoadResult,
  type LoadRun,
  type Timing,
} from './measure.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cdnPath = `${root}dist/cdn/meetergo-slots.js`;
const started = performance.now();

if (!existsSync(cdnPath)) {
  console.error('bench: dist/cdn/meetergo-slots.js is missing. Run `npm run build` first.');
  process.exit(1);
}

const cpu = cpus();
console.log(
  `meetergo-slots bench · node ${process.version} · ${process.platform}/${process.arch} · ` +
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} · load average ${num(loadavg()[0], 2)}`,
);
console.log(
  'Ratios (×) are ours ÷ baseline in cost (bytes, time per operation, latency), measured in ' +
    'this run:\n1.00× = same as the baseline, 2.00× = twice its cost, 0.50× = half.',
);
// The script-tag file is built from src/*.ts (not src/proxy or src/stand-in).
const newestSource = Math.max(
  ...readdirSync(`${root}src`)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => statSync(`${root}src/${name}`).mtimeMs),
);
if (newestSource > statSync(cdnPath).mtimeMs) {
  console.log(
    'Note: src/*.ts changed after the last build; sizes and browser figures are for the build.',
  );
}

// ───────────────────────────── 1. Size ─────────────────────────────

interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

function sizes(code: string): Sizes {
  const bytes = Buffer.from(code);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

/** A minified IIFE of `contents`, bundled like the script-tag file (everything exported is kept). */
async function bundle(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'baseline.js', loader: 'js' },
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Baseline',
    platform: 'browser',
    target: 'es2022',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

const cdnCode = readFileSync(cdnPath, 'utf8');
const depsSource =
  "export * from 'lit'; export * from 'lit/decorators.js'; export * from '@lit/task'; " +
  "export * from 'luxon';";
const [litCode, luxonCode, depsCode] = await Promise.all([
  bundle("export * from 'lit';"),
  bundle("export * from 'luxon';"),
  bundle(depsSource),
]);
const size = {
  lit: sizes(litCode),
  luxon: sizes(luxonCode),
  deps: sizes(depsCode),
  ours: sizes(cdnCode),
};
const sizeRow = (name: string, s: Sizes, vs: string) => [
  name,
  kB(s.raw),
  kB(s.gzip),
  kB(s.brotli),
  vs,
];
printTable(
  '1. Size: the script-tag file vs its dependencies bundled alone (esbuild, minified IIFE; gzip -9, brotli q11)',
  ['bundle', 'raw', 'gzip', 'brotli', '× baseline (brotli)'],
  [
    sizeRow('[A] lit alone', size.lit, ''),
    sizeRow('[B] luxon alone', size.luxon, ''),
    sizeRow('[C] lit + lit/decorators + @lit/task + luxon', size.deps, ''),
    sizeRow(
      'dist/cdn/meetergo-slots.js',
      size.ours,
      `${ratio(size.ours.brotli, size.deps.brotli)} C · ${ratio(size.ours.brotli, size.lit.brotli)} A`,
    ),
    [
      '  what our own code adds (ours − C)',
      kB(size.ours.raw - size.deps.raw),
      kB(size.ours.gzip - size.deps.gzip),
      kB(size.ours.brotli - size.deps.brotli),
      '',
    ],
  ],
);

// ───────────────────────────── 2. Time logic ─────────────────────────────

/** 16 half-hour starts from 09:00 Berlin time on each of `count` days from `first`. */
function windowsFrom(first: string, count: number): string[] {
  const out: string[] = [];
  for (let d = 0; d < count; d++) {
    const day = new Date(`${first}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + d);
    const date = day.toISOString().slice(0, 10);
    // Berlin is UTC+1 until 2025-03-30, UTC+2 after (the 28 days cross the DST change).
    const offsetHours = date < '2025-03-30' ? 1 : 2;
    const nine = Date.parse(`${date}T09:00:00Z`) - offsetHours * 3_600_000;
    for (let i = 0; i < SLOTS_PER_DAY; i++) {
      out.push(new Date(nine + i * 1_800_000).toISOString().replace('.000Z', 'Z'));
    }
  }
  return out;
}

const NOW = new Date('2025-03-17T06:00:00Z');
const FIRST = '2025-03-17';
const windows28 = windowsFrom(FIRST, 28);
const days28 = pageDays(FIRST, 28, ZONE, NOW);
const windows7 = windowsFrom('2025-03-16', PAGE_DAYS + 2); // the padded request of a 7-day page
const days7 = pageDays(FIRST, PAGE_DAYS, ZONE, NOW);
const json28 = JSON.stringify({ windows: windows28 });
const json7 = JSON.stringify({ windows: windows7 });

/** The obvious alternative: Date.parse, then the day from formatToParts, per instant. */
function handGroup(items: readonly unknown[], zone: string, days: readonly string[], now: Date) {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const nowMs = now.getTime();
  const byDay = new Map<string, { start: string; epoch: number; date: string }[]>(
    days.map((date) => [date, []]),
  );
  const seen = new Set<number>();
  for (const item of items) {
    if (typeof item !== 'string') continue;
    const epoch = Date.parse(item);
    if (Number.isNaN(epoch) || epoch < nowMs || seen.has(epoch)) continue;
    seen.add(epoch);
    const parts = format.formatToParts(epoch);
    const part = (type: string) => parts.find((p) => p.type === type)?.value;
    const date = `${part('year')}-${part('month')}-${part('day')}`;
    const start = new Date(epoch).toISOString().replace('.000Z', 'Z');
    byDay.get(date)?.push({ start, epoch, date });
  }
  return days.map((date) => ({
    date,
    slots: (byDay.get(date) ?? []).sort((a, b) => a.epoch - b.epoch),
  }));
}

const handTimes = (group: DayGroup, zone: string): string[] =>
  group.slots.map((slot) =>
    new Date(slot.epoch).toLocaleTimeString('en', {
      hour: 'numeric',
      minute: '2-digit',
      timeZone: zone,
    }),
  );

/** All time logic of one render of a page, by hand: grouping, headings, long dates, times. */
function handPage(items: readonly unknown[], zone: string, days: readonly string[], now: Date) {
  return handGroup(items, zone, days, now).map((group) => {
    const midnight = new Date(`${group.date}T00:00:00Z`);
    return {
      heading: midnight.toLocaleDateString('en', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      }),
      long: midnight.toLocaleDateString('en', {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        year: 'numeric',
        timeZone: 'UTC',
      }),
      times: handTimes(group, zone),
    };
  });
}

/** All time logic of one render of a page, as the element does it. */
function ourPage(items: readonly unknown[], zone: string, days: readonly string[], now: Date) {
  return groupByDay(items, zone, days, now).groups.map((group) => ({
    heading: formatDayHeading(group.date, 'en'),
    long: formatLongDate(group.date, 'en'),
    times: formatTimes(group.slots, zone, 'en', undefined),
  }));
}

// The baselines must compute the same answers, or the ratios mean nothing.
const same = (a: unknown, b: unknown, what: string) => {
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new Error(`bench: the baseline for ${what} disagrees with ours; fix the bench`);
  }
};
same(
  handGroup(windows28, ZONE, days28, NOW),
  groupByDay(windows28, ZONE, days28, NOW).groups,
  'groupByDay',
);
const groups7 = groupByDay(windows7, ZONE, days7, NOW).groups;
same(
  groups7.map((g) => handTimes(g, ZONE)),
  groups7.map((g) => formatTimes(g.slots, ZONE, 'en', undefined)),
  'formatTimes',
);
same(handPage(windows7, ZONE, days7, NOW), ourPage(windows7, ZONE, days7, NOW), 'a page');
if (groups7.reduce((n, g) => n + g.slots.length, 0) !== PAGE_DAYS * SLOTS_PER_DAY) {
  throw new Error('bench: the 7-day input does not give 7 × 16 slots; fix the bench');
}

const t = {
  ...(await timeSync({
    parse28: () => JSON.parse(json28),
    hand28: () => handGroup(windows28, ZONE, days28, NOW),
    ours28: () => groupByDay(windows28, ZONE, days28, NOW),
  })),
  ...(await timeSync({
    parse7: () => JSON.parse(json7),
    hand7: () => handGroup(windows7, ZONE, days7, NOW),
    ours7: () => groupByDay(windows7, ZONE, days7, NOW),
  })),
  ...(await timeSync({
    handTimes: () => groups7.map((g) => handTimes(g, ZONE)),
    ourTimes: () => groups7.map((g) => formatTimes(g.slots, ZONE, 'en', undefined)),
  })),
  ...(await timeSync({
    handPage: () => handPage(windows7, ZONE, days7, NOW),
    ourPage: () => ourPage(windows7, ZONE, days7, NOW),
  })),
};
const timeRow = (name: string, x: Timing, vs = '') => [name, sig(x.us), num(x.ops), vs];
printTable(
  `2. Time logic (src/days.ts, ${ZONE}, 16 slots a day, across the DST change; median of ${BATCHES} interleaved batches)`,
  ['case', 'µs/op', 'ops/s', '× baseline'],
  [
    ['28-day page: 448 windows'],
    timeRow('  [F1] floor: JSON.parse of the payload', t.parse28),
    timeRow('  [D1] baseline: Date.parse + Intl formatToParts per instant', t.hand28),
    timeRow(
      '  groupByDay',
      t.ours28,
      `${ratio(t.ours28.us, t.hand28.us)} D1 · ${ratio(t.ours28.us, t.parse28.us)} F1`,
    ),
    ['7-day page: 144 windows (its request, padded by a day each side), 112 shown'],
    timeRow('  [F2] floor: JSON.parse of the payload', t.parse7),
    timeRow('  [D2] baseline: Date.parse + Intl formatToParts per instant', t.hand7),
    timeRow(
      '  groupByDay',
      t.ours7,
      `${ratio(t.ours7.us, t.hand7.us)} D2 · ${ratio(t.ours7.us, t.parse7.us)} F2`,
    ),
    timeRow('  [T] baseline: toLocaleTimeString per slot (7 × 16)', t.handTimes),
    timeRow(
      '  formatTimes, once per day (7 × 16)',
      t.ourTimes,
      `${ratio(t.ourTimes.us, t.handTimes.us)} T`,
    ),
    timeRow('  [P] baseline: D2 + toLocale*String headings, dates, times', t.handPage),
    timeRow(
      '  one render: groupByDay + heading, long date, formatTimes per day',
      t.ourPage,
      `${ratio(t.ourPage.us, t.handPage.us)} P`,
    ),
  ],
);

// ───────────────────────────── 3. Proxy ─────────────────────────────

const USER = '550e8400-e29b-41d4-a716-446655440000';
const upstreamWindows = JSON.stringify({ windows: windows7 });
const meetingTypes = JSON.stringify([
  { id: '770e8400-e29b-41d4-a716-446655440002', bookingUrl: BOOKING },
]);
const jsonHeaders = { 'Content-Type': 'application/json' };
/** meetergo, answering at once with canned JSON. */
const upstream: MeetergoProxyFetch = async (request) =>
  new Response(
    new URL(request.url).pathname === '/v4/meeting-type' ? meetingTypes : upstreamWindows,
    {
      status: 200,
      headers: jsonHeaders,
    },
  );
const proxyOptions = {
  apiKey: 'bench-key',
  upstreamUrl: 'http://127.0.0.1:9', // never contacted: `fetch` is injected
  fetch: upstream,
  rateLimitPerMinute: 0,
};

let coldDay = 0;
/** A request path nobody asked for before: every one is a cache miss. */
const coldPath = () => {
  const start = new Date(Date.UTC(2025, 0, 1 + coldDay++)).toISOString().slice(0, 10);
  const end = new Date(Date.UTC(2025, 0, coldDay + 8)).toISOString().slice(0, 10);
  return `/v4/user/${USER}/bookable-windows?startDate=${start}&endDate=${end}&timezone=Europe%2FBerlin`;
};
const warmPath = `/v4/user/${USER}/bookable-windows?startDate=2025-03-16&endDate=2025-03-24&timezone=Europe%2FBerlin`;

const handle = createMeetergoProxy(proxyOptions);
const first = await handle(new Request(`http://127.0.0.1${warmPath}`));
const proxyBody = await first.text();
if (first.status !== 200)
  throw new Error(`bench: the proxy answered ${first.status}: ${proxyBody}`);
const sameBody: unknown = JSON.parse(proxyBody);
const bare = async () => Response.json(sameBody);

const p = await timeAsync({
  bare: async () => (await bare()).text(),
  warm: async () => (await handle(new Request(`http://127.0.0.1${warmPath}`))).text(),
  cold: async () => {
    const response = await handle(new Request(`http://127.0.0.1${coldPath()}`));
    if (response.status !== 200) throw new Error(`bench: cold request answered ${response.status}`);
    return response.text();
  },
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

const HTTP_REQUESTS = 2000;
const HTTP_CONCURRENCY = 32;
const HTTP_ROUNDS = 4;
const servers: Server[] = [];
let http: { bare: LoadResult; warm: LoadResult; cold: LoadResult };
try {
  const bareServer = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(proxyBody);
  });
  const proxyServer = createServer(toNodeHandler(createMeetergoProxy(proxyOptions)));
  servers.push(bareServer, proxyServer);
  const bareUrl = await listen(bareServer);
  const proxyUrl = await listen(proxyServer);
  const cases: Record<'bare' | 'warm' | 'cold', (total: number) => Promise<LoadRun>> = {
    bare: (total) => load(bareUrl, () => warmPath, total, HTTP_CONCURRENCY),
    warm: (total) => load(proxyUrl, () => warmPath, total, HTTP_CONCURRENCY),
    cold: (total) => load(proxyUrl, coldPath, total, HTTP_CONCURRENCY),
  };
  const names = ['bare', 'warm', 'cold'] as const;
  const runs: Record<(typeof names)[number], LoadRun[]> = { bare: [], warm: [], cold: [] };
  for (const name of names) await cases[name](300); // warm-up
  // The cases take turns in rounds, so a busy machine slows each alike.
  for (let round = 0; round < HTTP_ROUNDS; round++) {
    for (const name of names) {
      runs[name].push(await cases[name](HTTP_REQUESTS / HTTP_ROUNDS));
    }
  }
  http = { bare: summarize(runs.bare), warm: summarize(runs.warm), cold: summarize(runs.cold) };
} finally {
  for (const server of servers) await close(server);
}

const inRow = (name: string, x: Timing, vs = '') => [name, sig(x.us), num(x.ops), '', '', vs];
const httpRow = (name: string, x: LoadResult, vs = '') => [
  name,
  sig(1e6 / x.rps),
  num(x.rps),
  sig(x.p50),
  sig(x.p99),
  vs,
];
const httpVs = (x: LoadResult) =>
  `${ratio(http.bare.rps, x.rps)} H · p50 ${ratio(x.p50, http.bare.p50)} · p99 ${ratio(x.p99, http.bare.p99)}`;
printTable(
  '3. Proxy (createMeetergoProxy, upstream injected and instant; 7-day answer, 144 windows, ' +
    `${num(proxyBody.length)} B)`,
  ['case', 'µs/req', 'req/s', 'p50 ms', 'p99 ms', '× baseline'],
  [
    [`in-process, one request at a time (median of ${BATCHES} interleaved batches)`],
    inRow('  [R] baseline: () => Response.json(sameBody)', p.bare),
    inRow('  warm: cache hit', p.warm, `${ratio(p.warm.us, p.bare.us)} R`),
    inRow(
      '  cold: cache miss, upstream answer validated',
      p.cold,
      `${ratio(p.cold.us, p.bare.us)} R`,
    ),
    [
      `over HTTP on 127.0.0.1 (node:http, keep-alive, ${num(HTTP_REQUESTS)} requests per case in ` +
        `${HTTP_ROUNDS} turns, ${HTTP_CONCURRENCY} in flight; client in the same process)`,
    ],
    httpRow('  [H] baseline: bare node:http answering the same JSON', http.bare),
    httpRow('  warm: toNodeHandler(proxy), cache hit', http.warm, httpVs(http.warm)),
    httpRow('  cold: toNodeHandler(proxy), cache miss', http.cold, httpVs(http.cold)),
  ],
);
const failures = http.bare.failures + http.warm.failures + http.cold.failures;
if (failures > 0) console.log(`Note: ${failures} HTTP answers were not 200.`);

// ───────────────────────────── 4. The element in Chromium ─────────────────────────────

let el: ElementResult | undefined;
try {
  el = await benchElement({ cdnCode, depsCode, runs: 20, warmup: 3, parseRuns: 7 });
} catch (error) {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  console.log(
    `\n4. <meetergo-slots> in headless Chromium: not measured (${message}). ` +
      'Set CHROME_PATH to a Chromium or Chrome binary.',
  );
  process.exitCode = 1;
}
if (el !== undefined) {
  printTable(
    `4. <meetergo-slots> in headless Chromium ${el.chromium} (page and proxy endpoint on ` +
      `127.0.0.1; median of ${el.runs} runs after 3 warm-up)`,
    ['case', 'ms', '× baseline'],
    [
      [`7 days × 16 slots: ${el.staticLinks} links with <time>, ${ZONE}`],
      ['  [S] baseline: static markup, <template> clone + append', sig(el.clone), ''],
      ['  [N] baseline: fetch the same JSON, then S', sig(el.fetchClone), ''],
      [
        '  createElement → meetergo-slots-load (fetched, rendered)',
        sig(el.element),
        `${ratio(el.element, el.fetchClone)} N · ${ratio(el.element, el.clone)} S`,
      ],
      ['    of which (medians of each phase, so they need not add up):'],
      ['    until its request starts (upgrade, first render)', sig(el.before), ''],
      ['    its request in flight (Resource Timing)', sig(el.flight), ''],
      ['    answer → load event (JSON, grouping, labels, render)', sig(el.after), ''],
      [`script parse + evaluate, inline insert in a fresh context (median of ${el.parseRuns})`],
      ['  [E] baseline: bundle C of section 1', sig(el.parseEvalDeps), ''],
      [
        '  dist/cdn/meetergo-slots.js',
        sig(el.parseEval),
        `${ratio(el.parseEval, el.parseEvalDeps)} E`,
      ],
    ],
  );
  if (el.slots !== el.staticLinks || el.links !== el.staticLinks) {
    console.log(
      `Note: the element showed ${el.slots} slots (${el.links} links), ` +
        `the static markup ${el.staticLinks}.`,
    );
  }
  for (const problem of el.problems) console.log(`Note: ${problem}`);
}

// ───────────────────────────── Summary ─────────────────────────────

const seconds = (performance.now() - started) / 1000;
const browserSummary =
  el === undefined
    ? 'The element was not measured in Chromium. '
    : `In Chromium the element goes from createElement to its rendered load event in ` +
      `${sig(el.element)} ms, ${ratio(el.element, el.fetchClone)} fetching the same JSON and ` +
      `cloning equivalent static markup (${sig(el.fetchClone)} ms; the clone alone ` +
      `${sig(el.clone)} ms); most of it (${sig(el.after)} ms) comes after the answer arrives, ` +
      `the request itself takes ${sig(el.flight)} ms. The file parses and evaluates in ` +
      `${sig(el.parseEval)} ms (${ratio(el.parseEval, el.parseEvalDeps)} its dependencies alone). `;
console.log(
  `\nSummary: the script-tag file is ${kB(size.ours.brotli)} brotli, ` +
    `${ratio(size.ours.brotli, size.deps.brotli)} its bundled dependencies alone ` +
    `(${kB(size.deps.brotli)}), so our own code adds ${kB(size.ours.brotli - size.deps.brotli)}. ` +
    `groupByDay places a 28-day payload of 448 windows in ${sig(t.ours28.us)} µs ` +
    `(${ratio(t.ours28.us, t.hand28.us)} the hand-written formatToParts grouping, ` +
    `${ratio(t.ours28.us, t.parse28.us)} a JSON.parse of the same payload), and all the time ` +
    `logic of one 7-day render takes ${sig(t.ourPage.us)} µs ` +
    `(${ratio(t.ourPage.us, t.handPage.us)} the toLocale*String baseline, which pays for a new ` +
    `Intl formatter per label). In-process the proxy answers a cache hit in ` +
    `${sig(p.warm.us)} µs (${ratio(p.warm.us, p.bare.us)} a bare Response.json) and a miss in ` +
    `${sig(p.cold.us)} µs; over HTTP it serves ${num(http.warm.rps)} req/s warm and ` +
    `${num(http.cold.rps)} req/s cold against ${num(http.bare.rps)} req/s for a bare node:http ` +
    `server (p99 ${sig(http.warm.p99)} / ${sig(http.cold.p99)} vs ${sig(http.bare.p99)} ms). ` +
    browserSummary +
    `Bench took ${num(seconds, 1)} s at a load average of ${num(loadavg()[0], 2)} on ` +
    `${cpu.length} CPUs; compare ratios, not absolute figures, across machines.`,
);
