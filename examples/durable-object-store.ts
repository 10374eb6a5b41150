// A ProxyStore in one Cloudflare Durable Object: one object per deployment holds the cached
// blocks, the refresh locks, the budget and the pause, and runs one call at a time, so the
// budget is exact across every isolate and region. In your Worker, import from
// 'meetergo-slots/proxy'; bind the class in wrangler.toml:
//
//   [[durable_objects.bindings]]
//   name = "PROXY_STORE"
//   class_name = "ProxyStoreObject"
//   [[migrations]]
//   tag = "v1"
//   new_classes = ["ProxyStoreObject"]
//
// and create the proxy with `store: durableObjectStore(env.PROXY_STORE)`.
import { memoryStore, type ProxyStore } from '../src/proxy/index.js';

/** The parts of Cloudflare's Durable Object types used here (from @cloudflare/workers-types). */
interface DurableObjectStub {
  fetch(request: Request): Promise<Response>;
}
interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
}

type Method = keyof ProxyStore;
const METHODS = new Set<Method>([
  'getBlock',
  'setBlock',
  'acquireLock',
  'releaseLock',
  'takeToken',
  'pauseUntil',
  'pausedUntil',
]);

/** The Durable Object: a memory store behind `fetch`, one call at a time. */
export class ProxyStoreObject {
  readonly #store = memoryStore();

  async fetch(request: Request): Promise<Response> {
    const { method, args } = (await request.json()) as { method: Method; args: unknown[] };
    if (!METHODS.has(method)) return new Response('unknown method', { status: 400 });
    const call = this.#store[method] as (...a: unknown[]) => Promise<unknown>;
    const result = await call(...args);
    return Response.json({ result: result ?? null });
  }
}

/** The Worker's side: every store call is one request to the deployment's object. */
export function durableObjectStore(
  namespace: DurableObjectNamespace,
  name = 'meetergo-slots',
): ProxyStore {
  const stub = () => namespace.get(namespace.idFromName(name));
  const call = async (method: Method, ...args: unknown[]): Promise<unknown> => {
    const response = await stub().fetch(
      new Request('https://store.internal/', {
        method: 'POST',
        body: JSON.stringify({ method, args }),
      }),
    );
    if (!response.ok) throw new Error(`store answered ${response.status}`);
    return ((await response.json()) as { result: unknown }).result;
  };
  return {
    getBlock: async (key) =>
      ((await call('getBlock', key)) ?? undefined) as Awaited<ReturnType<ProxyStore['getBlock']>>,
    setBlock: async (key, block, ttlMs) => void (await call('setBlock', key, block, ttlMs)),
    acquireLock: async (key, ttlMs) => (await call('acquireLock', key, ttlMs)) as string | null,
    releaseLock: async (key, token) => void (await call('releaseLock', key, token)),
    takeToken: async (bucket, perMinute, now) =>
      (await call('takeToken', bucket, perMinute, now)) === true,
    pauseUntil: async (until) => void (await call('pauseUntil', until)),
    pausedUntil: async () => Number(await call('pausedUntil')) || 0,
  };
}
