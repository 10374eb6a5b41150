// Section 4 of `npm run bench`: the built element in real headless Chromium, against static
// markup in the same page. A small server on 127.0.0.1 serves the page, the built file and a
// proxy-protocol endpoint; the timing runs inside the page (performance.now, cross-origin
// isolated for 5 µs resolution) and only the figures come back.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addDays, dayIn } from '../test/calendar.js';
import { launchChromium } from '../test/chromium.js';
import type { Browser, Page } from 'playwright-core';
import { median } from './measure.js';

export const ZONE = 'Europe/Berlin';
export const BOOKING = 'https://cal.meetergo.com/x/y';
/** Windows per day: 16 half-hour starts from 08:00Z (09:00 or 10:00 in Berlin, same day). */
export const SLOTS_PER_DAY = 16;
export const PAGE_DAYS = 7;

export interface ElementResult {
  chromium: string;
  runs: number;
  /** Median ms from createElement to `meetergo-slots-load`. */
  element: number;
  /** Its phases (medians): before the request starts, the request in flight, answer to event. */
  before: number;
  flight: number;
  after: number;
  /** Median ms to clone and insert the equivalent static markup from a `<template>`. */
  clone: number;
  /** Median ms to fetch the same JSON, then clone and insert the static markup. */
  fetchClone: number;
  /** Slots the element reported (and links it rendered) vs links in the static markup. */
  slots: number;
  links: number;
  staticLinks: number;
  /** Median ms of parse + evaluate of the built file, and of the dependencies' bundle. */
  parseEval: number;
  parseEvalDeps: number;
  parseRuns: number;
  /** Console errors/warnings and page errors seen (there should be none). */
  problems: string[];
}

const dayInZone = (epoch: number): string => dayIn(ZONE, epoch);

/** The proxy protocol's answer: 16 starts on every requested day, none in the past. */
function windowsFor(startDate: string, endDate: string): string[] {
  const out: string[] = [];
  const now = Date.now();
  for (let day = startDate; day <= endDate; day = addDays(day, 1)) {
    const first = Date.parse(`${day}T08:00:00Z`);
    for (let i = 0; i < SLOTS_PER_DAY; i++) {
      const epoch = first + i * 30 * 60_000;
      if (epoch > now) out.push(new Date(epoch).toISOString().replace('.000Z', 'Z'));
    }
  }
  return out;
}

/** Static markup equivalent to the element's page: day groups of `<a>` slots holding `<time>`. */
function staticMarkup(start: string): string {
  const heading = new Intl.DateTimeFormat('en', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  const time = new Intl.DateTimeFormat('en', {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: ZONE,
  });
  let html = '';
  for (let d = 0; d < PAGE_DAYS; d++) {
    const day = addDays(start, d);
    const slots = windowsFor(day, day).filter((w) => dayInZone(Date.parse(w)) === day);
    html += `<section part="day"><h3 part="day-heading"><time datetime="${day}">`;
    html += `${heading.format(Date.parse(`${day}T00:00:00Z`))}</time></h3><ul>`;
    for (const slot of slots) {
      const href = `${BOOKING}?date=${day}&amp;slot=${slot}&amp;timezone=${encodeURIComponent(ZONE)}`;
      html += `<li><a part="slot" href="${href}" target="_blank" rel="noopener noreferrer">`;
      html += `<time datetime="${slot}">${time.format(Date.parse(slot))}</time></a></li>`;
    }
    html += '</ul></section>';
  }
  return html;
}

/** Runs in the page (plain JS: no transpiler helpers reach the browser). */
const PAGE_SCRIPT = `
const stage = document.getElementById('stage');
const template = document.getElementById('static');
const { start, from, to, zone, booking } = document.body.dataset;
const frame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
async function element() {
  const t0 = performance.now();
  const el = document.createElement('meetergo-slots');
  el.setAttribute('proxy-url', '/api/meetergo');
  const user = crypto.randomUUID();
  el.setAttribute('user-id', user);
  el.setAttribute('booking-url', booking);
  el.setAttribute('timezone', zone);
  el.setAttribute('start-date', start);
  el.setAttribute('locale', 'en');
  const loaded = new Promise((resolve, reject) => {
    el.addEventListener('meetergo-slots-load', resolve, { once: true });
    el.addEventListener('meetergo-slots-error', (e) => reject(new Error(e.detail.message)), { once: true });
  });
  stage.append(el);
  const event = await loaded;
  const end = performance.now();
  const links = el.shadowRoot.querySelectorAll('a[part~="slot"]').length;
  el.remove();
  const request = performance.getEntriesByType('resource').find((e) => e.name.includes(user));
  performance.clearResourceTimings();
  return {
    ms: end - t0,
    before: request ? request.startTime - t0 : NaN,
    flight: request ? request.responseEnd - request.startTime : NaN,
    after: request ? end - request.responseEnd : NaN,
    slots: event.detail.count,
    links,
  };
}
function clone() {
  const t0 = performance.now();
  stage.append(template.content.cloneNode(true));
  const ms = performance.now() - t0;
  const links = stage.querySelectorAll('a[part~="slot"]').length;
  stage.replaceChildren();
  return { ms, links };
}
async function fetchClone() {
  const t0 = performance.now();
  const url = '/api/meetergo/v4/user/' + crypto.randomUUID() + '/bookable-windows?startDate=' +
    from + '&endDate=' + to + '&timezone=' + encodeURIComponent(zone);
  const body = await (await fetch(url, { headers: { Accept: 'application/json' } })).json();
  if (!Array.isArray(body.windows)) throw new Error('no windows');
  stage.append(template.content.cloneNode(true));
  const ms = performance.now() - t0;
  stage.replaceChildren();
  return { ms };
}
window.bench = async (runs, warmup) => {
  const out = {
    element: [], before: [], flight: [], after: [], clone: [], fetchClone: [],
    slots: 0, links: 0, staticLinks: 0,
  };
  for (let i = 0; i < warmup + runs; i++) {
    await frame();
    const e = await element();
    await frame();
    const c = clone();
    await frame();
    const f = await fetchClone();
    if (i < warmup) continue;
    out.element.push(e.ms);
    out.before.push(e.before);
    out.flight.push(e.flight);
    out.after.push(e.after);
    out.clone.push(c.ms);
    out.fetchClone.push(f.ms);
    out.slots = e.slots;
    out.links = e.links;
    out.staticLinks = c.links;
  }
  return out;
};
`;

/** Parse + evaluate of one script, inserted inline so the marks wrap exactly that work. */
const parseEvalExpression = (src: string) => `(async () => {
  const code = await (await fetch(${JSON.stringify(src)})).text();
  const script = document.createElement('script');
  script.textContent = code;
  performance.mark('insert-start');
  document.head.append(script);
  performance.mark('insert-end');
  return performance.measure('parse+eval', 'insert-start', 'insert-end').duration;
})()`;

export async function benchElement(options: {
  cdnCode: string;
  depsCode: string;
  runs: number;
  warmup: number;
  parseRuns: number;
}): Promise<ElementResult> {
  const { cdnCode, depsCode, runs, warmup, parseRuns } = options;
  // Start tomorrow in Berlin, so every shown slot is in the future whatever the hour.
  const start = addDays(dayInZone(Date.now()), 1);
  const isolated = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-store',
  };
  const pages: Record<string, string> = {
    '/bench.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script src="/meetergo-slots.js"></script></head>
<body data-start="${start}" data-from="${addDays(start, -1)}" data-to="${addDays(start, PAGE_DAYS)}" data-zone="${ZONE}" data-booking="${BOOKING}">
<template id="static">${staticMarkup(start)}</template><div id="stage"></div>
<script src="/page.js"></script></body></html>`,
    '/blank.html':
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>',
  };
  const scripts: Record<string, string> = {
    '/meetergo-slots.js': cdnCode,
    '/deps.js': depsCode,
    '/page.js': PAGE_SCRIPT,
  };
  const windowsPath = /^\/api\/meetergo\/v4\/user\/[0-9a-f-]{36}\/bookable-windows$/;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (pages[url.pathname] !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...isolated });
      res.end(pages[url.pathname]);
    } else if (scripts[url.pathname] !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', ...isolated });
      res.end(scripts[url.pathname]);
    } else if (windowsPath.test(url.pathname)) {
      const startDate = url.searchParams.get('startDate') ?? '';
      const endDate = url.searchParams.get('endDate') ?? '';
      const day = /^\d{4}-\d{2}-\d{2}$/;
      const valid = (date: string) => day.test(date) && !Number.isNaN(Date.parse(date));
      if (!valid(startDate) || !valid(endDate) || endDate > addDays(startDate, 31)) {
        res.writeHead(400, { 'Content-Type': 'application/json', ...isolated });
        res.end(JSON.stringify({ statusCode: 400, message: 'Bad range' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', ...isolated });
      res.end(JSON.stringify({ windows: windowsFor(startDate, endDate) }));
    } else {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404, isolated).end();
    }
  });
  let browser: Browser | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    const problems: string[] = [];
    const watch = (page: Page) => {
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') {
          problems.push(`console ${message.type()}: ${message.text()}`);
        }
      });
    };

    // Parse + evaluate, each run in a fresh context (its own renderer, no compile cache).
    const ours: number[] = [];
    const deps: number[] = [];
    for (let i = 0; i < parseRuns; i++) {
      for (const [src, into] of [
        ['/meetergo-slots.js', ours],
        ['/deps.js', deps],
      ] as const) {
        const context = await browser.newContext();
        const page = await context.newPage();
        watch(page);
        await page.goto(`${origin}/blank.html`);
        into.push(await page.evaluate<number>(parseEvalExpression(src)));
        await context.close();
      }
    }

    const context = await browser.newContext();
    const page = await context.newPage();
    watch(page);
    await page.goto(`${origin}/bench.html`);
    const isolatedPage = await page.evaluate<boolean>('self.crossOriginIsolated');
    if (!isolatedPage) problems.push('page not cross-origin isolated: timer resolution 100 µs');
    const raw = await page.evaluate<{
      element: number[];
      before: number[];
      flight: number[];
      after: number[];
      clone: number[];
      fetchClone: number[];
      slots: number;
      links: number;
      staticLinks: number;
    }>(`window.bench(${runs}, ${warmup})`);
    await context.close();
    return {
      chromium: browser.version(),
      runs,
      element: median(raw.element),
      before: median(raw.before),
      flight: median(raw.flight),
      after: median(raw.after),
      clone: median(raw.clone),
      fetchClone: median(raw.fetchClone),
      slots: raw.slots,
      links: raw.links,
      staticLinks: raw.staticLinks,
      parseEval: median(ours),
      parseEvalDeps: median(deps),
      parseRuns,
      problems,
    };
  } finally {
    await browser?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
