// The stand-in's schedules in every zone the runtime knows, whatever the machine's clock says.
//
// Each answer is compared with an oracle written here that shares no code with the stand-in and
// works the other way round: instead of turning wall times into instants, it walks every instant
// of a 15-minute UTC grid (every current offset is a multiple of 15 minutes), reads its wall time
// with Intl alone, and keeps the instants whose wall time is a slot of the schedule. Skipped wall
// times then give nothing, repeated ones give both instants, and a day is exactly the instants
// whose wall date is that day.
//
// The machine's clock is pinned twice (January and July) with sinon's fake timers faking only
// `Date`: a computation that resolves wall times with "the offset in force now" (luxon's
// `fromObject` does) answers differently under the two clocks, while the stand-in's `now` stays
// injected and the same.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { createStandIn } from '../../src/stand-in/index.js';

const BASE = 'https://api.meetergo.com';
const MINUTE = 60_000;
const DAY = 86_400_000;
const QUARTER = 15 * MINUTE;
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** Long before every window asked for: no minimum notice gets in the way. */
const NOW = new Date('2024-06-01T00:00:00Z');

const CLOCKS = [
  { name: 'January', at: Date.UTC(2025, 0, 15, 12) },
  { name: 'July', at: Date.UTC(2025, 6, 15, 12) },
];

interface Interval {
  day: string;
  from: string;
  to: string;
}

interface Ask {
  /** The host's zone and weekly schedule. */
  zone: string;
  schedule: Interval[];
  duration: number;
  startDate: string;
  endDate: string;
  timezone?: string;
}

// ───────────────────────── the stand-in, through its HTTP API ─────────────────────────

/**
 * Asks a fresh stand-in for the windows of each ask, creating one host per distinct zone,
 * schedule and duration among them.
 */
async function standInWindows(asks: Ask[]): Promise<string[][]> {
  const standIn = createStandIn({ now: () => NOW, seed: false });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await standIn.fetch(`${BASE}${path}`, {
      method,
      headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    assert.ok(response.status < 300, `${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  const hosts = new Map<string, string>();
  const answers: string[][] = [];
  for (const ask of asks) {
    const key = JSON.stringify([ask.zone, ask.schedule, ask.duration]);
    let userId = hosts.get(key);
    if (userId === undefined) {
      const days = new Map<string, { from: string; to: string }[]>();
      for (const { day, from, to } of ask.schedule) {
        days.set(day, [...(days.get(day) ?? []), { from, to }]);
      }
      const created = await call('POST', '/v4/user', {
        email: `host${hosts.size}@example.com`,
        givenName: 'Host',
        familyName: `Number ${hosts.size}`,
        timezone: ask.zone,
        availability: [...days].map(([dayOfWeek, intervals]) => ({ dayOfWeek, intervals })),
        meetingType: { name: 'Meeting', duration: ask.duration },
      });
      userId = String(created.userId);
      hosts.set(key, userId);
    }
    const query = new URLSearchParams({ startDate: ask.startDate, endDate: ask.endDate });
    if (ask.timezone) query.set('timezone', ask.timezone);
    const answer = await call('GET', `/v4/user/${userId}/bookable-windows?${query}`);
    answers.push(answer.windows as string[]);
  }
  return answers;
}

// ───────────────────────── the oracle: Intl alone ─────────────────────────

const formats = new Map<string, Intl.DateTimeFormat>();
const WALL = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2})$/;

const walls = new Map<string, Map<number, { day: number; minute: number }>>();

/** The wall time of an instant in a zone: its day number (days since 1970-01-01) and minute. */
function wallOf(zone: string, epoch: number): { day: number; minute: number } {
  let known = walls.get(zone);
  if (!known) walls.set(zone, (known = new Map()));
  let wall = known.get(epoch);
  if (!wall) known.set(epoch, (wall = readWall(zone, epoch)));
  return wall;
}

function readWall(zone: string, epoch: number): { day: number; minute: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(zone, format);
  }
  const m = WALL.exec(format.format(epoch)) as RegExpExecArray;
  return {
    day: Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2])) / DAY,
    minute: Number(m[4]) * 60 + Number(m[5]),
  };
}

/** A zone's offset at an instant, in minutes (seconds of old local mean times ignored). */
function offsetOf(zone: string, epoch: number): number {
  const { day, minute } = wallOf(zone, epoch);
  return Math.round((day * DAY + minute * MINUTE - epoch) / MINUTE);
}

const iso = (epoch: number) => new Date(epoch).toISOString().replace('.000Z', 'Z');
const dayNumber = (text: string) => Date.parse(`${text}T00:00:00Z`) / DAY;
const dayText = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const minuteOf = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));
/** 1970-01-01 was a Thursday. */
const weekdayOf = (day: number) => WEEKDAYS[(((day + 3) % 7) + 7) % 7];

/**
 * The windows of an ask among the instants of `[from, to)` (by default the asked days with 15
 * hours either side, more than any offset), from the 15-minute grid of instants.
 */
function oracle(ask: Ask, scan?: readonly [number, number]): string[] {
  const dayZone = ask.timezone ?? ask.zone;
  const [first, last] = [dayNumber(ask.startDate), dayNumber(ask.endDate)];
  const [from, to] = scan ?? [first * DAY - 15 * 60 * MINUTE, (last + 1) * DAY + 15 * 60 * MINUTE];
  const out: string[] = [];
  for (let t = from; t < to; t += QUARTER) {
    const asked = wallOf(dayZone, t).day;
    if (asked < first || asked > last) continue;
    const { day, minute } = wallOf(ask.zone, t);
    const slot = ask.schedule.some((i) => {
      const [start, end] = [minuteOf(i.from), minuteOf(i.to)];
      return (
        i.day === weekdayOf(day) &&
        minute >= start &&
        minute + ask.duration <= end &&
        (minute - start) % ask.duration === 0
      );
    });
    if (slot) out.push(new Date(t).toISOString().replace('.000Z', 'Z'));
  }
  return out;
}

interface Change {
  at: number;
  before: number;
  after: number;
}

/** A zone's offset changes in 2025–2026: weekly samples, then the minute by bisection. */
function changesOf(zone: string): Change[] {
  const [start, end] = [Date.UTC(2025, 0, 1), Date.UTC(2027, 0, 1)];
  const changes: Change[] = [];
  for (let t = start - 7 * DAY; t < end; t += 7 * DAY) {
    const [before, after] = [offsetOf(zone, t), offsetOf(zone, t + 7 * DAY)];
    if (before === after) continue;
    let [lo, hi] = [t, t + 7 * DAY];
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (offsetOf(zone, mid) === before) lo = mid;
      else hi = mid;
    }
    if (hi >= start && hi < end) changes.push({ at: hi, before, after });
  }
  return changes;
}

/** A request to the stand-in, and the stretches of time in which its answer is checked. */
interface Probe {
  ask: Ask;
  scans: (readonly [number, number])[];
}

const HOUR = 60 * MINUTE;
/** From 15 hours before a day to 15 hours after it: more than any offset. */
const around = (day: number) => [day * DAY - 15 * HOUR, (day + 1) * DAY + 15 * HOUR] as const;

/**
 * The probes of a zone. Around each offset change (or, for a zone without any, 2025-06-15
 * 12:00), on the wall day of the middle of the skipped or repeated wall times: an interval
 * starting there and one ending there (two hours long, 30-minute meetings), and a UTC host asked
 * with `timezone` = the zone for that day alone, so the day's first and last instants are the
 * zone's. Changes that need the same interval share a host and, up to 366 days, one request
 * from the first such day to the day after the last (so its first day's start and its last
 * day's end are checked too). Each answer is checked around each change's day.
 */
function probesOf(zone: string, changes: Change[]): Probe[] {
  const middles = changes.length
    ? changes.map((c) => {
        const [a, b] = [c.at + c.before * MINUTE, c.at + c.after * MINUTE];
        const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
        return lo + Math.floor((hi - lo) / 2 / QUARTER) * QUARTER;
      })
    : [Date.UTC(2025, 5, 15, 12)];
  const hosts = new Map<string, { interval: Interval; days: number[] }>();
  const probes: Probe[] = [];
  for (const middle of middles) {
    const day = Math.floor(middle / DAY);
    const minute = (middle - day * DAY) / MINUTE;
    for (const [from, to] of [
      [minute, Math.min(minute + 120, 1440)],
      [Math.max(minute - 120, 0), minute],
    ]) {
      if (from >= to) continue;
      const interval = { day: weekdayOf(day), from: hhmm(from), to: hhmm(to) };
      const key = JSON.stringify(interval);
      const host = hosts.get(key) ?? { interval, days: [] };
      host.days.push(day);
      hosts.set(key, host);
    }
    probes.push({
      ask: {
        zone: 'UTC',
        schedule: WEEKDAYS.map((d) => ({ day: d, from: '00:00', to: '24:00' })),
        duration: 15,
        startDate: dayText(day),
        endDate: dayText(day),
        timezone: zone,
      },
      scans: [around(day)],
    });
  }
  for (const { interval, days } of hosts.values()) {
    for (let i = 0; i < days.length;) {
      let j = i + 1;
      while (j < days.length && days[j] - days[i] < 366) j++;
      const chunk = days.slice(i, j);
      probes.push({
        ask: {
          zone,
          schedule: [interval],
          duration: 30,
          startDate: dayText(chunk[0]),
          endDate: dayText(Math.min(chunk[0] + 365, chunk[chunk.length - 1] + 1)),
        },
        scans: chunk.map(around),
      });
      i = j;
    }
  }
  return probes;
}

/** Every zone the runtime knows, its probes and the oracle's answers (the clock is not read). */
const ZONES = Intl.supportedValuesOf('timeZone').map((zone) => {
  const changes = changesOf(zone);
  const probes = probesOf(zone, changes);
  return {
    zone,
    changes,
    probes,
    expected: probes.map((p) => p.scans.map((scan) => oracle(p.ask, scan))),
  };
});

// ───────────────────────── the cases the issue names ─────────────────────────

const sunday = (from: string, to: string): Interval[] => [{ day: 'sunday', from, to }];
const utcAllDay = WEEKDAYS.map((day) => ({ day, from: '00:00', to: '24:00' }));
const hours = (from: string, count: number) =>
  Array.from({ length: count }, (_, i) =>
    new Date(Date.parse(from) + i * 60 * MINUTE).toISOString().replace('.000Z', 'Z'),
  );

const CASES: { name: string; ask: Ask; expected: string[] }[] = [
  {
    name: 'Havana 2025-03-09, start in the gap (00:00–01:00 skipped): the first real slot kept',
    ask: {
      zone: 'America/Havana',
      schedule: sunday('00:30', '03:30'),
      duration: 30,
      startDate: '2025-03-09',
      endDate: '2025-03-09',
    },
    expected: [
      '2025-03-09T05:00:00Z',
      '2025-03-09T05:30:00Z',
      '2025-03-09T06:00:00Z',
      '2025-03-09T06:30:00Z',
      '2025-03-09T07:00:00Z',
    ],
  },
  {
    name: 'Athens 2025-03-30, end in the gap (03:00–04:00 skipped): no slot after the hours',
    ask: {
      zone: 'Europe/Athens',
      schedule: sunday('00:30', '03:30'),
      duration: 30,
      startDate: '2025-03-30',
      endDate: '2025-03-30',
    },
    expected: [
      '2025-03-29T22:30:00Z',
      '2025-03-29T23:00:00Z',
      '2025-03-29T23:30:00Z',
      '2025-03-30T00:00:00Z',
      '2025-03-30T00:30:00Z',
    ],
  },
  {
    name: 'Athens 2025-10-26, end in the overlap (03:00–04:00 twice): 03:00 both times, 03:30 never',
    ask: {
      zone: 'Europe/Athens',
      schedule: sunday('00:30', '03:30'),
      duration: 30,
      startDate: '2025-10-26',
      endDate: '2025-10-26',
    },
    expected: [
      '2025-10-25T21:30:00Z',
      '2025-10-25T22:00:00Z',
      '2025-10-25T22:30:00Z',
      '2025-10-25T23:00:00Z',
      '2025-10-25T23:30:00Z',
      '2025-10-26T00:00:00Z',
      '2025-10-26T01:00:00Z',
    ],
  },
  {
    name: 'Athens 2025-10-26, start in the overlap: 03:30 both times, then 04:00 and 04:30',
    ask: {
      zone: 'Europe/Athens',
      schedule: sunday('03:30', '05:00'),
      duration: 30,
      startDate: '2025-10-26',
      endDate: '2025-10-26',
    },
    expected: [
      '2025-10-26T00:30:00Z',
      '2025-10-26T01:30:00Z',
      '2025-10-26T02:00:00Z',
      '2025-10-26T02:30:00Z',
    ],
  },
  {
    name: 'Nuuk 2025-03-29, end in the gap (Saturday 23:00–24:00 skipped), asked with the Sunday',
    ask: {
      zone: 'America/Nuuk',
      schedule: [{ day: 'saturday', from: '21:30', to: '23:30' }],
      duration: 30,
      startDate: '2025-03-29',
      endDate: '2025-03-30',
    },
    expected: ['2025-03-29T23:30:00Z', '2025-03-30T00:00:00Z', '2025-03-30T00:30:00Z'],
  },
  {
    name: 'Chatham 2025-09-28, end in the gap (02:45–03:45 skipped, offsets +12:45/+13:45)',
    ask: {
      zone: 'Pacific/Chatham',
      schedule: sunday('00:30', '03:30'),
      duration: 30,
      startDate: '2025-09-28',
      endDate: '2025-09-28',
    },
    expected: [
      '2025-09-27T11:45:00Z',
      '2025-09-27T12:15:00Z',
      '2025-09-27T12:45:00Z',
      '2025-09-27T13:15:00Z',
      '2025-09-27T13:45:00Z',
    ],
  },
  {
    name: 'Havana 2025-11-02, the day starts in the overlap (00:00–01:00 twice): its first 00:00',
    ask: {
      zone: 'America/Havana',
      schedule: sunday('00:00', '02:00'),
      duration: 30,
      startDate: '2025-11-02',
      endDate: '2025-11-02',
    },
    expected: [
      '2025-11-02T04:00:00Z',
      '2025-11-02T04:30:00Z',
      '2025-11-02T05:00:00Z',
      '2025-11-02T05:30:00Z',
      '2025-11-02T06:00:00Z',
      '2025-11-02T06:30:00Z',
    ],
  },
  {
    name: 'a UTC host asked with timezone=America/Havana for 2025-11-02: a 25-hour day',
    ask: {
      zone: 'UTC',
      schedule: utcAllDay,
      duration: 60,
      startDate: '2025-11-02',
      endDate: '2025-11-02',
      timezone: 'America/Havana',
    },
    expected: hours('2025-11-02T04:00:00Z', 25),
  },
  {
    name: 'a UTC host asked with timezone=America/Havana for 2025-03-09: a 23-hour day from 01:00',
    ask: {
      zone: 'UTC',
      schedule: utcAllDay,
      duration: 60,
      startDate: '2025-03-09',
      endDate: '2025-03-09',
      timezone: 'America/Havana',
    },
    expected: hours('2025-03-09T05:00:00Z', 23),
  },
];

// ───────────────────────── the tests, under each machine clock ─────────────────────────

for (const clock of CLOCKS) {
  describe(`stand-in schedules under a ${clock.name} machine clock`, () => {
    let fake: sinon.SinonFakeTimers;
    before(() => {
      fake = sinon.useFakeTimers({ now: clock.at, toFake: ['Date'] });
    });
    after(() => fake.restore());

    it('has the machine clock pinned, and the oracle agrees with every named case', () => {
      assert.equal(Date.now(), clock.at);
      for (const { name, ask, expected } of CASES) assert.deepEqual(oracle(ask), expected, name);
    });

    for (const { name, ask, expected } of CASES) {
      it(name, async () => {
        assert.deepEqual((await standInWindows([ask]))[0], expected);
      });
    }

    it('answers like the oracle in every zone, around each of its 2025–2026 offset changes', async () => {
      let [windows, changes] = [0, 0];
      const wrong: string[] = [];
      const answers = await standInWindows(ZONES.flatMap((z) => z.probes.map((p) => p.ask)));
      let n = 0;
      for (const { zone, changes: found, probes, expected } of ZONES) {
        changes += found.length;
        for (const [i, { ask, scans }] of probes.entries()) {
          const answer = answers[n++];
          for (const [k, [from, to]] of scans.entries()) {
            const want = new Set(expected[i][k]);
            // Canonical instants sort as text; no Date is made (sinon's fake one is slow).
            const [first, last] = [iso(from), iso(to)];
            const got = new Set(answer.filter((w) => w >= first && w < last));
            windows += want.size;
            const missing = expected[i][k].filter((w) => !got.has(w));
            const extra = [...got].filter((w) => !want.has(w));
            if (missing.length || extra.length) {
              const what = ask.timezone
                ? `UTC host, timezone=${ask.timezone}, ${ask.startDate}`
                : `${zone} ${JSON.stringify(ask.schedule[0])} around ${dayText((from + 15 * HOUR) / DAY)}`;
              wrong.push(`${what}: missing [${missing}] extra [${extra}]`);
            }
          }
        }
      }
      // The sweep really covers the zones that change: most of the world keeps one offset.
      assert.ok(ZONES.length > 400 && changes > 400, `${ZONES.length} zones, ${changes} changes`);
      assert.ok(windows > 80_000, `${windows} windows`);
      assert.deepEqual(
        wrong.slice(0, 12),
        [],
        `${wrong.length} answers differ from the oracle; the first 12 are shown`,
      );
    });
  });
}
