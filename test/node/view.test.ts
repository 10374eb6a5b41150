// The element's view derivation, in Node: inputs in, config and view out (no DOM, no clock).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deriveConfig,
  earlyUrl,
  present,
  serves,
  type Shown,
  type ViewInput,
} from '../../src/view.js';
import { withProcessZone } from '../calendar.js';

const USER = '550e8400-e29b-41d4-a716-446655440000';
const MEETING = '770e8400-e29b-41d4-a716-446655440002';
const NOW = new Date('2025-01-06T06:00:00Z');

function input(extra: Partial<ViewInput> = {}): ViewInput {
  return {
    proxyUrl: 'https://proxy.test/api',
    userId: USER,
    now: NOW,
    viewerZone: 'Europe/Berlin',
    pageUrl: 'https://shop.test/page?utm_source=mail&x=1',
    baseUrl: 'https://shop.test/page',
    ...extra,
  };
}

const ui = { narrow: false, expanded: new Set<string>(), busy: false, failed: false };

describe('deriveConfig', () => {
  const zones: [Partial<ViewInput>, string, number][] = [
    [{}, 'Europe/Berlin', 0],
    [{ viewerZone: 'Asia/Calcutta' }, 'Asia/Kolkata', 0],
    [{ viewerZone: 'Europe/Kiev' }, 'Europe/Kyiv', 0],
    [{ timezone: 'US/Eastern' }, 'America/New_York', 0],
    [{ timezone: ' Asia/Tokyo ' }, 'Asia/Tokyo', 0],
    [{ timezone: 'Mars/Olympus_Mons' }, 'Europe/Berlin', 1],
    [{ timezone: 'Mars/Olympus_Mons', chosenZone: 'UTC' }, 'UTC', 0],
    [{ timezone: 'Asia/Tokyo', chosenZone: 'Pacific/Chatham' }, 'Pacific/Chatham', 0],
  ];
  for (const [extra, zone, warnings] of zones) {
    it(`zone ${JSON.stringify(extra)} → ${zone}, ${warnings} warning(s)`, () => {
      const config = deriveConfig(input(extra));
      assert.equal(config.zone, zone);
      assert.equal(config.warnings.length, warnings);
      // The request does not depend on the display zone.
      assert.equal(new URL(config.url!).searchParams.get('timezone'), 'UTC');
    });
  }

  const locales: [Partial<ViewInput>, string, string][] = [
    [{}, 'en', 'en'],
    [{ pageLang: 'de-DE' }, 'de-DE', 'de'],
    [{ pageLang: 'ja-JP' }, 'ja-JP', 'en'],
    [{ locale: 'fr-CA', pageLang: 'de' }, 'fr-CA', 'fr'],
    [{ locale: 'not a tag!', browserLang: 'nl-BE' }, 'nl-BE', 'nl'],
    [{ browserLang: 'es-419' }, 'es-419', 'es'],
  ];
  for (const [extra, locale, lang] of locales) {
    it(`locale ${JSON.stringify(extra)} → ${locale}, words in ${lang}`, () => {
      const config = deriveConfig(input(extra));
      assert.equal(config.locale, locale);
      assert.equal(config.lang, lang);
    });
  }

  const values: [Partial<ViewInput>, keyof ReturnType<typeof deriveConfig>, unknown][] = [
    [{ hourCycle: 'h23' }, 'hourCycle', 'h23'],
    [{ hourCycle: 'h25' }, 'hourCycle', undefined],
    [{ theme: 'dark' }, 'theme', 'dark'],
    [{ theme: 'sepia' }, 'theme', 'auto'],
    [{ mode: 'pick' }, 'mode', 'pick'],
    [{ mode: 'choose' }, 'mode', 'link'],
    [{ headingLevel: 4 }, 'headingLevel', 4],
    [{ headingLevel: 9 }, 'headingLevel', 6],
    [{ visiblePerDay: 0 }, 'visiblePerDay', 0],
    [{ visiblePerDay: -3 }, 'visiblePerDay', 0],
    [{ visiblePerDay: 'lots' }, 'visiblePerDay', 8],
    [{ linkTarget: '_BLANK' }, 'rel', 'noopener noreferrer'],
    [{ linkTarget: '_Top' }, 'rel', undefined],
    [{ linkTarget: 'booking' }, 'rel', 'noopener noreferrer'],
    [{ value: '2025-01-06T10:00:00+01:00' }, 'value', '2025-01-06T09:00:00Z'],
    [{ value: 'tomorrow' }, 'value', null],
  ];
  for (const [extra, key, expected] of values) {
    it(`${JSON.stringify(extra)} → ${key} ${JSON.stringify(expected)}`, () => {
      const config = deriveConfig(input(extra));
      assert.deepEqual(config[key], expected);
      const bad = ['h25', 'sepia', 'choose', 9, -3, 'lots', 'tomorrow'];
      assert.equal(config.warnings.length, bad.includes(Object.values(extra)[0] as never) ? 1 : 0);
    });
  }

  const pages: [Partial<ViewInput>, string, string, string][] = [
    [{}, '2025-01-06', '2025-01-12', '2025-01-05..2025-01-13'],
    [{ days: 3 }, '2025-01-06', '2025-01-08', '2025-01-05..2025-01-09'],
    [{ days: 'many' }, '2025-01-06', '2025-01-12', '2025-01-05..2025-01-13'],
    [{ startDate: '2025-02-03', days: 1 }, '2025-02-03', '2025-02-03', '2025-02-02..2025-02-04'],
    [{ startDate: '2024-12-24' }, '2025-01-06', '2025-01-12', '2025-01-05..2025-01-13'],
    [{ startDate: '2025-02-30' }, '2025-01-06', '2025-01-12', '2025-01-05..2025-01-13'],
    [{ startDate: '9999-12-30' }, '2025-01-06', '2025-01-12', '2025-01-05..2025-01-13'],
    [
      { pageStart: '2025-01-13', startDate: 'x' },
      '2025-01-13',
      '2025-01-19',
      '2025-01-12..2025-01-20',
    ],
    [
      { timezone: 'Pacific/Kiritimati', days: 2 },
      '2025-01-06',
      '2025-01-07',
      '2025-01-05..2025-01-08',
    ],
    [
      { timezone: 'Pacific/Pago_Pago', days: 2 },
      '2025-01-05',
      '2025-01-06',
      '2025-01-04..2025-01-07',
    ],
  ];
  for (const [extra, first, last, range] of pages) {
    it(`page ${JSON.stringify(extra)} → ${first}…${last}, request ${range}`, () => {
      const config = deriveConfig(input(extra));
      assert.equal(config.days[0], first);
      assert.equal(config.days.at(-1), last);
      const query = new URL(config.url!).searchParams;
      assert.equal(`${query.get('startDate')}..${query.get('endDate')}`, range);
    });
  }

  const problems: [Partial<ViewInput>, RegExp][] = [
    [{ proxyUrl: undefined }, /proxy-url attribute is missing/],
    [{ proxyUrl: '  ' }, /proxy-url attribute is missing/],
    [{ userId: undefined }, /user-id attribute is missing/],
    [{ userId: '../admin' }, /user-id "..\/admin" is not a UUID/],
    [{ meetingTypeId: 'x' }, /meeting-type-id "x" is not a UUID/],
    [{ proxyUrl: 'https://user:secret@proxy.test/api' }, /user name or password/],
    [{ proxyUrl: 'http://[::1' }, /is not a URL/],
    [{ proxyUrl: 'javascript:alert(1)' }, /not an http\(s\) URL/],
  ];
  for (const [extra, message] of problems) {
    it(`names the problem of ${JSON.stringify(extra)} and requests nothing`, () => {
      const config = deriveConfig(input(extra));
      assert.match(config.problem!, message);
      assert.equal(config.url, null);
      assert.equal(config.warnings.length, 1);
      assert.equal(present(config, null, ui).state, 'misconfigured');
    });
  }

  it('resolves a relative proxy-url and keeps the meeting type', () => {
    const config = deriveConfig(input({ proxyUrl: '/api/meetergo/', meetingTypeId: MEETING }));
    const url = new URL(config.url!);
    assert.equal(
      url.origin + url.pathname,
      `https://shop.test/api/meetergo/v4/user/${USER}/bookable-windows`,
    );
    assert.equal(url.searchParams.get('meetingTypeId'), MEETING);
  });

  it('reads the page utm_* parameters and refuses an unusable booking-url with a warning', () => {
    const config = deriveConfig(input({ bookingUrl: 'javascript:alert(1)' }));
    assert.deepEqual(config.utm, [['utm_source', 'mail']]);
    assert.equal(config.booking, null);
    assert.match(config.warnings[0]![1], /booking-url is not used/);
  });
});

describe('serves', () => {
  const loaded = deriveConfig(input({ timezone: 'Europe/Berlin' }));
  const cases: [Partial<ViewInput>, boolean][] = [
    [{ timezone: 'Europe/Berlin' }, true],
    [{ timezone: 'America/New_York' }, true],
    [{ timezone: 'Asia/Tokyo' }, true],
    [{ timezone: 'Europe/Berlin', days: 3 }, true],
    [{ timezone: 'Europe/Berlin', pageStart: '2025-01-13' }, false],
    [{ timezone: 'Europe/Berlin', meetingTypeId: MEETING }, false],
    [{ timezone: 'Europe/Berlin', userId: '550e8400-e29b-41d4-a716-446655440001' }, false],
    [{ timezone: 'Europe/Berlin', userId: 'x' }, false],
  ];
  for (const [extra, expected] of cases) {
    it(`the Berlin week's answer ${expected ? 'serves' : 'does not serve'} ${JSON.stringify(extra)}`, () => {
      assert.equal(serves(loaded.url!, deriveConfig(input(extra))), expected);
    });
  }
});

describe('present', () => {
  const answer = {
    windows: [
      '2025-01-06T08:00:00Z',
      '2025-01-06T08:30:00Z',
      '2025-01-06T09:00:00Z',
      '2025-01-07T09:00:00Z',
      '2025-01-05T09:00:00Z',
    ],
    bookingUrl: 'https://cal.meetergo.com/jane/intro',
    dropped: 0,
    capped: 0,
  };
  const shown = { answer, at: NOW };
  const only = (windows: string[]): Shown => ({
    answer: { windows, bookingUrl: null, dropped: 0, capped: 0 },
    at: NOW,
  });

  it('derives the days of one answer once for every instance that shows it alike', () => {
    const first = present(deriveConfig(input()), shown, ui);
    const again = present(deriveConfig(input()), { answer, at: NOW }, { ...ui, active: 'x' });
    assert.equal(again.days, first.days);
    // Anything that changes what a day shows derives its own.
    const picked = present(deriveConfig(input({ value: answer.windows[1] })), shown, ui);
    assert.notEqual(picked.days, first.days);
    assert.deepEqual(
      picked.days[0]!.slots.map((slot) => slot.picked),
      [false, true, false],
    );
    assert.equal(first.days[0]!.slots[1]!.picked, false);
    const german = present(deriveConfig(input({ locale: 'de' })), shown, ui);
    assert.equal(german.days[0]!.heading, 'Mo., 6. Jan.');
    assert.equal(first.days[0]!.heading, 'Mon, Jan 6');
    const other = present(deriveConfig(input({ timezone: 'Asia/Tokyo' })), shown, ui);
    assert.match(other.days[0]!.slots[0]!.href!, /timezone=Asia%2FTokyo/);
  });

  const states: [Partial<typeof ui>, Shown | null, string, string][] = [
    [{}, null, 'loading', 'Loading times for Jan 6 – 12…'],
    [{ failed: true }, null, 'error', ''],
    [{}, shown, 'loaded', 'Jan 6 – 12: 4 times'],
    [{ busy: true }, shown, 'loaded', ''],
    [{ failed: true }, shown, 'stale', 'Jan 6 – 12: 4 times'],
    [{}, only([]), 'empty', 'Jan 6 – 12: no available times'],
    [{}, only(['2025-01-08T09:00:00Z']), 'loaded', 'Jan 6 – 12: 1 time'],
  ];
  for (const [extra, answered, state, live] of states) {
    it(`${JSON.stringify(extra)} with ${answered ? answered.answer.windows.length : 'no'} answer → ${state}, "${live}"`, () => {
      const view = present(deriveConfig(input()), answered, { ...ui, ...extra });
      assert.equal(view.state, state);
      assert.equal(view.live.replace(/\s/g, ' '), live);
    });
  }

  it('renders only visible-per-day times, and all of a day once expanded', () => {
    const config = deriveConfig(input({ visiblePerDay: 2 }));
    const view = present(config, shown, ui);
    assert.deepEqual(view.days.map((day) => [day.count, day.slots.length, day.more]).slice(0, 2), [
      [3, 2, 'Show all 3 times'],
      [1, 1, null],
    ]);
    const open = present(config, shown, { ...ui, expanded: new Set(['2025-01-06']) });
    assert.equal(open.days[0]!.slots.length, 3);
    assert.equal(open.days[0]!.more, null);
  });

  it('narrow: only the chosen day (the first with times at first) renders slots', () => {
    const config = deriveConfig(input());
    const first = present(config, shown, { ...ui, narrow: true });
    assert.equal(first.selected, '2025-01-06');
    assert.deepEqual(first.days.map((day) => day.slots.length).slice(0, 3), [3, 0, 0]);
    const second = present(config, shown, { ...ui, narrow: true, selected: '2025-01-07' });
    assert.equal(second.selected, '2025-01-07');
    assert.equal(second.active, '2025-01-07T09:00:00Z');
    const empty = present(config, shown, { ...ui, narrow: true, selected: '2025-01-09' });
    assert.equal(empty.selected, '2025-01-06');
  });

  it('builds links from the proxy booking URL, labels with the full date, marks today', () => {
    const view = present(deriveConfig(input({ prefill: { email: 'a@b.c' } })), shown, ui);
    const [slot] = view.days[0]!.slots;
    assert.equal(
      slot!.href,
      'https://cal.meetergo.com/jane/intro?date=2025-01-06&slot=2025-01-06T08%3A00%3A00Z&timezone=Europe%2FBerlin&utm_source=mail&email=a%40b.c',
    );
    assert.equal(slot!.label, '9:00 AM, Monday, January 6, 2025');
    assert.equal(view.days[0]!.today, true);
    assert.equal(view.active, '2025-01-06T08:00:00Z');
    assert.equal(view.atStart, true);
  });

  it('pick mode: buttons, the picked slot marked, a picked slot missing from a fresh answer reported', () => {
    const picked = present(
      deriveConfig(input({ mode: 'pick', value: '2025-01-06T08:30:00Z' })),
      shown,
      ui,
    );
    assert.equal(picked.days[0]!.slots[0]!.href, null);
    assert.deepEqual(
      picked.days[0]!.slots.map((slot) => slot.picked),
      [false, true, false],
    );
    assert.equal(picked.active, '2025-01-06T08:30:00Z');
    assert.equal(picked.lostValue, false);
    const lost = present(
      deriveConfig(input({ mode: 'pick', value: '2025-01-06T10:00:00Z' })),
      shown,
      ui,
    );
    assert.equal(lost.lostValue, true);
    const elsewhere = present(
      deriveConfig(input({ mode: 'pick', value: '2025-03-06T10:00:00Z' })),
      shown,
      ui,
    );
    assert.equal(elsewhere.lostValue, false);
  });

  it('offers the jump found ahead only on an empty page', () => {
    const config = deriveConfig(input());
    const empty = only([]);
    assert.equal(present(config, empty, ui).jump, undefined);
    assert.equal(present(config, empty, { ...ui, ahead: null }).jump, null);
    assert.deepEqual(present(config, empty, { ...ui, ahead: '2025-01-21' }).jump, {
      date: '2025-01-21',
      label: 'Next available: Tuesday, January 21, 2025',
    });
    assert.equal(present(config, shown, { ...ui, ahead: '2025-01-21' }).jump, null);
  });

  it('warns about an unusable proxy bookingUrl and renders buttons', () => {
    const view = present(
      deriveConfig(input()),
      { answer: { ...answer, bookingUrl: 'data:,x' }, at: NOW },
      ui,
    );
    assert.equal(view.days[0]!.slots[0]!.href, null);
    assert.match(view.warnings[0]![1], /proxy's bookingUrl is not used/);
  });
});

describe('earlyUrl', () => {
  const zones = ['Pacific/Kiritimati', 'Pacific/Chatham', 'Asia/Kolkata', 'Europe/Berlin'];
  zones.push('UTC', 'America/St_Johns', 'America/New_York', 'Pacific/Pago_Pago', 'Etc/GMT+12');
  const nows = ['2025-01-06T00:30:00Z', '2025-01-06T10:15:00Z', '2025-03-30T01:30:00Z'];
  nows.push('2025-11-02T05:30:00Z', '2025-06-15T23:45:00Z');
  const starts = [undefined, 'not a day', '-1', '0', '1', '2', '30'];
  const day = (now: string, n: number) =>
    new Date(Date.parse(now.slice(0, 10)) + n * 86_400_000).toISOString().slice(0, 10);
  for (const zone of zones) {
    it(`names deriveConfig's URL, or none, in ${zone}`, () => {
      withProcessZone(zone, () => {
        for (const now of nows) {
          for (const offset of starts) {
            const startDate = offset && /^-?\d+$/.test(offset) ? day(now, Number(offset)) : offset;
            for (const timezone of [undefined, zone]) {
              const at = input({ now: new Date(now), viewerZone: zone, startDate, timezone });
              const early = earlyUrl({ ...at, viewerZone: '' });
              const what = `${now} start ${startDate} timezone ${timezone}`;
              if (early !== null) assert.equal(early, deriveConfig(at).url, what);
              // Known early without a zone: a start from tomorrow in UTC on, or the viewer's own zone.
              const known = (offset !== undefined && Number(offset) >= 1) || !timezone;
              assert.equal(early !== null, known, what);
            }
          }
        }
      });
    });
  }

  it('names none after Previous/Next or a zone pick, or with a problem', () => {
    const start = { startDate: '2025-02-01', timezone: 'Asia/Tokyo' };
    assert.notEqual(earlyUrl(input(start)), null);
    assert.equal(earlyUrl(input({ ...start, pageStart: '2025-02-08' })), null);
    assert.equal(earlyUrl(input({ ...start, chosenZone: 'UTC' })), null);
    assert.equal(earlyUrl(input({ ...start, userId: 'nope' })), null);
    assert.equal(earlyUrl(input({ ...start, days: 29 })), null);
    assert.equal(earlyUrl(input({ ...start, startDate: '9999-12-30' })), null);
  });
});
