// Every state × layout × theme under axe-core's WCAG 2.1 AA rules (colour contrast included),
// forced colours, 320 px and reduced motion; a screenshot of each into test-results/screenshots/.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, executeServerCommand } from '@web/test-runner-commands';
import { http, HttpResponse } from 'msw';
import '../../src/meetergo-slots.js';
import type { MeetergoSlots } from '../../src/meetergo-slots.js';
import {
  BOOKING,
  PROXY,
  USER,
  WINDOWS_PATH,
  answerWith,
  audit,
  captureWarnings,
  gate,
  settled,
  shoot,
  slots,
  status,
  use,
  useMockedProxy,
  weekOf,
  worker,
} from './helpers.js';

const NOW = '2025-01-06T06:00:00Z';

type State = 'loading' | 'empty' | 'error' | 'stale' | 'misconfigured' | 'loaded';
/** Lets a held loading answer go at the end of its test. */
let release: (() => void) | undefined;

/** Mount the element in `state`, `width` px wide, in `theme`. */
async function inState(state: State, width: number, theme: string): Promise<MeetergoSlots> {
  if (state === 'loading') {
    const held = gate();
    release = held.open;
    use(
      http.get(WINDOWS_PATH, async () => {
        await held.promise;
        return HttpResponse.json({ windows: [] });
      }),
    );
  } else if (state === 'error') {
    use(
      http.get(WINDOWS_PATH, () =>
        HttpResponse.json({ statusCode: 404, message: 'No such user' }, { status: 404 }),
      ),
    );
  } else if (state === 'empty') {
    answerWith([]);
  } else {
    answerWith(weekOf('2025-01-06', 5, 12));
  }
  let el!: MeetergoSlots;
  const mount = async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div style="width: ${width}px">
        <meetergo-slots
          proxy-url=${PROXY}
          user-id=${state === 'misconfigured' ? '' : USER}
          booking-url=${BOOKING}
          timezone="Europe/Berlin"
          theme=${theme}
        ></meetergo-slots>
      </div>`,
    );
    el = wrapper.querySelector('meetergo-slots')!;
    if (state !== 'loading') await settled(el);
    else await el.updateComplete;
  };
  // The misconfigured element warns once on the console, as it should: keep it off the log.
  if (state === 'misconfigured') await captureWarnings(mount);
  else await mount();
  if (state === 'stale') {
    worker.resetHandlers();
    use(http.get(WINDOWS_PATH, () => HttpResponse.error()));
    await el.refresh();
    await settled(el);
  }
  if (state === 'empty') {
    await waitUntil(() => status(el).includes('coming weeks'), 'the search ahead ends', {
      timeout: 4000,
    });
  }
  await waitUntil(() => el.matches(`:state(${state})`), `in state ${state}`);
  return el;
}

describe('<meetergo-slots> accessibility', function () {
  this.timeout(30_000);
  useMockedProxy(NOW);
  before(() => import('axe-core/axe.min.js'));
  afterEach(async () => {
    release?.();
    release = undefined;
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  const states: State[] = ['loaded', 'loading', 'empty', 'error', 'stale', 'misconfigured'];
  for (const state of states) {
    for (const [layout, width] of [
      ['wide', 720],
      ['narrow', 360],
    ] as const) {
      for (const theme of ['light', 'dark']) {
        it(`${state}, ${layout}, ${theme}: passes WCAG 2.1 AA with colour contrast`, async () => {
          await emulateMedia({ reducedMotion: 'reduce' });
          const el = await inState(state, width, theme);
          await waitUntil(
            () =>
              !!el.shadowRoot!.querySelector(
                layout === 'narrow' ? '.strip, [part~="status"]' : '.wide, [part~="status"]',
              ),
            'laid out',
          );
          expect(el.matches(`:state(${state})`)).to.equal(true);
          const statusPart = el.shadowRoot!.querySelector('[part~="status"]');
          if (state !== 'loaded') expect(statusPart!.part.contains(state)).to.equal(true);
          await audit(el);
          await shoot(`${layout}-${state}-${theme}`, el);
        });
      }
    }
  }

  it('follows prefers-color-scheme with theme="auto" and still passes', async () => {
    await emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
    const el = await inState('loaded', 720, 'auto');
    const root = el.shadowRoot!.querySelector('.root')!;
    expect(getComputedStyle(root).backgroundColor).to.equal('rgb(28, 29, 33)');
    await audit(el);
  });

  it('works in forced-colors mode: slots keep a visible border, picked and chosen use Highlight', async () => {
    await executeServerCommand('emulate-forced-colors', { active: true });
    try {
      expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
      for (const width of [720, 360]) {
        const el = await inState('loaded', width, 'light');
        await waitUntil(() => slots(el).length > 0);
        const slot = slots(el)[0]!;
        const style = getComputedStyle(slot);
        expect(style.borderTopStyle).to.equal('solid');
        expect(style.borderTopColor).to.not.equal(style.backgroundColor);
        await audit(el);
        await shoot(`${width === 720 ? 'wide' : 'narrow'}-loaded-forced-colors`, el);
      }
    } finally {
      await executeServerCommand('emulate-forced-colors', { active: false });
    }
  });

  it('fits 320 px: narrow layout, nothing wider than the element, and one screen of height', async () => {
    const el = await inState('loaded', 320, 'light');
    await waitUntil(() => el.shadowRoot!.querySelector('.strip'));
    await el.updateComplete;
    const box = el.getBoundingClientRect();
    expect(box.width).to.equal(320);
    for (const node of el.shadowRoot!.querySelectorAll<HTMLElement>('[part]')) {
      if (node.closest('.strip')) continue; // the day strip scrolls sideways by design
      expect(node.getBoundingClientRect().right, node.part.value).to.be.at.most(box.right + 0.5);
    }
    expect(box.height).to.be.below(640);
    await audit(el);
    await shoot('narrow-loaded-320px', el);
  });

  it('with reduced motion: no transition on slots and no pulsing placeholder', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await inState('loading', 720, 'light');
    const placeholder = el.shadowRoot!.querySelector('.placeholder')!.closest('.pulse')!;
    expect(getComputedStyle(placeholder).animationName).to.equal('none');
    await emulateMedia({ reducedMotion: 'no-preference' });
    expect(getComputedStyle(placeholder).animationName).to.equal('pulse');
  });
});
