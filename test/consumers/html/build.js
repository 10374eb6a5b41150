// The "build" of a plain HTML site: copy the script-tag file from the installed package and
// put its published integrity hash into the page.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const cdn = 'node_modules/meetergo-slots/dist/cdn/meetergo-slots.js';
mkdirSync('dist', { recursive: true });
copyFileSync(cdn, 'dist/meetergo-slots.js');
copyFileSync('app.js', 'dist/app.js');
copyFileSync('page.css', 'dist/page.css');
const integrity = readFileSync(`${cdn}.sri`, 'utf8').trim();
writeFileSync(
  'dist/index.html',
  readFileSync('index.html', 'utf8').replace('integrity="INTEGRITY"', `integrity="${integrity}"`),
);
