/**
 * The element's side of the proxy protocol (see the README's "The proxy protocol"): the request
 * URL, requests shared by every instance on the page, the fetch with its signal and timeout,
 * validation of the answer, and the `meetergo-slots:*` performance entries ("Speed and size").
 * Knows nothing of the DOM.
 */
import { instantsOf, knownInstants, rangeCovers } from './days.js';
import { canonicalZone } from './protocol.js';

export { isUuid } from './protocol.js';

/** What one request for bookable windows names. */
export interface WindowsQuery {
  /** Base URL of the backend proxy; relative URLs resolve against `baseUrl`. */
  proxyUrl: string;
  userId: string;
  meetingTypeId?: string | undefined;
  /** First and last day asked for (inclusive), read in `timezone`. */
  startDate: string;
  endDate: string;
  /**
   * The zone in which the backend reads `startDate` and `endDate`; default `UTC`. Leave it
   * unset: then the URL does not depend on the display zone, so every instance on the page,
   * in any zone, shares one answer, and a zone change re-groups the answer already loaded.
   */
  timezone?: string | undefined;
}

/** The zone request ranges are read in unless a query names another. */
export const RANGE_ZONE = 'UTC';

/** Valid instants one answer may hold at most; the earliest are kept (see `parseWindowsAnswer`). */
export const MAX_WINDOWS = 5_000;

/** A usable answer: its instants, checked, and the proxy's booking URL. */
export interface WindowsAnswer {
  /** Canonical start instants (ISO 8601 UTC, `…Z`), ascending, each once, at most `MAX_WINDOWS`. */
  windows: string[];
  bookingUrl: string | null;
  /** Items of the answer's `windows` that were not instants. */
  dropped: number;
  /** Valid instants left out beyond `MAX_WINDOWS` (the latest ones). */
  capped: number;
}

/** A failed request or an unusable answer. `status` is `null` without an HTTP status. */
export class SlotsRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'SlotsRequestError';
  }
}

// ───────────────────────────── The request ─────────────────────────────

/**
 * `{proxy-url}/v4/user/{userId}/bookable-windows?startDate&endDate[&meetingTypeId]&timezone`.
 * A trailing slash on the proxy URL makes no difference; its own query is kept.
 * Throws a `TypeError` when `proxyUrl` cannot be resolved, a `RangeError` for an unknown zone.
 */
export function windowsUrl(query: WindowsQuery, baseUrl: string): URL {
  const zone = query.timezone ?? RANGE_ZONE;
  // UTC needs no check (and so no Intl call: the element names this URL before its first one).
  if (zone !== RANGE_ZONE && canonicalZone(zone) === undefined) {
    throw new RangeError(`Unknown time zone: ${zone}`);
  }
  const url = new URL(query.proxyUrl, baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = `${path}/v4/user/${encodeURIComponent(query.userId)}/bookable-windows`;
  url.hash = '';
  const params = url.searchParams;
  params.set('startDate', query.startDate);
  params.set('endDate', query.endDate);
  if (query.meetingTypeId) params.set('meetingTypeId', query.meetingTypeId);
  params.set('timezone', zone);
  return url;
}

/**
 * Whether the answer loaded from `loaded` also serves the page `wanted` asks for, whose days in
 * `zone` are `days`: both URLs name the same proxy, host and meeting type, both ranges are read
 * in UTC, and the loaded range covers those days in that zone (`rangeCovers`). Then a zone
 * change, or a page within the loaded days, re-groups that answer instead of asking again.
 * URLs are `windowsUrl`s (strings or URLs); anything else serves nothing.
 */
export function servesPage(
  loaded: URL | string,
  wanted: URL | string,
  days: readonly string[],
  zone: string,
): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(loaded);
    b = new URL(wanted);
  } catch {
    return false;
  }
  const range = {
    startDate: a.searchParams.get('startDate') ?? '',
    endDate: a.searchParams.get('endDate') ?? '',
  };
  for (const url of [a, b]) {
    if (url.searchParams.get('timezone') !== RANGE_ZONE) return false;
    url.searchParams.delete('startDate');
    url.searchParams.delete('endDate');
  }
  return a.href === b.href && rangeCovers(range, days, zone);
}

/**
 * Fetch and validate one answer, unshared, recording `meetergo-slots:request` and
 * `meetergo-slots:answer` (see `markPhase`). Rejects with `SlotsRequestError`, or with the
 * signal's reason (an `AbortError`) when `signal` aborts. Most callers want `requestWindows`.
 */
export async function fetchWindows(
  url: URL,
  signal: AbortSignal,
  timeoutMs = 15_000,
): Promise<WindowsAnswer> {
  const started = markPhase('request', { url: url.href });
  try {
    const answer = await fetchAnswer(url, signal, timeoutMs);
    markPhase('answer', { url: url.href, windows: answer.windows.length }, started);
    return answer;
  } catch (error) {
    if (!signal.aborted) {
      const status = error instanceof SlotsRequestError ? error.status : null;
      markPhase('answer', { url: url.href, error: String(error), status }, started);
    }
    throw error;
  }
}

async function fetchAnswer(
  url: URL,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<WindowsAnswer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.any([signal, timeout]),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
  } catch (error) {
    if (signal.aborted) throw error;
    if (timeout.aborted) throw new SlotsRequestError('The request timed out.', null);
    throw new SlotsRequestError('The network request failed.', null);
  }
  let body: unknown;
  let json = true;
  try {
    body = await response.json();
  } catch (error) {
    if (signal.aborted) throw error;
    if (timeout.aborted) throw new SlotsRequestError('The request timed out.', null);
    json = false;
  }
  if (!response.ok) {
    const message = json ? messageOf(body) : null;
    throw new SlotsRequestError(
      message ?? `The server answered ${response.status}.`,
      response.status,
    );
  }
  if (!json) throw new SlotsRequestError('The answer was not JSON.', null);
  return parseWindowsAnswer(body);
}

/**
 * Validate a 200 answer's body: `windows` must be a list. Its items that are instants are kept
 * (canonical, ascending, each once), the earliest `MAX_WINDOWS` of them; the rest are counted.
 */
export function parseWindowsAnswer(body: unknown): WindowsAnswer {
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray((body as { windows?: unknown }).windows)
  ) {
    throw new SlotsRequestError('The answer has no list of windows.', null);
  }
  const { windows, bookingUrl } = body as { windows: unknown[]; bookingUrl?: unknown };
  // Read once, here: the element groups `kept` without parsing it again (`knownInstants`).
  const { starts, epochs, dropped } = instantsOf(windows);
  const order = epochs.map((_, i) => i);
  if (epochs.some((epoch, i) => epoch < epochs[i - 1]!))
    order.sort((a, b) => epochs[a]! - epochs[b]!);
  const kept: string[] = [];
  const keptEpochs: number[] = [];
  let previous = Number.NaN;
  let unique = 0;
  for (const i of order) {
    if (epochs[i] === previous) continue;
    previous = epochs[i]!;
    unique++;
    if (kept.length < MAX_WINDOWS) {
      kept.push(starts[i]!);
      keptEpochs.push(previous);
    }
  }
  knownInstants(kept, keptEpochs);
  return {
    windows: kept,
    bookingUrl: typeof bookingUrl === 'string' ? bookingUrl : null,
    dropped,
    capped: unique - kept.length,
  };
}

/** Whether two answers show the same: same instants, same booking URL. */
export function sameAnswer(
  a: WindowsAnswer | null | undefined,
  b: WindowsAnswer | null | undefined,
): boolean {
  if (a === b) return true;
  if (!a || !b || a.bookingUrl !== b.bookingUrl || a.windows.length !== b.windows.length) {
    return false;
  }
  return a.windows.every((start, i) => start === b.windows[i]);
}

/** A proxy error body's message (`{statusCode, message}`), shortened; `null` when there is none. */
function messageOf(body: unknown): string | null {
  const message = (body as { message?: unknown } | null)?.message;
  const text = Array.isArray(message)
    ? message.filter((m) => typeof m === 'string').join('; ')
    : message;
  if (typeof text !== 'string' || !text.trim()) return null;
  const trimmed = text.trim();
  return trimmed.length > 200 ? `${trimmed.slice(0, 199)}…` : trimmed;
}

// ───────────────────────────── Shared requests ─────────────────────────────

/** How long an answer is handed to instances that ask for the same URL after it arrived. */
export const ANSWER_MEMO_MS = 5_000;
const MEMO_LIMIT = 32;

interface Flight {
  controller: AbortController;
  promise: Promise<WindowsAnswer>;
  subscribers: number;
}

export interface SharedRequestsOptions {
  /** How long an arrived answer is shared (ms); default `ANSWER_MEMO_MS`. */
  memoMs?: number;
  /** A clock in ms for the memo; default `performance.now`. */
  now?: () => number;
  /** Timeout of each fetch (ms); default 15,000. */
  timeoutMs?: number;
}

/**
 * Requests shared by URL, without the HTTP cache: one fetch per URL in flight, whoever asks
 * for it; an answer that arrived less than `memoMs` ago is handed out again; different URLs
 * fetch in parallel. Each caller's signal aborts only its own wait; the fetch itself aborts
 * when every caller waiting for it has gone. Failures are not remembered.
 */
export class SharedRequests {
  private readonly _flights = new Map<string, Flight>();
  private readonly _answers = new Map<string, { answer: WindowsAnswer; at: number }>();
  private readonly _memoMs: number;
  private readonly _now: () => number;
  private readonly _timeoutMs: number;

  constructor(options: SharedRequestsOptions = {}) {
    this._memoMs = options.memoMs ?? ANSWER_MEMO_MS;
    this._now = options.now ?? (() => performance.now());
    this._timeoutMs = options.timeoutMs ?? 15_000;
  }

  /**
   * The answer for `url`: the one that just arrived, the one in flight, or a new fetch.
   * `fresh` skips the remembered answer (a viewer's Retry or `refresh()`), but still joins a
   * fetch in flight. Rejects as `fetchWindows` does; with `signal`'s reason when it aborts.
   */
  get(
    url: URL | string,
    signal?: AbortSignal,
    options: { fresh?: boolean } = {},
  ): Promise<WindowsAnswer> {
    const key = String(url);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!options.fresh) {
      const remembered = this._answers.get(key);
      if (remembered && this._now() - remembered.at < this._memoMs) {
        return Promise.resolve(remembered.answer);
      }
    }
    const flight = this._flights.get(key) ?? this._start(key);
    flight.subscribers++;
    return new Promise<WindowsAnswer>((resolve, reject) => {
      let waiting = true;
      const leave = () => {
        waiting = false;
        flight.subscribers--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (!waiting) return;
        leave();
        reject(signal!.reason);
        if (flight.subscribers === 0 && this._flights.get(key) === flight) {
          this._flights.delete(key);
          flight.controller.abort();
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (answer) => {
          if (!waiting) return;
          leave();
          resolve(answer);
        },
        (error: unknown) => {
          if (!waiting) return;
          leave();
          reject(error);
        },
      );
    });
  }

  /** Forget every remembered answer (fetches in flight go on). */
  forget(): void {
    this._answers.clear();
  }

  /** URLs being fetched now. */
  get inFlight(): number {
    return this._flights.size;
  }

  private _start(key: string): Flight {
    const controller = new AbortController();
    const flight: Flight = {
      controller,
      subscribers: 0,
      promise: fetchWindows(new URL(key), controller.signal, this._timeoutMs).then((answer) => {
        this._remember(key, answer);
        return answer;
      }),
    };
    flight.promise
      .finally(() => {
        if (this._flights.get(key) === flight) this._flights.delete(key);
      })
      .catch(() => undefined); // callers see the failure; nobody else must
    this._flights.set(key, flight);
    return flight;
  }

  private _remember(key: string, answer: WindowsAnswer): void {
    const now = this._now();
    for (const [url, { at }] of this._answers) {
      if (now - at >= this._memoMs) this._answers.delete(url);
    }
    this._answers.delete(key);
    this._answers.set(key, { answer, at: now });
    if (this._answers.size > MEMO_LIMIT) {
      this._answers.delete(this._answers.keys().next().value as string);
    }
  }
}

/** The requests every <meetergo-slots> on the page shares. */
export const sharedRequests = /* @__PURE__ */ new SharedRequests();

/** The answer for `url`, shared with every instance on the page (see `SharedRequests#get`). */
export function requestWindows(
  url: URL | string,
  signal?: AbortSignal,
  options?: { fresh?: boolean },
): Promise<WindowsAnswer> {
  return sharedRequests.get(url, signal, options);
}

// ───────────────────────────── Performance entries ─────────────────────────────

/** A phase of loading, recorded as a `meetergo-slots:<phase>` performance entry. */
export type Phase = 'request' | 'answer' | 'rendered';

/**
 * Records `meetergo-slots:<phase>` on the page's performance timeline, with `detail`: a mark,
 * or, given `start` (a `performance.now()` time), a measure from `start` to now. Returns the
 * time it recorded, for a later measure's `start`. Never throws (a runtime without User
 * Timing records nothing).
 *
 * The element's own entries: `meetergo-slots:request` (mark, a fetch starts, `{url}`),
 * `meetergo-slots:answer` (measure from that mark to the validated answer or the failure,
 * `{url, windows}` or `{url, error, status}`) and `meetergo-slots:rendered` (mark: slots are
 * on screen, recorded by the element).
 */
export function markPhase(phase: Phase, detail?: unknown, start?: number): number {
  const name = `meetergo-slots:${phase}`;
  try {
    const now = performance.now();
    if (start === undefined) performance.mark(name, { detail, startTime: now });
    else performance.measure(name, { start, end: now, detail });
    return now;
  } catch {
    return Number.NaN;
  }
}
