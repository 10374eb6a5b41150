/**
 * What a request asks for: the route, the checked query, its CORS grant and the client it counts
 * against. Works on a runtime-neutral `ProxyRequest`, so the Node adapter needs no `Request`.
 */
import { canonicalZone, DAY_MS, isUuid, parseDay } from '../protocol.js';
import type { Config } from './options.js';

/** The parts of an HTTP request the proxy reads. */
export interface ProxyRequest {
  /** Upper-case method. */
  method: string;
  /** The path and query as sent (`/v4/user/…?startDate=…`). */
  target: string;
  /** A request header by lower-case name, or `null`. */
  header(name: string): string | null;
  /** The peer's address, when the runtime knows it. */
  clientAddress?: string;
}

/** A checked request for windows: everything the upstream calls are built from. */
export interface Query {
  userId: string;
  /** First and last requested day, as day numbers (days since 1970-01-01). */
  start: number;
  end: number;
  meetingTypeId: string | undefined;
  /** The viewer's zone, canonical; only checked: upstream blocks are zone-agnostic. */
  timezone: string | undefined;
}

export type Route =
  { kind: 'windows'; userId: string; search: string } | { kind: 'health' } | { kind: 'other' };

const QUERY_PARAMS = new Set(['startDate', 'endDate', 'meetingTypeId', 'timezone']);
const EXPOSE = 'Age, Retry-After, X-Cache, X-Request-Id';
/** Characters after which a target needs the URL parser (dot segments, escapes, fragments). */
const UNUSUAL_TARGET = /[%\\#]|\/\.|\/\/|[^\x21-\x7e]/;

/** Splits a target into path and query; unusual paths get the URL parser's reading. */
function splitTarget(target: string): { path: string; search: string } {
  const mark = target.indexOf('?');
  const rawPath = mark === -1 ? target : target.slice(0, mark);
  if (!UNUSUAL_TARGET.test(rawPath) && rawPath.startsWith('/')) {
    return { path: rawPath, search: mark === -1 ? '' : target.slice(mark + 1) };
  }
  const url = new URL(target.startsWith('/') ? `http://h${target}` : target);
  return { path: url.pathname, search: url.search.slice(1) };
}

/** Which route a target names. */
export function matchRoute(target: string, config: Config): Route {
  const { path, search } = splitTarget(target);
  const prefix = `${config.basePath}/v4/user/`;
  const suffix = '/bookable-windows';
  if (path === `${config.basePath}/healthz`) return { kind: 'health' };
  if (
    !path.startsWith(prefix) ||
    !path.endsWith(suffix) ||
    path.length <= prefix.length + suffix.length
  ) {
    return { kind: 'other' };
  }
  const userId = path.slice(prefix.length, path.length - suffix.length);
  if (userId.includes('/')) return { kind: 'other' };
  return { kind: 'windows', userId, search };
}

/**
 * The name/value pairs of a query, as `URLSearchParams` reads them; a query with nothing to
 * decode (no `%`, no `+`), the usual case, is split without it.
 */
function queryPairs(search: string): Iterable<[string, string]> {
  if (/[%+]/.test(search)) return new URLSearchParams(search);
  const pairs: [string, string][] = [];
  for (const part of search.split('&')) {
    if (part === '') continue;
    const mark = part.indexOf('=');
    pairs.push(mark === -1 ? [part, ''] : [part.slice(0, mark), part.slice(mark + 1)]);
  }
  return pairs;
}

/** A query parameter name fit to quote in an error message. */
function quoteName(name: string): string {
  return /^[\x20-\x7e]{1,40}$/.test(name) ? JSON.stringify(name) : '(unprintable)';
}

/**
 * How far back a startDate may lie: a viewer's yesterday in any zone, padded, with room to spare
 * for another proxy in front (a block's call reaches two days back; earlier versions, 16).
 */
const PAST_DAYS = 16;

export type Parsed = { ok: true; query: Query } | { ok: false; message: string };

/**
 * Checks a request's query. Days must lie in the bookable horizon: from `PAST_DAYS` before today
 * (a viewer's yesterday in any zone passes, and so does a block another proxy asks for: blocks
 * start up to 16 days back, so a proxy can be the upstream of another) to `horizonDays` after today.
 */
export function parseQuery(userId: string, search: string, config: Config, now: number): Parsed {
  const bad = (message: string): Parsed => ({ ok: false, message });
  const seen = new Map<string, string>();
  for (const [name, value] of queryPairs(search)) {
    if (!QUERY_PARAMS.has(name)) return bad(`Unknown query parameter ${quoteName(name)}`);
    if (seen.has(name)) return bad(`Repeated query parameter ${quoteName(name)}`);
    seen.set(name, value);
  }
  const startDate = seen.get('startDate');
  const endDate = seen.get('endDate');
  if (startDate === undefined) return bad('startDate is required (YYYY-MM-DD)');
  if (endDate === undefined) return bad('endDate is required (YYYY-MM-DD)');
  const start = parseDay(startDate);
  if (start === undefined) return bad('startDate must be a real day written YYYY-MM-DD');
  const end = parseDay(endDate);
  if (end === undefined) return bad('endDate must be a real day written YYYY-MM-DD');
  if (end < start) return bad('endDate must not be before startDate');
  if (end - start + 1 > config.maxRangeDays) {
    return bad(`The range from startDate to endDate must not exceed ${config.maxRangeDays} days`);
  }
  const today = Math.floor(now / DAY_MS);
  if (start < today - PAST_DAYS) {
    return bad(
      `startDate must not be more than ${PAST_DAYS} days before today: past days have no bookable times`,
    );
  }
  if (end > today + config.horizonDays) {
    return bad(`endDate must not be more than ${config.horizonDays} days after today`);
  }
  let meetingTypeId = seen.get('meetingTypeId');
  if (meetingTypeId !== undefined) {
    if (!isUuid(meetingTypeId)) return bad('meetingTypeId must be a UUID');
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
  return { ok: true, query: { userId, start, end, meetingTypeId, timezone } };
}

const ANY_ORIGIN = ['Access-Control-Allow-Origin', '*', 'Access-Control-Expose-Headers', EXPOSE];
const VARY = ['Vary', 'Origin'];

/**
 * The CORS headers of an answer (names and values, alternating), and whether the request's
 * origin is granted. The lists are shared: copy before adding to them.
 */
export function corsHeaders(
  request: ProxyRequest,
  config: Config,
): { headers: readonly string[]; allowed: boolean } {
  const origins = config.allowedOrigins;
  if (origins === undefined) return { headers: [], allowed: false };
  // One answer for every site: nothing varies, so a CDN shares it (see "CDN set-up").
  if (origins === '*') return { headers: ANY_ORIGIN, allowed: true };
  const origin = request.header('origin');
  if (origin === null || !origins.has(origin)) return { headers: VARY, allowed: false };
  return {
    headers: [
      'Vary',
      'Origin',
      'Access-Control-Allow-Origin',
      origin,
      'Access-Control-Expose-Headers',
      EXPOSE,
    ],
    allowed: true,
  };
}

/**
 * The client a request counts against: the trusted header's last entry, else the peer. IPv6
 * addresses count by their `ipv6PrefixLength` prefix (one /64 is one subscriber, who has all of
 * it); IPv4-mapped IPv6 addresses count as the IPv4 address.
 */
export function clientOf(request: ProxyRequest, config: Config): string {
  let address: string | undefined;
  if (config.trustProxy !== undefined) {
    const value = request.header(config.trustProxy);
    address = value
      ?.split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')
      .pop();
  }
  address = (address ?? request.clientAddress)?.slice(0, 100);
  if (address === undefined || address === '') return 'unknown';
  return address.includes(':') ? ipv6Client(address, config.ipv6PrefixLength) : address;
}

function ipv6Client(address: string, prefixLength: number): string {
  let text = address.replace(/^\[|\](:\d+)?$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  if (mapped !== null) return mapped[1];
  // An embedded IPv4 tail becomes two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4 !== null) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return address;
  const head = halves[0] === '' ? [] : halves[0].split(':');
  const tail = halves.length === 2 && halves[1] !== '' ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) {
    return address;
  }
  const words = groups.map((group) => parseInt(group, 16));
  const kept = words.map((word, i) => {
    const bits = Math.min(16, Math.max(0, prefixLength - i * 16));
    return bits === 0 ? 0 : word & (0xffff << (16 - bits)) & 0xffff;
  });
  return `${kept.map((word) => word.toString(16)).join(':')}/${prefixLength}`;
}
