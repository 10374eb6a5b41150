// Browser tests: the element in real headless Chromium (Debian's, or CHROME_PATH), TypeScript
// through esbuild, lit in dev mode so its warnings surface, msw's service worker served at /.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { standInMiddleware } from './test/stand-in-middleware.js';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';
/** One CDP session per test page, for the commands below. */
const cdpSessions = new WeakMap();

/** `executeServerCommand('emulate-timezone', { zone })`: run the page under another IANA zone (null resets). */
const emulateTimezone = {
  name: 'emulate-timezone',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-timezone') return undefined;
    const page = session.browser.getPage(session.id);
    await page.emulateTimezone(payload?.zone ?? undefined);
    return true;
  },
};

/** `executeServerCommand('emulate-forced-colors', { active })`: Windows High Contrast-style forced colours. */
const emulateForcedColors = {
  name: 'emulate-forced-colors',
  async executeCommand({ command, payload, session }) {
    if (command !== 'emulate-forced-colors') return undefined;
    // Puppeteer's emulateMediaFeatures does not know forced-colors; CDP does.
    const page = session.browser.getPage(session.id);
    const cdp = cdpSessions.get(page) ?? (await page.createCDPSession());
    cdpSessions.set(page, cdp);
    await cdp.send('Emulation.setEmulatedMedia', {
      features: [{ name: 'forced-colors', value: payload?.active ? 'active' : 'none' }],
    });
    return true;
  },
};

/**
 * `executeServerCommand('screenshot', { name, clip })`: save the page (or the `clip` rectangle, in
 * CSS px) as test-results/screenshots/<name>.png, for a reviewer to look at (git-ignored).
 */
const screenshot = {
  name: 'screenshot',
  async executeCommand({ command, payload, session }) {
    if (command !== 'screenshot') return undefined;
    // CDP directly (no puppeteer-side page activation or viewport changes).
    const page = session.browser.getPage(session.id);
    const cdp = cdpSessions.get(page) ?? (await page.createCDPSession());
    cdpSessions.set(page, cdp);
    const name = String(payload?.name ?? 'page').replace(/[^\w.-]+/g, '-');
    const clip = payload?.clip ? { ...payload.clip, scale: 1 } : undefined;
    const { data } = await cdp.send('Page.captureScreenshot', {
      format: 'png',
      clip,
      captureBeyondViewport: true,
    });
    mkdirSync(screenshotDir, { recursive: true });
    writeFileSync(`${screenshotDir}/${name}.png`, Buffer.from(data, 'base64'));
    return true;
  },
};
const screenshotDir = fileURLToPath(new URL('./test-results/screenshots', import.meta.url));

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  // One test page at a time: keyboard input and screenshots need the page in front.
  concurrency: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 10_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  middleware: [
    // msw's worker must be served from the root so that it controls the test pages.
    (context, next) => {
      if (context.path === '/mockServiceWorker.js') context.path = '/public/mockServiceWorker.js';
      return next();
    },
    standInMiddleware('/api/stand-in'),
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json', target: 'es2022' }),
    emulateTimezone,
    emulateForcedColors,
    screenshot,
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <style>
      body { font-family: system-ui, sans-serif; }
    </style>
    <script>
      // Lit's one-time "dev mode" notice is expected in tests; every other Lit warning must stay silent.
      globalThis.litIssuedWarnings = new Set(['dev-mode']);
    </script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
