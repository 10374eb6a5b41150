/**
 * `meetergo-slots/stand-in`: a stand-in of meetergo's API as msw request handlers, for the
 * demo, our tests and customers' own tests: no key, no network. Browser-safe (msw core and
 * Intl only); use the handlers with `setupServer` (msw/node) or `setupWorker` (msw/browser),
 * or call `standIn.fetch` directly, e.g. as the reference proxy's `fetch`.
 */
import { getResponse, http, HttpResponse } from 'msw';
import type { HttpHandler } from 'msw';
import { Company, fail, idKey } from './company.js';
import type { Reply } from './company.js';
import { rateLimiter } from './rate-limit.js';
import { SEED_BODIES, SEEDED_HOSTS } from './seed.js';

export { SEEDED_HOSTS, COMPANY_ID, ADMIN_USER_ID } from './seed.js';
export type { SeededHost } from './seed.js';
export type { ApiError } from './company.js';

export interface StandInOptions {
  /** The API base the handlers answer for; default `https://api.meetergo.com`. */
  baseUrl?: string;
  /** "Now", called on every request; default `() => new Date()`. */
  now?: () => Date;
  /** Start with the seeded hosts (`SEEDED_HOSTS`); default `true`. */
  seed?: boolean;
  /**
   * meetergo's rate limit, per API key (the Bearer token): requests a minute, e.g. `100`.
   * Beyond it, 429 with meetergo's body and `Retry-After`. Default `0`: no limit.
   */
  rateLimitPerMinute?: number;
  /** Requests one key may make at once after a quiet spell; default `2 × rateLimitPerMinute`. */
  rateLimitBurst?: number;
}

export interface StandIn {
  /** The API base, without a trailing slash. */
  readonly baseUrl: string;
  /** The msw request handlers; the last one answers unknown routes under `baseUrl` with a 404. */
  readonly handlers: HttpHandler[];
  /** Dispatches a request straight to the handlers, patching nothing; unmatched → 404 JSON. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Forgets every change: back to the seeded (or empty) company. */
  reset(): void;
}

const USER_HEADER = 'x-meetergo-api-user-id';

type Params = Record<string, string | readonly string[] | undefined>;
interface Context {
  request: Request;
  params: Params;
  company: Company;
  /** The `x-meetergo-api-user-id` header, trimmed; `null` when absent or empty. */
  actingUserId: string | null;
  url: URL;
}

class BodyError extends Error {}

/** The JSON body of a request; an empty body reads as `{}`. */
async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError('Invalid JSON body');
  }
}

/** The API key of a request (`Authorization: Bearer <key>`), or `null`. */
function apiKeyOf(request: Request): string | null {
  const match = /^Bearer\s+(\S.*)$/i.exec(request.headers.get('authorization') ?? '');
  return match ? match[1].trim() : null;
}

function respond(reply: Reply): Response {
  const init = { status: reply.status, ...(reply.headers ? { headers: reply.headers } : {}) };
  return reply.body === undefined
    ? new HttpResponse(null, init)
    : HttpResponse.json(reply.body, init);
}

function notFoundRoute(request: Request): Response {
  return respond(fail(404, `Cannot ${request.method} ${new URL(request.url).pathname}`));
}

/** A path parameter; ids that are UUIDs in any case name the same record. */
const param = (params: Params, name: string): string => idKey(String(params[name] ?? ''));

/** A stand-in of meetergo's API with its own in-memory company. */
export function createStandIn(options: StandInOptions = {}): StandIn {
  const baseUrl = (options.baseUrl ?? 'https://api.meetergo.com').replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const seed = options.seed ?? true;
  const limiter = rateLimiter(options.rateLimitPerMinute ?? 0, options.rateLimitBurst);

  const build = (): Company => {
    const company = new Company(now);
    if (seed) {
      SEED_BODIES.forEach((body, i) => {
        const { userId, availabilityId, meetingTypeId } = SEEDED_HOSTS[i];
        company.createUser(body, { userId, availabilityId, meetingTypeId });
      });
    }
    return company;
  };
  let company = build();

  const route =
    (method: 'get' | 'post' | 'patch' | 'delete') =>
    (path: string, answer: (ctx: Context) => Reply | Promise<Reply>): HttpHandler =>
      http[method](`${baseUrl}${path}`, async ({ request, params }) => {
        const key = apiKeyOf(request);
        if (key === null) return respond(fail(401, 'Unauthorized'));
        const wait = limiter.take(key, now().getTime());
        if (wait > 0) {
          const reply = fail(429, 'ThrottlerException: Too Many Requests');
          return respond({ ...reply, headers: { 'Retry-After': String(wait) } });
        }
        try {
          const userId = request.headers.get(USER_HEADER)?.trim();
          const header = userId ? idKey(userId) : null;
          const ctx = { request, params, company, actingUserId: header, url: new URL(request.url) };
          return respond(await answer(ctx));
        } catch (error) {
          if (error instanceof BodyError) return respond(fail(400, error.message));
          throw error;
        }
      });
  const get = route('get');
  const post = route('post');
  const patch = route('patch');
  const del = route('delete');

  const handlers: HttpHandler[] = [
    // The hot path first: msw parses each request once per handler it tries.
    get('/v4/user/:id/bookable-windows', (c) =>
      c.company.bookableWindows(param(c.params, 'id'), c.url.searchParams),
    ),
    // Users.
    post('/v4/user', async (c) => c.company.createUser(await readJson(c.request))),
    get('/v4/user', (c) => c.company.listUsers()),
    get('/v4/user/me', (c) => c.company.me(c.actingUserId)),
    get('/v4/user/:id', (c) => c.company.getUser(param(c.params, 'id'))),
    patch('/v4/user/:id', async (c) =>
      c.company.updateUser(param(c.params, 'id'), await readJson(c.request)),
    ),
    del('/v4/user/:id', (c) => c.company.deleteUser(param(c.params, 'id'))),
    // Meeting types.
    get('/v4/meeting-type', (c) => c.company.listMeetingTypes(c.actingUserId)),
    post('/v4/meeting-type', async (c) =>
      c.company.createMeetingType(c.actingUserId, await readJson(c.request)),
    ),
    get('/v4/meeting-type/:id', (c) =>
      c.company.getMeetingType(c.actingUserId, param(c.params, 'id')),
    ),
    patch('/v4/meeting-type/:id', async (c) =>
      c.company.updateMeetingType(c.actingUserId, param(c.params, 'id'), await readJson(c.request)),
    ),
    // Availability (no /v4 prefix, as in the docs) and exceptions.
    get('/availability', (c) => c.company.listAvailabilities(c.actingUserId)),
    get('/availability/:id', (c) =>
      c.company.getAvailability(c.actingUserId, param(c.params, 'id')),
    ),
    patch('/availability/:id', async (c) =>
      c.company.updateAvailability(
        c.actingUserId,
        param(c.params, 'id'),
        await readJson(c.request),
      ),
    ),
    post('/availability-exception/user', async (c) =>
      c.company.createException(c.actingUserId, await readJson(c.request)),
    ),
    get('/availability-exception/user', (c) => c.company.listExceptions(c.actingUserId)),
    // Bookings.
    post('/v4/booking', async (c) => c.company.createBooking(await readJson(c.request))),
    // Anything else under the base: meetergo's 404.
    http.all(`${baseUrl}/*`, ({ request }) => notFoundRoute(request)),
  ];

  const standInFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const request =
      input instanceof Request && init === undefined ? input : new Request(input, init);
    const signal = request.signal;
    signal.throwIfAborted();
    let onAbort = (): void => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return (
        (await Promise.race([getResponse(handlers, request), aborted])) ?? notFoundRoute(request)
      );
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };

  return {
    baseUrl,
    handlers,
    fetch: standInFetch,
    reset: () => {
      company = build();
      limiter.clear();
    },
  };
}
