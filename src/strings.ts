/**
 * The element's words in its six built-in languages, and their lookup (README "Languages").
 * No DOM; the element formats dates and numbers itself, with the viewer's locale.
 */

/**
 * Every word the element shows. Values may hold `{placeholders}`, filled with `fill` (or, for
 * words that depend on a number, `fillCount`). A word that depends on a number has an *other*
 * form (`pageCount`, `showAll`) and may have a *one* form (`pageOne`, `showAllOne`) and an
 * explicit *zero* form (`pageNone`, `showAllZero`); languages with more plural forms can add
 * `pageTwo`/`pageFew`/`pageMany` and `showAllTwo`/`showAllFew`/`showAllMany` through
 * `strings`. `fillCount` picks the form with `Intl.PluralRules`.
 */
export interface SlotsStrings {
  /** Accessible name of the whole widget: "Available times". */
  title: string;
  /** The Previous button's accessible name: "Previous days". */
  previous: string;
  /** The Next button's accessible name: "Next days". */
  next: string;
  /** Header text naming the display zone: "Times in {zone}" (`{zone}`: the zone's label). */
  timesIn: string;
  /** Label of the zone switcher: "Time zone". */
  changeTimezone: string;
  /** The button that opens the zone switcher: "Change time zone". */
  changeZone: string;
  /** Search box of the zone switcher, its accessible name: "Search time zones". */
  searchZones: string;
  /** Placeholder of that search box: "City or UTC offset". */
  searchZonesPlaceholder: string;
  /** No zone matches what the viewer typed: "No time zone matches “{query}”." */
  zoneNoMatch: string;
  /** Zone switcher group that holds the viewer's own zone: "Your time zone". */
  yourZone: string;
  /** Zone switcher region group: zones `Africa/…`. */
  regionAfrica: string;
  /** Zone switcher region group: zones `America/…` (North and South). */
  regionAmerica: string;
  /** Zone switcher region group: zones `Antarctica/…`. */
  regionAntarctica: string;
  /** Zone switcher region group: zones `Asia/…`. */
  regionAsia: string;
  /** Zone switcher region group: zones `Atlantic/…`. */
  regionAtlantic: string;
  /** Zone switcher region group: zones `Australia/…`. */
  regionAustralia: string;
  /** Zone switcher region group: zones `Europe/…`. */
  regionEurope: string;
  /** Zone switcher region group: zones `Indian/…` ("Indian Ocean"). */
  regionIndian: string;
  /** Zone switcher region group: zones `Pacific/…`. */
  regionPacific: string;
  /** Zone switcher region group: every other zone (`UTC`, `Arctic/Longyearbyen`, …). */
  regionOther: string;
  /** Loading placeholder without a known range: "Loading available times…". */
  loading: string;
  /** Loading a page, announced after Previous/Next: "Loading times for {range}…". */
  loadingRange: string;
  /**
   * Polite announcement of a loaded page (other form): "{range}: {count} times"
   * (`{range}`: the page's first and last day; `{count}`: the number of times).
   */
  pageCount: string;
  /** Its one form: "{range}: {count} time". */
  pageOne: string;
  /** Its zero form: "{range}: no available times". */
  pageNone: string;
  /** The page has no slots. */
  empty: string;
  /** Jump to the next day that has slots: "Next available: {date}". */
  jumpTo: string;
  /** Nothing found in the bounded search ahead. */
  noneAhead: string;
  /** A request failed: "Available times could not be loaded." */
  error: string;
  /** The Retry button. */
  retry: string;
  /** An automatic retry is under way: "Retrying…". */
  retrying: string;
  /** The browser is offline; the element retries by itself once it is back. */
  offline: string;
  /** A refresh failed and the last good slots stay: `{time}` is when they were loaded. */
  stale: string;
  /** Accessible name of a slot: "{time}, {date}". */
  slotLabel: string;
  /** A day without times, in layouts that show empty days: "No times". */
  noTimes: string;
  /**
   * The "Show all" button of a day with hidden times (other form): "Show all {count} times"
   * (`{count}`: all of the day's times, so always 2 or more).
   */
  showAll: string;
  /** Accessible name of the narrow layout's day strip (the tab list): "Days". */
  dayList: string;
  /** Accessible name of a disabled day tab: "{day}, no times" (`{day}`: the tab's own text). */
  dayTabEmpty: string;
  /** `pick` mode: the picked slot: "Selected: {time}, {date}". */
  picked: string;
  /** `pick` mode: the `required` validity message: "Please choose a time." */
  pickRequired: string;
  /** `pick` mode: the button that clears the pick: "Clear selection". */
  clearPick: string;
  /** Configuration problem shown in the element: `{problem}` (in English, for the site's developer). */
  misconfigured: string;
  /** Extra plural forms of `pageCount` and `showAll`, set through `strings` where a language has them. */
  pageTwo?: string;
  pageFew?: string;
  pageMany?: string;
  showAllZero?: string;
  showAllOne?: string;
  showAllTwo?: string;
  showAllFew?: string;
  showAllMany?: string;
}

/** The languages the element's words are built in. */
export type WordsLanguage = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl';

/** The words that depend on a number: each is a key of `SlotsStrings` (its other form). */
export type CountKey = 'pageCount' | 'showAll';

/** The keys every language has (the optional plural forms are not among them). */
export type WordKey = {
  [K in keyof SlotsStrings]-?: undefined extends SlotsStrings[K] ? never : K;
}[keyof SlotsStrings];

const en: SlotsStrings = {
  title: 'Available times',
  previous: 'Previous days',
  next: 'Next days',
  timesIn: 'Times in {zone}',
  changeTimezone: 'Time zone',
  changeZone: 'Change time zone',
  searchZones: 'Search time zones',
  searchZonesPlaceholder: 'City or UTC offset',
  zoneNoMatch: 'No time zone matches “{query}”.',
  yourZone: 'Your time zone',
  regionAfrica: 'Africa',
  regionAmerica: 'America',
  regionAntarctica: 'Antarctica',
  regionAsia: 'Asia',
  regionAtlantic: 'Atlantic',
  regionAustralia: 'Australia',
  regionEurope: 'Europe',
  regionIndian: 'Indian Ocean',
  regionPacific: 'Pacific',
  regionOther: 'Other',
  loading: 'Loading available times…',
  loadingRange: 'Loading times for {range}…',
  pageCount: '{range}: {count} times',
  pageOne: '{range}: {count} time',
  pageNone: '{range}: no available times',
  empty: 'No available times on these days.',
  jumpTo: 'Next available: {date}',
  noneAhead: 'No available times in the coming weeks.',
  error: 'Available times could not be loaded.',
  retry: 'Retry',
  retrying: 'Retrying…',
  offline: 'You are offline. The times will reload when you are back online.',
  stale: 'Could not refresh. Showing times loaded at {time}.',
  slotLabel: '{time}, {date}',
  noTimes: 'No times',
  showAll: 'Show all {count} times',
  dayList: 'Days',
  dayTabEmpty: '{day}, no times',
  picked: 'Selected: {time}, {date}',
  pickRequired: 'Please choose a time.',
  clearPick: 'Clear selection',
  misconfigured: 'This scheduling widget is not set up correctly: {problem}',
};

/**
 * A language's words, listed in the order of `en`'s keys: the other languages list only their
 * words, so that the script-tag file does not carry every key six times.
 */
function inEnglishOrder(words: readonly string[]): SlotsStrings {
  const keys = Object.keys(en);
  if (words.length !== keys.length)
    throw new Error(`${words.length} words for ${keys.length} keys`);
  return Object.fromEntries(keys.map((key, i) => [key, words[i]])) as unknown as SlotsStrings;
}

const de = inEnglishOrder([
  // title
  'Verfügbare Termine',
  // previous
  'Vorherige Tage',
  // next
  'Nächste Tage',
  // timesIn
  'Zeiten in {zone}',
  // changeTimezone
  'Zeitzone',
  // changeZone
  'Zeitzone ändern',
  // searchZones
  'Zeitzone suchen',
  // searchZonesPlaceholder
  'Stadt oder UTC-Abweichung',
  // zoneNoMatch
  'Keine Zeitzone passt zu „{query}“.',
  // yourZone
  'Ihre Zeitzone',
  // regionAfrica
  'Afrika',
  // regionAmerica
  'Amerika',
  // regionAntarctica
  'Antarktis',
  // regionAsia
  'Asien',
  // regionAtlantic
  'Atlantik',
  // regionAustralia
  'Australien',
  // regionEurope
  'Europa',
  // regionIndian
  'Indischer Ozean',
  // regionPacific
  'Pazifik',
  // regionOther
  'Sonstige',
  // loading
  'Verfügbare Termine werden geladen…',
  // loadingRange
  'Termine für {range} werden geladen…',
  // pageCount
  '{range}: {count} freie Termine',
  // pageOne
  '{range}: {count} freier Termin',
  // pageNone
  '{range}: keine freien Termine',
  // empty
  'An diesen Tagen sind keine Termine frei.',
  // jumpTo
  'Nächster freier Termin: {date}',
  // noneAhead
  'In den nächsten Wochen sind keine Termine frei.',
  // error
  'Die verfügbaren Termine konnten nicht geladen werden.',
  // retry
  'Erneut versuchen',
  // retrying
  'Neuer Versuch…',
  // offline
  'Sie sind offline. Die Termine werden neu geladen, sobald Sie wieder online sind.',
  // stale
  'Aktualisierung fehlgeschlagen. Angezeigt werden die Termine von {time}.',
  // slotLabel
  '{time}, {date}',
  // noTimes
  'Keine Termine',
  // showAll
  'Alle {count} Termine anzeigen',
  // dayList
  'Tage',
  // dayTabEmpty
  '{day}, keine Termine',
  // picked
  'Ausgewählt: {time}, {date}',
  // pickRequired
  'Bitte wählen Sie einen Termin aus.',
  // clearPick
  'Auswahl aufheben',
  // misconfigured
  'Dieses Termin-Widget ist nicht richtig eingerichtet: {problem}',
]);

// French typography: a narrow no-break space (U+202F) before « : », inside « ».
const fr = inEnglishOrder([
  // title
  'Créneaux disponibles',
  // previous
  'Jours précédents',
  // next
  'Jours suivants',
  // timesIn
  'Fuseau horaire : {zone}',
  // changeTimezone
  'Fuseau horaire',
  // changeZone
  'Changer de fuseau horaire',
  // searchZones
  'Rechercher un fuseau horaire',
  // searchZonesPlaceholder
  'Ville ou décalage UTC',
  // zoneNoMatch
  'Aucun fuseau horaire ne correspond à « {query} ».',
  // yourZone
  'Votre fuseau horaire',
  // regionAfrica
  'Afrique',
  // regionAmerica
  'Amérique',
  // regionAntarctica
  'Antarctique',
  // regionAsia
  'Asie',
  // regionAtlantic
  'Atlantique',
  // regionAustralia
  'Australie',
  // regionEurope
  'Europe',
  // regionIndian
  'Océan Indien',
  // regionPacific
  'Pacifique',
  // regionOther
  'Autres',
  // loading
  'Chargement des créneaux disponibles…',
  // loadingRange
  'Chargement des créneaux ({range})…',
  // pageCount
  '{range} : {count} créneaux disponibles',
  // pageOne
  '{range} : {count} créneau disponible',
  // pageNone
  '{range} : aucun créneau disponible',
  // empty
  'Aucun créneau disponible ces jours-là.',
  // jumpTo
  'Prochain créneau disponible : {date}',
  // noneAhead
  'Aucun créneau disponible dans les prochaines semaines.',
  // error
  'Impossible de charger les créneaux disponibles.',
  // retry
  'Réessayer',
  // retrying
  'Nouvelle tentative…',
  // offline
  'Vous êtes hors ligne. Les créneaux seront rechargés dès votre retour en ligne.',
  // stale
  'Actualisation impossible. Affichage des créneaux chargés à {time}.',
  // slotLabel
  '{time}, {date}',
  // noTimes
  'Aucun créneau',
  // showAll
  'Afficher les {count} créneaux',
  // dayList
  'Jours',
  // dayTabEmpty
  '{day}, aucun créneau',
  // picked
  'Créneau sélectionné : {time}, {date}',
  // pickRequired
  'Veuillez choisir un créneau.',
  // clearPick
  'Effacer la sélection',
  // misconfigured
  'Ce module de prise de rendez-vous n’est pas correctement configuré : {problem}',
]);

const es = inEnglishOrder([
  // title
  'Horarios disponibles',
  // previous
  'Días anteriores',
  // next
  'Días siguientes',
  // timesIn
  'Zona horaria: {zone}',
  // changeTimezone
  'Zona horaria',
  // changeZone
  'Cambiar zona horaria',
  // searchZones
  'Buscar zona horaria',
  // searchZonesPlaceholder
  'Ciudad o diferencia con UTC',
  // zoneNoMatch
  'Ninguna zona horaria coincide con «{query}».',
  // yourZone
  'Su zona horaria',
  // regionAfrica
  'África',
  // regionAmerica
  'América',
  // regionAntarctica
  'Antártida',
  // regionAsia
  'Asia',
  // regionAtlantic
  'Atlántico',
  // regionAustralia
  'Australia',
  // regionEurope
  'Europa',
  // regionIndian
  'Océano Índico',
  // regionPacific
  'Pacífico',
  // regionOther
  'Otras',
  // loading
  'Cargando horarios disponibles…',
  // loadingRange
  'Cargando horarios ({range})…',
  // pageCount
  '{range}: {count} horarios disponibles',
  // pageOne
  '{range}: {count} horario disponible',
  // pageNone
  '{range}: no hay horarios disponibles',
  // empty
  'No hay horarios disponibles en estos días.',
  // jumpTo
  'Próximo horario disponible: {date}',
  // noneAhead
  'No hay horarios disponibles en las próximas semanas.',
  // error
  'No se han podido cargar los horarios disponibles.',
  // retry
  'Reintentar',
  // retrying
  'Reintentando…',
  // offline
  'No tiene conexión. Los horarios se volverán a cargar cuando vuelva a estar en línea.',
  // stale
  'No se ha podido actualizar. Última actualización: {time}.',
  // slotLabel
  '{time}, {date}',
  // noTimes
  'Sin horarios',
  // showAll
  'Ver los {count} horarios',
  // dayList
  'Días',
  // dayTabEmpty
  '{day}, sin horarios',
  // picked
  'Seleccionado: {time}, {date}',
  // pickRequired
  'Elija un horario.',
  // clearPick
  'Borrar selección',
  // misconfigured
  'Este widget de reservas no está configurado correctamente: {problem}',
]);

const it = inEnglishOrder([
  // title
  'Orari disponibili',
  // previous
  'Giorni precedenti',
  // next
  'Giorni successivi',
  // timesIn
  'Fuso orario: {zone}',
  // changeTimezone
  'Fuso orario',
  // changeZone
  'Cambia fuso orario',
  // searchZones
  'Cerca fuso orario',
  // searchZonesPlaceholder
  'Città o differenza da UTC',
  // zoneNoMatch
  'Nessun fuso orario corrisponde a «{query}».',
  // yourZone
  'Il Suo fuso orario',
  // regionAfrica
  'Africa',
  // regionAmerica
  'America',
  // regionAntarctica
  'Antartide',
  // regionAsia
  'Asia',
  // regionAtlantic
  'Atlantico',
  // regionAustralia
  'Australia',
  // regionEurope
  'Europa',
  // regionIndian
  'Oceano Indiano',
  // regionPacific
  'Pacifico',
  // regionOther
  'Altri',
  // loading
  'Caricamento degli orari disponibili…',
  // loadingRange
  'Caricamento degli orari ({range})…',
  // pageCount
  '{range}: {count} orari disponibili',
  // pageOne
  '{range}: {count} orario disponibile',
  // pageNone
  '{range}: nessun orario disponibile',
  // empty
  'Nessun orario disponibile in questi giorni.',
  // jumpTo
  'Primo orario disponibile: {date}',
  // noneAhead
  'Nessun orario disponibile nelle prossime settimane.',
  // error
  'Impossibile caricare gli orari disponibili.',
  // retry
  'Riprova',
  // retrying
  'Nuovo tentativo in corso…',
  // offline
  'Nessuna connessione. Gli orari verranno ricaricati appena tornerà online.',
  // stale
  'Impossibile aggiornare. Ultimo aggiornamento: {time}.',
  // slotLabel
  '{time}, {date}',
  // noTimes
  'Nessun orario',
  // showAll
  'Mostra tutti i {count} orari',
  // dayList
  'Giorni',
  // dayTabEmpty
  '{day}, nessun orario',
  // picked
  'Selezionato: {time}, {date}',
  // pickRequired
  'Selezioni un orario.',
  // clearPick
  'Annulla selezione',
  // misconfigured
  'Questo widget di prenotazione non è configurato correttamente: {problem}',
]);

const nl = inEnglishOrder([
  // title
  'Beschikbare tijden',
  // previous
  'Vorige dagen',
  // next
  'Volgende dagen',
  // timesIn
  'Tijden in {zone}',
  // changeTimezone
  'Tijdzone',
  // changeZone
  'Tijdzone wijzigen',
  // searchZones
  'Tijdzone zoeken',
  // searchZonesPlaceholder
  'Stad of verschil met UTC',
  // zoneNoMatch
  'Geen tijdzone gevonden voor ‘{query}’.',
  // yourZone
  'Uw tijdzone',
  // regionAfrica
  'Afrika',
  // regionAmerica
  'Amerika',
  // regionAntarctica
  'Antarctica',
  // regionAsia
  'Azië',
  // regionAtlantic
  'Atlantische Oceaan',
  // regionAustralia
  'Australië',
  // regionEurope
  'Europa',
  // regionIndian
  'Indische Oceaan',
  // regionPacific
  'Stille Oceaan',
  // regionOther
  'Overige',
  // loading
  'Beschikbare tijden worden geladen…',
  // loadingRange
  'Tijden voor {range} worden geladen…',
  // pageCount
  '{range}: {count} beschikbare tijden',
  // pageOne
  '{range}: {count} beschikbare tijd',
  // pageNone
  '{range}: geen beschikbare tijden',
  // empty
  'Geen beschikbare tijden op deze dagen.',
  // jumpTo
  'Eerstvolgende beschikbare tijd: {date}',
  // noneAhead
  'Geen beschikbare tijden in de komende weken.',
  // error
  'De beschikbare tijden konden niet worden geladen.',
  // retry
  'Opnieuw proberen',
  // retrying
  'Nieuwe poging…',
  // offline
  'U bent offline. De tijden worden opnieuw geladen zodra u weer online bent.',
  // stale
  'Vernieuwen is mislukt. U ziet de tijden van {time}.',
  // slotLabel
  '{time}, {date}',
  // noTimes
  'Geen tijden',
  // showAll
  'Alle {count} tijden tonen',
  // dayList
  'Dagen',
  // dayTabEmpty
  '{day}, geen tijden',
  // picked
  'Geselecteerd: {time}, {date}',
  // pickRequired
  'Kies een tijd.',
  // clearPick
  'Selectie wissen',
  // misconfigured
  'Deze planningswidget is niet goed ingesteld: {problem}',
]);

/** The built-in words, by language. */
export const BUILT_IN_WORDS: Readonly<Record<WordsLanguage, Readonly<SlotsStrings>>> = {
  en,
  de,
  fr,
  es,
  it,
  nl,
};

/** The plural forms of each word that depends on a number (`other` is the word's own key). */
const COUNT_FORMS: Readonly<Record<CountKey, Readonly<Record<string, keyof SlotsStrings>>>> = {
  pageCount: {
    zero: 'pageNone',
    one: 'pageOne',
    two: 'pageTwo',
    few: 'pageFew',
    many: 'pageMany',
    other: 'pageCount',
  },
  showAll: {
    zero: 'showAllZero',
    one: 'showAllOne',
    two: 'showAllTwo',
    few: 'showAllFew',
    many: 'showAllMany',
    other: 'showAll',
  },
};
/** Each plural form's key → the word it is a form of. */
const FORM_OF: ReadonlyMap<string, CountKey> = new Map(
  (Object.keys(COUNT_FORMS) as CountKey[]).flatMap((key) =>
    Object.values(COUNT_FORMS[key]).map((form) => [form, key] as const),
  ),
);
/** Every key `strings` may set: the words of every language and the extra plural forms. */
const KEYS: ReadonlySet<string> = new Set([...Object.keys(en), ...FORM_OF.keys()]);

/** Where the words of a `resolveStrings` result come from. */
interface Origin {
  /** The built-in words' language. */
  language: WordsLanguage;
  /** The locale asked for; words from `strings` are taken to be written in it. */
  locale: string;
  /** Keys whose word came from `strings`. */
  overridden: ReadonlySet<string>;
}
const origins = new WeakMap<SlotsStrings, Origin>();

/** The language tag of a locale, lower-cased (`de-CH` → `de`); `en` for anything unreadable. */
function languageTag(locale: unknown): string {
  if (typeof locale !== 'string') return 'en';
  const language = /^([a-z]{2,3})(?:[-_]|$)/i.exec(locale.trim())?.[1];
  return language?.toLowerCase() ?? 'en';
}

/**
 * The language the built-in words for `locale` are written in: its own language when built in
 * (`de-AT` → `de`), else English (`ja-JP` → `en`). Put it in `lang` on the element's words, so
 * an English word on a Japanese page is read as English.
 */
export function wordsLanguage(locale: string): WordsLanguage {
  const language = languageTag(locale);
  return language in BUILT_IN_WORDS ? (language as WordsLanguage) : 'en';
}

/**
 * The words for `locale` (its language's built-in words, English when not built in), with
 * `overrides` applied: any key of `SlotsStrings` set to a string replaces that word; unknown
 * keys and values that are not strings are ignored, and so is an `overrides` that is not an
 * object or cannot be read. The result is a fresh object; `languageOf` and `fillCount` know
 * which of its words came from `overrides`.
 */
export function resolveStrings(
  locale: string,
  overrides?: Partial<Record<keyof SlotsStrings, unknown>> | null,
): SlotsStrings {
  const language = wordsLanguage(locale);
  const merged: SlotsStrings = { ...BUILT_IN_WORDS[language] };
  const overridden = new Set<string>();
  if (overrides && typeof overrides === 'object') {
    try {
      for (const key of Object.keys(overrides)) {
        if (!KEYS.has(key)) continue;
        const value: unknown = (overrides as Record<string, unknown>)[key];
        if (typeof value !== 'string') continue;
        (merged as unknown as Record<string, string>)[key] = value;
        overridden.add(key);
      }
    } catch {
      // An override object that throws when read (a hostile Proxy, a throwing getter) counts
      // for nothing beyond what was read before it threw.
    }
  }
  origins.set(merged, { language, locale: typeof locale === 'string' ? locale : 'en', overridden });
  return merged;
}

/** The word a key belongs to: `pageOne` → `pageCount`; other keys are their own. */
function countKeyOf(key: string): string {
  return FORM_OF.get(key) ?? key;
}

/**
 * The language a word of `strings` (a `resolveStrings` result) is written in: the built-in
 * words' language (`en`, `de`, …), or for a word set through `strings` the locale asked for,
 * since a page writes its own words in its own language. Without `key`: the built-in words'
 * language. For objects not made by `resolveStrings`: `en`.
 */
export function languageOf(strings: SlotsStrings, key?: keyof SlotsStrings): string {
  const origin = origins.get(strings);
  if (!origin) return 'en';
  if (key === undefined) return origin.language;
  const base = countKeyOf(key);
  const overridden = [...origin.overridden].some((name) => countKeyOf(name) === base);
  return overridden ? origin.locale : origin.language;
}

const pluralRules = new Map<string, Intl.PluralRules>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached<T>(cache: Map<string, T>, locale: string, make: (locale: string) => T): T {
  let value = cache.get(locale);
  if (value === undefined) {
    try {
      value = make(locale);
    } catch {
      value = make('en');
    }
    if (cache.size >= 64) cache.clear();
    cache.set(locale, value);
  }
  return value;
}

/**
 * A word that depends on a number, filled: the zero form for 0 when there is one, else the form
 * `Intl.PluralRules` picks in the word's language (`languageOf`), else the other form. `{count}`
 * is `count` written with `locale`'s digits and grouping (default: the word's language);
 * `values` fill the other placeholders.
 */
export function fillCount(
  strings: SlotsStrings,
  key: CountKey,
  count: number,
  values: Record<string, string> = {},
  locale?: string,
): string {
  const words = strings as unknown as Record<string, string | undefined>;
  const language = languageOf(strings, key);
  const forms = COUNT_FORMS[key];
  let template: string | undefined;
  if (count === 0) template = words[forms.zero!];
  if (template === undefined) {
    const category = cached(pluralRules, language, (tag) => new Intl.PluralRules(tag)).select(
      count,
    );
    if (category !== 'other' && forms[category]) template = words[forms[category]];
  }
  template ??= words[key] ?? en[key];
  const number = cached(numberFormats, locale ?? language, (tag) => new Intl.NumberFormat(tag));
  return fill(template, { ...values, count: number.format(count) });
}

/** Fill `{name}` placeholders of `template` from `values`; unknown ones are left as they are. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : match,
  );
}
