/**
 * The reference proxy: a fetch-standard handler that answers
 * `GET {basePath}/v4/user/{userId}/bookable-windows` from meetergo's API with the API key
 * added, and nothing else. No Node APIs here, so it runs in Node, Workers, Deno, Bun and
 * Next.js route handlers alike. This file wires the parts: options, request, upstream, blocks.
 */
import { DAY_MS, isUuid } from '../protocol.js';
import { Blocks, type Block, type CacheState, type Failure } from './blocks.js';
import { ByteCache, RateLimiter } from './cache.js';
import { resolveOptions, type MeetergoProxyOptions } from './options.js';
import {
  clientOf,
  corsHeaders,
  matchRoute,
  parseQuery,
  type ProxyRequest,
  type Query,
} from './request.js';
import { SharedStore } from './shared.js';
import { BookingUrls, makeLeakCheck } from './upstream.js';

export type { MeetergoProxyFetch, MeetergoProxyOptions } from './options.js';
export type { MemoryStoreOptions, ProxyStore, StoredBlock } from './store.js';
export { BUDGET_WINDOW_MS, memoryStore } from './store.js';

/** What the runtime knows about the request beyond the `Request` itself. */
export interface MeetergoProxyRequestInfo {
  /** The peer's address (e.g. Node's `req.socket.remoteAddress`); the rate limit's client. */
  clientAddress?: string;
}

/** Answers one request. Never rejects. */
export type MeetergoProxyHandler = (
  request: Request,
  info?: MeetergoProxyRequestInfo,
) => Promise<Response>;

/** An answer before it becomes a `Response` (the Node adapter writes it out directly). */
export interface ProxyAnswer {
  status: number;
  /** Header names and values, alternating (`['Content-Type', 'application/json', …]`). */
  headers: string[];
  /** The body, also for `HEAD` (its length is the answer's `Content-Length`). */
  body: Uint8Array | null;
  /** An answer to `HEAD`: send no body. */
  head: boolean;
}

/** Where a handler made here keeps its runtime-neutral core, for the Node adapter. */
export const PROXY_CORE: unique symbol = Symbol.for('meetergo-slots.proxy.core');
export type ProxyCore = (request: ProxyRequest) => ProxyAnswer | Promise<ProxyAnswer>;
export type { ProxyRequest } from './request.js';

const ALLOW = 'GET, HEAD, OPTIONS';
/** The one 404 body: unknown paths, allowlist misses and upstream 404s are indistinguishable. */
const NOT_FOUND = JSON.stringify({ statusCode: 404, message: 'Not found' });
const HEALTHY = JSON.stringify({ ok: true });
/** Longest a cache-miss answer waits for a booking URL lookup that is still running. */
const BOOKING_URL_GRACE_MS = 100;
const encoder = new TextEncoder();

/** What one request came to; `answer()` turns each kind into its one fixed answer. */
type Outcome =
  | { kind: 'ok'; body: Uint8Array; cache: CacheState; age: number }
  | { kind: 'limited'; retryAfter: number }
  | Failure;

/** Per-request facts for the answer and its log line. */
interface Context {
  requestId: string;
  head: boolean;
  /** The `Cache-Control` of a windows answer. */
  cacheControl: string;
  /** CORS header names and values, alternating. */
  cors: readonly string[];
  route: string;
  notes: string[];
}

/** The first index of sorted `times` at or after `time`. */
function lowerBound(times: number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle] < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** An answer with the headers every answer carries (`no-store` unless `extra` says otherwise). */
function respond(
  context: Context,
  status: number,
  body: string | Uint8Array | null,
  extra: Record<string, string> = {},
): ProxyAnswer {
  const headers = context.cors.slice();
  headers.push('X-Request-Id', context.requestId, 'X-Content-Type-Options', 'nosniff');
  if (extra['Cache-Control'] === undefined) headers.push('Cache-Control', 'no-store');
  if (body !== null) headers.push('Content-Type', 'application/json; charset=utf-8');
  for (const name in extra) headers.push(name, extra[name]);
  const bytes = body === null || typeof body !== 'string' ? body : encoder.encode(body);
  return { status, headers, body: bytes, head: context.head };
}

/** A JSON error; 5xx ones name the request id. */
function error(
  context: Context,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): ProxyAnswer {
  const body: Record<string, unknown> = { statusCode: status, message };
  if (status >= 500) body.requestId = context.requestId;
  return respond(context, status, JSON.stringify(body), headers);
}

/** The one fixed answer of each outcome. */
function answer(context: Context, outcome: Outcome): ProxyAnswer {
  switch (outcome.kind) {
    case 'ok':
      context.notes.push(`cache=${outcome.cache.toLowerCase()}`);
      return respond(context, 200, outcome.body, {
        'Cache-Control': context.cacheControl,
        'CDN-Cache-Control': context.cacheControl,
        'X-Cache': outcome.cache,
        Age: String(outcome.age),
      });
    case 'not-found':
      return respond(context, 404, NOT_FOUND);
    case 'rate-limited':
      return error(context, 429, 'meetergo is rate limiting requests; try again later', {
        'Retry-After': String(outcome.retryAfter),
      });
    case 'limited':
      return error(context, 429, 'Too many requests; try again later', {
        'Retry-After': String(outcome.retryAfter),
      });
    case 'budget':
      return error(
        context,
        503,
        `The proxy's share of meetergo's rate limit is spent; try again shortly (request id ${context.requestId})`,
        { 'Retry-After': String(outcome.retryAfter) },
      );
    case 'timeout':
      return error(
        context,
        504,
        `meetergo did not answer in time (request id ${context.requestId})`,
      );
    case 'bad-gateway':
      return error(
        context,
        502,
        `meetergo could not be reached or gave an unusable answer (request id ${context.requestId})`,
      );
  }
}

/**
 * The answer's body: the windows of the requested days, padded by one for any zone, cut from
 * their blocks, at most `max` of them, the earliest (memoized by request, block ages and
 * booking URL).
 */
function windowsBody(
  answers: ByteCache<{ version: string; body: Uint8Array }>,
  query: Query,
  served: Block[],
  bookingUrl: string | undefined,
  max: number,
): Uint8Array {
  const key = `${query.userId}|${query.meetingTypeId ?? ''}|${query.start}|${query.end}`;
  let version = bookingUrl ?? '';
  for (const block of served) version += `|${block.fetchedAt}`;
  const memo = answers.get(key);
  if (memo !== undefined && memo.version === version) return memo.body;
  const from = (query.start - 1) * DAY_MS;
  const to = (query.end + 2) * DAY_MS;
  const windows: string[] = [];
  for (const block of served) {
    const first = lowerBound(block.times, from);
    const last = lowerBound(block.times, to);
    for (let i = first; i < last && windows.length < max; i += 1) windows.push(block.windows[i]);
  }
  const out: { windows: string[]; bookingUrl?: string } = { windows };
  if (bookingUrl !== undefined) out.bookingUrl = bookingUrl;
  const body = encoder.encode(JSON.stringify(out));
  answers.set(key, { version, body }, body.byteLength + version.length * 2);
  return body;
}

/** The age in seconds of the oldest block an answer is cut from. */
function ageOf(served: Block[], now: number): number {
  let oldest = now;
  for (const block of served) oldest = Math.min(oldest, block.fetchedAt);
  return Math.max(0, Math.floor((now - oldest) / 1000));
}

/**
 * Creates the proxy handler. Throws a `TypeError` naming the problem when an option is wrong.
 *
 * ```ts
 * const handle = createMeetergoProxy({ apiKey: process.env.MEETERGO_API_KEY! });
 * const response = await handle(request, { clientAddress });
 * ```
 */
export function createMeetergoProxy(options: MeetergoProxyOptions): MeetergoProxyHandler {
  const config = resolveOptions(options);
  const { basePath, freshSeconds, staleSeconds } = config;
  const routeShape = `${basePath}/v4/user/:userId/bookable-windows`;
  const leaks = makeLeakCheck(config.apiKey);
  const keyPattern = new RegExp(config.apiKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  const redact = (text: string) => text.replace(keyPattern, '[redacted]');
  const log = (line: string) => {
    if (config.logger === undefined) return;
    try {
      config.logger(redact(line.replace(/[\r\n]/g, ' ')));
    } catch {
      // A failing logger must not fail the answer.
    }
  };
  const shared = new SharedStore(config.store, {
    timeoutMs: config.storeTimeoutMs,
    instances: config.instances,
    log,
    now: config.now,
    mirror: options.store !== undefined,
  });
  const blocks = new Blocks(config, shared);
  const bookingUrls = new BookingUrls(config, leaks, blocks.lookups());
  const limiter =
    config.rateLimitPerMinute > 0 ? new RateLimiter(config.rateLimitPerMinute) : undefined;
  /** Serialized answers by request, with the block ages and booking URL they were cut from. */
  const answers = new ByteCache<{ version: string; body: Uint8Array }>(8 << 20);
  const cacheControl =
    freshSeconds === 0
      ? 'no-store'
      : `public, max-age=0, s-maxage=${freshSeconds}, ` +
        `stale-while-revalidate=${staleSeconds}, stale-if-error=${staleSeconds}`;

  /** A request that needs the store or upstream. */
  async function slow(request: ProxyRequest, context: Context, query: Query): Promise<ProxyAnswer> {
    const served = await blocks.serve(query, () => {
      const wait =
        limiter === undefined ? 0 : limiter.take(clientOf(request, config), config.now());
      // This request leads an upstream call: a lookup still needed runs beside it.
      if (wait === 0) bookingUrls.peek(query.userId, query.meetingTypeId, config.now());
      return wait;
    });
    if (served.kind !== 'blocks') {
      if (served.kind === 'limited') context.notes.push('limited');
      else context.notes.push(`upstream=${served.upstream}`);
      return answer(context, served);
    }
    // Usually the store has it (another instance looked it up); a lookup upstream waits no more
    // than the grace.
    let booking = bookingUrls.peek(query.userId, query.meetingTypeId, config.now());
    if (!booking.known) {
      booking = await bookingUrls.wait(query.userId, query.meetingTypeId, BOOKING_URL_GRACE_MS);
    }
    const now = config.now();
    const body = windowsBody(
      answers,
      query,
      served.blocks,
      booking.known ? booking.url : undefined,
      config.maxWindows,
    );
    const outcome: Outcome = {
      kind: 'ok',
      body,
      cache: served.cache,
      age: ageOf(served.blocks, now),
    };
    const result = answer(context, outcome);
    if (served.upstream !== undefined) context.notes.push(`upstream=${served.upstream}`);
    return result;
  }

  function route(request: ProxyRequest, context: Context): ProxyAnswer | Promise<ProxyAnswer> {
    const target = matchRoute(request.target, config);
    const method = request.method;
    if (target.kind === 'health') {
      context.route = `${basePath}/healthz`;
      if (method !== 'GET' && method !== 'HEAD') {
        return error(context, 405, `Method ${method} not allowed`, { Allow: 'GET, HEAD' });
      }
      return respond(context, 200, HEALTHY);
    }
    if (target.kind === 'other') return respond(context, 404, NOT_FOUND);
    context.route = routeShape;

    if (method === 'OPTIONS') {
      const cors = corsHeaders(request, config);
      const preflight = request.header('access-control-request-method') !== null;
      if (preflight && !cors.allowed) return error(context, 403, 'Origin not allowed');
      const headers: Record<string, string> = { Allow: ALLOW };
      if (preflight) {
        headers['Access-Control-Allow-Methods'] = 'GET, HEAD';
        headers['Access-Control-Max-Age'] = '600';
      }
      return respond(context, 204, null, headers);
    }
    if (method !== 'GET' && method !== 'HEAD') {
      return error(context, 405, `Method ${method} not allowed`, { Allow: ALLOW });
    }

    const rawUserId = target.userId;
    if (!isUuid(rawUserId)) {
      return error(context, 400, 'userId in the path must be a UUID');
    }
    const userId = rawUserId.toLowerCase();
    if (config.allowedUserIds !== undefined && !config.allowedUserIds.has(userId)) {
      return respond(context, 404, NOT_FOUND);
    }
    const now = config.now();
    const parsed = parseQuery(userId, target.search, config, now);
    if (!parsed.ok) return error(context, 400, parsed.message);
    const { query } = parsed;
    if (
      config.allowedMeetingTypeIds !== undefined &&
      !config.allowedMeetingTypeIds.has(query.meetingTypeId ?? '')
    ) {
      return respond(context, 404, NOT_FOUND);
    }

    // The hot path: every block fresh in this process; no await, bytes cut once per version.
    const fresh = blocks.fresh(query, now);
    if (fresh !== undefined) {
      const booking = bookingUrls.peek(query.userId, query.meetingTypeId, now);
      const url = booking.known ? booking.url : undefined;
      const body = windowsBody(answers, query, fresh, url, config.maxWindows);
      return answer(context, { kind: 'ok', body, cache: 'HIT', age: ageOf(fresh, now) });
    }
    return slow(request, context, query);
  }

  function finish(
    request: ProxyRequest,
    context: Context,
    started: number,
    result: ProxyAnswer,
  ): ProxyAnswer {
    if (config.logger !== undefined) {
      const notes = context.notes.map((note) => ` ${note}`).join('');
      log(
        `${request.method} ${context.route} ${result.status} ${Date.now() - started}ms` +
          `${notes} id=${context.requestId}`,
      );
    }
    return result;
  }

  const core: ProxyCore = (request) => {
    const started = Date.now();
    const context: Context = {
      requestId: crypto.randomUUID(),
      head: false,
      cacheControl,
      cors: [],
      route: '(other)',
      notes: [],
    };
    const failed = (cause: unknown) => {
      context.notes.push(`internal=${cause instanceof Error ? cause.name : 'error'}`);
      return finish(
        request,
        context,
        started,
        error(context, 500, `Internal error (request id ${context.requestId})`),
      );
    };
    try {
      context.head = request.method === 'HEAD';
      context.cors = corsHeaders(request, config).headers;
      const result = route(request, context);
      if (result instanceof Promise) {
        return result.then((done) => finish(request, context, started, done), failed);
      }
      return finish(request, context, started, result);
    } catch (cause) {
      return failed(cause);
    }
  };

  const handler: MeetergoProxyHandler = async (request, info) => {
    let proxyRequest: ProxyRequest;
    try {
      const url = new URL(request.url);
      const headers = request.headers;
      proxyRequest = {
        method: request.method.toUpperCase(),
        target: url.pathname + url.search,
        header: (name) => headers.get(name),
        clientAddress: info?.clientAddress,
      };
    } catch {
      return toResponse({
        status: 400,
        headers: [
          'Content-Type',
          'application/json; charset=utf-8',
          'Cache-Control',
          'no-store',
          'X-Content-Type-Options',
          'nosniff',
        ],
        body: encoder.encode(JSON.stringify({ statusCode: 400, message: 'Not a request' })),
        head: false,
      });
    }
    return toResponse(await core(proxyRequest));
  };
  return Object.assign(handler, { [PROXY_CORE]: core });
}

function toResponse(answer: ProxyAnswer): Response {
  const headers = new Headers();
  const list = answer.headers;
  for (let i = 0; i < list.length; i += 2) headers.set(list[i], list[i + 1]);
  return new Response((answer.head ? null : answer.body) as BodyInit | null, {
    status: answer.status,
    headers,
  });
}
