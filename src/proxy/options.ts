/**
 * The proxy's options: their types, defaults and checks, and the same checks for the environment
 * of the ready server, where an error names the variable (`ALLOWED_ORIGINS`), not the option.
 */
import { checkBookingUrl, isUuid } from '../protocol.js';
import { memoryStore, type ProxyStore } from './store.js';

/**
 * The `fetch` the proxy calls upstream with, always given one `Request`: `globalThis.fetch`
 * fits, and so do msw-style `(request) => Promise<Response>` functions and test fakes.
 */
export type MeetergoProxyFetch = (request: Request) => Promise<Response>;

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
  /** How many days after today (UTC) a range may reach; later days are a 400. Default 730. */
  horizonDays?: number;
  /** How long an upstream answer is fresh, here and at CDNs (`s-maxage`); 0: never. Default 60. */
  freshSeconds?: number;
  /** The former name of `freshSeconds` (still read when `freshSeconds` is unset). */
  cacheSeconds?: number;
  /** How long past its freshness a block is still served (while refreshing, or on errors). Default 3600. */
  staleSeconds?: number;
  /** Upstream timeout in ms (answer 504 after it). Default 10000. */
  timeoutMs?: number;
  /** Largest upstream body read, in bytes (502 above it). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Most windows kept of one upstream answer, and sent in one answer (the earliest). Default 5000. */
  maxWindows?: number;
  /** Upstream calls per client per minute (cache hits are free). 0 disables. Default 60. */
  rateLimitPerMinute?: number;
  /** IPv6 clients are counted by this prefix length (a /64 is one household). Default 64. */
  ipv6PrefixLength?: number;
  /**
   * The request header that carries the client address, set by a load balancer you trust
   * (`x-forwarded-for`: its last entry is used; `cf-connecting-ip`, `x-real-ip`, …). Unset:
   * the client is `info.clientAddress`, else one shared `'unknown'` client.
   */
  trustProxy?: string;
  /** Upstream calls per minute for the whole fleet (every instance sharing `store`). Default 90. */
  upstreamPerMinute?: number;
  /** How many instances share the budget: while the store is unreachable each takes its share. Default 1. */
  instances?: number;
  /** What instances share: cached blocks, refresh locks, the budget, the pause. Default `memoryStore()`. */
  store?: ProxyStore;
  /** Longest wait for the store in ms before answering from memory. Default 1000. */
  storeTimeoutMs?: number;
  /** Booking URLs by meeting type id or user id (`https:` only); checked before any lookup. */
  bookingUrls?: Readonly<Record<string, string>>;
  /** Look booking URLs up in meetergo's meeting types (`GET /v4/meeting-type`). Default true. */
  bookingUrlLookup?: boolean;
  /** The upstream `fetch`. Default `globalThis.fetch`, read at call time. */
  fetch?: MeetergoProxyFetch;
  /** Receives one line per request (method, route shape, status, ms, cache, request id). */
  logger?: (line: string) => void;
  /** The clock (ms since the epoch) for the cache, the budget and the limits. Default `Date.now`. */
  now?: () => number;
}

/** The options checked and filled in. */
export interface Config {
  apiKey: string;
  upstream: string;
  basePath: string;
  allowedUserIds: Set<string> | undefined;
  allowedMeetingTypeIds: Set<string> | undefined;
  allowedOrigins: Set<string> | '*' | undefined;
  maxRangeDays: number;
  horizonDays: number;
  freshSeconds: number;
  staleSeconds: number;
  timeoutMs: number;
  maxBodyBytes: number;
  maxWindows: number;
  rateLimitPerMinute: number;
  ipv6PrefixLength: number;
  trustProxy: string | undefined;
  upstreamPerMinute: number;
  instances: number;
  store: ProxyStore;
  storeTimeoutMs: number;
  bookingUrls: Map<string, string>;
  bookingUrlLookup: boolean;
  fetch: MeetergoProxyFetch;
  logger: ((line: string) => void) | undefined;
  now: () => number;
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const STORE_METHODS = [
  'getBlock',
  'setBlock',
  'acquireLock',
  'releaseLock',
  'takeToken',
  'pauseUntil',
  'pausedUntil',
] as const;

export function fail(message: string): never {
  throw new TypeError(`meetergo-slots proxy: ${message}`);
}

function integer(name: string, value: unknown, fallback: number, min: number, max: number) {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/** The key goes into an HTTP header: printable Latin-1, no surrounding space. */
function checkApiKey(name: string, apiKey: unknown): string {
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    fail(`${name} is required (your meetergo API key)`);
  }
  if (/[\0-\x1f\x7f]/.test(apiKey) || apiKey !== apiKey.trim()) {
    fail(`${name} contains whitespace or control characters`);
  }
  if (/[^\x20-\xff]/.test(apiKey)) {
    fail(
      `${name} contains characters outside Latin-1, which no HTTP header can carry; ` +
        'copy the key again from meetergo',
    );
  }
  return apiKey;
}

function checkUpstream(name: string, raw: unknown): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    fail(`${name} must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`${name} must use http: or https:, got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') fail(`${name} must not contain credentials`);
  if (url.search !== '' || url.hash !== '') {
    fail(`${name} must not contain a query or a fragment`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function idList(name: string, value: unknown, empty: string): Set<string> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(`${name} must be an array of UUIDs`);
  if (value.length === 0) fail(`${name} ${empty}`);
  for (const id of value) {
    if (!isUuid(id)) fail(`${name}: ${String(id)} is not a UUID`);
  }
  return new Set((value as string[]).map((id) => id.toLowerCase()));
}

function originList(name: string, value: unknown, empty: string): Set<string> | '*' | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) fail(`${name} must be an array of origins`);
  if (value.length === 0) fail(`${name} ${empty}`);
  if (value.includes('*')) return '*';
  const origins = new Set<string>();
  for (const origin of value) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(String(origin));
    } catch {
      parsed = undefined;
    }
    if (
      parsed === undefined ||
      (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
      parsed.origin !== origin
    ) {
      fail(
        `${name}: ${JSON.stringify(origin)} is not an origin ` +
          '(scheme://host[:port], lower case, no path or trailing slash)',
      );
    }
    origins.add(origin);
  }
  return origins;
}

function headerName(name: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !HEADER_NAME.test(value)) {
    fail(`${name} must be a header name such as "x-forwarded-for" or "cf-connecting-ip"`);
  }
  return value.toLowerCase();
}

function checkStore(value: unknown): ProxyStore | undefined {
  if (value === undefined) return undefined;
  const store = value as Record<string, unknown> | null;
  const missing = STORE_METHODS.filter((method) => typeof store?.[method] !== 'function');
  if (missing.length > 0) {
    fail(`store must implement ProxyStore (missing: ${missing.join(', ')})`);
  }
  return value as ProxyStore;
}

/** Checks `options` and fills in the defaults; a `TypeError` names the option at fault. */
export function resolveOptions(options: MeetergoProxyOptions): Config {
  if (options === null || typeof options !== 'object') fail('options must be an object');
  const apiKey = checkApiKey('apiKey', options.apiKey);

  if (options.basePath !== undefined && typeof options.basePath !== 'string') {
    fail('basePath must be a string');
  }
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  if (basePath !== '' && !/^\/[^?#\s]*$/.test(basePath)) {
    fail(`basePath must start with "/" (e.g. "/api/meetergo"), got ${JSON.stringify(basePath)}`);
  }

  const bookingUrls = new Map<string, string>();
  if (options.bookingUrls !== undefined) {
    if (options.bookingUrls === null || typeof options.bookingUrls !== 'object') {
      fail('bookingUrls must be an object mapping ids to booking URLs');
    }
    for (const [id, url] of Object.entries(options.bookingUrls)) {
      if (!isUuid(id)) fail(`bookingUrls: key ${JSON.stringify(id)} is not a UUID`);
      const checked = checkBookingUrl(url);
      if (!checked.ok || checked.url.protocol !== 'https:') {
        fail(`bookingUrls[${id}] must be an https: URL without credentials`);
      }
      bookingUrls.set(id.toLowerCase(), checked.url.href);
    }
  }

  for (const name of ['fetch', 'logger', 'now'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      fail(`${name} must be a function`);
    }
  }
  const now = options.now ?? Date.now;
  const fresh = options.freshSeconds ?? options.cacheSeconds;
  const emptyList = 'is empty, which would refuse every request; omit it';

  return {
    apiKey,
    upstream: checkUpstream('upstreamUrl', options.upstreamUrl ?? 'https://api.meetergo.com'),
    basePath,
    allowedUserIds: idList('allowedUserIds', options.allowedUserIds, emptyList),
    allowedMeetingTypeIds: idList(
      'allowedMeetingTypeIds',
      options.allowedMeetingTypeIds,
      emptyList,
    ),
    allowedOrigins: originList('allowedOrigins', options.allowedOrigins, 'is empty; omit it'),
    maxRangeDays: integer('maxRangeDays', options.maxRangeDays, 31, 1, 366),
    horizonDays: integer('horizonDays', options.horizonDays, 730, 1, 3660),
    freshSeconds: integer(
      options.freshSeconds === undefined ? 'cacheSeconds' : 'freshSeconds',
      fresh,
      60,
      0,
      86_400,
    ),
    staleSeconds: integer('staleSeconds', options.staleSeconds, 3600, 0, 7 * 86_400),
    timeoutMs: integer('timeoutMs', options.timeoutMs, 10_000, 1, 300_000),
    maxBodyBytes: integer('maxBodyBytes', options.maxBodyBytes, 1 << 20, 1, 64 << 20),
    maxWindows: integer('maxWindows', options.maxWindows, 5000, 1, 1_000_000),
    rateLimitPerMinute: integer('rateLimitPerMinute', options.rateLimitPerMinute, 60, 0, 1_000_000),
    ipv6PrefixLength: integer('ipv6PrefixLength', options.ipv6PrefixLength, 64, 1, 128),
    trustProxy: headerName('trustProxy', options.trustProxy),
    upstreamPerMinute: integer('upstreamPerMinute', options.upstreamPerMinute, 90, 1, 1_000_000),
    instances: integer('instances', options.instances, 1, 1, 10_000),
    store: checkStore(options.store) ?? memoryStore({ now }),
    storeTimeoutMs: integer('storeTimeoutMs', options.storeTimeoutMs, 1000, 1, 60_000),
    bookingUrls,
    bookingUrlLookup: options.bookingUrlLookup ?? true,
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
    logger: options.logger,
    now,
  };
}

/** Environment variables (a subset of `process.env`). */
export type ProxyEnv = Record<string, string | undefined>;

/** The proxy's options from the environment, plus where the ready server listens. */
export type ProxyEnvConfig = MeetergoProxyOptions & { port: number; host: string };

/**
 * Reads `MEETERGO_API_KEY` (required), `MEETERGO_API_URL`, `PORT` (8787), `HOST` (127.0.0.1),
 * `ALLOWED_ORIGINS`, `ALLOWED_USER_IDS`, `ALLOWED_MEETING_TYPE_IDS` (comma-separated),
 * `RATE_LIMIT_PER_MINUTE`, `TRUST_PROXY`, `UPSTREAM_PER_MINUTE`, `PROXY_INSTANCES`,
 * `FRESH_SECONDS`, `STALE_SECONDS` and `HORIZON_DAYS`, with the checks of the options; a
 * `TypeError` names the variable at fault.
 */
export function proxyOptionsFromEnv(env: ProxyEnv): ProxyEnvConfig {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const list = (name: string) =>
    read(name)
      ?.split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const whole = (name: string, min: number, max: number) => {
    const value = read(name);
    if (value === undefined) return undefined;
    if (!/^\d{1,10}$/.test(value) || Number(value) < min || Number(value) > max) {
      fail(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
  const apiKey = read('MEETERGO_API_KEY');
  if (apiKey === undefined) fail('MEETERGO_API_KEY is not set: set it to your meetergo API key');
  const config: ProxyEnvConfig = {
    apiKey: checkApiKey('MEETERGO_API_KEY', apiKey),
    port: whole('PORT', 0, 65_535) ?? 8787,
    host: read('HOST') ?? '127.0.0.1',
  };
  const upstreamUrl = read('MEETERGO_API_URL');
  if (upstreamUrl !== undefined) {
    checkUpstream('MEETERGO_API_URL', upstreamUrl);
    config.upstreamUrl = upstreamUrl;
  }
  const none = 'is set but lists nothing (only commas or spaces); unset it or list';
  const origins = list('ALLOWED_ORIGINS');
  if (origins !== undefined) {
    originList('ALLOWED_ORIGINS', origins, `${none} origins such as https://shop.example`);
    config.allowedOrigins = origins;
  }
  const users = list('ALLOWED_USER_IDS');
  if (users !== undefined) {
    idList('ALLOWED_USER_IDS', users, `${none} user ids`);
    config.allowedUserIds = users;
  }
  const types = list('ALLOWED_MEETING_TYPE_IDS');
  if (types !== undefined) {
    idList('ALLOWED_MEETING_TYPE_IDS', types, `${none} meeting type ids`);
    config.allowedMeetingTypeIds = types;
  }
  const trustProxy = read('TRUST_PROXY');
  if (trustProxy !== undefined) {
    headerName('TRUST_PROXY', trustProxy);
    config.trustProxy = trustProxy;
  }
  const numbers: [string, keyof MeetergoProxyOptions, number, number][] = [
    ['RATE_LIMIT_PER_MINUTE', 'rateLimitPerMinute', 0, 1_000_000],
    ['UPSTREAM_PER_MINUTE', 'upstreamPerMinute', 1, 1_000_000],
    ['PROXY_INSTANCES', 'instances', 1, 10_000],
    ['FRESH_SECONDS', 'freshSeconds', 0, 86_400],
    ['STALE_SECONDS', 'staleSeconds', 0, 7 * 86_400],
    ['HORIZON_DAYS', 'horizonDays', 1, 3660],
  ];
  for (const [variable, option, min, max] of numbers) {
    const value = whole(variable, min, max);
    if (value !== undefined) (config as unknown as Record<string, number>)[option] = value;
  }
  return config;
}
