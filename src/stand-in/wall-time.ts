/**
 * Wall times of a zone and the instants they name, read with `Intl` alone. Nothing here reads
 * the machine's clock or its zone: a wall time is resolved against the zone's offsets a day
 * before and a day after it, so a skipped wall time (a spring-forward gap) names no instant and
 * a repeated one (a fall-back overlap) names both, whatever the season the machine is in.
 *
 * Days are day numbers (days since 1970-01-01, as `parseDay` in `protocol.ts` gives them); a
 * wall time is written as the epoch milliseconds it would have in UTC (`day * DAY_MS + ms`).
 */
import { DAY_MS } from '../protocol.js';

const FORMAT_CACHE_LIMIT = 512;
const formats = new Map<string, Intl.DateTimeFormat>();
/** The end of `longOffset`'s text: `GMT`, `GMT+5:45`, `GMT-03:00`, `GMT+00:17:30` (old local times). */
const OFFSET = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

/** A cached formatter that writes a zone's offset (`timeZoneName: 'longOffset'`). */
function offsetFormat(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    if (formats.size >= FORMAT_CACHE_LIMIT) formats.delete(formats.keys().next().value as string);
    formats.set(zone, format);
  }
  return format;
}

/** A zone's offset at an instant: its wall time minus UTC, in milliseconds. */
export function offsetAt(zone: string, epoch: number): number {
  const match = OFFSET.exec(offsetFormat(zone).format(epoch));
  if (match === null) throw new RangeError(`No offset of ${zone} at ${epoch}`);
  if (match[1] === undefined) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return (match[1] === '-' ? -seconds : seconds) * 1000;
}

/** The day number of the wall date of an instant in a zone. */
export function localDay(zone: string, epoch: number): number {
  return Math.floor((epoch + offsetAt(zone, epoch)) / DAY_MS);
}

/** The instants of a wall time, given the zone's offsets before and after any change near it. */
function resolve(zone: string, wall: number, before: number, after: number): number[] {
  if (before === after) return [wall - before];
  // The larger offset names the earlier instant; each candidate holds if the zone agrees.
  return [Math.max(before, after), Math.min(before, after)]
    .map((offset) => wall - offset)
    .filter((epoch) => epoch + offsetAt(zone, epoch) === wall);
}

/**
 * The instants at which a zone's clocks show a wall time, ascending: none for a skipped wall
 * time, two for a repeated one. Assumes at most one offset change within a day of it.
 */
export function instantsAt(zone: string, wall: number): number[] {
  return resolve(zone, wall, offsetAt(zone, wall - DAY_MS), offsetAt(zone, wall + DAY_MS));
}

/**
 * Resolves the wall times of one day (minutes since its midnight, 0–1440) in a zone, reading
 * the zone's offsets a day before and a day after once: on a day with one offset throughout
 * (nearly all of them) each is a subtraction, on a day whose offset changes each is checked.
 */
export function wallTimesOf(zone: string, day: number): (minute: number) => number[] {
  const midnight = day * DAY_MS;
  const before = offsetAt(zone, midnight - DAY_MS);
  const after = offsetAt(zone, midnight + 2 * DAY_MS);
  return (minute) => resolve(zone, midnight + minute * 60_000, before, after);
}

/**
 * The first instant of a day in a zone: its first midnight where midnight is repeated, and the
 * end of the gap (the offset change itself) where midnight is skipped.
 */
export function startOfDay(zone: string, day: number): number {
  const midnight = day * DAY_MS;
  const [first] = instantsAt(zone, midnight);
  if (first !== undefined) return first;
  const before = offsetAt(zone, midnight - DAY_MS);
  const after = offsetAt(zone, midnight + DAY_MS);
  // Skipped: the change lies in (midnight - after, midnight - before]; find it to the second.
  let [lo, hi] = [midnight - after, midnight - before];
  while (hi - lo > 1000) {
    const mid = lo + Math.max(1000, Math.floor((hi - lo) / 2000) * 1000);
    if (offsetAt(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}
