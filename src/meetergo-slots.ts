import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus } from '@lit/task';
import { styles } from './meetergo-slots.styles.js';
import { SlotsRequestError, markPhase, requestWindows, sameAnswer } from './api.js';
import { addDays, groupByDay, viewerZone, type IsoDate } from './days.js';
import { canonicalZone } from './protocol.js';
import { fill, type SlotsStrings } from './strings.js';
import { matchZones, zoneChoices, type ZoneGroup } from './zones.js';
import {
  deriveConfig,
  earlyUrl,
  present,
  serves,
  type Config,
  type DayView,
  type Shown,
  type SlotView,
  type View,
  type ViewInput,
  type Warning,
} from './view.js';
import {
  MeetergoSlotSelectEvent,
  MeetergoSlotsErrorEvent,
  MeetergoSlotsLoadEvent,
} from './events.js';

/** How far the empty state searches ahead for the next day with slots: chunks of days. */
const AHEAD_CHUNK_DAYS = 28;
const AHEAD_CHUNKS = 3;
/** How many answers are remembered, so going back is instant and a failed refresh keeps slots. */
const MEMO_SIZE = 24;
/** A remembered answer younger than this is shown without asking again. */
const FRESH_MS = 60_000;
/** Seconds before each retry after a transient failure (network, timeout, 429, 5xx). */
const RETRY_DELAYS = [1, 2, 4, 8, 16, 32];
/** How long the first render waits for the first answer before it shows the loading state. */
const HOLD_MS = 100;
/** The element's width (in rem) from which the page's days stand side by side. */
const WIDE_REM = 36;

interface Remembered extends Shown {
  url: string;
}

/**
 * A meetergo host's next bookable times, grouped by day in the viewer's time zone; every slot
 * is a real link into the host's booking page (or, in `pick` mode, a choice in your own form).
 * Reads slots from your own backend proxy, so no API key ever reaches the browser.
 *
 * @summary Bookable meetergo times as real links or a form field, in the viewer's time zone.
 * @tagname meetergo-slots
 *
 * @fires {MeetergoSlotSelectEvent} meetergo-slot-select - A viewer picked a slot. Cancelable: `preventDefault()` stops the navigation (in `pick` mode: keeps the old value). `detail: { start, date, timezone, url }`.
 * @fires {MeetergoSlotsLoadEvent} meetergo-slots-load - Slots for a page arrived and rendered. `detail: { startDate, endDate, timezone, count }`.
 * @fires {MeetergoSlotsErrorEvent} meetergo-slots-error - A request failed or its answer was unusable. `detail: { message, status }`.
 * @fires {Event} change - In `pick` mode, the viewer picked, replaced or cleared the value (also when a fresh answer no longer holds it).
 *
 * @csspart header - The bar above the days: zone and navigation.
 * @csspart nav - The Previous / Next buttons and the page's dates.
 * @csspart timezone - The display zone's name and, unless locked, its switcher.
 * @csspart day - One day: its heading and its times (`day today` for today).
 * @csspart day-empty - Wide layout: a day of the page without times (`day-empty today` for today).
 * @csspart day-heading - A day's heading, holding `<time datetime="YYYY-MM-DD">`.
 * @csspart day-tab - Narrow layout: one day of the day strip (`day-tab selected`, `day-tab today`).
 * @csspart slot - One slot: the `<a>` (or `<button>`) itself, holding `<time datetime="…">` (`slot picked` in pick mode).
 * @csspart more - The "Show all N times" button of a day.
 * @csspart status - A notice: `status loading`, `status empty`, `status error`, `status stale`, `status misconfigured`.
 * @csspart retry - The Retry button.
 *
 * @cssprop [--meetergo-slots-accent=#0b5cd5 (dark: #8ab4ff)] - Slot border and text; picked and hovered slot background.
 * @cssprop [--meetergo-slots-accent-text=#ffffff (dark: #0b1220)] - Text on the accent colour.
 * @cssprop [--meetergo-slots-background=#ffffff (dark: #1c1d21)] - Background of the widget.
 * @cssprop [--meetergo-slots-text=#1d1d1f (dark: #f1f3f4)] - Main text colour.
 * @cssprop [--meetergo-slots-muted=#5f6368 (dark: #a8adb4)] - Secondary text colour.
 * @cssprop [--meetergo-slots-border=#d2d5da (dark: #3c4043)] - Borders and placeholders.
 * @cssprop [--meetergo-slots-radius=0.5rem] - Corner radius.
 * @cssprop [--meetergo-slots-font=inherit] - Font family.
 */
export class MeetergoSlots extends LitElement {
  static override styles = styles;
  /** Form-associated, so `pick` mode takes part in the page's own form. */
  static formAssociated = true;

  private _task = new Task<[string, boolean], Remembered>(this, {
    autoRun: false,
    task: async ([url, fresh], { signal }) => {
      try {
        const answer = await requestWindows(
          url,
          AbortSignal.any([signal, this._connection.signal]),
          { fresh },
        );
        return { url, answer, at: new Date() };
      } catch (error) {
        if (this._connection.signal.aborted && !signal.aborted) this._interrupted = true;
        throw error;
      }
    },
    onComplete: (result) => {
      this._remember(result);
      this._retries = 0;
      this._arrived = true;
    },
    onError: (error) => {
      if (this._interrupted || isAbort(error)) return;
      const { message, status } =
        error instanceof SlotsRequestError ? error : { message: String(error), status: null };
      this.dispatchEvent(new MeetergoSlotsErrorEvent({ message, status }));
      this._scheduleRetry(status, message);
    },
  });

  /** Searches ahead for the next day with slots when a page has none (run by `willUpdate`). */
  private _aheadTask = new Task<[IsoDate], IsoDate | null>(this, {
    autoRun: false,
    task: async ([from], { signal }) => {
      for (let chunk = 0; chunk < AHEAD_CHUNKS; chunk++) {
        const config = deriveConfig({
          ...this._input(),
          pageStart: addDays(from, chunk * AHEAD_CHUNK_DAYS),
          days: AHEAD_CHUNK_DAYS,
          chosenZone: this._config.zone,
        });
        if (!config.url) return null;
        const answer = await requestWindows(
          config.url,
          AbortSignal.any([signal, this._connection.signal]),
        );
        const { groups } = groupByDay(answer.windows, config.zone, config.days, config.now);
        const found = groups.find((group) => group.slots.length > 0);
        if (found) return found.date;
      }
      return null;
    },
  });
  /** The empty page the search ahead last ran for ('' while the page is not empty). */
  private _aheadFor = '';

  private _internals = this.attachInternals();
  /** Answers by request URL, newest last: instant Previous, zone changes without a request, last good slots. */
  private _memo = new Map<string, Remembered>();
  /** Keys of console warnings already given, so each problem warns once. */
  private _warned = new Set<string>();
  /** Aborted when the element leaves the document, so its requests stop too. */
  private _connection = new AbortController();
  /** The last run was cut off by disconnection and must run again on reconnection. */
  private _interrupted = false;
  /** The request URL the task last ran for. */
  private _runUrl: string | null = null;
  /** An answer arrived and must be reported once it has rendered. */
  private _arrived = false;
  /** The page last reported by `meetergo-slots-load`. */
  private _loadedPage = '';
  /** Which page `_expanded` and `_selected` belong to. */
  private _page = '';
  private _retries = 0;
  private _retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where focus goes after the next update(s): `true` = the page's Tab stop once loaded; or a selector. */
  private _focusNext: true | string | null = null;
  /** Focus was inside before this update. */
  private _hadFocus = false;
  /** The value was cleared by a fresh answer: `change` is due. */
  private _lostValue = false;
  private _resize: ResizeObserver | undefined;
  /** Holds the first request open from before the first update's `Intl` work until the task joins it. */
  private _early: AbortController | undefined;
  private _config!: Config;
  private _view!: View;
  private _zones: ZoneGroup[] = [];

  /** The first displayed day after Previous/Next or a jump; `undefined` follows `startDate`. */
  @state() private _pageStart: IsoDate | undefined;
  /** The zone the viewer picked in the switcher. */
  @state() private _chosenZone: string | undefined;
  /** The zone switcher is open; its few hundred options are rendered only then. */
  @state() private _zonePickerOpen = false;
  /** What the viewer typed into the switcher's filter. */
  @state() private _zoneQuery = '';
  /** The element is narrower than 36rem: day strip above one day's times. */
  @state() private _narrow = false;
  /** The chosen day of the day strip. */
  @state() private _selected: IsoDate | undefined;
  /** Days whose hidden times the viewer asked for. */
  @state() private _expanded: ReadonlySet<IsoDate> = new Set();
  /** The slot holding the page's one Tab stop (roving tabindex). */
  @state() private _active: string | undefined;
  /** A disabled `<fieldset>` around the element disables it (pick mode). */
  @state() private _formDisabled = false;

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
  /** 12- or 24-hour times; default: the locale's. */
  @property({ attribute: 'hour-cycle' }) hourCycle?: 'h12' | 'h23';
  /** Days per page, 1–28; Previous/Next move by this many. */
  @property({ type: Number }) days = 7;
  /** First day shown, `YYYY-MM-DD`; default: today in the display zone. Days before today are never shown. */
  @property({ attribute: 'start-date' }) startDate?: string;
  /** `target` of slot links; links that open a new browsing context carry `rel="noopener noreferrer"`. */
  @property({ attribute: 'link-target' }) linkTarget = '_blank';
  /** Times a day shows before a "Show all N times" button; `0` shows all. */
  @property({ type: Number, attribute: 'visible-per-day' }) visiblePerDay = 8;
  /** Level (1–6) of the day headings, to fit the page's outline. */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 2;
  /** `link`: slots link into the booking page; `pick`: slots pick a time for the enclosing form. */
  @property() mode: 'link' | 'pick' = 'link';
  /** Pick mode: the form field name the picked instant is submitted as. */
  @property({ reflect: true }) name?: string;
  /** Pick mode: the enclosing form is invalid until a time is picked. */
  @property({ type: Boolean }) required = false;
  /** Pick mode: the picked start instant (ISO 8601 UTC, `…Z`), or `null`. Settable to preselect. */
  @property({ attribute: false }) value: string | null = null;
  /** Colour scheme; `auto` follows `prefers-color-scheme`. */
  @property() theme: 'light' | 'dark' | 'auto' = 'auto';
  /** Booking-form prefill (`firstname`, `lastname`, `email`, `phone`, …) appended to slot links. */
  @property({ attribute: false }) prefill?: Record<string, string | number | boolean> | null;
  /** Overrides for any UI text (see `SlotsStrings`). */
  @property({ attribute: false }) strings?: Partial<SlotsStrings> | null;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this._connection.signal.aborted) this._connection = new AbortController();
    addEventListener('online', this._onOnline);
    this._observe();
    if (this._interrupted) {
      this._interrupted = false;
      this._run();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._connection.abort();
    removeEventListener('online', this._onOnline);
    clearTimeout(this._retryTimer);
    this._resize?.disconnect();
  }

  /**
   * The first update waits up to `HOLD_MS` for the first request: a quick answer renders at
   * once, without a placeholder frame first (and its layout) delaying it; a slow one shows
   * the loading state.
   */
  protected override scheduleUpdate(): void | Promise<unknown> {
    if (this.hasUpdated) return super.scheduleUpdate();
    this._startEarly();
    this._config = deriveConfig(this._input()); // `Intl`'s start-up while the request runs
    this._run(); // the task joins the early request (or starts the request)
    const update = () => super.scheduleUpdate();
    const hold = new Promise((done) => setTimeout(done, HOLD_MS));
    return Promise.race([this._task.taskComplete, hold]).then(update, update);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('startDate') || changed.has('userId') || changed.has('meetingTypeId')) {
      this._pageStart = undefined;
    }
    if (changed.has('timezone')) this._chosenZone = undefined;
    const config = deriveConfig(this._input());
    this._warn(config.warnings);
    if (this.value !== config.value) this.value = config.value;
    this._config = config;
    const page = `${config.days[0]}|${config.days.length}|${config.zone}|${config.url}`;
    if (page !== this._page) {
      this._page = page;
      this._expanded = new Set();
      this._selected = undefined;
    }
    const shown = this._lookup(config);
    const { url } = config;
    if (url && url !== this._runUrl && (!shown || +config.now - +shown.at > FRESH_MS)) this._run();
    // The task has joined the early request (or, for another URL, it is dropped).
    this._early?.abort();
    this._early = undefined;
    const mine = url !== null && url === this._runUrl;
    const status = this._task.status;
    const ahead =
      this._aheadTask.status === TaskStatus.COMPLETE ? this._aheadTask.value : undefined;
    const view = present(config, shown, {
      narrow: this._narrow,
      selected: this._selected,
      expanded: this._expanded,
      active: this._active,
      busy: mine && status === TaskStatus.PENDING,
      failed: mine && status === TaskStatus.ERROR,
      ahead: ahead && ahead <= config.days.at(-1)! ? undefined : ahead,
    });
    this._warn(view.warnings);
    // Only an empty page searches ahead, so other pages cost no extra updates.
    const aheadFor = view.state === 'empty' && !view.busy ? `${config.days.at(-1)}|${url}` : '';
    if (aheadFor !== this._aheadFor) {
      this._aheadFor = aheadFor;
      if (aheadFor) void this._aheadTask.run([addDays(config.days.at(-1)!, 1)]);
      else if (this._aheadTask.status === TaskStatus.PENDING) this._aheadTask.abort();
    }
    if (view.lostValue) {
      this.value = config.value = null;
      this._lostValue = true;
    }
    this._view = view;
    // The switcher's few hundred zones are listed only while it is open.
    this._zones = this._zonePickerOpen
      ? matchZones(
          zoneChoices(config.locale, +config.now, config.ownZone, config.strings),
          this._zoneQuery,
        )
      : [];
    this._hadFocus = !!this.shadowRoot?.activeElement;
  }

  protected override firstUpdated(): void {
    this._observe();
  }

  protected override updated(): void {
    const view = this._view;
    // The one Tab stop among the slots (roving tabindex), moved here rather than bound on every slot.
    const stop = this.renderRoot.querySelector('[data-start][tabindex="0"]');
    const active = this.renderRoot.querySelector(`[data-start="${view.active}"]`);
    if (stop !== active) {
      stop?.setAttribute('tabindex', '-1');
      active?.setAttribute('tabindex', '0');
    }
    const states = this._internals.states;
    for (const name of ['loading', 'empty', 'error', 'stale', 'loaded', 'misconfigured']) {
      try {
        if (name === view.state) states.add(name);
        else states.delete(name);
      } catch {
        // A browser without custom states: the parts still carry them.
      }
    }
    this._syncForm();
    if (this._lostValue) {
      this._lostValue = false;
      this.dispatchEvent(new Event('change', { bubbles: true }));
    }
    const page = `${this._page}|${this._memoFor()?.url}`;
    if (
      (view.state === 'loaded' || view.state === 'empty') &&
      (this._arrived || page !== this._loadedPage)
    ) {
      this._arrived = false;
      this._loadedPage = page;
      const count = view.days.reduce((sum, day) => sum + day.count, 0);
      markPhase('rendered', { count });
      const { days, zone } = view.config;
      const loaded = new MeetergoSlotsLoadEvent({
        startDate: days[0]!,
        endDate: days.at(-1)!,
        timezone: zone,
        count,
      });
      this.dispatchEvent(loaded);
    }
    this._restoreFocus();
  }

  formResetCallback(): void {
    this.value = null;
  }

  formDisabledCallback(disabled: boolean): void {
    this._formDisabled = disabled;
  }

  formStateRestoreCallback(saved: unknown): void {
    this.value = typeof saved === 'string' ? saved : null;
  }

  private _onOnline = (): void => {
    const { state } = this._view ?? {};
    if (state === 'error' || state === 'stale') this._run(true);
  };

  private _onPrevious(event: Event): void {
    if ((event.currentTarget as HTMLElement).getAttribute('aria-disabled') === 'true') return;
    this._go(addDays(this._config.days[0]!, -this._config.days.length));
  }

  private _onNext(): void {
    // From the day after the last one shown: a page skips days that never existed in its zone.
    this._go(addDays(this._config.days.at(-1)!, 1));
  }

  private _onRetry(): void {
    this._focusNext = true;
    this._run(true);
  }

  private _onJump(date: IsoDate): void {
    this._focusNext = true;
    this._go(date);
  }

  private async _onOpenZones(): Promise<void> {
    this._zonePickerOpen = true;
    await this.updateComplete;
    this.renderRoot.querySelector('select')?.focus();
  }

  private _onZoneChange(event: Event): void {
    const zone = canonicalZone((event.target as HTMLSelectElement).value);
    if (zone) this._chosenZone = zone;
  }

  private _onZoneQuery(event: Event): void {
    this._zoneQuery = (event.target as HTMLInputElement).value;
  }

  /** One listener for every slot, day tab and "Show all" button. */
  private _onClick(event: MouseEvent): void {
    const target = (event.target as Element).closest<HTMLElement>(
      '[data-start],[data-tab],[data-more]',
    );
    if (!target) return;
    const { start, tab, more } = target.dataset;
    const date = target.parentElement?.dataset['date'];
    if (tab) {
      this._selected = tab;
      this._active = undefined;
      return;
    }
    if (more) {
      const day = this._view.days.find((d) => d.date === more);
      this._expanded = new Set([...this._expanded, more]);
      this._focusNext = `[data-date="${more}"] > :nth-child(${(day?.slots.length ?? 0) + 1})`;
      return;
    }
    this._active = start;
    const pick = this._config.mode === 'pick';
    const select = new MeetergoSlotSelectEvent({
      start: start!,
      date: date!,
      timezone: this._config.zone,
      url: target instanceof HTMLAnchorElement ? target.href : null,
    });
    this.dispatchEvent(select);
    if (select.defaultPrevented) event.preventDefault();
    else if (pick) {
      this.value = this.value === start ? null : start!;
      this._syncForm();
      this.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }

  /** Arrow keys, Home and End within the slots (one Tab stop) and the day strip. */
  private async _onKeyDown(event: KeyboardEvent): Promise<void> {
    const key = event.key;
    const moves: Record<string, number> = {
      ArrowUp: -1,
      ArrowDown: 1,
      ArrowLeft: -1,
      ArrowRight: 1,
    };
    if (!(key in moves) && key !== 'Home' && key !== 'End') return;
    const target = event.target as HTMLElement;
    const days = this._view.days;
    if (target.dataset['tab']) {
      event.preventDefault();
      const open = days.filter((day) => day.count);
      const i = open.findIndex((day) => day.date === target.dataset['tab']);
      const next =
        key === 'Home'
          ? open[0]
          : key === 'End'
            ? open.at(-1)
            : key.includes('Up') || key.includes('Down')
              ? undefined
              : open[i + moves[key]!];
      if (next) {
        this._selected = next.date;
        this._active = undefined;
        this._focusNext = `[data-tab="${next.date}"]`;
      }
      return;
    }
    const start = target.dataset['start'];
    if (!start) return;
    event.preventDefault();
    const d = days.findIndex((day) => day.slots.some((slot) => slot.start === start));
    const slots = days[d]!.slots;
    const i = slots.findIndex((slot) => slot.start === start);
    let next: SlotView | undefined;
    if (key === 'Home') next = slots[0];
    else if (key === 'End') next = slots.at(-1);
    else if (key === 'ArrowUp' || key === 'ArrowDown') next = slots[i + moves[key]!];
    else {
      const step = moves[key]!;
      let n = d + step;
      while (days[n] && !days[n]!.count) n += step;
      const day = days[n];
      if (!day) return;
      const at = timeOfDay(slots[i]!);
      if (this._narrow) {
        this._selected = day.date;
        this._active = undefined;
        await this.updateComplete;
      }
      next = nearest(this._view.days[n]!, at);
    }
    if (!next) return;
    this._active = next.start;
    this._focusNext = `[data-start="${next.start}"]`;
  }

  /** Fetch the current page again (e.g. after the host's availability changed). */
  refresh(): Promise<void> {
    this._run(true);
    return this._task.taskComplete.then(
      () => undefined,
      () => undefined,
    );
  }

  /** Pick mode: the enclosing form, as for built-in controls. */
  get form(): HTMLFormElement | null {
    return this._internals.form;
  }

  /** Pick mode: the validity state (`valueMissing` when `required` and nothing is picked). */
  get validity(): ValidityState {
    return this._internals.validity;
  }

  /** Pick mode: the localized message of an invalid picker. */
  get validationMessage(): string {
    return this._internals.validationMessage;
  }

  checkValidity(): boolean {
    return this._internals.checkValidity();
  }

  reportValidity(): boolean {
    return this._internals.reportValidity();
  }

  /** The viewer's zone is read only when asked for: it costs the first `Intl` call. */
  private _input(zone = currentViewerZone()): ViewInput {
    return {
      proxyUrl: this.proxyUrl,
      userId: this.userId,
      meetingTypeId: this.meetingTypeId,
      bookingUrl: this.bookingUrl,
      timezone: this.timezone,
      locale: this.locale,
      hourCycle: this.hourCycle,
      days: this._number('days', 'days'),
      startDate: this.startDate,
      linkTarget: this.linkTarget,
      visiblePerDay: this._number('visiblePerDay', 'visible-per-day'),
      mode: this.mode,
      theme: this.theme,
      headingLevel: this._number('headingLevel', 'heading-level'),
      prefill: this.prefill,
      strings: this.strings,
      value: this.value,
      pageStart: this._pageStart,
      chosenZone: this._chosenZone,
      now: new Date(),
      viewerZone: zone,
      pageLang: document.documentElement.lang,
      browserLang: navigator.language,
      pageUrl: location.href,
      baseUrl: document.baseURI,
    };
  }

  /** A number property, or its attribute's text when that is no number (so the warning names it). */
  private _number(name: 'days' | 'visiblePerDay' | 'headingLevel', attribute: string): unknown {
    return Number.isNaN(this[name]) ? this.getAttribute(attribute) : this[name];
  }

  /** Start the first request before any `Intl` work, when its URL is known without (`earlyUrl`). */
  private _startEarly(): void {
    const url = earlyUrl(this._input(''));
    if (!url) return;
    this._early = new AbortController();
    requestWindows(url, AbortSignal.any([this._early.signal, this._connection.signal])).catch(
      () => undefined, // the task reports failures
    );
  }

  /** Start the request of the current page (and stop a scheduled retry); `fresh` skips shared answers. */
  private _run(fresh = false): void {
    const url = this._config?.url;
    clearTimeout(this._retryTimer);
    if (!url) return;
    if (url !== this._runUrl) this._retries = 0;
    this._runUrl = url;
    void this._task.run([url, fresh]);
  }

  /** After a transient failure, try again with a growing delay; never after a 4xx but 429. */
  private _scheduleRetry(status: number | null, message: string): void {
    const transient = status === null ? !/answer/i.test(message) : status === 429 || status >= 500;
    const delay = RETRY_DELAYS[this._retries];
    if (!transient || delay === undefined || !this.isConnected) return;
    this._retries++;
    const url = this._runUrl;
    this._retryTimer = setTimeout(() => {
      if (url && url === this._runUrl && url === this._config.url) void this._task.run([url, true]);
    }, delay * 1000);
  }

  private _remember(result: Remembered): void {
    const old = this._memo.get(result.url);
    if (old && sameAnswer(old.answer, result.answer)) result.answer = old.answer;
    this._memo.delete(result.url);
    this._memo.set(result.url, result);
    if (this._memo.size > MEMO_SIZE) this._memo.delete(this._memo.keys().next().value!);
  }

  /** The remembered answer for this page: its own, else the newest that covers its days. */
  private _lookup(config: Config): Remembered | null {
    if (!config.url) return null;
    const own = this._memo.get(config.url);
    if (own) return own;
    const all = [...this._memo.values()];
    for (let i = all.length - 1; i >= 0; i--) {
      if (serves(all[i]!.url, config)) return all[i]!;
    }
    return null;
  }

  private _memoFor(): Remembered | null {
    return this._config ? this._lookup(this._config) : null;
  }

  private _warn(warnings: Warning[]): void {
    for (const [key, message] of warnings) {
      if (this._warned.has(key)) continue;
      this._warned.add(key);
      console.warn(`<meetergo-slots>: ${message}`);
    }
  }

  private _go(start: IsoDate): void {
    this._pageStart = start < this._config.today ? this._config.today : start;
  }

  /** Measure the element's own width (never the viewport's) with a zero-height gauge. */
  private _observe(): void {
    const gauge = this.renderRoot?.querySelector?.('.gauge');
    if (!gauge) return;
    this._resize ??= new ResizeObserver(([entry]) => {
      const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
      const narrow = entry!.contentRect.width < WIDE_REM * rem;
      if (narrow !== this._narrow) this._narrow = narrow;
    });
    this._resize.observe(gauge);
  }

  private _syncForm(): void {
    const view = this._view;
    if (!view) return;
    const pick = view.config.mode === 'pick';
    const value = pick ? this.value : null;
    this._internals.setFormValue(value);
    const anchor = this.renderRoot.querySelector<HTMLElement>('[tabindex="0"][data-start], .root');
    if (pick && this.required && !value && anchor) {
      this._internals.setValidity({ valueMissing: true }, view.config.strings.pickRequired, anchor);
    } else this._internals.setValidity({});
  }

  /** Focus never falls to `<body>`: after a jump or Retry it moves to the page's Tab stop. */
  private _restoreFocus(): void {
    const root = this.renderRoot as ShadowRoot;
    const next = this._focusNext;
    let target: HTMLElement | null = null;
    if (typeof next === 'string') {
      target = root.querySelector(next);
      this._focusNext = null;
    } else if (next && !this._view.busy && this._view.state !== 'loading') {
      target = this._tabStop();
      this._focusNext = null;
    }
    if (!target && this._hadFocus && !root.activeElement) target = this._tabStop();
    target?.focus();
  }

  /** The page's Tab stop: its active slot, else the notice's button, the chosen day, the region. */
  private _tabStop(): HTMLElement | null {
    for (const selector of [
      '[data-start][tabindex="0"]',
      '.jump',
      '[part~="retry"]',
      '[aria-selected="true"]',
      '.root',
    ]) {
      const found = this.renderRoot.querySelector<HTMLElement>(selector);
      if (found) return found;
    }
    return null;
  }

  private _renderHeader(view: View): TemplateResult {
    const { strings } = view.config;
    return html`<div part="header">
      <div part="timezone">
        <span>${fillZone(strings.timesIn, view.zoneLabel)}</span>
        ${this.timezoneLocked ? nothing : this._renderZoneSwitcher(view)}
      </div>
      <div part="nav">
        <button
          type="button"
          aria-label=${strings.previous}
          aria-disabled=${view.atStart ? 'true' : 'false'}
          @click=${this._onPrevious}
        >
          ‹
        </button>
        <span class="range">${view.range}</span>
        <button type="button" aria-label=${strings.next} @click=${this._onNext}>›</button>
      </div>
    </div>`;
  }

  private _renderZoneSwitcher(view: View): TemplateResult {
    const { strings, zone } = view.config;
    if (!this._zonePickerOpen) {
      return html`<button type="button" class="change-zone" @click=${this._onOpenZones}>
        ${strings.changeZone}
      </button>`;
    }
    return html`<select aria-label=${strings.changeTimezone} @change=${this._onZoneChange}>
        ${this._zones.map(
          (group) =>
            html`<optgroup label=${group.name}>
              ${group.zones.map(
                (choice) =>
                  html`<option value=${choice.zone} ?selected=${choice.zone === zone}>
                    ${choice.label}
                  </option>`,
              )}
            </optgroup>`,
        )}
      </select>
      <input
        type="search"
        aria-label=${strings.searchZones}
        placeholder=${strings.searchZonesPlaceholder}
        .value=${this._zoneQuery}
        @input=${this._onZoneQuery}
      />
      ${this._zones.length ? nothing : html`<span>${fill(strings.zoneNoMatch, { query: this._zoneQuery })}</span>`}`;
  }

  private _renderSlot(slot: SlotView, view: View): TemplateResult {
    const part = slot.picked ? 'slot picked' : 'slot';
    const { config } = view;
    return slot.href !== null
      ? html`<a
          part=${part}
          href=${slot.href}
          target=${config.target}
          rel=${config.rel ?? nothing}
          aria-label=${slot.label}
          tabindex="-1"
          data-start=${slot.start}
          ><time datetime=${slot.start}>${slot.time}</time></a
        >`
      : html`<button
          type="button"
          part=${part}
          aria-label=${slot.label}
          aria-pressed=${config.mode === 'pick' ? String(slot.picked) : nothing}
          ?disabled=${config.mode === 'pick' && this._formDisabled}
          tabindex="-1"
          data-start=${slot.start}
        >
          <time datetime=${slot.start}>${slot.time}</time>
        </button>`;
  }

  private _renderDay(day: DayView, view: View, tabpanel = false): TemplateResult {
    const { strings, headingLevel } = view.config;
    return html`<section
      part=${`${day.count ? 'day' : 'day-empty'}${day.today ? ' today' : ''}`}
      role=${tabpanel ? 'tabpanel' : nothing}
      aria-labelledby=${tabpanel ? `tab-${day.date}` : nothing}
    >
      <div part="day-heading" role="heading" aria-level=${headingLevel}>
        <time datetime=${day.date}>${day.heading}</time>
      </div>
      ${
        day.count
          ? html`<div class="slots" data-date=${day.date}>
              ${day.slots.map((slot) => this._renderSlot(slot, view))}
            </div>`
          : html`<span class="none">${strings.noTimes}</span>`
      }
      ${
        day.more
          ? html`<button type="button" part="more" data-more=${day.date}>${day.more}</button>`
          : nothing
      }
    </section>`;
  }

  private _renderDays(view: View): TemplateResult {
    const { locale, strings } = view.config;
    if (!this._narrow) {
      return html`<div class="days wide" lang=${locale}>
        ${view.days.map((day) => this._renderDay(day, view))}
      </div>`;
    }
    const chosen = view.days.find((day) => day.date === view.selected);
    return html`<div class="strip" role="tablist" aria-label=${strings.dayList} lang=${locale}>
        ${view.days.map((day) => {
          const selected = day.date === view.selected;
          const part = `day-tab${selected ? ' selected' : ''}${day.today ? ' today' : ''}`;
          return html`<button
            type="button"
            role="tab"
            id=${`tab-${day.date}`}
            part=${part}
            aria-selected=${selected ? 'true' : 'false'}
            tabindex=${selected ? '0' : '-1'}
            ?disabled=${!day.count}
            aria-label=${
              day.count
                ? nothing
                : fill(strings.dayTabEmpty, { day: `${day.weekday} ${day.dayOfMonth}` })
            }
            data-tab=${day.date}
          >
            <span>${day.weekday}</span> <b>${day.dayOfMonth}</b>
          </button>`;
        })}
      </div>
      <div class="narrow" lang=${locale}>
        ${chosen ? this._renderDay(chosen, view, true) : nothing}
      </div>`;
  }

  /**
   * A placeholder the size of a loaded page: a day strip and a day's grid, or day columns. It
   * pulses as one block (one composited layer, not one per cell), from half a second on.
   */
  private _renderPlaceholder(view: View): TemplateResult {
    const rows = Math.min(view.config.visiblePerDay || 8, 8);
    const cells = (n: number) =>
      Array.from({ length: n }, () => html`<span class="placeholder"></span>`);
    if (this._narrow) {
      return html`<div class="pulse" aria-hidden="true">
        <span class="placeholder strip-placeholder"></span>
        <div class="days grid">${cells(rows)}</div>
      </div>`;
    }
    return html`<div class="days wide pulse" aria-hidden="true">
      ${Array.from(
        { length: Math.min(view.config.days.length, 7) },
        () =>
          html`<div class="placeholder-day">
            <span class="placeholder heading"></span>${cells(rows)}
          </div>`,
      )}
    </div>`;
  }

  private _renderBody(view: View): TemplateResult | TemplateResult[] {
    const { strings, problem } = view.config;
    switch (view.state) {
      case 'misconfigured':
        return html`<div part="status misconfigured">
          ${strings.misconfigured.replace('{problem}', () => problem!)}
        </div>`;
      case 'loading':
        return html`<span part="status loading" class="visually-hidden">${strings.loading}</span>
          ${this._renderPlaceholder(view)}`;
      case 'error':
        return html`<div part="status error" role="alert">
          <span>${strings.error}</span>
          <button type="button" part="retry" @click=${this._onRetry}>${strings.retry}</button>
        </div>`;
      case 'empty': {
        const jump = view.jump;
        return html`<div part="status empty">
          <span>${strings.empty}</span>
          ${
            jump
              ? html`<button type="button" class="jump" @click=${() => this._onJump(jump.date)}>
                  ${jump.label}
                </button>`
              : jump === null
                ? html`<span>${strings.noneAhead}</span>`
                : nothing
          }
        </div>`;
      }
      case 'stale':
        return [
          html`<div part="status stale" role="alert">
            <span>${view.stale}</span>
            <button type="button" part="retry" @click=${this._onRetry}>${strings.retry}</button>
          </div>`,
          this._renderDays(view),
        ];
      default:
        return this._renderDays(view);
    }
  }

  override render(): TemplateResult {
    const view = this._view;
    const { config } = view;
    return html`<div
      class="root ${config.theme}"
      role="region"
      tabindex="-1"
      aria-label=${config.strings.title}
      aria-busy=${view.busy || view.state === 'loading' ? 'true' : 'false'}
      lang=${config.lang}
      @click=${this._onClick}
      @keydown=${this._onKeyDown}
    >
      <div class="gauge"></div>
      ${this._renderHeader(view)} ${this._renderBody(view)}
      <div class="visually-hidden" role="status">${view.live}</div>
    </div>`;
  }
}

let viewer: string | undefined;
/**
 * The viewer's zone, read once per task for every instance (each read makes an
 * `Intl.DateTimeFormat`); the zone can change between tasks (the OS, devtools' emulation).
 */
function currentViewerZone(): string {
  if (viewer === undefined) {
    viewer = viewerZone();
    setTimeout(() => (viewer = undefined));
  }
  return viewer;
}

/** `{zone}` filled without touching the rest (the zone label may hold `{`). */
function fillZone(template: string, zone: string): string {
  return template.replace('{zone}', () => zone);
}

/** Milliseconds from the slot's UTC midnight: what "the nearest time in the next day" compares. */
function timeOfDay(slot: SlotView): number {
  return Date.parse(slot.start) - Date.parse(`${slot.date}T00:00:00Z`);
}

function nearest(day: DayView, at: number): SlotView | undefined {
  let best: SlotView | undefined;
  for (const slot of day.slots) {
    if (!best || Math.abs(timeOfDay(slot) - at) < Math.abs(timeOfDay(best) - at)) best = slot;
  }
  return best;
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
