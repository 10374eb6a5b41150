// The packed package in customers' stacks: `npm pack` into a temporary directory, copies of
// the apps in test/consumers/ beside it, each installed from the npm registry (plus the
// tarball), built and type-checked, then driven in Chromium against `meetergo-slots-proxy
// --stand-in` from the installed tarball: slots shown, `prefill` in the first link, and a
// select the page's handler cancels opens nothing, after SSR and hydration too (Next.js).
// Needs the build `npm test` has just made, and the npm registry (or a warm npm cache).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STEP_TIMEOUT = 300_000;

let work: string;
let browser: Browser;
let proxy: { url: string; child: ChildProcess } | undefined;
const servers: Server[] = [];
const children: ChildProcess[] = [];

/** Runs a command to completion; rejects with the tail of its output (all of it in `output`). */
function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...cleanEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(
            Object.assign(
              new Error(
                `${command} ${args.join(' ')} in ${cwd}: exit ${code}\n${output.slice(-4000)}`,
              ),
              { output },
            ),
          ),
    );
  });
}

/** The environment without what `npm test` sets for its own package (npm_package_*, …). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^npm_(package|lifecycle|config_(prefix|local_prefix|global))/i.test(name),
    ),
  );
}

/** Starts a long-running process and resolves with the first match of `ready` in its stdout. */
function start(
  cwd: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
) {
  const child = spawn(command, args, {
    cwd,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise<{ match: RegExpExecArray; child: ChildProcess }>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += String(chunk);
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ match, child });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${code}):\n${output}`));
    });
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};

/** Serves a built static site from 127.0.0.1, optionally under a Content-Security-Policy. */
async function serve(dir: string, csp?: string): Promise<string> {
  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const file = path.join(dir, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      ...(csp && file.endsWith('.html') ? { 'Content-Security-Policy': csp } : {}),
    });
    res.end(readFileSync(file));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Opens `url`; for each widget (`selector`, the label its page's handler records): the slots
 * show, the first link carries the prefill, and clicking it runs the page's handler, which
 * cancels it: no new page, no navigation, no error on the console.
 */
async function drive(url: string, widgets: [selector: string, label: string][], ready?: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // Failed loads are reported with their URL below.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') {
        problems.push(`${response.status()}: ${response.url()}`);
      }
    });
    const opened: string[] = [];
    context.on('page', (other) => opened.push(other.url()));
    await page.goto(url);
    if (ready) await page.locator(ready).waitFor({ state: 'attached', timeout: 30_000 });
    for (const [selector, label] of widgets) {
      const slot = page.locator(`${selector} [part~="slot"]`).first();
      await slot.waitFor({ timeout: 30_000 });
      const href = new URL((await slot.getAttribute('href'))!);
      assert.equal(
        href.origin + href.pathname,
        'https://cal.meetergo.com/john-smith/30min-meeting',
      );
      assert.equal(href.searchParams.get('firstname'), 'Ada', `${label}: prefill in ${href}`);
      assert.equal(href.searchParams.get('email'), 'ada@example.com');
      const start = await slot.locator('time').getAttribute('datetime');
      await slot.click();
      const picked = await page.waitForFunction(
        (prefix) =>
          (window as unknown as { selected?: string[] }).selected?.find((entry) =>
            entry.startsWith(`${prefix} `),
          ),
        label,
        { timeout: 10_000 },
      );
      const recorded = String(await picked.jsonValue()).slice(label.length + 1);
      assert.equal(new Date(recorded).getTime(), new Date(start!).getTime());
    }
    // A click that was not cancelled opens the booking page at once; give it a moment to show.
    await page.waitForTimeout(500);
    assert.deepEqual(opened, []);
    assert.equal(page.url(), url);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'meetergo-consumers-'));
  const [packed] = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as [{ filename: string }];
  renameSync(path.join(work, packed.filename), path.join(work, 'meetergo-slots.tgz'));
  cpSync(path.join(root, 'test/consumers'), work, { recursive: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((child) =>
      child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null,
    ),
  );
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  if (work) rmSync(work, { recursive: true, force: true });
});

async function install(app: string, steps = ['build', 'check']): Promise<string> {
  const dir = path.join(work, app);
  await run(dir, npm, [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--loglevel=error',
  ]);
  for (const step of steps) await run(dir, npm, ['run', step]);
  return dir;
}

describe('plain HTML: the script tag with its integrity hash', () => {
  let dir: string;
  test('installs the tarball, builds and type-checks', { timeout: STEP_TIMEOUT }, async () => {
    dir = await install('html');
    const { match, child } = await start(
      dir,
      path.join(dir, 'node_modules/.bin/meetergo-slots-proxy'),
      ['--stand-in'],
      { PORT: '0', HOST: '127.0.0.1' },
      /\(stand-in, not meetergo[^)]*\) listening on (http:\/\/127\.0\.0\.1:\d+)/,
    );
    proxy = { url: match[1]!, child };
  });
  test('the proxy and stand-in types need no DOM lib; toNodeHandler takes the stand-in fetch', async () => {
    const output = await run(dir, npm, ['run', 'check:node']).catch(
      (error: Error & { output?: string }) => error.output ?? error.message,
    );
    // msw's own declarations need the DOM lib; only ours and the app's count here.
    const errors = output
      .split('\n')
      .filter((line) => /error TS/.test(line) && !/node_modules\/(msw|@mswjs)\//.test(line));
    assert.deepEqual(errors, []);
  });
  test('shows slots under a strict CSP; the page cancels a select', async () => {
    assert.ok(proxy, 'the stand-in proxy runs');
    const site = await serve(
      path.join(dir, 'dist'),
      `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${proxy.url}; require-trusted-types-for 'script'; trusted-types lit-html`,
    );
    const html = readFileSync(path.join(dir, 'dist/index.html'), 'utf8');
    assert.match(html, /integrity="sha384-[A-Za-z0-9+/]{64}"\s+crossorigin="anonymous"/);
    await drive(`${site}/?proxy=${encodeURIComponent(proxy.url)}`, [['meetergo-slots', 'html']]);
  });
});

describe('Vite + React 19: meetergo-slots/react and the bare tag', () => {
  let dir: string;
  test(
    'installs, type-checks (strict, no skipLibCheck) and builds',
    { timeout: STEP_TIMEOUT },
    async () => {
      dir = await install('react-vite');
    },
  );
  test('both show slots with the prefill; their handlers cancel a select', async () => {
    assert.ok(proxy, 'the stand-in proxy runs');
    const site = await serve(path.join(dir, 'dist'));
    await drive(`${site}/?proxy=${encodeURIComponent(proxy.url)}`, [
      ['#wrapper', 'wrapper'],
      ['#bare', 'bare'],
    ]);
  });
});

describe('Vite + Vue 3: isCustomElement and vue-tsc strict templates', () => {
  let dir: string;
  test('installs, type-checks and builds', { timeout: STEP_TIMEOUT }, async () => {
    dir = await install('vue-vite');
  });
  test('shows slots with the prefill; the handler cancels a select', async () => {
    assert.ok(proxy, 'the stand-in proxy runs');
    const site = await serve(path.join(dir, 'dist'));
    await drive(`${site}/?proxy=${encodeURIComponent(proxy.url)}`, [['meetergo-slots', 'vue']]);
  });
});

describe('Next.js App Router: SSR, hydration and the README route handler', () => {
  let dir: string;
  test(
    'installs, builds (cacheComponents) and type-checks',
    { timeout: STEP_TIMEOUT },
    async () => {
      dir = await install('next');
    },
  );
  test(
    'after hydration: slots with the prefill, the handler cancels a select',
    { timeout: 120_000 },
    async () => {
      assert.ok(proxy, 'the stand-in proxy runs');
      const port = await freePort();
      await start(
        dir,
        path.join(dir, 'node_modules/.bin/next'),
        ['start', '--port', String(port), '--hostname', '127.0.0.1'],
        { MEETERGO_API_KEY: 'stand-in', MEETERGO_API_URL: proxy.url, NEXT_TELEMETRY_DISABLED: '1' },
        /Ready|started server/i,
      );
      const site = `http://127.0.0.1:${port}/`;
      const html = await (await fetch(site)).text();
      assert.match(html, /<meetergo-slots[\s>]/, 'the server rendered the element');
      await drive(site, [['meetergo-slots', 'next']], 'body[data-hydrated="true"]');
    },
  );
});

describe('Preact and Solid: types for the bare tag; the bin without msw', () => {
  let dir: string;
  test('type-check, wrong prop types included', { timeout: STEP_TIMEOUT }, async () => {
    dir = await install('jsx-types', ['check']);
  });
  test('meetergo-slots-proxy --stand-in without msw says what to install', async () => {
    assert.ok(dir, 'installed');
    assert.equal(existsSync(path.join(dir, 'node_modules/msw')), false);
    const failure = await run(dir, path.join(dir, 'node_modules/.bin/meetergo-slots-proxy'), [
      '--stand-in',
    ]).then(
      () => '',
      (error: Error) => error.message,
    );
    assert.match(failure, /exit 1\n.*--stand-in needs the msw package: npm install --save-dev msw/);
  });
});
