// `npm run screenshots`: the README's two images (docs/wide.png, docs/narrow.png), taken from the
// demo page (vite dev server on 127.0.0.1, the reference proxy in front of the built-in stand-in)
// in Debian's Chromium (or CHROME_PATH) through playwright-core. Nothing is downloaded.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const executablePath = process.env['CHROME_PATH'] || '/usr/bin/chromium';
const shots = [
  { file: 'docs/wide.png', width: 1040, height: 900 },
  { file: 'docs/narrow.png', width: 390, height: 844 },
];

const server = await createServer({
  configFile: 'vite.config.ts',
  logLevel: 'error',
  server: { host: '127.0.0.1', port: 5179, strictPort: false },
});
await server.listen();
const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5179/';
const browser = await chromium.launch({
  executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
try {
  mkdirSync('docs', { recursive: true });
  for (const shot of shots) {
    const page = await browser.newPage({
      viewport: { width: shot.width, height: shot.height },
      deviceScaleFactor: 2,
      reducedMotion: 'reduce',
      colorScheme: 'light',
      locale: 'en-US',
      timezoneId: 'Europe/Berlin',
    });
    await page.goto(url);
    const widget = page.locator('meetergo-slots').first();
    await widget.waitFor();
    await page.waitForFunction(
      () => document.querySelector('meetergo-slots')?.matches(':state(loaded)'),
      undefined,
      { timeout: 20_000 },
    );
    await widget.screenshot({ path: shot.file });
    process.stdout.write(`wrote ${shot.file}\n`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
