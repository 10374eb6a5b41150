// Shared set-up of the browser tests: msw's worker mocking the proxy at the network boundary,
// a fixed "now" (only Date is faked; timers run for real), and small DOM helpers.
import { fixtureCleanup } from '@open-wc/testing';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { setupWorker } from 'msw/browser';
import sinon from 'sinon';
import { sharedRequests } from '../../src/api.js';
import type { MeetergoSlots } from '../../src/meetergo-slots.js';

export const PROXY = 'https://proxy.test/api/meetergo';
export const USER = '550e8400-e29b-41d4-a716-446655440000';
export const USER_B = '550e8400-e29b-41d4-a716-446655440001';
export const MEETING = '770e8400-e29b-41d4-a716-446655440002';
export const BOOKING = 'https://cal.meetergo.com/john-smith/30min-meeting';
export const WINDOWS_PATH = `${PROXY}/v4/user/:userId/bookable-windows`;

// The initial handler, which resetHandlers() keeps: a request no test answered (one still in
// flight when its test ended) gets a 503 rather than reaching the network or msw's error log.
export const worker = setupWorker(
  http.get(WINDOWS_PATH, () =>
    HttpResponse.json({ statusCode: 503, message: 'No handler in this test' }, { status: 503 }),
  ),
);
let started: Promise<unknown> | undefined;

/** Start msw once per test file; quiet, and every unmatched request is an error. */
export function startWorker(): Promise<unknown> {
  started ??= worker.start({ quiet: true, onUnhandledRequest: 'error' });
  return started;
}

/** Requests the proxy saw, as URLs. */
export interface Recorder {
  urls: URL[];
}

/** Answer every windows request with `windows` (and `bookingUrl`), recording the requests. */
export function answerWith(
  windows: unknown[] | ((url: URL) => unknown[]),
  extra: Record<string, unknown> = {},
): Recorder {
  const recorder: Recorder = { urls: [] };
  worker.use(
    http.get(WINDOWS_PATH, ({ request }) => {
      const url = new URL(request.url);
      recorder.urls.push(url);
      return HttpResponse.json({
        windows: typeof windows === 'function' ? windows(url) : windows,
        ...extra,
      });
    }),
  );
  return recorder;
}

export function use(...handlers: HttpHandler[]): void {
  worker.use(...handlers);
}

let clock: sinon.SinonFakeTimers | undefined;
/** Fix "now" for the product (Date only; setTimeout and friends stay real). */
export function freezeNow(iso: string): void {
  clock?.restore();
  clock = sinon.useFakeTimers({ now: new Date(iso), toFake: ['Date'] });
}
export function restoreNow(): void {
  clock?.restore();
  clock = undefined;
}

/** Wait until the element has settled: no request pending and rendered. */
export async function settled(el: MeetergoSlots, timeout = 4000): Promise<void> {
  const until = performance.now() + timeout;
  for (;;) {
    await el.updateComplete;
    const root = el.shadowRoot?.querySelector('.root');
    if (root && root.getAttribute('aria-busy') === 'false') {
      await el.updateComplete;
      return;
    }
    if (performance.now() > until) throw new Error('the element did not settle');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function days(el: MeetergoSlots): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="day"]')];
}

export function slots(el: MeetergoSlots): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="slot"]')];
}

/** `{ 'YYYY-MM-DD': ['<start instant>', …] }` as rendered: the days that show times. */
export function rendered(el: MeetergoSlots): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const day of days(el)) {
    if (!day.querySelector('[part~="slot"]')) continue;
    const date = day.querySelector('[part~="day-heading"] time')!.getAttribute('datetime')!;
    out[date] = [...day.querySelectorAll('[part~="slot"] time')].map((t) =>
      t.getAttribute('datetime')!,
    );
  }
  return out;
}

export function status(el: MeetergoSlots): string {
  return [...el.shadowRoot!.querySelectorAll('[part~="status"]')]
    .map((node) => node.textContent!.replace(/\s+/g, ' ').trim())
    .join(' | ');
}

/** Capture console.warn calls while `body` runs (nothing reaches the real console). */
export async function captureWarnings(body: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const stub = sinon.stub(console, 'warn').callsFake((...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  });
  try {
    await body();
  } finally {
    stub.restore();
  }
  return warnings;
}

/** A promise with its resolver, to hold a response until a test releases it. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * The hooks of a test file whose proxy is mocked: msw started once, "now" frozen for each test,
 * and after each test its elements removed before its handlers, so none asks for more.
 */
export function useMockedProxy(now: string): void {
  before(startWorker);
  beforeEach(() => freezeNow(now));
  afterEach(() => {
    fixtureCleanup();
    worker.resetHandlers();
    // Answers are shared between instances for a few seconds; each test starts with none.
    sharedRequests.forget();
    restoreNow();
  });
}

/** `perDay` half-hourly instants from 08:00Z on each of `count` days from `first`. */
export function weekOf(first: string, count: number, perDay: number): string[] {
  const out: string[] = [];
  const start = Date.parse(`${first}T08:00:00Z`);
  for (let day = 0; day < count; day++) {
    for (let i = 0; i < perDay; i++) {
      out.push(
        new Date(start + day * 86_400_000 + i * 1_800_000).toISOString().replace('.000', ''),
      );
    }
  }
  return out;
}

interface AxeResult {
  id: string;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * axe-core's WCAG 2.0/2.1 A and AA rules and its best practices (heading-order among them) on
 * `el`; fails with every violation, and unless
 * `contrast` is false, when colour contrast was not actually checked on some text.
 */
export async function audit(el: Element, contrast = true): Promise<void> {
  await import('axe-core/axe.min.js');
  const { axe } = window as unknown as {
    axe: {
      run(
        context: Element,
        options: object,
      ): Promise<{ violations: AxeResult[]; passes: AxeResult[] }>;
    };
  };
  const results = await axe.run(el, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  });
  const problems = results.violations.map(
    (v) =>
      `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`,
  );
  if (problems.length) throw new Error(`axe violations:\n${problems.join('\n')}`);
  if (contrast) {
    const checked = results.passes.find((r) => r.id === 'color-contrast');
    if (!checked?.nodes.length) throw new Error('axe did not check colour contrast');
  }
}

/** Save a screenshot of `el` (with a small margin) as test-results/screenshots/<name>.png. */
export async function shoot(name: string, el: Element): Promise<void> {
  const { executeServerCommand } = await import('@web/test-runner-commands');
  const box = el.getBoundingClientRect();
  await executeServerCommand('screenshot', {
    name,
    clip: {
      x: Math.max(0, box.x + scrollX - 8),
      y: Math.max(0, box.y + scrollY - 8),
      width: Math.ceil(box.width + 16),
      height: Math.ceil(box.height + 16),
    },
  });
}
