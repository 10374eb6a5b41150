// `npm run build` (also run by `npm pack`/`npm publish` and by git installs, through the
// `prepack` and `prepare` scripts): the npm ESM build (tsc: JS + .d.ts, dependencies external),
// the self-contained script-tag file dist/cdn/meetergo-slots.js (vite, everything bundled and
// minified) with its SRI hash, custom-elements.json from the element's JSDoc, and the JSX and
// Vue types generated from that manifest.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { transform } from 'esbuild';
import { minify } from 'terser';
import { build } from 'vite';
import { generateJsxTypes } from '@wc-toolkit/jsx-types';
import { generateVuejsTypes } from 'custom-element-vuejs-integration';
import { eventClasses } from '../custom-elements-manifest.config.js';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

// `prepare` (git installs, a fresh clone's `npm install`) builds only when there is no build yet;
// `npm pack` has just built through `prepack`.
if (process.argv.includes('--if-missing') && existsSync('dist/index.js')) process.exit(0);

rmSync('dist', { recursive: true, force: true });
run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
chmodSync('dist/proxy/cli.js', 0o755);

/**
 * Lit names its Trusted Types policy `lit-html`. On a page whose own Lit already created that
 * policy, a second `createPolicy('lit-html')` throws unless the CSP allows duplicates, and the
 * whole file would stop before defining the element. The bundled copy therefore takes the name
 * `meetergo-slots` when another Lit is already on the page (and `lit-html` otherwise, so the
 * usual `trusted-types lit-html` CSP is enough), falling back to the other name if the CSP
 * refuses the first. See the README, "Plain HTML: the script tag".
 */
const LIT_POLICY = /(\w+)\.createPolicy\("lit-html",(\{createHTML:(\w+)=>\3\})\)/g;
const litPolicy = {
  name: 'meetergo-slots-lit-policy',
  transform(code, id) {
    if (!/[\\/]lit-html[\\/]lit-html\.js$/.test(id)) return null;
    const found = code.match(LIT_POLICY)?.length ?? 0;
    if (found !== 1) throw new Error(`lit-html's createPolicy call changed shape (${found} found)`);
    // Same line, same start: the minified file's map stays usable (map: null keeps it).
    const patched = code.replace(
      LIT_POLICY,
      (_, tt, options) =>
        `((t,o)=>{for(const n of globalThis.litHtmlVersions?.length?["meetergo-slots","lit-html"]:["lit-html","meetergo-slots"])try{return t.createPolicy(n,o)}catch{}})(${tt},${options})`,
    );
    return { code: patched, map: null };
  },
};

/**
 * `lit/decorators.js` carries both decorator protocols: TC39's standard decorators and
 * TypeScript's experimental ones. The element is compiled with `experimentalDecorators`
 * (tsconfig.json), so the script-tag file gets only what lit runs for those: lit's own
 * `legacyProperty` (@lit/reactive-element decorators/property.js) and `state`
 * (decorators/state.js), word for word. A standard decorator call would throw at define time,
 * which the end-to-end test of the built file would report. The npm build keeps lit's module.
 */
const litDecorators = {
  name: 'meetergo-slots-lit-decorators',
  enforce: 'pre',
  resolveId: (id) => (id === 'lit/decorators.js' ? '\0lit-decorators' : null),
  load: (id) =>
    id === '\0lit-decorators'
      ? `export const property = (options) => (proto, name) => {
  if (typeof name !== 'string') throw new TypeError('Only experimental decorators are built in.');
  const own = proto.hasOwnProperty(name);
  proto.constructor.createProperty(name, options);
  return own ? Object.getOwnPropertyDescriptor(proto, name) : undefined;
};
export const state = (options) => property({ ...options, state: true, attribute: false });
`
      : null,
};

/**
 * The element's private members (`_name`) are shortened across the whole bundle at once, so
 * every module agrees on the short names. Reactive `@state()` members stay spelled out: their
 * decorators register them by a string name. Lit's own internals (`_$…`) are left alone.
 */
const STATE = ['_active', '_chosenZone', '_expanded', '_formDisabled', '_narrow', '_pageStart'];
STATE.push('_selected', '_zonePickerOpen', '_zoneQuery');
const minifyBundle = {
  name: 'meetergo-slots-minify',
  async renderChunk(code) {
    const out = await transform(code, {
      minify: true,
      target: 'es2022',
      legalComments: 'none',
      mangleProps: /^_[a-z]/,
      reserveProps: new RegExp(`^(${STATE.join('|')})$`),
      sourcemap: 'external',
    });
    return { code: out.code, map: out.map };
  },
};
// Then terser's second compress pass, which beats esbuild's single one on this file.
const terser = {
  name: 'meetergo-slots-terser',
  async renderChunk(code) {
    const out = await minify(code, {
      ecma: 2020,
      compress: { passes: 2 },
      format: { comments: false },
      sourceMap: true,
    });
    return { code: out.code, map: out.map };
  },
};

/**
 * The stylesheet ships minified: whitespace runs collapse to one space, and the spaces around
 * `{`, `}`, `;`, `,` and after `:` go (never around `+`/`-`/`>`, which calc() and selectors need,
 * nor before `:`, which would join a descendant selector to its pseudo-class). Then the quotes
 * around an attribute selector's value when it is an identifier (`[part~='day']` → `[part~=day]`)
 * and the space before `!important`. (Dropping a number's leading zero or the spaces around `/`
 * saves 6 bytes of gzip and costs 68 of brotli: brotli's dictionary knows `0.5rem`.)
 */
const minifyCss = (text) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .replace(/\[([\w-]+[~|^$*]?=)'([a-z_][\w-]*)'\]/gi, '[$1$2]')
    .replace(/ !important/g, '!important')
    .trim();
const cssLiterals = {
  name: 'meetergo-slots-css',
  transform(code, id) {
    if (!/[\\/]src[\\/]meetergo-slots\.styles\.ts$/.test(id)) return null;
    const found = code.match(/css`[^`$\\]*`/g)?.length ?? 0;
    if (found !== 1) throw new Error(`the stylesheet changed shape (${found} plain css\`\` found)`);
    return { code: code.replace(/css`([^`$\\]*)`/, (_, text) => `css\`${minifyCss(text)}\``) };
  },
};

/**
 * Lit templates (`html\`…\``, `css\`…\``) drop the indentation after each line break: a run of
 * whitespace with a line break stays a line break, so every text node that was whitespace still
 * is, and the lines (hence the source map's lines) stay where they were.
 */
const templateIndent = {
  name: 'meetergo-slots-template-indent',
  transform(code, id) {
    if (!/[\\/]src[\\/][\w.-]+\.ts$/.test(id)) return null;
    const quasis = [];
    const walk = (node) => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node.type !== 'string') return;
      if (
        node.type === 'TaggedTemplateExpression' &&
        node.tag.type === 'Identifier' &&
        (node.tag.name === 'html' || node.tag.name === 'css')
      )
        quasis.push(...node.quasi.quasis);
      for (const value of Object.values(node)) if (value && typeof value === 'object') walk(value);
    };
    walk(this.parse(code));
    if (quasis.length === 0) return null;
    let out = code;
    for (const q of quasis.sort((a, b) => b.start - a.start))
      out =
        out.slice(0, q.start) +
        out.slice(q.start, q.end).replace(/\n[ \t]+/g, '\n') +
        out.slice(q.end);
    return { code: out, map: null };
  },
};

await build({
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  plugins: [litDecorators, litPolicy, cssLiterals, templateIndent],
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    rollupOptions: { output: { plugins: [minifyBundle, terser] } },
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

// A second copy (the snippet pasted twice, two bundles) does not even evaluate. The guard takes
// a line of its own, so the source map only needs one more empty generated line in front.
const cdn = 'dist/cdn/meetergo-slots.js';
const code = readFileSync(cdn, 'utf8').replace(/\n?\/\/# sourceMappingURL=.*\s*$/, '');
writeFileSync(
  cdn,
  `if (!customElements.get('meetergo-slots')) {\n${code}\n}\n//# sourceMappingURL=meetergo-slots.js.map\n`,
);
const map = JSON.parse(readFileSync(`${cdn}.map`, 'utf8'));
map.mappings = `;${map.mappings}`;
writeFileSync(`${cdn}.map`, JSON.stringify(map));

// `meetergo-slots/cdn` in a bundler defines the element too; its types say so.
writeFileSync(
  'dist/cdn/meetergo-slots.d.ts',
  `// The script-tag file: defines <meetergo-slots>; a classic <script> also sets the global below.
import type { MeetergoSlots } from '../index.js';

declare global {
  /** What a classic \`<script src=".../meetergo-slots.js">\` leaves on \`window\`. */
  var MeetergoSlotsBundle: { MeetergoSlots: typeof MeetergoSlots } | undefined;
}
`,
);

// Subresource Integrity for <script integrity>: printed, and written beside the file.
const integrity = `sha384-${createHash('sha384').update(readFileSync(cdn)).digest('base64')}`;
writeFileSync(`${cdn}.sri`, `${integrity}\n`);
console.log(
  `${cdn}  integrity="${integrity}"\n` +
    `  https://cdn.jsdelivr.net/npm/meetergo-slots@${version}/dist/cdn/meetergo-slots.js`,
);

run(process.execPath, [
  require.resolve('@custom-elements-manifest/analyzer/cem.js'),
  'analyze',
  '--config',
  'custom-elements-manifest.config.js',
]);

// Types for the bare tag, generated from the manifest: JSX (React 19, Preact, Solid) and Vue.
// Both generators read an event's `type` as its `detail` type (`CustomEvent<…>` for the JSX
// one), so they get a copy whose events say that; the manifest itself names the event classes.
const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const classes = eventClasses();
// An event without a class of ours (a plain `change`) gets `other`.
const withEventTypes = (type, other) =>
  JSON.parse(JSON.stringify(manifest), (key, value) =>
    key === 'events'
      ? value.map((event) => {
          const detail = classes.get(event.name)?.detail;
          return { ...event, type: { text: detail ? type(detail) : other } };
        })
      : value,
  );
mkdirSync('dist/types', { recursive: true });
generateJsxTypes(
  withEventTypes((detail) => `CustomEvent<${detail}>`, 'Event'),
  {
    outdir: 'dist/types',
    fileName: 'jsx.d.ts',
    globalTypePath: '../index.js',
    stronglyTypedEvents: true,
    hideLogs: true,
  },
);
generateVuejsTypes(
  withEventTypes((detail) => detail, 'unknown'),
  {
    outdir: 'dist/types',
    fileName: 'vue.d.ts',
    globalTypePath: '../index.js',
    hideLogs: true,
  },
);
// The generated files also declare the tag into every JSX namespace they know (and a global
// one) at once; the package instead offers one entry per framework, so a React app's types
// never mention Preact or Solid and nothing lands in the global JSX namespace.
const cut = (file, from) => {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`${file}: "${from}" not found`);
  writeFileSync(file, `${text.slice(0, at).trimEnd()}\n`);
};
cut('dist/types/jsx.d.ts', 'declare module "react"');
cut('dist/types/vue.d.ts', 'declare global');

const entry = (name, types) => {
  mkdirSync('dist/jsx', { recursive: true });
  writeFileSync(`dist/${name}.js`, '// Types only: see the .d.ts beside this file.\nexport {};\n');
  writeFileSync(`dist/${name}.d.ts`, types);
};
// Each library keeps its JSX namespace somewhere else: React in 'react', Solid in its
// jsx-runtime module, Preact behind its `preact` global namespace (as Preact's docs extend it).
const jsx = (entryName, library, elements, augmentation) =>
  `// \`import type {} from 'meetergo-slots/${entryName}';\`: <meetergo-slots> in ${library}'s JSX.
import type { ${elements} } from '../types/jsx.js';

${augmentation}
`;
entry(
  'jsx/react',
  jsx(
    'jsx/react',
    'React',
    'CustomElements, CustomCssProperties',
    `declare module 'react' {
  namespace JSX {
    interface IntrinsicElements extends CustomElements {}
  }
  interface CSSProperties extends CustomCssProperties {}
}`,
  ),
);
entry(
  'jsx/preact',
  jsx(
    'jsx/preact',
    'Preact',
    'CustomElements',
    `declare global {
  namespace preact.JSX {
    interface IntrinsicElements extends CustomElements {}
  }
}`,
  ),
);
entry(
  'jsx/solid',
  jsx(
    'jsx/solid',
    'Solid',
    'CustomElementsSolidJs',
    `declare module 'solid-js/jsx-runtime' {
  namespace JSX {
    interface IntrinsicElements extends CustomElementsSolidJs {}
  }
}`,
  ),
);
entry(
  'vue',
  `// \`import type {} from 'meetergo-slots/vue';\`: <meetergo-slots> in Vue templates (GlobalComponents).
export type { CustomElements } from './types/vue.js';
`,
);
