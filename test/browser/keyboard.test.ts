// The keyboard model key by key (sendKeys), with the deep document.activeElement after each,
// and the polite live region's text.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { http, HttpResponse } from 'msw';
import '../../src/meetergo-slots.js';
import type { MeetergoSlots } from '../../src/meetergo-slots.js';
import {
  BOOKING,
  PROXY,
  USER,
  WINDOWS_PATH,
  answerWith,
  gate,
  settled,
  slots,
  use,
  useMockedProxy,
} from './helpers.js';

const NOW = '2025-01-06T06:00:00Z';
// Mon Jan 6: 3 times, Tue: 2, Wed: none, Thu: 1 (UTC display zone).
const WEEK = [
  '2025-01-06T08:00:00Z',
  '2025-01-06T08:30:00Z',
  '2025-01-06T09:00:00Z',
  '2025-01-07T08:30:00Z',
  '2025-01-07T15:00:00Z',
  '2025-01-09T17:00:00Z',
];

/** The focused element, through shadow roots. */
function active(): Element | null {
  let node = document.activeElement;
  while (node?.shadowRoot?.activeElement) node = node.shadowRoot.activeElement;
  return node;
}

/** The focused slot's start instant, or a short name of what else has focus. */
function focused(): string {
  const node = active() as HTMLElement | null;
  if (!node) return 'nothing';
  return (
    node.dataset['start'] ??
    (node.dataset['tab'] && `tab ${node.dataset['tab']}`) ??
    node.getAttribute('aria-label') ??
    node.id ??
    node.tagName
  );
}

function live(el: MeetergoSlots): string {
  return el.shadowRoot!.querySelector('[role="status"]')!.textContent!.replace(/\s+/g, ' ').trim();
}

async function mount(width: number, extra = {}): Promise<MeetergoSlots> {
  const options = { days: '7', visible: '8', ...extra };
  const wrapper = await fixture<HTMLDivElement>(
    html`<div style="width: ${width}px">
      <button id="before">before</button>
      <meetergo-slots
        proxy-url=${PROXY}
        user-id=${USER}
        booking-url=${BOOKING}
        timezone="UTC"
        days=${options.days}
        visible-per-day=${options.visible}
      ></meetergo-slots>
      <button id="after">after</button>
    </div>`,
  );
  const el = wrapper.querySelector('meetergo-slots')!;
  await settled(el);
  const layout = `${width < 576 ? '.strip' : '.wide'}, [part~="status"]`;
  await waitUntil(() => el.shadowRoot!.querySelector(layout), 'laid out');
  return el;
}

/** Press `key` and wait for the element to render what it did. */
async function press(el: MeetergoSlots, key: string): Promise<string> {
  const [modifier, plain] = key.includes('+') ? key.split('+') : [undefined, key];
  if (modifier) await sendKeys({ down: modifier });
  await sendKeys({ press: plain! });
  if (modifier) await sendKeys({ up: modifier });
  await el.updateComplete;
  await el.updateComplete;
  return focused();
}

describe('<meetergo-slots> keyboard', () => {
  useMockedProxy(NOW);

  it('wide: the slots are one Tab stop; arrows, Home and End move within and across days', async () => {
    answerWith(WEEK);
    const el = await mount(720);
    const next = el.shadowRoot!.querySelector<HTMLButtonElement>('[aria-label="Next days"]')!;
    next.focus();
    expect(await press(el, 'Tab')).to.equal('2025-01-06T08:00:00Z');
    expect(slots(el).filter((slot) => slot.tabIndex === 0)).to.have.length(1);
    expect(await press(el, 'ArrowDown')).to.equal('2025-01-06T08:30:00Z');
    expect(await press(el, 'ArrowDown')).to.equal('2025-01-06T09:00:00Z');
    expect(await press(el, 'ArrowDown')).to.equal('2025-01-06T09:00:00Z');
    expect(await press(el, 'ArrowUp')).to.equal('2025-01-06T08:30:00Z');
    expect(await press(el, 'Home')).to.equal('2025-01-06T08:00:00Z');
    expect(await press(el, 'End')).to.equal('2025-01-06T09:00:00Z');
    // Left/Right: the nearest time of the neighbouring day with times (Wednesday has none).
    expect(await press(el, 'ArrowRight')).to.equal('2025-01-07T08:30:00Z');
    expect(await press(el, 'ArrowRight')).to.equal('2025-01-09T17:00:00Z');
    expect(await press(el, 'ArrowRight')).to.equal('2025-01-09T17:00:00Z');
    expect(await press(el, 'ArrowLeft')).to.equal('2025-01-07T15:00:00Z');
    expect(await press(el, 'ArrowUp')).to.equal('2025-01-07T08:30:00Z');
    // Tab leaves the slots at once; Shift+Tab comes back to the slot last used.
    expect(await press(el, 'Tab')).to.equal('after');
    expect(await press(el, 'Shift+Tab')).to.equal('2025-01-07T08:30:00Z');
    expect(await press(el, 'Shift+Tab')).to.equal('Next days');
  });

  it('Enter on a slot link fires meetergo-slot-select and follows the link', async () => {
    answerWith(WEEK);
    const el = await mount(720);
    let prevented: boolean | undefined;
    const watch = (event: Event) => {
      prevented = event.defaultPrevented;
      event.preventDefault(); // keep the test page where it is
    };
    window.addEventListener('click', watch);
    try {
      slots(el)[0]!.focus();
      await press(el, 'ArrowDown');
      const selected = oneEvent(el, 'meetergo-slot-select');
      await press(el, 'Enter');
      expect((await selected).detail.start).to.equal('2025-01-06T08:30:00Z');
      expect(prevented).to.equal(false);
    } finally {
      window.removeEventListener('click', watch);
    }
  });

  it('narrow: the day strip is a tablist (arrows skip days without times), Left/Right on slots go through it', async () => {
    answerWith(WEEK);
    const el = await mount(360);
    const tabs = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    expect(tabs.map((tab) => tab.disabled)).to.deep.equal([
      false,
      false,
      true,
      false,
      true,
      true,
      true,
    ]);
    expect(tabs[0]!.getAttribute('aria-selected')).to.equal('true');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[aria-label="Next days"]')!.focus();
    expect(await press(el, 'Tab')).to.equal('tab 2025-01-06');
    expect(await press(el, 'ArrowRight')).to.equal('tab 2025-01-07');
    expect(tabs[1]!.getAttribute('aria-selected')).to.equal('true');
    expect(tabs[1]!.part.contains('selected')).to.equal(true);
    expect(slots(el).map((slot) => slot.dataset['start'])).to.deep.equal([
      '2025-01-07T08:30:00Z',
      '2025-01-07T15:00:00Z',
    ]);
    expect(await press(el, 'ArrowRight')).to.equal('tab 2025-01-09');
    expect(await press(el, 'ArrowRight')).to.equal('tab 2025-01-09');
    expect(await press(el, 'Home')).to.equal('tab 2025-01-06');
    expect(await press(el, 'End')).to.equal('tab 2025-01-09');
    expect(await press(el, 'ArrowLeft')).to.equal('tab 2025-01-07');
    expect(await press(el, 'Tab')).to.equal('2025-01-07T08:30:00Z');
    expect(await press(el, 'ArrowDown')).to.equal('2025-01-07T15:00:00Z');
    expect(await press(el, 'ArrowRight')).to.equal('2025-01-09T17:00:00Z');
    expect(
      el.shadowRoot!.querySelector('[aria-selected="true"]')!.getAttribute('data-tab'),
    ).to.equal('2025-01-09');
    expect(await press(el, 'ArrowLeft')).to.equal('2025-01-07T15:00:00Z');
    expect(await press(el, 'ArrowLeft')).to.equal('2025-01-06T09:00:00Z');
    expect(await press(el, 'Home')).to.equal('2025-01-06T08:00:00Z');
    expect(await press(el, 'End')).to.equal('2025-01-06T09:00:00Z');
    expect(await press(el, 'ArrowUp')).to.equal('2025-01-06T08:30:00Z');
  });

  it('"Show all N times" renders the rest and moves focus to the first newly shown time', async () => {
    answerWith(WEEK);
    const el = await mount(720, { visible: '2' });
    const more = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="more"]')!;
    expect(more.textContent!.trim()).to.equal('Show all 3 times');
    expect(slots(el).map((slot) => slot.dataset['start'])).to.not.include('2025-01-06T09:00:00Z');
    more.focus();
    expect(await press(el, 'Enter')).to.equal('2025-01-06T09:00:00Z');
    expect(el.shadowRoot!.querySelector('[part~="more"]')).to.equal(null);
  });

  it('Previous/Next keep focus (also when Previous reaches the first page) and the live region names each page', async () => {
    answerWith(WEEK);
    const el = await mount(720, { days: '3' });
    expect(live(el)).to.equal('Jan 6 – 8: 5 times');
    const next = el.shadowRoot!.querySelector<HTMLButtonElement>('[aria-label="Next days"]')!;
    next.focus();
    const held = gate();
    use(
      http.get(WINDOWS_PATH, async () => {
        await held.promise;
        return HttpResponse.json({ windows: WEEK });
      }),
    );
    expect(await press(el, 'Enter')).to.equal('Next days');
    expect(live(el)).to.equal('Loading times for Jan 9 – 11…');
    held.open();
    await settled(el);
    expect(live(el)).to.equal('Jan 9 – 11: 1 time');
    expect(focused()).to.equal('Next days');
    expect(await press(el, 'Shift+Tab')).to.equal('Previous days');
    expect(await press(el, 'Enter')).to.equal('Previous days');
    await settled(el);
    const previous = active()!;
    expect(previous.getAttribute('aria-disabled')).to.equal('true');
    expect(live(el)).to.equal('Jan 6 – 8: 5 times');
    // Disabled at the first page: pressing it again does nothing, focus stays.
    expect(await press(el, 'Enter')).to.equal('Previous days');
    expect(live(el)).to.equal('Jan 6 – 8: 5 times');
  });

  it('the jump to the next available day moves focus to its first time', async () => {
    answerWith((url) =>
      url.searchParams.get('startDate')! >= '2025-01-12' ? ['2025-01-21T09:00:00Z'] : [],
    );
    const el = await mount(720);
    await waitUntil(() => el.shadowRoot!.querySelector('.jump'), 'the jump');
    el.shadowRoot!.querySelector<HTMLButtonElement>('.jump')!.focus();
    await press(el, 'Enter');
    await settled(el);
    await waitUntil(
      () => focused() === '2025-01-21T09:00:00Z',
      `focus on the first time, not ${focused()}`,
    );
    expect(live(el)).to.equal('Jan 21 – 27: 1 time');
  });

  it('a successful Retry moves focus to the first time, never to <body>', async () => {
    answerWith(WEEK);
    use(
      http.get(
        WINDOWS_PATH,
        () => HttpResponse.json({ statusCode: 404, message: 'x' }, { status: 404 }),
        {
          once: true,
        },
      ),
    );
    const el = await mount(720);
    const retry = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="retry"]')!;
    retry.focus();
    await press(el, 'Enter');
    expect(active()).to.not.equal(document.body);
    await settled(el);
    await waitUntil(
      () => focused() === '2025-01-06T08:00:00Z',
      `focus on the first time, not ${focused()}`,
    );
  });

  it('a zone change keeps focus on the switcher', async () => {
    answerWith(WEEK);
    const el = await mount(720);
    el.shadowRoot!.querySelector<HTMLButtonElement>('.change-zone')!.click();
    await el.updateComplete;
    const select = el.shadowRoot!.querySelector('select')!;
    expect(active()).to.equal(select);
    select.value = 'Asia/Tokyo';
    select.dispatchEvent(new Event('change'));
    await settled(el);
    expect(active()).to.equal(select);
    expect(live(el)).to.equal('Jan 6 – 12: 6 times');
  });
});
