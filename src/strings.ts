/** Every word the element shows. Values may hold `{placeholders}`. */
export interface SlotsStrings {
  /** Accessible name of the whole widget. */
  title: string;
  previous: string;
  next: string;
  /** Header text before the zone, e.g. "Times in {zone}". */
  timesIn: string;
  /** Label of the zone switcher. */
  changeTimezone: string;
  /** The button that opens the zone switcher. */
  changeZone: string;
  loading: string;
  /** The page has no slots. */
  empty: string;
  /** Jump to the next day that has slots: `{date}`. */
  jumpTo: string;
  /** Nothing found in the bounded search ahead. */
  noneAhead: string;
  error: string;
  retry: string;
  /** A refresh failed; `{time}` is when the shown slots were loaded. */
  stale: string;
  /** Accessible name of a slot: `{time}` and `{date}`. */
  slotLabel: string;
  /** A day without times, in layouts that show empty days. */
  noTimes: string;
  /** Configuration problem shown in the element: `{problem}`. */
  misconfigured: string;

  // ── Words the element's layouts, live region and pick mode use (element; words reconciles). ──
  /** The button that shows a day's hidden times: `{count}` is all times of that day. */
  showAll: string;
  /** Live region after a page loaded: `{range}` (e.g. "Jan 6 – 12") and `{count}` times. */
  pageCount: string;
  /** The same for one time (Intl.PluralRules category "one"). */
  pageOne: string;
  /** The same for no times. */
  pageNone: string;
  /** Live region while a page loads: `{range}`. */
  loadingRange: string;
  /** Accessible name of the narrow layout's day strip. */
  dayList: string;
  /** Label of the zone switcher's filter field. */
  searchZones: string;
  /** Pick mode: the message of a `required` picker with no time picked. */
  pickRequired: string;
}

const en: SlotsStrings = {
  title: 'Available times',
  previous: 'Previous days',
  next: 'Next days',
  timesIn: 'Times in {zone}',
  changeTimezone: 'Time zone',
  changeZone: 'Change time zone',
  loading: 'Loading available times…',
  empty: 'No available times on these days.',
  jumpTo: 'Next available: {date}',
  noneAhead: 'No available times in the coming weeks.',
  error: 'Available times could not be loaded.',
  retry: 'Retry',
  stale: 'Could not refresh. Showing times loaded at {time}.',
  slotLabel: '{time}, {date}',
  noTimes: 'No times',
  misconfigured: 'This scheduling widget is not set up correctly: {problem}',

  // ── Words the element's layouts, live region and pick mode use (element; words reconciles). ──
  showAll: 'Show all {count} times',
  pageCount: '{range}: {count} times',
  pageOne: '{range}: 1 time',
  pageNone: '{range}: no times',
  loadingRange: 'Loading {range}…',
  dayList: 'Days',
  searchZones: 'Search time zones',
  pickRequired: 'Please pick a time.',
};

const de: SlotsStrings = {
  ...en, // element: English until words adds the new German words
  title: 'Verfügbare Termine',
  previous: 'Vorherige Tage',
  next: 'Nächste Tage',
  timesIn: 'Zeiten in {zone}',
  changeTimezone: 'Zeitzone',
  changeZone: 'Zeitzone ändern',
  loading: 'Verfügbare Termine werden geladen…',
  empty: 'An diesen Tagen sind keine Termine frei.',
  jumpTo: 'Nächster freier Termin: {date}',
  noneAhead: 'In den nächsten Wochen sind keine Termine frei.',
  error: 'Die verfügbaren Termine konnten nicht geladen werden.',
  retry: 'Erneut versuchen',
  stale: 'Aktualisierung fehlgeschlagen. Angezeigt werden die Termine von {time}.',
  slotLabel: '{time}, {date}',
  noTimes: 'Keine Termine',
  misconfigured: 'Dieses Termin-Widget ist nicht richtig eingerichtet: {problem}',
};

const builtIn: Record<string, SlotsStrings> = { en, de };

/**
 * The words for `locale` (its language; English when not built in), with `overrides` applied.
 * Overrides that are not strings are ignored.
 */
export function resolveStrings(
  locale: string,
  overrides?: Partial<Record<keyof SlotsStrings, unknown>> | null,
): SlotsStrings {
  const language = locale.split('-')[0]?.toLowerCase() ?? 'en';
  const base = builtIn[language] ?? en;
  if (!overrides || typeof overrides !== 'object') return base;
  const merged = { ...base };
  for (const key of Object.keys(base) as (keyof SlotsStrings)[]) {
    const value = overrides[key];
    if (typeof value === 'string') merged[key] = value;
  }
  return merged;
}

/** Fill `{name}` placeholders of `template` from `values`. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}
