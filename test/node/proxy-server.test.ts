// The reference proxy over real HTTP: the ready server (and Express) on 127.0.0.1, in front of a
// real HTTP server on 127.0.0.1 playing meetergo's API; requests are sent byte for byte with
// node:http so that nothing normalizes the abuse attempts first. And the CLI, as a process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import express from 'express';
import { createMeetergoProxy, type MeetergoProxyOptions } from '../../src/proxy/index.js';
import {
  proxyOptionsFromEnv,
  startProxyServer,
  toNodeHandler,
  type ProxyEnv,
} from '../../src/proxy/node.js';
import { weekInBlock } from '../blocks.js';

const KEY = 'mg_live_SECRET-key-9876543210';
const USER = '550e8400-e29b-41d4-a716-446655440000';
const OTHER_USER = '550e8400-e29b-41d4-a716-446655440099';
const TYPE = '770e8400-e29b-41d4-a716-446655440002';
const WINDOWS = ['2025-01-14T09:00:00Z', '2025-01-14T09:30:00Z'];
const BOOKING = 'https://cal.meetergo.com/john-smith/30min-meeting';
// A week whose days, padded by one for every zone, lie in one aligned block (2025-01-13…26).
const RANGE = 'startDate=2025-01-14&endDate=2025-01-20';
const BLOCK_QUERY = 'startDate=2025-01-04&endDate=2025-01-31';
const windowsPath = (query = RANGE, user = USER) => `/v4/user/${user}/bookable-windows?${query}`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function listen(handler: Handler) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { url: `http://127.0.0.1:${port}`, port, seen, close };
}

const sendJson = (res: ServerResponse, status: number, body: unknown, headers = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** meetergo as documented: windows, and a meeting-type listing with a booking URL. */
const meetergo: Handler = (req, res) => {
  if (req.url === '/v4/meeting-type')
    return sendJson(res, 200, [{ id: TYPE, bookingUrl: BOOKING }]);
  sendJson(res, 200, { windows: WINDOWS });
};

/** An upstream on 127.0.0.1 and the ready server in front of it, configured by env. */
async function setup(
  handler: Handler = meetergo,
  env: ProxyEnv = {},
  overrides: Partial<MeetergoProxyOptions> = {},
) {
  const upstream = await listen(handler);
  const lines: string[] = [];
  let clock = Date.parse('2025-01-06T06:00:00Z');
  const proxy = await startProxyServer(
    { MEETERGO_API_KEY: KEY, MEETERGO_API_URL: upstream.url, PORT: '0', ...env },
    { logger: (line) => lines.push(line), now: () => clock, ...overrides },
  );
  cleanups.push(proxy.close);
  const windowsSeen = () => upstream.seen.filter((s) => s.url.includes('/bookable-windows'));
  return {
    upstream,
    proxy,
    lines,
    windowsSeen,
    advance: (ms: number) => (clock += ms),
    send: (path: string, options: RawOptions = {}) => raw(proxy.url, path, options),
  };
}

interface RawOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
}
interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  rawHeaders: string[];
}

/** One HTTP request with the path sent exactly as given. */
function raw(base: string, path: string, options: RawOptions = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('proxy server: the one route over HTTP', () => {
  it('answers the windows with the documented headers and calls upstream exactly once', async () => {
    const { send, upstream, windowsSeen, lines } = await setup();
    const response = await send(windowsPath());
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text), { windows: WINDOWS, bookingUrl: BOOKING });
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    const cacheControl =
      'public, max-age=0, s-maxage=60, stale-while-revalidate=3600, stale-if-error=3600';
    assert.equal(response.headers['cache-control'], cacheControl);
    assert.equal(response.headers['cdn-cache-control'], cacheControl);
    assert.equal(response.headers['x-cache'], 'MISS');
    assert.equal(response.headers.age, '0');
    assert.equal(response.headers['content-length'], String(Buffer.byteLength(response.text)));
    assert.match(String(response.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      windowsSeen().map((s) => [s.method, s.url]),
      [['GET', windowsPath(BLOCK_QUERY)]],
    );
    assert.deepEqual(
      upstream.seen.filter((s) => s.url === '/v4/meeting-type').map((s) => s.method),
      ['GET'],
    );
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^GET \/v4\/user\/:userId\/bookable-windows 200 \d+ms .*id=/);
  });

  it('lets no client header, cookie or credential reach upstream', async () => {
    const { send, upstream } = await setup();
    const response = await send(windowsPath(), {
      headers: {
        Cookie: 'session=abc; meetergo_token=xyz',
        Authorization: 'Bearer visitors-token',
        'X-Meetergo-Api-User-Id': OTHER_USER,
        'X-Forwarded-For': '10.0.0.1',
        'X-Forwarded-Host': 'evil.example',
        Host: 'evil.example',
        Origin: 'https://evil.example',
        Referer: 'https://evil.example/page',
        'X-Custom': 'smuggled',
        'Accept-Encoding': 'br',
        'If-None-Match': '"x"',
      },
    });
    assert.equal(response.status, 200);
    assert.equal(upstream.seen.length, 2);
    const allowed = new Set([
      'host',
      'connection',
      'authorization',
      'x-meetergo-api-user-id',
      'accept',
      // what Node's fetch adds on its own:
      'accept-language',
      'sec-fetch-mode',
      'user-agent',
      'accept-encoding',
    ]);
    for (const { headers } of upstream.seen) {
      for (const name of Object.keys(headers)) assert.ok(allowed.has(name), `upstream saw ${name}`);
      assert.equal(headers.authorization, `Bearer ${KEY}`);
      assert.equal(headers['x-meetergo-api-user-id'], USER);
      assert.equal(headers.accept, 'application/json');
      assert.equal(headers.host, new URL(upstream.url).host);
      assert.notEqual(headers['accept-encoding'], 'br');
      assert.ok(
        !JSON.stringify(headers).includes('evil') && !JSON.stringify(headers).includes('smuggled'),
      );
    }
  });

  const abuse: [string, string, number][] = [
    ['dot-dot traversal', `/v4/user/${USER}/../../meeting-type?${RANGE}`, 404],
    ['encoded dot-dot', `/v4/user/%2e%2e/%2e%2e/v4/meeting-type?${RANGE}`, 404],
    ['encoded traversal in the id', windowsPath(RANGE, '..%2F..%2Fmeeting-type%3F'), 400],
    ['an encoded slash in the id', windowsPath(RANGE, `${USER}%2F..`), 400],
    ['a backslash in the id', windowsPath(RANGE, `..%5C..%5Cmeeting-type`), 400],
    ['a double slash', `//127.0.0.1/v4/user/${USER}/bookable-windows?${RANGE}`, 404],
    ['a path with a fragment-ish id', windowsPath(RANGE, `${USER}%23`), 400],
    ['absolute-form to another path', `http://127.0.0.1:1/v4/meeting-type`, 404],
    ['a cache buster', windowsPath(`${RANGE}&cb=${Date.now()}`), 400],
    [
      'a smuggled upstream param',
      windowsPath(`${RANGE}&x-meetergo-api-user-id=${OTHER_USER}`),
      400,
    ],
    ['a repeated parameter', windowsPath(`${RANGE}&endDate=2025-01-13`), 400],
    ['an encoded ampersand', windowsPath(`startDate=2025-01-06%26x%3D1&endDate=2025-01-12`), 400],
    ['a non-date', windowsPath('startDate=2025-02-30&endDate=2025-03-01'), 400],
    ['a long range', windowsPath('startDate=2025-01-01&endDate=2025-12-31'), 400],
    ['a bad zone', windowsPath(`${RANGE}&timezone=Europe%2F..%2F..%2Fetc`), 400],
    ['OPTIONS *', '*', 400],
  ];
  for (const [name, path, status] of abuse) {
    it(`refuses ${name} with ${status} and no upstream call`, async () => {
      const { send, upstream } = await setup();
      const response = await send(path, path === '*' ? { method: 'OPTIONS' } : {});
      assert.equal(response.status, status, response.text);
      assert.equal(JSON.parse(response.text).statusCode, status);
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(upstream.seen.length, 0);
    });
  }

  it('answers 405 with Allow for other methods, without reading the body', async () => {
    const { send, upstream } = await setup();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'TRACE']) {
      const response = await send(windowsPath(), {
        method,
        // Node's client frames a body only for these; others would be sent unframed.
        ...(['POST', 'PUT', 'PATCH'].includes(method) ? { body: 'x'.repeat(100_000) } : {}),
      });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.allow, 'GET, HEAD, OPTIONS');
    }
    assert.equal(upstream.seen.length, 0);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const { send } = await setup();
    const head = await send(windowsPath(), { method: 'HEAD' });
    const get = await send(windowsPath());
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(get.text)));
    assert.equal(head.headers['x-cache'], 'MISS');
    assert.equal(get.headers['x-cache'], 'HIT');
  });
});

describe('proxy server: upstream faults over HTTP', () => {
  it('does not follow a redirect to a private address', async () => {
    const internal = await listen((_req, res) =>
      sendJson(res, 200, { windows: ['2025-01-06T09:00:00Z'] }),
    );
    for (const status of [301, 302, 307, 308]) {
      const { send } = await setup((_req, res) => {
        res.writeHead(status, { Location: `${internal.url}/latest/meta-data` });
        res.end();
      });
      const response = await send(windowsPath());
      assert.equal(response.status, 502, String(status));
      assert.ok(!response.text.includes('127.0.0.1'));
    }
    assert.equal(internal.seen.length, 0);
  });

  it('answers 504 for a hanging upstream, and 504 for a body that stalls', async () => {
    const hanging = await setup(() => undefined, {}, { timeoutMs: 150 });
    const started = Date.now();
    const response = await hanging.send(windowsPath());
    assert.equal(response.status, 504);
    assert.ok(Date.now() - started < 2000);
    assert.equal(JSON.parse(response.text).requestId, response.headers['x-request-id']);
    assert.ok(hanging.lines[0].includes('upstream=timeout'));

    const stalling = await setup(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"windows":[');
      },
      {},
      { timeoutMs: 150 },
    );
    assert.equal((await stalling.send(windowsPath())).status, 504);
  });

  it('cuts off an oversized body: 502', async () => {
    const huge = JSON.stringify({ windows: Array(60_000).fill(WINDOWS[0]) });
    assert.ok(huge.length > 1 << 20);
    const chunked = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(huge);
    });
    const response = await chunked.send(windowsPath());
    assert.equal(response.status, 502);
    assert.ok(chunked.lines[0].includes('upstream=body-too-large'));

    const endless = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const timer = setInterval(() => {
        if (!res.write('x'.repeat(64 * 1024))) return;
      }, 1);
      res.on('close', () => clearInterval(timer));
    });
    assert.equal((await endless.send(windowsPath())).status, 502);
  });

  it('never passes on a key the upstream echoes back', async () => {
    const echo: Handler = (req, res) => {
      const auth = String(req.headers.authorization);
      sendJson(
        res,
        401,
        { statusCode: 401, message: `Invalid API key: ${auth}`, key: KEY },
        { 'WWW-Authenticate': auth, 'X-Debug': KEY },
      );
    };
    const { send, lines } = await setup(echo);
    const response = await send(windowsPath());
    assert.equal(response.status, 502);
    const everything = response.rawHeaders.join('\n') + response.text;
    assert.ok(!everything.includes(KEY), everything);
    assert.ok(!everything.includes('SECRET'));
    assert.match(JSON.parse(response.text).message, /request id/);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(!line.includes(KEY), line);
  });

  it('passes an upstream 429 on with Retry-After and makes no retry burst', async () => {
    const { send, windowsSeen } = await setup((_req, res) =>
      sendJson(res, 429, { message: 'Too Many Requests' }, { 'Retry-After': '120' }),
    );
    const responses = await Promise.all([
      send(windowsPath()),
      send(windowsPath('startDate=2025-01-13&endDate=2025-01-19')),
    ]);
    const later = await send(windowsPath('startDate=2025-01-20&endDate=2025-01-26'));
    for (const response of [...responses, later]) {
      assert.equal(response.status, 429);
      assert.ok(Number(response.headers['retry-after']) >= 1);
    }
    assert.equal(responses[0].headers['retry-after'], '120');
    assert.ok(windowsSeen().length <= 2, `${windowsSeen().length} upstream calls`);
    assert.equal(later.headers['retry-after'], '120');
  });
});

describe('proxy server: single-flight, cache, rate limit, CORS, 404s', () => {
  it('makes one upstream call for 20 identical concurrent requests', async () => {
    const { send, windowsSeen } = await setup((req, res) => {
      setTimeout(() => meetergo(req, res), 100);
    });
    const responses = await Promise.all(Array.from({ length: 20 }, () => send(windowsPath())));
    assert.deepEqual(
      responses.map((r) => r.status),
      Array(20).fill(200),
    );
    assert.equal(windowsSeen().length, 1);
    assert.equal(new Set(responses.map((r) => r.text)).size, 1);
    await send(windowsPath());
    assert.equal(windowsSeen().length, 1, 'then a cache hit');
  });

  it('rate limits per client with 429 and Retry-After, then recovers', async () => {
    const { send, advance, windowsSeen } = await setup(meetergo, {
      RATE_LIMIT_PER_MINUTE: '2',
      TRUST_PROXY: 'x-forwarded-for',
    });
    // Weeks in separate blocks: one call apiece.
    const as = (client: string, block: number) =>
      send(windowsPath(weekInBlock(block)), { headers: { 'X-Forwarded-For': client } });
    assert.equal((await as('203.0.113.1', 1)).status, 200);
    assert.equal((await as('203.0.113.1', 2)).status, 200);
    const limited = await as('203.0.113.1', 3);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '60');
    assert.equal((await as('203.0.113.1', 1)).status, 200, 'cache hits are free');
    assert.equal((await as('203.0.113.2', 3)).status, 200, 'another client is not limited');
    advance(60_000);
    assert.equal((await as('203.0.113.1', 4)).status, 200);
    assert.equal(windowsSeen().length, 4);
  });

  it('serves CORS to configured origins alone', async () => {
    const { send, upstream } = await setup(meetergo, {
      ALLOWED_ORIGINS: 'https://shop.example, http://localhost:5173',
    });
    const allowed = await send(windowsPath(), { headers: { Origin: 'http://localhost:5173' } });
    assert.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:5173');
    assert.equal(allowed.headers.vary, 'Origin');
    assert.equal(allowed.headers['access-control-allow-credentials'], undefined);
    const denied = await send(windowsPath(), { headers: { Origin: 'https://evil.example' } });
    assert.equal(denied.headers['access-control-allow-origin'], undefined);
    assert.equal(denied.headers.vary, 'Origin');
    const preflight = (origin: string) =>
      send(windowsPath(), {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
      });
    const ok = await preflight('https://shop.example');
    assert.equal(ok.status, 204);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://shop.example');
    assert.equal(ok.headers['access-control-allow-credentials'], undefined);
    const refused = await preflight('https://evil.example');
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
    assert.equal(upstream.seen.filter((s) => s.url.includes('bookable')).length, 1);
  });

  it('answers allowlist misses and unknown paths with the bytes of an upstream 404', async () => {
    const notFound = await setup((req, res) => {
      if (req.url === '/v4/meeting-type') return sendJson(res, 404, { message: 'User not found' });
      sendJson(res, 404, { statusCode: 404, message: 'User not found', error: 'Not Found' });
    });
    const reference = await notFound.send(windowsPath());
    assert.equal(notFound.windowsSeen().length, 1);

    const listed = await setup(meetergo, {
      ALLOWED_USER_IDS: `${USER}`,
      ALLOWED_MEETING_TYPE_IDS: TYPE,
    });
    const misses = [
      await listed.send(windowsPath(`${RANGE}&meetingTypeId=${TYPE}`, OTHER_USER)),
      await listed.send(windowsPath(`${RANGE}&meetingTypeId=${OTHER_USER}`)),
      await listed.send('/v4/meeting-type'),
    ];
    assert.equal(listed.upstream.seen.length, 0);
    const shape = (r: RawResponse) =>
      Object.entries(r.headers).filter(([name]) => !['date', 'x-request-id'].includes(name));
    assert.equal(reference.status, 404);
    for (const miss of misses) {
      assert.equal(miss.status, 404);
      assert.equal(miss.text, reference.text);
      assert.deepEqual(shape(miss), shape(reference));
    }
    const served = await listed.send(windowsPath(`${RANGE}&meetingTypeId=${TYPE}`));
    assert.equal(served.status, 200);
  });
});

describe('proxy server: Express and the environment', () => {
  it('mounts under Express with basePath and req.originalUrl', async () => {
    const upstream = await listen(meetergo);
    const app = express();
    const lines: string[] = [];
    app.use(
      '/api/meetergo',
      toNodeHandler(
        createMeetergoProxy({
          apiKey: KEY,
          upstreamUrl: upstream.url,
          basePath: '/api/meetergo',
          logger: (line) => lines.push(line),
          now: () => Date.parse('2025-01-06T06:00:00Z'),
        }),
      ),
    );
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const response = await raw(base, `/api/meetergo${windowsPath()}`);
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text).windows, WINDOWS);
    assert.equal((await raw(base, `/api/meetergo/v4/meeting-type`)).status, 404);
    assert.equal((await raw(base, '/health')).text, 'ok');
    assert.equal(upstream.seen.filter((s) => s.url.includes('bookable')).length, 1);
    assert.match(lines[0], /^GET \/api\/meetergo\/v4\/user\/:userId\/bookable-windows 200/);
  });

  it("serves any fetch handler, the stand-in's fetch among them", async () => {
    const { createStandIn } = await import('../../src/stand-in/index.js');
    const late: { listener?: ReturnType<typeof toNodeHandler> } = {};
    const server = createServer((req, res) => void late.listener?.(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    late.listener = toNodeHandler(createStandIn({ baseUrl: base }).fetch);
    const answer = await raw(base, '/v4/meeting-type', {
      headers: { Authorization: 'Bearer stand-in-key', 'x-meetergo-api-user-id': USER },
    });
    assert.equal(answer.status, 200, answer.text);
    assert.ok(Array.isArray(JSON.parse(answer.text)));
  });

  it('serves HEAD and a large streamed body through Express with backpressure (any fetch handler)', async () => {
    const big = 'x'.repeat(4 << 20);
    const handler = async (request: Request) =>
      new Response(request.method === 'HEAD' ? null : big, {
        headers: { 'Content-Type': 'text/plain', 'X-Url': new URL(request.url).pathname },
      });
    const app = express();
    app.use('/mounted', toNodeHandler(handler));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const got = await raw(base, '/mounted/deep/path');
    assert.equal(got.text.length, big.length);
    assert.equal(
      got.headers['x-url'],
      '/mounted/deep/path',
      'req.originalUrl, not the stripped url',
    );
    const head = await raw(base, '/mounted/x', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });

  it('reads SPEC §4 environment variables, with defaults', () => {
    assert.deepEqual(proxyOptionsFromEnv({ MEETERGO_API_KEY: ` ${KEY} ` }), {
      apiKey: KEY,
      port: 8787,
      host: '127.0.0.1',
    });
    assert.deepEqual(
      proxyOptionsFromEnv({
        MEETERGO_API_KEY: KEY,
        MEETERGO_API_URL: 'http://127.0.0.1:9999',
        PORT: '3000',
        HOST: '0.0.0.0',
        ALLOWED_ORIGINS: 'https://a.example, https://b.example,',
        ALLOWED_USER_IDS: `${USER},${OTHER_USER}`,
        ALLOWED_MEETING_TYPE_IDS: TYPE,
        RATE_LIMIT_PER_MINUTE: '0',
        TRUST_PROXY: 'cf-connecting-ip',
      }),
      {
        apiKey: KEY,
        port: 3000,
        host: '0.0.0.0',
        upstreamUrl: 'http://127.0.0.1:9999',
        allowedOrigins: ['https://a.example', 'https://b.example'],
        allowedUserIds: [USER, OTHER_USER],
        allowedMeetingTypeIds: [TYPE],
        rateLimitPerMinute: 0,
        trustProxy: 'cf-connecting-ip',
      },
    );
  });

  const badEnv: [string, ProxyEnv, RegExp][] = [
    ['no key', {}, /MEETERGO_API_KEY is not set/],
    ['a blank key', { MEETERGO_API_KEY: '  ' }, /MEETERGO_API_KEY is not set/],
    ['a bad PORT', { MEETERGO_API_KEY: KEY, PORT: 'http' }, /PORT must be an integer/],
    ['a PORT too high', { MEETERGO_API_KEY: KEY, PORT: '70000' }, /PORT must be/],
    ['a bad rate', { MEETERGO_API_KEY: KEY, RATE_LIMIT_PER_MINUTE: '-1' }, /RATE_LIMIT_PER_MINUTE/],
  ];
  for (const [name, env, message] of badEnv) {
    it(`refuses ${name}`, () => {
      assert.throws(() => proxyOptionsFromEnv(env), message);
    });
  }

  it('refuses values the proxy cannot use when the server starts', async () => {
    const start = (env: ProxyEnv) =>
      startProxyServer({ MEETERGO_API_KEY: KEY, PORT: '0', ...env }, { logger: () => undefined });
    await assert.rejects(start({ ALLOWED_ORIGINS: 'shop.example' }), /not an origin/);
    await assert.rejects(start({ ALLOWED_USER_IDS: 'john' }), /not a UUID/);
    await assert.rejects(start({ MEETERGO_API_URL: 'api.meetergo.com' }), /MEETERGO_API_URL/);
    await assert.rejects(start({ TRUST_PROXY: 'x forwarded for' }), /TRUST_PROXY/);
  });
});

describe('proxy server: the meetergo-slots-proxy CLI', () => {
  const cli = (env: ProxyEnv) =>
    spawn(process.execPath, ['--import', 'tsx', 'src/proxy/cli.ts'], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('prints its URL, serves, logs without the key, and exits 0 on SIGTERM', async () => {
    const upstream = await listen(meetergo);
    const child = cli({ MEETERGO_API_KEY: KEY, MEETERGO_API_URL: upstream.url, PORT: '0' });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        const match = /meetergo-slots proxy listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(
          stdout,
        );
        if (match) resolve(match[1]);
      });
      child.on('exit', () => reject(new Error(`exited early: ${stdout} ${stderr}`)));
    });
    // The process reads the machine's clock (nothing injects time into a child process), so the
    // range is a week from its today; the upstream's answer is the same for any range.
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const response = await raw(url, windowsPath(`startDate=${day(1)}&endDate=${day(7)}`));
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(response.text).windows, []);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.match(stdout, /GET \/v4\/user\/:userId\/bookable-windows 200 \d+ms/);
    assert.ok(!stdout.includes(KEY) && !stderr.includes(KEY));
    assert.ok(!stdout.includes('startDate'));
  });

  it('refuses to start without MEETERGO_API_KEY, saying why', async () => {
    const child = cli({ PORT: '0' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.notEqual(code, 0);
    assert.match(stderr, /MEETERGO_API_KEY is not set/);
  });
});
