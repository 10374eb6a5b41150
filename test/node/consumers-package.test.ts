// What `npm pack` ships, read the way a consumer meets it: the file list, the source maps,
// custom-elements.json against the custom-elements-manifest schema, importing the package in
// Node (SSR), and the bin's --help and --stand-in. Reads the build `npm test` has just made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { once } from 'node:events';
import { Ajv } from 'ajv';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const packed = JSON.parse(
  execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
) as [{ files: { path: string }[] }];
const files = new Set(packed[0].files.map((file) => file.path));
const shipped = (file: string) => files.has(file.replace(/^\.\//, ''));

test('npm pack and git installs build first (prepack, prepare)', () => {
  assert.match(pkg.scripts['prepack']!, /scripts\/build\.js/);
  assert.match(pkg.scripts['prepare']!, /scripts\/build\.js/);
});

test('the tarball holds the build, the manifest and the docs, and no sources or tests', () => {
  for (const file of [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'custom-elements.json',
    'dist/index.js',
    'dist/react.js',
    'dist/cdn/meetergo-slots.js',
    'dist/cdn/meetergo-slots.js.sri',
  ]) {
    assert.ok(files.has(file), `${file} is shipped`);
  }
  const unwanted = [...files].filter(
    (file) =>
      /^(src|test|bench|demo|examples|scripts|public|\.ci)\//.test(file) ||
      (file.endsWith('.ts') && !file.endsWith('.d.ts')) ||
      file.endsWith('.d.ts.map') ||
      /(^|\/)(tsconfig[^/]*\.json|\.size-limit\.json|index\.html|vite\.config\.ts)$/.test(file),
  );
  assert.deepEqual(unwanted, []);
});

test('every export and the bin point at shipped files', () => {
  const targets = Object.values(pkg.exports).flatMap((target) =>
    typeof target === 'string' ? [target] : Object.values(target),
  );
  const missing = [...targets, ...Object.values(pkg.bin)].filter((target) => !shipped(target));
  assert.deepEqual(missing, []);
});

test('every shipped source map carries its sources, so none points at an unshipped file', () => {
  const maps = [...files].filter((file) => file.endsWith('.map'));
  assert.ok(maps.length > 10, `${maps.length} maps`);
  for (const file of maps) {
    const map = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as {
      sources: string[];
      sourcesContent?: (string | null)[];
    };
    const missing = map.sources.filter(
      (source, index) =>
        typeof map.sourcesContent?.[index] !== 'string' &&
        !shipped(path.posix.join(path.posix.dirname(file), source)),
    );
    assert.deepEqual(missing, [], file);
  }
});

interface ManifestEvent {
  name?: string;
  type?: { text: string; references?: { name: string; module?: string }[] };
}
interface ManifestMember {
  name: string;
  type?: { text: string };
}
interface Manifest {
  modules: {
    path: string;
    declarations?: {
      tagName?: string;
      events?: ManifestEvent[];
      attributes?: ManifestMember[];
      members?: ManifestMember[];
    }[];
  }[];
}
const manifest = JSON.parse(
  readFileSync(path.join(root, 'custom-elements.json'), 'utf8'),
) as Manifest;
const element = manifest.modules
  .flatMap((module) => module.declarations ?? [])
  .find((declaration) => declaration.tagName === 'meetergo-slots');

test('custom-elements.json is valid against the custom-elements-manifest schema', () => {
  const schema = JSON.parse(
    readFileSync(require.resolve('custom-elements-manifest/schema.json'), 'utf8'),
  ) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.equal(validate(manifest), true, JSON.stringify(validate.errors, null, 2));
});

test('custom-elements.json: every module path and reference is a shipped file', () => {
  const modules: string[] = [];
  JSON.stringify(manifest, (key, value: unknown) => {
    if ((key === 'path' || key === 'module') && typeof value === 'string') modules.push(value);
    return value;
  });
  assert.ok(modules.length > 0);
  assert.deepEqual(
    modules.filter((module) => !shipped(module)),
    [],
  );
});

test('custom-elements.json: every event named; the three of src/events.ts typed with their class', () => {
  assert.ok(element, 'the element is declared with its tag name');
  const events = element.events ?? [];
  assert.ok(events.every((event) => typeof event.name === 'string' && event.name !== ''));
  const ours = ['meetergo-slot-select', 'meetergo-slots-load', 'meetergo-slots-error'];
  assert.deepEqual(
    events
      .filter((event) => ours.includes(event.name!))
      .map((event) => [event.name, event.type?.text, event.type?.references?.[0]?.module])
      .sort(),
    [
      ['meetergo-slot-select', 'MeetergoSlotSelectEvent', 'dist/events.js'],
      ['meetergo-slots-error', 'MeetergoSlotsErrorEvent', 'dist/events.js'],
      ['meetergo-slots-load', 'MeetergoSlotsLoadEvent', 'dist/events.js'],
    ],
  );
});

test('custom-elements.json: properties with a fixed set of values are unions', () => {
  const typeOf = (name: string) =>
    element?.attributes?.find((attribute) => attribute.name === name)?.type?.text;
  const members = (text: string | undefined) =>
    new Set(
      text
        ?.split('|')
        .map((part) => part.trim().replace(/^'|'$|^"|"$/g, ''))
        .filter((part) => part !== 'undefined'),
    );
  assert.deepEqual(members(typeOf('theme')), new Set(['light', 'dark', 'auto']));
  assert.deepEqual(members(typeOf('hour-cycle')), new Set(['h12', 'h23']));
  assert.deepEqual(members(typeOf('mode')), new Set(['link', 'pick']));
});

test('importing the package and its React wrapper in Node (SSR) is harmless', () => {
  const script = `
    const element = await import(${JSON.stringify(path.join(root, 'dist/index.js'))});
    const react = await import(${JSON.stringify(path.join(root, 'dist/react.js'))});
    const again = await import(${JSON.stringify(path.join(root, 'dist/meetergo-slots.js'))});
    process.stdout.write(JSON.stringify({
      element: typeof element.MeetergoSlots,
      wrapper: react.MeetergoSlots.displayName,
      defined: customElements.get('meetergo-slots') === element.MeetergoSlots,
      same: again.MeetergoSlots === element.MeetergoSlots,
    }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.deepEqual(JSON.parse(out), {
    element: 'function',
    wrapper: 'MeetergoSlots',
    defined: true,
    same: true,
  });
});

const bin = path.join(root, pkg.bin['meetergo-slots-proxy']!);

test('meetergo-slots-proxy --help lists every option and environment variable', () => {
  const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  for (const name of [
    '--stand-in',
    'MEETERGO_API_KEY',
    'MEETERGO_API_URL',
    'PORT',
    'HOST',
    'ALLOWED_ORIGINS',
    'ALLOWED_USER_IDS',
    'ALLOWED_MEETING_TYPE_IDS',
    'RATE_LIMIT_PER_MINUTE',
    'TRUST_PROXY',
    'REDIS_URL',
    'UPSTREAM_PER_MINUTE',
  ]) {
    assert.match(out, new RegExp(`^\\s+${name}\\b`, 'm'), name);
  }
});

test('meetergo-slots-proxy refuses an unknown option, and without a key points at --stand-in', async () => {
  for (const [args, expected] of [
    [['--sandbox'], /unknown option --sandbox/],
    [[], /MEETERGO_API_KEY is not set.*--stand-in/],
  ] as const) {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { PATH: process.env['PATH'], PORT: '0' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 1);
    assert.match(stderr, expected);
  }
});

test('meetergo-slots-proxy --stand-in answers with no key, labelled as the stand-in', async () => {
  assert.ok(existsSync(bin));
  const child = spawn(process.execPath, [bin, '--stand-in'], {
    env: { PATH: process.env['PATH'], PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (found) resolve(found[1]!);
      });
      child.once('exit', () => reject(new Error(`exited early: ${stdout}`)));
    });
    assert.match(stdout, /stand-in, not meetergo/);
    const user = '550e8400-e29b-41d4-a716-446655440000';
    // The ready server reads the machine's clock and refuses days outside its horizon.
    const day = (ahead: number) =>
      new Date(Date.now() + ahead * 86_400_000).toISOString().slice(0, 10);
    const answer = await fetch(
      `${url}/v4/user/${user}/bookable-windows?startDate=${day(7)}&endDate=${day(8)}`,
      { headers: { Origin: 'http://localhost:5173' } },
    );
    assert.equal(answer.status, 200);
    assert.ok(
      ['*', 'http://localhost:5173'].includes(answer.headers.get('access-control-allow-origin')!),
      'any origin may call the stand-in',
    );
    const body = (await answer.json()) as { windows: string[] };
    assert.ok(body.windows.length > 0);
    // Cut from a cached block: the asked days with a day of padding on each side.
    assert.ok(
      body.windows.every((start) => start >= day(6) && start < day(10)),
      body.windows[0],
    );
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});
