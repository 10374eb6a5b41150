/**
 * The upstream client: one GET to meetergo with the key, a timeout and a body cap, and what the
 * proxy keeps of an answer (canonical instants of one block, a booking URL without the key).
 */
import { checkBookingUrl, formatInstant, parseInstant } from '../protocol.js';
import { ByteCache, SingleFlight } from './cache.js';
import type { Config } from './options.js';

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
  if (match === undefined || typeof match.bookingUrl !== 'string') return undefined;
  const checked = checkBookingUrl(match.bookingUrl);
  if (!checked.ok || checked.url.protocol !== 'https:') return undefined;
  // The raw text and the parsed one: parsing lower-cases a host and punycodes it.
  if (leaks(match.bookingUrl) || leaks(checked.url.href)) return undefined;
  return checked.url.href;
}

const BOOKING_URL_TTL_MS = 10 * 60_000;
const BOOKING_URL_RETRY_MS = 60_000;

/** What is known of a booking URL now: `known` false while a lookup runs (or none may). */
export type BookingUrlState = { known: true; url: string | undefined } | { known: false };

/**
 * Booking URLs by user and meeting type: from the options, else from meetergo's meeting types,
 * looked up in the background and kept 10 minutes (1 minute after a failed lookup). An answer
 * never waits for a lookup: it carries the booking URL once it is known.
 */
export class BookingUrls {
  readonly #config: Config;
  readonly #leaks: (text: string) => boolean;
  readonly #cache = new ByteCache<{ url: string | undefined; expiresAt: number }>(1 << 20);
  readonly #flights = new SingleFlight<string | undefined>();
  readonly #admit: () => Promise<boolean>;

  /** `admit` takes a token of the upstream budget for a lookup (`false`: none left). */
  constructor(config: Config, leaks: (text: string) => boolean, admit: () => Promise<boolean>) {
    this.#config = config;
    this.#leaks = leaks;
    this.#admit = admit;
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
    const key = `${userId}|${meetingTypeId ?? ''}`;
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.expiresAt > now) return { known: true, url: cached.url };
    this.#lookup(key, userId, meetingTypeId).catch(() => undefined);
    return { known: false };
  }

  /** The running lookup's answer, or `undefined` after `ms`, whichever comes first. */
  async wait(userId: string, meetingTypeId: string | undefined, ms: number) {
    const flight = this.#flights.joined(`${userId}|${meetingTypeId ?? ''}`);
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

  #lookup(key: string, userId: string, meetingTypeId: string | undefined) {
    return this.#flights.run(key, async () => {
      let found: string | undefined;
      let ttl = BOOKING_URL_TTL_MS;
      try {
        if (!(await this.#admit())) throw new UpstreamFault('budget');
        const answer = await upstreamGet(this.#config, '/v4/meeting-type', userId);
        if (answer.status === 200) {
          found = bookingUrlFromMeetingTypes(answer.data, meetingTypeId, this.#leaks);
        } else ttl = BOOKING_URL_RETRY_MS;
      } catch {
        ttl = BOOKING_URL_RETRY_MS;
      }
      this.#cache.set(
        key,
        { url: found, expiresAt: this.#config.now() + ttl },
        64 + (found?.length ?? 0) * 2,
      );
      return found;
    });
  }
}
