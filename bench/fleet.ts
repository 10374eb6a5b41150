// `npm run bench -- fleet`: a proxy fleet on one API key. K proxy processes (the ready server,
// `REDIS_URL` set) share one real redis-server; the stand-in of meetergo's API, enforcing
// meetergo's 100 requests a minute with 429s, is their upstream over HTTP; viewers in 12 zones
// on 3 pages of H hosts send 6,000 requests in about a minute. Everything on 127.0.0.1.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { toNodeHandler } from '../src/proxy/node.js';
import { createStandIn } from '../src/stand-in/index.js';
import { startRedisServer, type RedisServer } from '../test/redis-server.js';
import { num, percentile, printTable } from './measure.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const config = {
  /** Proxy processes. */
  instances: Number(process.env.FLEET_INSTANCES ?? 4),
  /** Hosts created in the stand-in (plus one for the 12-zone check). */
  hosts: Number(process.env.FLEET_HOSTS ?? 200),
  /** Viewer requests, spread evenly over `seconds`. */
  requests: Number(process.env.FLEET_REQUESTS ?? 6000),
  seconds: Number(process.env.FLEET_SECONDS ?? 60),
  pages: 3,
  /** The fleet's budget (the proxy's default) and meetergo's limit the stand-in enforces. */
  upstreamPerMinute: 90,
  meetergoPerMinute: 100,
};

const ZONES = [
  'Pacific/Honolulu',
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Africa/Nairobi',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];
const API_KEY = 'bench-fleet-key-7f3a9c';
/** How long the proxy keeps a looked-up booking URL (src/proxy/upstream.ts). */
const LOOKUP_TTL_MINUTES = 60;
const MINUTE = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A seeded pseudo-random source, so every run asks for the same sequence. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function today(zone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
}
function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The element's request for `page` (0 = this week) in `zone`: 7 days, padded by a day each side. */
function viewerPath(userId: string, zone: string, page: number): string {
  const first = addDays(today(zone), 7 * page);
  const query = new URLSearchParams({
    startDate: addDays(first, -1),
    endDate: addDays(first, 7),
    timezone: zone,
  });
  return `/v4/user/${userId}/bookable-windows?${query}`;
}

/** meetergo's limit per key: `perMinute` in any rolling minute, then 429 with its body. */
function meetergoLimit(perMinute: number): (at: number) => Response | undefined {
  const taken: number[] = [];
  return (at) => {
    while (taken.length > 0 && taken[0]! <= at - MINUTE) taken.shift();
    if (taken.length < perMinute) {
      taken.push(at);
      return undefined;
    }
    const retryAfter = Math.max(1, Math.ceil((taken[0]! + MINUTE - at) / 1000));
    return Response.json(
      { statusCode: 429, message: 'ThrottlerException: Too Many Requests' },
      { status: 429, headers: { 'Retry-After': String(retryAfter) } },
    );
  };
}

interface UpstreamCall {
  at: number;
  kind: 'windows' | 'meeting-types' | 'other';
  userId: string;
  status: number;
}

interface Answer {
  sentAt: number;
  doneAt: number;
  host: number;
  /** The request's days: requests with the same days are cut from the same blocks, in any zone. */
  days: string;
  status: number;
  cache: string;
  age: number | undefined;
  ms: number;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** One proxy process: the ready server (`src/proxy/cli.ts`) with `REDIS_URL`. */
async function startProxy(
  upstreamUrl: string,
  redisUrl: string,
  notes: string[],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/proxy/cli.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      MEETERGO_API_KEY: API_KEY,
      MEETERGO_API_URL: upstreamUrl,
      REDIS_URL: redisUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      // Every viewer comes from 127.0.0.1 here: no per-client limit.
      RATE_LIMIT_PER_MINUTE: '0',
      UPSTREAM_PER_MINUTE: String(config.upstreamPerMinute),
      PROXY_INSTANCES: String(config.instances),
    },
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk).slice(-2000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a proxy did not start: ${output}`)), 30_000);
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk).slice(-4000);
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        // Its request log is read and dropped; anything else it says is kept for the notes.
        let rest = '';
        child.stdout.on('data', (more: Buffer) => {
          const lines = (rest + more).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) if (!/^(GET|HEAD|OPTIONS) /.test(line)) notes.push(line);
        });
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a proxy exited (${code}) before listening: ${output}`));
    });
  });
  return { url, child };
}

async function stopProxy(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
  await exited;
  clearTimeout(timer);
}

type FromUpstream = { url: string; userIds: string[] } | { calls: UpstreamCall[] };

/**
 * The upstream process (this file, run with FLEET_ROLE=upstream): the stand-in over HTTP on
 * 127.0.0.1 with `hosts` hosts, behind meetergo's limit, recording every call with the time it
 * arrived. Its own process, so the load generator's work never delays those times.
 */
async function serveUpstream(hosts: number): Promise<void> {
  const started = performance.now();
  const server = createServer();
  const url = await listen(server);
  const standIn = createStandIn({ baseUrl: url });
  const limited = meetergoLimit(config.meetergoPerMinute);
  const userIds: string[] = [];
  for (let i = 0; i < hosts; i++) {
    const response = await standIn.fetch(`${url}/v4/user`, {
      method: 'POST',
      headers: { Authorization: 'Bearer bench-admin', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        email: `host-${i}@example.com`,
        givenName: 'Host',
        familyName: `Number ${i}`,
        timezone: ZONES[i % ZONES.length],
      }),
    });
    const body = (await response.json()) as { userId?: string };
    if (response.status !== 201 || typeof body.userId !== 'string') {
      throw new Error(`bench: creating host ${i} answered ${response.status}`);
    }
    userIds.push(body.userId);
  }
  const calls: UpstreamCall[] = [];
  server.on(
    'request',
    toNodeHandler(async (request: Request) => {
      const at = performance.now() - started;
      const { pathname } = new URL(request.url);
      const response = limited(at) ?? (await standIn.fetch(request));
      const kind = pathname.endsWith('/bookable-windows')
        ? 'windows'
        : pathname === '/v4/meeting-type'
          ? 'meeting-types'
          : 'other';
      const userId =
        /\/v4\/user\/([^/]+)\//.exec(pathname)?.[1] ??
        request.headers.get('x-meetergo-api-user-id') ??
        '';
      calls.push({ at, kind, userId, status: response.status });
      return response;
    }),
  );
  const send = (message: FromUpstream) => process.send?.(message);
  send({ url, userIds });
  process.on('message', () => send({ calls }));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

async function startUpstream(hosts: number): Promise<{
  url: string;
  userIds: string[];
  child: ChildProcess;
  calls(): Promise<UpstreamCall[]>;
}> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: { PATH: process.env.PATH, FLEET_ROLE: 'upstream', FLEET_UPSTREAM_HOSTS: String(hosts) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk).slice(-2000)));
  const next = () =>
    new Promise<FromUpstream>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bench: the upstream is silent: ${output}`)),
        60_000,
      );
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message as FromUpstream);
      });
    });
  const ready = await next();
  if (!('url' in ready)) throw new Error('bench: the upstream did not start');
  return {
    ...ready,
    child,
    async calls() {
      const answer = next();
      child.send('report');
      const report = await answer;
      return 'calls' in report ? report.calls : [];
    },
  };
}

if (process.env.FLEET_ROLE === 'upstream') {
  await serveUpstream(Number(process.env.FLEET_UPSTREAM_HOSTS));
}

export default async function fleet(): Promise<void> {
  const started = performance.now();
  const clock = () => performance.now() - started;
  let redis: RedisServer | undefined;
  const proxies: ChildProcess[] = [];
  let upstream: ChildProcess | undefined;
  const agents: Agent[] = [];
  const notes: string[] = [];
  try {
    // ── The upstream: the stand-in in a process of its own, counting every call it gets. ──
    const standIn = await startUpstream(config.hosts + 1);
    upstream = standIn.child;
    const { url: upstreamUrl, userIds } = standIn;

    // ── Redis and the fleet. ──
    redis = await startRedisServer();
    const fleetUrls = await Promise.all(
      Array.from({ length: config.instances }, async () => {
        const proxy = await startProxy(upstreamUrl, redis!.url, notes);
        proxies.push(proxy.child);
        return proxy.url;
      }),
    );
    const ports = fleetUrls.map((url) => Number(new URL(url).port));
    for (let i = 0; i < ports.length; i++) {
      agents.push(new Agent({ keepAlive: true, maxSockets: 64 }));
    }

    const get = (instance: number, path: string) =>
      new Promise<{ status: number; cache: string; age: number | undefined }>((resolve) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: ports[instance], path, agent: agents[instance] },
          (res) => {
            res.resume();
            res.on('end', () => {
              const age = res.headers.age === undefined ? undefined : Number(res.headers.age);
              resolve({
                status: res.statusCode ?? 0,
                cache: String(res.headers['x-cache'] ?? '-'),
                age,
              });
            });
            res.on('error', () => resolve({ status: 0, cache: '-', age: undefined }));
          },
        );
        req.setTimeout(20_000, () => req.destroy());
        req.on('error', () => resolve({ status: 0, cache: '-', age: undefined }));
        req.end();
      });

    // ── 1. Twelve zones viewing one page of one host, at once, across the fleet. ──
    const lone = userIds[config.hosts]!;
    const zoneAnswers = await Promise.all(
      ZONES.map((zone, i) => get(i % config.instances, viewerPath(lone, zone, 0))),
    );
    await sleep(500); // a lookup that was started answers nobody; let it land

    // ── 2. 6,000 viewer requests in about a minute. ──
    const next = random(2026);
    const answers: Answer[] = [];
    const pending: Promise<void>[] = [];
    const spacing = (config.seconds * 1000) / config.requests;
    const loadStart = clock();
    for (let i = 0; i < config.requests; i++) {
      const due = loadStart + i * spacing;
      const wait = due - clock();
      if (wait > 2) await sleep(wait);
      const host = Math.floor(next() * config.hosts);
      const zone = ZONES[Math.floor(next() * ZONES.length)]!;
      const page = Math.floor(next() * config.pages);
      const instance = i % config.instances;
      const path = viewerPath(userIds[host]!, zone, page);
      const days = new URL(path, 'http://x').searchParams.get('startDate') ?? '';
      const sentAt = clock();
      pending.push(
        get(instance, path).then((answer) => {
          const doneAt = clock();
          answers.push({ sentAt, doneAt, host, days, ...answer, ms: doneAt - sentAt });
        }),
      );
    }
    await Promise.all(pending);
    const loadSeconds = (clock() - loadStart) / 1000;

    // ── The API key is never in Redis (keys or values). ──
    const client = createClient({ url: redis.url });
    client.on('error', () => {});
    await client.connect();
    let keyInRedis = 0;
    let redisKeys = 0;
    for await (const keys of client.scanIterator({ COUNT: 500 })) {
      for (const key of keys) {
        redisKeys++;
        const type = await client.type(key);
        const value =
          type === 'string'
            ? ((await client.get(key)) ?? '')
            : type === 'zset'
              ? (await client.zRange(key, 0, -1)).join(' ')
              : '';
        if (key.includes(API_KEY) || value.includes(API_KEY)) keyInRedis++;
      }
    }
    client.destroy();

    // ── Figures. ──
    const calls = await standIn.calls();
    const zoneCalls = calls.filter((call) => call.userId === lone);
    const times = calls.map((call) => call.at).sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= MINUTE) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    const upstream429 = calls.filter((call) => call.status === 429).length;
    const byKind = (kind: UpstreamCall['kind']) => calls.filter((c) => c.kind === kind).length;
    const windowCalls = calls.filter((call) => call.kind === 'windows' && call.status === 200);
    const blocksPerHost =
      new Set(windowCalls.map((call) => call.userId)).size === 0
        ? 0
        : windowCalls.length / new Set(windowCalls.map((call) => call.userId)).size;

    const byStatus = new Map<string, number>();
    for (const answer of answers) {
      const label =
        answer.status === 200
          ? `200 ${answer.cache}`
          : answer.status === 0
            ? 'no answer'
            : String(answer.status);
      byStatus.set(label, (byStatus.get(label) ?? 0) + 1);
    }
    // A viewer 5xx counts against the fleet once the same days of its host had been answered.
    const firstOk = new Map<string, number>();
    for (const answer of [...answers].sort((a, b) => a.doneAt - b.doneAt)) {
      const key = `${answer.host}:${answer.days}`;
      if (answer.status === 200 && !firstOk.has(key)) firstOk.set(key, answer.doneAt);
    }
    const lateErrors = answers.filter((answer) => {
      const ok = firstOk.get(`${answer.host}:${answer.days}`);
      return (
        (answer.status >= 500 || answer.status === 0) && ok !== undefined && answer.sentAt > ok
      );
    }).length;
    const served = answers.filter((answer) => answer.status === 200);
    const ages = served.map((answer) => answer.age ?? 0).sort((a, b) => a - b);
    const latencies = answers.map((answer) => answer.ms).sort((a, b) => a - b);
    const hostsServed = new Set(served.map((answer) => answer.host)).size;

    printTable(
      `5. Fleet: ${config.instances} proxy processes (REDIS_URL, one redis-server), ` +
        `${config.hosts} hosts, viewers in ${ZONES.length} zones on ${config.pages} pages, ` +
        `the stand-in enforcing ${config.meetergoPerMinute}/min as upstream (all on 127.0.0.1)`,
      ['figure', 'value', 'target'],
      [
        [`12 zones viewing one page of a fresh host, at once, across the fleet`],
        [
          '  upstream calls (windows + meeting types)',
          `${zoneCalls.length} (${zoneCalls.filter((c) => c.kind === 'windows').length} + ${zoneCalls.filter((c) => c.kind === 'meeting-types').length})`,
          '≤ 2',
        ],
        [
          '  viewer answers 200',
          `${zoneAnswers.filter((a) => a.status === 200).length} of 12`,
          '12',
        ],
        [`${num(config.requests)} viewer requests in ${num(loadSeconds, 1)} s`],
        ['  upstream calls, busiest rolling minute', num(busiest), `≤ ${config.upstreamPerMinute}`],
        [
          '  upstream calls in all (windows / meeting types / other)',
          `${num(calls.length)} (${byKind('windows')} / ${byKind('meeting-types')} / ${byKind('other')})`,
          '',
        ],
        ['  upstream 429s', num(upstream429), '0'],
        ...[...byStatus.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([label, count]) => [`  viewer answers ${label}`, num(count), '']),
        ['  viewer 5xx once those days of that host were answered', num(lateErrors), '0'],
        ['  hosts with an answer by the end', `${hostsServed} of ${config.hosts}`, ''],
        [
          '  staleness (Age) of answers, p50 / p99 s',
          `${num(percentile(ages, 50))} / ${num(percentile(ages, 99))}`,
          '',
        ],
        [
          '  viewer latency p50 / p99 ms',
          `${num(percentile(latencies, 50), 1)} / ${num(percentile(latencies, 99), 1)}`,
          '',
        ],
        ['  Redis keys / holding the API key', `${redisKeys} / ${keyInRedis}`, '… / 0'],
      ],
    );

    // ── On paper, from those figures. ──
    const perHour = config.upstreamPerMinute * 60;
    const blocks = blocksPerHost || 2;
    const rows = [50, config.hosts, 1000, 5000].map((hosts) => {
      // Booking URL lookups: one per host an hour (the proxy's TTL), before any block.
      const forBlocks = config.upstreamPerMinute - hosts / LOOKUP_TTL_MINUTES;
      const refreshMinutes = Math.max(1, (hosts * blocks) / forBlocks);
      const warmMinutes = (hosts * (blocks + 1)) / config.upstreamPerMinute;
      return [
        `  ${num(hosts)} hosts`,
        forBlocks > 0 ? `${num(refreshMinutes, 1)} min` : 'never (lookups alone spend the budget)',
        `${num(warmMinutes, 1)} min`,
        num((config.requests / loadSeconds) * 3600),
      ];
    });
    printTable(
      `On paper: one key's ${config.upstreamPerMinute} calls a minute (${num(perHour)} an hour), ` +
        `${num(blocks, 2)} blocks per host for ${config.pages} pages (measured), one meeting-type call per host an hour`,
      ['hosts', 'freshest refresh', 'cold start to all warm', 'viewer req/h at this bench’s rate'],
      rows,
    );
    console.log(
      'A cache hit costs no upstream call, so the viewer requests an hour one key serves are bounded ' +
        'by the proxies, not by the key; the key bounds how fresh H hosts can be kept ' +
        `(H × ${num(blocks, 2)} blocks ÷ (${config.upstreamPerMinute} − H ÷ ${LOOKUP_TTL_MINUTES} lookups) a minute) and how long a cold fleet takes to warm. ` +
        `Fleet bench took ${num((performance.now() - started) / 1000, 1)} s.`,
    );
    const said = new Map<string, number>();
    for (const note of notes) said.set(note, (said.get(note) ?? 0) + 1);
    for (const [note, times] of said) console.log(`Note: the proxies said (${times}×): ${note}`);
  } finally {
    for (const agent of agents) agent.destroy();
    await Promise.all(proxies.map(stopProxy));
    if (upstream !== undefined) await stopProxy(upstream);
    await redis?.close();
  }
}
