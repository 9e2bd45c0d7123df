// What the demo scripts share: a tiny JSON client for the local API and console helpers.

/** A client for `base` (e.g. http://localhost:8787): `request` answers any status, `call` throws on ≥ 400. */
export function demoClient(base) {
  async function request(method, path, { token, body, headers = {}, raw } = {}) {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: raw ?? (body ? JSON.stringify(body) : undefined),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  async function call(method, path, opts) {
    const r = await request(method, path, opts);
    if (r.status >= 400) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  return { request, call };
}

export const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;
export const step = (s) => console.log(`\n▶ ${s}`);
export const key = () => `demo-${crypto.randomUUID()}`;
