#!/usr/bin/env node
/**
 * `npx meetergo-slots-proxy`: the reference proxy as one process, configured by the
 * environment (README, "The ready server"); `--stand-in` runs it key-less against the
 * built-in stand-in of meetergo's API, `--help` lists everything.
 */
import { startProxyServer, type ProxyEnv } from './node.js';
import type { MeetergoProxyOptions } from './index.js';

const HELP = `Usage: meetergo-slots-proxy [--stand-in] [--help]

The reference proxy for <meetergo-slots>: answers GET {proxy-url}/v4/user/{userId}/bookable-windows
by calling meetergo's API with your key, which never reaches the browser.

Options:
  --stand-in   no key needed: answer from the built-in stand-in of meetergo's API (made-up
               hosts and slots, not meetergo), for trying the widget and for development setups.
               Any origin may call it unless ALLOWED_ORIGINS is set. Needs the msw package.
  --help, -h   this text

Environment:
  MEETERGO_API_KEY          your meetergo API key (required, except with --stand-in)
  MEETERGO_API_URL          the upstream API (default https://api.meetergo.com)
  PORT                      port to listen on (default 8787; 0: any free port)
  HOST                      address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  ALLOWED_ORIGINS           comma-separated origins allowed to call it from a browser; * for any
  ALLOWED_USER_IDS          comma-separated meetergo user ids it serves (default any)
  ALLOWED_MEETING_TYPE_IDS  comma-separated meeting type ids; when set, requests must name one
  RATE_LIMIT_PER_MINUTE     upstream calls per client per minute (default 60; 0 turns it off)
  TRUST_PROXY               header carrying the client address behind a load balancer
                            (x-forwarded-for, cf-connecting-ip, x-real-ip)
  REDIS_URL                 a Redis server the proxies of a fleet share (cache, budget, pause)
  UPSTREAM_PER_MINUTE       calls to meetergo per minute for the whole fleet (default 90)

It prints the URL it listens on, then one line per request; SIGINT/SIGTERM stop it cleanly.
Docs: https://github.com/meetergo/meetergo-slots#readme`;

const STAND_IN_LABEL = 'stand-in, not meetergo';

/** The stand-in's environment and upstream, or a clear error when msw is not installed. */
async function standInSetup(
  env: ProxyEnv,
): Promise<{ env: ProxyEnv; overrides: Partial<MeetergoProxyOptions>; hosts: string[] }> {
  let standInModule: typeof import('../stand-in/index.js');
  try {
    standInModule = await import('../stand-in/index.js');
  } catch (cause) {
    if (String(cause).includes("'msw'")) {
      throw new Error(
        '--stand-in needs the msw package: npm install --save-dev msw (then run this again)',
      );
    }
    throw cause;
  }
  const standIn = standInModule.createStandIn();
  return {
    env: {
      ...env,
      MEETERGO_API_KEY: 'stand-in',
      MEETERGO_API_URL: standIn.baseUrl,
      ALLOWED_ORIGINS: env['ALLOWED_ORIGINS'] ?? '*',
    },
    overrides: { fetch: standIn.fetch },
    hosts: standInModule.SEEDED_HOSTS.map(
      (host) =>
        `  ${host.name.padEnd(14)} user-id="${host.userId}" meeting-type-id="${host.meetingTypeId}"`,
    ),
  };
}

async function main(args: string[]): Promise<void> {
  const unknown = args.filter((arg) => !['--help', '-h', '--stand-in'].includes(arg));
  if (unknown.length > 0) {
    throw new Error(`unknown option ${unknown[0]} (see meetergo-slots-proxy --help)`);
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return;
  }
  const standIn = args.includes('--stand-in') ? await standInSetup(process.env) : undefined;
  // REDIS_URL: the fleet's shared store (README "Deploying at scale: a Node fleet with Redis");
  // its client ends with the process.
  const redisUrl = process.env['REDIS_URL']?.trim();
  const redis = redisUrl
    ? await (await import('./redis.js')).connectRedisStore(redisUrl)
    : undefined;
  const server = await startProxyServer(standIn?.env ?? process.env, {
    ...standIn?.overrides,
    ...(redis && { store: redis.store }),
  });
  if (standIn) {
    console.log(
      `meetergo-slots proxy (${STAND_IN_LABEL}: made-up hosts and slots, no API key) listening on ${server.url}`,
    );
    console.log(`Seeded hosts (${STAND_IN_LABEL}):\n${standIn.hosts.join('\n')}`);
  } else {
    console.log(`meetergo-slots proxy listening on ${server.url}`);
  }
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
}

try {
  await main(process.argv.slice(2));
} catch (cause) {
  const message = (cause instanceof Error ? cause.message : String(cause)).replace(
    /^meetergo-slots proxy: /,
    '',
  );
  const hint = message.startsWith('MEETERGO_API_KEY')
    ? ' (or try it without a key: meetergo-slots-proxy --stand-in)'
    : '';
  console.error(`meetergo-slots proxy: ${message}${hint}`);
  process.exitCode = 1;
}
