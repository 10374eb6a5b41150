/**
 * Calendar and grouping for <meetergo-slots>, on the platform's `Intl` alone: the viewer's
 * zone, today in a zone, the days of a page, the range a request asks for, and the day on
 * which each instant starts in the display zone (DST, 23-, 23.5-, 24.5- and 25-hour days,
 * skipped midnights, days a zone never had). Knows nothing of the DOM; every function takes
 * "now" and zones explicitly. Labels and formatters live in `labels.ts`.
 *
 * Days are `YYYY-MM-DD` strings outside and day numbers (days since 1970-01-01, UTC) inside;
 * `parseDay`/`formatDay` of `protocol.ts` convert, so the years are 0–9999. Functions that
 * take a `zone` expect one `isValidZone` accepts and throw a RangeError otherwise (as they do
 * for a date that is no real `YYYY-MM-DD` day or an invalid `now`).
 *
 * Everything here runs on each render, so a zone's offsets are read once per page
 * (`offsetsOver`) and placing an instant is a lookup and an addition.
 */
import {
  DAY_MS,
  canonicalInstant,
  canonicalZone,
  formatDay,
  parseDay,
  utcTime,
} from './protocol.js';

/** A calendar day, `YYYY-MM-DD`. */
export type IsoDate = string;

/** One bookable start, placed in the display zone. */
export interface Slot {
  /** The start instant, canonical ISO 8601 UTC with milliseconds dropped when zero: `2024-01-15T09:00:00Z`. */
  start: string;
  /** Epoch milliseconds of `start`. */
  epoch: number;
  /** The calendar day on which it starts in the display zone. */
  date: IsoDate;
}

/** The slots of one displayed day, in chronological order. */
export interface DayGroup {
  date: IsoDate;
  slots: Slot[];
}

/** The days a request asks for (inclusive, read in UTC: see `requestRange`). */
export interface DayRange {
  startDate: IsoDate;
  endDate: IsoDate;
}

const MINUTE_MS = 60_000;
/** The largest distance of a JavaScript Date from 1970: 10⁸ days. */
const MAX_TIME = 8.64e15;
/** The day number of 9999-12-31, the last day written `YYYY-MM-DD`. */
const LAST_DAY = 2_932_896;

// ───────────────────────────── Caches ─────────────────────────────

const CACHE_LIMIT = 64;

/** `cache`'s value for `key`, made once; the oldest entry goes when the cache is full. */
export function cached<V>(cache: Map<string, V>, key: string, make: () => V): V {
  if (cache.has(key)) return cache.get(key) as V;
  const value = make();
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

// ───────────────────────────── Days ─────────────────────────────

/** The day number of a real `YYYY-MM-DD` day, or a RangeError. */
function dayOf(date: IsoDate): number {
  const day = parseDay(date);
  if (day === undefined) throw new RangeError(`Not a YYYY-MM-DD day: ${String(date)}`);
  return day;
}

/** The day number on which `epoch` falls at an offset of `offset` minutes (NaN beyond Date's range). */
function localDay(epoch: number, offset: number): number {
  const local = Math.trunc(epoch + offset * MINUTE_MS);
  return Math.abs(local) <= MAX_TIME ? Math.floor(local / DAY_MS) : Number.NaN;
}

// ───────────────────────────── Zone offsets ─────────────────────────────

/** `zone` when `isValidZone` accepts it, else a RangeError. */
function requireZone(zone: string): string {
  if (!isValidZone(zone)) throw new RangeError(`Unknown time zone: ${String(zone)}`);
  return zone;
}

/** A wall-clock reading to the second; `era: 'short'` tells the years before 1 apart. */
const WALL_OPTIONS: Intl.DateTimeFormatOptions = {
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  era: 'short',
};
/** en-US's rendering of WALL_OPTIONS: `03/17/2025 AD, 10:00:00`. */
const WALL = /^(\d+)\/(\d+)\/(\d+),? (AD|BC),? (\d+):(\d+):(\d+)$/;
const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall time (as UTC epoch ms, whole seconds) that `format` shows for `epoch`. */
function wallTime(format: Intl.DateTimeFormat, epoch: number): number {
  const text = format.format(epoch);
  const wall = WALL.exec(text);
  let fields: number[];
  let bc: boolean;
  if (wall !== null) {
    const [, month, day, year, , hour, minute, second] = wall.map(Number);
    fields = [year, month, day, hour, minute, second];
    bc = wall[4] === 'BC';
  } else {
    // Another rendering (a future ICU): read the parts instead (four times slower).
    const parts = format.formatToParts(epoch);
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    fields = ['year', 'month', 'day', 'hour', 'minute', 'second'].map(part);
    bc = parts.find((p) => p.type === 'era')?.value === 'BC';
  }
  const [year, month, day, hour, minute, second] = fields;
  return utcTime(bc ? 1 - year : year, month, day, hour === 24 ? 0 : hour, minute, second);
}

/**
 * The offset of `zone` (valid, as `canonicalZone` names it) at `epoch` in minutes: the wall
 * time to the second minus the instant to the second, read with `format()` from a cached
 * formatter (the cheapest Intl call that tells). NaN beyond Date's range.
 */
export function offsetAt(zone: string, epoch: number): number {
  if (!(Math.abs(epoch) <= MAX_TIME)) return Number.NaN;
  const format = cached(
    wallFormats,
    zone,
    () => new Intl.DateTimeFormat('en-US', { ...WALL_OPTIONS, timeZone: zone }),
  );
  const over = epoch % 1000;
  return (wallTime(format, epoch) - (epoch - (over >= 0 ? over : 1000 + over))) / MINUTE_MS;
}

/** Instants `from` (inclusive) to `to` (exclusive) over which a zone keeps one offset (minutes). */
interface Stretch {
  from: number;
  to: number;
  offset: number;
}

/**
 * How far apart the offset is probed. A change undone between two probes would go unseen, but
 * the time zone database has no two offset changes within 7 days of each other (every zone,
 * checked hourly over 1900–2100 and every 12 h over 1800–2100; tzdata 2025c).
 */
const PROBE_MS = 12 * 3_600_000;
const stretchCache = new Map<string, Stretch[]>();

/**
 * The offsets of `zone` over [lo, hi) (whole seconds) as stretches of one offset each: probed
 * every PROBE_MS and, where two probes differ, bisected to the second at which it changes
 * (offsets change only on whole seconds). About two probes a day and sixteen per change,
 * against one Intl call per instant.
 */
function offsetsOver(zone: string, lo: number, hi: number): Stretch[] {
  return cached(stretchCache, `${zone} ${lo} ${hi}`, () => {
    const stretches: Stretch[] = [];
    let from = lo;
    let offset = offsetAt(zone, lo);
    let a = lo;
    while (a < hi) {
      const b = Math.min(a + PROBE_MS, hi);
      if (offsetAt(zone, b) === offset) {
        a = b;
        continue;
      }
      let before = a; // still `offset`
      let after = b; // another offset
      while (after - before > 1000) {
        const middle = before + Math.floor((after - before) / 2000) * 1000;
        if (offsetAt(zone, middle) === offset) before = middle;
        else after = middle;
      }
      stretches.push({ from, to: after, offset });
      from = a = after;
      offset = offsetAt(zone, after);
    }
    if (from < hi) stretches.push({ from, to: hi, offset });
    return stretches;
  });
}

/** The stretches of `zone` from a day before `first` to a day after `last` (day numbers). */
function offsetsAroundSpan(zone: string, first: number, last: number): Stretch[] {
  return offsetsOver(zone, (first - 1) * DAY_MS, (last + 2) * DAY_MS);
}

/**
 * The stretches of `zone` around the given days (day numbers, ascending): from a day before
 * each to a day after it. Offsets stay under 24 h, so no instant outside these can fall on one
 * of the days.
 */
function offsetsAround(zone: string, days: readonly number[]): Stretch[] {
  const stretches: Stretch[] = [];
  for (let i = 0; i < days.length;) {
    let j = i;
    while (j + 1 < days.length && days[j + 1] - days[j] <= 3) j++;
    stretches.push(...offsetsAroundSpan(zone, days[i], days[j]));
    i = j + 1;
  }
  return stretches;
}

/** The offset at `epoch` from stretches in ascending order, `undefined` when none covers it. */
function offsetIn(stretches: readonly Stretch[], epoch: number): number | undefined {
  let lo = 0;
  let hi = stretches.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const stretch = stretches[mid];
    if (epoch < stretch.from) hi = mid - 1;
    else if (epoch >= stretch.to) lo = mid + 1;
    else return stretch.offset;
  }
  return undefined;
}

/** Whether some instant of the stretches falls on `day`; exact for days they surround. */
function occursIn(stretches: readonly Stretch[], day: number): boolean {
  return stretches.some(
    ({ from, to, offset }) => localDay(from, offset) <= day && day <= localDay(to - 1, offset),
  );
}

/**
 * The first and last instant (epoch ms) that fall on the days `first`…`last` in the zone of
 * `stretches` (which must surround them), or `undefined` when none does.
 */
function instantsOn(
  stretches: readonly Stretch[],
  first: number,
  last: number,
): { from: number; to: number } | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const stretch of stretches) {
    const offsetMs = stretch.offset * MINUTE_MS;
    const lo = Math.max(stretch.from, first * DAY_MS - offsetMs);
    const hi = Math.min(stretch.to - 1, (last + 1) * DAY_MS - offsetMs - 1);
    if (lo > hi) continue;
    from = Math.min(from, lo);
    to = Math.max(to, hi);
  }
  return from <= to ? { from, to } : undefined;
}

// ───────────────────────────── Zones ─────────────────────────────

/**
 * The viewer's own zone by its current IANA name (`Asia/Kolkata`, where Chromium and Node
 * still report `Asia/Calcutta`); `UTC` when the runtime reports none it knows.
 */
export function viewerZone(): string {
  try {
    const zone = canonicalZone(new Intl.DateTimeFormat().resolvedOptions().timeZone);
    if (zone !== undefined) return zone;
  } catch {
    // A runtime without a usable Intl zone: fall back below.
  }
  return 'UTC';
}

/**
 * The zone to show days and times in: `requested` by its current IANA name (`Asia/Calcutta` →
 * `Asia/Kolkata`, `US/Eastern` → `America/New_York`) when the runtime knows it, else the
 * viewer's (`viewerZone`). Surrounding whitespace is ignored.
 */
export function displayZone(requested?: string | null): string {
  return (typeof requested === 'string' && canonicalZone(requested.trim())) || viewerZone();
}

/** Whether `zone` is an IANA zone the runtime knows (aliases such as `US/Eastern` count). */
export function isValidZone(zone: string): boolean {
  return canonicalZone(zone) !== undefined;
}

// ───────────────────────────── Days and pages ─────────────────────────────

/** Whether `value` is a real calendar day written `YYYY-MM-DD` (`2025-02-30` is not). */
export function isIsoDate(value: string): boolean {
  return parseDay(value) !== undefined;
}

/** `date` plus `n` calendar days (n may be negative); a RangeError outside the years 0–9999. */
export function addDays(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of days: ${n}`);
  return formatDay(dayOf(date) + n);
}

/** Today's date in `zone` at the instant `now` (a RangeError for an invalid `now`). */
export function todayIn(zone: string, now: Date): IsoDate {
  requireZone(zone);
  let epoch = Number.NaN;
  try {
    epoch = Date.prototype.getTime.call(now); // a Date of another realm too
  } catch {
    // Not a Date at all.
  }
  const day = localDay(epoch, offsetAt(zone, epoch));
  if (Number.isNaN(day)) throw new RangeError(`Invalid "now": ${String(now)}`);
  return formatDay(day);
}

/**
 * The days of one page: `count` consecutive days from `start` (or today in `zone` when
 * `start` is absent, invalid, or before today). Always `count` entries.
 * Days that do not exist in `zone` (Pacific/Apia's 2011-12-30) are skipped, so the page
 * still has `count` real days. `count` must be a positive integer (RangeError otherwise).
 */
export function pageDays(
  start: IsoDate | undefined,
  count: number,
  zone: string,
  now: Date,
): IsoDate[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`Not a positive whole number of days: ${count}`);
  }
  requireZone(zone);
  const today = todayIn(zone, now);
  const first = start !== undefined && isIsoDate(start) && start > today ? start : today;
  let day = dayOf(first);
  const days: IsoDate[] = [];
  // The offsets around the page, read again further on only if it skips days.
  let last = day + count - 1;
  let stretches = offsetsAroundSpan(zone, day, last);
  while (days.length < count) {
    if (day > LAST_DAY) throw new RangeError(`A page from ${first} runs past 9999-12-31`);
    if (day > last) {
      last = day + count - days.length - 1;
      stretches = offsetsAroundSpan(zone, day, last);
    }
    if (occursIn(stretches, day)) days.push(formatDay(day));
    day++;
  }
  return days;
}

// ───────────────────────────── Requests ─────────────────────────────

/**
 * The days a request for `days` asks for: from the day before the first to the day after the
 * last, read as UTC days (the request says `timezone=UTC`). A day in any zone (−12:00 to
 * +14:00) lies within the UTC day before it, itself and the day after, so the answer covers
 * the page whatever its zone, and the range does not depend on the display zone. `days` must
 * not be empty (RangeError otherwise).
 */
export function requestRange(days: readonly IsoDate[]): DayRange {
  if (days.length === 0) throw new RangeError('No days to request');
  const numbers = days.map(dayOf);
  return {
    startDate: formatDay(Math.min(...numbers) - 1),
    endDate: formatDay(Math.max(...numbers) + 1),
  };
}

/**
 * Whether an answer for `range` (UTC days, as `requestRange` makes them) holds every instant
 * that can start on one of `days` in `zone`: then a zone change re-groups the loaded answer
 * instead of asking again. Exact: it reads the zone's offsets at the page's edges.
 */
export function rangeCovers(range: DayRange, days: readonly IsoDate[], zone: string): boolean {
  requireZone(zone);
  const from = parseDay(range.startDate);
  const to = parseDay(range.endDate);
  if (from === undefined || to === undefined || days.length === 0) return false;
  const numbers = days.map(dayOf);
  const first = Math.min(...numbers);
  const last = Math.max(...numbers);
  const needed = instantsOn(offsetsAroundSpan(zone, first, last), first, last);
  if (needed === undefined) return true; // days the zone never had hold nothing
  return from * DAY_MS <= needed.from && needed.to < (to + 1) * DAY_MS;
}

// ───────────────────────────── Grouping ─────────────────────────────

export interface Instants {
  /** Canonical texts and epochs of the items that are instants, in the items' order. */
  starts: string[];
  epochs: number[];
  dropped: number;
  /** How many items were read (a list that grew since is read again). */
  length: number;
}

/** Instants of window lists already read: re-grouping an answer (a zone change, the next minute) parses nothing. */
const readLists = new WeakMap<readonly unknown[], Instants>();

/**
 * The instants among `windows`: canonical texts and epochs, in the items' order, and how many
 * items were none. Read once per list (do not change a list once read).
 */
export function instantsOf(windows: readonly unknown[]): Instants {
  const known = readLists.get(windows);
  if (known !== undefined && known.length === windows.length) return known;
  const starts: string[] = [];
  const epochs: number[] = [];
  let dropped = 0;
  for (const item of windows) {
    const start = canonicalInstant(item);
    if (start === undefined) {
      dropped++;
      continue;
    }
    starts.push(start);
    epochs.push(Date.parse(start)); // exact: the canonical text is ECMAScript's own date format
  }
  const read = { starts, epochs, dropped, length: windows.length };
  readLists.set(windows, read);
  return read;
}

/** Remember `epochs` as the instants of `starts` (canonical texts), so grouping `starts` reads none again. */
export function knownInstants(starts: readonly string[], epochs: number[]): void {
  readLists.set(starts, { starts: starts as string[], epochs, dropped: 0, length: starts.length });
}

/**
 * Parse raw window strings (ISO 8601 instants with an offset or Z) into slots in `zone`:
 * drop unparseable items and instants before `now`, dedupe the same instant, sort ascending,
 * and group by the calendar day on which each starts in `zone`. Only days in `days` are
 * returned, one group per entry of `days` in that order (empty groups included).
 * `dropped` counts the items that were not instants.
 */
export function groupByDay(
  windows: readonly unknown[],
  zone: string,
  days: readonly IsoDate[],
  now: Date,
): { groups: DayGroup[]; dropped: number } {
  requireZone(zone);
  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('Invalid "now"');
  // The displayed days by day number; entries that are not real dates never get a slot.
  const byDay = new Map<number, DayGroup>();
  const entries = days.map((date) => {
    const day = parseDay(date);
    if (day === undefined) return undefined;
    const group = byDay.get(day) ?? { date, slots: [] };
    byDay.set(day, group);
    return group;
  });
  // An instant starts on the day of (instant + the zone's offset there). Instead of one Intl
  // call per instant, the zone's offsets around the displayed days are read once
  // (`offsetsAround`), so placing an instant is a lookup and an addition, and an instant more
  // than a day from every displayed day is skipped without any zone maths. (Day starts would
  // not do: a date can go back at a fall-back, as at Casey in 2010 or St. John's in 1987–2010,
  // and a gap can swallow midnight, as in Toronto in 1919.)
  const displayed = [...byDay.keys()].sort((a, b) => a - b);
  const stretches = offsetsAround(zone, displayed);
  const { starts, epochs, dropped } = instantsOf(windows);
  const seen = new Set<number>();
  for (let i = 0; i < epochs.length; i++) {
    const epoch = epochs[i];
    if (epoch < nowMs || seen.has(epoch)) continue;
    seen.add(epoch);
    const offset = offsetIn(stretches, epoch);
    if (offset === undefined) continue; // more than a day away from every displayed day
    const group = byDay.get(localDay(epoch, offset));
    group?.slots.push({ start: starts[i], epoch, date: group.date });
  }
  for (const group of byDay.values()) group.slots.sort((a, b) => a.epoch - b.epoch);
  const groups = days.map((date, i) => ({ date, slots: entries[i]?.slots.slice() ?? [] }));
  return { groups, dropped };
}
