/**
 * Localized labels for <meetergo-slots>, from cached `Intl` formatters: day headings, long
 * dates for accessible names, start times (with the hour cycle asked for, and told apart at a
 * DST fall-back), and zone names. Building an `Intl.DateTimeFormat` costs as much as
 * formatting 50 times with one, so each is made once per locale, zone and options.
 *
 * A `locale` that is no well-formed BCP 47 tag falls back to the runtime's default; a `date`
 * that is no real `YYYY-MM-DD` day, or an unknown zone, is a RangeError (zone names never
 * throw: they fall back to the zone itself).
 */
import { cached, type IsoDate, type Slot } from './days.js';
import { DAY_MS, canonicalZone, parseDay } from './protocol.js';

const formats = new Map<string, Intl.DateTimeFormat>();
const canonicalLocales = new Map<string, string | undefined>();

/** A cached Intl.DateTimeFormat, keyed by what tells its options apart. */
function dateTimeFormat(
  key: string,
  locale: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  return cached(formats, key, () => new Intl.DateTimeFormat(locale, options));
}

function canonicalLocale(locale: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(locale)[0];
  } catch {
    return undefined;
  }
}

/** `locale` when it is a well-formed BCP 47 tag, else `undefined` (the runtime's default). */
function safeLocale(locale: string): string | undefined {
  if (typeof locale !== 'string') return undefined;
  return cached(canonicalLocales, locale, () => canonicalLocale(locale));
}

/** Midnight UTC of a real `YYYY-MM-DD` day, or a RangeError. */
function midnightOf(date: IsoDate): number {
  const day = parseDay(date);
  if (day === undefined) throw new RangeError(`Not a YYYY-MM-DD day: ${String(date)}`);
  return day * DAY_MS;
}

/** Localized day heading in `locale`, e.g. `Mon, Jan 15` / `Mo., 15. Jan.` (weekday, day, month). */
export function formatDayHeading(date: IsoDate, locale: string): string {
  const loc = safeLocale(locale);
  return dateTimeFormat(`heading ${loc ?? ''}`, loc, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(midnightOf(date));
}

/** Long date for accessible names, e.g. `Monday, January 15, 2024`. */
export function formatLongDate(date: IsoDate, locale: string): string {
  const loc = safeLocale(locale);
  return dateTimeFormat(`long ${loc ?? ''}`, loc, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(midnightOf(date));
}

/** The zone-name part of `epoch` formatted with `format` (`''` when there is none). */
function zoneNameAt(format: Intl.DateTimeFormat, epoch: number): string {
  return format.formatToParts(epoch).find((part) => part.type === 'timeZoneName')?.value ?? '';
}

/**
 * Localized start times of a day's slots, in the same order as `slots`. When two different
 * instants of one day have the same wall time (a DST fall-back), both labels carry the zone's
 * offset or short name so they are told apart (e.g. `1:30 AM EDT` / `1:30 AM EST`).
 * The suffix is the locale's short zone name (`EDT`, `MESZ`, `GMT-4`).
 */
export function formatTimes(
  slots: readonly Slot[],
  zone: string,
  locale: string,
  hourCycle: 'h12' | 'h23' | undefined,
): string[] {
  if (canonicalZone(zone) === undefined) throw new RangeError(`Unknown time zone: ${zone}`);
  const loc = safeLocale(locale);
  const time = dateTimeFormat(`time ${loc ?? ''} ${hourCycle} ${zone}`, loc, {
    hour: 'numeric',
    minute: '2-digit',
    hourCycle,
    timeZone: zone,
  });
  const labels = slots.map((slot) => time.format(slot.epoch));
  // A label is ambiguous when it stands for two different instants.
  const firstInstant = new Map<string, number>();
  const ambiguous = new Set<string>();
  labels.forEach((label, i) => {
    const instant = firstInstant.get(label);
    if (instant === undefined) firstInstant.set(label, slots[i].epoch);
    else if (instant !== slots[i].epoch) ambiguous.add(label);
  });
  if (ambiguous.size === 0) return labels;
  // ICU writes `GMT-4`-style short names wherever an abbreviation would not tell offsets apart.
  const short = dateTimeFormat(`short ${loc ?? ''} ${zone}`, loc, {
    timeZone: zone,
    timeZoneName: 'short',
  });
  return labels.map((label, i) =>
    ambiguous.has(label) ? `${label} ${zoneNameAt(short, slots[i].epoch)}` : label,
  );
}

/**
 * A readable name of the zone for the header: the locale's generic zone name, plus the
 * IANA city when the name does not already contain it, e.g. `Central European Time (Berlin)`,
 * `Eastern Time (New York)`, `Nepal Time (Kathmandu)`, `Coordinated Universal Time`,
 * `GMT-12:00`. Never throws: falls back to `zone` itself.
 */
export function formatZoneName(zone: string, locale: string, now: Date): string {
  if (canonicalZone(zone) === undefined) return typeof zone === 'string' ? zone : '';
  const loc = safeLocale(locale);
  const nameIn = (timeZoneName: 'longGeneric' | 'long'): string => {
    try {
      const format = dateTimeFormat(`${timeZoneName} ${loc ?? ''} ${zone}`, loc, {
        timeZone: zone,
        timeZoneName,
      });
      return zoneNameAt(format, +now);
    } catch {
      return '';
    }
  };
  let name = nameIn('longGeneric');
  // Zones without a generic name (UTC, Etc/GMT+5) get an offset here; their long name reads better.
  if (name === '' || /\d/.test(name)) name = nameIn('long') || name;
  if (name === '') return zone;
  const city =
    zone.includes('/') && !zone.startsWith('Etc/')
      ? zone.slice(zone.lastIndexOf('/') + 1).replaceAll('_', ' ')
      : '';
  const letters = (text: string): string => text.toLowerCase().replace(/[^\p{L}]/gu, '');
  return city && !letters(name).includes(letters(city)) ? `${name} (${city})` : name;
}
