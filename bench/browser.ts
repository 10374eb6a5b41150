// The pages behind `npm run bench -- element`: one server on 127.0.0.1 serves the built
// script-tag file, a hand-written vanilla page (the physical floor), and a proxy-protocol
// endpoint; each run loads one page in a fresh browser context (cold HTTP and code caches),
// optionally CPU-throttled through CDP, and reads back what the page measured itself.
//
// "First slots laid out" is measured the same way on both pages, through SPEC markup only
// (parts `day`/`slot`, `<time datetime>`, the `meetergo-slots-load` event): from an inline
// mark placed just before the page's `<script src>`, to the first animation frame after the
// slots are in the DOM (the element: after its `meetergo-slots-load`), in which layout is
// forced by measuring the last slot. So any element that follows SPEC's markup can be timed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays, dayIn } from '../test/calendar.js';

export const ZONE = 'Europe/Berlin';
export const OTHER_ZONE = 'America/New_York';
export const BOOKING = 'https://cal.meetergo.com/x/y';

/** One page load to measure. */
export interface PageCase {
  page: 'element' | 'vanilla';
  days: number;
  perDay: number;
  /** Instances on the page (the element only). */
  instances?: number;
  /** Whether the instances show different hosts (different user ids, so different URLs). */
  distinctHosts?: boolean;
  /** After loading, switch the display zone and time the re-render (the element only). */
  zoneChange?: boolean;
  /** CPU slow-down factor (1 = none). */
  throttle: number;
}

/** What a page measured, in ms from the inline start mark. */
export interface PageResult {
  /** Until every instance's slots were laid out. */
  ms: number;
  /** Slots laid out (all instances), and the `count`s their load events reported. */
  slots: number;
  counted: number;
  /** `bookable-windows` requests the page made while loading. */
  requests: number;
  /** With `zoneChange`: the re-render's duration, the requests it made, the slots after it. */
  zoneMs?: number;
  zoneRequests?: number;
  zoneSlots?: number;
}

const USER_PREFIX = '550e8400-e29b-41d4-a716-4466554';
const userId = (i: number) => `${USER_PREFIX}${String(i).padStart(5, '0')}`;

/** Offset of `zone` at `epoch` in minutes (Intl, independent of src/). */
function offsetMinutes(zone: string, epoch: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(epoch);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(epoch / 60_000) * 60_000) / 60_000);
}

/**
 * The proxy protocol's answer: on every UTC day of the range, `perDay` half-hour starts in
 * Berlin's day of the same date (16: from 09:00; 48: the whole day), none in the past.
 */
function windowsFor(startDate: string, endDate: string, perDay: number): string[] {
  const out: string[] = [];
  const now = Date.now();
  const firstHour = perDay >= 48 ? 0 : 9;
  for (let day = startDate; day <= endDate; day = addDays(day, 1)) {
    const noon = Date.parse(`${day}T12:00:00Z`);
    const midnight = Date.parse(`${day}T00:00:00Z`) - offsetMinutes(ZONE, noon) * 60_000;
    for (let i = 0; i < perDay; i++) {
      const epoch = midnight + (firstHour * 60 + i * 30) * 60_000;
      if (epoch > now) out.push(new Date(epoch).toISOString().replace('.000Z', 'Z'));
    }
  }
  return out;
}

/** The vanilla page's script: fetch the same JSON, group with Intl, build the same links. */
const VANILLA_JS = `
(async () => {
  // Configured on its own script tag, so its request starts at once, before the body is parsed.
  const { proxy, user, start, days, zone, booking } = document.currentScript.dataset;
  const DAY = 86400000;
  const first = Date.parse(start + 'T00:00:00Z') / DAY;
  const iso = (day) => new Date(day * DAY).toISOString().slice(0, 10);
  const url = proxy + '/v4/user/' + user + '/bookable-windows?startDate=' + iso(first - 1) +
    '&endDate=' + iso(first + Number(days)) + '&timezone=UTC';
  const body = await (await fetch(url, { headers: { Accept: 'application/json' } })).json();
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const time = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit', timeZone: zone });
  const heading = new Intl.DateTimeFormat('en', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
  const groups = new Map();
  for (let d = 0; d < Number(days); d++) groups.set(iso(first + d), []);
  const now = Date.now();
  for (const w of body.windows) {
    const epoch = Date.parse(w);
    if (!(epoch >= now)) continue;
    groups.get(dayOf.format(epoch))?.push(epoch);
  }
  const prefix = booking + (booking.includes('?') ? '&' : '?') + 'timezone=' + encodeURIComponent(zone);
  let html = '';
  for (const [date, epochs] of groups) {
    if (epochs.length === 0) continue;
    epochs.sort((a, b) => a - b);
    html += '<section part="day"><h3 part="day-heading"><time datetime="' + date + '">' +
      heading.format(Date.parse(date)) + '</time></h3><div>';
    for (const epoch of epochs) {
      const slot = new Date(epoch).toISOString().replace('.000Z', 'Z');
      html += '<a part="slot" target="_blank" rel="noopener noreferrer" href="' + prefix +
        '&amp;date=' + date + '&amp;slot=' + slot + '"><time datetime="' + slot + '">' +
        time.format(epoch) + '</time></a>';
    }
    html += '</div></section>';
  }
  if (document.readyState === 'loading') await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve));
  const root = document.getElementById('root');
  root.innerHTML = html;
  requestAnimationFrame(() => {
    const slots = root.querySelectorAll('[part~="slot"]');
    slots[slots.length - 1]?.getBoundingClientRect();
    const requests = performance.getEntriesByType('resource').filter((e) => e.name.includes('/bookable-windows')).length;
    window.__bench = { ms: performance.now() - performance.getEntriesByName('bench:start')[0].startTime, slots: slots.length, counted: slots.length, requests };
    console.debug('bench:done');
  });
})();
`;

/**
 * The element page's inline script (before the element's `<script src>`): the start mark, and
 * a document listener for every instance's load event, so nothing of the element is assumed
 * but SPEC's markup and event.
 */
const ELEMENT_HEAD = `
performance.mark('bench:start');
(() => {
  const windowsRequests = () => performance.getEntriesByType('resource').filter((e) => e.name.includes('/bookable-windows')).length;
  const slotsOf = (host) => host.shadowRoot ? [...host.shadowRoot.querySelectorAll('[part~="slot"]')] : [];
  const layout = (hosts) => {
    const slots = hosts.flatMap(slotsOf);
    slots[slots.length - 1]?.getBoundingClientRect();
    return slots.length;
  };
  const loaded = new Map();
  let expected = 0;
  let phase = 'load';
  let zoneStart = 0;
  let zoneRequests = 0;
  let settled = false;
  const finishZone = () => {
    if (settled) return;
    settled = true;
    requestAnimationFrame(() => {
      const hosts = [...document.querySelectorAll('meetergo-slots')];
      const zoneSlots = layout(hosts);
      Object.assign(window.__bench, { zoneMs: performance.now() - zoneStart, zoneRequests: windowsRequests() - zoneRequests, zoneSlots });
      window.__zoneDone = true;
      console.debug('bench:zone');
    });
  };
  document.addEventListener('meetergo-slots-load', (event) => {
    if (phase === 'zone') { finishZone(); return; }
    loaded.set(event.target, event.detail.count);
    expected ||= Number(document.body.dataset.instances);
    if (loaded.size < expected) return;
    requestAnimationFrame(() => {
      const hosts = [...loaded.keys()];
      const slots = layout(hosts);
      const counted = [...loaded.values()].reduce((a, b) => a + b, 0);
      window.__bench = { ms: performance.now() - performance.getEntriesByName('bench:start')[0].startTime, slots, counted, requests: windowsRequests() };
      console.debug('bench:done');
    });
  });
  /** Switch every instance's display zone; done at its next load event, or, when it re-groups without one, once it has updated and shows the new zone's slots. */
  window.__changeZone = async (zone) => {
    phase = 'zone';
    zoneRequests = windowsRequests();
    const hosts = [...document.querySelectorAll('meetergo-slots')];
    const before = hosts.map((host) => slotsOf(host).map((slot) => slot.textContent).join('|'));
    zoneStart = performance.now();
    for (const host of hosts) host.setAttribute('timezone', zone);
    for (const host of hosts) while (host.updateComplete && !(await host.updateComplete));
    const changed = () => hosts.every((host, i) => slotsOf(host).length > 0 && slotsOf(host).map((slot) => slot.textContent).join('|') !== before[i]);
    // Re-grouped without a request: done once the new zone's slots are on screen (checked each frame, 5 s at most).
    for (let frame = 0; frame < 300 && !settled; frame++) {
      if (windowsRequests() === zoneRequests && changed()) { finishZone(); break; }
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  };
})();
`;

export interface BenchServer {
  origin: string;
  /** Requests for bookable windows served so far. */
  windowsRequests: () => number;
  close: () => Promise<void>;
}

/** The pages, the built file and the proxy endpoint on 127.0.0.1 (a random port). */
export async function startBenchServer(cdnCode: string): Promise<BenchServer> {
  let windowsRequests = 0;
  const windowsPath = /^\/api\/v4\/user\/[0-9a-f-]{36}\/bookable-windows$/;
  const noStore = { 'Cache-Control': 'no-store' };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const q = url.searchParams;
    if (url.pathname === '/element.html' || url.pathname === '/vanilla.html') {
      const days = Number(q.get('days'));
      const perDay = Number(q.get('perDay'));
      const instances = Number(q.get('instances') ?? 1);
      const distinct = q.get('distinct') === '1';
      // Tomorrow in Berlin: every shown slot is in the future whatever the hour.
      const start = addDays(dayIn(ZONE, Date.now()), 1);
      const attrs = (i: number) =>
        `proxy-url="/api" user-id="${userId(distinct ? i : 0)}" booking-url="${BOOKING}" ` +
        `timezone="${ZONE}" start-date="${start}" days="${days}" locale="en" visible-per-day="0" ` +
        `data-per-day="${perDay}"`;
      const body =
        url.pathname === '/element.html'
          ? Array.from(
              { length: instances },
              (_, i) => `<meetergo-slots ${attrs(i)}></meetergo-slots>`,
            ).join('\n')
          : `<div id="root"></div>`;
      const script =
        url.pathname === '/element.html'
          ? `<script>${ELEMENT_HEAD}</script><script src="/meetergo-slots.js"></script>`
          : `<script>performance.mark('bench:start');</script><script src="/vanilla.js" data-proxy="/api" data-user="${userId(0)}" data-start="${start}" data-days="${days}" data-zone="${ZONE}" data-booking="${BOOKING}"></script>`;
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...noStore });
      res.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>` +
          `<style>body{margin:0;width:1280px}meetergo-slots,#root{display:block;width:1200px}</style>` +
          `${script}</head><body data-instances="${instances}" data-per-day="${perDay}">${body}</body></html>`,
      );
    } else if (url.pathname === '/meetergo-slots.js' || url.pathname === '/vanilla.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', ...noStore });
      res.end(url.pathname === '/vanilla.js' ? VANILLA_JS : cdnCode);
    } else if (windowsPath.test(url.pathname)) {
      windowsRequests++;
      const startDate = q.get('startDate') ?? '';
      const endDate = q.get('endDate') ?? '';
      const day = /^\d{4}-\d{2}-\d{2}$/;
      if (!day.test(startDate) || !day.test(endDate) || endDate > addDays(startDate, 31)) {
        res.writeHead(400, { 'Content-Type': 'application/json', ...noStore });
        res.end(JSON.stringify({ statusCode: 400, message: 'Bad range' }));
        return;
      }
      const perDay = Number(/perDay=(\d+)/.exec(req.headers.referer ?? '')?.[1] ?? 16);
      res.writeHead(200, { 'Content-Type': 'application/json', ...noStore });
      res.end(JSON.stringify({ windows: windowsFor(startDate, endDate, perDay) }));
    } else {
      res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404, noStore).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    windowsRequests: () => windowsRequests,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Problems a page reported (errors, warnings), gathered for the section's notes. */
export const problems = new Set<string>();

function watch(page: Page): void {
  page.on('pageerror', (error) => problems.add(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.add(`console ${message.type()}: ${message.text()}`);
    }
  });
}

/** Loads one case in a fresh context and returns what the page measured. */
export async function runPage(browser: Browser, origin: string, c: PageCase): Promise<PageResult> {
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    watch(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: c.throttle });
    const q = new URLSearchParams({
      days: String(c.days),
      perDay: String(c.perDay),
      instances: String(c.instances ?? 1),
      distinct: c.distinctHosts ? '1' : '0',
    });
    // The pages say when they are done on the console: polling (waitForFunction) would inject
    // Playwright's script into the page while it is measured, ~10 ms of main-thread work that
    // lands in the element's window but in the vanilla page's idle wait for its answer.
    const said = (text: string) =>
      page.waitForEvent('console', { predicate: (m) => m.text() === text, timeout: 60_000 });
    const loaded = said('bench:done');
    await page.goto(`${origin}/${c.page}.html?${q}`);
    await loaded;
    const result = await page.evaluate<PageResult>('window.__bench');
    if (c.zoneChange) {
      const zoned = said('bench:zone');
      await page.evaluate(`window.__changeZone(${JSON.stringify(OTHER_ZONE)})`);
      await zoned;
      Object.assign(result, await page.evaluate<Partial<PageResult>>('window.__bench'));
    }
    return result;
  } finally {
    await context.close();
  }
}
