// `npm run build`: the npm ESM build (tsc: JS + .d.ts, dependencies external), the
// self-contained script-tag file dist/cdn/meetergo-slots.js (vite, everything bundled and
// minified), and custom-elements.json from the element's JSDoc.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'vite';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });

rmSync('dist', { recursive: true, force: true });
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
if (existsSync('dist/proxy/cli.js')) chmodSync('dist/proxy/cli.js', 0o755);

await build({
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    minify: 'esbuild',
    sourcemap: true,
    lib: {
      entry: 'src/meetergo-slots.ts',
      // An IIFE has no import/export statements, so the same file runs from
      // <script src> and <script type="module" src>; the guarded define makes loading it twice harmless.
      formats: ['iife'],
      name: 'MeetergoSlotsBundle',
      fileName: () => 'meetergo-slots.js',
    },
  },
});

// A second copy (the snippet pasted twice, two bundles) does not even evaluate: under Trusted
// Types a second 'lit-html' policy would throw. The guard takes a line of its own, so the source
// map only needs one more empty generated line in front.
const cdn = 'dist/cdn/meetergo-slots.js';
const code = readFileSync(cdn, 'utf8').replace(/\n?\/\/# sourceMappingURL=.*\s*$/, '');
writeFileSync(
  cdn,
  `if (!customElements.get('meetergo-slots')) {\n${code}\n}\n//# sourceMappingURL=meetergo-slots.js.map\n`,
);
const map = JSON.parse(readFileSync(`${cdn}.map`, 'utf8'));
map.mappings = `;${map.mappings}`;
writeFileSync(`${cdn}.map`, JSON.stringify(map));

run('npx', [
  'custom-elements-manifest',
  'analyze',
  '--litelement',
  '--globs',
  'src/meetergo-slots.ts',
  '--quiet',
]);
