// Browser tests: the element in real headless Chromium (Debian's, or CHROME_PATH), TypeScript
// through esbuild, lit in dev mode so its warnings surface, msw's service worker served at /.
import { fileURLToPath } from 'node:url';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { standInMiddleware } from './test/stand-in-middleware.js';

const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

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

export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['development'] },
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  concurrency: 2,
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
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
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
