// A rolling deploy: the ready server (`meetergo-slots-proxy`, a real process) gets SIGTERM while
// requests wait on a slow upstream (a real HTTP server on 127.0.0.1); every one of them is
// answered before the process exits.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';

const KEY = 'mg_live_DRAIN-key-0123456789';
const USER = '550e8400-e29b-41d4-a716-446655440000';

function get(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('proxy server: drain on SIGTERM', () => {
  it('answers every request in flight before it exits', async () => {
    let seen = 0;
    let reached: () => void = () => undefined;
    const allReached = new Promise<void>((resolve) => (reached = resolve));
    const upstream = createServer((req, res) => {
      if (req.url?.includes('/bookable-windows')) {
        seen += 1;
        if (seen === 5) reached();
      }
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ windows: [] }));
      }, 600);
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

    const child = spawn(process.execPath, ['--import', 'tsx', 'src/proxy/cli.ts'], {
      env: {
        PATH: process.env.PATH,
        MEETERGO_API_KEY: KEY,
        MEETERGO_API_URL: upstreamUrl,
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (match) resolve(match[1]);
        });
        child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
      });
      // The process reads the machine's clock, so the weeks are counted from its today; five
      // weeks two blocks apart are five upstream calls in flight at once.
      const day = (offset: number) =>
        new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const pending = Array.from({ length: 5 }, (_, i) =>
        get(
          `${url}/v4/user/${USER}/bookable-windows?startDate=${day(28 * i + 1)}&endDate=${day(28 * i + 3)}`,
        ),
      );
      await allReached;
      child.kill('SIGTERM');
      const answers = await Promise.all(pending);
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [200, 200, 200, 200, 200],
      );
      const [code] = (await once(child, 'exit')) as [number | null];
      assert.equal(code, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      upstream.closeAllConnections();
      upstream.close();
    }
  });
});
