// A Cloudflare Worker that is the proxy (<meetergo-slots proxy-url="https://slots.example.workers.dev">).
// Set the key with `wrangler secret put MEETERGO_API_KEY`. In your Worker, import from
// 'meetergo-slots/proxy'.
import { createMeetergoProxy, type MeetergoProxyHandler } from '../src/proxy/index.js';

interface Env {
  MEETERGO_API_KEY: string;
  ALLOWED_ORIGINS?: string;
}

// One handler per isolate, so its cache and rate limit outlive a single request.
let handle: MeetergoProxyHandler | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    handle ??= createMeetergoProxy({
      apiKey: env.MEETERGO_API_KEY,
      allowedOrigins: env.ALLOWED_ORIGINS?.split(',').map((origin) => origin.trim()),
      trustProxy: 'cf-connecting-ip',
    });
    return handle(request);
  },
};
