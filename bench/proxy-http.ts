// `npm run bench -- proxy-http`: the proxy over HTTP on 127.0.0.1. Cache-hit throughput and
// p50/p99 of the Node adapter in this package against a bare `node:http` server sending the same
// bytes, against srvx's `toNodeHandler` (a well-kept zero-dependency adapter) and against our
// adapter's generic Request/Response path, all in one run, taking turns; then cache misses, and
// the cost of a new client in the rate limiter's table, empty and full. Bounded; writes nothing.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toNodeHandler as srvxToNodeHandler } from 'srvx/node';
import { RateLimiter } from '../src/proxy/cache.js';
import { createMeetergoProxy, type MeetergoProxyFetch } from '../src/proxy/index.js';
import { toNodeHandler } from '../src/proxy/node.js';
import {
  num,
  printTable,
  ratio,
  sig,
  summarize,
  timeSync,
  type LoadResult,
  type LoadRun,
} from './measure.js';

const USER = '550e8400-e29b-41d4-a716-446655440000';
const DAY_MS = 86_400_000;
const REQUESTS = 8000;
const CONCURRENCY = 32;
const ROUNDS = 8;
const WARMUP = 300;

const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

/** meetergo, answering at once: a slot every hour of the days asked (16 for a block). */
const upstream: MeetergoProxyFetch = async (request) => {
  const url = new URL(request.url);
  let text = '[]';
  if (url.pathname !== '/v4/meeting-type') {
    const from = Date.parse(`${url.searchParams.get('startDate')}T00:00:00Z`);
    const to = Date.parse(`${url.searchParams.get('endDate')}T00:00:00Z`) + DAY_MS;
    const windows: string[] = [];
    for (let t = from; t < to; t += 3_600_000) {
      windows.push(new Date(t).toISOString().replace('.000Z', 'Z'));
    }
    text = JSON.stringify({ windows });
  }
  return new Response(text, { status: 200, headers: { 'Content-Type': 'application/json' } });
};
const options = {
  apiKey: 'bench-key-0123456789',
  upstreamUrl: 'http://127.0.0.1:9', // never contacted: `fetch` is injected
  fetch: upstream,
  rateLimitPerMinute: 0,
  upstreamPerMinute: 1_000_000,
};

/** A week page in Berlin as the element asks for it: the days, padded by one. */
const warmPath = `/v4/user/${USER}/bookable-windows?startDate=${day(2)}&endDate=${day(10)}&timezone=Europe%2FBerlin`;
/** A host nobody asked for before (user `…-{n}`): every request is a cache miss. */
const coldPath = `/v4/user/550e8400-e29b-41d4-a716-{n}/bookable-windows?startDate=${day(2)}&endDate=${day(10)}`;

/**
 * The load client, in a process of its own (so the servers' CPU time is theirs alone): it runs
 * `load()` of bench/measure.ts for each message and answers with the run.
 */
function startClient() {
  const measure = new URL('./measure.ts', import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `const { load } = await import(${JSON.stringify(measure)});
      let n = 0;
      process.on('message', async ({ url, path, total, concurrency }) => {
        const next = () => path.replace('{n}', String(n++).padStart(12, '0'));
        process.send(await load(url, next, total, concurrency));
      });
      process.on('disconnect', () => process.exit(0));
      process.send('ready');`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      if (exited) reject(new Error('bench: the load client exited'));
      child.once('message', resolve);
    });
  const ready = next();
  return {
    ready,
    /** One run; also the servers' CPU time (this process) per request during it, in µs. */
    async run(url: string, path: string, total: number) {
      const before = process.cpuUsage();
      child.send({ url, path, total, concurrency: CONCURRENCY });
      const result = (await next()) as LoadRun;
      const cpu = process.cpuUsage(before);
      return { result, cpuUs: (cpu.user + cpu.system) / total };
    },
    stop: () => child.disconnect(),
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

export default async function proxyHttp(): Promise<void> {
  const probe = createMeetergoProxy(options);
  const first = await probe(new Request(`http://127.0.0.1${warmPath}`));
  const body = Buffer.from(await first.arrayBuffer());
  const sameHeaders: string[] = [];
  first.headers.forEach((value, name) => sameHeaders.push(name, value));
  sameHeaders.push('content-length', String(body.length));
  if (first.status !== 200) throw new Error(`bench: the proxy answered ${first.status}: ${body}`);

  const ours = createMeetergoProxy(options);
  const generic = createMeetergoProxy(options);
  const srvxProxy = createMeetergoProxy(options);
  const listeners: Record<string, RequestListener> = {
    // The same bytes: the proxy's answer, its headers included (as one answer had them).
    bare: (_req, res) => {
      res.writeHead(200, sameHeaders).end(body);
    },
    ours: toNodeHandler(ours),
    // The same adapter without the shortcut: a fetch Request in, a Response out.
    generic: toNodeHandler((request, info) => generic(request, info)),
    srvx: srvxToNodeHandler((request: Request) => srvxProxy(request)) as RequestListener,
    cold: toNodeHandler(createMeetergoProxy(options)),
  };
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  const runs: Record<string, LoadRun[]> = {};
  const cpu: Record<string, number[]> = {};
  const names = ['bare', 'ours', 'srvx', 'generic', 'cold'] as const;
  const results = {} as Record<(typeof names)[number], LoadResult & { cpuUs: number }>;
  const client = startClient();
  try {
    await client.ready;
    for (const name of names) {
      const server = createServer(listeners[name]);
      servers.push(server);
      urls[name] = await listen(server);
      runs[name] = [];
      cpu[name] = [];
    }
    const pathOf = (name: string) => (name === 'cold' ? coldPath : warmPath);
    for (const name of names) await client.run(urls[name], pathOf(name), WARMUP);
    // The cases take turns in rounds, so a busy machine slows each alike.
    // The hit cases start each turn in another order; misses (which leave refreshes and
    // lookups behind) come last.
    const hits = names.filter((name) => name !== 'cold');
    for (let round = 0; round < ROUNDS; round += 1) {
      const shift = round % hits.length;
      for (const name of [...hits.slice(shift), ...hits.slice(0, shift), 'cold' as const]) {
        const { result, cpuUs } = await client.run(urls[name], pathOf(name), REQUESTS / ROUNDS);
        runs[name].push(result);
        cpu[name].push(cpuUs);
        // What a turn leaves running (refreshes, lookups, GC) ends before the next is measured.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    for (const name of names) {
      const mean = cpu[name].reduce((sum, us) => sum + us, 0) / cpu[name].length;
      results[name] = { ...summarize(runs[name]), cpuUs: mean };
    }
  } finally {
    client.stop();
    for (const server of servers) await close(server);
  }

  // The rate limiter: a new client in an empty table and in a full one (10,000 clients, all
  // inside their minute, so every newcomer evicts the oldest).
  const empty = new RateLimiter(60);
  const full = new RateLimiter(60);
  for (let i = 0; i < 10_000; i += 1) full.take(`full-${i}`, 1000);
  let n = 0;
  const limiter = await timeSync({
    empty: () => empty.take(`new-${n++}`, 1000 + n * 60_000),
    full: () => full.take(`new-${n++}`, 2000),
  });

  const bare = results.bare;
  const row = (name: string, x: LoadResult & { cpuUs: number }, baseline = false) => [
    name,
    sig(x.cpuUs),
    num(x.rps),
    sig(x.p50),
    sig(x.p99),
    baseline
      ? ''
      : `CPU ${ratio(x.cpuUs, bare.cpuUs)} · req/s ${ratio(x.rps, bare.rps).replace('×', '')}× · ` +
        `p50 ${ratio(x.p50, bare.p50)} · p99 ${ratio(x.p99, bare.p99)}`,
  ];
  printTable(
    `Proxy over HTTP (127.0.0.1, keep-alive, ${num(REQUESTS)} requests per case in ${ROUNDS} turns, ` +
      `${CONCURRENCY} in flight; the client in a process of its own; ${num(body.length)} B answer). ` +
      'Server CPU per request is what bounds a busy server: its ratio to [H] is the inverse of ' +
      'the throughput ratio at saturation (mean over the turns).',
    ['case', 'server CPU µs/req', 'req/s', 'p50 ms', 'p99 ms', 'vs [H]'],
    [
      row('[H] baseline: bare node:http sending the same bytes (headers and body)', bare, true),
      row('cache hit: toNodeHandler (this package, direct write)', results.ours),
      row("cache hit: srvx's toNodeHandler (Request/Response)", results.srvx),
      row('cache hit: toNodeHandler, generic Request/Response path', results.generic),
      row('cache miss: a new host per request (upstream injected)', results.cold),
    ],
  );
  // Throughput at saturation, relative to bare node:http: its CPU per request over ours.
  const share = (x: { cpuUs: number }) => bare.cpuUs / x.cpuUs;
  const kept = share(results.ours) >= share(results.srvx) ? 'this package' : 'srvx';
  console.log(
    `Node adapter kept: ${kept}'s (cache-hit throughput at saturation ${num(share(results.ours), 2)}× ` +
      `bare node:http, srvx ${num(share(results.srvx), 2)}×; target ≥ 0.8×).`,
  );
  printTable(
    'Rate limiter: one new client (median of interleaved batches)',
    ['table', 'µs/new client', 'ops/s', '× empty'],
    [
      ['empty', sig(limiter.empty.us), num(limiter.empty.ops), ''],
      [
        'full (10,000 clients in their minute)',
        sig(limiter.full.us),
        num(limiter.full.ops),
        ratio(limiter.full.us, limiter.empty.us),
      ],
    ],
  );
  const failures = names.reduce((sum, name) => sum + results[name].failures, 0);
  if (failures > 0) console.log(`Note: ${failures} HTTP answers were not 200.`);
}

// Run directly (`node --import tsx bench/proxy-http.ts`) as well as from bench/run.ts.
if (import.meta.url === `file://${process.argv[1]}`) await proxyHttp();
