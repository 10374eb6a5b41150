/**
 * Booking URL validation and slot link building. Knows nothing of the DOM.
 */

export { checkBookingUrl, type BookingUrlCheck } from './protocol.js';

/** Parameters that point a link at its slot; prefill cannot override them. */
const SLOT_PARAMS = new Set(['date', 'slot', 'timezone']);

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
