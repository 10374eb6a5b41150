// `npm start` as a user runs it: the vite dev server with the reference proxy and the stand-in,
// and the demo page's widgets showing slots in real Chromium; then the quickstart form.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../chromium.js';

let server: ChildProcess;
let origin: string;
let browser: Browser;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

before(async () => {
  const port = await freePort();
  const env = { ...process.env };
  delete env['MEETERGO_API_KEY'];
  server = spawn('npm', ['start', '--', '--port', String(port), '--host', '127.0.0.1'], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start printed no URL:\n${output}`)),
      60_000,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Local:\s+(http:\/\/\S+?)\/?\s/.exec(output.replace(/\u001b\[[0-9;]*m/g, ''));
      if (match && output.includes('Proxy:')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    server.stdout!.on('data', read);
    server.stderr!.on('data', read);
    server.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  assert.match(output, /stand-in of meetergo's API/);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

const slotCounts = () =>
  [...document.querySelectorAll('meetergo-slots')].map(
    (el) => el.shadowRoot?.querySelectorAll('[part~="slot"]').length ?? 0,
  );

test('the demo page shows every seeded host with slots, and creating a user adds a widget with slots', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  try {
    await page.goto(`${origin}/`);
    await page.waitForFunction(
      (count) => {
        const counts = [...document.querySelectorAll('meetergo-slots')].map(
          (el) => el.shadowRoot?.querySelectorAll('[part~="slot"]').length ?? 0,
        );
        return counts.length === count && counts.every((n) => n > 0);
      },
      3,
      { timeout: 30_000 },
    );
    const hrefs = await page.$$eval('meetergo-slots', (elements) =>
      elements.map((el) => el.shadowRoot!.querySelector('[part~="slot"]')!.getAttribute('href')),
    );
    assert.match(hrefs[0]!, /^https:\/\/cal\.meetergo\.com\/john-smith\/30min-meeting\?date=/);

    await page.selectOption('select[name="timezone"]', 'Asia/Kolkata');
    await page.fill('input[name="email"]', `ada-${Date.now()}@example.com`);
    await page.click('button[type="submit"]');
    await page.waitForFunction(
      () => {
        const counts = [...document.querySelectorAll('meetergo-slots')].map(
          (el) => el.shadowRoot?.querySelectorAll('[part~="slot"]').length ?? 0,
        );
        return counts.length === 4 && counts.every((n) => n > 0);
      },
      undefined,
      { timeout: 30_000 },
    );
    assert.match((await page.textContent('#create-status')) ?? '', /^Created Ada Lovelace/);
    assert.equal((await page.evaluate(slotCounts)).length, 4);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
