// `npm run bench`: every section that exists, in order, each printing its own figures against
// a baseline measured in the same run; `npm run bench -- NAME` runs one (element, proxy-http,
// fleet). Targets 127.0.0.1 only; writes nothing.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { num } from './measure.js';

const SECTIONS = ['element', 'proxy-http', 'fleet'];
const here = fileURLToPath(new URL('.', import.meta.url));
const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = asked.filter((name) => !SECTIONS.includes(name));
if (unknown.length > 0) {
  console.error(`bench: no section ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  process.exit(2);
}

const cpu = cpus();
console.log(
  `meetergo-slots bench · node ${process.version} · ${process.platform}/${process.arch} · ` +
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'} · load average ${num(loadavg()[0], 2)}`,
);
console.log(
  'Ratios (×) are ours ÷ baseline in cost (bytes, time), measured in this run: ' +
    '1.00× = same as the baseline, 2.00× = twice its cost, 0.50× = half.',
);

const started = performance.now();
for (const name of asked.length > 0 ? asked : SECTIONS) {
  const file = `${here}${name}.ts`;
  if (!existsSync(file)) {
    if (asked.includes(name)) console.log(`\n(${name}: bench/${name}.ts does not exist yet)`);
    continue;
  }
  console.log(`\n═══ ${name} ═══`);
  const section = (await import(pathToFileURL(file).href)) as { default: () => Promise<void> };
  await section.default();
}
console.log(
  `\nBench took ${num((performance.now() - started) / 1000, 1)} s at a load average of ` +
    `${num(loadavg()[0], 2)} on ${cpu.length} CPUs; compare ratios, not absolute figures, across machines.`,
);
