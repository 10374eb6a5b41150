#!/usr/bin/env node
/**
 * `npx meetergo-slots-proxy`: the reference proxy as one process, configured by the
 * environment of SPEC §4 (see `proxyOptionsFromEnv`).
 */
import { startProxyServer } from './node.js';

try {
  // REDIS_URL: the fleet's shared store (README "Deploying at scale: a Node fleet with Redis");
  // its client ends with the process.
  const redisUrl = process.env.REDIS_URL?.trim();
  const redis = redisUrl
    ? await (await import('./redis.js')).connectRedisStore(redisUrl)
    : undefined;
  const server = await startProxyServer(process.env, {
    logger: (line) => console.log(line),
    ...(redis && { store: redis.store }),
  });
  console.log(`meetergo-slots proxy listening on ${server.url}`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`meetergo-slots proxy: ${signal} received, shutting down`);
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (cause) {
  const message = (cause instanceof Error ? cause.message : String(cause)).replace(
    /^meetergo-slots proxy: /,
    '',
  );
  console.error(`meetergo-slots proxy: ${message}`);
  process.exitCode = 1;
}
