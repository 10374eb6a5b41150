/**
 * The upstream client: one GET to meetergo with the key, a timeout and a body cap, and what the
 * proxy keeps of an answer (canonical instants of one block, a booking URL without the key).
 */
import { checkBookingUrl, formatInstant, parseInstant } from '../protocol.js';
import { ByteCache, SingleFlight } from './cache.js';
import type { Config } from './options.js';
import type { StoredBlock } from './store.js';

/** Why an upstream round trip produced no answer (`timeout`, `network(TypeError)`, …). */
export class UpstreamFault extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface UpstreamAnswer {
  status: number;
  retryAfter: string | null;
  /** The parsed JSON body of a 200. */
  data?: unknown;
}

const DEFAULT_RETRY_AFTER = 60;

/** One upstream GET with the key; reads and parses the body of a 200 only. */
export async function upstreamGet(
  config: Config,
  path: string,
  userId: string,
): Promise<UpstreamAnswer> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new UpstreamFault('timeout'));
      controller.abort();
    }, config.timeoutMs);
  });
  const attempt = async (): Promise<UpstreamAnswer> => {
    let response: Response;
    try {
      response = await config.fetch(
        new Request(config.upstream + path, {
          method: 'GET',
          headers: {
            Authorization: `Bearer ${config.apiKey}`,
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
  const running = attempt();
  running.catch(() => undefined);
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
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

/** Seconds to wait from an upstream `Retry-After` (seconds or HTTP date), kept within 1 s–1 h. */
export function retryAfterSeconds(header: string | null, now: number): number {
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

/** A block's windows: upstream items that are instants in `[from, to)`, canonical, sorted, unique. */
export interface BlockWindows {
  windows: string[];
  /** Their epoch ms, in the same order (for cutting answers by binary search). */
  times: number[];
  /** Instants dropped past `maxWindows`. */
  capped: number;
}

/** What the proxy keeps of a windows answer, or `undefined` when it has no `windows` array. */
export function blockWindows(
  data: unknown,
  from: number,
  to: number,
  max: number,
): BlockWindows | undefined {
  const list =
    data !== null && typeof data === 'object' && !Array.isArray(data)
      ? (data as Record<string, unknown>).windows
      : undefined;
  if (!Array.isArray(list)) return undefined;
  const found = new Set<number>();
  for (const item of list) {
    const time = parseInstant(item);
    if (time >= from && time < to) found.add(time);
  }
  const times = [...found].sort((a, b) => a - b);
  const capped = Math.max(0, times.length - max);
  if (capped > 0) times.length = max;
  return { windows: times.map(formatInstant), times, capped };
}

/**
 * Whether a text carries the key in any form a browser could recover it from: as is, in another
 * letter case (URL parsing lower-cases hosts), or percent-encoded (repeatedly, or only a letter).
 * Short keys count too: a false alarm costs a booking URL, a miss costs the key.
 */
export function makeLeakCheck(apiKey: string): (text: string) => boolean {
  const needle = apiKey.toLowerCase();
  return (text) => {
    let current = text;
    for (let round = 0; round < 4; round += 1) {
      if (current.toLowerCase().includes(needle)) return true;
      const decoded = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
      if (decoded === current) return false;
      current = decoded;
    }
    return true;
  };
}

/** The booking URL of the matching meeting type in a listing: `https:`, no credentials. */
export function bookingUrlFromMeetingTypes(
  data: unknown,
  meetingTypeId: string | undefined,
  leaks: (text: string) => boolean,
): string | undefined {
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
  return match === undefined ? undefined : safeBookingUrl(match.bookingUrl, leaks);
}

/**
 * How long a looked-up booking URL is used before it is looked up again (in the background, the
 * old one served meanwhile). A host's booking page rarely moves; an hour keeps lookups to one
 * call per host an hour, so they never crowd the budget out of the blocks (1,000 hosts: 17 a
 * minute).
 */
const BOOKING_URL_TTL_MS = 60 * 60_000;
const BOOKING_URL_RETRY_MS = 60_000;

/** What is known of a booking URL now: `known` false while a lookup runs (or none may). */
export type BookingUrlState = { known: true; url: string | undefined } | { known: false };

/** How lookups are shared between instances: the fleet's store, under names of their own. */
export interface SharedLookups {
  get(name: string): Promise<StoredBlock | undefined>;
  set(name: string, block: StoredBlock, ttlMs: number): Promise<void>;
  lock(name: string, ttlMs: number): Promise<string | null>;
  unlock(name: string, token: string): Promise<void>;
  /** Takes a token of the upstream budget for a lookup (`false`: none left, or paused). */
  admit(): Promise<boolean>;
}

/** A booking URL fit to send: `https:`, no credentials, not holding the key in any form. */
function safeBookingUrl(raw: unknown, leaks: (text: string) => boolean): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const checked = checkBookingUrl(raw);
  if (!checked.ok || checked.url.protocol !== 'https:') return undefined;
  // The raw text and the parsed one: parsing lower-cases a host and punycodes it.
  if (leaks(raw) || leaks(checked.url.href)) return undefined;
  return checked.url.href;
}

/**
 * Booking URLs by user and meeting type: from the options, else from meetergo's meeting types,
 * looked up in the background once for the fleet (the answer is kept in the store, an hour;
 * 1 minute after a failed lookup). An answer never waits for a lookup: it carries the booking
 * URL once it is known, and the one known before while it is looked up again (a failed lookup
 * keeps it too).
 */
export class BookingUrls {
  readonly #config: Config;
  readonly #leaks: (text: string) => boolean;
  readonly #cache = new ByteCache<{ url: string | undefined; expiresAt: number }>(1 << 20);
  readonly #flights = new SingleFlight<string | undefined>();
  readonly #shared: SharedLookups;

  constructor(config: Config, leaks: (text: string) => boolean, shared: SharedLookups) {
    this.#config = config;
    this.#leaks = leaks;
    this.#shared = shared;
  }

  /** What is known now; starts a lookup when nothing is and none runs. */
  peek(userId: string, meetingTypeId: string | undefined, now: number): BookingUrlState {
    const config = this.#config;
    const configured =
      (meetingTypeId === undefined ? undefined : config.bookingUrls.get(meetingTypeId)) ??
      config.bookingUrls.get(userId);
    if (configured !== undefined || !config.bookingUrlLookup) {
      return { known: true, url: configured };
    }
    const key = `${userId}:${meetingTypeId ?? '-'}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.expiresAt > now) return { known: true, url: cached.url };
    this.#lookup(key, userId, meetingTypeId).catch(() => undefined);
    // Stale while it is looked up again.
    if (cached?.url !== undefined) return { known: true, url: cached.url };
    return { known: false };
  }

  /** What is known once the running lookup answers, or after `ms`, whichever comes first. */
  async wait(userId: string, meetingTypeId: string | undefined, ms: number) {
    const flight = this.#flights.joined(`${userId}:${meetingTypeId ?? '-'}`);
    if (flight === undefined) return this.peek(userId, meetingTypeId, this.#config.now());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    try {
      await Promise.race([flight, late]);
    } finally {
      clearTimeout(timer);
    }
    return this.peek(userId, meetingTypeId, this.#config.now());
  }

  #remember(key: string, url: string | undefined, expiresAt: number): string | undefined {
    this.#cache.set(key, { url, expiresAt }, 64 + (url?.length ?? 0) * 2);
    return url;
  }

  #lookup(key: string, userId: string, meetingTypeId: string | undefined) {
    return this.#flights.run(key, async () => {
      const config = this.#config;
      const shared = this.#shared;
      // Another instance may have looked it up already.
      const stored = await shared.get(key);
      if (stored !== undefined) {
        try {
          const { bookingUrl, ttl } = JSON.parse(stored.body) as {
            bookingUrl?: unknown;
            ttl?: number;
          };
          const expiresAt = stored.fetchedAt + Math.min(Number(ttl) || 0, BOOKING_URL_TTL_MS);
          if (expiresAt > config.now()) {
            return this.#remember(key, safeBookingUrl(bookingUrl, this.#leaks), expiresAt);
          }
        } catch {
          // An unreadable entry is looked up again.
        }
      }
      const known = this.#cache.get(key)?.url;
      const token = await shared.lock(key, config.timeoutMs + 5000);
      // Another instance looks it up now: ask the store again in a moment.
      if (token === null) return this.#remember(key, known, config.now() + 2000);
      try {
        let found: string | undefined;
        let ttl = BOOKING_URL_TTL_MS;
        try {
          if (!(await shared.admit())) throw new UpstreamFault('budget');
          const answer = await upstreamGet(config, '/v4/meeting-type', userId);
          if (answer.status === 200) {
            found = bookingUrlFromMeetingTypes(answer.data, meetingTypeId, this.#leaks);
          } else ttl = BOOKING_URL_RETRY_MS;
        } catch {
          ttl = BOOKING_URL_RETRY_MS;
        }
        // A failed lookup keeps the URL known before (stale-if-error), and tries again soon.
        if (ttl === BOOKING_URL_RETRY_MS) found = known;
        const fetchedAt = config.now();
        const body = JSON.stringify({ bookingUrl: found ?? null, ttl });
        await shared.set(key, { body, fetchedAt }, ttl);
        return this.#remember(key, found, fetchedAt + ttl);
      } finally {
        await shared.unlock(key, token);
      }
    });
  }
}
