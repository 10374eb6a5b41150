import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { styles } from './meetergo-slots.styles.js';
import { SlotsRequestError, fetchWindows, isUuid, windowsUrl, type WindowsAnswer } from './api.js';
import { formatDayHeading, formatLongDate, formatTimes, formatZoneName } from './labels.js';
import {
  addDays,
  groupByDay,
  isIsoDate,
  isValidZone,
  pageDays,
  requestRange,
  todayIn,
  viewerZone,
  type DayGroup,
  type IsoDate,
} from './days.js';
import { buildSlotUrl, checkBookingUrl, utmParams } from './links.js';
import { fill, resolveStrings, type SlotsStrings } from './strings.js';
import {
  MeetergoSlotSelectEvent,
  MeetergoSlotsErrorEvent,
  MeetergoSlotsLoadEvent,
} from './events.js';

/** Everything one render needs, derived from the properties once per update. */
interface View {
  /** A configuration problem that prevents any request, shown in the element. */
  problem: string | null;
  zone: string;
  locale: string;
  hourCycle: 'h12' | 'h23' | undefined;
  today: IsoDate;
  days: IsoDate[];
  /** The request URL of this page, or `null` when `problem` is set. */
  url: string | null;
  strings: SlotsStrings;
  /** The remembered answer for `url`, placed on the page's days; `null` before one arrived. */
  shown: Shown | null;
}

/** A remembered answer placed on a page's days. */
interface Shown {
  answer: WindowsAnswer;
  /** When the answer arrived. */
  at: Date;
  groups: DayGroup[];
  /** How many slots the page shows. */
  count: number;
}

/** How far the empty state searches ahead for the next day with slots: chunks of days. */
const AHEAD_CHUNK_DAYS = 28;
const AHEAD_CHUNKS = 3;
/** How many answers are remembered, so going back is instant and a failed refresh keeps slots. */
const MEMO_SIZE = 24;

/**
 * A meetergo host's next bookable times, grouped by day in the viewer's time zone; every slot
 * is a real link into the host's booking page. Reads slots from your own backend proxy, so no
 * API key ever reaches the browser.
 *
 * @summary Bookable meetergo times as real links, in the viewer's time zone.
 * @tagname meetergo-slots
 *
 * @fires meetergo-slot-select - A viewer picked a slot. Cancelable: `preventDefault()` stops the navigation. `detail: { start, date, timezone, url }`.
 * @fires meetergo-slots-load - Slots for a page arrived and rendered. `detail: { startDate, endDate, timezone, count }`.
 * @fires meetergo-slots-error - A request failed or its answer was unusable. `detail: { message, status }`.
 *
 * @csspart header - The bar above the days: zone and navigation.
 * @csspart nav - The Previous / Next buttons' container.
 * @csspart timezone - The display zone's name and, unless locked, its switcher.
 * @csspart day - One day: its heading and its slots.
 * @csspart day-heading - A day's heading, holding `<time datetime="YYYY-MM-DD">`.
 * @csspart slot - One slot: the `<a>` (or `<button>`) itself, holding `<time datetime="…">`.
 * @csspart status - Loading, empty, error and stale notices.
 * @csspart retry - The Retry button.
 *
 * @cssprop --meetergo-slots-accent - Slot border and text colour; hover background.
 * @cssprop --meetergo-slots-accent-text - Text on the accent colour.
 * @cssprop --meetergo-slots-background - Background of the widget.
 * @cssprop --meetergo-slots-text - Main text colour.
 * @cssprop --meetergo-slots-muted - Secondary text colour.
 * @cssprop --meetergo-slots-border - Borders and placeholders.
 * @cssprop --meetergo-slots-radius - Corner radius.
 * @cssprop --meetergo-slots-font - Font family (default: inherited from the page).
 */
export class MeetergoSlots extends LitElement {
  static override styles = styles;

  /** Answers by request URL: instant Previous, and last good slots when a refresh fails. */
  private _memo = new Map<string, { answer: WindowsAnswer; at: Date }>();
  /** Keys of console warnings already given, so each problem warns once. */
  private _warned = new Set<string>();
  /** Aborted when the element leaves the document, so its request stops too. */
  private _connection = new AbortController();
  /** The last run was cut off by disconnection and must run again on reconnection. */
  private _interrupted = false;
  /** A page's answer arrived and must be announced once it has rendered. */
  private _announce = false;
  private _view!: View;
  /** What `_view.shown` was placed for: zone, page and minute. */
  private _placedKey = '';

  /** The first displayed day after Previous/Next or a jump; `undefined` follows `startDate`. */
  @state() private _pageStart: IsoDate | undefined;
  /** The zone the viewer picked in the switcher. */
  @state() private _chosenZone: string | undefined;
  /** The zone switcher is open; its few hundred options are rendered only then. */
  @state() private _zonePickerOpen = false;

  /** Base URL of your backend proxy; relative URLs resolve against the page. Required. */
  @property({ attribute: 'proxy-url' }) proxyUrl?: string;
  /** meetergo user id (UUID). Required. */
  @property({ attribute: 'user-id' }) userId?: string;
  /** meetergo meeting type id (UUID); sent upstream when set. */
  @property({ attribute: 'meeting-type-id' }) meetingTypeId?: string;
  /** Booking page; when absent or unusable, the proxy's `bookingUrl`; else slots are buttons. */
  @property({ attribute: 'booking-url' }) bookingUrl?: string;
  /** IANA zone the days and times are shown in; default: the viewer's. */
  @property() timezone?: string;
  /** Hide the viewer's zone switcher. */
  @property({ type: Boolean, attribute: 'timezone-locked' }) timezoneLocked = false;
  /** BCP 47 locale for dates, times and words; default: the page's `lang`, else the browser's. */
  @property() locale?: string;
  /** `h12` or `h23`; default: the locale's. */
  @property({ attribute: 'hour-cycle' }) hourCycle?: string;
  /** Days per page, 1–28; Previous/Next move by this many. */
  @property({ type: Number }) days = 7;
  /** First day shown, `YYYY-MM-DD`; default: today in the display zone. Days before today are never shown. */
  @property({ attribute: 'start-date' }) startDate?: string;
  /** `target` of slot links. */
  @property({ attribute: 'link-target' }) linkTarget = '_blank';
  /** `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  @property() theme = 'auto';
  /** Booking-form prefill (`firstname`, `lastname`, `email`, `phone`, …) appended to slot links. */
  @property({ attribute: false }) prefill?: Record<string, unknown> | null;
  /** Overrides for any UI text (see `SlotsStrings`). */
  @property({ attribute: false }) strings?: Partial<SlotsStrings> | null;

  private _task = new Task(this, {
    task: async ([url], { signal }) => {
      if (!url) return initialState;
      try {
        const answer = await fetchWindows(
          new URL(url),
          AbortSignal.any([signal, this._connection.signal]),
        );
        this._remember(url, answer);
        this._announce = true;
        return answer;
      } catch (error) {
        if (this._connection.signal.aborted && !signal.aborted) this._interrupted = true;
        throw error;
      }
    },
    args: () => [this._view?.url ?? null] as const,
    onError: (error) => {
      if (this._interrupted || isAbort(error)) return;
      const { message, status } =
        error instanceof SlotsRequestError ? error : { message: String(error), status: null };
      this.dispatchEvent(new MeetergoSlotsErrorEvent({ message, status }));
    },
  });

  /** Searches ahead for the next day with slots when a page has none. */
  private _aheadTask = new Task(this, {
    task: async ([base, from, zone], { signal }) => {
      if (!base || !from || !zone) return initialState;
      for (let chunk = 0; chunk < AHEAD_CHUNKS; chunk++) {
        const days = pageDays(
          addDays(from, chunk * AHEAD_CHUNK_DAYS),
          AHEAD_CHUNK_DAYS,
          zone,
          new Date(),
        );
        const url = this._urlFor(days, zone);
        if (!url) return null;
        const answer = await fetchWindows(
          new URL(url),
          AbortSignal.any([signal, this._connection.signal]),
        );
        const { groups } = groupByDay(answer.windows, zone, days, new Date());
        const found = groups.find((group) => group.slots.length > 0);
        if (found) return found.date;
      }
      return null;
    },
    args: () => {
      const view = this._view;
      const shown = this._task.status === TaskStatus.COMPLETE && view?.url;
      const empty = shown && view.shown?.count === 0;
      const last = view?.days.at(-1);
      return [
        empty ? view.url : null,
        empty && last ? addDays(last, 1) : null,
        view?.zone,
      ] as const;
    },
  });

  override connectedCallback(): void {
    super.connectedCallback();
    if (this._connection.signal.aborted) this._connection = new AbortController();
    if (this._interrupted) {
      this._interrupted = false;
      void this._task.run();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._connection.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('startDate') || changed.has('userId') || changed.has('meetingTypeId')) {
      this._pageStart = undefined;
    }
    if (changed.has('timezone')) this._chosenZone = undefined;
    this._view = this._deriveView();
  }

  protected override updated(): void {
    if (this._announce && this._task.status === TaskStatus.COMPLETE) {
      this._announce = false;
      const { days, zone } = this._view;
      const count = this._view.shown?.count ?? 0;
      this.dispatchEvent(
        new MeetergoSlotsLoadEvent({
          startDate: days[0]!,
          endDate: days.at(-1)!,
          timezone: zone,
          count,
        }),
      );
    }
  }

  private _deriveView(): View {
    const now = new Date();
    const locale = this._resolveLocale();
    const strings = resolveStrings(locale, this.strings);
    const zone = this._resolveZone();
    const today = todayIn(zone, now);
    let start = this._pageStart ?? this.startDate;
    if (start !== undefined && start !== this._pageStart && !isIsoDate(start)) {
      this._warn(
        `start-date:${start}`,
        `start-date "${start}" is not a YYYY-MM-DD day; showing today.`,
      );
      start = undefined;
    }
    const count = this._resolveDays();
    let days: IsoDate[];
    try {
      days = pageDays(start, count, zone, now);
    } catch {
      // A start so far ahead that the page would run past the year 9999.
      this._warn(`start-date:${start}`, `start-date "${start}" is out of range; showing today.`);
      days = pageDays(undefined, count, zone, now);
    }
    const problem = this._problem();
    const url = problem ? null : this._urlFor(days, zone);
    return {
      problem,
      zone,
      locale,
      hourCycle: this._resolveHourCycle(),
      today,
      days,
      url,
      strings,
      shown: this._place(url, zone, days, now),
    };
  }

  /** What stops any request: a missing or malformed required attribute. */
  private _problem(): string | null {
    let problem: string | null = null;
    if (!this.proxyUrl?.trim()) problem = 'the proxy-url attribute is missing.';
    else if (!this.userId?.trim()) problem = 'the user-id attribute is missing.';
    else if (!isUuid(this.userId.trim())) problem = `user-id "${this.userId}" is not a UUID.`;
    else if (this.meetingTypeId?.trim() && !isUuid(this.meetingTypeId.trim())) {
      problem = `meeting-type-id "${this.meetingTypeId}" is not a UUID.`;
    }
    if (problem) this._warn(`problem:${problem}`, problem);
    return problem;
  }

  private _urlFor(days: IsoDate[], zone: string): string | null {
    const { startDate, endDate } = requestRange(days);
    try {
      return windowsUrl(
        {
          proxyUrl: this.proxyUrl!.trim(),
          userId: this.userId!.trim(),
          meetingTypeId: this.meetingTypeId?.trim() || undefined,
          startDate,
          endDate,
          timezone: zone,
        },
        document.baseURI,
      ).href;
    } catch {
      this._warn(`proxy-url:${this.proxyUrl}`, `proxy-url "${this.proxyUrl}" is not a URL.`);
      return null;
    }
  }

  private _resolveZone(): string {
    if (this._chosenZone) return this._chosenZone;
    const zone = this.timezone?.trim();
    if (zone) {
      if (isValidZone(zone)) return zone;
      this._warn(
        `timezone:${zone}`,
        `timezone "${zone}" is not an IANA time zone; using the viewer's zone.`,
      );
    }
    return viewerZone();
  }

  private _resolveLocale(): string {
    const candidates = [this.locale, document.documentElement.lang, navigator.language, 'en'];
    for (const candidate of candidates) {
      if (!candidate?.trim()) continue;
      try {
        const [canonical] = Intl.getCanonicalLocales(candidate.trim());
        if (canonical) return canonical;
      } catch {
        if (candidate === this.locale) {
          this._warn(`locale:${candidate}`, `locale "${candidate}" is not a BCP 47 language tag.`);
        }
      }
    }
    return 'en';
  }

  private _resolveHourCycle(): 'h12' | 'h23' | undefined {
    const value = this.hourCycle?.trim();
    if (!value) return undefined;
    if (value === 'h12' || value === 'h23') return value;
    this._warn(
      `hour-cycle:${value}`,
      `hour-cycle "${value}" is neither h12 nor h23; using the locale's.`,
    );
    return undefined;
  }

  private _resolveDays(): number {
    const value = Number(this.days);
    if (Number.isInteger(value) && value >= 1 && value <= 28) return value;
    const fallback = Number.isFinite(value) ? Math.min(28, Math.max(1, Math.round(value))) : 7;
    const raw = this.getAttribute('days') ?? String(this.days);
    this._warn(
      `days:${raw}`,
      `days "${raw}" is not a whole number from 1 to 28; using ${fallback}.`,
    );
    return fallback;
  }

  /** The booking page slots link to, or `null` (slots are buttons). */
  private _bookingBase(answer: WindowsAnswer | undefined): URL | null {
    const own = this.bookingUrl?.trim();
    if (own) {
      const check = checkBookingUrl(own);
      if (check.ok) return check.url;
      this._warn(`booking-url:${own}`, `booking-url is not used: ${check.reason}`);
    }
    if (answer?.bookingUrl) {
      const check = checkBookingUrl(answer.bookingUrl);
      if (check.ok) return check.url;
      this._warn(
        `proxy-booking-url:${answer.bookingUrl}`,
        `the proxy's bookingUrl is not used: ${check.reason}`,
      );
    }
    return null;
  }

  private _remember(url: string, answer: WindowsAnswer): void {
    this._memo.delete(url);
    this._memo.set(url, { answer, at: new Date() });
    if (this._memo.size > MEMO_SIZE) this._memo.delete(this._memo.keys().next().value!);
  }

  /**
   * The remembered answer for `url` placed on `days`: computed once per answer, zone, page and
   * minute (past slots drop out as time goes by), not on every update.
   */
  private _place(url: string | null, zone: string, days: IsoDate[], now: Date): Shown | null {
    const remembered = url ? this._memo.get(url) : undefined;
    if (!remembered) return null;
    const key = `${zone}|${days[0]}|${days.length}|${Math.floor(now.getTime() / 60_000)}`;
    const previous = this._view?.shown;
    if (previous && previous.answer === remembered.answer && this._placedKey === key)
      return previous;
    this._placedKey = key;
    const { groups } = groupByDay(remembered.answer.windows, zone, days, now);
    const count = groups.reduce((sum, group) => sum + group.slots.length, 0);
    return { answer: remembered.answer, at: remembered.at, groups, count };
  }

  private _warn(key: string, message: string): void {
    if (this._warned.has(key)) return;
    this._warned.add(key);
    console.warn(`<meetergo-slots>: ${message}`);
  }

  private _go(start: IsoDate): void {
    this._pageStart = start < this._view.today ? this._view.today : start;
  }

  private _onPrevious(): void {
    this._go(addDays(this._view.days[0]!, -this._view.days.length));
  }

  private _onNext(): void {
    // From the day after the last one shown: a page skips days that never existed in its zone.
    this._go(addDays(this._view.days.at(-1)!, 1));
  }

  private _onZoneChange(event: Event): void {
    const zone = (event.target as HTMLSelectElement).value;
    if (isValidZone(zone)) this._chosenZone = zone;
  }

  private _onSlotClick(event: MouseEvent): void {
    const slot = event
      .composedPath()
      .find(
        (node): node is HTMLElement => node instanceof HTMLElement && node.part.contains('slot'),
      );
    if (!slot) return;
    const select = new MeetergoSlotSelectEvent({
      start: slot.dataset['start']!,
      date: slot.dataset['date']!,
      timezone: this._view.zone,
      url: slot instanceof HTMLAnchorElement ? slot.href : null,
    });
    this.dispatchEvent(select);
    if (select.defaultPrevented) event.preventDefault();
  }

  /** Fetch the current page again (e.g. after the host's availability changed). */
  refresh(): Promise<void> {
    return this._task.run();
  }

  private _renderHeader(view: View): TemplateResult {
    const { strings } = view;
    const zoneName = formatZoneName(view.zone, view.locale, new Date());
    const atStart = view.days[0]! <= view.today;
    return html`<div part="header">
      <div part="timezone">
        <span>${fill(strings.timesIn, { zone: zoneName })}</span>
        ${this.timezoneLocked ? nothing : this._renderZoneSwitcher(view)}
      </div>
      <div part="nav">
        <button
          type="button"
          aria-label=${strings.previous}
          ?disabled=${atStart}
          @click=${this._onPrevious}
        >
          ‹
        </button>
        <button type="button" aria-label=${strings.next} @click=${this._onNext}>›</button>
      </div>
    </div>`;
  }

  private async _openZonePicker(): Promise<void> {
    this._zonePickerOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector('select')?.focus();
  }

  private _renderZoneSwitcher(view: View): TemplateResult {
    if (!this._zonePickerOpen) {
      return html`<button type="button" class="change-zone" @click=${this._openZonePicker}>
        ${view.strings.changeZone}
      </button>`;
    }
    const zones = supportedZones();
    const list = zones.includes(view.zone) ? zones : [view.zone, ...zones];
    return html`<select aria-label=${view.strings.changeTimezone} @change=${this._onZoneChange}>
      ${list.map(
        (zone) =>
          html`<option value=${zone} ?selected=${zone === view.zone}>
            ${zone.replaceAll('_', ' ')}
          </option>`,
      )}
    </select>`;
  }

  private _renderDays(view: View, groups: DayGroup[], base: URL | null): TemplateResult {
    const utm = base ? utmParams(location.href) : [];
    const target = this.linkTarget?.trim() || '_blank';
    const rel = target === '_blank' ? 'noopener noreferrer' : nothing;
    return html`<div class="days">
      ${groups
        .filter((group) => group.slots.length > 0)
        .map((group) => {
          const longDate = formatLongDate(group.date, view.locale);
          const times = formatTimes(group.slots, view.zone, view.locale, view.hourCycle);
          return html`<section part="day">
            <h3 part="day-heading">
              <time datetime=${group.date}>${formatDayHeading(group.date, view.locale)}</time>
            </h3>
            <div class="slots">
              ${group.slots.map((slot, index) => {
                const label = fill(view.strings.slotLabel, { time: times[index]!, date: longDate });
                const time = html`<time datetime=${slot.start}>${times[index]}</time>`;
                if (!base) {
                  return html`<button
                    type="button"
                    part="slot"
                    aria-label=${label}
                    data-start=${slot.start}
                    data-date=${slot.date}
                    @click=${this._onSlotClick}
                  >
                    ${time}
                  </button>`;
                }
                const href = buildSlotUrl(base, {
                  date: slot.date,
                  slot: slot.start,
                  timezone: view.zone,
                  utm,
                  prefill: this.prefill,
                });
                return html`<a
                  part="slot"
                  href=${href}
                  target=${target}
                  rel=${rel}
                  aria-label=${label}
                  data-start=${slot.start}
                  data-date=${slot.date}
                  @click=${this._onSlotClick}
                  >${time}</a
                >`;
              })}
            </div>
          </section>`;
        })}
    </div>`;
  }

  private _renderPlaceholder(view: View): TemplateResult {
    const columns = Math.min(view.days.length, 5);
    return html`<div class="days" aria-hidden="true">
      ${Array.from(
        { length: columns },
        () =>
          html`<div part="day">
            <span class="placeholder heading"></span>
            ${[0, 1, 2, 3].map(() => html`<span class="placeholder"></span>`)}
          </div>`,
      )}
    </div>`;
  }

  private _renderEmpty(view: View): TemplateResult {
    const next = this._aheadTask.status === TaskStatus.COMPLETE ? this._aheadTask.value : undefined;
    return html`<div part="status" role="status">
      <span>${view.strings.empty}</span>
      ${
        next
          ? html`<button type="button" class="jump" @click=${() => this._go(next)}>
              ${fill(view.strings.jumpTo, { date: formatLongDate(next, view.locale) })}
            </button>`
          : next === null
            ? html`<span>${view.strings.noneAhead}</span>`
            : nothing
      }
    </div>`;
  }

  override render(): TemplateResult {
    const view = this._view;
    const theme = this.theme === 'dark' || this.theme === 'light' ? this.theme : 'auto';
    const busy = this._task.status === TaskStatus.PENDING;
    return html`<div
      class="root ${theme}"
      role="region"
      aria-label=${view.strings.title}
      aria-busy=${busy ? 'true' : 'false'}
      lang=${view.locale}
    >
      ${this._renderHeader(view)} ${this._renderBody(view)}
    </div>`;
  }

  private _renderBody(view: View): TemplateResult {
    const { strings } = view;
    if (view.problem) {
      return html`<div part="status" role="status">
        ${fill(strings.misconfigured, { problem: view.problem })}
      </div>`;
    }
    const shown = view.shown;
    const status = this._task.status;
    if (!shown) {
      if (status === TaskStatus.ERROR) {
        return html`<div part="status" role="alert">
          <span>${strings.error}</span>
          <button type="button" part="retry" @click=${() => this._task.run()}>
            ${strings.retry}
          </button>
        </div>`;
      }
      return html`<span class="visually-hidden" role="status">${strings.loading}</span>
        ${this._renderPlaceholder(view)}`;
    }
    const { groups } = shown;
    const base = this._bookingBase(shown.answer);
    const stale =
      status === TaskStatus.ERROR
        ? html`<div part="status" role="alert">
            <span>
              ${fill(strings.stale, {
                time: shown.at.toLocaleTimeString(view.locale, {
                  hour: 'numeric',
                  minute: '2-digit',
                  timeZone: view.zone,
                }),
              })}
            </span>
            <button type="button" part="retry" @click=${() => this._task.run()}>
              ${strings.retry}
            </button>
          </div>`
        : nothing;
    const empty = groups.every((group) => group.slots.length === 0);
    return html`${stale}
    ${empty && status !== TaskStatus.PENDING ? this._renderEmpty(view) : nothing}
    ${this._renderDays(view, groups, base)}`;
  }
}

let zoneList: string[] | undefined;
/** Every IANA zone the browser knows, computed once. */
function supportedZones(): string[] {
  zoneList ??=
    (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ??
    [];
  return zoneList;
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof DOMException && (error.name === 'AbortError' || error.name === 'TimeoutError')
  );
}

declare global {
  interface HTMLElementTagNameMap {
    'meetergo-slots': MeetergoSlots;
  }
}

if (!customElements.get('meetergo-slots')) customElements.define('meetergo-slots', MeetergoSlots);
