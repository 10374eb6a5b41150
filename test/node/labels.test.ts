import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Slot } from '../../src/days.js';
import { formatDayHeading, formatLongDate, formatTimes, formatZoneName } from '../../src/labels.js';
import { withProcessZone } from '../calendar.js';

/** ICU versions differ in the spaces they put into times and dates (U+202F, U+00A0). */
const loose = (text: string): string => text.replace(/[\u202f\u00a0]/g, ' ');
const slot = (start: string, date: string): Slot => ({ start, epoch: Date.parse(start), date });

describe('formatTimes', () => {
  // 2024-11-03 in New York: 00:30 EDT, 01:00 EDT, 01:30 EDT, 01:00 EST, 01:30 EST, 02:00 EST.
  const fallBack = [
    '2024-11-03T04:30:00Z',
    '2024-11-03T05:00:00Z',
    '2024-11-03T05:30:00Z',
    '2024-11-03T06:00:00Z',
    '2024-11-03T06:30:00Z',
    '2024-11-03T07:00:00Z',
  ].map((start) => slot(start, '2024-11-03'));
  const cases: [string, 'h12' | 'h23' | undefined, string[]][] = [
    [
      'en-US',
      undefined,
      ['12:30 AM', '1:00 AM EDT', '1:30 AM EDT', '1:00 AM EST', '1:30 AM EST', '2:00 AM'],
    ],
    [
      'en-US',
      'h12',
      ['12:30 AM', '1:00 AM EDT', '1:30 AM EDT', '1:00 AM EST', '1:30 AM EST', '2:00 AM'],
    ],
    ['en-US', 'h23', ['00:30', '01:00 EDT', '01:30 EDT', '01:00 EST', '01:30 EST', '02:00']],
    ['de-DE', undefined, ['0:30', '1:00 GMT-4', '1:30 GMT-4', '1:00 GMT-5', '1:30 GMT-5', '2:00']],
    ['de-DE', 'h23', ['0:30', '1:00 GMT-4', '1:30 GMT-4', '1:00 GMT-5', '1:30 GMT-5', '2:00']],
    [
      'de-DE',
      'h12',
      ['12:30 AM', '1:00 AM GMT-4', '1:30 AM GMT-4', '1:00 AM GMT-5', '1:30 AM GMT-5', '2:00 AM'],
    ],
  ];
  for (const [locale, hourCycle, expected] of cases) {
    test(`New York fall-back in ${locale} ${hourCycle ?? '(locale default)'}`, () => {
      const labels = formatTimes(fallBack, 'America/New_York', locale, hourCycle);
      assert.deepEqual(labels.map(loose), expected);
    });
  }

  const others: [string, string, string, 'h12' | 'h23' | undefined, string[], string[]][] = [
    [
      'an ordinary New York day',
      'America/New_York',
      'en-US',
      undefined,
      ['2024-11-04T14:00:00Z', '2024-11-04T14:30:00Z'],
      ['9:00 AM', '9:30 AM'],
    ],
    [
      'New York spring-forward (nothing repeats)',
      'America/New_York',
      'en-US',
      undefined,
      ['2024-03-10T06:30:00Z', '2024-03-10T07:00:00Z'],
      ['1:30 AM', '3:00 AM'],
    ],
    [
      'Berlin fall-back in German',
      'Europe/Berlin',
      'de-DE',
      undefined,
      ['2024-10-27T00:30:00Z', '2024-10-27T01:30:00Z', '2024-10-27T02:30:00Z'],
      ['2:30 MESZ', '2:30 MEZ', '3:30'],
    ],
    [
      'Berlin fall-back in English',
      'Europe/Berlin',
      'en-US',
      'h23',
      ['2024-10-27T00:30:00Z', '2024-10-27T01:30:00Z'],
      ['02:30 GMT+2', '02:30 GMT+1'],
    ],
    [
      'São Paulo fall-back at 23:30',
      'America/Sao_Paulo',
      'en-US',
      undefined,
      ['2019-02-17T01:30:00Z', '2019-02-17T02:30:00Z'],
      ['11:30 PM GMT-2', '11:30 PM GMT-3'],
    ],
    [
      'Lord Howe half-hour fall-back',
      'Australia/Lord_Howe',
      'en-US',
      'h23',
      ['2024-04-06T14:40:00Z', '2024-04-06T15:10:00Z'],
      ['01:40 GMT+11', '01:40 GMT+10:30'],
    ],
    [
      'Kathmandu +05:45',
      'Asia/Kathmandu',
      'en-US',
      undefined,
      ['2024-01-15T03:15:00Z'],
      ['9:00 AM'],
    ],
    [
      'the same instant twice is not ambiguous',
      'America/New_York',
      'en-US',
      undefined,
      ['2024-11-03T05:30:00Z', '2024-11-03T05:30:00Z'],
      ['1:30 AM', '1:30 AM'],
    ],
    [
      'order is kept as given',
      'America/New_York',
      'en-US',
      undefined,
      ['2024-11-03T06:30:00Z', '2024-11-03T04:30:00Z', '2024-11-03T05:30:00Z'],
      ['1:30 AM EST', '12:30 AM', '1:30 AM EDT'],
    ],
  ];
  for (const [name, zone, locale, hourCycle, starts, expected] of others) {
    test(name, () => {
      const slots = starts.map((start) => slot(start, 'unused'));
      assert.deepEqual(formatTimes(slots, zone, locale, hourCycle).map(loose), expected);
    });
  }

  test('an empty day has no labels', () => {
    assert.deepEqual(formatTimes([], 'UTC', 'en-US', undefined), []);
  });
  test('a malformed locale falls back instead of throwing', () => {
    const labels = formatTimes([slot('2024-01-15T09:00:00Z', '2024-01-15')], 'UTC', 'en_US', 'h23');
    assert.equal(labels.length, 1);
    assert.match(labels[0], /^0?9:00/);
  });
  test('refuses an unknown zone', () => {
    assert.throws(() => formatTimes(fallBack, 'system', 'en-US', undefined), RangeError);
  });
});

describe('formatDayHeading and formatLongDate', () => {
  const cases: [string, string, string, string][] = [
    ['2024-01-15', 'en-US', 'Mon, Jan 15', 'Monday, January 15, 2024'],
    ['2024-01-15', 'de-DE', 'Mo., 15. Jan.', 'Montag, 15. Januar 2024'],
    ['2024-02-29', 'en-US', 'Thu, Feb 29', 'Thursday, February 29, 2024'],
    ['2011-12-30', 'en-US', 'Fri, Dec 30', 'Friday, December 30, 2011'],
    ['2024-11-03', 'en-US', 'Sun, Nov 3', 'Sunday, November 3, 2024'],
  ];
  // The heading is a calendar date: the machine's own zone must not shift it.
  for (const processZone of ['UTC', 'Pacific/Kiritimati', 'Etc/GMT+12']) {
    for (const [date, locale, heading, long] of cases) {
      test(`${date} in ${locale} (process zone ${processZone})`, () => {
        withProcessZone(processZone, () => {
          assert.equal(loose(formatDayHeading(date, locale)), heading);
          assert.equal(loose(formatLongDate(date, locale)), long);
        });
      });
    }
  }
  test('a malformed locale falls back instead of throwing', () => {
    assert.match(formatDayHeading('2024-01-15', 'en_US'), /15/);
    assert.match(formatLongDate('2024-01-15', ''), /2024/);
  });
  test('refuses what is not a date', () => {
    assert.throws(() => formatDayHeading('2025-02-30', 'en-US'), RangeError);
    assert.throws(() => formatLongDate('garbage', 'en-US'), RangeError);
  });
});

describe('formatZoneName', () => {
  const now = new Date('2024-01-15T12:00:00Z');
  const cases: [string, string, string][] = [
    ['Europe/Berlin', 'en-US', 'Central European Time (Berlin)'],
    ['Europe/Berlin', 'de-DE', 'Mitteleuropäische Zeit (Berlin)'],
    ['America/New_York', 'en-US', 'Eastern Time (New York)'],
    ['US/Eastern', 'en-US', 'Eastern Time'],
    ['Asia/Kathmandu', 'en-US', 'Nepal Time (Kathmandu)'],
    ['Asia/Kolkata', 'en-US', 'India Standard Time (Kolkata)'],
    ['America/Argentina/Buenos_Aires', 'en-US', 'Argentina Standard Time (Buenos Aires)'],
    ['Australia/Lord_Howe', 'en-US', 'Lord Howe Time'],
    ['Australia/Lord_Howe', 'de-DE', 'Lord-Howe-Zeit'],
    ['Pacific/Chatham', 'en-US', 'Chatham Time'],
    ['UTC', 'en-US', 'Coordinated Universal Time'],
    ['UTC', 'de-DE', 'Koordinierte Weltzeit'],
    ['Etc/GMT+12', 'en-US', 'GMT-12:00'],
  ];
  for (const [zone, locale, expected] of cases) {
    test(`${zone} in ${locale} → ${expected}`, () => {
      assert.equal(loose(formatZoneName(zone, locale, now)), expected);
    });
  }
  test('never throws', () => {
    assert.equal(formatZoneName('Garbage/Zone', 'en-US', now), 'Garbage/Zone');
    assert.equal(formatZoneName('local', 'en-US', now), 'local');
    assert.equal(formatZoneName(undefined as unknown as string, 'en-US', now), '');
    assert.equal(formatZoneName('Europe/Berlin', 'en-US', new Date(Number.NaN)), 'Europe/Berlin');
    assert.match(formatZoneName('Europe/Berlin', 'en_US', now), /Berlin/);
  });
});

describe('formatter caches', () => {
  const epoch = Date.parse('2024-11-03T05:30:00Z');
  const zones = Intl.supportedValuesOf('timeZone').slice(0, 100); // more than a cache holds

  test('formatTimes keeps formatters apart by locale, zone and hour cycle', () => {
    for (let round = 0; round < 2; round++) {
      for (const zone of zones) {
        for (const [locale, hourCycle] of [
          ['en-US', undefined],
          ['en-US', 'h23'],
          ['de-DE', 'h12'],
          ['en_US', undefined],
        ] as const) {
          const fresh = new Intl.DateTimeFormat(locale === 'en_US' ? undefined : locale, {
            hour: 'numeric',
            minute: '2-digit',
            hourCycle,
            timeZone: zone,
          });
          const [label] = formatTimes(
            [slot('2024-11-03T05:30:00Z', 'unused')],
            zone,
            locale,
            hourCycle,
          );
          assert.equal(label, fresh.format(epoch), `${zone} ${locale} ${String(hourCycle)}`);
        }
      }
    }
  });

  test('day headings, long dates and zone names stay right across locales', () => {
    for (let round = 0; round < 2; round++) {
      for (const [locale, heading, long, zoneName] of [
        ['en-US', 'Mon, Jan 15', 'Monday, January 15, 2024', 'Central European Time (Berlin)'],
        ['de-DE', 'Mo., 15. Jan.', 'Montag, 15. Januar 2024', 'Mitteleuropäische Zeit (Berlin)'],
      ]) {
        assert.equal(loose(formatDayHeading('2024-01-15', locale)), heading);
        assert.equal(loose(formatLongDate('2024-01-15', locale)), long);
        assert.equal(
          formatZoneName('Europe/Berlin', locale, new Date('2024-01-15T12:00:00Z')),
          zoneName,
        );
      }
      // A cached formatter does not hide an invalid "now".
      assert.equal(formatZoneName('Europe/Berlin', 'en-US', new Date(Number.NaN)), 'Europe/Berlin');
    }
  });
});

describe('labels in the six built-in languages, by hour cycle', () => {
  // Berlin, Monday 2024-01-15: 09:05, 21:30 and the midnight that starts the day.
  const slots = ['2024-01-15T08:05:00Z', '2024-01-15T20:30:00Z', '2024-01-14T23:00:00Z'].map(
    (start) => slot(start, '2024-01-15'),
  );
  const cases: [string, 'h12' | 'h23' | undefined, string[], string, string][] = [
    ['en-US', 'h12', ['9:05 AM', '9:30 PM', '12:00 AM'], 'Mon, Jan 15', 'Monday, January 15, 2024'],
    ['en-US', 'h23', ['09:05', '21:30', '00:00'], 'Mon, Jan 15', 'Monday, January 15, 2024'],
    [
      'en-US',
      undefined,
      ['9:05 AM', '9:30 PM', '12:00 AM'],
      'Mon, Jan 15',
      'Monday, January 15, 2024',
    ],
    ['en-GB', 'h12', ['9:05 am', '9:30 pm', '12:00 am'], 'Mon 15 Jan', 'Monday, 15 January 2024'],
    ['en-GB', undefined, ['9:05', '21:30', '0:00'], 'Mon 15 Jan', 'Monday, 15 January 2024'],
    [
      'de-DE',
      'h12',
      ['9:05 AM', '9:30 PM', '12:00 AM'],
      'Mo., 15. Jan.',
      'Montag, 15. Januar 2024',
    ],
    ['de-DE', 'h23', ['9:05', '21:30', '0:00'], 'Mo., 15. Jan.', 'Montag, 15. Januar 2024'],
    ['de-DE', undefined, ['9:05', '21:30', '0:00'], 'Mo., 15. Jan.', 'Montag, 15. Januar 2024'],
    ['fr-FR', undefined, ['9:05', '21:30', '0:00'], 'lun. 15 janv.', 'lundi 15 janvier 2024'],
    ['fr-FR', 'h12', ['9:05 AM', '9:30 PM', '12:00 AM'], 'lun. 15 janv.', 'lundi 15 janvier 2024'],
    ['es-ES', undefined, ['9:05', '21:30', '0:00'], 'lun, 15 ene', 'lunes, 15 de enero de 2024'],
    [
      'es-ES',
      'h12',
      ['9:05 a. m.', '9:30 p. m.', '12:00 a. m.'],
      'lun, 15 ene',
      'lunes, 15 de enero de 2024',
    ],
    ['it-IT', undefined, ['9:05', '21:30', '0:00'], 'lun 15 gen', 'lunedì 15 gennaio 2024'],
    ['nl-NL', undefined, ['9:05', '21:30', '0:00'], 'ma 15 jan', 'maandag 15 januari 2024'],
    [
      'nl-NL',
      'h12',
      ['9:05 a.m.', '9:30 p.m.', '12:00 a.m.'],
      'ma 15 jan',
      'maandag 15 januari 2024',
    ],
  ];
  for (const [locale, hourCycle, times, heading, long] of cases) {
    test(`${locale} ${hourCycle ?? '(locale default)'}`, () => {
      assert.deepEqual(formatTimes(slots, 'Europe/Berlin', locale, hourCycle).map(loose), times);
      assert.equal(loose(formatDayHeading('2024-01-15', locale)), heading);
      assert.equal(loose(formatLongDate('2024-01-15', locale)), long);
    });
  }
});

describe('labels agree with luxon across zones and locales', () => {
  const zones = [
    'Europe/Berlin',
    'America/New_York',
    'Asia/Kolkata',
    'Asia/Calcutta',
    'Asia/Kathmandu',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Pacific/Kiritimati',
    'Pacific/Apia',
    'Etc/GMT+12',
    'UTC',
  ];
  const locales = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'ja-JP', 'ar-EG'];
  const starts = ['2024-01-15T08:05:00Z', '2024-06-30T23:45:00Z', '2024-11-03T05:30:00Z'];
  for (const zone of zones) {
    test(zone, () => {
      for (const locale of locales) {
        for (const hourCycle of ['h12', 'h23', undefined] as const) {
          const slots = starts.map((start) => slot(start, 'unused'));
          const expected = slots.map((s) =>
            DateTime.fromMillis(s.epoch, { zone, locale }).toLocaleString({
              hour: 'numeric',
              minute: '2-digit',
              hourCycle,
            }),
          );
          // luxon formats UTC through a fixed-offset path whose spaces can differ (U+202F).
          assert.deepEqual(
            formatTimes(slots, zone, locale, hourCycle).map(loose),
            expected.map(loose),
            locale,
          );
        }
        const date = '2024-02-29';
        const day = DateTime.fromISO(date, { zone: 'utc', locale });
        assert.equal(
          formatDayHeading(date, locale),
          day.toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' }),
        );
        assert.equal(
          formatLongDate(date, locale),
          day.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
        );
      }
    });
  }
});

describe('formatZoneName: ICU’s old names and offsets', () => {
  const now = new Date('2024-07-01T12:00:00Z');
  const cases: [string, string, string][] = [
    ['Asia/Kolkata', 'de-DE', 'Indische Normalzeit (Kolkata)'],
    ['Europe/Kyiv', 'en-US', 'Eastern European Time (Kyiv)'],
    ['Europe/Berlin', 'fr-FR', 'heure d’Europe centrale (Berlin)'],
    ['America/New_York', 'es-ES', 'hora oriental (New York)'],
    ['Pacific/Kiritimati', 'en-US', 'Line Islands Time (Kiritimati)'],
    ['Etc/GMT-14', 'en-US', 'GMT+14:00'],
  ];
  for (const [zone, locale, expected] of cases) {
    test(`${zone} in ${locale} → ${expected}`, () => {
      assert.equal(loose(formatZoneName(zone, locale, now)), expected);
    });
  }
});
