/**
 * What `<meetergo-slots>` shows, derived from its properties and its surroundings: pure (no DOM;
 * "now", the viewer's zone, the page's URL and language come in), so it is tested in Node.
 *
 * Two steps, so the request starts before any label is formatted: `deriveConfig` settles the
 * inputs (zone, locale, days, the request, the problems and their warnings); `present` places
 * an answer on the page's days and writes every label the element renders.
 */
import { servesPage, windowsUrl, type WindowsAnswer } from './api.js';
import {
  cached,
  groupByDay,
  isIsoDate,
  pageDays,
  requestRange,
  todayIn,
  type DayGroup,
  type IsoDate,
} from './days.js';
import { formatDayHeading, formatLongDate, formatTimes } from './labels.js';
import {
  bookingBase,
  checkPrefill,
  linkTarget,
  slotHref,
  utmParams,
  type BookingBase,
} from './links.js';
import {
  canonicalInstant,
  canonicalZone,
  checkBookingUrl,
  formatDay,
  isUuid,
  parseDay,
} from './protocol.js';
import { fill, fillCount, languageOf, resolveStrings, type SlotsStrings } from './strings.js';
import { zoneLabel } from './zones.js';

export type Theme = 'light' | 'dark' | 'auto';
export type HourCycle = 'h12' | 'h23';
export type Mode = 'link' | 'pick';
/** What the element is showing; also its host custom state (`:state(loaded)`). */
export type SlotsState = 'loading' | 'empty' | 'error' | 'stale' | 'loaded' | 'misconfigured';

/** A console warning: a key (each warns once) and its message. */
export type Warning = [key: string, message: string];

/** What the view is derived from: the element's properties and its surroundings. */
export interface ViewInput {
  proxyUrl?: string | undefined;
  userId?: string | undefined;
  meetingTypeId?: string | undefined;
  bookingUrl?: string | undefined;
  timezone?: string | undefined;
  locale?: string | undefined;
  hourCycle?: unknown;
  days?: unknown;
  startDate?: string | undefined;
  linkTarget?: string | undefined;
  visiblePerDay?: unknown;
  mode?: unknown;
  theme?: unknown;
  headingLevel?: unknown;
  prefill?: unknown;
  strings?: unknown;
  value?: unknown;
  /** The first day after Previous/Next or a jump; wins over `startDate`. */
  pageStart?: IsoDate | undefined;
  /** The zone the viewer picked in the switcher; wins over `timezone`. */
  chosenZone?: string | undefined;
  now: Date;
  /** The runtime's zone (may be a legacy alias such as `Asia/Calcutta`). */
  viewerZone: string;
  /** The page's `lang`. */
  pageLang?: string | undefined;
  /** The browser's language. */
  browserLang?: string | undefined;
  /** The host page's URL (its `utm_*` parameters go into links). */
  pageUrl: string;
  /** What a relative `proxy-url` resolves against. */
  baseUrl: string;
}

/** The settled inputs of one update. */
export interface Config {
  now: Date;
  zone: string;
  /** The viewer's own zone (current IANA name), first in the switcher. */
  ownZone: string;
  locale: string;
  /** The language the built-in words are written in (`en` for locales without their own). */
  lang: string;
  hourCycle: HourCycle | undefined;
  today: IsoDate;
  days: IsoDate[];
  /** The request URL of this page (zone-independent: UTC days); `null` with a `problem`. */
  url: string | null;
  /** A configuration problem that prevents any request, named in the element. */
  problem: string | null;
  strings: SlotsStrings;
  theme: Theme;
  mode: Mode;
  headingLevel: number;
  visiblePerDay: number;
  target: string;
  /** `rel` of slot links; `undefined` for `_self`, `_top`, `_parent`. */
  rel: string | undefined;
  /** The element's own `booking-url`, when usable. */
  booking: URL | null;
  utm: [string, string][];
  prefill: [string, string][];
  /** The picked instant, canonical (`…Z`), or `null`. */
  value: string | null;
  warnings: Warning[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function choose<T extends string>(
  value: unknown,
  allowed: readonly T[],
  fallback: T,
  name: string,
  warnings: Warning[],
): T {
  if (value === undefined || value === null || value === '') return fallback;
  const text = String(value).trim() as T;
  if (allowed.includes(text)) return text;
  warnings.push([
    `${name}:${text}`,
    `${name} "${text}" is not one of ${allowed.join(', ')}; using ${fallback}.`,
  ]);
  return fallback;
}

function integer(
  value: unknown,
  min: number,
  max: number,
  fallback: number,
  name: string,
  warnings: Warning[],
): number {
  const number = Number(value);
  if (value !== null && value !== '' && Number.isInteger(number) && number >= min && number <= max)
    return number;
  const used = Number.isFinite(number)
    ? Math.min(max, Math.max(min, Math.round(number)))
    : fallback;
  warnings.push([
    `${name}:${String(value)}`,
    `${name} "${String(value)}" is not a whole number from ${min} to ${max}; using ${used}.`,
  ]);
  return used;
}

function resolveLocale(input: ViewInput, warnings: Warning[]): string {
  for (const candidate of [input.locale, input.pageLang, input.browserLang]) {
    const tag = typeof candidate === 'string' ? candidate.trim() : '';
    if (!tag) continue;
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      if (candidate === input.locale)
        warnings.push([`locale:${tag}`, `locale "${tag}" is not a BCP 47 language tag.`]);
    }
  }
  return 'en';
}

/** What stops any request: a missing or malformed required attribute, or an unusable proxy URL. */
function requestProblem(input: ViewInput): { problem: string | null; proxy?: URL } {
  const proxy = input.proxyUrl?.trim();
  const user = input.userId?.trim();
  const meeting = input.meetingTypeId?.trim();
  if (!proxy) return { problem: 'the proxy-url attribute is missing.' };
  if (!user) return { problem: 'the user-id attribute is missing.' };
  if (!isUuid(user)) return { problem: `user-id "${input.userId}" is not a UUID.` };
  if (meeting && !isUuid(meeting))
    return { problem: `meeting-type-id "${input.meetingTypeId}" is not a UUID.` };
  let url: URL;
  try {
    url = new URL(proxy, input.baseUrl);
  } catch {
    return { problem: `proxy-url "${proxy}" is not a URL.` };
  }
  if (url.username || url.password) {
    return {
      problem:
        'proxy-url contains a user name or password; browsers refuse such URLs, and credentials must stay on your server.',
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { problem: `proxy-url "${proxy}" is not an http(s) URL.` };
  return { problem: null, proxy: url };
}

/** The request URL of a page's days (zone-independent: UTC days). */
function requestUrl(input: ViewInput, proxy: URL, days: readonly IsoDate[]): string {
  const query = {
    proxyUrl: proxy.href,
    userId: input.userId!.trim(),
    meetingTypeId: input.meetingTypeId?.trim() || undefined,
    ...requestRange(days),
  };
  return windowsUrl(query, input.baseUrl).href;
}

/**
 * The request URL `deriveConfig` will name, when it is known without any time-zone maths, so
 * the element can start the request before its first `Intl` call (whose ICU start-up costs
 * more than the rest of the first update): the page starts on `startDate` when that is no
 * earlier than tomorrow in UTC (no zone is a day ahead of that), or, without a `timezone`, on
 * the viewer's today as `Date` reads it. `null` otherwise (then only `deriveConfig` knows);
 * `viewerZone` is not read.
 */
export function earlyUrl(input: ViewInput): string | null {
  const { problem, proxy } = requestProblem(input);
  const count = Number(input.days ?? 7);
  const now = input.now.getTime();
  let first = parseDay(input.startDate) ?? -1;
  if (first <= Math.floor(now / DAY)) {
    if (input.timezone?.trim()) return null;
    const local = new Date(now);
    first = Math.max(first, Date.UTC(local.getFullYear(), local.getMonth(), local.getDate()) / DAY);
  }
  if (problem || input.pageStart || input.chosenZone || !(count >= 1 && count <= 28)) return null;
  try {
    return Number.isInteger(count)
      ? requestUrl(input, proxy!, [formatDay(first), formatDay(first + count - 1)])
      : null;
  } catch {
    return null; // beyond 9999-12-31
  }
}

/** Settle the inputs of one update: never throws; every problem is a warning or `problem`. */
export function deriveConfig(input: ViewInput): Config {
  const warnings: Warning[] = [];
  const now = input.now;
  const locale = resolveLocale(input, warnings);
  const strings = resolveStrings(
    locale,
    input.strings && typeof input.strings === 'object'
      ? (input.strings as Partial<Record<keyof SlotsStrings, unknown>>)
      : null,
  );
  const ownZone = canonicalZone(input.viewerZone) ?? 'UTC';
  let zone = input.chosenZone ?? ownZone;
  const own = input.timezone?.trim();
  if (!input.chosenZone && own) {
    const canonical = canonicalZone(own);
    if (canonical) zone = canonical;
    else
      warnings.push([
        `timezone:${own}`,
        `timezone "${own}" is not an IANA time zone; using the viewer's zone.`,
      ]);
  }
  const cycle = typeof input.hourCycle === 'string' ? input.hourCycle.trim() : input.hourCycle;
  let hourCycle: HourCycle | undefined;
  if (cycle === 'h12' || cycle === 'h23') hourCycle = cycle;
  else if (cycle !== undefined && cycle !== null && cycle !== '') {
    warnings.push([
      `hour-cycle:${String(cycle)}`,
      `hour-cycle "${String(cycle)}" is neither h12 nor h23; using the locale's.`,
    ]);
  }
  const count = integer(input.days ?? 7, 1, 28, 7, 'days', warnings);
  const today = todayIn(zone, now);
  let start = input.pageStart ?? input.startDate;
  if (start !== undefined && !input.pageStart && !isIsoDate(start)) {
    warnings.push([
      `start-date:${start}`,
      `start-date "${start}" is not a YYYY-MM-DD day; showing today.`,
    ]);
    start = undefined;
  }
  let days: IsoDate[];
  try {
    days = pageDays(start, count, zone, now);
  } catch {
    // A start so far ahead that the page would run past the year 9999.
    warnings.push([`start-date:${start}`, `start-date "${start}" is out of range; showing today.`]);
    days = pageDays(undefined, count, zone, now);
  }
  const { problem, proxy } = requestProblem(input);
  let url: string | null = null;
  if (problem) warnings.push([`problem:${problem}`, problem]);
  else url = requestUrl(input, proxy!, days);
  let booking: URL | null = null;
  const bookingUrl = input.bookingUrl?.trim();
  if (bookingUrl) {
    const check = checkBookingUrl(bookingUrl);
    if (check.ok) booking = check.url;
    else warnings.push([`booking-url:${bookingUrl}`, `booking-url is not used: ${check.reason}`]);
  }
  const prefill = checkPrefill(input.prefill);
  if (prefill.problem) warnings.push([`prefill:${prefill.problem}`, prefill.problem]);
  const { target, rel } = linkTarget(input.linkTarget);
  let value: string | null = null;
  if (input.value !== undefined && input.value !== null && input.value !== '') {
    value = canonicalInstant(input.value) ?? null;
    if (!value)
      warnings.push([
        `value:${String(input.value)}`,
        `value "${String(input.value)}" is not an ISO 8601 instant; ignored.`,
      ]);
  }
  return {
    now,
    zone,
    ownZone,
    locale,
    lang: languageOf(strings),
    hourCycle,
    today,
    days,
    url,
    problem,
    strings,
    theme: choose(input.theme, ['light', 'dark', 'auto'] as const, 'auto', 'theme', warnings),
    mode: choose(input.mode, ['link', 'pick'] as const, 'link', 'mode', warnings),
    headingLevel: integer(input.headingLevel ?? 2, 1, 6, 2, 'heading-level', warnings),
    visiblePerDay: integer(input.visiblePerDay ?? 8, 0, 10_000, 8, 'visible-per-day', warnings),
    target,
    rel,
    booking,
    utm: utmParams(input.pageUrl),
    prefill: prefill.entries,
    value,
    warnings,
  };
}

/** Whether a remembered answer (for `url`) serves this update's page, in its zone. */
export function serves(url: string, config: Config): boolean {
  return (
    config.url !== null &&
    (url === config.url || servesPage(url, config.url, config.days, config.zone))
  );
}

/** One rendered slot. */
export interface SlotView {
  start: string;
  date: IsoDate;
  time: string;
  /** Accessible name: time and full date. */
  label: string;
  href: string | null;
  picked: boolean;
}

/** One day of the page. */
export interface DayView {
  date: IsoDate;
  heading: string;
  /** Weekday and day of month for the day strip. */
  weekday: string;
  dayOfMonth: string;
  today: boolean;
  /** All times of the day. */
  count: number;
  /** The times rendered (the first `visible-per-day` unless expanded; none for days not shown). */
  slots: SlotView[];
  /** "Show all N times" when some are hidden, else `null`. */
  more: string | null;
}

/** What the viewer's interaction adds to the view. */
export interface ViewUi {
  narrow: boolean;
  /** The chosen day in the narrow layout. */
  selected?: IsoDate | undefined;
  /** Days whose hidden times the viewer asked for. */
  expanded: ReadonlySet<IsoDate>;
  /** The slot that holds the page's one Tab stop. */
  active?: string | undefined;
  /** A request for this page is in flight / its last one failed. */
  busy: boolean;
  failed: boolean;
  /** The next day with times after an empty page: a day, `null` (none ahead) or `undefined` (searching). */
  ahead?: IsoDate | null | undefined;
}

/** Everything `render()` reads. */
export interface View {
  config: Config;
  state: SlotsState;
  busy: boolean;
  zoneLabel: string;
  /** The page's days, e.g. "Jan 6 – 12". */
  range: string;
  /** The polite live region's text. */
  live: string;
  /** The stale notice, when a refresh failed. */
  stale: string;
  days: DayView[];
  selected: IsoDate | undefined;
  active: string | undefined;
  atStart: boolean;
  /** The empty state's jump: its day and label; `null` none ahead; `undefined` still searching. */
  jump: { date: IsoDate; label: string } | null | undefined;
  /** Picked instants no longer in a fresh answer for a day of this page. */
  lostValue: boolean;
  warnings: Warning[];
}

/** A remembered answer. */
export interface Shown {
  answer: WindowsAnswer;
  /** When it arrived. */
  at: Date;
}

/** What was derived from one answer (or from none: `NONE`), by what else it depends on. */
const derived = new WeakMap<object, Map<string, unknown>>();
const NONE = {};
function derive<T>(answer: object, key: string, make: () => T): T {
  let known = derived.get(answer);
  if (!known) derived.set(answer, (known = new Map()));
  return cached(known as Map<string, T>, key, make);
}

/** The answer placed on the page's days, computed once per answer, zone, page and minute. */
function place(answer: WindowsAnswer, config: Config): DayGroup[] {
  const key = `${config.zone}|${config.days.join()}|${Math.floor(config.now.getTime() / 60_000)}`;
  return derive(
    answer,
    key,
    () => groupByDay(answer.windows, config.zone, config.days, config.now).groups,
  );
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** Slot link templates by booking URL, zone, utm pairs and prefill (one `URL` each, not one per update). */
const bases = new Map<string, BookingBase>();
const format = (locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  cached(formats, locale + JSON.stringify(options), () => {
    return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', ...options });
  });
const utcMidnight = (date: IsoDate): number => Date.parse(`${date}T00:00:00Z`);

/** The page's days with their labels and links; the day strip's labels only when `narrow`. */
function dayViewsOf(
  config: Config,
  groups: readonly DayGroup[],
  ui: {
    link: BookingBase | null;
    narrow: boolean;
    selected: IsoDate | undefined;
    expanded: ReadonlySet<IsoDate>;
  },
): DayView[] {
  const { strings, locale } = config;
  const visible = config.visiblePerDay || Infinity;
  const { link } = ui;
  return groups.map((group) => {
    const shownSlots = ui.narrow && group.date !== ui.selected ? [] : group.slots;
    const open = ui.expanded.has(group.date) ? shownSlots : shownSlots.slice(0, visible);
    const long = open.length ? formatLongDate(group.date, locale) : '';
    const times = formatTimes(open, config.zone, locale, config.hourCycle);
    const midnight = utcMidnight(group.date);
    return {
      date: group.date,
      heading: formatDayHeading(group.date, locale),
      weekday: ui.narrow ? format(locale, { weekday: 'short' }).format(midnight) : '',
      dayOfMonth: ui.narrow ? format(locale, { day: 'numeric' }).format(midnight) : '',
      today: group.date === config.today,
      count: group.slots.length,
      slots: open.map((slot, i) => ({
        start: slot.start,
        date: slot.date,
        time: times[i]!,
        label: fill(strings.slotLabel, { time: times[i]!, date: long }),
        href: link ? slotHref(link, slot.date, slot.start) : null,
        picked: slot.start === config.value,
      })),
      more:
        open.length < shownSlots.length
          ? fill(strings.showAll, { count: String(group.slots.length) })
          : null,
    };
  });
}

/** Place `shown` on the page and write every label the element renders. */
export function present(config: Config, shown: Shown | null, ui: ViewUi): View {
  const { strings, locale, days } = config;
  const warnings: Warning[] = [];
  const groups = shown ? place(shown.answer, config) : [];
  const total = groups.reduce((sum, group) => sum + group.slots.length, 0);
  const state: SlotsState = config.problem
    ? 'misconfigured'
    : shown
      ? ui.failed
        ? 'stale'
        : total
          ? 'loaded'
          : 'empty'
      : ui.failed
        ? 'error'
        : 'loading';
  const short = format(locale, { month: 'short', day: 'numeric' });
  const first = utcMidnight(days[0]!);
  const last = utcMidnight(days.at(-1)!);
  const range = days.length > 1 ? short.formatRange(first, last) : short.format(first);

  let base = config.booking;
  const proxyBooking = shown?.answer.bookingUrl;
  if (!base && shown && proxyBooking) {
    const check = checkBookingUrl(proxyBooking);
    if (check.ok) base = check.url;
    else
      warnings.push([
        `proxy-booking-url:${proxyBooking}`,
        `the proxy's bookingUrl is not used: ${check.reason}`,
      ]);
  }
  const params = { timezone: config.zone, utm: config.utm, prefill: config.prefill };
  const linkKey = config.mode === 'link' && base ? base.href + JSON.stringify(params) : '';
  const link = linkKey ? cached(bases, linkKey, () => bookingBase(base!, params)) : null;
  const selected = ui.narrow
    ? (
        groups.find((g) => g.date === ui.selected && g.slots.length) ??
        groups.find((g) => g.slots.length)
      )?.date
    : undefined;
  // Every instance showing this answer the same way shares one list of days (read-only).
  const key = [
    config.zone,
    config.today,
    days,
    Math.floor(+config.now / 60_000),
    locale,
    config.hourCycle,
    strings.slotLabel,
    strings.showAll,
    config.visiblePerDay,
    linkKey,
    config.value,
    ui.narrow && selected,
    [...ui.expanded].sort(),
  ].join('\n');
  const dayViews = derive(shown?.answer ?? NONE, key, () =>
    dayViewsOf(config, groups.length ? groups : days.map((date) => ({ date, slots: [] })), {
      link,
      narrow: ui.narrow,
      selected,
      expanded: ui.expanded,
    }),
  );
  const rendered = dayViews.flatMap((day) => day.slots);
  const active = (
    rendered.find((slot) => slot.start === ui.active) ??
    rendered.find((slot) => slot.picked) ??
    rendered[0]
  )?.start;
  const live =
    state === 'loading'
      ? fill(strings.loadingRange, { range })
      : shown && !ui.busy
        ? fillCount(strings, 'pageCount', total, { range }, locale)
        : '';
  let lostValue = false;
  if (config.value && shown && !ui.busy && !ui.failed) {
    const epoch = Date.parse(config.value);
    const onPage = epoch >= first - 14 * HOUR && epoch < last + DAY + 12 * HOUR;
    const day = onPage ? todayIn(config.zone, new Date(epoch)) : '';
    lostValue =
      days.includes(day) &&
      epoch >= config.now.getTime() &&
      !groups.some((g) => g.slots.some((slot) => slot.start === config.value));
  }
  return {
    config,
    state,
    busy: ui.busy,
    zoneLabel: zoneLabel(config.zone, locale, +config.now),
    range,
    live,
    stale:
      state === 'stale'
        ? fill(strings.stale, {
            time: shown!.at.toLocaleTimeString(locale, {
              hour: 'numeric',
              minute: '2-digit',
              timeZone: config.zone,
              hourCycle: config.hourCycle,
            }),
          })
        : '',
    days: dayViews,
    selected,
    active,
    atStart: days[0]! <= config.today,
    jump:
      state !== 'empty' || ui.busy
        ? null
        : ui.ahead
          ? {
              date: ui.ahead,
              label: fill(strings.jumpTo, { date: formatLongDate(ui.ahead, locale) }),
            }
          : (ui.ahead as null | undefined),
    lostValue,
    warnings,
  };
}
