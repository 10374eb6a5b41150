// The server side of `npm start`: the reference proxy mounted at /api/meetergo on the demo's own
// origin, with the stand-in of meetergo's API as its upstream (or the real API when
// MEETERGO_API_KEY is set), and two dev-only endpoints for the demo page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { createMeetergoProxy } from '../src/proxy/index.js';
import { toNodeHandler } from '../src/proxy/node.js';
import { SEEDED_HOSTS, createStandIn } from '../src/stand-in/index.js';

export const PROXY_PATH = '/api/meetergo';

/** A host the demo page shows. */
export interface DemoHost {
  name: string;
  userId: string;
  meetingTypeId?: string;
  bookingUrl?: string;
  timezone?: string;
}

export interface DevServerOptions {
  /** Environment to read MEETERGO_* from. */
  env?: NodeJS.ProcessEnv;
  /** Print a line per request of the proxy. */
  log?: (line: string) => void;
}

/** Mounts the proxy and the demo's dev endpoints into vite's dev (and preview) server. */
export function meetergoDevServer({ env = process.env, log }: DevServerOptions = {}): Plugin {
  const apiKey = env['MEETERGO_API_KEY']?.trim();
  const standIn = apiKey ? null : createStandIn();
  const upstreamUrl = env['MEETERGO_API_URL']?.trim() || 'https://api.meetergo.com';
  const handle = createMeetergoProxy({
    apiKey: apiKey || 'stand-in-key',
    upstreamUrl: standIn ? standIn.baseUrl : upstreamUrl,
    basePath: PROXY_PATH,
    ...(standIn ? { fetch: standIn.fetch } : {}),
    ...(log ? { logger: log } : {}),
  });
  const proxy = toNodeHandler(handle);

  async function hosts(): Promise<DemoHost[]> {
    if (standIn)
      return SEEDED_HOSTS.map(({ name, userId, meetingTypeId, bookingUrl, timezone }) => ({
        name,
        userId,
        meetingTypeId,
        bookingUrl,
        timezone,
      }));
    const userId = env['MEETERGO_USER_ID']?.trim();
    if (!userId) return [];
    return [
      {
        name: 'Your meetergo host',
        userId,
        ...(env['MEETERGO_MEETING_TYPE_ID']
          ? { meetingTypeId: env['MEETERGO_MEETING_TYPE_ID'].trim() }
          : {}),
        ...(env['MEETERGO_BOOKING_URL'] ? { bookingUrl: env['MEETERGO_BOOKING_URL'].trim() } : {}),
      },
    ];
  }

  /** POST /api/dev/users: the quickstart's `POST /v4/user`, against the stand-in only. */
  async function createUser(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!standIn) {
      return send(res, 409, {
        statusCode: 409,
        message: 'Creating users is only available with the stand-in (MEETERGO_API_KEY unset).',
      });
    }
    const body = await readBody(req, 64 * 1024);
    if (body === null)
      return send(res, 413, { statusCode: 413, message: 'Request body too large.' });
    const answer = await standIn.fetch(
      new Request(`${standIn.baseUrl}/v4/user`, {
        method: 'POST',
        headers: { Authorization: 'Bearer stand-in-key', 'Content-Type': 'application/json' },
        body,
      }),
    );
    res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(await answer.text());
  }

  const dev = async (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    try {
      const path = (req.url ?? '').split('?')[0];
      if (path === '/api/dev/hosts' && req.method === 'GET') {
        return send(res, 200, { standIn: Boolean(standIn), hosts: await hosts() });
      }
      if (path === '/api/dev/users' && req.method === 'POST') return await createUser(req, res);
      next();
    } catch {
      send(res, 500, { statusCode: 500, message: 'The demo server failed.' });
    }
  };

  return {
    name: 'meetergo-dev-server',
    configureServer(server) {
      server.middlewares.use(PROXY_PATH, proxy);
      server.middlewares.use(dev);
      const { printUrls } = server;
      server.printUrls = () => {
        printUrls();
        console.log(
          standIn
            ? `  ➜  Proxy:   ${PROXY_PATH} → the built-in stand-in of meetergo's API (no key needed)`
            : `  ➜  Proxy:   ${PROXY_PATH} → ${upstreamUrl} (MEETERGO_API_KEY set)`,
        );
      };
    },
    configurePreviewServer(server) {
      server.middlewares.use(PROXY_PATH, proxy);
      server.middlewares.use(dev);
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(null);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
