// A Next.js App Router route handler, app/api/meetergo/[...path]/route.ts, for
// <meetergo-slots proxy-url="/api/meetergo">. In your app, import from 'meetergo-slots/proxy'.
import { createMeetergoProxy, type MeetergoProxyHandler } from '../src/proxy/index.js';

export const dynamic = 'force-dynamic';

// Created on the first request, so `next build` does not need the key.
let handle: MeetergoProxyHandler | undefined;
function proxy(request: Request): Promise<Response> {
  handle ??= createMeetergoProxy({
    apiKey: process.env.MEETERGO_API_KEY ?? '',
    basePath: '/api/meetergo', // the route's own path
    trustProxy: 'x-forwarded-for', // set by Vercel and most hosts in front of Next.js
  });
  return handle(request);
}

export const GET = proxy;
export const HEAD = proxy;
export const OPTIONS = proxy;
