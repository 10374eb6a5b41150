import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  canonicalInstant,
  canonicalZone,
  formatDay,
  isDay,
  isUuid,
  parseDay,
  parseInstant,
} from '../../src/protocol.js';

describe('protocol: UUIDs', () => {
  const cases: [unknown, boolean][] = [
    ['550e8400-e29b-41d4-a716-446655440000', true],
    ['550E8400-E29B-41D4-A716-446655440000', true],
    ['550e8400e29b41d4a716446655440000', false],
    ['550e8400-e29b-41d4-a716-44665544000', false],
    ['550e8400-e29b-41d4-a716-446655440000\n', false],
    ['', false],
    [42, false],
    [null, false],
  ];
  for (const [value, expected] of cases) {
    test(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(isUuid(value), expected));
  }
});

describe('protocol: days', () => {
  const cases: [unknown, number | undefined][] = [
    ['1970-01-01', 0],
    ['1970-01-02', 1],
    ['1969-12-31', -1],
    ['2024-02-29', 19782],
    ['2025-02-29', undefined],
    ['2025-02-30', undefined],
    ['2025-13-01', undefined],
    ['2025-00-10', undefined],
    ['2025-1-10', undefined],
    ['0000-01-01', -719528],
    ['9999-12-31', 2932896],
    ['+010000-01-01', undefined],
    ['2025-01-10T00:00', undefined],
    [' 2025-01-10', undefined],
    [20250110, undefined],
  ];
  for (const [value, expected] of cases) {
    test(`${JSON.stringify(value)} → ${expected}`, () => {
      assert.equal(parseDay(value), expected);
      assert.equal(isDay(value), expected !== undefined);
      if (expected !== undefined) assert.equal(formatDay(expected), value);
    });
  }
  test('formatDay refuses days outside the years 0–9999 and fractions', () => {
    assert.throws(() => formatDay(2932897), RangeError);
    assert.throws(() => formatDay(-719529), RangeError);
    assert.throws(() => formatDay(1.5), RangeError);
  });
});

describe('protocol: instants', () => {
  const at = Date.UTC(2025, 0, 15, 9, 0, 0);
  const cases: [string, number | undefined, string | undefined][] = [
    ['2025-01-15T09:00:00Z', at, '2025-01-15T09:00:00Z'],
    ['2025-01-15T09:00Z', at, '2025-01-15T09:00:00Z'],
    ['2025-01-15T10:00:00+01:00', at, '2025-01-15T09:00:00Z'],
    ['2025-01-15T10:00:00+0100', at, '2025-01-15T09:00:00Z'],
    ['2025-01-15T10:00:00+01', at, '2025-01-15T09:00:00Z'],
    ['2025-01-15T03:30:00-05:30', at, '2025-01-15T09:00:00Z'],
    ['2025-01-15t09:00:00z', at, '2025-01-15T09:00:00Z'],
    ['2025-01-15T09:00:00.000Z', at, '2025-01-15T09:00:00Z'],
    ['2025-01-15T09:00:00.5Z', at + 500, '2025-01-15T09:00:00.500Z'],
    ['2025-01-15T09:00:00,25Z', at + 250, '2025-01-15T09:00:00.250Z'],
    ['2025-01-15T09:00:00.1234567891Z', at + 123, '2025-01-15T09:00:00.123Z'],
    ['2025-01-15T09:00:00.999999999999999999999Z', at + 999, '2025-01-15T09:00:00.999Z'],
    ['2025-01-15T09:00:00', undefined, undefined],
    ['2025-01-15 09:00:00Z', undefined, undefined],
    ['2025-02-30T09:00:00Z', undefined, undefined],
    ['2025-01-15T24:00:00Z', undefined, undefined],
    ['2025-01-15T09:60:00Z', undefined, undefined],
    ['2025-01-15T09:00:60Z', undefined, undefined],
    ['2025-01-15T09:00:00+24:00', undefined, undefined],
    ['2025-01-15T09:00:00.Z', undefined, undefined],
    [`2025-01-15T09:00:00.${'1'.repeat(31)}Z`, undefined, undefined],
    ['1736931600000', undefined, undefined],
    ['', undefined, undefined],
  ];
  for (const [value, epoch, canonical] of cases) {
    test(`${JSON.stringify(value)} → ${canonical}`, () => {
      const parsed = parseInstant(value);
      if (epoch === undefined) assert.ok(Number.isNaN(parsed));
      else assert.equal(parsed, epoch);
      assert.equal(canonicalInstant(value), canonical);
    });
  }
  test('what Date.parse reads the same way, parseInstant reads the same way', () => {
    for (const value of [
      '2024-02-29T23:59:59Z',
      '0001-01-01T00:00:00Z',
      '2025-06-01T00:00:00-12:00',
    ]) {
      assert.equal(parseInstant(value), Date.parse(value));
    }
  });
  test('values that are not strings are no instants', () => {
    for (const value of [null, undefined, 0, {}, ['2025-01-15T09:00:00Z']]) {
      assert.ok(Number.isNaN(parseInstant(value)));
      assert.equal(canonicalInstant(value), undefined);
    }
  });
});

describe('protocol: zones', () => {
  const cases: [unknown, string | undefined][] = [
    ['Europe/Berlin', 'Europe/Berlin'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['America/Godthab', 'America/Nuuk'],
    ['Pacific/Enderbury', 'Pacific/Kanton'],
    ['US/Eastern', 'America/New_York'],
    ['Etc/UTC', 'UTC'],
    ['UTC', 'UTC'],
    ['Europe/Bratislava', 'Europe/Bratislava'],
    ['Mars/Olympus', undefined],
    ['', undefined],
    ['../etc/passwd', undefined],
    ['Europe/Berlin ', undefined],
    [42, undefined],
  ];
  for (const [value, expected] of cases) {
    test(`${JSON.stringify(value)} → ${expected}`, () =>
      assert.equal(canonicalZone(value), expected));
  }
  test('every zone the runtime lists has a current name that the runtime accepts', () => {
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const canonical = canonicalZone(zone);
      assert.ok(canonical, zone);
      assert.equal(canonicalZone(canonical), canonical, zone);
    }
  });
});
