// The layout rules of ../shared/design/ARCHITECTURE.md that a reader should not have to police
// by hand. Production TypeScript under workers/ and durable-objects/ (tests excluded); type-only
// imports count, since a loop or a reach into another domain's tables through types is one too.
//   1. no import loops;
//   2. no domain file imports workers/flows/;
//   3. only a domain imports its own schema.ts (drizzle-kit and tests aside);
//   4. workers/queue.ts and workers/scheduled.ts are imported only by workers/index.ts (the dev seed
//      may run the cron once);
//   5. workers/dev/ (development only) is imported only by workers/app.ts's mount point;
//   6. the Durable Objects are reached only through the domains that own them (flash-sales,
//      group-buys, health, support) — flows and other domains call those services;
//   7. durable-objects/ imports only domain rules/events and shared/, never flows.
// Usage: node .ci/check-layout.mjs   (exit 1 and one line per problem when a rule is broken)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const rel = (f) => path.relative(root, f).split(path.sep).join('/');
const files = [];
const walk = (d) => {
  for (const n of readdirSync(d)) {
    const p = path.join(d, n);
    if (n === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(n) && !/\.test\.tsx?$/.test(n) && !/\.d\.ts$/.test(n)) files.push(p);
  }
};
for (const d of ['workers', 'durable-objects']) if (existsSync(path.join(root, d))) walk(path.join(root, d));
const known = new Set(files);
const resolve = (from, spec) => {
  if (!spec.startsWith('.')) return null;
  const b = path.resolve(path.dirname(from), spec).replace(/\.(m?js)$/, '');
  for (const c of [b, `${b}.ts`, `${b}.tsx`, path.join(b, 'index.ts')]) if (known.has(c)) return c;
  return null;
};
const edges = new Map(files.map((f) => [f, []]));
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  for (const m of src.matchAll(/(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const t = resolve(f, m[1] ?? m[2]);
    if (t && t !== f) edges.get(f).push(t);
  }
}

const problems = [];
const domainOf = (r) => r.match(/^workers\/domains\/([^/]+)\//)?.[1] ?? null;

// 1. import loops (Tarjan's strongly connected components)
let counter = 0;
const stack = [],
  onStack = new Set(),
  index = new Map(),
  low = new Map();
const strong = (v) => {
  index.set(v, counter);
  low.set(v, counter);
  counter++;
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v)) {
    if (!index.has(w)) {
      strong(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) problems.push(`import loop of ${c.length}: ${c.map(rel).join(' → ')}`);
  }
};
for (const f of files) if (!index.has(f)) strong(f);

const DO_OWNERS = new Set(['flash-sales', 'group-buys', 'health', 'support']);
for (const [f, targets] of edges) {
  const from = rel(f);
  for (const t of targets) {
    const to = rel(t);
    const fromDomain = domainOf(from);
    // 2. domains never import flows
    if (fromDomain && to.startsWith('workers/flows/')) problems.push(`${from} imports a flow (${to}): domains never import flows`);
    // 3. a domain's tables are its own
    const schemaDomain = to.match(/^workers\/domains\/([^/]+)\/(?:.+\/)?schema\.ts$/)?.[1];
    if (schemaDomain && fromDomain !== schemaDomain)
      problems.push(`${from} imports ${to}: only the ${schemaDomain} domain queries its tables; call its service`);
    // 4. composition roots
    // (the dev seed may run the cron once, as wrangler dev never fires it)
    if (
      (to === 'workers/queue.ts' || to === 'workers/scheduled.ts') &&
      from !== 'workers/index.ts' &&
      !(to === 'workers/scheduled.ts' && from.startsWith('workers/dev/'))
    )
      problems.push(`${from} imports ${to}: only workers/index.ts does`);
    // 5. development-only code
    if (to.startsWith('workers/dev/') && !from.startsWith('workers/dev/') && from !== 'workers/app.ts')
      problems.push(`${from} imports development-only ${to}`);
    // 6. the Durable Objects through their domains
    if (
      to.startsWith('durable-objects/') &&
      from.startsWith('workers/') &&
      from !== 'workers/index.ts' &&
      !(fromDomain && DO_OWNERS.has(fromDomain)) &&
      !from.startsWith('workers/dev/')
    )
      problems.push(`${from} imports ${to}: reach the Durable Object through the flash-sales / group-buys services`);
    // 7. Durable Objects hold state; rules come from domains, never from flows
    if (
      from.startsWith('durable-objects/') &&
      to.startsWith('workers/') &&
      !/^workers\/(shared\/|domains\/[^/]+\/(rules|events)\.ts$)/.test(to)
    )
      problems.push(`${from} imports ${to}: a Durable Object imports only domain rules/events and shared/`);
  }
}

// Libraries the workerd tests load pre-bundled (vitest.config.mts deps.optimizer.ssr.include): an
// entry missing there loads as a second copy next to the bundle and breaks `instanceof`.
const bundled = new Set(
  [...(readFileSync(path.join(root, 'vitest.config.mts'), 'utf8').match(/include: \[([^\]]*)\]/)?.[1] ?? '').matchAll(/'([^']+)'/g)].map(
    (m) => m[1],
  ),
);
const notBundled = new Set();
const scanTests = (d) => {
  for (const n of readdirSync(d)) {
    const p = path.join(d, n);
    if (n === 'node_modules') continue;
    if (statSync(p).isDirectory()) scanTests(p);
    else if (/\.(m?ts|tsx)$/.test(n) && !/\.d\.ts$/.test(n))
      for (const m of readFileSync(p, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"./][^'"]*)['"]/g))
        if (!/^(node:|cloudflare:|vitest$|@cloudflare\/vitest-pool-workers)/.test(m[1]) && !bundled.has(m[1]))
          notBundled.add(`${m[1]} (${rel(p)})`);
  }
};
for (const d of ['workers', 'durable-objects', 'test']) if (existsSync(path.join(root, d))) scanTests(path.join(root, d));
for (const x of notBundled) problems.push(`${x}: add it to deps.optimizer.ssr.include in vitest.config.mts`);

for (const p of problems) console.log(p);
console.log(`${files.length} files checked, ${problems.length} layout problem${problems.length === 1 ? '' : 's'}`);
process.exit(problems.length ? 1 : 0);
