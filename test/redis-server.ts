// A real redis-server (Debian's) for the tests and the fleet bench: on 127.0.0.1, on a free
// port, with no persistence and a temp dir of its own; stopped, killed and restarted on the same
// port at will. Missing redis-server is an error, never a skip (.ci/run installs it).
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Whether the server process is running. */
  readonly running: boolean;
  /** Starts it again on the same port (after `stop` or `kill`) and waits until it answers. */
  start(): Promise<void>;
  /** SIGTERM, and waits until it has exited. */
  stop(): Promise<void>;
  /** SIGKILL (a crash), and waits until it has exited. */
  kill(): Promise<void>;
  /** SIGSTOP: the process keeps its connections but answers nothing until `resume`. */
  pause(): void;
  resume(): void;
  /** Stops it for good and removes its temp dir. */
  close(): Promise<void>;
}

const CANDIDATES = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'];

/** The redis-server binary, or a clear error saying how to install it. */
export function redisServerPath(): string {
  const candidates = [
    ...(process.env.REDIS_SERVER ? [process.env.REDIS_SERVER] : []),
    ...CANDIDATES,
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'redis-server')),
  ];
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  throw new Error(
    'redis-server is not installed: these tests need a real one ' +
      '(Debian: apt-get install -y redis-server; .ci/run installs it)',
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether a PING on 127.0.0.1:`port` gets `+PONG` within `ms`. */
function ping(port: number, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), ms);
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a redis-server and waits until it answers (at most ~5 s). */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = redisServerPath();
  const dir = mkdtempSync(path.join(tmpdir(), 'meetergo-slots-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    let output = '';
    const proc = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    let gone = false;
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        gone = true;
        resolve();
      }),
    );
    proc.once('error', (error) => (output += String(error)));
    child = proc;
    for (let attempt = 0; attempt < 100 && !gone; attempt++) {
      if (await ping(port, 200)) return;
      await sleep(50);
    }
    proc.kill('SIGKILL');
    await exited;
    child = undefined;
    throw new Error(`redis-server did not start on 127.0.0.1:${port}: ${output.trim()}`);
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    if (proc === undefined) return;
    child = undefined;
    if (proc.exitCode === null && proc.signalCode === null) {
      if (signal === 'SIGTERM') proc.kill('SIGCONT'); // a paused server cannot exit
      proc.kill(signal);
    }
    await exited;
  };

  // A port that was free a moment ago may be taken by now: try a few.
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 2) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== undefined;
    },
    async start() {
      if (child === undefined) await launch();
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async close() {
      await end('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
