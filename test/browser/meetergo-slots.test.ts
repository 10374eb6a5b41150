import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import '../../src/meetergo-slots.js';
import type { MeetergoSlots } from '../../src/meetergo-slots.js';
import {
  BOOKING,
  MEETING,
  PROXY,
  USER,
  answerWith,
  captureWarnings,
  days,
  freezeNow,
  rendered,
  settled,
  slots,
  useMockedProxy,
} from './helpers.js';

// Monday 2025-01-06, 07:00 in Berlin.
const NOW = '2025-01-06T06:00:00Z';

async function mount(
  template = html`<meetergo-slots
    proxy-url=${PROXY}
    user-id=${USER}
    meeting-type-id=${MEETING}
    booking-url=${BOOKING}
    timezone="Europe/Berlin"
  ></meetergo-slots>`,
): Promise<MeetergoSlots> {
  const el = await fixture<MeetergoSlots>(template);
  await settled(el);
  return el;
}

describe('<meetergo-slots>', () => {
  useMockedProxy(NOW);

  it('passes the accessibility audit with slots, navigation and the zone switcher', async () => {
    answerWith(['2025-01-06T09:00:00Z', '2025-01-07T10:30:00Z']);
    const el = await mount();
    expect(slots(el)).to.have.length(2);
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLButtonElement>('.change-zone')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('select')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('groups slots by the day they start on in the display zone and shows only displayed days', async () => {
    // Berlin is UTC+1 in January: 23:30Z on the 6th is 00:30 on the 7th.
    answerWith([
      '2025-01-06T22:59:00Z', // 23:59 on the 6th
      '2025-01-06T23:30:00Z', // 00:30 on the 7th
      '2025-01-07T08:00:00+00:00',
      '2025-01-12T22:30:00Z', // 23:30 on the 12th: last displayed day
      '2025-01-12T23:00:00Z', // 00:00 on the 13th: not displayed
      '2025-01-05T12:00:00Z', // before today
    ]);
    const el = await mount();
    expect(rendered(el)).to.deep.equal({
      '2025-01-06': ['2025-01-06T22:59:00Z'],
      '2025-01-07': ['2025-01-06T23:30:00Z', '2025-01-07T08:00:00Z'],
      '2025-01-12': ['2025-01-12T22:30:00Z'],
    });
  });

  it('asks the proxy for every displayed day with a day of padding on each side', async () => {
    const recorder = answerWith(['2025-01-06T09:00:00Z']);
    await mount();
    expect(recorder.urls).to.have.length(1);
    const url = recorder.urls[0]!;
    expect(url.origin + url.pathname).to.equal(`${PROXY}/v4/user/${USER}/bookable-windows`);
    expect(Object.fromEntries(url.searchParams)).to.deep.equal({
      startDate: '2025-01-05',
      endDate: '2025-01-13',
      meetingTypeId: MEETING,
      // UTC days, whatever the display zone: one answer serves every zone and every instance.
      timezone: 'UTC',
    });
  });

  it('ignores a trailing slash on proxy-url and resolves a relative one against the page', async () => {
    const recorder = answerWith(['2025-01-06T09:00:00Z']);
    await mount(
      html`<meetergo-slots proxy-url="${PROXY}/" user-id=${USER} timezone="UTC"></meetergo-slots>`,
    );
    expect(recorder.urls[0]!.pathname).to.equal(`/api/meetergo/v4/user/${USER}/bookable-windows`);
    expect(recorder.urls[0]!.searchParams.has('meetingTypeId')).to.equal(false);
  });

  it('renders the markup contract: day parts, headings with <time>, slots as links with <time>', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    const el = await mount();
    const [day] = days(el);
    const heading = day!.querySelector('[part~="day-heading"]')!;
    expect(heading.querySelector('time')!.getAttribute('datetime')).to.equal('2025-01-06');
    expect(heading.textContent).to.match(/Mon/);
    const [slot] = slots(el);
    expect(slot!.tagName).to.equal('A');
    expect(day!.contains(slot!)).to.equal(true);
    expect(slot!.querySelector('time')!.getAttribute('datetime')).to.equal('2025-01-06T09:00:00Z');
    expect(slot!.textContent!.replace(/\s/g, ' ').trim()).to.equal('10:00 AM');
    expect(slot!.getAttribute('aria-label')).to.contain('January 6, 2025');
  });

  it('builds slot links with date, slot, timezone, the page utm_* parameters and prefill', async () => {
    const original = location.href;
    history.replaceState(null, '', '?utm_source=newsletter&utm_campaign=spring&other=1');
    try {
      answerWith(['2025-01-06T23:30:00Z']);
      const el = await fixture<MeetergoSlots>(
        html`<meetergo-slots
          proxy-url=${PROXY}
          user-id=${USER}
          booking-url="${BOOKING}?lang=de#top"
          timezone="Europe/Berlin"
          .prefill=${{ email: 'ada@example.com', firstname: 'Ada', phone: undefined }}
        ></meetergo-slots>`,
      );
      await settled(el);
      const link = slots(el)[0] as HTMLAnchorElement;
      const url = new URL(link.href);
      expect(url.origin + url.pathname).to.equal(BOOKING);
      expect(url.hash).to.equal('#top');
      expect(Object.fromEntries(url.searchParams)).to.deep.equal({
        lang: 'de',
        date: '2025-01-07',
        slot: '2025-01-06T23:30:00Z',
        timezone: 'Europe/Berlin',
        utm_source: 'newsletter',
        utm_campaign: 'spring',
        email: 'ada@example.com',
        firstname: 'Ada',
      });
      expect(link.target).to.equal('_blank');
      expect(link.rel).to.equal('noopener noreferrer');
    } finally {
      history.replaceState(null, '', original);
    }
  });

  it('uses link-target and drops rel for targets other than _blank', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    const el = await mount(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        booking-url=${BOOKING}
        link-target="_top"
        timezone="UTC"
      ></meetergo-slots>`,
    );
    const link = slots(el)[0] as HTMLAnchorElement;
    expect(link.target).to.equal('_top');
    expect(link.hasAttribute('rel')).to.equal(false);
  });

  it("uses the proxy's bookingUrl when booking-url is absent", async () => {
    answerWith(['2025-01-06T09:00:00Z'], { bookingUrl: 'https://cal.meetergo.com/jane/intro' });
    const el = await mount(
      html`<meetergo-slots proxy-url=${PROXY} user-id=${USER} timezone="UTC"></meetergo-slots>`,
    );
    expect((slots(el)[0] as HTMLAnchorElement).href).to.match(
      /^https:\/\/cal\.meetergo\.com\/jane\/intro\?date=2025-01-06&/,
    );
  });

  const hostile = [
    'javascript:alert(1)',
    ' JaVaScRiPt:alert(1)',
    'java\tscript:alert(1)',
    '\u0000javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '/relative/booking',
    '//evil.example/book',
    'http://evil.example/book',
    'https://user:secret@cal.meetergo.com/x',
    'https://',
  ];
  for (const bad of hostile) {
    it(`never puts ${JSON.stringify(bad)} in an href: buttons and one warning`, async () => {
      answerWith(['2025-01-06T09:00:00Z', '2025-01-06T10:00:00Z']);
      let el!: MeetergoSlots;
      const warnings = await captureWarnings(async () => {
        el = await mount(
          html`<meetergo-slots
            proxy-url=${PROXY}
            user-id=${USER}
            booking-url=${bad}
            timezone="UTC"
          ></meetergo-slots>`,
        );
        el.requestUpdate();
        await el.updateComplete;
      });
      expect(slots(el).map((s) => s.tagName)).to.deep.equal(['BUTTON', 'BUTTON']);
      expect(el.shadowRoot!.querySelector('[href]')).to.equal(null);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('booking-url');
    });
  }

  it('falls back from an unusable booking-url to the proxy bookingUrl', async () => {
    answerWith(['2025-01-06T09:00:00Z'], { bookingUrl: 'https://cal.meetergo.com/jane/intro' });
    let el!: MeetergoSlots;
    const warnings = await captureWarnings(async () => {
      el = await mount(
        html`<meetergo-slots
          proxy-url=${PROXY}
          user-id=${USER}
          booking-url="javascript:alert(1)"
          timezone="UTC"
        ></meetergo-slots>`,
      );
    });
    expect((slots(el)[0] as HTMLAnchorElement).href).to.match(
      /^https:\/\/cal\.meetergo\.com\/jane\/intro\?/,
    );
    expect(warnings).to.have.length(1);
  });

  it('accepts http: booking URLs on localhost only', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    const el = await mount(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        booking-url="http://localhost:3000/book"
        timezone="UTC"
      ></meetergo-slots>`,
    );
    expect((slots(el)[0] as HTMLAnchorElement).href).to.match(/^http:\/\/localhost:3000\/book\?/);
  });

  it('fires meetergo-slot-select with the slot and lets the page cancel the navigation', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    const el = await mount();
    const link = slots(el)[0] as HTMLAnchorElement;
    let navigationPrevented: boolean | undefined;
    const watch = (event: Event) => {
      navigationPrevented = event.defaultPrevented;
      event.preventDefault(); // keep the test page where it is either way
    };
    window.addEventListener('click', watch);
    try {
      document.addEventListener('meetergo-slot-select', (e) => e.preventDefault(), { once: true });
      const selected = oneEvent(document, 'meetergo-slot-select');
      link.click();
      const event = await selected;
      expect(event.detail).to.deep.equal({
        start: '2025-01-06T09:00:00Z',
        date: '2025-01-06',
        timezone: 'Europe/Berlin',
        url: link.href,
      });
      expect(event.cancelable).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(navigationPrevented).to.equal(true);

      // Not cancelled: the link's own navigation goes ahead.
      link.click();
      expect(navigationPrevented).to.equal(false);
    } finally {
      window.removeEventListener('click', watch);
    }
  });

  it('fires meetergo-slot-select with url null for buttons', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    const el = await mount(
      html`<meetergo-slots proxy-url=${PROXY} user-id=${USER} timezone="UTC"></meetergo-slots>`,
    );
    const selected = oneEvent(el, 'meetergo-slot-select');
    slots(el)[0]!.click();
    expect((await selected).detail).to.deep.equal({
      start: '2025-01-06T09:00:00Z',
      date: '2025-01-06',
      timezone: 'UTC',
      url: null,
    });
  });

  it('fires meetergo-slots-load once the page has rendered, with the slots shown', async () => {
    answerWith([
      '2025-01-05T09:00:00Z',
      '2025-01-06T09:00:00Z',
      '2025-01-08T09:00:00Z',
      '2025-01-20T09:00:00Z',
    ]);
    const loaded = oneEvent(document, 'meetergo-slots-load');
    const el = await fixture<MeetergoSlots>(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        timezone="Asia/Tokyo"
      ></meetergo-slots>`,
    );
    const event = await loaded;
    expect(event.detail).to.deep.equal({
      startDate: '2025-01-06',
      endDate: '2025-01-12',
      timezone: 'Asia/Tokyo',
      count: 2,
    });
    expect(slots(el)).to.have.length(2);
  });

  it('shows the same instant once, in order, and tells a DST fall-back pair apart', async () => {
    freezeNow('2024-11-02T12:00:00Z');
    answerWith([
      '2024-11-03T06:30:00Z', // 01:30 EST
      '2024-11-03T05:30:00Z', // 01:30 EDT
      '2024-11-03T01:30:00-04:00', // the same instant as 05:30Z
      '2024-11-03T14:00:00Z',
    ]);
    const el = await mount(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        timezone="America/New_York"
        locale="en-US"
      ></meetergo-slots>`,
    );
    expect(rendered(el)).to.deep.equal({
      '2024-11-03': ['2024-11-03T05:30:00Z', '2024-11-03T06:30:00Z', '2024-11-03T14:00:00Z'],
    });
    const labels = slots(el).map((s) => s.textContent!.trim());
    expect(labels[0]).to.not.equal(labels[1]);
    expect(labels[0]).to.match(/^1:30/);
    expect(labels[1]).to.match(/^1:30/);
  });

  it('groups by the viewer zone when no timezone is set', async () => {
    await executeServerCommand('emulate-timezone', { zone: 'Pacific/Chatham' });
    try {
      expect(Intl.DateTimeFormat().resolvedOptions().timeZone).to.equal('Pacific/Chatham');
      // Chatham is +13:45 in January: 10:15Z is 00:00 on the next day, 10:14Z still 23:59.
      const recorder = answerWith(['2025-01-06T10:14:00Z', '2025-01-06T10:15:00Z']);
      const el = await mount(
        html`<meetergo-slots proxy-url=${PROXY} user-id=${USER}></meetergo-slots>`,
      );
      expect(recorder.urls).to.have.length(1);
      expect(rendered(el)).to.deep.equal({
        '2025-01-06': ['2025-01-06T10:14:00Z'],
        '2025-01-07': ['2025-01-06T10:15:00Z'],
      });
      expect(el.shadowRoot!.querySelector('[part~="timezone"]')!.textContent).to.match(
        /Chatham|GMT\+13:45/,
      );
    } finally {
      await executeServerCommand('emulate-timezone', { zone: null });
    }
  });

  it('formats in the locale and hour cycle, in German from the page lang', async () => {
    answerWith(['2025-01-06T14:00:00Z']);
    document.documentElement.lang = 'de-DE';
    try {
      const el = await mount(
        html`<meetergo-slots
          proxy-url=${PROXY}
          user-id=${USER}
          timezone="Europe/Berlin"
          hour-cycle="h23"
        ></meetergo-slots>`,
      );
      expect(slots(el)[0]!.textContent!.trim()).to.equal('15:00');
      expect(days(el)[0]!.querySelector('[part~="day-heading"]')!.textContent).to.match(/Mo/);
      expect(
        el.shadowRoot!.querySelector('[part~="nav"] button')!.getAttribute('aria-label'),
      ).to.equal('Vorherige Tage');
      el.hourCycle = 'h12';
      el.locale = 'en-US';
      await el.updateComplete;
      expect(slots(el)[0]!.textContent!.trim().replace(/\s/g, ' ')).to.equal('3:00 PM');
    } finally {
      document.documentElement.lang = 'en';
    }
  });

  it('lets the viewer switch the zone unless timezone-locked, re-grouping the answer on screen', async () => {
    const recorder = answerWith(['2025-01-06T23:30:00Z']);
    const el = await mount();
    // The switcher's options are rendered when the viewer asks for them, then it has focus.
    expect(el.shadowRoot!.querySelector('select')).to.equal(null);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.change-zone')!.click();
    await el.updateComplete;
    const select = el.shadowRoot!.querySelector('select')!;
    expect(el.shadowRoot!.activeElement).to.equal(select);
    expect(select.value).to.equal('Europe/Berlin');
    select.value = 'America/New_York';
    select.dispatchEvent(new Event('change'));
    await settled(el);
    // The Berlin answer covers New York's same days: re-grouped at once, no placeholder, no request.
    expect(recorder.urls).to.have.length(1);
    expect(rendered(el)).to.deep.equal({ '2025-01-06': ['2025-01-06T23:30:00Z'] });
    expect(el.shadowRoot!.activeElement).to.equal(select);
    el.timezoneLocked = true;
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('select')).to.equal(null);
    expect(el.shadowRoot!.querySelector('.change-zone')).to.equal(null);
    expect(el.shadowRoot!.querySelector('[part~="timezone"]')!.textContent).to.match(
      /New York|Eastern/,
    );
  });

  it('pages with Previous/Next by `days`; Previous stops at today (aria-disabled, so it keeps focus)', async () => {
    const recorder = answerWith([
      '2025-01-06T09:00:00Z',
      '2025-01-09T09:00:00Z',
      '2025-01-10T09:00:00Z',
    ]);
    const el = await mount(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        timezone="UTC"
        days="3"
      ></meetergo-slots>`,
    );
    const [previous, next] =
      el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="nav"] button');
    expect(previous!.getAttribute('aria-disabled')).to.equal('true');
    previous!.click();
    await settled(el);
    expect(Object.keys(rendered(el))).to.deep.equal(['2025-01-06']);
    next!.click();
    await settled(el);
    expect(recorder.urls.at(-1)!.searchParams.get('startDate')).to.equal('2025-01-08');
    expect(recorder.urls.at(-1)!.searchParams.get('endDate')).to.equal('2025-01-12');
    expect(Object.keys(rendered(el))).to.deep.equal(['2025-01-09', '2025-01-10']);
    expect(previous!.getAttribute('aria-disabled')).to.equal('false');
    previous!.click();
    await settled(el);
    expect(Object.keys(rendered(el))).to.deep.equal(['2025-01-06']);
    expect(previous!.getAttribute('aria-disabled')).to.equal('true');
  });

  it('pages across a day that never existed: Samoa skipped 2011-12-30', async () => {
    freezeNow('2011-12-28T00:00:00Z'); // 14:00 on the 27th in Apia (UTC-10 until the jump to +14)
    const recorder = answerWith([
      '2011-12-29T12:00:00Z', // 02:00 on the 29th (UTC-10)
      '2011-12-30T12:00:00Z', // 02:00 on the 31st (UTC+14): the 30th never happened
      '2012-01-02T00:00:00Z', // on the next page, so no search ahead starts
    ]);
    const el = await mount(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        timezone="Pacific/Apia"
        days="4"
      ></meetergo-slots>`,
    );
    expect(rendered(el)).to.deep.equal({
      '2011-12-29': ['2011-12-29T12:00:00Z'],
      '2011-12-31': ['2011-12-30T12:00:00Z'],
    });
    expect(recorder.urls[0]!.searchParams.get('endDate')).to.equal('2012-01-01');
    el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="nav"] button')[1]!.click();
    await settled(el);
    expect(recorder.urls.at(-1)!.searchParams.get('startDate')).to.equal('2011-12-31');
    expect(rendered(el)).to.deep.equal({ '2012-01-02': ['2012-01-02T00:00:00Z'] });
  });

  it('never shows days before today, whatever start-date says', async () => {
    const recorder = answerWith(['2025-01-06T09:00:00Z']);
    await mount(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        timezone="UTC"
        start-date="2024-12-24"
        days="2"
      ></meetergo-slots>`,
    );
    expect(recorder.urls[0]!.searchParams.get('startDate')).to.equal('2025-01-05');
    expect(recorder.urls[0]!.searchParams.get('endDate')).to.equal('2025-01-08');
  });

  it('starts at start-date when it lies ahead', async () => {
    const recorder = answerWith(['2025-02-03T09:00:00Z']);
    const el = await mount(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        timezone="UTC"
        start-date="2025-02-03"
      ></meetergo-slots>`,
    );
    expect(recorder.urls[0]!.searchParams.get('startDate')).to.equal('2025-02-02');
    expect(Object.keys(rendered(el))).to.deep.equal(['2025-02-03']);
  });

  it('offers a jump to the next day with slots when a page is empty', async () => {
    answerWith((url) =>
      url.searchParams.get('startDate')! >= '2025-01-12' ? ['2025-01-21T09:00:00Z'] : [],
    );
    const el = await mount(
      html`<meetergo-slots proxy-url=${PROXY} user-id=${USER} timezone="UTC"></meetergo-slots>`,
    );
    let jump: HTMLButtonElement | null = null;
    for (let i = 0; i < 100 && !jump; i++) {
      await new Promise((r) => setTimeout(r, 10));
      jump = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="status"] button');
    }
    expect(jump!.textContent).to.contain('January 21');
    jump!.click();
    await settled(el);
    expect(rendered(el)).to.deep.equal({ '2025-01-21': ['2025-01-21T09:00:00Z'] });
  });

  it('follows theme, and custom properties set on the page reach every slot', async () => {
    // Reduced motion switches the colour transition off, so computed colours are final at once.
    await emulateMedia({ reducedMotion: 'reduce' });
    try {
      answerWith(['2025-01-06T09:00:00Z']);
      const el = await mount(
        html`<meetergo-slots
          proxy-url=${PROXY}
          user-id=${USER}
          timezone="UTC"
          theme="dark"
        ></meetergo-slots>`,
      );
      const root = el.shadowRoot!.querySelector('.root')!;
      expect(getComputedStyle(root).backgroundColor).to.equal('rgb(28, 29, 33)');
      el.theme = 'light';
      await el.updateComplete;
      expect(getComputedStyle(root).backgroundColor).to.equal('rgb(255, 255, 255)');
      expect(getComputedStyle(slots(el)[0]!).color).to.equal('rgb(11, 92, 213)');
      document.documentElement.style.setProperty('--meetergo-slots-accent', 'rgb(200, 0, 100)');
      expect(getComputedStyle(slots(el)[0]!).color).to.equal('rgb(200, 0, 100)');
    } finally {
      document.documentElement.style.removeProperty('--meetergo-slots-accent');
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('takes UI words from strings, over the built-in language', async () => {
    answerWith([]);
    const el = await mount(
      html`<meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        timezone="UTC"
        locale="de"
        .strings=${{ empty: 'Leider nichts frei.', next: 42 }}
      ></meetergo-slots>`,
    );
    expect(el.shadowRoot!.querySelector('[part~="status"]')!.textContent).to.contain(
      'Leider nichts frei.',
    );
    const next = el.shadowRoot!.querySelectorAll('[part~="nav"] button')[1]!;
    expect(next.getAttribute('aria-label')).to.equal('Nächste Tage');
  });

  it('keeps Lit dev mode silent through a full life cycle', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    const warnings = await captureWarnings(async () => {
      const el = await mount();
      el.days = 3;
      el.timezone = 'Asia/Tokyo';
      await settled(el);
      el.remove();
    });
    expect(warnings).to.deep.equal([]);
  });
});
