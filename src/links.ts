/**
 * Booking URL validation and slot link building (README "Slot links"). Knows nothing of the DOM.
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

// ───────────────────────────── Prefill ─────────────────────────────

/** What `checkPrefill` makes of a `prefill` value. */
export interface PrefillCheck {
  /** The entries slot links carry, in the object's order, values as text. */
  entries: [string, string][];
  /** Why some or all of it was ignored: one sentence for one console warning; absent when all was used. */
  problem?: string;
}

/** A short description of a value's kind for a warning (never its content). */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object')
    return 'an object that is not a plain one (a Map, a class instance…)';
  return `a ${typeof value}`;
}

/**
 * The booking-form prefill slot links carry. Only a plain object counts (its prototype is
 * `Object.prototype` or `null`); anything else (a string, an array, a `Map`, a class instance,
 * a Proxy or getter that throws when read) is ignored as a whole. Of a plain object, entries
 * whose values are strings, finite numbers or booleans are kept (numbers and booleans as
 * `String()` writes them); `null` and `undefined` mean "not set" and are skipped silently;
 * other values (objects, arrays, functions, symbols, bigints, `NaN`, `Infinity`) are skipped,
 * and so are the names `date`, `slot`, `timezone` (they point a link at its slot) and the empty
 * name. Whatever is skipped is named (by key, never by value) in one `problem`, so the element
 * can warn once. `undefined` and `null` are no prefill and no problem. Call it once per update.
 */
export function checkPrefill(prefill: unknown): PrefillCheck {
  if (prefill === undefined || prefill === null) return { entries: [] };
  const ignored = (why: string): PrefillCheck => ({
    entries: [],
    problem: `prefill is ignored: ${why}; it must be a plain object of strings, numbers and booleans.`,
  });
  if (typeof prefill !== 'object' || Array.isArray(prefill)) {
    return ignored(`it is ${kindOf(prefill)}`);
  }
  const entries: [string, string][] = [];
  const badValues: string[] = [];
  const reserved: string[] = [];
  try {
    const prototype: unknown = Object.getPrototypeOf(prefill);
    if (prototype !== Object.prototype && prototype !== null) {
      return ignored(`it is ${kindOf(prefill)}`);
    }
    const record = prefill as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      const value = record[name];
      if (value === undefined || value === null) continue;
      if (name === '' || SLOT_PARAMS.has(name)) {
        reserved.push(name === '' ? '(empty name)' : name);
      } else if (typeof value === 'string') {
        entries.push([name, value]);
      } else if (
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value))
      ) {
        entries.push([name, String(value)]);
      } else {
        badValues.push(name);
      }
    }
  } catch {
    return ignored('it could not be read');
  }
  const parts: string[] = [];
  const list = (names: string[]) => {
    const shown = names
      .slice(0, 5)
      .map((name) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name))
      .join(', ');
    const more = names.length > 5 ? ` and ${names.length - 5} more` : '';
    return names.length === 1 ? `entry ${shown} is` : `entries ${shown}${more} are`;
  };
  if (badValues.length > 0) {
    parts.push(
      `prefill ${list(badValues)} skipped: only strings, finite numbers and booleans are used`,
    );
  }
  if (reserved.length > 0) {
    parts.push(`prefill ${list(reserved)} skipped: date, slot and timezone belong to the slot`);
  }
  return parts.length === 0 ? { entries } : { entries, problem: `${parts.join('; ')}.` };
}

// ───────────────────────────── Link targets ─────────────────────────────

/** The `target` and `rel` of slot links. */
export interface LinkTarget {
  /** The `target` attribute: a keyword in lower case (`_blank`), or a name as given (trimmed). */
  target: string;
  /** The `rel` attribute, or `undefined` for none. */
  rel: string | undefined;
}

const SAME_CONTEXT = new Set(['_self', '_parent', '_top']);

/**
 * The `target` and `rel` of slot links for a `link-target` value. Keywords are matched
 * case-insensitively, as HTML does (`_BLANK`, `_Blank` → `_blank`); empty, missing or
 * non-string values mean `_blank`. Every target that may open a new browsing context (`_blank`,
 * any name such as `booking`, unknown `_…` words) gets `rel="noopener noreferrer"`: the booking
 * page gets no handle on the host page and no referrer with its query. `_self`, `_parent` and
 * `_top` stay in an existing context and get no `rel`.
 */
export function linkTarget(value: unknown): LinkTarget {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return { target: '_blank', rel: 'noopener noreferrer' };
  const lower = text.toLowerCase();
  if (SAME_CONTEXT.has(lower)) return { target: lower, rel: undefined };
  return { target: lower === '_blank' ? '_blank' : text, rel: 'noopener noreferrer' };
}

// ───────────────────────────── Slot links ─────────────────────────────

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
  /** Booking-form prefill, as the element's `prefill` property: read with `checkPrefill`. */
  prefill?: unknown;
}

/**
 * The slot's href, built with the URL API (one `URL` per call; for many slots use
 * `bookingBase` and `slotHref`, which give the same text): the booking URL with `date`, `slot`,
 * `timezone`, the utm pairs and the prefill entries (`checkPrefill`) set as query parameters;
 * the URL's existing parameters are kept. Each is set (replacing a parameter of that name), in
 * that order, so a later utm pair of the same name wins. The hash is kept; `booking` is not
 * changed.
 */
export function buildSlotUrl(booking: URL, params: SlotLinkParams): string {
  return withParams(booking, params.date, params.slot, {
    timezone: params.timezone,
    utm: params.utm,
    prefill: checkPrefill(params.prefill).entries,
  });
}

/** What every slot link of a render shares. */
export interface BookingBaseParams {
  /** The display zone. */
  timezone: string;
  /** `utm_*` pairs of the host page. */
  utm?: readonly [string, string][];
  /** The prefill entries (`checkPrefill(prefill).entries`). */
  prefill?: readonly [string, string][];
}

function withParams(booking: URL, date: string, slot: string, base: BookingBaseParams): string {
  const url = new URL(booking.href);
  const query = url.searchParams;
  query.set('date', date);
  query.set('slot', slot);
  query.set('timezone', base.timezone);
  for (const [name, value] of base.utm ?? []) query.set(name, value);
  for (const [name, value] of base.prefill ?? []) {
    if (name === '' || SLOT_PARAMS.has(name)) continue;
    query.set(name, value);
  }
  return url.href;
}

/**
 * A slot link template: the href's text around its `date` and `slot` values. Build it once
 * per render with `bookingBase`, then `slotHref` per slot.
 */
export interface BookingBase {
  /** The href up to the first of the two values. */
  readonly head: string;
  /** The text between the two values. */
  readonly middle: string;
  /** The href after the second value. */
  readonly tail: string;
  /** Whether `slot` comes before `date` (the booking URL had them in that order). */
  readonly slotFirst: boolean;
  /** Set when no template could be made: `slotHref` builds each link with the URL API from it. */
  readonly fallback?: { readonly booking: URL; readonly params: BookingBaseParams };
}

/** Marker values for the template: URL-safe characters, so the URL API writes them as they are. */
function marker(kind: 'd' | 's', round: number): string {
  return `mgslots${kind}${round}x`;
}

/**
 * The shared part of every slot link of a render: the booking URL with `timezone`, the utm
 * pairs and the prefill entries set, and places for `date` and `slot` exactly where
 * `buildSlotUrl` puts them (a parameter of that name already in the booking URL is replaced
 * in place). One `URL` per render, not per slot. `booking` is not changed.
 */
export function bookingBase(booking: URL, params: BookingBaseParams): BookingBase {
  for (let round = 0; round < 8; round++) {
    const [d, s] = [marker('d', round), marker('s', round)];
    const href = withParams(booking, d, s, params);
    const dParts = href.split(d);
    const sParts = href.split(s);
    if (dParts.length !== 2 || sParts.length !== 2) continue;
    const slotFirst = sParts[0]!.length < dParts[0]!.length;
    const [first, second] = slotFirst ? [s, d] : [d, s];
    const head = href.slice(0, href.indexOf(first));
    const rest = href.slice(head.length + first.length);
    const middle = rest.slice(0, rest.indexOf(second));
    const tail = rest.slice(middle.length + second.length);
    return { head, middle, tail, slotFirst };
  }
  return { head: '', middle: '', tail: '', slotFirst: false, fallback: { booking, params } };
}

const FORM_SAFE = /^[A-Za-z0-9*\-._]*$/;
/** Unpaired UTF-16 surrogates, which `URLSearchParams` writes as U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A query value as `URLSearchParams` writes it (application/x-www-form-urlencoded). */
function formEncode(value: string): string {
  if (FORM_SAFE.test(value)) return value;
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'))
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+');
}

/**
 * A slot's href from a `bookingBase`: the same text `buildSlotUrl` gives for this `date` and
 * `slot`, without parsing a URL.
 */
export function slotHref(base: BookingBase, date: string, slot: string): string {
  if (base.fallback) return withParams(base.fallback.booking, date, slot, base.fallback.params);
  const [first, second] = base.slotFirst ? [slot, date] : [date, slot];
  return base.head + formEncode(first) + base.middle + formEncode(second) + base.tail;
}
