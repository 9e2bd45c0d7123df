#!/usr/bin/env node
// `npm run build:weapp` / `npm run build:h5`: `taro build --type <type>`, failing when webpack
// reports errors (Taro prints "Compiled with some errors" and can still exit 0), then checking
// that the output holds every page of src/app.config.ts (for weapp: the files WeChat DevTools
// loads, per page .js/.json/.wxml, plus app.json and project.config.json). A weapp larger than
// WeChat's 2 MB main-package limit fails too: DevTools would refuse to preview or upload it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const type = process.argv[2];
if (type !== 'weapp' && type !== 'h5') {
  console.error('usage: node scripts/build.mjs weapp|h5 [-- extra taro args]');
  process.exit(2);
}
const out = path.resolve(here, process.env.STOREFRONT_OUT || `dist/${type}`);
const taro = createRequire(import.meta.url).resolve('@tarojs/cli/bin/taro');

const t0 = Date.now();
const child = spawn(process.execPath, [taro, 'build', '--type', type, ...process.argv.slice(3)], {
  cwd: here,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let log = '';
for (const s of [child.stdout, child.stderr])
  s.on('data', (d) => {
    log += d;
    process.stdout.write(d);
  });
const code = await new Promise((r) => child.on('close', (c, sig) => r(c ?? (sig ? 1 : 0))));
const shown = path.relative(process.cwd(), out).startsWith('..') ? out : path.relative(process.cwd(), out) || out;
const fail = (msg) => {
  console.error(`\nbuild:${type} FAILED: ${msg}`);
  process.exit(1);
};
if (code !== 0) fail(`taro exited with ${code}`);
if (/Compiled with (some )?errors|Failed to compile/i.test(log.replace(/\x1b\[[0-9;]*m/g, ''))) fail('webpack reported errors (see above)');

// The pages Taro was asked to build, from the app config (a literal array of strings).
const appConfig = readFileSync(path.join(here, 'src/app.config.ts'), 'utf8');
const pagesBlock = /pages:\s*\[([\s\S]*?)\]/.exec(appConfig)?.[1] ?? '';
const pages = [...pagesBlock.matchAll(/'([^']+)'/g)].map((m) => m[1]);
if (!pages.length) fail('no pages found in src/app.config.ts');

const missing = [];
if (type === 'weapp') {
  for (const f of ['app.js', 'app.json', 'project.config.json']) if (!existsSync(path.join(out, f))) missing.push(f);
  const appJson = existsSync(path.join(out, 'app.json')) ? JSON.parse(readFileSync(path.join(out, 'app.json'), 'utf8')) : { pages: [] };
  for (const p of pages) {
    if (!appJson.pages.includes(p)) missing.push(`app.json pages: ${p}`);
    for (const ext of ['.js', '.json', '.wxml']) if (!existsSync(path.join(out, p + ext))) missing.push(p + ext);
  }
} else if (!existsSync(path.join(out, 'index.html'))) missing.push('index.html');
if (missing.length) fail(`missing in ${shown}: ${missing.join(', ')}`);

/** Bytes of every file below `dir`. */
const sizeOf = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((n, e) => {
    const p = path.join(dir, e.name);
    return n + (e.isDirectory() ? sizeOf(p) : statSync(p).size);
  }, 0);
const bytes = sizeOf(out);
const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024; // WeChat's limit on the main package; each subpackage has its own 2 MB
let mainBytes = bytes;
if (type === 'weapp') {
  const appJson = JSON.parse(readFileSync(path.join(out, 'app.json'), 'utf8'));
  const subs = appJson.subPackages ?? appJson.subpackages ?? [];
  const subMissing = [];
  for (const sp of subs) {
    const root = path.join(out, sp.root);
    for (const p of sp.pages)
      for (const ext of ['.js', '.json', '.wxml']) if (!existsSync(path.join(root, p + ext))) subMissing.push(`${sp.root}/${p}${ext}`);
    if (existsSync(root)) {
      const sub = sizeOf(root);
      if (sub > MAIN_PACKAGE_LIMIT) fail(`subpackage ${sp.root} is ${(sub / 1024).toFixed(0)} KB, over WeChat's 2048 KB limit`);
      mainBytes -= sub;
    }
  }
  if (subMissing.length) fail(`missing in ${shown}: ${subMissing.join(', ')}`);
}
if (type === 'weapp' && mainBytes > MAIN_PACKAGE_LIMIT)
  fail(`${shown}'s main package is ${(mainBytes / 1024).toFixed(0)} KB, over WeChat's 2048 KB limit (move pages into subpackages)`);
console.log(
  `\nbuild:${type} ok: ${pages.length} pages in ${shown}, ${(bytes / 1024).toFixed(0)} KB (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
);
