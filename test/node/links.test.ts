import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSlotUrl, checkBookingUrl, utmParams } from '../../src/links.js';

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
