// CPU profile of the reserve path by hand: in one terminal
//   BENCH_INSPECTOR_PORT=9229 npm run bench:flash -- --serve
// then in another: node --experimental-websocket bench/profile.mjs [path]
// It samples the app's isolate (the Worker and its DOs) while autocannon drives 32 connections for
// 8 s, and prints self and inclusive time per function of the bundled worker.
import { createRequire } from 'node:module';
const require = createRequire(new URL('../package.json', import.meta.url));
const autocannon = require('autocannon');
const serve = require('./bench/.build/serve.json');
const shoppers = require('./bench/.build/shoppers.json');
const ws = new WebSocket('ws://127.0.0.1:9229/core:user:edgemall');
let id = 0;
const pending = new Map();
ws.onmessage = (e) => {
  const m = JSON.parse(e.data);
  if (m.id && pending.has(m.id)) {
    pending.get(m.id)(m);
    pending.delete(m.id);
  }
};
const send = (method, params = {}) =>
  new Promise((res) => {
    const i = ++id;
    pending.set(i, res);
    ws.send(JSON.stringify({ id: i, method, params }));
  });
await new Promise((r) => (ws.onopen = r));
await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: 200 });
await send('Profiler.start');
let n = 0;
const path = process.argv[2] ?? serve.reservePath;
await new Promise((resolve) =>
  autocannon(
    {
      url: serve.url,
      connections: 32,
      duration: 8,
      requests: [
        {
          method: 'POST',
          path,
          setupRequest: (req) => {
            const s = shoppers[n++ % shoppers.length];
            return {
              ...req,
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${s.token}`,
                'idempotency-key': `prof-${n}-${Math.random().toString(36).slice(2)}`,
              },
              body: '{"quantity":1}',
            };
          },
        },
      ],
    },
    (err, r) => {
      console.log('req/s', r.requests.average, 'statuses', r.statusCodeStats ? JSON.stringify(r.statusCodeStats) : '');
      resolve();
    },
  ),
);
const { result } = await send('Profiler.stop');
const p = result.profile;
const byId = new Map(p.nodes.map((nd) => [nd.id, nd]));
const dt = p.timeDeltas.reduce((a, b) => a + b, 0) / p.samples.length;
const self = new Map();
const counts = new Map();
for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
let total = 0;
for (const [nid, c] of counts) {
  const nd = byId.get(nid);
  const f = nd.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + c);
  total += c;
}
const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
for (const [k, c] of top) console.log(((100 * c) / total).toFixed(1).padStart(5) + '%', k);
// inclusive time for named functions of interest
const parent = new Map();
for (const nd of p.nodes) for (const ch of nd.children ?? []) parent.set(ch, nd.id);
const incl = new Map();
for (const [nid, c] of counts) {
  const seen = new Set();
  for (let x = nid; x != null; x = parent.get(x)) {
    const f = byId.get(x).callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    if (seen.has(key)) continue;
    seen.add(key);
    incl.set(key, (incl.get(key) ?? 0) + c);
  }
}
console.log('--- inclusive top 60');
for (const [k, c] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(((100 * c) / total).toFixed(1).padStart(5) + '%', k);
process.exit(0);
