// The full chain with nothing mocked: the element in Chromium → HTTP → the reference proxy
// (built) → the stand-in of meetergo's API (built), mounted on the test server at /api/stand-in.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/meetergo-slots.js';
import type { MeetergoSlots } from '../../src/meetergo-slots.js';
import { dayIn } from '../calendar.js';
import { rendered, settled, slots } from './helpers.js';

const BERLIN_HOST = '550e8400-e29b-41d4-a716-446655440000';
const BERLIN_MEETING = '770e8400-e29b-41d4-a716-446655440002';
const UNKNOWN_USER = '550e8400-e29b-41d4-a716-44665544ffff';

describe('<meetergo-slots> → reference proxy → stand-in', () => {
  it("shows the seeded Berlin host's weekday 9:00–17:00 slots, linked to the proxy's booking URL", async () => {
    const loaded = oneEvent(document, 'meetergo-slots-load');
    const el = await fixture<MeetergoSlots>(
      html`<meetergo-slots
        proxy-url="/api/stand-in"
        user-id=${BERLIN_HOST}
        meeting-type-id=${BERLIN_MEETING}
        timezone="Europe/Berlin"
        days="7"
        visible-per-day="0"
      ></meetergo-slots>`,
    );
    const { detail } = await loaded;
    await settled(el);
    const days = rendered(el);
    const all = Object.values(days).flat();
    expect(detail.count).to.equal(all.length);
    // Seven days always hold at least four whole weekdays of 16 half-hour slots each.
    expect(all.length).to.be.greaterThan(4 * 16 - 1);
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    for (const [date, starts] of Object.entries(days)) {
      for (const start of starts) {
        const [weekday, time] = berlin.format(new Date(start)).split(' ');
        expect(['Sat', 'Sun']).to.not.include(weekday);
        expect(time! >= '09:00' && time! <= '16:30', `${start} at ${time}`).to.equal(true);
        expect(new Date(start).getTime()).to.be.greaterThan(Date.now());
        const day = dayIn('Europe/Berlin', new Date(start));
        expect(day).to.equal(date);
      }
    }
    const href = new URL((slots(el)[0] as HTMLAnchorElement).href);
    expect(href.origin + href.pathname).to.equal(
      'https://cal.meetergo.com/john-smith/30min-meeting',
    );
  });

  it('reports an unknown host as the proxy answers it: a 404 error event and Retry', async () => {
    const failed = oneEvent(document, 'meetergo-slots-error');
    const el = await fixture<MeetergoSlots>(
      html`<meetergo-slots
        proxy-url="/api/stand-in"
        user-id=${UNKNOWN_USER}
        timezone="UTC"
      ></meetergo-slots>`,
    );
    const { detail } = await failed;
    expect(detail.status).to.equal(404);
    expect(detail.message).to.be.a('string').and.not.equal('');
    await settled(el);
    expect(el.shadowRoot!.querySelector('[part~="retry"]')).to.not.equal(null);
  });
});
