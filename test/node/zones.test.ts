import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalZone } from '../../src/protocol.js';
import { resolveStrings } from '../../src/strings.js';
import { matchZones, zoneChoices, zoneLabel, type ZoneGroup } from '../../src/zones.js';

const WINTER = Date.UTC(2026, 0, 15, 12); // northern winter
const SUMMER = Date.UTC(2026, 6, 15, 12); // northern summer

/** Legacy names Chromium (ICU) reports in `Intl.supportedValuesOf('timeZone')`, and their current ones. */
const CHROMIUM_LEGACY: [string, string][] = [
  ['Africa/Asmera', 'Africa/Asmara'],
  ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
  ['America/Catamarca', 'America/Argentina/Catamarca'],
  ['America/Coral_Harbour', 'America/Atikokan'],
  ['America/Cordoba', 'America/Argentina/Cordoba'],
  ['America/Godthab', 'America/Nuuk'],
  ['America/Indianapolis', 'America/Indiana/Indianapolis'],
  ['America/Jujuy', 'America/Argentina/Jujuy'],
  ['America/Louisville', 'America/Kentucky/Louisville'],
  ['America/Mendoza', 'America/Argentina/Mendoza'],
  ['Asia/Calcutta', 'Asia/Kolkata'],
  ['Asia/Katmandu', 'Asia/Kathmandu'],
  ['Asia/Rangoon', 'Asia/Yangon'],
  ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
  ['Atlantic/Faeroe', 'Atlantic/Faroe'],
  ['Europe/Kiev', 'Europe/Kyiv'],
  ['Pacific/Enderbury', 'Pacific/Kanton'],
  ['Pacific/Ponape', 'Pacific/Pohnpei'],
  ['Pacific/Truk', 'Pacific/Chuuk'],
];

describe('zoneLabel', () => {
  // [zone, at, label]
  const cases: [string, number, string][] = [
    ['Asia/Kolkata', WINTER, 'Kolkata (UTC+5:30)'],
    ['Asia/Calcutta', WINTER, 'Kolkata (UTC+5:30)'],
    ['America/New_York', WINTER, 'New York (UTC−5)'],
    ['America/New_York', SUMMER, 'New York (UTC−4)'],
    ['US/Eastern', WINTER, 'New York (UTC−5)'],
    ['Europe/Berlin', WINTER, 'Berlin (UTC+1)'],
    ['Europe/Berlin', SUMMER, 'Berlin (UTC+2)'],
    ['Europe/London', WINTER, 'London (UTC)'],
    ['Europe/London', SUMMER, 'London (UTC+1)'],
    ['Europe/Kiev', WINTER, 'Kyiv (UTC+2)'],
    ['Europe/Kyiv', SUMMER, 'Kyiv (UTC+3)'],
    ['Asia/Kathmandu', WINTER, 'Kathmandu (UTC+5:45)'],
    ['Asia/Katmandu', SUMMER, 'Kathmandu (UTC+5:45)'],
    ['Asia/Saigon', WINTER, 'Ho Chi Minh (UTC+7)'],
    ['Asia/Tehran', WINTER, 'Tehran (UTC+3:30)'],
    ['Australia/Adelaide', WINTER, 'Adelaide (UTC+10:30)'],
    ['Australia/Lord_Howe', WINTER, 'Lord Howe (UTC+11)'],
    ['Australia/Lord_Howe', SUMMER, 'Lord Howe (UTC+10:30)'],
    ['Australia/Eucla', WINTER, 'Eucla (UTC+8:45)'],
    ['Pacific/Chatham', WINTER, 'Chatham (UTC+13:45)'],
    ['Pacific/Kiritimati', WINTER, 'Kiritimati (UTC+14)'],
    ['Pacific/Pago_Pago', WINTER, 'Pago Pago (UTC−11)'],
    ['Pacific/Marquesas', WINTER, 'Marquesas (UTC−9:30)'],
    ['America/St_Johns', WINTER, 'St Johns (UTC−3:30)'],
    ['America/St_Johns', SUMMER, 'St Johns (UTC−2:30)'],
    ['America/Buenos_Aires', WINTER, 'Buenos Aires, Argentina (UTC−3)'],
    ['America/Indianapolis', WINTER, 'Indianapolis, Indiana (UTC−5)'],
    ['America/North_Dakota/New_Salem', WINTER, 'New Salem, North Dakota (UTC−6)'],
    ['America/Sao_Paulo', WINTER, 'Sao Paulo (UTC−3)'],
    ['Africa/Abidjan', WINTER, 'Abidjan (UTC)'],
    ['UTC', WINTER, 'UTC'],
    ['Etc/UTC', SUMMER, 'UTC'],
    ['GMT', WINTER, 'UTC'],
    ['Etc/GMT+5', WINTER, 'UTC−5'],
    ['Etc/GMT-14', WINTER, 'UTC+14'],
    ['Mars/Olympus', WINTER, 'Mars/Olympus'],
    ['', WINTER, ''],
  ];
  for (const [zone, at, label] of cases) {
    test(`${zone} at ${new Date(at).toISOString()} → ${label}`, () => {
      for (const locale of ['en', 'de-DE', 'fr', 'ja-JP'])
        assert.equal(zoneLabel(zone, locale, at), label);
    });
  }

  // Transitions at a half hour of UTC: Newfoundland changes at 02:00 local (05:30 UTC).
  const transitions: [string, number, string][] = [
    ['America/St_Johns', Date.UTC(2026, 2, 8, 5, 29, 59), 'St Johns (UTC−3:30)'],
    ['America/St_Johns', Date.UTC(2026, 2, 8, 5, 30), 'St Johns (UTC−2:30)'],
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 14, 59), 'Lord Howe (UTC+11)'],
    ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15, 0), 'Lord Howe (UTC+10:30)'],
    ['Europe/Berlin', Date.UTC(2026, 2, 29, 0, 59), 'Berlin (UTC+1)'],
    ['Europe/Berlin', Date.UTC(2026, 2, 29, 1, 0), 'Berlin (UTC+2)'],
  ];
  for (const [zone, at, label] of transitions) {
    test(`${zone} at ${new Date(at).toISOString()} → ${label} (exact at transitions)`, () =>
      assert.equal(zoneLabel(zone, 'en', at), label));
  }

  test('every zone the runtime knows gets a label with its current name’s city', () => {
    for (const name of Intl.supportedValuesOf('timeZone')) {
      const label = zoneLabel(name, 'en', WINTER);
      assert.match(
        label,
        /^(?:[^()]+ \()?UTC(?:[+−]\d{1,2}(?::[0-5]\d)?)?\)?$/,
        `${name}: ${label}`,
      );
      const current = canonicalZone(name)!;
      if (current.includes('/')) {
        const last = current.split('/').at(-1)!.replaceAll('_', ' ');
        assert.ok(label.startsWith(last), `${name}: ${label}`);
      }
    }
  });
});

describe('zoneChoices', () => {
  const all = (groups: ZoneGroup[]) => groups.flatMap((group) => group.zones);

  for (const [own, at] of [
    ['Asia/Calcutta', WINTER],
    ['America/New_York', SUMMER],
    ['Europe/Kiev', WINTER],
    ['UTC', SUMMER],
    ['Etc/GMT+5', WINTER],
  ] as const) {
    test(`own zone ${own}: every runtime zone once, under its current name, own zone first`, () => {
      const groups = zoneChoices('en', at, own);
      const zones = all(groups).map((choice) => choice.zone);
      assert.equal(new Set(zones).size, zones.length, 'no zone twice');
      const expected = new Set(
        Intl.supportedValuesOf('timeZone').map((name) => canonicalZone(name)!),
      );
      expected.add('UTC');
      expected.add(canonicalZone(own)!);
      assert.deepEqual(new Set(zones), expected);
      assert.equal(groups[0]!.region, 'own');
      assert.equal(groups[0]!.name, 'Your time zone');
      assert.deepEqual(
        groups[0]!.zones.map((choice) => choice.zone),
        [canonicalZone(own)],
      );
      assert.equal(groups.filter((group) => group.region === 'own').length, 1);
    });
  }

  test('legacy names Chromium reports appear only as aliases of their current names', () => {
    const choices = all(zoneChoices('en', WINTER, 'Europe/Berlin'));
    const byZone = new Map(choices.map((choice) => [choice.zone, choice]));
    for (const [legacy, current] of CHROMIUM_LEGACY) {
      assert.ok(!byZone.has(legacy), `${legacy} is not listed`);
      assert.ok(byZone.has(current), `${current} is listed`);
      if (Intl.supportedValuesOf('timeZone').includes(legacy)) {
        assert.ok(
          byZone.get(current)!.aliases.includes(legacy),
          `${legacy} is an alias of ${current}`,
        );
      }
    }
  });

  test('regions in order, each sorted by offset, then city; labels and offsets as zoneLabel', () => {
    const groups = zoneChoices('en', WINTER, 'Asia/Kolkata');
    assert.deepEqual(
      groups.map((group) => group.region),
      [
        'own',
        'Africa',
        'America',
        'Antarctica',
        'Asia',
        'Atlantic',
        'Australia',
        'Europe',
        'Indian',
        'Pacific',
        'Other',
      ],
    );
    const collator = new Intl.Collator('en');
    for (const group of groups) {
      for (const choice of group.zones) {
        if (group.region !== 'own') assert.equal(choice.region, group.region, choice.zone);
        assert.equal(choice.label, zoneLabel(choice.zone, 'en', WINTER));
        assert.ok(choice.label.includes(choice.offset));
      }
      for (let i = 1; i < group.zones.length; i++) {
        const [a, b] = [group.zones[i - 1]!, group.zones[i]!];
        assert.ok(
          a.offsetMinutes < b.offsetMinutes ||
            (a.offsetMinutes === b.offsetMinutes && collator.compare(a.city, b.city) <= 0),
          `${a.zone} before ${b.zone}`,
        );
      }
    }
    const other = groups.find((group) => group.region === 'Other')!;
    assert.ok(other.zones.some((choice) => choice.zone === 'UTC' && choice.label === 'UTC'));
  });

  const regionNames: [string, string[]][] = [
    ['en', ['Your time zone', 'Africa', 'America', 'Europe', 'Indian Ocean', 'Other']],
    ['de-DE', ['Ihre Zeitzone', 'Afrika', 'Amerika', 'Europa', 'Indischer Ozean', 'Sonstige']],
    ['fr', ['Votre fuseau horaire', 'Afrique', 'Amérique', 'Europe', 'Océan Indien', 'Autres']],
    ['es', ['Su zona horaria', 'África', 'América', 'Europa', 'Océano Índico', 'Otras']],
    ['it', ['Il Suo fuso orario', 'Africa', 'America', 'Europa', 'Oceano Indiano', 'Altri']],
    ['nl', ['Uw tijdzone', 'Afrika', 'Amerika', 'Europa', 'Indische Oceaan', 'Overige']],
    ['ja-JP', ['Your time zone', 'Africa', 'America', 'Europe', 'Indian Ocean', 'Other']],
  ];
  for (const [locale, names] of regionNames) {
    test(`${locale}: group names in its words`, () => {
      const groups = zoneChoices(locale, WINTER, 'Europe/Paris');
      const shown = groups.map((group) => group.name);
      for (const name of names) assert.ok(shown.includes(name), `${name} in ${shown.join(', ')}`);
    });
  }

  test('group names from the page’s own words', () => {
    const strings = resolveStrings('en', { yourZone: 'Mine', regionEurope: 'Old World' });
    const groups = zoneChoices('en', WINTER, 'Europe/Paris', strings);
    assert.equal(groups[0]!.name, 'Mine');
    assert.ok(groups.some((group) => group.region === 'Europe' && group.name === 'Old World'));
  });

  test('an unknown own zone gets no group of its own', () => {
    for (const own of ['Mars/Olympus', '', 'Asia/Calcutta ']) {
      assert.notEqual(zoneChoices('en', WINTER, own)[0]!.region, 'own', own);
    }
  });

  test('offsets are those of the moment asked for', () => {
    const berlin = (at: number) =>
      all(zoneChoices('en', at, 'UTC')).find((choice) => choice.zone === 'Europe/Berlin')!;
    assert.equal(berlin(WINTER).offset, 'UTC+1');
    assert.equal(berlin(SUMMER).offset, 'UTC+2');
    assert.equal(berlin(SUMMER).offsetMinutes, 120);
  });

  test('cached: the same quarter hour gives the same groups; another one recomputes', () => {
    const first = zoneChoices('de', WINTER, 'Asia/Kolkata');
    assert.equal(zoneChoices('de', WINTER + 14 * 60_000, 'Asia/Kolkata'), first);
    assert.notEqual(zoneChoices('de', WINTER + 15 * 60_000, 'Asia/Kolkata'), first);
    assert.notEqual(zoneChoices('fr', WINTER, 'Asia/Kolkata'), first);
  });
});

describe('matchZones', () => {
  const groups = zoneChoices('de', WINTER, 'Europe/Berlin');
  const found = (query: string) =>
    matchZones(groups, query).flatMap((g) => g.zones.map((c) => c.zone));
  // [query, zones that must be found, zones found at most (undefined: any)]
  const cases: [string, string[], string[]?][] = [
    ['kolk', ['Asia/Kolkata'], ['Asia/Kolkata']],
    ['KOLKATA', ['Asia/Kolkata'], ['Asia/Kolkata']],
    ['calcutta', ['Asia/Kolkata'], ['Asia/Kolkata']],
    ['new y', ['America/New_York']],
    ['new_york', ['America/New_York'], ['America/New_York']],
    ['america/new', ['America/New_York'], ['America/New_York']],
    ['new', ['America/New_York', 'America/North_Dakota/New_Salem']],
    ['+5:30', ['Asia/Kolkata', 'Asia/Colombo'], ['Asia/Kolkata', 'Asia/Colombo']],
    ['UTC+05:30', ['Asia/Kolkata', 'Asia/Colombo'], ['Asia/Kolkata', 'Asia/Colombo']],
    ['gmt+5:45', ['Asia/Kathmandu'], ['Asia/Kathmandu']],
    ['−3:30', ['America/St_Johns'], ['America/St_Johns']],
    ['-3:30', ['America/St_Johns'], ['America/St_Johns']],
    ['berlin', ['Europe/Berlin'], ['Europe/Berlin']],
    ['  Berlin  ', ['Europe/Berlin'], ['Europe/Berlin']],
    ['zürich', ['Europe/Zurich'], ['Europe/Zurich']],
    ['zurich', ['Europe/Zurich'], ['Europe/Zurich']],
    ['são paulo', ['America/Sao_Paulo'], ['America/Sao_Paulo']],
    ['kiev', ['Europe/Kyiv'], ['Europe/Kyiv']],
    ['kyiv', ['Europe/Kyiv'], ['Europe/Kyiv']],
    ['ho chi', ['Asia/Ho_Chi_Minh'], ['Asia/Ho_Chi_Minh']],
    ['buenos', ['America/Argentina/Buenos_Aires'], ['America/Argentina/Buenos_Aires']],
    ['indiana knox', ['America/Indiana/Knox'], ['America/Indiana/Knox']],
    ['europa lis', ['Europe/Lisbon'], ['Europe/Lisbon']],
    ['europe lis', ['Europe/Lisbon'], ['Europe/Lisbon']],
    ['indischer', ['Indian/Maldives', 'Indian/Mauritius']],
    ['utc', ['UTC', 'Europe/London']],
    ['xyzzy', [], []],
  ];
  for (const [query, must, atMost] of cases) {
    test(JSON.stringify(query), () => {
      const zones = found(query);
      for (const zone of must) assert.ok(zones.includes(zone), `${zone} in ${zones.join(', ')}`);
      if (atMost) assert.deepEqual([...zones].sort(), [...atMost].sort());
    });
  }

  test('an empty query keeps every group; empty groups are dropped', () => {
    assert.deepEqual(matchZones(groups, ''), groups);
    assert.deepEqual(matchZones(groups, '   '), groups);
    const berlin = matchZones(groups, 'berlin');
    assert.deepEqual(
      berlin.map((group) => group.region),
      ['own'],
    );
    assert.deepEqual(
      matchZones(groups, 'lisbon').map((group) => group.name),
      ['Europa'],
    );
  });

  test('the groups given are not changed', () => {
    const before = groups.map((group) => group.zones.length);
    matchZones(groups, 'kolk');
    assert.deepEqual(
      groups.map((group) => group.zones.length),
      before,
    );
  });
});
