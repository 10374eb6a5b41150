import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bookingBase,
  buildSlotUrl,
  checkBookingUrl,
  checkPrefill,
  linkTarget,
  slotHref,
  utmParams,
} from '../../src/links.js';

describe('checkBookingUrl: accepted', () => {
  const cases: [string, string][] = [
    [
      'https://cal.meetergo.com/john-smith/30min-meeting',
      'https://cal.meetergo.com/john-smith/30min-meeting',
    ],
    ['  https://cal.meetergo.com/x\n', 'https://cal.meetergo.com/x'],
    ['HTTPS://CAL.MEETERGO.COM/x?a=1#top', 'https://cal.meetergo.com/x?a=1#top'],
    ['https://cal.meetergo.com:8443/x', 'https://cal.meetergo.com:8443/x'],
    ['http://localhost:5173/book', 'http://localhost:5173/book'],
    ['http://LOCALHOST/book', 'http://localhost/book'],
    ['http://127.0.0.1/book', 'http://127.0.0.1/book'],
    ['http://[::1]:8080/book', 'http://[::1]:8080/book'],
    ['https://localhost/book', 'https://localhost/book'],
  ];
  for (const [raw, href] of cases) {
    test(`${JSON.stringify(raw)} → ${href}`, () => {
      const check = checkBookingUrl(raw);
      assert.ok(check.ok, JSON.stringify(check));
      assert.ok(check.url instanceof URL);
      assert.equal(check.url.href, href);
    });
  }
});

describe('checkBookingUrl: refused', () => {
  // [raw, what the reason must mention]
  const cases: [string | null | undefined, RegExp][] = [
    [null, /no booking url/i],
    [undefined, /no booking url/i],
    ['', /no booking url/i],
    ['   ', /no booking url/i],
    ['javascript:alert(1)', /javascript:/],
    [' JaVaScRiPt:alert(1)', /javascript:/],
    ['JAVASCRIPT:alert(document.cookie)', /javascript:/],
    ['\njavascript:alert(1)', /javascript:/],
    ['java\tscript:alert(1)', /control characters/],
    ['java\nscript:alert(1)', /control characters/],
    ['java\rscript:alert(1)', /control characters/],
    ['\u0000javascript:alert(1)', /control characters/],
    ['javascript\u0000:alert(1)', /control characters/],
    ['\u001fjavascript:alert(1)', /control characters/],
    ['\u0001https://cal.meetergo.com/x', /control characters/],
    ['https://cal.meetergo.com/x\u0000', /control characters/],
    ['https://cal.meetergo.com/\u007f', /control characters/],
    ['\u202ejavascript:alert(1)', /relative/],
    ['jav&#x09;ascript:alert(1)', /relative/],
    ['data:text/html,<script>alert(1)</script>', /data:/],
    ['DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', /data:/],
    ['vbscript:msgbox(1)', /vbscript:/],
    ['VBScript:msgbox(1)', /vbscript:/],
    ['file:///etc/passwd', /file:/],
    ['ftp://cal.meetergo.com/x', /ftp:/],
    ['blob:https://cal.meetergo.com/1234', /blob:/],
    ['about:blank', /about:/],
    ['mailto:host@example.com', /mailto:/],
    ['wss://cal.meetergo.com/', /wss:/],
    ['http://cal.meetergo.com/x', /http:/],
    ['http://localhost.evil.com/', /http:/],
    ['http://127.0.0.2/', /http:/],
    ['http://0.0.0.0/', /http:/],
    ['http://[::2]/', /http:/],
    ['https://user:pw@cal.meetergo.com/x', /credentials/],
    ['https://user@cal.meetergo.com/x', /credentials/],
    ['https://:pw@cal.meetergo.com/x', /credentials/],
    ['http://user:pw@localhost/', /credentials/],
    ['/book', /relative/],
    ['//evil.com/x', /relative/],
    ['book', /relative/],
    ['./book', /relative/],
    ['?date=2024-01-15', /relative/],
    ['#x', /relative/],
    ['cal.meetergo.com/x', /relative/],
    ['https://', /not a valid url/i],
    ['https://exa mple.com/', /not a valid url/i],
    ['http://[::1', /not a valid url/i],
    ['https://cal.meetergo.com:99999/', /not a valid url/i],
  ];
  for (const [raw, reason] of cases) {
    test(`${JSON.stringify(raw) ?? 'undefined'} is refused (${reason.source})`, () => {
      const check = checkBookingUrl(raw);
      assert.equal(check.ok, false);
      if (check.ok) return;
      assert.match(check.reason, reason);
      assert.match(check.reason, /^[A-Z].*\.$/, 'a sentence');
      assert.ok(!check.reason.includes('alert'), 'the reason does not echo the payload');
    });
  }
  test('non-strings are refused', () => {
    for (const raw of [42, {}, new URL('https://cal.meetergo.com/x')]) {
      assert.equal(checkBookingUrl(raw as unknown as string).ok, false);
    }
  });
});

describe('utmParams', () => {
  const cases: [string, [string, string][]][] = [
    [
      'https://shop.example/p?utm_source=news&x=1&utm_medium=email&UTM_CAMPAIGN=no&utm_campaign=spring%20sale#top',
      [
        ['utm_source', 'news'],
        ['utm_medium', 'email'],
        ['utm_campaign', 'spring sale'],
      ],
    ],
    [
      'https://shop.example/?utm_source=a&utm_source=b',
      [
        ['utm_source', 'a'],
        ['utm_source', 'b'],
      ],
    ],
    [
      'https://shop.example/?utm_=x&utmsource=y&Utm_medium=z&utm_term=',
      [
        ['utm_', 'x'],
        ['utm_term', ''],
      ],
    ],
    ['https://shop.example/#utm_source=hash', []],
    ['https://shop.example/', []],
    ['/relative?utm_source=x', []],
    ['not a url', []],
    ['', []],
  ];
  for (const [pageUrl, expected] of cases) {
    test(JSON.stringify(pageUrl), () => assert.deepEqual(utmParams(pageUrl), expected));
  }
});

describe('buildSlotUrl', () => {
  const slot = { date: '2024-01-15', slot: '2024-01-15T09:00:00Z', timezone: 'Europe/Berlin' };
  const cases: [string, string, Parameters<typeof buildSlotUrl>[1], string][] = [
    [
      'the three slot parameters',
      'https://cal.meetergo.com/john-smith/30min-meeting',
      slot,
      'https://cal.meetergo.com/john-smith/30min-meeting?date=2024-01-15&slot=2024-01-15T09%3A00%3A00Z&timezone=Europe%2FBerlin',
    ],
    [
      'existing parameters and the hash kept, stale ones replaced',
      'https://cal.meetergo.com/x?lang=de&date=old&slot=a&slot=b#form',
      slot,
      'https://cal.meetergo.com/x?lang=de&date=2024-01-15&slot=2024-01-15T09%3A00%3A00Z&timezone=Europe%2FBerlin#form',
    ],
    [
      'utm pairs, replacing the booking URL’s own',
      'https://cal.meetergo.com/x?utm_source=old',
      {
        ...slot,
        utm: [
          ['utm_source', 'news'],
          ['utm_medium', 'e mail'],
        ],
      },
      'https://cal.meetergo.com/x?utm_source=news&date=2024-01-15&slot=2024-01-15T09%3A00%3A00Z&timezone=Europe%2FBerlin&utm_medium=e+mail',
    ],
    [
      'prefill: null/undefined skipped, others stringified, slot parameters protected',
      'https://cal.meetergo.com/x',
      {
        ...slot,
        prefill: {
          firstname: 'Ada',
          lastname: null,
          email: undefined,
          phone: '+49 30 1234',
          guests: 2,
          consent: true,
          note: 'a&b=c #d',
          date: '1999-01-01',
          slot: 'evil',
          timezone: 'Mars/Olympus',
          '': 'nameless',
        },
      },
      'https://cal.meetergo.com/x?date=2024-01-15&slot=2024-01-15T09%3A00%3A00Z&timezone=Europe%2FBerlin&firstname=Ada&phone=%2B49+30+1234&guests=2&consent=true&note=a%26b%3Dc+%23d',
    ],
    [
      'prefill null and no utm',
      'http://localhost:5173/book',
      { ...slot, utm: [], prefill: null },
      'http://localhost:5173/book?date=2024-01-15&slot=2024-01-15T09%3A00%3A00Z&timezone=Europe%2FBerlin',
    ],
  ];
  for (const [name, booking, params, expected] of cases) {
    test(name, () => {
      const url = new URL(booking);
      const before = url.href;
      assert.equal(buildSlotUrl(url, params), expected);
      assert.equal(url.href, before, 'the booking URL is not changed');
    });
  }

  test('round-trips through the URL parser', () => {
    const check = checkBookingUrl(' https://cal.meetergo.com/john-smith/30min-meeting?lang=de ');
    assert.ok(check.ok);
    const href = buildSlotUrl(check.url, {
      date: '2024-11-03',
      slot: '2024-11-03T06:30:00Z',
      timezone: 'America/New_York',
      utm: utmParams('https://shop.example/?utm_source=news&other=1'),
      prefill: { email: 'ada@example.com' },
    });
    const query = new URL(href).searchParams;
    assert.deepEqual(
      [...query],
      [
        ['lang', 'de'],
        ['date', '2024-11-03'],
        ['slot', '2024-11-03T06:30:00Z'],
        ['timezone', 'America/New_York'],
        ['utm_source', 'news'],
        ['email', 'ada@example.com'],
      ],
    );
  });
});

describe('checkPrefill: ignored as a whole', () => {
  class Contact {
    email = 'ada@example.com';
  }
  const throwing = (trap: keyof ProxyHandler<object>) =>
    new Proxy(
      { email: 'ada@example.com' },
      {
        [trap]() {
          throw new Error('SECRET');
        },
      },
    );
  // [name, value, what the problem must say]
  const cases: [string, unknown, RegExp][] = [
    ['a string', 'first', /it is a string/],
    ['an empty string', '', /it is a string/],
    ['a number', 42, /it is a number/],
    ['a boolean', true, /it is a boolean/],
    ['a function', () => 'x', /it is a function/],
    ['a symbol', Symbol('x'), /it is a symbol/],
    ['an array', ['a', 'b'], /it is an array/],
    ['an array of pairs', [['email', 'a@b.c']], /it is an array/],
    ['a Map', new Map([['email', 'a@b.c']]), /not a plain one/],
    ['a class instance', new Contact(), /not a plain one/],
    ['a String object', new String('first'), /not a plain one/],
    ['a Date', new Date(0), /not a plain one/],
    ['a URLSearchParams', new URLSearchParams('email=a@b.c'), /not a plain one/],
    ['a Proxy whose ownKeys throws', throwing('ownKeys'), /could not be read/],
    ['a Proxy whose getPrototypeOf throws', throwing('getPrototypeOf'), /could not be read/],
    ['a Proxy whose get throws', throwing('get'), /could not be read/],
    [
      'an object with a throwing getter',
      {
        email: 'a@b.c',
        get phone(): string {
          throw new Error('SECRET');
        },
      },
      /could not be read/,
    ],
  ];
  for (const [name, value, reason] of cases) {
    test(name, () => {
      const check = checkPrefill(value);
      assert.deepEqual(check.entries, []);
      assert.match(check.problem ?? '', reason);
      assert.match(
        check.problem ?? '',
        /^prefill is ignored: .*plain object of strings, numbers and booleans\.$/,
      );
      assert.doesNotMatch(check.problem ?? '', /SECRET|first|a@b\.c/, 'no value is echoed');
    });
  }
});

describe('checkPrefill: plain objects', () => {
  const bare = (entries: Record<string, unknown>) =>
    Object.assign(Object.create(null) as object, entries);
  const hostile = {
    toString() {
      throw new Error('SECRET');
    },
  };
  // [name, value, entries, the problem (undefined: none)]
  const cases: [string, unknown, [string, string][], RegExp | undefined][] = [
    ['undefined', undefined, [], undefined],
    ['null', null, [], undefined],
    ['an empty object', {}, [], undefined],
    [
      'strings, finite numbers and booleans',
      {
        firstname: 'Ada',
        guests: 2,
        share: 0.5,
        zero: -0,
        big: 1e21,
        consent: true,
        newsletter: false,
        note: '',
      },
      [
        ['firstname', 'Ada'],
        ['guests', '2'],
        ['share', '0.5'],
        ['zero', '0'],
        ['big', '1e+21'],
        ['consent', 'true'],
        ['newsletter', 'false'],
        ['note', ''],
      ],
      undefined,
    ],
    [
      'null and undefined mean “not set”',
      { email: undefined, lastname: null, firstname: 'Ada' },
      [['firstname', 'Ada']],
      undefined,
    ],
    [
      'a null-prototype object',
      bare({ email: 'ada@example.com' }),
      [['email', 'ada@example.com']],
      undefined,
    ],
    [
      'a null-prototype object holding objects',
      bare({ a: {}, b: { c: 1 } }),
      [],
      /"a", "b" are skipped: only strings/,
    ],
    [
      'bad values skipped, good ones kept, one problem',
      {
        email: 'ada@example.com',
        nested: { x: 1 },
        list: ['a'],
        fn: () => 1,
        sym: Symbol('s'),
        big: 10n,
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        hostile,
        when: new Date(0),
        phone: '+49 30 1234',
      },
      [
        ['email', 'ada@example.com'],
        ['phone', '+49 30 1234'],
      ],
      /"nested", "list", "fn", "sym", "big" and 4 more are skipped/,
    ],
    [
      'date, slot, timezone and the empty name belong to the slot',
      { date: '1999-01-01', slot: 'x', timezone: 'Mars/Olympus', '': 'nameless', email: 'a@b.c' },
      [['email', 'a@b.c']],
      /"date", "slot", "timezone", "\(empty name\)" are skipped: date, slot and timezone belong to the slot/,
    ],
    [
      'one entry named as one',
      { email: 'a@b.c', x: [] },
      [['email', 'a@b.c']],
      /^prefill entry "x" is skipped: /,
    ],
    [
      'symbol keys are not entries',
      { [Symbol('k')]: 'v', email: 'a@b.c' },
      [['email', 'a@b.c']],
      undefined,
    ],
    [
      'non-enumerable properties are not entries',
      Object.defineProperty({ email: 'a@b.c' }, 'hidden', { value: 'x', enumerable: false }),
      [['email', 'a@b.c']],
      undefined,
    ],
  ];
  for (const [name, value, entries, problem] of cases) {
    test(name, () => {
      const check = checkPrefill(value);
      assert.deepEqual(check.entries, entries);
      if (problem === undefined) assert.equal(check.problem, undefined);
      else {
        assert.match(check.problem ?? '', problem);
        assert.match(check.problem ?? '', /^prefill entr(?:y|ies) .*\.$/, 'one sentence');
        assert.doesNotMatch(check.problem ?? '', /SECRET|ada@|1999|Mars/, 'no value is echoed');
      }
    });
  }

  test('a long key list is cut short', () => {
    const many = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`k${i}`.padEnd(100, 'x'), {}]),
    );
    const { problem } = checkPrefill(many);
    assert.ok(problem !== undefined && problem.length < 400, problem);
    assert.match(problem, /and 45 more/);
  });
});

describe('buildSlotUrl: prefill is read with checkPrefill', () => {
  const booking = new URL('https://cal.meetergo.com/x');
  const slot = { date: '2024-01-15', slot: '2024-01-15T09:00:00Z', timezone: 'Europe/Berlin' };
  const plain =
    'https://cal.meetergo.com/x?date=2024-01-15&slot=2024-01-15T09%3A00%3A00Z&timezone=Europe%2FBerlin';
  const cases: [string, unknown, string][] = [
    ['a string adds nothing (no 0=f&1=i…)', 'first', plain],
    ['an array adds nothing', ['a', 'b'], plain],
    [
      'a null-prototype object of objects adds nothing',
      Object.assign(Object.create(null) as object, { a: {} }),
      plain,
    ],
    [
      'a throwing toString value is skipped, the rest kept',
      {
        a: {
          toString() {
            throw new Error('x');
          },
        },
        email: 'a@b.c',
      },
      `${plain}&email=a%40b.c`,
    ],
  ];
  for (const [name, prefill, href] of cases) {
    test(name, () => assert.equal(buildSlotUrl(booking, { ...slot, prefill }), href));
  }
});

describe('linkTarget', () => {
  const cases: [unknown, string, string | undefined][] = [
    [undefined, '_blank', 'noopener noreferrer'],
    [null, '_blank', 'noopener noreferrer'],
    ['', '_blank', 'noopener noreferrer'],
    ['   ', '_blank', 'noopener noreferrer'],
    [42, '_blank', 'noopener noreferrer'],
    ['_blank', '_blank', 'noopener noreferrer'],
    ['_BLANK', '_blank', 'noopener noreferrer'],
    ['_Blank', '_blank', 'noopener noreferrer'],
    [' _blank ', '_blank', 'noopener noreferrer'],
    ['_self', '_self', undefined],
    ['_SELF', '_self', undefined],
    ['_top', '_top', undefined],
    ['_Top', '_top', undefined],
    ['_parent', '_parent', undefined],
    ['_PARENT', '_parent', undefined],
    ['booking', 'booking', 'noopener noreferrer'],
    ['Booking', 'Booking', 'noopener noreferrer'],
    ['_new', '_new', 'noopener noreferrer'],
    ['_unknown', '_unknown', 'noopener noreferrer'],
  ];
  for (const [value, target, rel] of cases) {
    test(`${JSON.stringify(value) ?? 'undefined'} → ${target} ${rel ?? '(no rel)'}`, () =>
      assert.deepEqual(linkTarget(value), { target, rel }));
  }
});

describe('bookingBase and slotHref give what the URL API gives', () => {
  const bases = [
    'https://cal.meetergo.com/john-smith/30min-meeting',
    'https://cal.meetergo.com/x?',
    'https://cal.meetergo.com/x?&&',
    'https://cal.meetergo.com/x?lang=de',
    'https://cal.meetergo.com/x?lang=de#form',
    'https://cal.meetergo.com/x#form?date=1999-01-01&slot=x',
    'https://cal.meetergo.com/x?date=old&slot=a&slot=b#form',
    'https://cal.meetergo.com/x?slot=a&lang=de&date=old',
    'https://cal.meetergo.com/x?timezone=UTC&date=1&utm_source=old',
    'https://cal.meetergo.com/x?q=%7e+b%20c&flag&empty=&a=1&a=2',
    'https://cal.meetergo.com/caf%C3%A9/ü?name=Zoë&emoji=😀',
    'https://bücher.example/termin?x=1',
    'https://cal.meetergo.com:8443/x?plus=a+b&pct=100%25',
    'http://localhost:5173/book?mgslotsd0x=1&v=mgslotss0x',
    `https://cal.meetergo.com/${Array.from({ length: 8 }, (_, i) => `mgslotsd${i}x`).join('/')}`,
  ];
  const shared: { name: string; timezone: string; utm: [string, string][]; prefill: unknown }[] = [
    { name: 'zone only', timezone: 'Europe/Berlin', utm: [], prefill: undefined },
    {
      name: 'utm and prefill',
      timezone: 'America/Argentina/Buenos_Aires',
      utm: [
        ['utm_source', 'news letter'],
        ['utm_campaign', "spring!'()~*"],
        ['utm_source', 'again'],
      ],
      prefill: { email: 'ada@example.com', note: 'a&b=c #d', name: 'José 😀', count: 2, ok: true },
    },
    {
      name: 'values that hold the template’s markers',
      timezone: 'Etc/GMT+5',
      utm: [['utm_term', 'mgslotsd0x mgslotss1x']],
      prefill: { mgslotsd2x: 'mgslotss2x', lang: 'mgslotsd3x' },
    },
  ];
  const slots: [string, string][] = [
    ['2024-01-15', '2024-01-15T09:00:00Z'],
    ['2024-11-03', '2024-11-03T06:30:00.123Z'],
    ['odd date & = # +', "odd slot !'()~* é \ud800 😀 %41"],
    ['', ''],
  ];
  for (const raw of bases) {
    for (const { name, timezone, utm, prefill } of shared) {
      test(`${raw} (${name})`, () => {
        const check = checkBookingUrl(raw);
        assert.ok(check.ok, raw);
        const before = check.url.href;
        const base = bookingBase(check.url, {
          timezone,
          utm,
          prefill: checkPrefill(prefill).entries,
        });
        for (const [date, slot] of slots) {
          const expected = buildSlotUrl(check.url, { date, slot, timezone, utm, prefill });
          assert.equal(slotHref(base, date, slot), expected, `${date} ${slot}`);
          assert.equal(
            new URL(expected).searchParams.get('date'),
            date.replace('\ud800', '\ufffd'),
          );
          assert.equal(
            new URL(expected).searchParams.get('slot'),
            slot.replace('\ud800', '\ufffd'),
          );
        }
        assert.equal(check.url.href, before, 'the booking URL is not changed');
      });
    }
  }

  test('an ordinary booking URL gets a template, not a URL per slot', () => {
    const check = checkBookingUrl('https://cal.meetergo.com/x?date=old#f');
    assert.ok(check.ok);
    const base = bookingBase(check.url, { timezone: 'UTC' });
    assert.equal(base.fallback, undefined);
    assert.equal(base.head, 'https://cal.meetergo.com/x?date=');
    assert.equal(base.middle, '&slot=');
    assert.equal(base.tail, '&timezone=UTC#f');
  });

  test('a booking URL that holds every marker still gives right links (through the URL API)', () => {
    const raw = `https://cal.meetergo.com/${Array.from({ length: 8 }, (_, i) => `mgslotsd${i}x`).join('/')}`;
    const check = checkBookingUrl(raw);
    assert.ok(check.ok);
    const base = bookingBase(check.url, { timezone: 'UTC' });
    assert.ok(base.fallback);
    assert.equal(
      slotHref(base, '2024-01-15', '2024-01-15T09:00:00Z'),
      `${raw}?date=2024-01-15&slot=2024-01-15T09%3A00%3A00Z&timezone=UTC`,
    );
  });
});
