/**
 * Pure schedule and window logic of the stand-in: the two documented schedule formats,
 * and the bookable start instants computed from a weekly schedule read in its own zone.
 */
import { DateTime, IANAZone } from 'luxon';

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
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_RE = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;
const ZONE_RE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** A usable IANA zone name (not an offset like `+01:00`). */
export function isValidZone(zone: unknown): zone is string {
  return typeof zone === 'string' && ZONE_RE.test(zone) && IANAZone.isValidZone(zone);
}

/** A real calendar day written `YYYY-MM-DD`. */
export function isValidDay(day: unknown): day is string {
  return (
    typeof day === 'string' && DAY_RE.test(day) && DateTime.fromISO(day, { zone: 'utc' }).isValid
  );
}

/** The first instant of a calendar day in a zone (01:00 where the day skips midnight). */
export function startOfDay(day: string, zone: string): number {
  return DateTime.fromISO(day, { zone }).toMillis();
}

/** The first instant after the last day of `[startDay, endDay]` in a zone. */
export function endOfDays(endDay: string, zone: string): number {
  const next = DateTime.fromISO(endDay, { zone: 'utc' }).plus({ days: 1 }).toISODate() as string;
  return startOfDay(next, zone);
}

/** The number of calendar days in `[startDay, endDay]`. */
export function dayCount(startDay: string, endDay: string): number {
  const a = DateTime.fromISO(startDay, { zone: 'utc' });
  const b = DateTime.fromISO(endDay, { zone: 'utc' });
  return Math.round(b.diff(a, 'days').days) + 1;
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

/** The instant of a wall time on a calendar day in a zone (shifted forward in a DST gap). */
function instantAt(day: DateTime, time: string, zone: string): number {
  const minutes = minutesOf(time);
  if (minutes === 24 * 60) {
    return startOfDay(day.plus({ days: 1 }).toISODate() as string, zone);
  }
  const [hour, minute] = [Math.floor(minutes / 60), minutes % 60];
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone },
  ).toMillis();
}

/** `2025-01-06T08:00:00Z`. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The bookable start instants in `[from, to)`: each schedule interval of each day, read in
 * the schedule's zone, stepped by the duration from its start while the meeting fits inside
 * it; none before `earliest`, none overlapping a blocked range, and none whose meeting or
 * buffers collide with a booking or that booking's buffers. Sorted, unique, UTC `…Z` strings.
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
  const lastDay = DateTime.fromMillis(r.to - 1, { zone: r.zone }).toISODate() as string;
  let day = DateTime.fromISO(DateTime.fromMillis(r.from, { zone: r.zone }).toISODate() as string, {
    zone: 'utc',
  });
  while ((day.toISODate() as string) <= lastDay) {
    for (const interval of r.schedule[WEEKDAYS[day.weekday - 1]]) {
      const end = instantAt(day, interval.to, r.zone);
      for (
        let start = instantAt(day, interval.from, r.zone);
        start + duration <= end;
        start += duration
      ) {
        const wanted = start >= r.from && start < r.to && start >= r.earliest;
        if (wanted && isFree(start, start + duration)) starts.add(start);
      }
    }
    day = day.plus({ days: 1 });
  }
  return [...starts].sort((a, b) => a - b).map(formatInstant);
}
