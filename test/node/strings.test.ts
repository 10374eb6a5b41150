import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  LANGUAGES,
  builtInWords,
  fill,
  fillCount,
  languageOf,
  resolveStrings,
  wordsLanguage,
  type SlotsStrings,
  type WordKey,
  type WordsLanguage,
} from '../../src/strings.js';

const KEYS = Object.keys(builtInWords('en')) as WordKey[];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('wordsLanguage', () => {
  const cases: [string, WordsLanguage][] = [
    ['en', 'en'],
    ['en-GB', 'en'],
    ['de', 'de'],
    ['de-AT', 'de'],
    ['de-CH', 'de'],
    ['DE', 'de'],
    ['de_DE', 'de'],
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['es', 'es'],
    ['es-419', 'es'],
    ['es-MX', 'es'],
    ['it', 'it'],
    ['it-CH', 'it'],
    ['nl', 'nl'],
    ['nl-BE', 'nl'],
    ['ja-JP', 'en'],
    ['pt-BR', 'en'],
    ['zh-Hant-TW', 'en'],
    ['deu', 'en'],
    ['', 'en'],
    ['  ', 'en'],
    ['x', 'en'],
    ['123', 'en'],
  ];
  for (const [locale, language] of cases) {
    test(`${JSON.stringify(locale)} → ${language}`, () =>
      assert.equal(wordsLanguage(locale), language));
  }
  test('non-strings read as English', () => {
    for (const value of [undefined, null, 42, {}]) {
      assert.equal(wordsLanguage(value as unknown as string), 'en');
    }
  });
});

describe('the built-in words', () => {
  test('there are six languages', () =>
    assert.deepEqual(LANGUAGES, ['en', 'de', 'fr', 'es', 'it', 'nl']));

  // The words as they were when each language was still an object literal, key by key: the
  // one-word-a-line encoding decodes to exactly these (a missing or extra line shifts the rest).
  const before = JSON.parse(
    readFileSync(new URL('fixtures/words.json', import.meta.url), 'utf8'),
  ) as Record<WordsLanguage, SlotsStrings>;
  test('each language decodes to its words, key by key', () => {
    assert.deepEqual(Object.keys(before), LANGUAGES);
    for (const language of LANGUAGES) {
      assert.deepEqual(Object.entries(builtInWords(language)), Object.entries(before[language]));
    }
  });

  test('a language is decoded once', () => {
    for (const language of LANGUAGES) {
      assert.equal(builtInWords(language), builtInWords(language));
    }
  });

  for (const language of LANGUAGES) {
    test(`${language}: every key, a non-empty word with the same placeholders as English`, () => {
      const words = builtInWords(language);
      assert.deepEqual(Object.keys(words).sort(), [...KEYS].sort());
      for (const key of KEYS) {
        const word = words[key];
        assert.equal(typeof word, 'string', key);
        assert.ok(word.trim() !== '' && word === word.trim(), `${language}.${key} is trimmed text`);
        assert.deepEqual(
          placeholders(word),
          placeholders(builtInWords('en')[key]),
          `${language}.${key}`,
        );
      }
    });

    test(`${language}: filling every key's placeholders leaves none unfilled`, () => {
      const words = resolveStrings(language);
      for (const key of KEYS) {
        const values = Object.fromEntries(placeholders(words[key]).map((name) => [name, 'X']));
        const text =
          key === 'pageCount' || key === 'showAll'
            ? fillCount(words, key, 7, values)
            : fill(words[key], values);
        assert.doesNotMatch(text, /[{}]/, `${language}.${key}: ${text}`);
      }
    });

    if (language !== 'en') {
      test(`${language}: written in ${language}, not left in English`, () => {
        const words = builtInWords(language);
        // Words that read the same in several languages (a slot's "{time}, {date}", "Asia").
        const same = KEYS.filter((key) => words[key] === builtInWords('en')[key]);
        assert.ok(same.length <= 5, `${language} repeats English: ${same.join(', ')}`);
        for (const key of [
          'title',
          'loading',
          'error',
          'retry',
          'pickRequired',
          'offline',
        ] as const) {
          assert.notEqual(words[key], builtInWords('en')[key], `${language}.${key}`);
        }
      });
    }
  }

  // Formal address where booking pages in the language use it.
  const formal: [WordsLanguage, keyof SlotsStrings, RegExp][] = [
    ['de', 'yourZone', /^Ihre /],
    ['de', 'pickRequired', /wählen Sie/],
    ['de', 'offline', /Sie sind/],
    ['fr', 'yourZone', /^Votre /],
    ['fr', 'pickRequired', /^Veuillez/],
    ['fr', 'offline', /Vous êtes/],
    ['es', 'yourZone', /^Su /],
    ['es', 'offline', /No tiene/],
    ['it', 'yourZone', /^Il Suo /],
    ['it', 'pickRequired', /^Selezioni/],
    ['nl', 'yourZone', /^Uw /],
    ['nl', 'offline', /U bent/],
  ];
  for (const [language, key, pattern] of formal) {
    test(`${language}.${key} addresses the viewer formally`, () =>
      assert.match(builtInWords(language)[key]!, pattern));
  }

  test('French puts a narrow no-break space before colons and inside guillemets', () => {
    for (const key of KEYS) {
      const word = builtInWords('fr')[key];
      assert.doesNotMatch(word, /[^\u202f]:|« | »/, key);
    }
  });
});

describe('resolveStrings', () => {
  test('each locale gets its language’s words; others get English', () => {
    const cases: [string, string][] = [
      ['en-US', 'Available times'],
      ['de-AT', 'Verfügbare Termine'],
      ['fr-CA', 'Créneaux disponibles'],
      ['es-MX', 'Horarios disponibles'],
      ['it', 'Orari disponibili'],
      ['nl-BE', 'Beschikbare tijden'],
      ['ja-JP', 'Available times'],
      ['', 'Available times'],
    ];
    for (const [locale, title] of cases) assert.equal(resolveStrings(locale).title, title, locale);
  });

  test('overrides replace words; unknown keys and non-strings are ignored', () => {
    const words = resolveStrings('de', {
      retry: 'Nochmal',
      title: 42,
      next: null,
      previous: { toString: () => 'x' },
      unknownKey: 'nope',
      showAllFew: 'extra form',
      toString: 'not a word',
    } as unknown as Partial<SlotsStrings>);
    assert.equal(words.retry, 'Nochmal');
    assert.equal(words.title, 'Verfügbare Termine');
    assert.equal(words.next, 'Nächste Tage');
    assert.equal(words.previous, 'Vorherige Tage');
    assert.equal(words.showAllFew, 'extra form');
    assert.ok(!Object.hasOwn(words, 'unknownKey'));
    assert.ok(!Object.hasOwn(words, 'toString'));
    assert.equal(words.empty, builtInWords('de').empty);
  });

  test('an empty string is a word too', () =>
    assert.equal(resolveStrings('en', { retry: '' }).retry, ''));

  test('overrides that are no object, or that throw, change nothing', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    const getter = {
      retry: 'Again',
      get title(): string {
        throw new Error('boom');
      },
    };
    for (const overrides of ['retry', 42, true, hostile, null, undefined]) {
      assert.deepEqual(resolveStrings('fr', overrides as never), { ...builtInWords('fr') });
    }
    const partly = resolveStrings('en', getter as never);
    assert.equal(partly.retry, 'Again');
    assert.equal(partly.title, 'Available times');
  });

  test('each result is fresh: changing one changes no other', () => {
    const first = resolveStrings('en');
    first.retry = 'changed';
    assert.equal(resolveStrings('en').retry, 'Retry');
    assert.equal(builtInWords('en').retry, 'Retry');
  });
});

describe('languageOf', () => {
  const cases: [string, Partial<SlotsStrings> | null, keyof SlotsStrings | undefined, string][] = [
    ['ja-JP', null, undefined, 'en'],
    ['ja-JP', null, 'retry', 'en'],
    ['de-CH', null, 'retry', 'de'],
    ['ja-JP', { retry: '再試行' }, 'retry', 'ja-JP'],
    ['ja-JP', { retry: '再試行' }, 'title', 'en'],
    ['ja-JP', { retry: '再試行' }, undefined, 'en'],
    ['pl', { pageFew: '{range}: {count} terminy' }, 'pageCount', 'pl'],
    ['pl', { pageFew: '{range}: {count} terminy' }, 'pageOne', 'pl'],
    ['pl', { pageFew: '{range}: {count} terminy' }, 'showAll', 'en'],
    ['fr', { retry: 42 as unknown as string }, 'retry', 'fr'],
  ];
  for (const [locale, overrides, key, language] of cases) {
    test(`${locale} ${JSON.stringify(overrides)} ${key ?? '(all)'} → ${language}`, () =>
      assert.equal(languageOf(resolveStrings(locale, overrides), key), language));
  }
  test('words not made by resolveStrings read as English', () =>
    assert.equal(languageOf({ ...resolveStrings('de') }, 'retry'), 'en'));
});

describe('fillCount', () => {
  const range = 'R';
  // [locale, count, pageCount text, showAll text (null: a day shows all only for 2 and more)]
  const cases: [string, number, string, string | null][] = [
    ['en', 0, 'R: no available times', null],
    ['en', 1, 'R: 1 time', null],
    ['en', 2, 'R: 2 times', 'Show all 2 times'],
    ['en-US', 1234, 'R: 1,234 times', 'Show all 1,234 times'],
    ['ja-JP', 1, 'R: 1 time', null],
    ['ja-JP', 31, 'R: 31 times', 'Show all 31 times'],
    ['de', 0, 'R: keine freien Termine', null],
    ['de', 1, 'R: 1 freier Termin', null],
    ['de', 31, 'R: 31 freie Termine', 'Alle 31 Termine anzeigen'],
    ['de-DE', 1234, 'R: 1.234 freie Termine', 'Alle 1.234 Termine anzeigen'],
    ['fr', 0, 'R\u202f: aucun créneau disponible', null],
    ['fr', 1, 'R\u202f: 1 créneau disponible', null],
    ['fr', 2, 'R\u202f: 2 créneaux disponibles', 'Afficher les 2 créneaux'],
    [
      'fr',
      1_000_000,
      'R\u202f: 1\u202f000\u202f000 créneaux disponibles',
      'Afficher les 1\u202f000\u202f000 créneaux',
    ],
    ['es', 0, 'R: no hay horarios disponibles', null],
    ['es', 1, 'R: 1 horario disponible', null],
    ['es', 12, 'R: 12 horarios disponibles', 'Ver los 12 horarios'],
    ['it', 0, 'R: nessun orario disponibile', null],
    ['it', 1, 'R: 1 orario disponibile', null],
    ['it', 16, 'R: 16 orari disponibili', 'Mostra tutti i 16 orari'],
    ['nl', 0, 'R: geen beschikbare tijden', null],
    ['nl', 1, 'R: 1 beschikbare tijd', null],
    ['nl', 8, 'R: 8 beschikbare tijden', 'Alle 8 tijden tonen'],
  ];
  for (const [locale, count, page, showAll] of cases) {
    test(`${locale} ${count}`, () => {
      const words = resolveStrings(locale);
      assert.equal(fillCount(words, 'pageCount', count, { range }, locale), page);
      if (showAll !== null) assert.equal(fillCount(words, 'showAll', count, {}, locale), showAll);
    });
  }

  test('a page’s own plural forms follow its language’s rules (Polish: one, few, many)', () => {
    const words = resolveStrings('pl', {
      pageCount: '{range}: {count} terminu',
      pageOne: '{range}: {count} termin',
      pageFew: '{range}: {count} terminy',
      pageMany: '{range}: {count} terminów',
      pageNone: '{range}: brak terminów',
    });
    const cases: [number, string][] = [
      [0, 'R: brak terminów'],
      [1, 'R: 1 termin'],
      [2, 'R: 2 terminy'],
      [4, 'R: 4 terminy'],
      [5, 'R: 5 terminów'],
      [12, 'R: 12 terminów'],
      [22, 'R: 22 terminy'],
      [1.5, 'R: 1,5 terminu'],
    ];
    for (const [count, text] of cases) {
      assert.equal(fillCount(words, 'pageCount', count, { range }, 'pl'), text, String(count));
    }
  });

  test('a missing form falls back to the other form', () => {
    const words = resolveStrings('pl', { showAll: 'Pokaż wszystkie ({count})' });
    for (const count of [1, 3, 5]) {
      assert.equal(fillCount(words, 'showAll', count, {}, 'pl'), `Pokaż wszystkie (${count})`);
    }
  });
});

describe('fill', () => {
  const cases: [string, Record<string, string>, string][] = [
    ['{time}, {date}', { time: '9:00', date: 'Monday' }, '9:00, Monday'],
    ['Times in {zone}', { zone: 'Kolkata (UTC+5:30)' }, 'Times in Kolkata (UTC+5:30)'],
    ['{a}{a}', { a: 'x' }, 'xx'],
    ['{missing} stays', {}, '{missing} stays'],
    ['{toString} {constructor} {__proto__}', {}, '{toString} {constructor} {__proto__}'],
    ['no placeholders', { a: 'x' }, 'no placeholders'],
    ['{a}', { a: '{b}', b: 'no second pass' }, '{b}'],
    ['{a}', { a: '$& $1 $$' }, '$& $1 $$'],
    ['{ a } {a-b}', { a: 'x' }, '{ a } {a-b}'],
  ];
  for (const [template, values, text] of cases) {
    test(JSON.stringify(template), () => assert.equal(fill(template, values), text));
  }
});
