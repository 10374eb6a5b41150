// `npm run bench -- element`: the script-tag file's size, the time logic in Node, and the built
// element in headless Chromium against a hand-written vanilla page (the physical floor), each
// against its baseline measured in the same run. Targets 127.0.0.1 only; writes nothing.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { groupByDay, pageDays, type DayGroup } from '../src/days.js';
import { formatDayHeading, formatLongDate, formatTimes } from '../src/labels.js';
import { launchChromium } from '../test/chromium.js';
import {
  ZONE,
  OTHER_ZONE,
  problems,
  runPage,
  startBenchServer,
  type PageCase,
  type PageResult,
} from './browser.js';
import {
  BATCHES,
  kB,
  median,
  num,
  printTable,
  ratio,
  sig,
  timeSync,
  type Timing,
} from './measure.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cdnPath = `${root}dist/cdn/meetergo-slots.js`;
/** Interleaved runs per browser case (the median is reported); `BENCH_RUNS` overrides. */
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 7) || 7);

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

/** A minified IIFE of `contents`, bundled like the script-tag file. */
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

// ───────────────────────────── Size ─────────────────────────────

async function sizeSection(cdnCode: string): Promise<Sizes> {
  const depsCode = await bundle(
    "export * from 'lit'; export * from 'lit/decorators.js'; export * from '@lit/task';",
  );
  const ours = sizes(cdnCode);
  const deps = sizes(depsCode);
  const row = (name: string, s: Sizes, vs = '') => [name, kB(s.raw), kB(s.gzip), kB(s.brotli), vs];
  printTable(
    'Size: the script-tag file vs its dependencies bundled alone (esbuild, minified IIFE; gzip -9, brotli q11)',
    ['bundle', 'raw', 'gzip', 'brotli', '× baseline (gzip)'],
    [
      row('[L] lit + lit/decorators + @lit/task alone', deps),
      row('dist/cdn/meetergo-slots.js', ours, `${ratio(ours.gzip, deps.gzip)} L`),
      [
        '  what our own code adds',
        kB(ours.raw - deps.raw),
        kB(ours.gzip - deps.gzip),
        kB(ours.brotli - deps.brotli),
        '',
      ],
    ],
  );
  return ours;
}

// ───────────────────────────── Time logic (Node) ─────────────────────────────

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
    for (let i = 0; i < 16; i++) {
      out.push(new Date(nine + i * 1_800_000).toISOString().replace('.000Z', 'Z'));
    }
  }
  return out;
}

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

async function timeLogicSection(): Promise<
  Record<'ours28' | 'hand28' | 'ourPage' | 'handPage', Timing>
> {
  const NOW = new Date('2025-03-17T06:00:00Z');
  const FIRST = '2025-03-17';
  const windows28 = windowsFrom(FIRST, 28);
  const days28 = pageDays(FIRST, 28, ZONE, NOW);
  const windows7 = windowsFrom('2025-03-16', 9); // the padded request of a 7-day page
  const days7 = pageDays(FIRST, 7, ZONE, NOW);
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
  same(handPage(windows7, ZONE, days7, NOW), ourPage(windows7, ZONE, days7, NOW), 'a page');
  const t = {
    ...(await timeSync({
      hand28: () => handGroup(windows28, ZONE, days28, NOW),
      ours28: () => groupByDay(windows28, ZONE, days28, NOW),
    })),
    ...(await timeSync({
      handPage: () => handPage(windows7, ZONE, days7, NOW),
      ourPage: () => ourPage(windows7, ZONE, days7, NOW),
    })),
  };
  const row = (name: string, x: Timing, vs = '') => [name, sig(x.us), num(x.ops), vs];
  printTable(
    `Time logic in Node (src/days.ts, src/labels.ts; ${ZONE}, across the DST change; median of ${BATCHES} interleaved batches)`,
    ['case', 'µs/op', 'ops/s', '× baseline'],
    [
      row('[D] baseline: Date.parse + Intl formatToParts per instant, 448 windows', t.hand28),
      row(
        '  groupByDay, 28-day page, 448 windows',
        t.ours28,
        ratio(t.ours28.us, t.hand28.us) + ' D',
      ),
      row('[P] baseline: D + toLocale*String headings, dates, times, 7-day page', t.handPage),
      row(
        '  groupByDay + formatDayHeading, formatLongDate, formatTimes',
        t.ourPage,
        ratio(t.ourPage.us, t.handPage.us) + ' P',
      ),
    ],
  );
  return t;
}

// ───────────────────────────── The element in Chromium ─────────────────────────────

interface Case extends PageCase {
  key: string;
}

const sizesOfPage: [number, number][] = [
  [7, 16],
  [7, 48],
  [28, 48],
];

function browserCases(): Case[] {
  const cases: Case[] = [];
  for (const throttle of [1, 4]) {
    for (const [days, perDay] of sizesOfPage) {
      for (const page of ['element', 'vanilla'] as const) {
        cases.push({ key: `${page} ${days}x${perDay} ${throttle}x`, page, days, perDay, throttle });
      }
    }
  }
  for (const instances of [5, 20]) {
    for (const distinctHosts of [false, true]) {
      cases.push({
        key: `instances ${instances} ${distinctHosts ? 'distinct' : 'same'}`,
        page: 'element',
        days: 7,
        perDay: 16,
        throttle: 1,
        instances,
        distinctHosts,
      });
    }
  }
  cases.push({ key: 'zone', page: 'element', days: 7, perDay: 16, throttle: 1, zoneChange: true });
  return cases;
}

type Results = Map<string, PageResult[]>;

async function browserSection(cdnCode: string): Promise<Results | undefined> {
  let browser: Browser | undefined;
  const server = await startBenchServer(cdnCode);
  const results: Results = new Map();
  try {
    try {
      browser = await launchChromium();
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      console.log(
        `\nThe element in Chromium: not measured (${message}). Set CHROME_PATH to a Chromium binary.`,
      );
      process.exitCode = 1;
      return undefined;
    }
    const cases = browserCases();
    // One warm-up pass (the browser's own start-up), then RUNS interleaved passes in rotating order.
    for (const c of cases) await runPage(browser, server.origin, c);
    for (let run = 0; run < RUNS; run++) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[(run + i) % cases.length];
        const result = await runPage(browser, server.origin, c);
        results.set(c.key, [...(results.get(c.key) ?? []), result]);
      }
    }
    printBrowser(results, browser.version());
    return results;
  } finally {
    await browser?.close();
    await server.close();
  }
}

const med = (results: Results, key: string, pick: (r: PageResult) => number | undefined) =>
  median((results.get(key) ?? []).map(pick).filter((x): x is number => x !== undefined));

function printBrowser(results: Results, version: string): void {
  const ms = (key: string) => med(results, key, (r) => r.ms);
  const rows: string[][] = [];
  for (const throttle of [1, 4]) {
    rows.push([`${throttle}× CPU${throttle > 1 ? ' (Emulation.setCPUThrottlingRate)' : ''}`]);
    for (const [days, perDay] of sizesOfPage) {
      const element = ms(`element ${days}x${perDay} ${throttle}x`);
      const vanilla = ms(`vanilla ${days}x${perDay} ${throttle}x`);
      const slots = med(results, `element ${days}x${perDay} ${throttle}x`, (r) => r.slots);
      rows.push([`  [V] vanilla page, ${days} days × ${perDay}`, sig(vanilla), '', '']);
      rows.push([
        `  <meetergo-slots>, ${days} days × ${perDay}`,
        sig(element),
        num(slots),
        `${ratio(element, vanilla)} V`,
      ]);
    }
  }
  printTable(
    `The element in headless Chromium ${version}: script start → first slots laid out ` +
      `(fresh context per run, cold cache, page and proxy on 127.0.0.1, ${ZONE}; median of ${RUNS} interleaved runs)`,
    ['case', 'ms', 'slots', '× baseline'],
    rows,
  );

  const single = ms('element 7x16 1x');
  const instanceRows: string[][] = [
    ['[1] one instance', sig(single), num(med(results, 'zone', (r) => r.requests)), ''],
  ];
  for (const instances of [5, 20]) {
    for (const distinct of [false, true]) {
      const key = `instances ${instances} ${distinct ? 'distinct' : 'same'}`;
      instanceRows.push([
        `${instances} instances, ${distinct ? 'different hosts' : 'one host'}`,
        sig(ms(key)),
        num(med(results, key, (r) => r.requests)),
        `${ratio(ms(key), single)} 1`,
      ]);
    }
  }
  printTable(
    `Instances on one page (7 days × 16, 1× CPU): script start → all loaded, and bookable-windows requests made`,
    ['case', 'ms', 'requests', '× baseline'],
    instanceRows,
  );

  const zoneMs = med(results, 'zone', (r) => r.zoneMs);
  const loadMs = ms('zone');
  printTable(
    `Zone change of a loaded page (${ZONE} → ${OTHER_ZONE}, 7 days × 16, 1× CPU)`,
    ['case', 'ms', 'requests', '× baseline'],
    [
      [
        '[Z] loading the page (script start → first slots laid out)',
        sig(loadMs),
        num(med(results, 'zone', (r) => r.requests)),
        '',
      ],
      [
        'setAttribute("timezone") → new slots laid out',
        sig(zoneMs),
        num(med(results, 'zone', (r) => r.zoneRequests)),
        `${ratio(zoneMs, loadMs)} Z`,
      ],
    ],
  );

  for (const [key, runs] of results) {
    const expected = runs[0];
    if (expected.slots !== expected.counted) {
      console.log(
        `Note: ${key}: ${expected.slots} slots laid out, the load events counted ${expected.counted}.`,
      );
    }
  }
}

// ───────────────────────────── The section ─────────────────────────────

export default async function elementSection(): Promise<void> {
  if (!existsSync(cdnPath)) {
    console.error('bench: dist/cdn/meetergo-slots.js is missing. Run `npm run build` first.');
    process.exitCode = 1;
    return;
  }
  // The script-tag file is built from src/*.ts (not src/proxy or src/stand-in).
  const newestSource = Math.max(
    ...readdirSync(`${root}src`)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => statSync(`${root}src/${name}`).mtimeMs),
  );
  if (newestSource > statSync(cdnPath).mtimeMs) {
    console.log('Note: src/*.ts changed after the last build; the figures are for the build.');
  }
  const cdnCode = readFileSync(cdnPath, 'utf8');
  const size = await sizeSection(cdnCode);
  const logic = await timeLogicSection();
  const results = await browserSection(cdnCode);
  for (const problem of problems) console.log(`Note: ${problem}`);

  let summary =
    `\nSummary (element): dist/cdn/meetergo-slots.js is ${kB(size.gzip)} gzip, ${kB(size.brotli)} brotli. ` +
    `groupByDay places 448 windows in ${sig(logic.ours28.us)} µs (${ratio(logic.ours28.us, logic.hand28.us)} a formatToParts grouping). `;
  if (results) {
    const ms = (key: string) => med(results, key, (r) => r.ms);
    const r = (key: string) => ratio(ms(`element ${key}`), ms(`vanilla ${key}`));
    summary +=
      `Script start → first slots laid out: ${r('7x16 1x')} / ${r('7x48 1x')} / ${r('28x48 1x')} the vanilla page ` +
      `(7×16 / 7×48 / 28×48) at 1× CPU, ${r('7x16 4x')} / ${r('7x48 4x')} / ${r('28x48 4x')} at 4×. ` +
      `20 instances of one host: ${num(med(results, 'instances 20 same', (x) => x.requests))} requests, all loaded in ` +
      `${ratio(ms('instances 20 same'), ms('element 7x16 1x'))} one instance's time. A zone change re-renders in ` +
      `${ratio(
        med(results, 'zone', (x) => x.zoneMs),
        ms('zone'),
      )} the time of loading, with ` +
      `${num(med(results, 'zone', (x) => x.zoneRequests))} request(s).`;
  }
  console.log(summary);
}
