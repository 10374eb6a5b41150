// pick mode: a form-associated slot picker for the page's own form.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
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
  audit,
  captureWarnings,
  settled,
  slots,
  use,
  useMockedProxy,
  worker,
} from './helpers.js';

const NOW = '2025-01-06T06:00:00Z';
const TIMES = ['2025-01-06T08:00:00Z', '2025-01-06T08:30:00Z', '2025-01-07T09:00:00Z'];

async function inForm(extra = html``): Promise<{ form: HTMLFormElement; el: MeetergoSlots }> {
  const form = await fixture<HTMLFormElement>(
    html`<form>
      <fieldset>
        <input name="email" value="ada@example.com" />
        <meetergo-slots
          proxy-url=${PROXY}
          user-id=${USER}
          booking-url=${BOOKING}
          timezone="UTC"
          mode="pick"
          name="start"
          required
        ></meetergo-slots>
        ${extra}
      </fieldset>
    </form>`,
  );
  const el = form.querySelector('meetergo-slots')!;
  await settled(el);
  return { form, el };
}

function slot(el: MeetergoSlots, start: string): HTMLButtonElement {
  return el.shadowRoot!.querySelector<HTMLButtonElement>(`[data-start="${start}"]`)!;
}

describe('<meetergo-slots mode="pick">', () => {
  useMockedProxy(NOW);

  it('renders toggle buttons (never links) and passes the accessibility audit', async () => {
    answerWith(TIMES);
    const { el } = await inForm();
    expect(slots(el).map((s) => [s.tagName, s.getAttribute('aria-pressed')])).to.deep.equal([
      ['BUTTON', 'false'],
      ['BUTTON', 'false'],
      ['BUTTON', 'false'],
    ]);
    expect(el.shadowRoot!.querySelector('[href]')).to.equal(null);
    slot(el, TIMES[1]!).click();
    await el.updateComplete;
    await audit(el);
  });

  it('a click picks (select, then change), a second pick replaces, picking again clears', async () => {
    answerWith(TIMES);
    const { el, form } = await inForm();
    const order: string[] = [];
    el.addEventListener('meetergo-slot-select', (e) => order.push(`select ${e.detail.start}`));
    el.addEventListener('change', () => order.push(`change ${el.value}`));
    slot(el, TIMES[0]!).click();
    await el.updateComplete;
    expect(el.value).to.equal(TIMES[0]);
    expect(slot(el, TIMES[0]!).getAttribute('aria-pressed')).to.equal('true');
    expect(slot(el, TIMES[0]!).part.contains('picked')).to.equal(true);
    expect(new FormData(form).get('start')).to.equal(TIMES[0]);
    slot(el, TIMES[2]!).click();
    await el.updateComplete;
    expect(slot(el, TIMES[0]!).getAttribute('aria-pressed')).to.equal('false');
    expect(new FormData(form).get('start')).to.equal(TIMES[2]);
    slot(el, TIMES[2]!).click();
    await el.updateComplete;
    expect(el.value).to.equal(null);
    expect(new FormData(form).has('start')).to.equal(false);
    expect(order).to.deep.equal([
      `select ${TIMES[0]}`,
      `change ${TIMES[0]}`,
      `select ${TIMES[2]}`,
      `change ${TIMES[2]}`,
      `select ${TIMES[2]}`,
      'change null',
    ]);
  });

  it('Enter and Space pick from the keyboard', async () => {
    answerWith(TIMES);
    const { el } = await inForm();
    slots(el)[0]!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.value).to.equal(TIMES[0]);
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.value).to.equal(TIMES[1]);
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.value).to.equal(null);
  });

  it('meetergo-slot-select is cancelable: preventDefault() keeps the old value, no change', async () => {
    answerWith(TIMES);
    const { el } = await inForm();
    slot(el, TIMES[0]!).click();
    let changes = 0;
    el.addEventListener('change', () => changes++);
    el.addEventListener('meetergo-slot-select', (e) => e.preventDefault());
    slot(el, TIMES[1]!).click();
    await el.updateComplete;
    expect(el.value).to.equal(TIMES[0]);
    expect(changes).to.equal(0);
  });

  it('submits the picked instant with the form; required blocks submission until a pick', async () => {
    answerWith(TIMES);
    const { form, el } = await inForm();
    expect(form.checkValidity()).to.equal(false);
    expect(el.validity.valueMissing).to.equal(true);
    expect(el.validationMessage).to.equal('Please choose a time.');
    let submitted: FormData | undefined;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      submitted = new FormData(form);
    });
    form.requestSubmit();
    expect(submitted).to.equal(undefined);
    slot(el, TIMES[1]!).click();
    await el.updateComplete;
    expect(form.checkValidity()).to.equal(true);
    form.requestSubmit();
    expect(Object.fromEntries(submitted!)).to.deep.equal({
      email: 'ada@example.com',
      start: TIMES[1],
    });
  });

  it('the required message follows the language', async () => {
    answerWith(TIMES);
    const { el } = await inForm();
    el.strings = { pickRequired: 'Bitte eine Zeit wählen.' };
    await el.updateComplete;
    expect(el.validationMessage).to.equal('Bitte eine Zeit wählen.');
  });

  it('a form reset clears the value', async () => {
    answerWith(TIMES);
    const { form, el } = await inForm();
    slot(el, TIMES[0]!).click();
    form.reset();
    await el.updateComplete;
    expect(el.value).to.equal(null);
    expect(slot(el, TIMES[0]!).getAttribute('aria-pressed')).to.equal('false');
    expect(new FormData(form).has('start')).to.equal(false);
  });

  it('a disabled fieldset disables it', async () => {
    answerWith(TIMES);
    const { form, el } = await inForm();
    const fieldset = form.querySelector('fieldset')!;
    fieldset.disabled = true;
    await el.updateComplete;
    expect(slots(el).every((s) => (s as HTMLButtonElement).disabled)).to.equal(true);
    expect(el.matches(':disabled')).to.equal(true);
    fieldset.disabled = false;
    await el.updateComplete;
    expect(slots(el).some((s) => (s as HTMLButtonElement).disabled)).to.equal(false);
  });

  it('value is settable to preselect (any ISO offset, shown as …Z)', async () => {
    answerWith(TIMES);
    const form = await fixture<HTMLFormElement>(
      html`<form>
        <meetergo-slots
          proxy-url=${PROXY}
          user-id=${USER}
          timezone="UTC"
          mode="pick"
          name="start"
          .value=${'2025-01-06T09:30:00+01:00'}
        ></meetergo-slots>
      </form>`,
    );
    const el = form.querySelector('meetergo-slots')!;
    await settled(el);
    expect(el.value).to.equal(TIMES[1]);
    expect(slot(el, TIMES[1]!).getAttribute('aria-pressed')).to.equal('true');
    expect(slot(el, TIMES[1]!).tabIndex).to.equal(0);
    expect(new FormData(form).get('start')).to.equal(TIMES[1]);
    let warnings: string[] = [];
    warnings = await captureWarnings(async () => {
      el.value = 'next tuesday';
      await el.updateComplete;
    });
    expect(el.value).to.equal(null);
    expect(warnings).to.have.length(1);
  });

  it('a picked time missing from a fresh answer is cleared, with change', async () => {
    answerWith(TIMES);
    const { el } = await inForm();
    slot(el, TIMES[1]!).click();
    await el.updateComplete;
    worker.resetHandlers();
    use(http.get(WINDOWS_PATH, () => HttpResponse.json({ windows: [TIMES[0], TIMES[2]] })));
    const changed = oneEvent(el, 'change');
    await el.refresh();
    await changed;
    expect(el.value).to.equal(null);
    expect(slots(el)).to.have.length(3 - 1);
  });
});
