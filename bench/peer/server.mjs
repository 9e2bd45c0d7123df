#!/usr/bin/env node
// The classic flash-sale design many Java malls use, as a comparison peer for bench/flash.mjs:
// a stateless HTTP tier in front of Redis, where one Lua script checks the shopper's limit and
// decrements the stock atomically (Redis runs one script at a time, so that is the lock).
//
//   GET  /hello               → "ok" (this stack's ceiling: Node's HTTP server alone)
//   POST /reserve?sale=NAME   → header x-user: <shopper id>; 200 {"ok":true,"left":n}
//                               or 409 {"error":"sold_out"|"limit_reached"}
//
// A sale is three Redis keys, set up by whoever runs the sale (here: bench/flash.mjs):
//   fs:{NAME}:stock  units left          fs:{NAME}:limit  units per shopper
//   fs:{NAME}:held   hash shopper → units reserved
//
// Deliberately minimal: no auth, no idempotency keys, no order row; and the Redis the bench
// starts for it has persistence off, so nothing it decides is durable.
//
// Env: PORT (default 8790), REDIS_URL (default redis://127.0.0.1:6379).
import http from 'node:http';
import { createClient } from 'redis';

const PORT = Number(process.env.PORT || 8790);

// KEYS[1] stock, KEYS[2] limit, KEYS[3] held (hash); ARGV[1] shopper, ARGV[2] quantity.
// Returns units left (>= 0), -1 sold out, -2 per-shopper limit reached.
const RESERVE_LUA = `
local qty = tonumber(ARGV[2])
local held = tonumber(redis.call('HGET', KEYS[3], ARGV[1]) or '0')
if held + qty > tonumber(redis.call('GET', KEYS[2]) or '1') then return -2 end
local stock = tonumber(redis.call('GET', KEYS[1]) or '0')
if stock < qty then return -1 end
redis.call('DECRBY', KEYS[1], qty)
redis.call('HINCRBY', KEYS[3], ARGV[1], qty)
return stock - qty
`;

const redis = createClient({ url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' });
redis.on('error', (e) => console.error('[peer] redis error:', e.message));
await redis.connect();
const sha = await redis.scriptLoad(RESERVE_LUA);

const json = (res, status, body) => {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(s) });
  res.end(s);
};

const server = http.createServer((req, res) => {
  if (req.url === '/hello') {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
    return;
  }
  const m = /^\/reserve\?sale=([a-z0-9_-]{1,40})$/.exec(req.url ?? '');
  if (m && req.method === 'POST') {
    const user = req.headers['x-user'];
    if (typeof user !== 'string' || !user) return json(res, 400, { error: 'x-user required' });
    req.resume(); // no body needed
    const sale = m[1];
    redis
      .evalSha(sha, { keys: [`fs:{${sale}}:stock`, `fs:{${sale}}:limit`, `fs:{${sale}}:held`], arguments: [user, '1'] })
      .then((left) => {
        if (left >= 0) json(res, 200, { ok: true, left });
        else json(res, 409, { error: left === -1 ? 'sold_out' : 'limit_reached' });
      })
      .catch((e) => json(res, 500, { error: String(e.message) }));
    return;
  }
  json(res, 404, { error: 'not found' });
});
server.keepAliveTimeout = 60_000;
server.listen(PORT, '127.0.0.1', () => console.log(`[peer] listening on http://127.0.0.1:${PORT}`));

const stop = () => {
  server.close();
  redis
    .quit()
    .catch(() => {})
    .finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
