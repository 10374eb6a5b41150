// A Cloudflare Worker that is the proxy (<meetergo-slots proxy-url="https://slots.example.workers.dev">).
// Set the key with `wrangler secret put MEETERGO_API_KEY`. In your Worker, import from
// 'meetergo-slots/proxy'. Isolates share the cache and the budget through one Durable Object
// (examples/durable-object-store.ts); without it, each isolate has its own memory store.
import { createMeetergoProxy, type MeetergoProxyHandler } from '../src/proxy/index.js';
import { durableObjectStore, ProxyStoreObject } from './durable-object-store.js';

interface Env {
  MEETERGO_API_KEY: string;
  ALLOWED_ORIGINS?: string;
  PROXY_STORE: Parameters<typeof durableObjectStore>[0];
}

// One handler per isolate, so its cache and rate limit outlive a single request.
let handle: MeetergoProxyHandler | undefined;

export { ProxyStoreObject };

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handle ??= createMeetergoProxy({
      apiKey: env.MEETERGO_API_KEY,
      allowedOrigins: env.ALLOWED_ORIGINS?.split(',').map((origin) => origin.trim()),
      trustProxy: 'cf-connecting-ip',
      store: durableObjectStore(env.PROXY_STORE),
    });
    return handle(request);
  },
};
