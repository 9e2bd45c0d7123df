import { SELF, env } from 'cloudflare:test';

export { env };

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the Worker through its real fetch handler (routing, middleware, bindings). */
export async function api<T = any>(
  method: string,
  path: string,
  opts: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: BodyInit } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined = opts.raw;
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await SELF.fetch(`http://edgemall.test${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* non-JSON body (HTML, CSV, images) stays text */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Sandbox WeChat login: the same code is always the same shopper. */
export async function shopperToken(code = 'shopper-a'): Promise<string> {
  const r = await api('POST', '/store/v1/auth/wx-login', { body: { code } });
  if (r.status !== 200) throw new Error(`shopper login failed: ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

/** The seeded admin (created from SEED_ADMIN_PASSWORD on first login). */
export async function adminToken(): Promise<string> {
  const r = await api('POST', '/admin/v1/auth/login', { body: { email: 'admin@edgemall.local', password: env.SEED_ADMIN_PASSWORD } });
  if (r.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

let staffSeq = 0;
/** Creates a staff member with the given role (and merchant) and signs them in. */
export async function staffToken(role: 'admin' | 'operator' | 'support' | 'merchant', merchantId?: string): Promise<string> {
  const admin = await adminToken();
  const email = `${role}${++staffSeq}-${crypto.randomUUID().slice(0, 6)}@edgemall.test`;
  const password = 'correct-horse-battery';
  const created = await api('POST', '/admin/v1/staff', { token: admin, body: { email, name: role, password, role, merchantId } });
  if (created.status !== 201) throw new Error(`create staff failed: ${JSON.stringify(created.body)}`);
  const r = await api('POST', '/admin/v1/auth/login', { body: { email, password } });
  return r.body.accessToken;
}
