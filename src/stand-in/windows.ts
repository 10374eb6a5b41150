/**
 * Pure schedule and window logic of the stand-in: the two documented schedule formats, and the
 * bookable start instants computed from a weekly schedule read in its own zone.
 *
 * The rule for the hours of a day (see the README's stand-in section): slots are stepped in the
 * host's wall time from each interval's start by the meeting duration, and one is offered while
 * its wall start plus the duration is no later than the interval's end (ends are exclusive, in
 * wall time). A slot's wall time that the day skips (a spring-forward gap) gives no slot, and the
 * slots after the gap keep their places; one the day repeats (a fall-back overlap) gives both
 * instants. A day runs from its first instant (its first midnight, or the end of a gap that
 * swallows midnight) to the next day's first instant. Only the zone's rules and the injected
 * "now" matter, never the machine's clock or zone.
 */
import { formatInstant } from '../protocol.js';
import { localDay, startOfDay, wallTimesOf } from './wall-time.js';

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

export type Weekday = (typeof WEEKDAYS)[number];

/** One interval of a day, wall-clock `HH:MM` (`to` may be `24:00`). */
export interface TimeRange {
  from: string;
  to: string;
}

/** A weekly schedule: sorted, non-overlapping intervals per weekday. */
export type WeeklySchedule = Record<Weekday, TimeRange[]>;

/** The object format of the docs: `{ monday: { enabled, hours: [{ start, end }] }, … }`. */
export type DayMapSchedule = Record<
  Weekday,
  { enabled: boolean; hours: { start: string; end: string }[] }
>;

/** An instant range `[start, end)` in epoch milliseconds, with its own buffers (minutes). */
export interface Busy {
  start: number;
  end: number;
  bufferBefore: number;
  bufferAfter: number;
}

export interface WindowRequest {
  /** The weekly schedule, read in `zone`. */
  schedule: WeeklySchedule;
  zone: string;
  /** Instants considered: `[from, to)`, epoch milliseconds. */
  from: number;
  to: number;
  /** Meeting duration and buffers, minutes. */
  duration: number;
  bufferBefore: number;
  bufferAfter: number;
  /** Nothing starts before this instant (now + minimum notice), epoch milliseconds. */
  earliest: number;
  /** Existing bookings of the host. */
  bookings: readonly Busy[];
  /** Ranges with no availability at all (exception days). */
  blocked: readonly { start: number; end: number }[];
}

const MINUTE = 60_000;
const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
/** The most days one computation walks (a request's range is checked well below it). */
export const MAX_COMPUTED_DAYS = 400;

export { formatInstant, startOfDay };

/** The first instant after day `endDay` (a day number, as `parseDay` gives) in a zone. */
export function endOfDays(zone: string, endDay: number): number {
  return startOfDay(zone, endDay + 1);
}

/** The weekday of a day number: 1970-01-01 was a Thursday. */
export function weekdayOf(day: number): Weekday {
  return WEEKDAYS[(((day + 3) % 7) + 7) % 7];
}

function minutesOf(time: string): number {
  const m = TIME_RE.exec(time) as RegExpExecArray;
  return m[3] ? 24 * 60 : Number(m[1]) * 60 + Number(m[2]);
}

function emptySchedule(): WeeklySchedule {
  return {
    monday: [],
    tuesday: [],
    wednesday: [],
    thursday: [],
    friday: [],
    saturday: [],
    sunday: [],
  };
}

/** Monday–Friday 9:00–17:00, the default of a new user. */
export function defaultSchedule(): WeeklySchedule {
  const s = emptySchedule();
  for (const day of WEEKDAYS.slice(0, 5)) s[day] = [{ from: '09:00', to: '17:00' }];
  return s;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asWeekday(value: unknown): Weekday | undefined {
  if (typeof value !== 'string') return undefined;
  const day = value.toLowerCase();
  return (WEEKDAYS as readonly string[]).includes(day) ? (day as Weekday) : undefined;
}

/** True for either documented schedule format (an array of days, or an object of weekdays). */
export function looksLikeSchedule(value: unknown): boolean {
  return (
    Array.isArray(value) ||
    (isRecord(value) && Object.keys(value).some((key) => asWeekday(key) !== undefined))
  );
}

/**
 * Reads a schedule in either documented format:
 * `[{ dayOfWeek: 'monday', intervals: [{ from: '09:00', to: '17:00' }] }, …]` or
 * `{ monday: { enabled: true, hours: [{ start: '09:00', end: '17:00' }] }, … }`.
 * Days left out are unavailable. Returns a message for the first problem found.
 */
export function parseSchedule(input: unknown): { schedule: WeeklySchedule } | { error: string } {
  const schedule = emptySchedule();
  const add = (day: Weekday, from: unknown, to: unknown, where: string): string | undefined => {
    if (typeof from !== 'string' || typeof to !== 'string' || !TIME_RE.test(from)) {
      return `${where} must be times written HH:MM`;
    }
    if (!TIME_RE.test(to)) return `${where} must be times written HH:MM`;
    if (minutesOf(from) >= minutesOf(to)) return `${where} must end after it starts`;
    if (from === '24:00') return `${where} must start before 24:00`;
    schedule[day].push({ from, to });
    return undefined;
  };

  if (Array.isArray(input)) {
    for (const [i, entry] of input.entries()) {
      const day = isRecord(entry) ? asWeekday(entry.dayOfWeek) : undefined;
      if (!isRecord(entry) || !day) {
        return { error: `schedule[${i}].dayOfWeek must be a weekday (monday … sunday)` };
      }
      if (!Array.isArray(entry.intervals)) {
        return { error: `schedule[${i}].intervals must be an array` };
      }
      for (const [j, interval] of entry.intervals.entries()) {
        const where = `schedule[${i}].intervals[${j}]`;
        const error = isRecord(interval)
          ? add(day, interval.from, interval.to, where)
          : `${where} must be an object`;
        if (error) return { error };
      }
    }
  } else if (isRecord(input)) {
    for (const [key, value] of Object.entries(input)) {
      const day = asWeekday(key);
      if (!day) return { error: `schedule.${key} is not a weekday` };
      if (!isRecord(value)) return { error: `schedule.${key} must be an object` };
      if (value.enabled !== undefined && typeof value.enabled !== 'boolean') {
        return { error: `schedule.${key}.enabled must be a boolean` };
      }
      const hours = value.hours ?? [];
      if (!Array.isArray(hours)) return { error: `schedule.${key}.hours must be an array` };
      if (value.enabled === false) continue;
      for (const [j, interval] of hours.entries()) {
        const where = `schedule.${key}.hours[${j}]`;
        const error = isRecord(interval)
          ? add(day, interval.start, interval.end, where)
          : `${where} must be an object`;
        if (error) return { error };
      }
    }
  } else {
    return { error: 'schedule must be an array of days or an object of weekdays' };
  }

  for (const day of WEEKDAYS) {
    const intervals = schedule[day].sort((a, b) => minutesOf(a.from) - minutesOf(b.from));
    for (let i = 1; i < intervals.length; i++) {
      if (minutesOf(intervals[i].from) < minutesOf(intervals[i - 1].to)) {
        return { error: `schedule has overlapping intervals on ${day}` };
      }
    }
  }
  return { schedule };
}

/** A schedule in the object format of the docs, every weekday present. */
export function toDayMap(schedule: WeeklySchedule): DayMapSchedule {
  const out = {} as DayMapSchedule;
  for (const day of WEEKDAYS) {
    out[day] = {
      enabled: schedule[day].length > 0,
      hours: schedule[day].map(({ from, to }) => ({ start: from, end: to })),
    };
  }
  return out;
}

/**
 * The bookable start instants in `[from, to)`: each schedule interval of each day, stepped in
 * the schedule zone's wall time as the module's doc comment says; none before `earliest`, none
 * overlapping a blocked range, and none whose meeting or buffers collide with a booking or that
 * booking's buffers. Sorted, unique, UTC `…Z` strings. A RangeError beyond `MAX_COMPUTED_DAYS`.
 */
export function computeWindows(r: WindowRequest): string[] {
  const duration = r.duration * MINUTE;
  const before = r.bufferBefore * MINUTE;
  const after = r.bufferAfter * MINUTE;
  const isFree = (start: number, end: number): boolean =>
    r.blocked.every((b) => end <= b.start || start >= b.end) &&
    r.bookings.every(
      (b) =>
        (end + after <= b.start || start - before >= b.end) &&
        (end <= b.start - b.bufferBefore * MINUTE || start >= b.end + b.bufferAfter * MINUTE),
    );

  const starts = new Set<number>();
  if (!(r.to > r.from)) return [];
  const [first, last] = [localDay(r.zone, r.from), localDay(r.zone, r.to - 1)];
  if (last - first >= MAX_COMPUTED_DAYS) {
    throw new RangeError(`More than ${MAX_COMPUTED_DAYS} days of windows asked for`);
  }
  for (let day = first; day <= last; day++) {
    const intervals = r.schedule[weekdayOf(day)];
    if (intervals.length === 0) continue;
    const instantsOf = wallTimesOf(r.zone, day);
    for (const interval of intervals) {
      const end = minutesOf(interval.to);
      for (let wall = minutesOf(interval.from); wall + r.duration <= end; wall += r.duration) {
        for (const start of instantsOf(wall)) {
          const wanted = start >= r.from && start < r.to && start >= r.earliest;
          if (wanted && isFree(start, start + duration)) starts.add(start);
        }
      }
    }
  }
  return [...starts].sort((a, b) => a - b).map(formatInstant);
}
