#!/usr/bin/env node
// `npm run bench:scale`: the everyday paths on a small and a large shop, and how much each one's
// cost grows between them (goal: ≤ 1.5×). Runs bench/everyday.mjs once per scale, each in its own
// process with a fresh workerd and local state grown by bench/seed-scale.mjs (--products/--orders),
// reads the JSON each run writes, and writes bench/SCALE-RESULTS.md. See bench/README.md.
//
// Exit code: 0 ok, 1 a run failed, 2 a run finished but reported non-2xx answers or an order
// count mismatch (the results are still written, with the run marked).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH, ROOT, cpuPerReq, fmtInt, fmtMs, intFlag, log, mdTable, parseFlags, statusSummary } from './harness.mjs';

const USAGE = `usage: npm run bench:scale -- [flags]

      --scales LIST     products:orders per run, smallest first (default 1000:10000,100000:1000000)
  -c, --connections N   passed to every run (default 64)
  -d, --duration S      passed to every run (default 8)
  -w, --warmup S        passed to every run (default 2)
      --only LIST       passed to every run (default: every everyday path)
      --shoppers N      passed to every run (default 100)
      --port N          passed to every run (default 8802)
      --wait-idle S     passed to every run (default 120)
      --ref REF         passed to every run: build from a git ref
      --no-demo         passed to every run: no demo shop on top of the seeded one
      --out FILE        where to write the report (default bench/SCALE-RESULTS.md)
      --no-write        print the table only`;

const args = parseFlags(
  {
    scales: { type: 'string', default: '1000:10000,100000:1000000' },
    connections: { type: 'string', short: 'c', default: '64' },
    duration: { type: 'string', short: 'd', default: '8' },
    warmup: { type: 'string', short: 'w', default: '2' },
    only: { type: 'string' },
    shoppers: { type: 'string', default: '100' },
    port: { type: 'string', default: '8802' },
    'wait-idle': { type: 'string', default: '120' },
    ref: { type: 'string' },
    'no-demo': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(BENCH, 'SCALE-RESULTS.md') },
    'no-write': { type: 'boolean', default: false },
  },
  USAGE,
);
for (const [name, min, max] of [
  ['connections', 1, 10_000],
  ['duration', 1, 600],
  ['warmup', 0, 120],
  ['shoppers', 1, 100_000],
  ['port', 1024, 65535],
  ['wait-idle', 0, 3600],
])
  intFlag(args, name, min, max);
const SCALES = args.scales.split(',').map((s) => {
  const m = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(s);
  if (!m) (console.error(`--scales: "${s}" is not products:orders`), process.exit(1));
  return { products: Number(m[1]), orders: Number(m[2]) };
});
if (SCALES.length < 2) (console.error('--scales needs at least two products:orders pairs to compare'), process.exit(1));
if (!existsSync(path.join(BENCH, 'seed-scale.mjs'))) {
  console.error(
    'bench:scale needs bench/seed-scale.mjs (seedScale({ dbPath, products, orders, log })), which this checkout does not have yet.',
  );
  process.exit(1);
}

const OUT_DIR = path.join(BENCH, '.build-scale');
const GOAL = 1.5;

let child = null;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(sig, () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    process.exit(130);
  });

/** One everyday run at one scale, in its own process; resolves with its exit code. */
function runOnce(s, jsonFile) {
  const argv = [
    path.join(BENCH, 'everyday.mjs'),
    '--products',
    String(s.products),
    '--orders',
    String(s.orders),
    '--json',
    jsonFile,
    '--no-write',
    '-c',
    args.connections,
    '-d',
    args.duration,
    '-w',
    args.warmup,
    '--shoppers',
    args.shoppers,
    '--port',
    args.port,
    '--wait-idle',
    args['wait-idle'],
    ...(args.only ? ['--only', args.only] : []),
    ...(args.ref ? ['--ref', args.ref] : []),
    ...(args['no-demo'] ? ['--no-demo'] : []),
  ];
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, argv, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const label = (s) => `${fmtInt(s.products)} products / ${fmtInt(s.orders)} orders`;

async function main() {
  const started = Date.now();
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const runs = [];
  for (const s of SCALES) {
    log(`scale ${label(s)} …`);
    const jsonFile = path.join(OUT_DIR, `everyday-${s.products}.json`);
    const code = await runOnce(s, jsonFile);
    if (code !== 0 && code !== 2) throw new Error(`the everyday run at ${label(s)} failed (exit ${code}); see its output above`);
    runs.push({ scale: s, code, ...JSON.parse(readFileSync(jsonFile, 'utf8')) });
  }

  const first = runs[0];
  const last = runs.at(-1);
  const paths = Object.keys(first.results).filter((k) => runs.every((r) => r.results[k]));
  const growth = (k, f) => {
    const a = f(first.results[k]);
    const b = f(last.results[k]);
    return a && b ? b / a : null;
  };
  const fmtG = (g) => (g == null ? '–' : `${g.toFixed(2)}×`);
  const rows = paths.map((k) => {
    const g = growth(k, cpuPerReq);
    return [
      first.results[k].label,
      ...runs.map((r) => fmtInt(r.results[k].rps)),
      ...runs.map((r) => fmtMs(r.results[k].latency.p99)),
      ...runs.map((r) => (cpuPerReq(r.results[k]) == null ? '–' : `${cpuPerReq(r.results[k]).toFixed(3)} ms`)),
      k === 'hello' ? fmtG(g) : `**${fmtG(g)}**`,
      fmtG(growth(k, (r) => r.latency.p50)),
      fmtG(growth(k, (r) => (r.rps ? 1 / r.rps : null))),
      k === 'hello' ? '' : g == null ? '–' : g <= GOAL ? 'met' : '**not met**',
    ];
  });
  const short = (r) => `${fmtInt(r.scale.products)}`;
  const table = mdTable(
    [
      ['path', 'left'],
      ...runs.map((r) => [`req/s @ ${short(r)}`, 'right']),
      ...runs.map((r) => [`p99 @ ${short(r)}`, 'right']),
      ...runs.map((r) => [`server CPU / request @ ${short(r)}`, 'right']),
      [`cost growth (CPU / request, ${short(last)} ÷ ${short(first)})`, 'right'],
      ['p50 growth', 'right'],
      ['1 / req/s growth', 'right'],
      [`goal ≤ ${GOAL}×`, 'left'],
    ],
    rows,
  );
  const d1 = (r, k) => {
    const t = r.results[k].trace;
    return t ? `${(t.kinds.d1?.calls ?? 0).toFixed(1)} × → ${(t.kinds.d1?.ms ?? 0).toFixed(1)} ms` : '–';
  };
  const traceTable = mdTable(
    [['path', 'left'], ...runs.map((r) => [`D1 round trips @ ${short(r)}`, 'right'])],
    paths.filter((k) => k !== 'hello').map((k) => [k, ...runs.map((r) => d1(r, k))]),
  );
  const statuses = runs
    .map(
      (r) =>
        `- **${label(r.scale)}**${r.code === 2 ? ' (**the run reported non-2xx answers or an order mismatch**)' : ''}: ${
          paths
            .filter((k) => r.results[k].non2xx || r.results[k].errors || r.results[k].timeouts)
            .map((k) => `${k}: ${statusSummary(r.results[k])}`)
            .join('; ') || 'every measured request was answered 2xx'
        }; seeded in ${r.shop.seed?.seconds?.toFixed(0) ?? '–'} s; search words ${r.shop.words.two} / ${r.shop.words.four}; ${r.shop.productIds} product ids, ${r.shop.categories} category × 3 sorts in rotation${r.results.order?.check ? `; createOrder: ${fmtInt(r.results.order.check.created)} created, ${fmtInt(r.results.order.check.checkouts)} in D1 (${r.results.order.check.consistent ? 'consistent' : '**INCONSISTENT**'})` : ''}`,
    )
    .join('\n');
  const m = first.machine;
  const md = `# Everyday paths at scale

Generated by \`npm run bench:scale\` (bench/scale.mjs) — do not edit by hand; rerun it.

- **date**: ${m.date}
- **machine**: ${m.nproc} cores, ${m.model}, ${m.memGiB} GiB RAM, Linux ${m.kernel}
- **software**: Node ${m.node}, workerd ${m.workerd}, Miniflare ${m.miniflare} (wrangler ${m.wrangler}), autocannon ${m.autocannon}
- **code**: ${m.commit}${m.dirty ? ' **plus uncommitted changes** in workers/, durable-objects/ or migrations/' : ''}${args.ref ? ` (built from --ref ${args.ref})` : ''}
- **scales**: ${runs.map((r) => label(r.scale)).join('; ')} — each a separate \`npm run bench:everyday -- --products N --orders M\` (fresh workerd and state, the shop grown by bench/seed-scale.mjs straight into the local D1 file before workerd serves it${first.shop.demo ? ', plus the demo seed' : ''} and the bench's own catalog, promotions and ${fmtInt(first.settings.shoppers)} shoppers through the API)
- **load**: autocannon, **${first.settings.connections} connections, ${first.settings.duration} s** per path after ${first.settings.warmup} s warm-up, every path in one workerd per scale
- run took ${((Date.now() - started) / 1000).toFixed(0)} s in total

## Growth

${table}

"cost growth" is the server CPU per request at the largest scale over the smallest (goal ≤ ${GOAL}×): what each request costs the machine, independent of how busy the run kept it. "p50 growth" and "1 / req/s growth" are the same comparison for the median latency and for the time per request at full load. hello is the control: it does no app work, so it should not grow.

## D1 round trips per request (traced one at a time after each run)

${traceTable}

A path whose round trips stay the same but whose cost grows reads more rows per query as the tables grow (a scan, or a sort without an index); one whose round trips grow does more queries.

## Runs

${statuses}

## How to run

\`\`\`
npm run bench:scale                                        # 1k/10k and 100k/1M, 64 connections, 8 s per path
npm run bench:scale -- --scales 1000:10000,10000:100000    # other sizes (smallest first)
npm run bench:scale -- --only product,category,console-orders
\`\`\`

Each run is \`npm run bench:everyday -- --products N --orders M\`; see bench/README.md for the flags.
`;
  console.log(`\n${table}\n\n${traceTable}\n\n${statuses}\n`);
  if (!args['no-write']) {
    writeFileSync(args.out, md);
    log(`wrote ${path.relative(ROOT, args.out)}`);
  }
  rmSync(OUT_DIR, { recursive: true, force: true });
  return runs.some((r) => r.code === 2) ? 2 : 0;
}

try {
  process.exit(await main());
} catch (e) {
  console.error(`[bench] error: ${e?.stack ?? e}`);
  process.exit(1);
}
