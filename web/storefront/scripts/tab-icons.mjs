#!/usr/bin/env node
// Writes the tab bar icons (src/assets/tab/<name>.png and <name>-on.png, 81×81 as WeChat asks)
// from the line drawings below. Run it after changing a drawing: node scripts/tab-icons.mjs
// (sharp comes with the workspace's dev tooling; the PNGs are committed, builds do not run this).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sharp = createRequire(import.meta.url)('sharp');
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/assets/tab');

// 48×48 line drawings (stroke only), drawn in the tab's colour.
const DRAWINGS = {
  home: '<path d="M7 22 24 8l17 14"/><path d="M12 19v20h24V19"/><path d="M20 39V28h8v11"/>',
  category:
    '<rect x="8" y="8" width="13" height="13" rx="2"/><rect x="27" y="8" width="13" height="13" rx="2"/><rect x="8" y="27" width="13" height="13" rx="2"/><circle cx="33.5" cy="33.5" r="6.5"/>',
  cart: '<path d="M5 9h6l5 22h21l4-15H14"/><circle cx="19" cy="38" r="2.5"/><circle cx="34" cy="38" r="2.5"/>',
  mine: '<circle cx="24" cy="17" r="8"/><path d="M9 41c1-8 7-13 15-13s14 5 15 13"/>',
};
const COLOURS = { '': '#666666', '-on': '#e4393c' };

for (const [name, body] of Object.entries(DRAWINGS))
  for (const [suffix, colour] of Object.entries(COLOURS)) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="81" height="81" viewBox="0 0 48 48" fill="none" stroke="${colour}" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;
    await sharp(Buffer.from(svg))
      .png()
      .toFile(path.join(out, `${name}${suffix}.png`));
  }
console.log(`tab icons written to ${out}`);
