/**
 * The proxy in Node: an adapter from `node:http` (and Express, connect, vite) to the
 * fetch-standard handler, the environment of SPEC §4, and a ready server.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import {
  createMeetergoProxy,
  type MeetergoProxyHandler,
  type MeetergoProxyOptions,
} from './index.js';

/** Methods the fetch `Request` constructor refuses; answered 405 here. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * Wraps a fetch-standard handler as a `node:http` request listener; also an Express/connect
 * middleware (it reads `req.originalUrl` when set, so set `basePath` to the mount path).
 * Request bodies are never read: the proxy answers GET, HEAD and OPTIONS only. The returned
 * promise settles when the answer is sent (koa: `await proxy(ctx.req, ctx.res)`) and never rejects.
 */
export function toNodeHandler(
  handle: MeetergoProxyHandler,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return (req, res) => serve(handle, req, res);
}

async function serve(
  handle: MeetergoProxyHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  let request: Request;
  try {
    if (FORBIDDEN_METHODS.has(method)) {
      return plain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD, OPTIONS' });
    }
    request = toRequest(req, method);
  } catch {
    return plain(res, 400, 'Bad request');
  }
  let response: Response;
  try {
    response = await handle(request, { clientAddress: req.socket.remoteAddress });
  } catch {
    return plain(res, 500, 'Internal error');
  }
  try {
    res.statusCode = response.status;
    response.headers.forEach((value, name) => res.setHeader(name, value));
    if (response.body === null || method === 'HEAD') {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    for (let step = await reader.read(); !step.done; step = await reader.read()) {
      if (res.destroyed) break;
      if (!res.write(step.value)) {
        await new Promise((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
    res.end();
  } catch {
    res.destroy();
  }
}

function toRequest(req: IncomingMessage, method: string): Request {
  const raw = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const host =
    req.headers.host !== undefined && HOST.test(req.headers.host) ? req.headers.host : 'localhost';
  const scheme = req.socket instanceof TLSSocket ? 'https' : 'http';
  // Origin-form targets are appended as they are, so `//x/…` stays a path and never a host.
  const url = raw.startsWith('/') ? `${scheme}://${host}${raw}` : new URL(raw).href;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return new Request(url, { method, headers });
}

function plain(
  res: ServerResponse,
  status: number,
  message: string,
  extra: Record<string, string> = {},
): void {
  const requestId = randomUUID();
  const body: Record<string, unknown> = { statusCode: status, message };
  if (status >= 500) body.requestId = requestId;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'X-Request-Id': requestId,
    ...extra,
  });
  res.end(JSON.stringify(body));
}

/** Environment variables of SPEC §4 (a subset of `process.env`). */
export type ProxyEnv = Record<string, string | undefined>;

/** The proxy's options from the environment, plus where the ready server listens. */
export type ProxyEnvConfig = MeetergoProxyOptions & { port: number; host: string };

/**
 * Reads `MEETERGO_API_KEY` (required), `MEETERGO_API_URL`, `PORT` (8787), `HOST` (127.0.0.1),
 * `ALLOWED_ORIGINS`, `ALLOWED_USER_IDS`, `ALLOWED_MEETING_TYPE_IDS` (comma-separated),
 * `RATE_LIMIT_PER_MINUTE` and `TRUST_PROXY`. Throws an `Error` naming the variable at fault;
 * the option checks of `createMeetergoProxy` still apply to the values.
 */
export function proxyOptionsFromEnv(env: ProxyEnv = process.env): ProxyEnvConfig {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const list = (name: string) =>
    read(name)
      ?.split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  const integer = (name: string, fallback: number, max: number) => {
    const value = read(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) > max) {
      throw new Error(`${name} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
    }
    return Number(value);
  };
  const apiKey = read('MEETERGO_API_KEY');
  if (apiKey === undefined) {
    throw new Error('MEETERGO_API_KEY is not set: set it to your meetergo API key');
  }
  const config: ProxyEnvConfig = {
    apiKey,
    port: integer('PORT', 8787, 65_535),
    host: read('HOST') ?? '127.0.0.1',
  };
  const upstreamUrl = read('MEETERGO_API_URL');
  if (upstreamUrl !== undefined) config.upstreamUrl = upstreamUrl;
  const origins = list('ALLOWED_ORIGINS');
  if (origins !== undefined && origins.length > 0) config.allowedOrigins = origins;
  const users = list('ALLOWED_USER_IDS');
  if (users !== undefined && users.length > 0) config.allowedUserIds = users;
  const types = list('ALLOWED_MEETING_TYPE_IDS');
  if (types !== undefined && types.length > 0) config.allowedMeetingTypeIds = types;
  if (read('RATE_LIMIT_PER_MINUTE') !== undefined) {
    config.rateLimitPerMinute = integer('RATE_LIMIT_PER_MINUTE', 60, 1_000_000);
  }
  const trustProxy = read('TRUST_PROXY');
  if (trustProxy !== undefined) config.trustProxy = trustProxy;
  return config;
}

/** A running proxy server. */
export interface ProxyServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts the ready server: options from `env` (see `proxyOptionsFromEnv`), then `overrides`
 * on top (`logger`, `fetch`, `now`, `timeoutMs`, …). Logs one line per request to stdout
 * unless `overrides.logger` says otherwise.
 */
export async function startProxyServer(
  env: ProxyEnv = process.env,
  overrides: Partial<MeetergoProxyOptions> = {},
): Promise<ProxyServer> {
  const { port, host, ...fromEnv } = proxyOptionsFromEnv(env);
  const handle = createMeetergoProxy({
    logger: (line) => process.stdout.write(`${line}\n`),
    ...fromEnv,
    ...overrides,
  });
  const server = createServer(toNodeHandler(handle));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
