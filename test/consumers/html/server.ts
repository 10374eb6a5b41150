// A customer's own development server, type-checked under a Node-only config (no DOM lib):
// the reference proxy over the stand-in, and the stand-in itself as a Node server.
import { createServer } from 'node:http';
import { createMeetergoProxy } from 'meetergo-slots/proxy';
import { toNodeHandler } from 'meetergo-slots/proxy/node';
import { createStandIn, SEEDED_HOSTS } from 'meetergo-slots/stand-in';

const standIn = createStandIn({ now: () => new Date('2025-01-06T06:00:00Z') });
const proxy = createMeetergoProxy({
  apiKey: 'stand-in',
  upstreamUrl: standIn.baseUrl,
  fetch: standIn.fetch,
  allowedUserIds: SEEDED_HOSTS.map((host) => host.userId),
});

export const proxyServer = createServer(toNodeHandler(proxy));
export const standInServer = createServer(toNodeHandler(standIn.fetch));
