// custom-elements.json, read by editors, Storybook and the type generators in scripts/build.js.
// The analyzer reads the element's JSDoc (`@fires name {EventClass} - …`, `@csspart`, `@cssprop`)
// and its TypeScript types; the plugin below makes the result describe the shipped package.
import { readFileSync } from 'node:fs';

/**
 * The event classes of src/events.ts by event name (`static readonly eventName = '…'`), each with
 * its class name and its `detail` type.
 */
export function eventClasses() {
  const source = readFileSync('src/events.ts', 'utf8');
  const classes = new Map();
  for (const match of source.matchAll(
    /export class (\w+) extends CustomEvent<(\w+)> \{\s*static readonly eventName = '([^']+)'/g,
  )) {
    classes.set(match[3], { className: match[1], detail: match[2] });
  }
  if (classes.size === 0) throw new Error('no event classes found in src/events.ts');
  return classes;
}

/** `src/x.ts` → `dist/x.js`: what a consumer of the package can open. */
const shipped = (path) => path.replace(/^src\/(.*)\.ts$/, 'dist/$1.js');

/** Every `module` and module `path` in the manifest, pointed at shipped files. */
function pointAtDist(node) {
  if (Array.isArray(node)) return node.forEach(pointAtDist);
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'module' || key === 'path') && typeof value === 'string') {
      node[key] = shipped(value);
    } else {
      pointAtDist(value);
    }
  }
}

/**
 * Events: the analyzer adds a nameless entry for each `dispatchEvent(new SomeEvent())` beside
 * the named `@fires` ones. Nameless entries go; a named event without a type gets its class
 * from src/events.ts, with a reference to the module that exports it.
 */
function typeEvents(declaration, classes) {
  if (!declaration.events) return;
  declaration.events = declaration.events.filter((event) => typeof event.name === 'string');
  for (const event of declaration.events) {
    const className = classes.get(event.name)?.className;
    if (className === undefined) continue;
    if (!event.type?.text) event.type = { text: className };
    event.type.references ??= [{ name: className, module: 'src/events.ts' }];
  }
}

function shippedManifest() {
  const classes = eventClasses();
  return {
    name: 'meetergo-slots-shipped-manifest',
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) typeEvents(declaration, classes);
      }
      pointAtDist(customElementsManifest);
    },
  };
}

export default {
  globs: ['src/meetergo-slots.ts', 'src/events.ts'],
  outdir: '.',
  litelement: true,
  quiet: true,
  plugins: [shippedManifest()],
};
