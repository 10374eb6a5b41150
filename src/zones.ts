/**
 * Time zones as a person reads them: a city with its current UTC offset ("Kolkata (UTC+5:30)"),
 * the zone switcher's choices grouped by region, and finding a zone by typing (README
 * "Languages"). Names are current IANA names (`canonicalZone`), even where the runtime still
 * reports a legacy one (`Asia/Calcutta`). No DOM.
 */

import { offsetAt } from './days.js';
import { canonicalZone } from './protocol.js';
import { resolveStrings, type SlotsStrings } from './strings.js';

/** A region of the zone switcher: the first segment of an IANA name, or `Other`. */
export type ZoneRegion =
  | 'Africa'
  | 'America'
  | 'Antarctica'
  | 'Asia'
  | 'Atlantic'
  | 'Australia'
  | 'Europe'
  | 'Indian'
  | 'Pacific'
  | 'Other';

/** One zone of the switcher. */
export interface ZoneChoice {
  /** Current IANA name (`Asia/Kolkata`): the `<option>` value. */
  readonly zone: string;
  /** The city as a person reads it: "Kolkata", "Buenos Aires, Argentina", "UTC". */
  readonly city: string;
  /** The current offset: "UTC+5:30", "UTC−5" (with a minus sign), "UTC" for zero. */
  readonly offset: string;
  /** The current offset in minutes east of UTC. */
  readonly offsetMinutes: number;
  /** City and offset: "Kolkata (UTC+5:30)", or "UTC". */
  readonly label: string;
  /** The region it is listed under (for the own zone: where it would be). */
  readonly region: ZoneRegion;
  /** Legacy names the runtime reports for it (`Asia/Calcutta`), found by typing too. */
  readonly aliases: readonly string[];
  /** What `matchZones` searches: every name above, case- and accent-folded. */
  readonly search: string;
}

/** A group of the switcher: the viewer's own zone, or one region. */
export interface ZoneGroup {
  /** `own` for the group of the viewer's own zone (listed first), else the region. */
  readonly region: ZoneRegion | 'own';
  /** Its localized name ("Your time zone", "Europa", …), for `<optgroup label>`. */
  readonly name: string;
  /** Its zones, sorted by offset, then by city. */
  readonly zones: readonly ZoneChoice[];
}

const REGIONS: readonly ZoneRegion[] = [
  'Africa',
  'America',
  'Antarctica',
  'Asia',
  'Atlantic',
  'Australia',
  'Europe',
  'Indian',
  'Pacific',
  'Other',
];
const REGION_SET: ReadonlySet<string> = new Set(REGIONS);
const MINUS = '\u2212';
const MINUTE_MS = 60_000;
/**
 * Offsets change only at transitions, and every transition in today's rules falls on a quarter
 * hour of UTC (local whole hours in zones whose offsets are multiples of 15 minutes), so
 * choices computed for one quarter hour hold for all of it.
 */
const QUARTER_HOUR_MS = 15 * MINUTE_MS;

// ───────────────────────────── Offsets ─────────────────────────────

/**
 * Minutes east of UTC of a (valid, canonical) zone at `at`, rounded (old local mean times had
 * seconds); from the formatter the day maths already made for the zone.
 */
function offsetMinutesOf(zone: string, at: number): number {
  return Math.round(offsetAt(zone, at)) || 0;
}

/** "UTC+5:30", "UTC−5", "UTC" for zero. */
function offsetText(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const sign = minutes > 0 ? '+' : MINUS;
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = Math.abs(minutes) % 60;
  return `UTC${sign}${hours}${rest === 0 ? '' : `:${String(rest).padStart(2, '0')}`}`;
}

// ───────────────────────────── Names ─────────────────────────────

/** The region of a canonical zone. */
function regionOf(zone: string): ZoneRegion {
  const first = zone.split('/')[0]!;
  return zone.includes('/') && REGION_SET.has(first) ? (first as ZoneRegion) : 'Other';
}

/** Zones named by their offset rather than a city: `UTC`, `Etc/GMT+5`, `GMT`. */
function isOffsetZone(zone: string): boolean {
  return !zone.includes('/') || zone.startsWith('Etc/');
}

/**
 * The city of a canonical zone: its last segment with spaces (`Asia/Ho_Chi_Minh` → "Ho Chi
 * Minh"), followed by the state or country for the zones IANA files under one
 * (`America/Indiana/Knox` → "Knox, Indiana"). The platform has no localized city names, so
 * these are IANA's (English) ones in every language.
 */
function cityOf(zone: string): string {
  const parts = zone.split('/').map((part) => part.replaceAll('_', ' '));
  if (parts.length >= 3) return `${parts[parts.length - 1]}, ${parts[parts.length - 2]}`;
  return parts[parts.length - 1]!;
}

function labelOf(zone: string, offset: string): string {
  return isOffsetZone(zone) ? offset : `${cityOf(zone)} (${offset})`;
}

const LABEL_CACHE_LIMIT = 2048;
const labels = new Map<string, string>();

/**
 * A zone as a person reads it: the city with the current UTC offset at `at` (epoch ms), e.g.
 * "Kolkata (UTC+5:30)", "New York (UTC−5)", "London (UTC)"; "UTC" for UTC, and the offset alone
 * for `Etc/…` zones. Legacy names read as their current ones (`Asia/Calcutta` → "Kolkata");
 * a name the runtime does not know is returned as it is. Offsets are written the same in every
 * locale ("UTC" is how booking sites in all six built-in languages write them); `locale` is
 * for localized city names where a runtime offers them. Cached.
 */
export function zoneLabel(zone: string, locale: string, at: number): string {
  const current = canonicalZone(zone);
  if (current === undefined) return String(zone);
  const minutes = Number.isFinite(at) ? offsetMinutesOf(current, at) : 0;
  const key = `${locale}|${current}|${minutes}`;
  let label = labels.get(key);
  if (label === undefined) {
    label = labelOf(current, offsetText(minutes));
    if (labels.size >= LABEL_CACHE_LIMIT) labels.clear();
    labels.set(key, label);
  }
  return label;
}

// ───────────────────────────── Searching ─────────────────────────────

/** Case-, accent- and dash-insensitive text: "Zürich" → "zurich", "UTC−5" → "utc-5", GMT → UTC. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2212\u2010-\u2015]/g, '-')
    .replaceAll('_', ' ')
    .replaceAll('gmt', 'utc');
}

/** Every way a person may type an offset: "utc+5:30", "utc+05:30", "utc+0530"; zero as +0. */
function offsetSpellings(minutes: number): string[] {
  const sign = minutes < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(minutes) / 60);
  const rest = String(Math.abs(minutes) % 60).padStart(2, '0');
  const padded = String(hours).padStart(2, '0');
  const spellings = [`utc${sign}${hours}:${rest}`, `utc${sign}${padded}:${rest}`];
  spellings.push(`utc${sign}${padded}${rest}`);
  if (rest === '00') spellings.push(`utc${sign}${hours}`, `utc${sign}${padded}`);
  if (minutes === 0) spellings.push('utc-0:00', 'utc-00:00', 'utc±0');
  return spellings;
}

/**
 * The groups narrowed to the zones whose city, region, IANA name (current or legacy) or offset
 * holds every word of `query`, ignoring case and accents ("kolk", "new y", "+5:30", "berlin",
 * "zurich", "calcutta", "gmt-5"); groups left empty are dropped. An empty query keeps all.
 */
export function matchZones(groups: readonly ZoneGroup[], query: string): ZoneGroup[] {
  const words = fold(String(query ?? ''))
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.length === 0) return [...groups];
  const matched: ZoneGroup[] = [];
  for (const group of groups) {
    const zones = group.zones.filter((choice) =>
      words.every((word) => choice.search.includes(word)),
    );
    if (zones.length > 0) matched.push({ ...group, zones });
  }
  return matched;
}

// ───────────────────────────── Choices ─────────────────────────────

/** Every canonical zone the runtime knows, with the legacy names it reports for each. */
let knownZones: ReadonlyMap<string, readonly string[]> | undefined;

function allZones(): ReadonlyMap<string, readonly string[]> {
  if (knownZones) return knownZones;
  const reported =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const zones = new Map<string, string[]>([['UTC', []]]);
  for (const name of reported) {
    const current = canonicalZone(name);
    if (current === undefined) continue;
    const aliases = zones.get(current) ?? [];
    if (name !== current && !aliases.includes(name)) aliases.push(name);
    zones.set(current, aliases);
  }
  knownZones = zones;
  return zones;
}

function regionName(strings: SlotsStrings, region: ZoneRegion): string {
  return strings[`region${region}`];
}

function choiceOf(
  zone: string,
  aliases: readonly string[],
  at: number,
  strings: SlotsStrings,
): ZoneChoice {
  const offsetMinutes = offsetMinutesOf(zone, at);
  const offset = offsetText(offsetMinutes);
  const region = regionOf(zone);
  const city = cityOf(zone);
  const names = [city, zone, ...aliases, region, regionName(strings, region), offset];
  return {
    zone,
    city,
    offset,
    offsetMinutes,
    label: labelOf(zone, offset),
    region,
    aliases,
    search: fold([...names, ...offsetSpellings(offsetMinutes)].join('\n')),
  };
}

const CHOICES_CACHE_LIMIT = 4;
const choicesCache = new Map<string, ZoneGroup[]>();

/**
 * The zone switcher's choices at `at` (epoch ms): every zone the runtime knows
 * (`Intl.supportedValuesOf('timeZone')` and `UTC`), each once under its current IANA name,
 * grouped by region (localized names from `strings`, default: the built-in words for
 * `locale`) in the order Africa, America, Antarctica, Asia, Atlantic, Australia, Europe,
 * Indian Ocean, Pacific, Other; sorted by offset, then city, within a region. The viewer's
 * `ownZone` (when valid) comes first, in a group of its own ("Your time zone"), and not again
 * in its region. Costly (a formatter per zone), so computed when first asked for and cached per
 * locale, own zone, words and quarter hour; call it when the switcher opens. Treat the result as
 * read-only: it is shared.
 */
export function zoneChoices(
  locale: string,
  at: number,
  ownZone: string,
  strings: SlotsStrings = resolveStrings(locale),
): ZoneGroup[] {
  const own = canonicalZone(ownZone);
  const time = Number.isFinite(at) ? at : 0;
  const quarter = Math.floor(time / QUARTER_HOUR_MS);
  const names = [strings.yourZone, ...REGIONS.map((region) => regionName(strings, region))];
  const key = [locale, own ?? '', quarter, ...names].join('\u0000');
  const cached = choicesCache.get(key);
  if (cached) return cached;

  // Offsets are read at the start of the quarter hour, so every `at` in it gets the same answer.
  const start = quarter * QUARTER_HOUR_MS;
  const byRegion = new Map<ZoneRegion, ZoneChoice[]>(REGIONS.map((region) => [region, []]));
  let ownChoice: ZoneChoice | undefined;
  const zones = allZones();
  for (const [zone, aliases] of zones) {
    const choice = choiceOf(zone, aliases, start, strings);
    if (zone === own) ownChoice = choice;
    else byRegion.get(choice.region)!.push(choice);
  }
  if (own !== undefined && ownChoice === undefined) ownChoice = choiceOf(own, [], start, strings);

  let collator: Intl.Collator;
  try {
    collator = new Intl.Collator(locale);
  } catch {
    collator = new Intl.Collator('en');
  }
  const groups: ZoneGroup[] = [];
  if (ownChoice) groups.push({ region: 'own', name: strings.yourZone, zones: [ownChoice] });
  for (const region of REGIONS) {
    const list = byRegion.get(region)!;
    if (list.length === 0) continue;
    list.sort(
      (a, b) =>
        a.offsetMinutes - b.offsetMinutes ||
        collator.compare(a.city, b.city) ||
        (a.zone < b.zone ? -1 : 1),
    );
    groups.push({ region, name: regionName(strings, region), zones: list });
  }
  if (choicesCache.size >= CHOICES_CACHE_LIMIT) {
    choicesCache.delete(choicesCache.keys().next().value as string);
  }
  choicesCache.set(key, groups);
  return groups;
}
