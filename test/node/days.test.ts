import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime, Interval } from 'luxon';
import {
  addDays,
  displayZone,
  groupByDay,
  isIsoDate,
  isValidZone,
  pageDays,
  rangeCovers,
  requestRange,
  todayIn,
  viewerZone,
} from '../../src/days.js';
import type { Slot } from '../../src/days.js';
import { formatDayHeading, formatTimes } from '../../src/labels.js';
import { formatInstant, parseInstant as parseEpoch } from '../../src/protocol.js';
import { withProcessZone } from '../calendar.js';

/** An instant as grouping reads it (protocol.ts): its canonical text and epoch, else `null`. */
function parseInstant(value: unknown): { start: string; epoch: number } | null {
  const epoch = parseEpoch(value);
  return Number.isNaN(epoch) ? null : { start: formatInstant(epoch), epoch };
}

const slot = (start: string, date: string): Slot => ({ start, epoch: Date.parse(start), date });

describe('isValidZone', () => {
  const valid = [
    'UTC',
    'Etc/UTC',
    'GMT',
    'US/Eastern',
    'Etc/GMT+5',
    'Etc/GMT-14',
    'Europe/Berlin',
    'Asia/Kathmandu',
    'America/Argentina/Buenos_Aires',
  ];
  const invalid = [
    '',
    ' ',
    'local',
    'system',
    'Local',
    'garbage',
    'Mars/Olympus_Mons',
    'Europe/Berlinn',
    ' UTC',
    'UTC ',
  ];
  for (const zone of valid) test(`accepts ${zone}`, () => assert.equal(isValidZone(zone), true));
  for (const zone of invalid) {
    test(`refuses ${JSON.stringify(zone)}`, () => assert.equal(isValidZone(zone), false));
  }
  test('refuses non-strings', () => {
    for (const zone of [undefined, null, 42, {}]) {
      assert.equal(isValidZone(zone as unknown as string), false);
    }
  });
});

describe('viewerZone', () => {
  const cases: [string, string][] = [
    ['America/New_York', 'America/New_York'],
    ['Pacific/Chatham', 'Pacific/Chatham'],
    ['Asia/Calcutta', 'Asia/Kolkata'], // ICU's old name, reported by Chromium and Node
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['US/Eastern', 'America/New_York'],
    ['Invalid/Zone', 'UTC'], // Intl reports no zone
    ['', 'UTC'], // Intl reports Etc/Unknown
  ];
  for (const [processZone, expected] of cases) {
    test(`process zone ${processZone} → ${expected}`, () => {
      assert.equal(
        withProcessZone(processZone, () => viewerZone()),
        expected,
      );
    });
  }
});

describe('displayZone', () => {
  const cases: [string | undefined | null, string][] = [
    ['Europe/Berlin', 'Europe/Berlin'],
    [' Asia/Calcutta ', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['US/Eastern', 'America/New_York'],
    ['Etc/UTC', 'UTC'],
    ['Mars/Olympus_Mons', 'Pacific/Chatham'], // unknown: the viewer's
    ['', 'Pacific/Chatham'],
    [undefined, 'Pacific/Chatham'],
    [null, 'Pacific/Chatham'],
  ];
  for (const [requested, expected] of cases) {
    test(`${JSON.stringify(requested)} → ${expected}`, () => {
      assert.equal(
        withProcessZone('Pacific/Chatham', () => displayZone(requested)),
        expected,
      );
    });
  }
});

describe('isIsoDate', () => {
  const cases: [string, boolean][] = [
    ['2024-01-15', true],
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['2025-12-31', true],
    ['2025-02-30', false],
    ['2023-02-29', false],
    ['1900-02-29', false],
    ['2025-04-31', false],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-01-00', false],
    ['2025-01-32', false],
    ['2025-W01-1', false],
    ['2025-001', false],
    ['+002025-01-01', false],
    ['2025-1-1', false],
    ['20250101', false],
    ['2025/01/01', false],
    ['2025-01-01T00:00:00Z', false],
    [' 2025-01-01', false],
    ['2025-01-01\n', false],
    ['', false],
    ['garbage', false],
  ];
  for (const [value, expected] of cases) {
    test(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(isIsoDate(value), expected));
  }
  test('non-strings are not dates', () => {
    assert.equal(isIsoDate(20250101 as unknown as string), false);
    assert.equal(isIsoDate(undefined as unknown as string), false);
  });
});

describe('addDays', () => {
  const cases: [string, number, string][] = [
    ['2024-01-15', 0, '2024-01-15'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-28', 2, '2024-03-01'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-12-31', 1, '2025-01-01'],
    ['2025-01-01', -1, '2024-12-31'],
    ['2024-03-10', 1, '2024-03-11'],
    ['2024-10-27', 1, '2024-10-28'],
    ['2024-01-31', 30, '2024-03-01'],
    ['2024-03-01', -366, '2023-03-01'],
  ];
  for (const [date, n, expected] of cases) {
    test(`${date} + ${n} → ${expected}`, () => assert.equal(addDays(date, n), expected));
  }
  test('refuses what is not a date or a whole number of days', () => {
    assert.throws(() => addDays('2025-02-30', 1), RangeError);
    assert.throws(() => addDays('garbage', 1), RangeError);
    assert.throws(() => addDays('2024-01-15', 1.5), RangeError);
    assert.throws(() => addDays('2024-01-15', Number.NaN), RangeError);
  });
});

describe('todayIn', () => {
  const cases: [string, string, string][] = [
    ['UTC', '2024-01-15T10:30:00Z', '2024-01-15'],
    ['Pacific/Kiritimati', '2024-01-15T10:30:00Z', '2024-01-16'],
    ['Pacific/Kiritimati', '2024-01-15T09:59:59Z', '2024-01-15'],
    ['Etc/GMT+12', '2024-01-15T10:30:00Z', '2024-01-14'],
    ['Etc/GMT+12', '2024-01-15T12:00:00Z', '2024-01-15'],
    ['Pacific/Pago_Pago', '2024-01-15T10:30:00Z', '2024-01-14'],
    ['Asia/Kathmandu', '2024-01-14T18:15:00Z', '2024-01-15'],
    ['Asia/Kathmandu', '2024-01-14T18:14:59.999Z', '2024-01-14'],
    ['Asia/Kolkata', '2024-01-14T18:30:00Z', '2024-01-15'],
    ['Asia/Kolkata', '2024-01-14T18:29:59Z', '2024-01-14'],
    ['Pacific/Chatham', '2024-01-14T10:15:00Z', '2024-01-15'],
    ['Pacific/Chatham', '2024-01-14T10:14:00Z', '2024-01-14'],
    ['America/New_York', '2024-11-04T04:59:00Z', '2024-11-03'],
    ['America/New_York', '2024-11-04T05:00:00Z', '2024-11-04'],
  ];
  for (const [zone, now, expected] of cases) {
    test(`${zone} at ${now} → ${expected}`, () => {
      assert.equal(todayIn(zone, new Date(now)), expected);
    });
  }
  test('refuses unknown zones, luxon-only names and invalid dates', () => {
    const now = new Date('2024-01-15T10:30:00Z');
    for (const zone of ['Garbage/Zone', 'local', 'system', '']) {
      assert.throws(() => todayIn(zone, now), RangeError, zone);
    }
    assert.throws(() => todayIn('UTC', new Date(Number.NaN)), RangeError);
  });
});

describe('pageDays', () => {
  const now = '2024-01-15T10:30:00Z';
  const cases: [string, string | undefined, number, string, string, string[]][] = [
    ['today by default', undefined, 3, 'UTC', now, ['2024-01-15', '2024-01-16', '2024-01-17']],
    [
      'today in a +14 zone',
      undefined,
      3,
      'Pacific/Kiritimati',
      now,
      ['2024-01-16', '2024-01-17', '2024-01-18'],
    ],
    ['today in a −12 zone', undefined, 2, 'Etc/GMT+12', now, ['2024-01-14', '2024-01-15']],
    ['a future start', '2024-01-20', 2, 'UTC', now, ['2024-01-20', '2024-01-21']],
    ['a past start clamps to today', '2024-01-10', 2, 'UTC', now, ['2024-01-15', '2024-01-16']],
    [
      'a start that is today elsewhere but past in the zone',
      '2024-01-15',
      1,
      'Pacific/Kiritimati',
      now,
      ['2024-01-16'],
    ],
    ['an impossible start', '2024-02-30', 2, 'UTC', now, ['2024-01-15', '2024-01-16']],
    ['a garbage start', 'garbage', 1, 'UTC', now, ['2024-01-15']],
    ['an empty start', '', 1, 'UTC', now, ['2024-01-15']],
    ['an unpadded start', '2024-1-20', 1, 'UTC', now, ['2024-01-15']],
    [
      'across a leap day',
      '2024-02-28',
      3,
      'Europe/Berlin',
      now,
      ['2024-02-28', '2024-02-29', '2024-03-01'],
    ],
    [
      'across a new year',
      '2024-12-30',
      4,
      'UTC',
      now,
      ['2024-12-30', '2024-12-31', '2025-01-01', '2025-01-02'],
    ],
    [
      'across a 23-hour day',
      '2024-03-09',
      3,
      'America/New_York',
      now,
      ['2024-03-09', '2024-03-10', '2024-03-11'],
    ],
    [
      'skipping the day Samoa never had',
      '2011-12-28',
      4,
      'Pacific/Apia',
      '2011-12-01T00:00:00Z',
      ['2011-12-28', '2011-12-29', '2011-12-31', '2012-01-01'],
    ],
    [
      'the same dates in UTC',
      '2011-12-28',
      4,
      'UTC',
      '2011-12-01T00:00:00Z',
      ['2011-12-28', '2011-12-29', '2011-12-30', '2011-12-31'],
    ],
  ];
  for (const [name, start, count, zone, at, expected] of cases) {
    test(`${name}: ${String(start)} × ${count} in ${zone}`, () => {
      assert.deepEqual(pageDays(start, count, zone, new Date(at)), expected);
    });
  }
  test('always has count days', () => {
    const days = pageDays(undefined, 28, 'UTC', new Date(now));
    assert.equal(days.length, 28);
    assert.equal(days[0], '2024-01-15');
    assert.equal(days[27], '2024-02-11');
  });
  test('refuses a count that is not a positive whole number', () => {
    for (const count of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => pageDays(undefined, count, 'UTC', new Date(now)), RangeError);
    }
  });
});

describe('requestRange', () => {
  const cases: [string[], string, string][] = [
    [['2024-01-15', '2024-01-16', '2024-01-17'], '2024-01-14', '2024-01-18'],
    [['2024-03-01'], '2024-02-29', '2024-03-02'],
    [['2024-12-31', '2025-01-01'], '2024-12-30', '2025-01-02'],
    [['2024-01-17', '2024-01-15', '2024-01-16'], '2024-01-14', '2024-01-18'],
  ];
  for (const [days, startDate, endDate] of cases) {
    test(`${days.join(',')} → ${startDate}…${endDate}`, () => {
      assert.deepEqual(requestRange(days), { startDate, endDate });
    });
  }
  test('refuses an empty page', () => assert.throws(() => requestRange([]), RangeError));
});

describe('rangeCovers: whether a loaded answer covers a page in a zone', () => {
  // A 7-day page from 2024-01-15 asked for 2024-01-14…2024-01-22 (UTC days).
  const range = requestRange(pageDays('2024-01-15', 7, 'UTC', new Date('2024-01-01T00:00:00Z')));
  const page = (first: string, count = 7) =>
    Array.from({ length: count }, (_, i) => addDays(first, i));
  const cases: [string, string[], string, boolean][] = [
    ['the page it was asked for, in UTC', page('2024-01-15'), 'UTC', true],
    ['the same days in +14', page('2024-01-15'), 'Pacific/Kiritimati', true],
    ['the same days in −12', page('2024-01-15'), 'Etc/GMT+12', true],
    ['the same days in Chatham (+13:45)', page('2024-01-15'), 'Pacific/Chatham', true],
    ['the same days in Kathmandu (+05:45)', page('2024-01-15'), 'Asia/Kathmandu', true],
    ['a day later in +14 (today moved on there)', page('2024-01-16'), 'Pacific/Kiritimati', true],
    ['a day later in UTC', page('2024-01-16'), 'UTC', true],
    ['a day later in −12', page('2024-01-16'), 'Etc/GMT+12', false],
    ['a day earlier in −12 (today lags there)', page('2024-01-14'), 'Etc/GMT+12', true],
    ['a day earlier in UTC', page('2024-01-14'), 'UTC', true],
    ['a day earlier in +14', page('2024-01-14'), 'Pacific/Kiritimati', false],
    ['two days later in +14', page('2024-01-17'), 'Pacific/Kiritimati', false],
    ['the next page', page('2024-01-22'), 'UTC', false],
    ['one day of it', ['2024-01-18'], 'America/New_York', true],
    ['a page a day longer than asked for', page('2024-01-15', 9), 'UTC', false],
  ];
  for (const [name, days, zone, expected] of cases) {
    test(`${name} → ${expected}`, () => {
      assert.equal(rangeCovers(range, days, zone), expected);
    });
  }
  test('a range padded by requestRange covers its own page in every zone', () => {
    const now = new Date('2024-03-30T18:00:00Z'); // around Europe's DST change
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const days = pageDays(undefined, 7, zone, now);
      assert.equal(rangeCovers(requestRange(days), days, zone), true, zone);
    }
  });
  test("the answer for a page covers every zone's page whose days it spans", () => {
    // What a zone change needs: the loaded range, the new zone's page, and luxon's reading of
    // which instants start on those days.
    const now = new Date('2024-01-15T11:30:00Z');
    const range = requestRange(pageDays(undefined, 7, 'Europe/Berlin', now));
    const rangeFrom = Date.parse(`${range.startDate}T00:00:00Z`);
    const rangeTo = Date.parse(`${range.endDate}T00:00:00Z`) + DAY_MS;
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const days = pageDays(undefined, 7, zone, now);
      const first = DateTime.fromISO(days[0], { zone }).startOf('day').toMillis();
      const end = DateTime.fromISO(days[6], { zone }).plus({ days: 1 }).startOf('day').toMillis();
      assert.equal(rangeCovers(range, days, zone), rangeFrom <= first && end <= rangeTo, zone);
    }
  });
  test('refuses an unknown zone; a range that is no days covers nothing', () => {
    assert.throws(() => rangeCovers(range, page('2024-01-15'), 'Garbage/Zone'), RangeError);
    assert.equal(
      rangeCovers({ startDate: 'x', endDate: '2024-01-22' }, ['2024-01-15'], 'UTC'),
      false,
    );
    assert.equal(rangeCovers(range, [], 'UTC'), false);
  });
});

describe('instants as grouping reads them (protocol.ts)', () => {
  const instants: [string, string][] = [
    ['2024-01-15T09:00:00Z', '2024-01-15T09:00:00Z'],
    ['2024-01-15T10:00:00+01:00', '2024-01-15T09:00:00Z'],
    ['2024-01-15T04:00:00-05:00', '2024-01-15T09:00:00Z'],
    ['2024-01-15T14:45:00+05:45', '2024-01-15T09:00:00Z'],
    ['2024-01-15T23:00:00+14:00', '2024-01-15T09:00:00Z'],
    ['2024-01-14T21:00:00-12:00', '2024-01-15T09:00:00Z'],
    ['2024-01-15T10:00:00+0100', '2024-01-15T09:00:00Z'],
    ['2024-01-15T10:00:00+01', '2024-01-15T09:00:00Z'],
    ['2024-01-15T09:00:00-00:00', '2024-01-15T09:00:00Z'],
    ['2024-01-15T09:00Z', '2024-01-15T09:00:00Z'],
    ['2024-01-15T09:00:00.000Z', '2024-01-15T09:00:00Z'],
    ['2024-01-15T09:00:00.250Z', '2024-01-15T09:00:00.250Z'],
    ['2024-01-15t09:00:00z', '2024-01-15T09:00:00Z'],
  ];
  for (const [raw, start] of instants) {
    test(`${raw} → ${start}`, () => {
      assert.deepEqual(parseInstant(raw), { start, epoch: Date.parse(start) });
    });
  }
  const notInstants: unknown[] = [
    '2024-01-15T09:00',
    '2024-01-15T09:00:00',
    '2024-01-15',
    '2024-01-15Z',
    '2024-01-15 09:00:00Z',
    ' 2024-01-15T09:00:00Z',
    '2024-01-15T09:00:00Z ',
    '2024-02-30T09:00:00Z',
    '2024-01-15T24:00:00Z',
    '2024-01-15T25:00:00Z',
    '2024-01-15T09:60:00Z',
    '2024-01-15T09:00:60Z',
    '2024-01-15T09:00:00+25:00',
    '2024-01-15T09:00:00+01:60',
    '2024-W03-1T09:00:00Z',
    '2024-015T09:00:00Z',
    '20240115T090000Z',
    '+002024-01-15T09:00:00Z',
    '1705309200000',
    'garbage',
    '',
    42,
    1705309200000,
    null,
    undefined,
    {},
    [],
    true,
    new Date('2024-01-15T09:00:00Z'),
  ];
  for (const raw of notInstants) {
    test(`refuses ${typeof raw === 'string' ? JSON.stringify(raw) : String(raw)}`, () => {
      assert.equal(parseInstant(raw), null);
    });
  }
});

/** Luxon's own reading of the fixtures: these days really are that long / have no midnight. */
describe('fixtures (checked with luxon directly)', () => {
  const dayLengths: [string, string, number][] = [
    ['America/New_York', '2024-03-10', 23],
    ['America/New_York', '2024-11-03', 25],
    ['America/Los_Angeles', '2024-03-10', 23],
    ['America/Los_Angeles', '2024-11-03', 25],
    ['Europe/Berlin', '2024-03-31', 23],
    ['Europe/Berlin', '2024-10-27', 25],
    ['Australia/Lord_Howe', '2024-04-07', 24.5],
    ['Australia/Lord_Howe', '2024-10-06', 23.5],
    ['Pacific/Chatham', '2024-04-07', 25],
    ['Pacific/Chatham', '2024-09-29', 23],
    ['America/Sao_Paulo', '2018-11-04', 23],
    ['America/Sao_Paulo', '2019-02-16', 25],
    ['America/Santiago', '2022-09-11', 23],
    ['Asia/Beirut', '2024-03-31', 23],
  ];
  for (const [zone, date, hours] of dayLengths) {
    test(`${date} in ${zone} lasts ${hours} h`, () => {
      const start = DateTime.fromISO(date, { zone }).startOf('day');
      const end = start.plus({ days: 1 }).startOf('day');
      assert.equal(Interval.fromDateTimes(start, end).length('hours'), hours);
    });
  }
  const gaps: [string, string, string, string][] = [
    ['America/Sao_Paulo', '2018-11-04T03:00:00Z', '2018-11-03 23:59', '2018-11-04 01:00'],
    ['America/Santiago', '2022-09-11T04:00:00Z', '2022-09-10 23:59', '2022-09-11 01:00'],
    ['Asia/Beirut', '2024-03-30T22:00:00Z', '2024-03-30 23:59', '2024-03-31 01:00'],
    ['Pacific/Apia', '2011-12-30T10:00:00Z', '2011-12-29 23:59', '2011-12-31 00:00'],
  ];
  for (const [zone, instant, before, after] of gaps) {
    test(`${zone} goes from ${before} to ${after} at ${instant}`, () => {
      const at = DateTime.fromISO(instant, { zone });
      assert.equal(at.minus({ minutes: 1 }).toFormat('yyyy-MM-dd HH:mm'), before);
      assert.equal(at.toFormat('yyyy-MM-dd HH:mm'), after);
    });
  }
});

describe('groupByDay: the day a slot starts on', () => {
  // [zone, instant, the calendar day it starts on there (worked out by hand)]
  const cases: [string, string, string][] = [
    ['UTC', '2024-01-14T23:59:00Z', '2024-01-14'],
    ['UTC', '2024-01-15T00:00:00Z', '2024-01-15'],
    ['UTC', '2024-01-15T23:59:00Z', '2024-01-15'],
    ['Europe/Berlin', '2024-01-14T22:59:00Z', '2024-01-14'],
    ['Europe/Berlin', '2024-01-14T23:00:00Z', '2024-01-15'],
    ['Europe/Berlin', '2024-03-30T23:00:00Z', '2024-03-31'],
    ['Europe/Berlin', '2024-03-31T21:59:00Z', '2024-03-31'],
    ['Europe/Berlin', '2024-03-31T22:00:00Z', '2024-04-01'],
    ['Europe/Berlin', '2024-10-26T22:00:00Z', '2024-10-27'],
    ['Europe/Berlin', '2024-10-27T22:59:00Z', '2024-10-27'],
    ['Europe/Berlin', '2024-10-27T23:00:00Z', '2024-10-28'],
    ['America/New_York', '2024-03-10T04:59:00Z', '2024-03-09'],
    ['America/New_York', '2024-03-10T05:00:00Z', '2024-03-10'],
    ['America/New_York', '2024-03-10T07:00:00Z', '2024-03-10'],
    ['America/New_York', '2024-03-11T03:59:00Z', '2024-03-10'],
    ['America/New_York', '2024-03-11T04:00:00Z', '2024-03-11'],
    ['America/New_York', '2024-11-03T03:59:00Z', '2024-11-02'],
    ['America/New_York', '2024-11-03T04:00:00Z', '2024-11-03'],
    ['America/New_York', '2024-11-03T05:30:00Z', '2024-11-03'],
    ['America/New_York', '2024-11-03T06:30:00Z', '2024-11-03'],
    ['America/New_York', '2024-11-04T04:59:00Z', '2024-11-03'],
    ['America/New_York', '2024-11-04T05:00:00Z', '2024-11-04'],
    ['America/Los_Angeles', '2024-03-10T07:59:00Z', '2024-03-09'],
    ['America/Los_Angeles', '2024-03-10T08:00:00Z', '2024-03-10'],
    ['America/Los_Angeles', '2024-03-11T06:59:00Z', '2024-03-10'],
    ['America/Los_Angeles', '2024-03-11T07:00:00Z', '2024-03-11'],
    ['America/Los_Angeles', '2024-11-03T06:59:00Z', '2024-11-02'],
    ['America/Los_Angeles', '2024-11-03T07:00:00Z', '2024-11-03'],
    ['America/Los_Angeles', '2024-11-04T07:59:00Z', '2024-11-03'],
    ['America/Los_Angeles', '2024-11-04T08:00:00Z', '2024-11-04'],
    ['Australia/Lord_Howe', '2024-04-06T12:59:00Z', '2024-04-06'],
    ['Australia/Lord_Howe', '2024-04-06T13:00:00Z', '2024-04-07'],
    ['Australia/Lord_Howe', '2024-04-07T13:29:00Z', '2024-04-07'],
    ['Australia/Lord_Howe', '2024-04-07T13:30:00Z', '2024-04-08'],
    ['Australia/Lord_Howe', '2024-10-05T13:29:00Z', '2024-10-05'],
    ['Australia/Lord_Howe', '2024-10-05T13:30:00Z', '2024-10-06'],
    ['Australia/Lord_Howe', '2024-10-06T12:59:00Z', '2024-10-06'],
    ['Australia/Lord_Howe', '2024-10-06T13:00:00Z', '2024-10-07'],
    ['Asia/Kathmandu', '2024-01-14T18:14:00Z', '2024-01-14'],
    ['Asia/Kathmandu', '2024-01-14T18:15:00Z', '2024-01-15'],
    ['Asia/Kathmandu', '2024-01-15T18:14:00Z', '2024-01-15'],
    ['Asia/Kolkata', '2024-01-14T18:29:00Z', '2024-01-14'],
    ['Asia/Kolkata', '2024-01-14T18:30:00Z', '2024-01-15'],
    ['Pacific/Chatham', '2024-04-06T10:14:00Z', '2024-04-06'],
    ['Pacific/Chatham', '2024-04-06T10:15:00Z', '2024-04-07'],
    ['Pacific/Chatham', '2024-04-07T11:14:00Z', '2024-04-07'],
    ['Pacific/Chatham', '2024-04-07T11:15:00Z', '2024-04-08'],
    ['Pacific/Chatham', '2024-09-28T11:14:00Z', '2024-09-28'],
    ['Pacific/Chatham', '2024-09-28T11:15:00Z', '2024-09-29'],
    ['Pacific/Chatham', '2024-09-29T10:14:00Z', '2024-09-29'],
    ['Pacific/Chatham', '2024-09-29T10:15:00Z', '2024-09-30'],
    ['Pacific/Kiritimati', '2024-01-15T09:59:00Z', '2024-01-15'],
    ['Pacific/Kiritimati', '2024-01-15T10:00:00Z', '2024-01-16'],
    ['Pacific/Pago_Pago', '2024-01-15T10:59:00Z', '2024-01-14'],
    ['Pacific/Pago_Pago', '2024-01-15T11:00:00Z', '2024-01-15'],
    ['Etc/GMT+12', '2024-01-15T11:59:00Z', '2024-01-14'],
    ['Etc/GMT+12', '2024-01-15T12:00:00Z', '2024-01-15'],
    ['Etc/GMT+12', '2024-01-16T11:59:00Z', '2024-01-15'],
    ['America/Sao_Paulo', '2018-11-04T02:59:00Z', '2018-11-03'],
    ['America/Sao_Paulo', '2018-11-04T03:00:00Z', '2018-11-04'],
    ['America/Sao_Paulo', '2019-02-17T01:30:00Z', '2019-02-16'],
    ['America/Sao_Paulo', '2019-02-17T02:30:00Z', '2019-02-16'],
    ['America/Sao_Paulo', '2019-02-17T03:00:00Z', '2019-02-17'],
    ['America/Santiago', '2022-09-11T03:59:00Z', '2022-09-10'],
    ['America/Santiago', '2022-09-11T04:00:00Z', '2022-09-11'],
    ['Asia/Beirut', '2024-03-30T21:59:00Z', '2024-03-30'],
    ['Asia/Beirut', '2024-03-30T22:00:00Z', '2024-03-31'],
    ['Pacific/Apia', '2011-12-30T09:59:00Z', '2011-12-29'],
    ['Pacific/Apia', '2011-12-30T10:00:00Z', '2011-12-31'],
  ];
  const now = new Date('2011-01-01T00:00:00Z');
  for (const [zone, instant, date] of cases) {
    test(`${instant} in ${zone} → ${date}`, () => {
      const days = [addDays(date, -1), date, addDays(date, 1)];
      const { groups, dropped } = groupByDay([instant], zone, days, now);
      assert.equal(dropped, 0);
      assert.deepEqual(groups, [
        { date: days[0], slots: [] },
        { date, slots: [slot(instant, date)] },
        { date: days[2], slots: [] },
      ]);
    });
  }
  test('Samoa’s missing 2011-12-30 holds no slot', () => {
    const windows = ['2011-12-30T09:59:00Z', '2011-12-30T10:00:00Z', '2011-12-30T12:00:00Z'];
    const days = ['2011-12-29', '2011-12-30', '2011-12-31'];
    const { groups } = groupByDay(windows, 'Pacific/Apia', days, now);
    assert.deepEqual(
      groups.map((group) => group.slots.map((s) => s.start)),
      [['2011-12-30T09:59:00Z'], [], ['2011-12-30T10:00:00Z', '2011-12-30T12:00:00Z']],
    );
  });
});

describe('groupByDay: filtering, order and counts', () => {
  const now = new Date('2024-01-14T23:15:00Z'); // 00:15 on 2024-01-15 in Berlin
  const days = ['2024-01-15', '2024-01-16', '2024-01-17'];
  const windows: unknown[] = [
    '2024-01-15T09:00:00Z',
    '2024-01-15T10:00:00+01:00', // the same instant again
    '2024-01-15T04:00:00-05:00', // and again
    '2024-01-14T23:14:59Z', // a second before now
    '2024-01-13T09:00:00Z', // long past
    '2024-01-15T08:45:00.500Z',
    '2024-01-14T23:15:00Z', // exactly now
    '2024-01-15T08:30:00.000Z',
    'garbage',
    42,
    null,
    {},
    '2024-01-15T09:00', // no offset: ambiguous
    undefined,
    '',
    '2024-01-18T09:00:00Z', // after the page
    '2024-01-17T22:59:00Z', // 23:59 on the 17th in Berlin
    '2024-01-17T23:00:00Z', // 00:00 on the 18th in Berlin
  ];

  test('drops, dedupes, sorts and groups', () => {
    assert.deepEqual(groupByDay(windows, 'Europe/Berlin', days, now), {
      groups: [
        {
          date: '2024-01-15',
          slots: [
            slot('2024-01-14T23:15:00Z', '2024-01-15'),
            slot('2024-01-15T08:30:00Z', '2024-01-15'),
            slot('2024-01-15T08:45:00.500Z', '2024-01-15'),
            slot('2024-01-15T09:00:00Z', '2024-01-15'),
          ],
        },
        { date: '2024-01-16', slots: [] },
        { date: '2024-01-17', slots: [slot('2024-01-17T22:59:00Z', '2024-01-17')] },
      ],
      dropped: 7,
    });
  });

  test('the same windows in UTC fall on other days', () => {
    const { groups } = groupByDay(windows, 'UTC', ['2024-01-14', '2024-01-17'], now);
    assert.deepEqual(
      groups.map((group) => group.slots.map((s) => s.start)),
      [['2024-01-14T23:15:00Z'], ['2024-01-17T22:59:00Z', '2024-01-17T23:00:00Z']],
    );
  });

  test('groups follow the order of days', () => {
    const { groups } = groupByDay(windows, 'Europe/Berlin', ['2024-01-17', '2024-01-15'], now);
    assert.deepEqual(
      groups.map((group) => [group.date, group.slots.length]),
      [
        ['2024-01-17', 1],
        ['2024-01-15', 4],
      ],
    );
  });

  test('a list grouped again (another zone) or grown since is read right', () => {
    const list = ['2024-01-15T09:00:00Z', 'garbage'];
    const berlin = groupByDay(list, 'Europe/Berlin', days, now);
    assert.deepEqual(groupByDay(list, 'Europe/Berlin', days, now), berlin);
    assert.equal(groupByDay(list, 'UTC', ['2024-01-15'], now).groups[0].slots.length, 1);
    list.push('2024-01-16T09:00:00+01:00');
    const grown = groupByDay(list, 'Europe/Berlin', days, now);
    assert.deepEqual(
      grown.groups.map((group) => group.slots.map((s) => s.start)),
      [['2024-01-15T09:00:00Z'], ['2024-01-16T08:00:00Z'], []],
    );
    assert.equal(grown.dropped, 1);
  });

  test('nothing in, empty groups out', () => {
    assert.deepEqual(groupByDay([], 'UTC', ['2024-01-15'], now), {
      groups: [{ date: '2024-01-15', slots: [] }],
      dropped: 0,
    });
  });

  test('refuses an unknown zone or an invalid now', () => {
    assert.throws(() => groupByDay(windows, 'local', days, now), RangeError);
    assert.throws(() => groupByDay(windows, 'Garbage/Zone', days, now), RangeError);
    assert.throws(() => groupByDay(windows, 'UTC', days, new Date(Number.NaN)), RangeError);
  });
});

// ─────────── The fast paths against luxon itself (what the module used to call) ───────────

/** A seeded random source (mulberry32): every run checks the same cases. */
function randomSource(seed: number): (from: number, to: number) => number {
  let state = seed >>> 0;
  return (from, to) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return from + Math.floor(unit * (to - from + 1));
  };
}

const DAY_MS = 86_400_000;
const isoOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const canonical = (epoch: number): string => new Date(epoch).toISOString().replace('.000Z', 'Z');
/** The day an instant falls on, read by luxon one instant at a time. */
const luxonDay = (epoch: number, zone: string): string | null =>
  DateTime.fromMillis(epoch, { zone }).toISODate();
/** The page luxon computed: today or a later start, then the days that exist in the zone. */
function luxonPage(start: string, count: number, zone: string, now: Date): string[] {
  const today = DateTime.fromJSDate(now, { zone }).toISODate()!;
  let day = DateTime.fromISO(start, { zone: 'utc' }).isValid && start > today ? start : today;
  const days: string[] = [];
  while (days.length < count) {
    if (DateTime.fromISO(day, { zone }).toISODate() === day) days.push(day);
    day = DateTime.fromISO(day, { zone: 'utc' }).plus({ days: 1 }).toISODate()!;
  }
  return days;
}

/**
 * Fixtures where the date goes back at a fall-back, or a gap swallows midnight: each instant and
 * the day it starts on there, worked out from the zone's history (and checked with luxon below).
 */
const oddDays: [string, string, string[], [string, string][]][] = [
  [
    'Antarctica/Casey goes back from +11 to +8 at 02:00',
    'Antarctica/Casey',
    ['2010-03-04', '2010-03-05'],
    [
      ['2010-03-04T12:59:00Z', '2010-03-04'], // 23:59 +11
      ['2010-03-04T13:00:00Z', '2010-03-05'], // 00:00 +11
      ['2010-03-04T14:59:00Z', '2010-03-05'], // 01:59 +11
      ['2010-03-04T15:00:00Z', '2010-03-04'], // 23:00 +08, the 4th again
      ['2010-03-04T15:59:00Z', '2010-03-04'], // 23:59 +08
      ['2010-03-04T16:00:00Z', '2010-03-05'], // 00:00 +08
    ],
  ],
  [
    'St. John’s fell back at 00:01, to 23:01 of the day before',
    'America/St_Johns',
    ['1990-10-27', '1990-10-28'],
    [
      ['1990-10-28T02:29:00Z', '1990-10-27'], // 23:59 NDT
      ['1990-10-28T02:30:00Z', '1990-10-28'], // 00:00 NDT
      ['1990-10-28T02:30:59Z', '1990-10-28'], // 00:00:59 NDT
      ['1990-10-28T02:31:00Z', '1990-10-27'], // 23:01 NST
      ['1990-10-28T03:29:00Z', '1990-10-27'], // 23:59 NST
      ['1990-10-28T03:30:00Z', '1990-10-28'], // 00:00 NST
    ],
  ],
  [
    'Toronto sprang from 23:30 to 00:30 (no midnight)',
    'America/Toronto',
    ['1919-03-30', '1919-03-31'],
    [
      ['1919-03-31T04:29:59Z', '1919-03-30'], // 23:29:59 EST
      ['1919-03-31T04:30:00Z', '1919-03-31'], // 00:30 EDT
      ['1919-03-31T04:59:00Z', '1919-03-31'], // 00:59 EDT
    ],
  ],
  [
    'Juneau lived 1867-10-18 twice when Alaska changed hands',
    'America/Juneau',
    ['1867-10-18', '1867-10-19'],
    [
      ['1867-10-18T08:57:40Z', '1867-10-18'], // 23:59:59 +15:02:19
      ['1867-10-18T09:00:00Z', '1867-10-19'], // 00:02:19 +15:02:19
      ['1867-10-19T00:31:12Z', '1867-10-19'], // 15:33:31 +15:02:19
      ['1867-10-19T00:31:13Z', '1867-10-18'], // 15:33:32 −08:57:41
      ['1867-10-19T08:57:40Z', '1867-10-18'], // 23:59:59 −08:57:41
      ['1867-10-19T08:57:41Z', '1867-10-19'], // 00:00:00 −08:57:41
    ],
  ],
];

describe('groupByDay: days that are not one stretch of time', () => {
  const now = new Date('1800-01-01T00:00:00Z');
  for (const [name, zone, days, placed] of oddDays) {
    test(`luxon reads the fixture alike: ${name}`, () => {
      for (const [instant, date] of placed) assert.equal(luxonDay(Date.parse(instant), zone), date);
    });
    test(name, () => {
      const windows = placed.map(([instant]) => instant);
      const expected = days.map((date) => ({
        date,
        slots: placed
          .filter(([, on]) => on === date)
          .map(([instant]) => slot(instant, date))
          .sort((a, b) => a.epoch - b.epoch),
      }));
      assert.deepEqual(groupByDay(windows, zone, days, now).groups, expected);
      // Shown alone, each day still gets exactly its own instants.
      for (const [i, date] of days.entries()) {
        assert.deepEqual(groupByDay(windows, zone, [date], now).groups, [expected[i]]);
      }
    });
  }
  test('a day shown far from the others, and days beyond 9999 (none: they are no YYYY-MM-DD)', () => {
    const windows = ['2024-01-15T09:00:00Z', '1990-01-01T00:00:00Z', '9999-12-31T23:00:00Z'];
    const { groups } = groupByDay(
      windows,
      'Pacific/Kiritimati', // +14 since 1995, −10:40 in 1990
      ['2024-01-15', '1989-12-31', '+010000-01-01', '2024-01-15'],
      new Date(0),
    );
    assert.deepEqual(
      groups.map((group) => group.slots.map((s) => s.start)),
      [['2024-01-15T09:00:00Z'], ['1990-01-01T00:00:00Z'], [], ['2024-01-15T09:00:00Z']],
    );
    assert.notEqual(groups[0].slots, groups[3].slots, 'each entry gets its own array');
  });
});

describe('pageDays: days a zone skipped when it crossed the date line', () => {
  const now = new Date('1800-01-01T00:00:00Z');
  const cases: [string, string, string][] = [
    ['Asia/Manila', '1844-12-30', '1844-12-31'],
    ['Pacific/Kwajalein', '1993-08-20', '1993-08-21'],
    ['Pacific/Kiritimati', '1994-12-30', '1994-12-31'],
    ['Pacific/Fakaofo', '2011-12-29', '2011-12-30'],
  ];
  for (const [zone, before, skipped] of cases) {
    test(`${zone} never had ${skipped}`, () => {
      assert.notEqual(DateTime.fromISO(skipped, { zone }).toISODate(), skipped, 'luxon agrees');
      assert.deepEqual(pageDays(before, 3, zone, now), [
        before,
        addDays(skipped, 1),
        addDays(skipped, 2),
      ]);
    });
  }
});

describe('agreement with luxon, instant by instant, in every zone', () => {
  const zones = [...Intl.supportedValuesOf('timeZone'), 'US/Eastern', 'Etc/GMT+12', 'Etc/GMT-14'];
  zones.forEach((zone, index) => {
    test(zone, () => {
      const random = randomSource(index + 1);
      // A page in a random year, sometimes out of order, with a hole or a day from elsewhere.
      const first = Date.UTC(random(1900, 2100), 0, 1) / DAY_MS + random(0, 364);
      const count = random(1, 21);
      const days = Array.from({ length: count }, (_, i) => isoOfDay(first + i));
      if (random(0, 3) === 0) days.reverse();
      if (random(0, 3) === 0) days.splice(random(0, count - 1), 1);
      if (random(0, 3) === 0) days.push(isoOfDay(first + random(-400, 400)), 'garbage');
      // Random instants around it, and each luxon day start on it, ±1 ms and ±1 s.
      const instants: number[] = [];
      for (let i = 0; i < 40; i++) {
        instants.push((first - 2 + random(0, count + 3)) * DAY_MS + random(0, DAY_MS - 1));
      }
      for (let day = first - 1; day <= first + count; day++) {
        const start = DateTime.fromISO(isoOfDay(day), { zone }).startOf('day').toMillis();
        for (const delta of [-1000, -1, 0, 1, 1000]) instants.push(start + delta);
      }
      const now = new Date((first - 1) * DAY_MS + random(0, 2 * DAY_MS));
      const windows = instants.map((epoch) => new Date(epoch).toISOString());

      const shown = [...new Set(instants)]
        .filter((epoch) => epoch >= now.getTime())
        .sort((a, b) => a - b)
        .map((epoch) => ({ epoch, date: luxonDay(epoch, zone) }));
      const expected = days.map((date) => ({
        date,
        slots: shown
          .filter((instant) => instant.date === date)
          .map(({ epoch }) => ({ start: canonical(epoch), epoch, date })),
      }));
      assert.deepEqual(groupByDay(windows, zone, days, now), { groups: expected, dropped: 0 });

      const start = isoOfDay(first + random(-2, 2));
      assert.deepEqual(pageDays(start, count, zone, now), luxonPage(start, count, zone, now));
      for (const epoch of instants.slice(0, 10)) {
        assert.equal(todayIn(zone, new Date(epoch)), luxonDay(epoch, zone));
      }

      // Labels: each shown day's times (told apart where a wall time repeats) and heading.
      const locale = ['en-US', 'de-DE', 'fr-FR', 'ja-JP'][index % 4];
      const hourCycle = (['h12', 'h23', undefined] as const)[index % 3];
      for (const group of groupByDay(windows, zone, days, now).groups) {
        const luxonTimes = group.slots.map((s) =>
          DateTime.fromMillis(s.epoch, { zone, locale }).toLocaleString({
            hour: 'numeric',
            minute: '2-digit',
            hourCycle,
          }),
        );
        const repeated = new Set(
          luxonTimes.filter((label, i) =>
            luxonTimes.some(
              (other, j) => other === label && group.slots[j].epoch !== group.slots[i].epoch,
            ),
          ),
        );
        const expectedTimes = luxonTimes.map((label, i) =>
          repeated.has(label)
            ? `${label} ${DateTime.fromMillis(group.slots[i].epoch, { zone, locale }).toFormat('ZZZZ')}`
            : label,
        );
        assert.deepEqual(formatTimes(group.slots, zone, locale, hourCycle), expectedTimes);
        if (group.date === 'garbage') continue;
        const heading = DateTime.fromISO(group.date, { zone: 'utc', locale }).toLocaleString({
          weekday: 'short',
          day: 'numeric',
          month: 'short',
        });
        assert.equal(formatDayHeading(group.date, locale), heading);
      }
    });
  });
});

describe('instants, isIsoDate and addDays agree with luxon', () => {
  /**
   * luxon's reading, with the fraction cut to milliseconds first: protocol.ts rounds fractions
   * down to the millisecond, where luxon's float arithmetic rounds `.99999999999999999` up to
   * 1000 ms and refuses it. Both read at most 30 fraction digits.
   */
  const luxonInstant = (raw: string) => {
    const fraction = /[.,](\d+)/.exec(raw);
    if (fraction && fraction[1].length > 30) return null;
    const cut = fraction ? raw.replace(fraction[1], fraction[1].slice(0, 3)) : raw;
    const dt = DateTime.fromISO(cut, { zone: 'utc' });
    return dt.isValid ? { start: canonical(dt.toMillis()), epoch: dt.toMillis() } : null;
  };
  const limits: [string, string | null][] = [
    ['2024-01-15T09:00:00.9999999999999999999Z', '2024-01-15T09:00:00.999Z'], // rounded down
    [`2024-01-15T09:00:00.${'1'.repeat(31)}Z`, null], // more digits than luxon reads
    [`2024-01-15T09:00:00.${'1'.repeat(30)}Z`, '2024-01-15T09:00:00.111Z'],
    ['2024-01-15T09:00:00.999999Z', '2024-01-15T09:00:00.999Z'], // rounded down
    ['2024-01-15T09:00:00.0001Z', '2024-01-15T09:00:00Z'],
    ['2024-02-29T09:00:00,5Z', '2024-02-29T09:00:00.500Z'],
    ['2024-01-15T09:00:00-00:30', '2024-01-15T09:30:00Z'],
    ['2100-02-29T00:00:00Z', null],
    ['0000-02-29T00:00:00Z', '0000-02-29T00:00:00Z'],
    ['0099-12-31T23:59:59Z', '0099-12-31T23:59:59Z'], // not 1999
    ['0000-01-01T00:00:00+01:00', '-000001-12-31T23:00:00Z'],
  ];
  for (const [raw, start] of limits) {
    test(`${raw} → ${String(start)}`, () => {
      assert.deepEqual(parseInstant(raw), luxonInstant(raw));
      assert.equal(parseInstant(raw)?.start ?? null, start);
    });
  }

  test('random instants in the accepted syntax', () => {
    const random = randomSource(7);
    const two = (from: number, to: number) => String(random(from, to)).padStart(2, '0');
    const pick = <T>(items: T[]): T => items[random(0, items.length - 1)];
    for (let i = 0; i < 3000; i++) {
      const year = String(
        pick([0, 4, 99, 100, 1900, 1970, 2000, 2024, 2100, 9999, random(0, 9999)]),
      );
      const date = `${year.padStart(4, '0')}-${two(0, 13)}-${two(0, 32)}`;
      const seconds = pick(['', `:${two(0, 59)}`]);
      const digits = pick(['9', '1', '0', String(random(0, 9))]).repeat(random(1, 33));
      const fraction = seconds && pick(['', '', `.${digits}`, `,${digits}`]);
      const offset = pick([
        'Z',
        'z',
        `${pick(['+', '-'])}${two(0, 23)}${pick(['', `:${two(0, 59)}`, two(0, 59)])}`,
      ]);
      const time = `${two(0, 23)}:${two(0, 59)}${seconds}${fraction}`;
      const raw = `${date}${pick(['T', 't'])}${time}${offset}`;
      assert.deepEqual(parseInstant(raw), luxonInstant(raw), raw);
    }
  });

  test('isIsoDate over every month and day number of leap and common years', () => {
    for (const year of [0, 4, 99, 100, 400, 1900, 2000, 2023, 2024, 2100, 9999]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const pad = (n: number, width = 2) => String(n).padStart(width, '0');
          const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
          assert.equal(isIsoDate(date), DateTime.fromISO(date, { zone: 'utc' }).isValid, date);
        }
      }
    }
  });

  test('addDays, and a RangeError beyond the years 0–9999', () => {
    const random = randomSource(11);
    const luxonAdd = (date: string, n: number) =>
      DateTime.fromISO(date, { zone: 'utc' }).plus({ days: n }).toISODate();
    const cases: [string, number][] = [
      ['0099-12-31', 1],
      ['0000-03-01', -1],
      ['0000-01-01', -1],
      ['9999-12-31', 1],
      ['1970-01-01', 100_000_000],
      ['1970-01-01', -100_000_000],
    ];
    for (let i = 0; i < 500; i++) {
      const date = isoOfDay(Date.UTC(random(0, 9999), 0, 1) / DAY_MS + random(0, 365));
      cases.push([date, random(-800_000, 800_000)], [date, random(-40, 40)]);
    }
    for (const [date, n] of cases) {
      const expected = luxonAdd(date, n);
      if (expected !== null && /^\d{4}-/.test(expected)) {
        assert.equal(addDays(date, n), expected, `${date} + ${n}`);
      } else {
        assert.throws(() => addDays(date, n), RangeError, `${date} + ${n}`);
      }
    }
    assert.throws(() => addDays('9999-12-31', 1), RangeError);
    assert.throws(() => addDays('0000-01-01', -1), RangeError);
    assert.throws(() => addDays('1970-01-01', 100_000_001), RangeError);
    assert.throws(() => addDays('1970-01-01', -100_000_001), RangeError);
  });

  test('pageDays cannot run past 9999-12-31', () => {
    const now = new Date('2024-01-15T10:30:00Z');
    assert.deepEqual(pageDays('9999-12-31', 1, 'UTC', now), ['9999-12-31']);
    assert.deepEqual(pageDays('9999-12-30', 2, 'UTC', now), ['9999-12-30', '9999-12-31']);
    assert.throws(() => pageDays('9999-12-31', 2, 'UTC', now), RangeError);
  });

  test('todayIn at the ends of time', () => {
    assert.throws(() => todayIn('Etc/GMT+12', new Date(8.64e15)), RangeError); // +275760-09-12
    assert.throws(() => todayIn('Pacific/Kiritimati', new Date(8.64e15)), RangeError);
    assert.throws(() => todayIn('UTC', 5 as unknown as Date), RangeError);
  });
});
