/**
 * The proxy in Node: an adapter from `node:http` (and Express, connect, vite) to the handler,
 * the environment of the ready server, and the server itself, which drains on shutdown.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import {
  createMeetergoProxy,
  PROXY_CORE,
  type MeetergoProxyHandler,
  type MeetergoProxyOptions,
  type ProxyAnswer,
  type ProxyCore,
} from './index.js';
import {
  proxyOptionsFromEnv as optionsFromEnv,
  type ProxyEnv,
  type ProxyEnvConfig,
} from './options.js';

export type { ProxyEnv, ProxyEnvConfig } from './options.js';

/** Any fetch-standard handler (`toNodeHandler` serves these too, e.g. the stand-in's `fetch`). */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Methods the fetch `Request` constructor refuses; answered 405 here. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

/**
 * Wraps the handler as a `node:http` request listener; also an Express/connect middleware (it
 * reads `req.originalUrl` when set, so set `basePath` to the mount path). Request bodies are
 * never read: the proxy answers GET, HEAD and OPTIONS only. A handler made by
 * `createMeetergoProxy` is served without building a `Request` or a `Response` (its answer's
 * bytes are written straight out); any other fetch-standard handler works too, streamed with
 * backpressure. The returned promise settles when the answer is sent and never rejects.
 */
export function toNodeHandler(
  handle: MeetergoProxyHandler | FetchHandler,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const core = (handle as MeetergoProxyHandler & { [PROXY_CORE]?: ProxyCore })[PROXY_CORE];
  if (typeof core !== 'function') return (req, res) => serve(handle, req, res);
  return (req, res) => serveCore(core, req, res);
}

const DONE = Promise.resolve();

function serveCore(core: ProxyCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  if (FORBIDDEN_METHODS.has(method)) {
    plain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD, OPTIONS' });
    return DONE;
  }
  let target = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  let result: ProxyAnswer | Promise<ProxyAnswer>;
  try {
    if (!target.startsWith('/')) {
      const url = new URL(target);
      target = url.pathname + url.search;
    }
    // Both read lazily: Node builds `req.headers` on first use, and the peer's address is a
    // system call; a cache hit usually needs neither.
    result = core({
      method,
      target,
      header: (name) => {
        const value = req.headers[name];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
      get clientAddress() {
        return req.socket.remoteAddress;
      },
    });
  } catch {
    plain(res, 400, 'Bad request');
    return DONE;
  }
  if (!(result instanceof Promise)) {
    writeAnswer(res, result);
    return DONE;
  }
  return result.then(
    (answer) => writeAnswer(res, answer),
    () => plain(res, 500, 'Internal error'),
  );
}

function writeAnswer(res: ServerResponse, answer: ProxyAnswer): void {
  if (res.headersSent || res.destroyed) return;
  try {
    const { body, headers } = answer;
    // A flat [name, value, …] list: Node writes it without building a header object.
    if (body !== null) headers.push('Content-Length', String(body.byteLength));
    res.writeHead(answer.status, headers);
    res.end(answer.head ? undefined : (body ?? undefined));
  } catch {
    res.destroy();
  }
}

async function serve(
  handle: MeetergoProxyHandler | FetchHandler,
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
    response = await (handle as MeetergoProxyHandler)(request, {
      clientAddress: req.socket.remoteAddress,
    });
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

/**
 * Reads the environment of the ready server (see the README's table): `MEETERGO_API_KEY`
 * (required), `MEETERGO_API_URL`, `PORT`, `HOST`, `ALLOWED_ORIGINS`, `ALLOWED_USER_IDS`,
 * `ALLOWED_MEETING_TYPE_IDS`, `RATE_LIMIT_PER_MINUTE`, `TRUST_PROXY`, `UPSTREAM_PER_MINUTE`,
 * `PROXY_INSTANCES`, `FRESH_SECONDS`, `STALE_SECONDS`, `HORIZON_DAYS`. Throws a `TypeError`
 * naming the variable at fault.
 */
export function proxyOptionsFromEnv(env: ProxyEnv = process.env): ProxyEnvConfig {
  return optionsFromEnv(env);
}

/** A running proxy server. */
export interface ProxyServer {
  /** Where it listens, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /**
   * Stops listening, lets the requests in flight finish (at most `drainMs`, default 10 s),
   * then closes every connection.
   */
  close(drainMs?: number): Promise<void>;
}

/** A logger that writes its lines to stdout in batches, once per turn of the event loop. */
function stdoutLogger(): { log: (line: string) => void; flush: () => void } {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join('\n')}\n`;
    pending = [];
    process.stdout.write(text);
  };
  return {
    log: (line) => {
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

/**
 * Starts the ready server: options from `env` (see `proxyOptionsFromEnv`), then `overrides`
 * on top (`logger`, `fetch`, `now`, `store`, …). Logs one line per request to stdout (in
 * batches, never blocking an answer) unless `overrides.logger` says otherwise.
 */
export async function startProxyServer(
  env: ProxyEnv = process.env,
  overrides: Partial<MeetergoProxyOptions> = {},
): Promise<ProxyServer> {
  const { port, host, ...fromEnv } = proxyOptionsFromEnv(env);
  const stdout = stdoutLogger();
  const handle = createMeetergoProxy({ logger: stdout.log, ...fromEnv, ...overrides });
  const listener = toNodeHandler(handle);
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;
  const server = createServer((req, res) => {
    inFlight += 1;
    if (draining) res.shouldKeepAlive = false;
    res.once('close', () => {
      inFlight -= 1;
      if (draining && inFlight === 0) drained?.();
    });
    void listener(req, res);
  });
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
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${address.port}`,
    close: (drainMs = 10_000) =>
      (closing ??= new Promise<void>((resolve) => {
        draining = true;
        const timer = setTimeout(() => drained?.(), drainMs);
        drained = () => {
          drained = undefined;
          clearTimeout(timer);
          server.closeAllConnections();
        };
        server.close(() => {
          stdout.flush();
          resolve();
        });
        server.closeIdleConnections();
        if (inFlight === 0) drained();
      })),
  };
}
