// End to end: the built script-tag file, dist/cdn/meetergo-slots.js, in a plain HTML page in
// real Chromium, against a small real HTTP server on 127.0.0.1 that answers the proxy protocol:
// from <script src> and <script type="module">, twice, with its SRI hash, and on a page whose own
// Lit already holds the `lit-html` Trusted Types policy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { addDays, dayIn } from '../calendar.js';
import { launchChromium } from '../chromium.js';

const USER = '550e8400-e29b-41d4-a716-446655440000';
const BOOKING = 'https://cal.meetergo.com/john-smith/30min-meeting';
const ZONE = 'Asia/Kolkata'; // +05:30: a window at 20:00Z starts at 01:30 the next day
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html";

const bundle = readFileSync(new URL('../../dist/cdn/meetergo-slots.js', import.meta.url), 'utf8');
const integrity = readFileSync(
  new URL('../../dist/cdn/meetergo-slots.js.sri', import.meta.url),
  'utf8',
).trim();
/** The host page's own Lit (lit-html's ESM build has no imports) and an app that renders with it. */
const hostLit = readFileSync(
  new URL('../../node_modules/lit-html/lit-html.js', import.meta.url),
  'utf8',
);
const hostApp = `import { html, render } from '/host-lit.js';
render(html\`<p id="host-app">rendered by the page's own Lit</p>\`, document.querySelector('#host'));`;
const withHostLit =
  '<script type="module" src="/host-app.js"></script><script type="module" src="/meetergo-slots.js"></script>';
/** The CSP a page with its own Lit needs (README, "Plain HTML: the script tag"), and variants. */
const CSP_FOR = {
  '/host-lit.html': CSP.replace('trusted-types lit-html', 'trusted-types lit-html meetergo-slots'),
  '/host-lit-duplicates.html': CSP.replace(
    'trusted-types lit-html',
    "trusted-types lit-html meetergo-slots 'allow-duplicates'",
  ),
} as Record<string, string>;

function page(scripts: string): string {
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>cdn</title>${scripts}</head>
  <body>
    <div id="host"></div>
    <meetergo-slots proxy-url="/api/meetergo/" user-id="${USER}" booking-url="${BOOKING}"
      timezone="${ZONE}" days="5"></meetergo-slots>
  </body>
</html>`;
}

const pages: Record<string, string> = {
  '/classic.html': page('<script src="/meetergo-slots.js"></script>'),
  '/module.html': page('<script type="module" src="/meetergo-slots.js"></script>'),
  '/twice.html': page(
    '<script src="/meetergo-slots.js"></script><script type="module" src="/meetergo-slots.js?again"></script>',
  ),
  '/integrity.html': page(
    `<script src="/meetergo-slots.js" integrity="${integrity}" crossorigin="anonymous"></script>`,
  ),
  '/host-lit.html': page(withHostLit),
  '/host-lit-duplicates.html': page(withHostLit),
};

/** Every day from startDate to endDate (inclusive) gets one window at 20:00Z. */
function windowsFor(startDate: string, endDate: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${startDate}T20:00:00Z`);
    d <= new Date(`${endDate}T20:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    out.push(d.toISOString().replace('.000Z', 'Z'));
  }
  return out;
}

const dayInZone = (instant: Date) => dayIn(ZONE, instant);

let server: Server;
let origin: string;
let browser: Browser;
const requests: URL[] = [];

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://127.0.0.1');
    if (url.pathname === '/meetergo-slots.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
    } else if (url.pathname === '/host-lit.js' || url.pathname === '/host-app.js') {
      res
        .writeHead(200, { 'Content-Type': 'text/javascript' })
        .end(url.pathname === '/host-lit.js' ? hostLit : hostApp);
    } else if (pages[url.pathname]) {
      const csp = CSP_FOR[url.pathname] ?? CSP;
      res
        .writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': csp })
        .end(pages[url.pathname]);
    } else if (url.pathname === `/api/meetergo/v4/user/${USER}/bookable-windows`) {
      requests.push(url);
      const body = {
        windows: windowsFor(url.searchParams.get('startDate')!, url.searchParams.get('endDate')!),
      };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    } else if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`${message.type()}: ${message.text()}`);
  });
  await page.goto(origin + path);
  await page.locator('meetergo-slots [part~="slot"]').first().waitFor({ timeout: 10_000 });
  return { page, problems };
}

for (const path of Object.keys(pages)) {
  describe(`the script-tag build in ${path}`, () => {
    test('shows the right days and links under a strict CSP, with no error or warning', async () => {
      const { page, problems } = await open(path);
      try {
        const shown = await page.$$eval('meetergo-slots', (elements) =>
          elements.flatMap((el) =>
            [...el.shadowRoot!.querySelectorAll('[part~="day"]')].map((day) => ({
              date: day.querySelector('[part~="day-heading"] time')!.getAttribute('datetime'),
              slots: [...day.querySelectorAll('[part~="slot"]')].map((slot) => ({
                start: slot.querySelector('time')!.getAttribute('datetime'),
                href: slot.getAttribute('href'),
                tag: slot.tagName,
              })),
            })),
          ),
        );
        // A displayed day D holds the window at 20:00Z on D-1 (01:30 on D in Kolkata), unless it is past.
        const now = new Date();
        const today = dayInZone(now);
        const expected = [0, 1, 2, 3, 4]
          .map((i) => addDays(today, i))
          .filter((date) => new Date(`${addDays(date, -1)}T20:00:00Z`) > now);
        assert.deepEqual(
          shown.map((day) => day.date),
          expected,
        );
        for (const day of shown) {
          assert.equal(day.slots.length, 1);
          const [slot] = day.slots;
          assert.equal(slot!.tag, 'A');
          const href = new URL(slot!.href!);
          assert.equal(href.origin + href.pathname, BOOKING);
          assert.equal(href.searchParams.get('date'), day.date);
          assert.equal(href.searchParams.get('slot'), slot!.start);
          assert.equal(href.searchParams.get('timezone'), ZONE);
          assert.equal(dayInZone(new Date(slot!.start!)), day.date);
        }
        assert.equal(
          await page.evaluate(() => customElements.get('meetergo-slots') !== undefined),
          true,
        );
        // A classic <script> leaves the documented global; a module leaves none.
        assert.equal(
          await page.evaluate(
            () =>
              (window as { MeetergoSlotsBundle?: { MeetergoSlots?: unknown } }).MeetergoSlotsBundle
                ?.MeetergoSlots === customElements.get('meetergo-slots'),
          ),
          ['/classic.html', '/twice.html', '/integrity.html'].includes(path),
        );
        if (path.startsWith('/host-lit')) {
          assert.equal(
            await page.locator('#host-app').textContent(),
            "rendered by the page's own Lit",
          );
        }
        assert.deepEqual(problems, []);
      } finally {
        await page.close();
      }
    });
  });
}

// The build compiles the element's decorators with a copy of lit's experimental-decorator path
// (scripts/build.js, litDecorators): the built element declares the properties its manifest names.
test('the built element has every reactive property its manifest documents, with its options', async () => {
  const manifest = JSON.parse(
    readFileSync(new URL('../../custom-elements.json', import.meta.url), 'utf8'),
  ) as {
    modules: {
      declarations?: {
        tagName?: string;
        members: {
          kind: string;
          name: string;
          attribute?: string;
          reflects?: boolean;
          type?: { text: string };
        }[];
      }[];
    }[];
  };
  const element = manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .find((declaration) => declaration.tagName === 'meetergo-slots')!;
  const TYPES: Record<string, string> = { boolean: 'Boolean', number: 'Number' };
  const expected = element.members
    .filter((member) => member.attribute !== undefined)
    .map((member) => ({
      name: member.name,
      attribute: member.attribute,
      type: TYPES[member.type?.text ?? ''] ?? 'String',
      reflect: member.reflects === true,
      state: false,
    }));
  for (const name of ['value', 'prefill', 'strings'])
    expected.push({
      name,
      attribute: false as never,
      type: 'String',
      reflect: false,
      state: false,
    });
  const { page, problems } = await open('/module.html');
  try {
    const declared = await page.evaluate(() =>
      [
        ...(
          customElements.get('meetergo-slots') as unknown as {
            elementProperties: Map<
              string,
              {
                attribute?: string | boolean;
                type?: { name: string };
                reflect?: boolean;
                state?: boolean;
              }
            >;
          }
        ).elementProperties,
      ].map(([name, options]) => ({
        name,
        attribute:
          options.attribute === false || typeof options.attribute === 'string'
            ? options.attribute
            : name.toLowerCase(),
        type: options.type?.name ?? 'String',
        reflect: options.reflect === true,
        state: options.state === true,
      })),
    );
    const states = declared.filter((property) => property.name.startsWith('_'));
    assert.ok(states.length >= 5, `${states.length} internal states`);
    for (const property of states)
      assert.deepEqual([property.state, property.attribute], [true, false]);
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    assert.deepEqual(
      declared.filter((property) => !property.name.startsWith('_')).sort(byName),
      expected.sort(byName),
    );
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('the proxy saw padded requests in UTC days, whatever the display zone', () => {
  assert.ok(requests.length >= 3);
  for (const url of requests) {
    assert.equal(url.searchParams.get('timezone'), 'UTC');
    const start = new Date(`${url.searchParams.get('startDate')}T00:00:00Z`);
    const end = new Date(`${url.searchParams.get('endDate')}T00:00:00Z`);
    assert.equal((end.getTime() - start.getTime()) / 86_400_000, 6); // 5 days + 1 on each side
  }
});
