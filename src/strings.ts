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

/**
 * The keys every language has, one a line, in the order each language of `WORDS` lists its
 * words: line N of a language is the word for line N here.
 */
const KEY_LINES = `title
previous
next
timesIn
changeTimezone
changeZone
searchZones
searchZonesPlaceholder
zoneNoMatch
yourZone
regionAfrica
regionAmerica
regionAntarctica
regionAsia
regionAtlantic
regionAustralia
regionEurope
regionIndian
regionPacific
regionOther
loading
loadingRange
pageCount
pageOne
pageNone
empty
jumpTo
noneAhead
error
retry
retrying
offline
stale
slotLabel
noTimes
showAll
dayList
dayTabEmpty
picked
pickRequired
clearPick
misconfigured` as const;

/** The lines of a text, as a union of string literal types. */
type Lines<S extends string, Found = never> = S extends `${infer Line}\n${infer Rest}`
  ? Lines<Rest, Found | Line>
  : Found | S;

const WORD_KEYS = KEY_LINES.split('\n') as Lines<typeof KEY_LINES>[];

/**
 * Each language's words, one a line, in the order of `KEY_LINES` (so the script-tag file carries
 * every key once, not six times); decoded into a `SlotsStrings` at a language's first use.
 * French typography: a narrow no-break space (U+202F) before « : », inside « ».
 */
const WORDS: Readonly<Record<WordsLanguage, string>> = {
  en: `Available times
Previous days
Next days
Times in {zone}
Time zone
Change time zone
Search time zones
City or UTC offset
No time zone matches “{query}”.
Your time zone
Africa
America
Antarctica
Asia
Atlantic
Australia
Europe
Indian Ocean
Pacific
Other
Loading available times…
Loading times for {range}…
{range}: {count} times
{range}: {count} time
{range}: no available times
No available times on these days.
Next available: {date}
No available times in the coming weeks.
Available times could not be loaded.
Retry
Retrying…
You are offline. The times will reload when you are back online.
Could not refresh. Showing times loaded at {time}.
{time}, {date}
No times
Show all {count} times
Days
{day}, no times
Selected: {time}, {date}
Please choose a time.
Clear selection
This scheduling widget is not set up correctly: {problem}`,
  de: `Verfügbare Termine
Vorherige Tage
Nächste Tage
Zeiten in {zone}
Zeitzone
Zeitzone ändern
Zeitzone suchen
Stadt oder UTC-Abweichung
Keine Zeitzone passt zu „{query}“.
Ihre Zeitzone
Afrika
Amerika
Antarktis
Asien
Atlantik
Australien
Europa
Indischer Ozean
Pazifik
Sonstige
Verfügbare Termine werden geladen…
Termine für {range} werden geladen…
{range}: {count} freie Termine
{range}: {count} freier Termin
{range}: keine freien Termine
An diesen Tagen sind keine Termine frei.
Nächster freier Termin: {date}
In den nächsten Wochen sind keine Termine frei.
Die verfügbaren Termine konnten nicht geladen werden.
Erneut versuchen
Neuer Versuch…
Sie sind offline. Die Termine werden neu geladen, sobald Sie wieder online sind.
Aktualisierung fehlgeschlagen. Angezeigt werden die Termine von {time}.
{time}, {date}
Keine Termine
Alle {count} Termine anzeigen
Tage
{day}, keine Termine
Ausgewählt: {time}, {date}
Bitte wählen Sie einen Termin aus.
Auswahl aufheben
Dieses Termin-Widget ist nicht richtig eingerichtet: {problem}`,
  fr: `Créneaux disponibles
Jours précédents
Jours suivants
Fuseau horaire : {zone}
Fuseau horaire
Changer de fuseau horaire
Rechercher un fuseau horaire
Ville ou décalage UTC
Aucun fuseau horaire ne correspond à « {query} ».
Votre fuseau horaire
Afrique
Amérique
Antarctique
Asie
Atlantique
Australie
Europe
Océan Indien
Pacifique
Autres
Chargement des créneaux disponibles…
Chargement des créneaux ({range})…
{range} : {count} créneaux disponibles
{range} : {count} créneau disponible
{range} : aucun créneau disponible
Aucun créneau disponible ces jours-là.
Prochain créneau disponible : {date}
Aucun créneau disponible dans les prochaines semaines.
Impossible de charger les créneaux disponibles.
Réessayer
Nouvelle tentative…
Vous êtes hors ligne. Les créneaux seront rechargés dès votre retour en ligne.
Actualisation impossible. Affichage des créneaux chargés à {time}.
{time}, {date}
Aucun créneau
Afficher les {count} créneaux
Jours
{day}, aucun créneau
Créneau sélectionné : {time}, {date}
Veuillez choisir un créneau.
Effacer la sélection
Ce module de prise de rendez-vous n’est pas correctement configuré : {problem}`,
  es: `Horarios disponibles
Días anteriores
Días siguientes
Zona horaria: {zone}
Zona horaria
Cambiar zona horaria
Buscar zona horaria
Ciudad o diferencia con UTC
Ninguna zona horaria coincide con «{query}».
Su zona horaria
África
América
Antártida
Asia
Atlántico
Australia
Europa
Océano Índico
Pacífico
Otras
Cargando horarios disponibles…
Cargando horarios ({range})…
{range}: {count} horarios disponibles
{range}: {count} horario disponible
{range}: no hay horarios disponibles
No hay horarios disponibles en estos días.
Próximo horario disponible: {date}
No hay horarios disponibles en las próximas semanas.
No se han podido cargar los horarios disponibles.
Reintentar
Reintentando…
No tiene conexión. Los horarios se volverán a cargar cuando vuelva a estar en línea.
No se ha podido actualizar. Última actualización: {time}.
{time}, {date}
Sin horarios
Ver los {count} horarios
Días
{day}, sin horarios
Seleccionado: {time}, {date}
Elija un horario.
Borrar selección
Este widget de reservas no está configurado correctamente: {problem}`,
  it: `Orari disponibili
Giorni precedenti
Giorni successivi
Fuso orario: {zone}
Fuso orario
Cambia fuso orario
Cerca fuso orario
Città o differenza da UTC
Nessun fuso orario corrisponde a «{query}».
Il Suo fuso orario
Africa
America
Antartide
Asia
Atlantico
Australia
Europa
Oceano Indiano
Pacifico
Altri
Caricamento degli orari disponibili…
Caricamento degli orari ({range})…
{range}: {count} orari disponibili
{range}: {count} orario disponibile
{range}: nessun orario disponibile
Nessun orario disponibile in questi giorni.
Primo orario disponibile: {date}
Nessun orario disponibile nelle prossime settimane.
Impossibile caricare gli orari disponibili.
Riprova
Nuovo tentativo in corso…
Nessuna connessione. Gli orari verranno ricaricati appena tornerà online.
Impossibile aggiornare. Ultimo aggiornamento: {time}.
{time}, {date}
Nessun orario
Mostra tutti i {count} orari
Giorni
{day}, nessun orario
Selezionato: {time}, {date}
Selezioni un orario.
Annulla selezione
Questo widget di prenotazione non è configurato correttamente: {problem}`,
  nl: `Beschikbare tijden
Vorige dagen
Volgende dagen
Tijden in {zone}
Tijdzone
Tijdzone wijzigen
Tijdzone zoeken
Stad of verschil met UTC
Geen tijdzone gevonden voor ‘{query}’.
Uw tijdzone
Afrika
Amerika
Antarctica
Azië
Atlantische Oceaan
Australië
Europa
Indische Oceaan
Stille Oceaan
Overige
Beschikbare tijden worden geladen…
Tijden voor {range} worden geladen…
{range}: {count} beschikbare tijden
{range}: {count} beschikbare tijd
{range}: geen beschikbare tijden
Geen beschikbare tijden op deze dagen.
Eerstvolgende beschikbare tijd: {date}
Geen beschikbare tijden in de komende weken.
De beschikbare tijden konden niet worden geladen.
Opnieuw proberen
Nieuwe poging…
U bent offline. De tijden worden opnieuw geladen zodra u weer online bent.
Vernieuwen is mislukt. U ziet de tijden van {time}.
{time}, {date}
Geen tijden
Alle {count} tijden tonen
Dagen
{day}, geen tijden
Geselecteerd: {time}, {date}
Kies een tijd.
Selectie wissen
Deze planningswidget is niet goed ingesteld: {problem}`,
};

/** The languages the element's words are built in, in the order of `WORDS`. */
export const LANGUAGES = Object.keys(WORDS) as WordsLanguage[];

const decoded = new Map<WordsLanguage, Readonly<SlotsStrings>>();

/** The built-in words of `language` (one object per language: copy it before changing it). */
export function builtInWords(language: WordsLanguage): Readonly<SlotsStrings> {
  let words = decoded.get(language);
  if (words === undefined) {
    const lines = WORDS[language].split('\n');
    const entries = WORD_KEYS.map((key, i) => [key, lines[i]]);
    words = Object.fromEntries(entries) as Record<Lines<typeof KEY_LINES>, string>;
    decoded.set(language, words);
  }
  return words;
}

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
const KEYS: ReadonlySet<string> = new Set([...WORD_KEYS, ...FORM_OF.keys()]);

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
  return language in WORDS ? (language as WordsLanguage) : 'en';
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
  const merged: SlotsStrings = { ...builtInWords(language) };
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
  template ??= words[key] ?? builtInWords('en')[key];
  const number = cached(numberFormats, locale ?? language, (tag) => new Intl.NumberFormat(tag));
  return fill(template, { ...values, count: number.format(count) });
}

/** Fill `{name}` placeholders of `template` from `values`; unknown ones are left as they are. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : match,
  );
}
