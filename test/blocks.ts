/**
 * The proxy's blocks as the Node tests see them, for a clock on 2025-01-06 (UTC): blocks are 28
 * days, block 0 from 2025-01-03 (three days before today), so a week inside block `n`, padded by a
 * day each side, is one upstream call of its own.
 */
export function weekInBlock(n: number): string {
  const day = (offset: number) =>
    new Date(Date.UTC(2025, 0, 10 + 28 * n + offset)).toISOString().slice(0, 10);
  return `startDate=${day(0)}&endDate=${day(6)}`;
}
