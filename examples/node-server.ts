// The ready server from code: what `npx meetergo-slots-proxy` runs, configured by the same
// environment variables, with options set in code on top. In your app, import from
// 'meetergo-slots/proxy/node'.
import { startProxyServer } from '../src/proxy/node.js';

const server = await startProxyServer(process.env, {
  freshSeconds: 120,
  bookingUrls: {
    '770e8400-e29b-41d4-a716-446655440002': 'https://cal.meetergo.com/john-smith/30min-meeting',
  },
});
process.stdout.write(`meetergo-slots proxy listening on ${server.url}\n`);
process.once('SIGTERM', () => void server.close());
