/**
 * The element's side of the proxy protocol (SPEC §3): the request URL, the fetch with its
 * signal and timeout, and validation of the answer. Knows nothing of the DOM.
 */

/** What one request for bookable windows names. */
export interface WindowsQuery {
  /** Base URL of the backend proxy; relative URLs resolve against `baseUrl`. */
  proxyUrl: string;
  userId: string;
  meetingTypeId?: string | undefined;
  startDate: string;
  endDate: string;
  timezone: string;
}

/** A usable answer: raw window items (validated later, item by item) and the proxy's booking URL. */
export interface WindowsAnswer {
  windows: unknown[];
  bookingUrl: string | null;
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

export { isUuid } from './protocol.js';

/**
 * `{proxy-url}/v4/user/{userId}/bookable-windows?startDate&endDate[&meetingTypeId]&timezone`.
 * A trailing slash on the proxy URL makes no difference; its own query is kept.
 * Throws a `TypeError` when `proxyUrl` cannot be resolved.
 */
export function windowsUrl(query: WindowsQuery, baseUrl: string): URL {
  const url = new URL(query.proxyUrl, baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = `${path}/v4/user/${encodeURIComponent(query.userId)}/bookable-windows`;
  url.hash = '';
  const params = url.searchParams;
  params.set('startDate', query.startDate);
  params.set('endDate', query.endDate);
  if (query.meetingTypeId) params.set('meetingTypeId', query.meetingTypeId);
  params.set('timezone', query.timezone);
  return url;
}

/** Fetch and validate one answer. Rejects with `SlotsRequestError`, or an `AbortError` when `signal` aborts. */
export async function fetchWindows(
  url: URL,
  signal: AbortSignal,
  timeoutMs = 15_000,
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

/** Validate a 200 answer's body. */
export function parseWindowsAnswer(body: unknown): WindowsAnswer {
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray((body as { windows?: unknown }).windows)
  ) {
    throw new SlotsRequestError('The answer has no list of windows.', null);
  }
  const { windows, bookingUrl } = body as { windows: unknown[]; bookingUrl?: unknown };
  return { windows, bookingUrl: typeof bookingUrl === 'string' ? bookingUrl : null };
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
