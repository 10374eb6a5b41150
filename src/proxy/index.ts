/**
 * The reference proxy of SPEC §3–4: a fetch-standard handler that answers
 * `GET {basePath}/v4/user/{userId}/bookable-windows` from meetergo's API with the API key
 * added, and nothing else. No Node APIs here, so it runs in Node, Workers, Deno, Bun and
 * Next.js route handlers alike.
 */
import { RateLimiter, SingleFlight, TtlCache } from './cache.js';

/**
 * The `fetch` the proxy calls upstream with, always given one `Request`: `globalThis.fetch`
 * fits, and so do msw-style `(request) => Promise<Response>` functions and test fakes.
 */
export type MeetergoProxyFetch = (request: Request) => Promise<Response>;

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

export interface MeetergoProxyOptions {
  /** The meetergo API key (required). Never leaves the server. */
  apiKey: string;
  /** meetergo's API base: absolute `http:`/`https:` URL. Default `https://api.meetergo.com`. */
  upstreamUrl?: string;
  /** Where the route is mounted: `{basePath}/v4/user/{userId}/bookable-windows`. Default `''`. */
  basePath?: string;
  /** When set, only these user ids are served; others get the same 404 as an unknown user. */
  allowedUserIds?: readonly string[];
  /** When set, a request must name one of these meeting type ids (else 400/404). */
  allowedMeetingTypeIds?: readonly string[];
  /** Origins (`https://example.com`) granted CORS; `'*'` grants every origin. Default none. */
  allowedOrigins?: readonly string[];
  /** Longest range in days, both ends counted. Default 31. */
  maxRangeDays?: number;
  /** How long answers are cached, here and by CDNs (`max-age`). 0 disables. Default 60. */
  cacheSeconds?: number;
  /** Upstream timeout in ms (answer 504 after it). Default 10000. */
  timeoutMs?: number;
  /** Largest upstream body read, in bytes (502 above it). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Upstream calls per client per minute (cache hits are free). 0 disables. Default 60. */
  rateLimitPerMinute?: number;
  /**
   * The request header that carries the client address, set by a load balancer you trust
   * (`x-forwarded-for`: its last entry is used; `cf-connecting-ip`, `x-real-ip`, …). Unset:
   * the client is `info.clientAddress`, else one shared `'unknown'` client.
   */
  trustProxy?: string;
  /** Booking URLs by meeting type id or user id (`https:` only); checked before any lookup. */
  bookingUrls?: Readonly<Record<string, string>>;
  /** Look booking URLs up in meetergo's meeting types (`GET /v4/meeting-type`). Default true. */
  bookingUrlLookup?: boolean;
  /** The upstream `fetch`. Default `globalThis.fetch`, read at call time. */
  fetch?: MeetergoProxyFetch;
  /** Receives one line per request (method, route shape, status, ms, request id). */
  logger?: (line: string) => void;
  /** The clock (ms since the epoch) for the cache and the rate limit. Default `Date.now`. */
  now?: () => number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const QUERY_PARAMS = new Set(['startDate', 'endDate', 'meetingTypeId', 'timezone']);
const ALLOW = 'GET, HEAD, OPTIONS';
const EXPOSE = 'Retry-After, X-Request-Id';
const MAX_CACHE_ENTRIES = 1000;
const BOOKING_URL_TTL_MS = 10 * 60_000;
const BOOKING_URL_RETRY_MS = 60_000;
const DEFAULT_RETRY_AFTER = 60;
/** The one 404 body: unknown paths, allowlist misses and upstream 404s are indistinguishable. */
const NOT_FOUND = JSON.stringify({ statusCode: 404, message: 'Not found' });

interface Config {
  apiKey: string;
  upstream: string;
  basePath: string;
  allowedUserIds: Set<string> | undefined;
  allowedMeetingTypeIds: Set<string> | undefined;
  allowedOrigins: Set<string> | '*' | undefined;
  maxRangeDays: number;
  cacheSeconds: number;
  timeoutMs: number;
  maxBodyBytes: number;
  rateLimitPerMinute: number;
  trustProxy: string | undefined;
  bookingUrls: Map<string, string>;
  bookingUrlLookup: boolean;
  fetch: MeetergoProxyFetch;
  logger: ((line: string) => void) | undefined;
  now: () => number;
}

/** A validated request: everything the upstream URL is built from. */
interface Query {
  userId: string;
  startDate: string;
  endDate: string;
  meetingTypeId: string | undefined;
  timezone: string | undefined;
}

/** What one upstream round trip produced, shared by every request that joined it. */
type Outcome =
  | { kind: 'ok'; body: string; upstream: string }
  | { kind: 'not-found'; upstream: string }
  | { kind: 'rate-limited'; retryAfter: number; upstream: string }
  | { kind: 'timeout'; upstream: string }
  | { kind: 'bad-gateway'; upstream: string };

/** Per-request facts for the answer and its log line. */
interface Context {
  requestId: string;
  head: boolean;
  cors: Headers;
  route: string;
  notes: string[];
}

class UpstreamFault extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function fail(message: string): never {
  throw new TypeError(`meetergo-slots proxy: ${message}`);
}

function intOption(name: string, value: unknown, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function idList(name: string, value: readonly string[] | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(`${name} must be an array of UUIDs`);
  if (value.length === 0) fail(`${name} is empty, which would refuse every request; omit it`);
  for (const id of value) {
    if (typeof id !== 'string' || !UUID.test(id)) fail(`${name}: ${String(id)} is not a UUID`);
  }
  return new Set(value.map((id) => id.toLowerCase()));
}

/** An `https:` URL without credentials, normalized; anything else is `undefined`. */
function httpsUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  if (url.hostname === '') return undefined;
  return url.href;
}

function resolveOptions(options: MeetergoProxyOptions): Config {
  if (options === null || typeof options !== 'object') fail('options must be an object');
  const { apiKey } = options;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    fail('apiKey is required (your meetergo API key)');
  }
  if (/[\r\n\0]/.test(apiKey) || apiKey !== apiKey.trim()) {
    fail('apiKey contains whitespace or control characters');
  }

  const rawUpstream = options.upstreamUrl ?? 'https://api.meetergo.com';
  let upstreamUrl: URL;
  try {
    upstreamUrl = new URL(rawUpstream);
  } catch {
    fail(`upstreamUrl must be an absolute http(s) URL, got ${JSON.stringify(rawUpstream)}`);
  }
  if (upstreamUrl.protocol !== 'https:' && upstreamUrl.protocol !== 'http:') {
    fail(`upstreamUrl must use http: or https:, got ${upstreamUrl.protocol}`);
  }
  if (upstreamUrl.username !== '' || upstreamUrl.password !== '') {
    fail('upstreamUrl must not contain credentials');
  }
  if (upstreamUrl.search !== '' || upstreamUrl.hash !== '') {
    fail('upstreamUrl must not contain a query or a fragment');
  }

  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (typeof options.basePath === 'string' && basePath !== '' && !/^\/[^?#\s]*$/.test(basePath)) {
    fail(`basePath must start with "/" (e.g. "/api/meetergo"), got ${JSON.stringify(basePath)}`);
  }
  if (options.basePath !== undefined && typeof options.basePath !== 'string') {
    fail('basePath must be a string');
  }

  let allowedOrigins: Set<string> | '*' | undefined;
  if (options.allowedOrigins !== undefined) {
    if (!Array.isArray(options.allowedOrigins)) fail('allowedOrigins must be an array of origins');
    if (options.allowedOrigins.includes('*')) allowedOrigins = '*';
    else {
      allowedOrigins = new Set();
      for (const origin of options.allowedOrigins) {
        let parsed: URL | undefined;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = undefined;
        }
        if (
          parsed === undefined ||
          (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
          parsed.origin !== origin
        ) {
          fail(
            `allowedOrigins: ${JSON.stringify(origin)} is not an origin ` +
              '(scheme://host[:port], lower case, no path or trailing slash)',
          );
        }
        allowedOrigins.add(origin);
      }
    }
  }

  let trustProxy: string | undefined;
  if (options.trustProxy !== undefined && options.trustProxy !== '') {
    if (typeof options.trustProxy !== 'string' || !HEADER_NAME.test(options.trustProxy)) {
      fail(`trustProxy must be a header name such as "x-forwarded-for" or "cf-connecting-ip"`);
    }
    trustProxy = options.trustProxy.toLowerCase();
  }

  const bookingUrls = new Map<string, string>();
  if (options.bookingUrls !== undefined) {
    if (options.bookingUrls === null || typeof options.bookingUrls !== 'object') {
      fail('bookingUrls must be an object mapping ids to booking URLs');
    }
    for (const [id, url] of Object.entries(options.bookingUrls)) {
      if (!UUID.test(id)) fail(`bookingUrls: key ${JSON.stringify(id)} is not a UUID`);
      const checked = httpsUrl(url);
      if (checked === undefined) {
        fail(`bookingUrls[${id}] must be an https: URL without credentials`);
      }
      bookingUrls.set(id.toLowerCase(), checked);
    }
  }

  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    fail('fetch must be a function');
  }
  if (options.logger !== undefined && typeof options.logger !== 'function') {
    fail('logger must be a function');
  }
  if (options.now !== undefined && typeof options.now !== 'function')
    fail('now must be a function');

  return {
    apiKey,
    upstream: upstreamUrl.origin + upstreamUrl.pathname.replace(/\/+$/, ''),
    basePath,
    allowedUserIds: idList('allowedUserIds', options.allowedUserIds),
    allowedMeetingTypeIds: idList('allowedMeetingTypeIds', options.allowedMeetingTypeIds),
    allowedOrigins,
    maxRangeDays: intOption('maxRangeDays', options.maxRangeDays, 31, 1, 366),
    cacheSeconds: intOption('cacheSeconds', options.cacheSeconds, 60, 0, 86_400),
    timeoutMs: intOption('timeoutMs', options.timeoutMs, 10_000, 1, 300_000),
    maxBodyBytes: intOption('maxBodyBytes', options.maxBodyBytes, 1 << 20, 1, 64 << 20),
    rateLimitPerMinute: intOption(
      'rateLimitPerMinute',
      options.rateLimitPerMinute,
      60,
      0,
      1_000_000,
    ),
    trustProxy,
    bookingUrls,
    bookingUrlLookup: options.bookingUrlLookup ?? true,
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
    logger: options.logger,
    now: options.now ?? Date.now,
  };
}

/** Days since 1970-01-01 of a real `YYYY-MM-DD` day, else `undefined`. */
function dayNumber(text: string): number | undefined {
  const match = DAY.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / 86_400_000);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** An ISO 8601 instant with `Z` or an offset, on a real day at a real time. */
function isInstant(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 40) return false;
  const m = INSTANT.exec(value);
  if (m === null) return false;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return !Number.isNaN(Date.parse(value));
}

/** The canonical IANA name of a zone (`US/Eastern` → `America/New_York`), else `undefined`. */
function canonicalZone(zone: string): string | undefined {
  if (!ZONE.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** A query parameter name fit to quote in an error message. */
function quoteName(name: string): string {
  return /^[\x20-\x7e]{1,40}$/.test(name) ? JSON.stringify(name) : '(unprintable)';
}

type Parsed = { ok: true; query: Query } | { ok: false; message: string };

function parseQuery(userId: string, params: URLSearchParams, config: Config): Parsed {
  const bad = (message: string): Parsed => ({ ok: false, message });
  const seen = new Map<string, string>();
  for (const [name, value] of params) {
    if (!QUERY_PARAMS.has(name)) return bad(`Unknown query parameter ${quoteName(name)}`);
    if (seen.has(name)) return bad(`Repeated query parameter ${quoteName(name)}`);
    seen.set(name, value);
  }
  const startDate = seen.get('startDate');
  const endDate = seen.get('endDate');
  if (startDate === undefined) return bad('startDate is required (YYYY-MM-DD)');
  if (endDate === undefined) return bad('endDate is required (YYYY-MM-DD)');
  const start = dayNumber(startDate);
  if (start === undefined) return bad('startDate must be a real day written YYYY-MM-DD');
  const end = dayNumber(endDate);
  if (end === undefined) return bad('endDate must be a real day written YYYY-MM-DD');
  if (end < start) return bad('endDate must not be before startDate');
  if (end - start + 1 > config.maxRangeDays) {
    return bad(`The range from startDate to endDate must not exceed ${config.maxRangeDays} days`);
  }
  let meetingTypeId = seen.get('meetingTypeId');
  if (meetingTypeId !== undefined) {
    if (!UUID.test(meetingTypeId)) return bad('meetingTypeId must be a UUID');
    meetingTypeId = meetingTypeId.toLowerCase();
  } else if (config.allowedMeetingTypeIds !== undefined) {
    return bad('meetingTypeId is required');
  }
  let timezone = seen.get('timezone');
  if (timezone !== undefined) {
    timezone = canonicalZone(timezone);
    if (timezone === undefined) {
      return bad('timezone must be an IANA time zone such as Europe/Berlin');
    }
  }
  return { ok: true, query: { userId, startDate, endDate, meetingTypeId, timezone } };
}

/** Seconds to wait from an upstream `Retry-After` (seconds or HTTP date), kept within 1 s–1 h. */
function retryAfterSeconds(header: string | null, now: number): number {
  if (header === null) return DEFAULT_RETRY_AFTER;
  const text = header.trim();
  let seconds: number;
  if (/^\d{1,10}$/.test(text)) seconds = Number(text);
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return DEFAULT_RETRY_AFTER;
    seconds = Math.ceil((at - now) / 1000);
  }
  return Math.min(3600, Math.max(1, seconds));
}

/** The booking URL of the matching meeting type in a meeting-type listing. */
function bookingUrlFromMeetingTypes(data: unknown, meetingTypeId: string | undefined) {
  let list: unknown = data;
  if (list !== null && typeof list === 'object' && !Array.isArray(list)) {
    const record = list as Record<string, unknown>;
    list = Array.isArray(record.data) ? record.data : record.meetingTypes;
  }
  if (!Array.isArray(list)) return undefined;
  const types = list.filter(
    (item): item is Record<string, unknown> => item !== null && typeof item === 'object',
  );
  const match =
    meetingTypeId === undefined
      ? types[0]
      : types.find((t) => typeof t.id === 'string' && t.id.toLowerCase() === meetingTypeId);
  return match === undefined ? undefined : httpsUrl(match.bookingUrl);
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
  const { apiKey, basePath, cacheSeconds } = config;
  const routePrefix = `${basePath}/v4/user/`;
  const routeSuffix = '/bookable-windows';
  const routeShape = `${basePath}/v4/user/:userId/bookable-windows`;
  const windowsCache = new TtlCache<string>(MAX_CACHE_ENTRIES);
  const windowsFlights = new SingleFlight<Outcome>();
  const bookingUrlCache = new TtlCache<string | undefined>(MAX_CACHE_ENTRIES);
  const bookingUrlFlights = new SingleFlight<string | undefined>();
  const limiter =
    config.rateLimitPerMinute > 0 ? new RateLimiter(config.rateLimitPerMinute) : undefined;
  /** After an upstream 429, no upstream call until then (ms since the epoch). */
  let upstreamPausedUntil = 0;

  /** Whether a text carries the key (keys under 8 characters are test stand-ins, not secrets). */
  const leaks = (text: string) => apiKey.length >= 8 && text.includes(apiKey);
  const redact = (text: string) => (leaks(text) ? text.split(apiKey).join('[redacted]') : text);

  function respond(
    context: Context,
    status: number,
    body: string | null,
    headers: Record<string, string> = {},
  ): Response {
    const out = new Headers(context.cors);
    out.set('X-Request-Id', context.requestId);
    out.set('X-Content-Type-Options', 'nosniff');
    if (body !== null) out.set('Content-Type', 'application/json; charset=utf-8');
    if (!('Cache-Control' in headers)) out.set('Cache-Control', 'no-store');
    for (const [name, value] of Object.entries(headers)) out.set(name, value);
    return new Response(context.head ? null : body, { status, headers: out });
  }

  function error(
    context: Context,
    status: number,
    message: string,
    headers: Record<string, string> = {},
  ): Response {
    const body: Record<string, unknown> = { statusCode: status, message };
    if (status >= 500) body.requestId = context.requestId;
    return respond(context, status, JSON.stringify(body), headers);
  }

  function corsHeaders(request: Request): { headers: Headers; allowed: boolean } {
    const headers = new Headers();
    const origins = config.allowedOrigins;
    if (origins === undefined) return { headers, allowed: false };
    headers.set('Vary', 'Origin');
    const origin = request.headers.get('origin');
    const allowed = origin !== null && (origins === '*' || origins.has(origin));
    if (allowed) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', EXPOSE);
    }
    return { headers, allowed };
  }

  function clientOf(request: Request, info: MeetergoProxyRequestInfo | undefined): string {
    if (config.trustProxy !== undefined) {
      const value = request.headers.get(config.trustProxy);
      const last = value
        ?.split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .pop();
      if (last !== undefined) return last.slice(0, 100);
    }
    return info?.clientAddress?.slice(0, 100) || 'unknown';
  }

  /** One upstream GET with the key; reads and parses the body of a 200 only. */
  async function upstreamGet(
    path: string,
    userId: string,
  ): Promise<{ status: number; retryAfter: string | null; data?: unknown }> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new UpstreamFault('timeout'));
        controller.abort();
      }, config.timeoutMs);
    });
    const attempt = async () => {
      let response: Response;
      try {
        response = await config.fetch(
          new Request(config.upstream + path, {
            method: 'GET',
            headers: {
              Authorization: `Bearer ${apiKey}`,
              'x-meetergo-api-user-id': userId,
              Accept: 'application/json',
            },
            redirect: 'manual',
            signal: controller.signal,
          }),
        );
      } catch (cause) {
        throw new UpstreamFault(`network(${cause instanceof Error ? cause.name : 'error'})`);
      }
      if (response.status !== 200) {
        response.body?.cancel().catch(() => undefined);
        return { status: response.status, retryAfter: response.headers.get('retry-after') };
      }
      const bytes = await readCapped(response, config.maxBodyBytes);
      let data: unknown;
      try {
        data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
      } catch {
        throw new UpstreamFault('invalid-json');
      }
      return { status: 200, retryAfter: null, data };
    };
    try {
      return await Promise.race([attempt(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function fetchWindows(query: Query): Promise<Outcome> {
    const params = new URLSearchParams({ startDate: query.startDate, endDate: query.endDate });
    if (query.meetingTypeId !== undefined) params.set('meetingTypeId', query.meetingTypeId);
    if (query.timezone !== undefined) params.set('timezone', query.timezone);
    const path = `/v4/user/${query.userId}/bookable-windows?${params}`;
    const [answer, bookingUrl] = await Promise.all([
      upstreamGet(path, query.userId).catch((fault: unknown) => fault),
      bookingUrlFor(query),
    ]);
    if (answer instanceof UpstreamFault) {
      return answer.reason === 'timeout'
        ? { kind: 'timeout', upstream: 'timeout' }
        : { kind: 'bad-gateway', upstream: answer.reason };
    }
    if (answer instanceof Error || answer === null || typeof answer !== 'object') {
      return { kind: 'bad-gateway', upstream: 'error' };
    }
    const { status, retryAfter, data } = answer as Awaited<ReturnType<typeof upstreamGet>>;
    const upstream = String(status);
    if (status === 404) return { kind: 'not-found', upstream };
    if (status === 429) {
      return {
        kind: 'rate-limited',
        retryAfter: retryAfterSeconds(retryAfter, config.now()),
        upstream,
      };
    }
    if (status !== 200) return { kind: 'bad-gateway', upstream };
    const windows =
      data !== null && typeof data === 'object' && !Array.isArray(data)
        ? (data as Record<string, unknown>).windows
        : undefined;
    if (!Array.isArray(windows)) return { kind: 'bad-gateway', upstream: 'unexpected-shape' };
    const body: { windows: string[]; bookingUrl?: string } = {
      windows: windows.filter((item) => isInstant(item) && !leaks(item)),
    };
    if (bookingUrl !== undefined) body.bookingUrl = bookingUrl;
    return { kind: 'ok', body: JSON.stringify(body), upstream };
  }

  /** The booking URL for a query: from the options, else meetergo's meeting types (cached). */
  async function bookingUrlFor(query: Query): Promise<string | undefined> {
    const configured =
      (query.meetingTypeId === undefined
        ? undefined
        : config.bookingUrls.get(query.meetingTypeId)) ?? config.bookingUrls.get(query.userId);
    if (configured !== undefined || !config.bookingUrlLookup) return configured;
    const key = `${query.userId}|${query.meetingTypeId ?? ''}`;
    const cached = bookingUrlCache.get(key, config.now());
    if (cached !== undefined) return cached.value;
    return bookingUrlFlights.run(key, async () => {
      let found: string | undefined;
      let ttl = BOOKING_URL_TTL_MS;
      try {
        const answer = await upstreamGet('/v4/meeting-type', query.userId);
        if (answer.status === 200)
          found = bookingUrlFromMeetingTypes(answer.data, query.meetingTypeId);
        else ttl = BOOKING_URL_RETRY_MS;
      } catch {
        ttl = BOOKING_URL_RETRY_MS;
      }
      if (found !== undefined && leaks(found)) found = undefined;
      const now = config.now();
      bookingUrlCache.set(key, found, now + ttl, now);
      return found;
    });
  }

  function cacheControl(maxAge: number): string {
    if (cacheSeconds === 0) return 'no-store';
    return (
      `public, max-age=${maxAge}, stale-while-revalidate=${cacheSeconds}, ` +
      `stale-if-error=${cacheSeconds * 10}`
    );
  }

  function answer(context: Context, outcome: Outcome): Response {
    switch (outcome.kind) {
      case 'ok':
        return respond(context, 200, outcome.body, { 'Cache-Control': cacheControl(cacheSeconds) });
      case 'not-found':
        return respond(context, 404, NOT_FOUND);
      case 'rate-limited':
        return error(context, 429, 'meetergo is rate limiting requests; try again later', {
          'Retry-After': String(outcome.retryAfter),
        });
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

  async function route(
    request: Request,
    info: MeetergoProxyRequestInfo | undefined,
    context: Context,
  ): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    if (
      !path.startsWith(routePrefix) ||
      !path.endsWith(routeSuffix) ||
      path.length <= routePrefix.length + routeSuffix.length
    ) {
      return respond(context, 404, NOT_FOUND);
    }
    const rawUserId = path.slice(routePrefix.length, path.length - routeSuffix.length);
    if (rawUserId.includes('/')) return respond(context, 404, NOT_FOUND);
    context.route = routeShape;

    const method = request.method;
    if (method === 'OPTIONS') {
      const cors = corsHeaders(request);
      const preflight = request.headers.has('access-control-request-method');
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

    if (!UUID.test(rawUserId)) return error(context, 400, 'userId in the path must be a UUID');
    const userId = rawUserId.toLowerCase();
    if (config.allowedUserIds !== undefined && !config.allowedUserIds.has(userId)) {
      return respond(context, 404, NOT_FOUND);
    }
    const parsed = parseQuery(userId, url.searchParams, config);
    if (!parsed.ok) return error(context, 400, parsed.message);
    const { query } = parsed;
    if (
      config.allowedMeetingTypeIds !== undefined &&
      !config.allowedMeetingTypeIds.has(query.meetingTypeId ?? '')
    ) {
      return respond(context, 404, NOT_FOUND);
    }

    const key = [userId, query.meetingTypeId, query.startDate, query.endDate, query.timezone].join(
      '|',
    );
    const now = config.now();
    const cached = cacheSeconds > 0 ? windowsCache.get(key, now) : undefined;
    if (cached !== undefined) {
      context.notes.push('cache=hit');
      const maxAge = Math.max(1, Math.ceil((cached.expiresAt - now) / 1000));
      return respond(context, 200, cached.value, { 'Cache-Control': cacheControl(maxAge) });
    }
    const joined = windowsFlights.joined(key);
    if (joined !== undefined) {
      context.notes.push('cache=shared');
      return answer(context, await joined);
    }
    if (upstreamPausedUntil > now) {
      context.notes.push('upstream=paused');
      const wait = Math.ceil((upstreamPausedUntil - now) / 1000);
      return error(context, 429, 'meetergo is rate limiting requests; try again later', {
        'Retry-After': String(wait),
      });
    }
    if (limiter !== undefined) {
      const wait = limiter.take(clientOf(request, info), now);
      if (wait > 0) {
        context.notes.push('limited');
        return error(context, 429, 'Too many requests; try again later', {
          'Retry-After': String(Math.ceil(wait / 1000)),
        });
      }
    }
    context.notes.push('cache=miss');
    const outcome = await windowsFlights.run(key, async () => {
      const result = await fetchWindows(query);
      const settled = config.now();
      if (result.kind === 'ok' && cacheSeconds > 0) {
        windowsCache.set(key, result.body, settled + cacheSeconds * 1000, settled);
      }
      if (result.kind === 'rate-limited') {
        upstreamPausedUntil = settled + result.retryAfter * 1000;
      }
      return result;
    });
    context.notes.push(`upstream=${outcome.upstream}`);
    return answer(context, outcome);
  }

  return async function handleMeetergoProxy(request, info) {
    const started = Date.now();
    const cors = corsHeaders(request);
    const context: Context = {
      requestId: crypto.randomUUID(),
      head: request.method === 'HEAD',
      cors: cors.headers,
      route: '(other)',
      notes: [],
    };
    let response: Response;
    try {
      response = await route(request, info, context);
    } catch (cause) {
      context.notes.push(`internal=${cause instanceof Error ? cause.name : 'error'}`);
      response = error(context, 500, `Internal error (request id ${context.requestId})`);
    }
    if (config.logger !== undefined) {
      const notes = context.notes.map((note) => ` ${note}`).join('');
      const line =
        `${request.method} ${context.route} ${response.status} ${Date.now() - started}ms` +
        `${notes} id=${context.requestId}`;
      try {
        config.logger(redact(line.replace(/[\r\n]/g, ' ')));
      } catch {
        // A failing logger must not fail the answer.
      }
    }
    return response;
  };
}

/** Reads a body up to `max` bytes; more is an `UpstreamFault('body-too-large')`. */
async function readCapped(response: Response, max: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    response.body?.cancel().catch(() => undefined);
    throw new UpstreamFault('body-too-large');
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      throw new UpstreamFault('body-read');
    }
    if (step.done) break;
    total += step.value.byteLength;
    if (total > max) {
      reader.cancel().catch(() => undefined);
      throw new UpstreamFault('body-too-large');
    }
    chunks.push(step.value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
