// Calendar arithmetic for tests and the bench, written independently of src/days.ts so that
// expectations are not computed by the code under test: plain UTC dates and Intl only.

/** `date` (`YYYY-MM-DD`) plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The calendar day (`YYYY-MM-DD`) of `instant` in `zone`. */
export function dayIn(zone: string, instant: Date | number): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** Runs `fn` with the process's own zone set to `zone` (Node re-reads TZ at runtime). */
export function withProcessZone<T>(zone: string, fn: () => T): T {
  const saved = process.env.TZ;
  process.env.TZ = zone;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
}
