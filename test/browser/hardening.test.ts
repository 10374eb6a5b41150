// Regression tests for what a careless configuration and a flaky network found (the element's
// side of the hardening issue), and for rendering that costs what it shows.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { delay, http, HttpResponse } from 'msw';
import '../../src/meetergo-slots.js';
import type { MeetergoSlots } from '../../src/meetergo-slots.js';
import {
  BOOKING,
  PROXY,
  USER,
  WINDOWS_PATH,
  answerWith,
  captureWarnings,
  days,
  settled,
  slots,
  status,
  use,
  useMockedProxy,
  weekOf,
  worker,
} from './helpers.js';

const NOW = '2025-01-06T06:00:00Z';

function mount(extra: Partial<MeetergoSlots> = {}, attrs = ''): Promise<MeetergoSlots> {
  return fixture<MeetergoSlots>(
    html`<meetergo-slots
      proxy-url=${PROXY}
      user-id=${USER}
      booking-url=${BOOKING}
      timezone="UTC"
      link-target=${attrs || '_blank'}
      .prefill=${extra.prefill}
    ></meetergo-slots>`,
  );
}

describe('<meetergo-slots> hardening', function () {
  this.timeout(15_000);
  useMockedProxy(NOW);

  const prefills: [string, unknown][] = [
    ['an Object.create(null) value', { email: 'a@b.c', bad: Object.create(null) }],
    [
      'a value with a throwing toString',
      {
        email: 'a@b.c',
        bad: {
          toString: () => {
            throw new Error('x');
          },
        },
      },
    ],
    ['a string', 'firstname=Ada'],
    ['a Map', new Map([['email', 'a@b.c']])],
  ];
  for (const [name, prefill] of prefills) {
    it(`a prefill with ${name} never blocks rendering, and warns once`, async () => {
      answerWith(['2025-01-06T09:00:00Z']);
      let el!: MeetergoSlots;
      const warnings = await captureWarnings(async () => {
        el = await mount({ prefill: prefill as never });
        await settled(el);
        el.requestUpdate();
        await el.updateComplete;
      });
      expect(slots(el)).to.have.length(1);
      const url = new URL((slots(el)[0] as HTMLAnchorElement).href);
      expect(url.searchParams.has('0')).to.equal(false);
      expect(url.searchParams.has('bad')).to.equal(false);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('prefill');
    });
  }

  for (const target of ['_BLANK', '_Blank', 'booking']) {
    it(`link-target="${target}" gets rel="noopener noreferrer"`, async () => {
      answerWith(['2025-01-06T09:00:00Z']);
      const el = await mount({}, target);
      await settled(el);
      const link = slots(el)[0] as HTMLAnchorElement;
      expect(link.rel).to.equal('noopener noreferrer');
    });
  }

  it('on a lang="ja-JP" page the English words say lang="en", the dates the page language', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    document.documentElement.lang = 'ja-JP';
    try {
      const el = await mount();
      await settled(el);
      expect(el.shadowRoot!.querySelector('.root')!.getAttribute('lang')).to.equal('en');
      expect(el.shadowRoot!.querySelector('.days')!.getAttribute('lang')).to.equal('ja-JP');
      expect(el.shadowRoot!.querySelector('[part~="day-heading"]')!.textContent).to.match(/1月6日/);
    } finally {
      document.documentElement.lang = 'en';
    }
  });

  it('renders what is visible, not what arrived: 40,000 instants, a 28 × 48 answer', async () => {
    const huge: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      huge.push(new Date(Date.parse('2025-01-06T07:00:00Z') + i * 60_000).toISOString());
    }
    answerWith(huge);
    const el = await mount();
    await settled(el);
    expect(slots(el).length).to.be.at.most(7 * 8);
    worker.resetHandlers();
    answerWith(weekOf('2025-01-06', 28, 48));
    await el.refresh();
    await settled(el);
    const big = el.shadowRoot!.querySelectorAll('*').length;
    worker.resetHandlers();
    answerWith(weekOf('2025-01-06', 7, 16));
    await el.refresh();
    await settled(el);
    const small = el.shadowRoot!.querySelectorAll('*').length;
    expect(slots(el)).to.have.length(7 * 8);
    expect(big).to.equal(small);
  });

  it('an answer identical to the one on screen changes nothing in the DOM', async () => {
    answerWith(weekOf('2025-01-06', 5, 4));
    const el = await mount();
    await settled(el);
    const before = slots(el);
    const changes: MutationRecord[] = [];
    const observer = new MutationObserver((records) => changes.push(...records));
    observer.observe(el.shadowRoot!.querySelector('.days')!, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    await el.refresh();
    await settled(el);
    observer.disconnect();
    expect(changes).to.deep.equal([]);
    expect(slots(el)).to.deep.equal(before);
  });

  it('a zone change re-groups the loaded answer without a placeholder', async () => {
    answerWith(weekOf('2025-01-06', 5, 4));
    const el = await mount();
    await settled(el);
    let placeholder = false;
    const observer = new MutationObserver(() => {
      placeholder ||= !!el.shadowRoot!.querySelector('.placeholder');
    });
    observer.observe(el.shadowRoot!, { subtree: true, childList: true });
    el.timezone = 'America/New_York';
    await settled(el);
    observer.disconnect();
    expect(placeholder).to.equal(false);
    expect(days(el)[0]!.querySelector('time')!.getAttribute('datetime')).to.equal('2025-01-06');
    expect(slots(el)).to.have.length(5 * 4);
  });

  it('starts its request before its first render', async () => {
    performance.clearMarks('meetergo-slots:request');
    answerWith(['2025-01-06T09:00:00Z']);
    const el = document.createElement('meetergo-slots');
    el.setAttribute('proxy-url', PROXY);
    el.setAttribute('user-id', USER);
    let requestedBeforeRender: boolean | undefined;
    const observer = new MutationObserver(() => {
      requestedBeforeRender ??= performance.getEntriesByName('meetergo-slots:request').length > 0;
    });
    document.body.append(el);
    observer.observe(el.shadowRoot!, { childList: true, subtree: true });
    try {
      await settled(el);
      expect(requestedBeforeRender).to.equal(true);
      expect(performance.getEntriesByName('meetergo-slots:rendered').length).to.be.greaterThan(0);
    } finally {
      observer.disconnect();
      el.remove();
    }
  });

  it('retries by itself after a transient failure (1 s, then 2 s, …)', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    use(
      http.get(WINDOWS_PATH, () => HttpResponse.json({ statusCode: 503 }, { status: 503 }), {
        once: true,
      }),
    );
    const failed = oneEvent(document, 'meetergo-slots-error');
    const el = await mount();
    expect((await failed).detail.status).to.equal(503);
    await waitUntil(() => slots(el).length === 1, 'retried and loaded', { timeout: 3000 });
  });

  it('never retries by itself after a 4xx', async () => {
    let calls = 0;
    use(
      http.get(WINDOWS_PATH, () => {
        calls++;
        return HttpResponse.json({ statusCode: 404, message: 'No such user' }, { status: 404 });
      }),
    );
    const el = await mount();
    await settled(el);
    await delay(1500);
    expect(calls).to.equal(1);
    expect(el.matches(':state(error)')).to.equal(true);
  });

  it('retries when the browser comes back online', async () => {
    use(http.get(WINDOWS_PATH, () => HttpResponse.json({ statusCode: 404 }, { status: 404 })));
    const el = await mount();
    await settled(el);
    expect(el.matches(':state(error)')).to.equal(true);
    worker.resetHandlers();
    answerWith(['2025-01-06T09:00:00Z']);
    window.dispatchEvent(new Event('online'));
    await waitUntil(() => slots(el).length === 1, 'reloaded once online');
    expect(el.matches(':state(loaded)')).to.equal(true);
  });

  it('heading-level sets the level of the day headings (default 2)', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    const el = await mount();
    await settled(el);
    const heading = () => el.shadowRoot!.querySelector('[part~="day-heading"]')!;
    expect(heading().getAttribute('role')).to.equal('heading');
    expect(heading().getAttribute('aria-level')).to.equal('2');
    el.setAttribute('heading-level', '4');
    await el.updateComplete;
    expect(heading().getAttribute('aria-level')).to.equal('4');
  });

  it('a proxy-url with credentials is named as the problem, and nothing is requested', async () => {
    let calls = 0;
    use(
      http.get(WINDOWS_PATH, () => {
        calls++;
        return HttpResponse.json({ windows: [] });
      }),
    );
    let el!: MeetergoSlots;
    const warnings = await captureWarnings(async () => {
      el = await fixture<MeetergoSlots>(
        html`<meetergo-slots
          proxy-url="https://user:secret@proxy.test/api/meetergo"
          user-id=${USER}
        ></meetergo-slots>`,
      );
      await el.updateComplete;
    });
    expect(status(el)).to.contain('user name or password');
    expect(status(el)).to.not.contain('secret');
    expect(
      el.shadowRoot!.querySelector('[part~="status"]')!.part.contains('misconfigured'),
    ).to.equal(true);
    expect(warnings).to.have.length(1);
    expect(calls).to.equal(0);
  });
});
