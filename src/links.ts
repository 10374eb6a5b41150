/**
 * Booking URL validation and slot link building. Knows nothing of the DOM.
 */

export type BookingUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** C0 controls and DEL: the URL parser drops or strips them, so they can hide a scheme. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const HAS_SCHEME = /^[a-z][a-z\d+.-]*:/i;
/** Parameters that point a link at its slot; prefill cannot override them. */
const SLOT_PARAMS = new Set(['date', 'slot', 'timezone']);

/**
 * Accept only absolute `https:` URLs, or `http:` on `localhost`, `127.0.0.1`, `[::1]`;
 * never credentials in the authority. Anything else (`javascript:`, `data:`, relative,
 * malformed, control characters that hide a scheme) is refused with a human reason.
 * Surrounding whitespace is ignored; a control character anywhere is refused. Use the
 * returned `url` (parsed and normalized), never `raw`.
 */
export function checkBookingUrl(raw: string | null | undefined): BookingUrlCheck {
  const refuse = (reason: string): BookingUrlCheck => ({ ok: false, reason });
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return refuse('No booking URL is set.');
  if (CONTROL_CHARS.test(text)) return refuse('The booking URL contains control characters.');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse(
      HAS_SCHEME.test(text)
        ? 'The booking URL is not a valid URL.'
        : 'The booking URL is relative; an absolute https: URL is needed.',
    );
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    return refuse('The booking URL uses http:; only https: is allowed outside localhost.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(`The booking URL uses ${url.protocol}; only https: is allowed.`);
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('The booking URL contains credentials.');
  }
  return { ok: true, url };
}

/**
 * The `utm_*` parameters of a page URL (e.g. `location.href`), in order. Names are matched
 * case-sensitively (`utm_source` yes, `UTM_SOURCE` no), as analytics tools read them;
 * a malformed page URL has none.
 */
export function utmParams(pageUrl: string): [string, string][] {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    return [];
  }
  return [...url.searchParams].filter(([name]) => name.startsWith('utm_'));
}

/** What a slot link carries besides the booking URL. */
export interface SlotLinkParams {
  /** `YYYY-MM-DD` in the display zone. */
  date: string;
  /** Start instant, ISO 8601 UTC with `Z`. */
  slot: string;
  /** The display zone. */
  timezone: string;
  /** `utm_*` pairs of the host page. */
  utm?: readonly [string, string][];
  /** Booking-form prefill; `undefined`/`null` values are skipped, others stringified. */
  prefill?: Readonly<Record<string, unknown>> | null;
}

/**
 * The slot's href: the booking URL with `date`, `slot`, `timezone`, the utm pairs and the
 * prefill entries set as query parameters; the URL's existing parameters are kept.
 * Each is set (replacing a parameter of that name), in that order, so a later utm pair of the
 * same name wins; prefill entries named `date`, `slot` or `timezone`, or with an empty name,
 * are ignored so a link always points at its slot. The hash is kept; `booking` is not changed.
 */
export function buildSlotUrl(booking: URL, params: SlotLinkParams): string {
  const url = new URL(booking.href);
  const query = url.searchParams;
  query.set('date', params.date);
  query.set('slot', params.slot);
  query.set('timezone', params.timezone);
  for (const [name, value] of params.utm ?? []) query.set(name, value);
  for (const [name, value] of Object.entries(params.prefill ?? {})) {
    if (value === null || value === undefined || name === '' || SLOT_PARAMS.has(name)) continue;
    query.set(name, String(value));
  }
  return url.href;
}
