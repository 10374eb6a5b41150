import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { delay, http, HttpResponse } from 'msw';
import '../../src/meetergo-slots.js';
import type { MeetergoSlots } from '../../src/meetergo-slots.js';
import {
  PROXY,
  USER,
  USER_B,
  WINDOWS_PATH,
  answerWith,
  captureWarnings,
  gate,
  rendered,
  settled,
  slots,
  status,
  use,
  useMockedProxy,
  worker,
} from './helpers.js';

const NOW = '2025-01-06T06:00:00Z';

function mount(): Promise<MeetergoSlots> {
  return fixture<MeetergoSlots>(
    html`<meetergo-slots proxy-url=${PROXY} user-id=${USER} timezone="UTC"></meetergo-slots>`,
  );
}

describe('<meetergo-slots> states', () => {
  useMockedProxy(NOW);

  it('shows a busy placeholder of stable size while loading', async () => {
    const held = gate();
    use(
      http.get(WINDOWS_PATH, async () => {
        await held.promise;
        return HttpResponse.json({ windows: ['2025-01-06T09:00:00Z'] });
      }),
    );
    const el = await mount();
    const root = el.shadowRoot!.querySelector('.root')!;
    expect(root.getAttribute('aria-busy')).to.equal('true');
    expect(el.shadowRoot!.querySelectorAll('.placeholder').length).to.be.greaterThan(0);
    const height = el.getBoundingClientRect().height;
    expect(height).to.be.greaterThan(100);
    held.open();
    await settled(el);
    expect(root.getAttribute('aria-busy')).to.equal('false');
    expect(slots(el)).to.have.length(1);
  });

  // With a later start-date the request starts before the first update's `Intl` work; with a
  // timezone and no start-date, only once the page's days are known.
  for (const [attribute, value] of [
    ['start-date', '2025-01-07'],
    ['timezone', 'UTC'],
  ]) {
    it(`renders an answer at hand at once, without a placeholder first (${attribute})`, async () => {
      answerWith(['2025-01-07T09:00:00Z']);
      const first = await fixture<MeetergoSlots>(
        html`<meetergo-slots proxy-url=${PROXY} user-id=${USER}></meetergo-slots>`,
      );
      first.setAttribute(attribute, value);
      await settled(first);
      // A second instance for the same page: the shared answer is at hand as it starts.
      const el = document.createElement('meetergo-slots');
      for (const name of ['proxy-url', 'user-id', attribute]) {
        el.setAttribute(name, first.getAttribute(name)!);
      }
      first.after(el);
      const added: Node[] = [];
      const observer = new MutationObserver((records) =>
        records.forEach((record) => added.push(...record.addedNodes)),
      );
      observer.observe(el.shadowRoot!, { childList: true, subtree: true });
      await el.updateComplete;
      expect(slots(el)).to.have.length(1);
      added.push(...observer.takeRecords().flatMap((record) => [...record.addedNodes]));
      observer.disconnect();
      const placeholders = added.filter(
        (node) =>
          node instanceof Element &&
          (node.matches('.placeholder, [part~="loading"]') ||
            node.querySelector('.placeholder, [part~="loading"]')),
      );
      expect(placeholders).to.have.length(0);
    });
  }

  it('shows an error with Retry, fires meetergo-slots-error, and recovers on Retry', async () => {
    answerWith(['2025-01-06T09:00:00Z']);
    // Handlers added later take precedence: the first request fails, the retry succeeds.
    use(
      http.get(
        WINDOWS_PATH,
        () => HttpResponse.json({ statusCode: 502, message: 'Upstream failed' }, { status: 502 }),
        {
          once: true,
        },
      ),
    );
    const failed = oneEvent(document, 'meetergo-slots-error');
    const el = await mount();
    expect((await failed).detail).to.deep.equal({ message: 'Upstream failed', status: 502 });
    await settled(el);
    expect(status(el)).to.contain('could not be loaded');
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry"]')!;
    const loaded = oneEvent(el, 'meetergo-slots-load');
    retry.click();
    await loaded;
    expect(slots(el)).to.have.length(1);
    expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.equal(null);
  });

  it('keeps the last good slots on screen when a refresh fails, and says so', async () => {
    answerWith(['2025-01-06T09:00:00Z', '2025-01-07T09:00:00Z']);
    const el = await mount();
    await settled(el);
    worker.resetHandlers();
    use(http.get(WINDOWS_PATH, () => HttpResponse.error()));
    const failed = oneEvent(el, 'meetergo-slots-error');
    await el.refresh().catch(() => undefined);
    expect((await failed).detail).to.deep.equal({
      message: 'The network request failed.',
      status: null,
    });
    await settled(el);
    expect(slots(el)).to.have.length(2);
    expect(status(el)).to.contain('Could not refresh');
    expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.not.equal(null);
  });

  const unusable: [string, () => Response, string][] = [
    [
      'a body that is not JSON',
      () => new HttpResponse('<html>oops</html>', { headers: { 'Content-Type': 'text/html' } }),
      'not JSON',
    ],
    ['no windows array', () => HttpResponse.json({ slots: [] }), 'no list of windows'],
    [
      'windows that is not an array',
      () => HttpResponse.json({ windows: 'soon' }),
      'no list of windows',
    ],
    ['null', () => HttpResponse.json(null), 'no list of windows'],
    ['a 404 without a body', () => new HttpResponse(null, { status: 404 }), 'answered 404'],
  ];
  for (const [name, respond, message] of unusable) {
    it(`turns ${name} into an error state, never an exception`, async () => {
      use(http.get(WINDOWS_PATH, respond));
      const failed = oneEvent(document, 'meetergo-slots-error');
      const el = await mount();
      expect((await failed).detail.message).to.contain(message);
      await settled(el);
      expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.not.equal(null);
    });
  }

  it('drops window items that are not instants and shows the rest', async () => {
    answerWith([
      '2025-01-06T09:00:00Z',
      'tomorrow',
      42,
      null,
      { at: 'x' },
      '2025-01-06T10:00',
      '2025-01-06T11:00:00+00:00',
    ]);
    const el = await mount();
    await settled(el);
    expect(rendered(el)).to.deep.equal({
      '2025-01-06': ['2025-01-06T09:00:00Z', '2025-01-06T11:00:00Z'],
    });
  });

  it('never shows a response for superseded inputs', async () => {
    const slowA = gate();
    use(
      http.get(WINDOWS_PATH, async ({ params }) => {
        if (params['userId'] === USER) {
          await slowA.promise;
          return HttpResponse.json({ windows: ['2025-01-06T09:00:00Z'] });
        }
        return HttpResponse.json({ windows: ['2025-01-06T15:00:00Z'] });
      }),
    );
    const el = await mount();
    el.userId = USER_B;
    await settled(el);
    expect(rendered(el)).to.deep.equal({ '2025-01-06': ['2025-01-06T15:00:00Z'] });
    slowA.open();
    await delay(50);
    await el.updateComplete;
    expect(rendered(el)).to.deep.equal({ '2025-01-06': ['2025-01-06T15:00:00Z'] });
  });

  it('does not refetch on a re-render with unchanged inputs', async () => {
    const recorder = answerWith(['2025-01-06T09:00:00Z']);
    const el = await mount();
    await settled(el);
    el.requestUpdate();
    el.linkTarget = '_self';
    el.setAttribute('user-id', USER);
    await settled(el);
    expect(recorder.urls).to.have.length(1);
  });

  it('loads normally when removed mid-request and put back', async () => {
    const held = gate();
    let calls = 0;
    use(
      http.get(WINDOWS_PATH, async () => {
        calls++;
        if (calls === 1) await held.promise;
        return HttpResponse.json({ windows: ['2025-01-06T09:00:00Z'] });
      }),
    );
    const el = await mount();
    const parent = el.parentElement!;
    el.remove();
    held.open();
    await delay(30);
    const loaded = oneEvent(el, 'meetergo-slots-load');
    parent.append(el);
    await loaded;
    await settled(el);
    expect(slots(el)).to.have.length(1);
  });

  const misconfigured: [string, () => Promise<MeetergoSlots>, RegExp][] = [
    [
      'a missing proxy-url',
      () => fixture(html`<meetergo-slots user-id=${USER}></meetergo-slots>`),
      /proxy-url attribute is missing/,
    ],
    [
      'a missing user-id',
      () => fixture(html`<meetergo-slots proxy-url=${PROXY}></meetergo-slots>`),
      /user-id attribute is missing/,
    ],
    [
      'a user-id that is not a UUID',
      () => fixture(html`<meetergo-slots proxy-url=${PROXY} user-id="../admin"></meetergo-slots>`),
      /not a UUID/,
    ],
  ];
  for (const [name, create, message] of misconfigured) {
    it(`says what is wrong with ${name} in the element, warns once, requests nothing`, async () => {
      const recorder = answerWith([]);
      let el!: MeetergoSlots;
      const warnings = await captureWarnings(async () => {
        el = await create();
        el.requestUpdate();
        await el.updateComplete;
      });
      expect(status(el)).to.match(message);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(message);
      expect(recorder.urls).to.have.length(0);
    });
  }

  it('falls back to the viewer zone for an unknown timezone, with one warning', async () => {
    const recorder = answerWith([]);
    const viewer = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const warnings = await captureWarnings(async () => {
      const el = await fixture<MeetergoSlots>(
        html`<meetergo-slots
          proxy-url=${PROXY}
          user-id=${USER}
          timezone="Mars/Olympus_Mons"
        ></meetergo-slots>`,
      );
      await settled(el);
      el.requestUpdate();
      await el.updateComplete;
    });
    expect(recorder.urls[0]!.searchParams.get('timezone')).to.equal(viewer);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('Mars/Olympus_Mons');
  });

  const badValues: [string, string, string, number][] = [
    ['days', '0', '2025-01-06', 1],
    ['days', '99', '2025-02-02', 28],
    ['days', 'many', '2025-01-12', 7],
    ['start-date', '2025-02-30', '2025-01-12', 7],
    ['start-date', 'next monday', '2025-01-12', 7],
    ['start-date', '9999-12-30', '2025-01-12', 7],
    ['hour-cycle', 'h25', '2025-01-12', 7],
  ];
  for (const [attribute, value, lastDay] of badValues) {
    it(`handles ${attribute}="${value}" with a sensible default and one warning`, async () => {
      const recorder = answerWith([]);
      const warnings = await captureWarnings(async () => {
        // Set before the first update: a page that an earlier answer serves asks for nothing.
        const el = document.createElement('meetergo-slots');
        el.setAttribute('proxy-url', PROXY);
        el.setAttribute('user-id', USER);
        el.setAttribute('timezone', 'UTC');
        el.setAttribute(attribute, value);
        (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
        await settled(el);
        el.requestUpdate();
        await el.updateComplete;
      });
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain(value);
      // The page's own request (the empty state's search ahead asks for later days).
      const url = recorder.urls
        .filter((u) => u.searchParams.get('startDate') === '2025-01-05')
        .at(-1)!;
      const endDate = new Date(`${url.searchParams.get('endDate')}T00:00:00Z`);
      endDate.setUTCDate(endDate.getUTCDate() - 1);
      expect(endDate.toISOString().slice(0, 10)).to.equal(lastDay);
    });
  }
});
