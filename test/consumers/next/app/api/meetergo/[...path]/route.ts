// The README's Next.js route handler ("Next.js (App Router)"), verbatim.
import { createMeetergoProxy, type MeetergoProxyHandler } from 'meetergo-slots/proxy';

let handle: MeetergoProxyHandler | undefined; // created on first use: `next build` needs no key
function proxy(request: Request): Promise<Response> {
  handle ??= createMeetergoProxy({
    apiKey: process.env.MEETERGO_API_KEY ?? '',
    upstreamUrl: process.env.MEETERGO_API_URL, // unset: https://api.meetergo.com
    basePath: '/api/meetergo',
    trustProxy: 'x-forwarded-for',
  });
  return handle(request);
}

export const GET = proxy;
export const HEAD = proxy;
export const OPTIONS = proxy;
