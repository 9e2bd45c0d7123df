#!/usr/bin/env node
// `npm run bench:screening`: screening a 20,000-character detail page with the screening domain's
// matcher (fold + Aho-Corasick, one pass, positions mapped back) next to a naive loop of
// `text.includes(term)` per term, on the same text and dictionary. Writes bench/SCREENING.md.
//
// The matcher is a pure module (workers/domains/screening/matcher.ts); esbuild bundles it with the
// default dictionary and the clean-sentence fixture into a temporary ESM file that Node imports.
// Two dictionaries: the seeded default (~120 entries) and the default plus 3,000 generated
// 2–4 character terms, the size a maintained sensitive-word list reaches.

import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'screening-bench-'));
const entry = path.join(tmp, 'entry.ts');
writeFileSync(
  entry,
  `export { Matcher } from ${JSON.stringify(path.join(root, 'workers/domains/screening/matcher.ts'))};
export { DEFAULT_DICTIONARY } from ${JSON.stringify(path.join(root, 'workers/domains/screening/defaults.ts'))};
export { CLEAN_PRODUCT_SENTENCES } from ${JSON.stringify(path.join(root, 'test/fixtures/clean-product-sentences.ts'))};`,
);
const out = path.join(tmp, 'bundle.mjs');
await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', outfile: out, logLevel: 'error' });
const { Matcher, DEFAULT_DICTIONARY, CLEAN_PRODUCT_SENTENCES } = await import(pathToFileURL(out).href);
rmSync(tmp, { recursive: true, force: true });

// A deterministic pseudo-random stream, so every run screens the same page.
let seed = 20261207;
const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;

const PAGE_CHARS = 20_000;
const SPRINKLED = ['全网最低价', '顶级', '绝 对', '１００％有效', '國家級', '史无前例', 'TOP1', '根治'];
function page() {
  const parts = [];
  let len = 0;
  while (len < PAGE_CHARS) {
    const s = CLEAN_PRODUCT_SENTENCES[Math.floor(rand() * CLEAN_PRODUCT_SENTENCES.length)] + '。';
    parts.push(s);
    len += s.length;
  }
  for (const t of SPRINKLED) parts.splice(Math.floor(rand() * parts.length), 0, `本品${t}。`);
  return parts.join('').slice(0, PAGE_CHARS);
}

function bigDictionary() {
  const extra = [];
  const seen = new Set(DEFAULT_DICTIONARY.map((e) => e.term));
  // CJK characters outside the ones common in product copy, so the generated terms rarely occur
  while (extra.length < 3000) {
    const n = 2 + Math.floor(rand() * 3);
    let t = '';
    for (let i = 0; i < n; i++) t += String.fromCodePoint(0x4e00 + Math.floor(rand() * 0x51a0));
    if (seen.has(t)) continue;
    seen.add(t);
    extra.push({ term: t, category: 'sensitive', severity: 'review', hint: null });
  }
  return [...DEFAULT_DICTIONARY, ...extra];
}

/** Runs fn until at least `ms` have passed (after a warm-up); ms per call. */
function time(fn, ms = 1500) {
  for (let i = 0; i < 20; i++) fn();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    fn();
    n++;
    t = performance.now();
  }
  return (t - t0) / n;
}

const text = page();
const rows = [];
for (const [name, dict] of [
  ['default', DEFAULT_DICTIONARY],
  ['default + 3,000', bigDictionary()],
]) {
  const terms = dict.filter((e) => e.severity !== 'allow').map((e) => e.term);
  const t0 = performance.now();
  const matcher = new Matcher(dict);
  const buildMs = performance.now() - t0;
  const result = matcher.screen(text);
  const naiveFound = terms.filter((t) => text.includes(t));
  const ac = time(() => matcher.screen(text));
  const naive = time(() => {
    const found = [];
    for (const t of terms) if (text.includes(t)) found.push(t);
    return found;
  });
  rows.push({
    name,
    entries: dict.length,
    terms: terms.length,
    buildMs,
    ac,
    naive,
    matches: result.matches.length,
    verdict: result.verdict,
    naiveFound: naiveFound.length,
  });
}

const f = (n, d = 2) => n.toFixed(d);
const table = [
  '| dictionary | entries | method | ms / page | pages / s | found |',
  '|---|---:|---|---:|---:|---|',
  ...rows.flatMap((r) => [
    `| ${r.name} | ${r.entries} | matcher (fold + Aho-Corasick, positions) | ${f(r.ac, 3)} | ${f(1000 / r.ac, 0)} | ${r.matches} matches, verdict ${r.verdict} |`,
    `| ${r.name} | ${r.entries} | naive \`includes()\` per term | ${f(r.naive, 3)} | ${f(1000 / r.naive, 0)} | ${r.naiveFound} terms present |`,
  ]),
];
const md = `# Screening throughput

\`npm run bench:screening\` (bench/screening.mjs) — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} (a shared 2-core machine; other work was running).

One detail page of ${text.length.toLocaleString('en')} characters made from the clean product sentences
(test/fixtures/clean-product-sentences.ts) with ${SPRINKLED.length} terms sprinkled in, several written to evade
(\`绝 对\`, \`１００％有效\`, \`國家級\`, \`TOP1\`).

${table.join('\n')}

Automaton build (once per dictionary version, per isolate): ${rows.map((r) => `${r.name} ${f(r.buildMs, 1)} ms`).join(', ')}.

Reading the figures:
- The matcher folds every character (full-width, case, 繁体, look-alike digits, separators dropped, an index map
  back to the original), walks the text once, applies the allow phrases and reports positions and hints. Its
  cost grows with the text, hardly with the dictionary.
- The naive loop only answers "is this exact string in the text": it misses every evasion above (it finds
  ${rows[0].naiveFound} of the default terms, counting the 最/第一 hits the allow phrases would cancel), gives no
  positions, and its cost grows with the dictionary (one scan of the page per term). With the small default
  list it is faster — V8's \`includes\` is a vectorised scan — but it answers a different, weaker question;
  past a few hundred terms the single pass wins outright.
- Character folding is cached per BMP code point, so the fold costs a table read per character.
`;
writeFileSync(path.join(root, 'bench/SCREENING.md'), md);
console.log(md);
