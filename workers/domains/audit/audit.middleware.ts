import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import type { Context } from 'hono';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../shared/http';
import { ctxOf } from '../../shared/http';
import type { Env } from '../../shared/env';
import type { StaffActor } from '../../shared/context';
import { recordAudit } from './audit.service';

type HonoExecutionCtx = Context['executionCtx'];
type Fetcher = (req: Request, env: Env, executionCtx?: HonoExecutionCtx) => Response | Promise<Response>;

interface RouteInfo {
  method: string;
  /** Hono pattern with the mount prefix, e.g. /admin/v1/products/:productId */
  pattern: string;
  operationId: string | null;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** JSON bodies larger than this are not read a second time for the log. */
const MAX_BODY_READ = 256 * 1024;

/**
 * Writes whose "before" is not the GET of their own path: the snapshot comes from another route
 * (still fetched with the caller's token, so it shows only what the caller may see).
 */
const BEFORE_SOURCES: Record<
  string,
  { path: (p: Record<string, string>) => string; pick: (json: any, p: Record<string, string>) => unknown }
> = {
  adjustStock: {
    path: (p) => `/skus/${encodeURIComponent(p.skuId ?? '')}/stock-ledger?limit=1`,
    pick: (json, p) => ({ skuId: p.skuId, stock: json?.items?.[0]?.stockAfter ?? 0, lastEntry: json?.items?.[0] ?? null }),
  },
};

const singular = (word: string): string => {
  const w = word.replace(/-/g, '_');
  if (/ies$/.test(w)) return `${w.slice(0, -3)}y`;
  if (/(ss|us|media)$/.test(w)) return w;
  return w.endsWith('s') ? w.slice(0, -1) : w;
};

const snake = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

const safeDecode = (v: string) => {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

/** Matches a concrete path against a Hono pattern and returns its params (null: no match). */
function matchParams(pattern: string, path: string): Record<string, string> | null {
  const ps = pattern.split('/');
  const xs = path.split('/');
  if (ps.length !== xs.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    if (p.startsWith(':')) out[p.slice(1).replace(/\{.*\}$/, '')] = safeDecode(xs[i]!);
    else if (p !== xs[i]) return null;
  }
  return out;
}

/** The main resource of a write: the route's last path param, or for a create the id it returned. */
export function targetOf(pattern: string, params: Record<string, string>, responseId: unknown): { type: string | null; id: string | null } {
  const segs = pattern.split('/').filter(Boolean);
  for (let i = segs.length - 1; i >= 0; i--) {
    const s = segs[i]!;
    if (!s.startsWith(':')) continue;
    const name = s.slice(1).replace(/\{.*\}$/, '');
    const type = name === 'id' ? singular(segs[i - 1] ?? 'resource') : snake(name.replace(/Id$/, ''));
    return { type, id: params[name] ?? null };
  }
  const last = [...segs].reverse().find((s) => !s.startsWith(':'));
  return { type: last ? singular(last) : null, id: typeof responseId === 'string' ? responseId : null };
}

const isJson = (h: string | null | undefined) => !!h && /application\/(.+\+)?json/i.test(h);

function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header('cf-connecting-ip') ?? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() ?? c.req.header('x-real-ip') ?? null;
}

function executionCtxOf(c: Context<AppEnv>): HonoExecutionCtx | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/**
 * The audit trail of the admin API: after every non-GET request by a signed-in staff member, one
 * audit_log row with who, which operation (operationId), the target, the request body without
 * secrets, the resource before (its GET, fetched with the caller's token before the handler ran)
 * and the response after. The row is written in the background (waitUntil) and a failure to write
 * it is logged, never turned into a failed request.
 *
 * Mount it on the admin router before its routes, behind `authenticate`; `router` is that router
 * (its OpenAPI registry names each route) and `fetch` the root app (for the "before" GET).
 */
export function auditStaffWrites(opts: { prefix: string; router: () => OpenAPIHono<AppEnv>; fetch: Fetcher }) {
  let routes: RouteInfo[] | null = null;
  const routeTable = (): RouteInfo[] => {
    if (routes) return routes;
    routes = [];
    for (const def of opts.router().openAPIRegistry.definitions) {
      if (def.type !== 'route') continue;
      const r = def.route;
      routes.push({
        method: r.method.toUpperCase(),
        pattern: `${opts.prefix}${r.path.replace(/{([^}]+)}/g, ':$1')}`,
        operationId: r.operationId ?? null,
      });
    }
    return routes;
  };
  const find = (method: string, pattern: string) => routeTable().find((r) => r.method === method && r.pattern === pattern);
  const findByPath = (method: string, path: string) => {
    for (const r of routeTable()) {
      if (r.method !== method) continue;
      const params = matchParams(r.pattern, path);
      if (params) return { route: r, params };
    }
    return null;
  };

  return createMiddleware<AppEnv>(async (c, next) => {
    const actor = c.get('actor');
    const method = c.req.method.toUpperCase();
    const path = c.req.path;
    if (actor?.kind !== 'staff' || READ_METHODS.has(method) || path.startsWith(`${opts.prefix}/auth/`)) return next();

    const log = c.get('log');
    const ec = executionCtxOf(c);
    let pattern = path;
    let info: RouteInfo | undefined;
    let params: Record<string, string> = {};
    try {
      // The route that will answer: the first matched handler registered for this method.
      pattern = matchedRoutes(c).find((r) => r.method === method)?.path ?? path;
      info = find(method, pattern) ?? findByPath(method, path)?.route;
      params = matchParams(info?.pattern ?? pattern, path) ?? {};
    } catch (e) {
      log?.warn('audit route lookup failed', { path, err: String(e) });
    }
    const action = info?.operationId ?? `${method} ${(info?.pattern ?? pattern).slice(opts.prefix.length) || '/'}`;

    let request: unknown = null;
    try {
      const ct = c.req.header('content-type');
      const length = Number(c.req.header('content-length') ?? 0) || null;
      if (isJson(ct) && length !== null && length > MAX_BODY_READ) {
        // Not worth buffering a second copy: the entry keeps only a preview of 8 KB anyway.
        request = { truncated: true, bytes: length };
      } else if (isJson(ct)) {
        const text = await c.req.raw.clone().text();
        request = text ? JSON.parse(text) : null;
      } else if (ct) {
        request = { contentType: ct.split(';')[0], bytes: length };
      }
    } catch {
      request = { unparsable: true };
    }

    let before: unknown = null;
    try {
      before = await snapshotBefore();
    } catch (e) {
      log?.warn('audit before-snapshot failed', { path, err: String(e) });
    }

    await next();

    const res = c.res;
    const status = res.status;
    let resClone: Response | null = null;
    try {
      resClone = isJson(res.headers.get('content-type')) && res.body ? res.clone() : null;
    } catch (e) {
      log?.warn('audit could not copy the response', { path, err: String(e) });
    }
    const task = (async () => {
      let after: unknown = null;
      if (resClone) {
        const text = await resClone.text();
        try {
          after = text ? JSON.parse(text) : null;
        } catch {
          after = { unparsable: true };
        }
      }
      const responseId = after && typeof after === 'object' && !Array.isArray(after) ? (after as { id?: unknown }).id : null;
      const target = targetOf(info?.pattern ?? pattern, params, status < 300 ? responseId : null);
      await recordAudit(ctxOf(c), {
        actor: actor as StaffActor,
        action,
        method,
        path,
        targetType: target.type,
        targetId: target.id,
        status,
        request,
        before,
        after,
        requestId: c.get('requestId'),
        ip: clientIp(c),
      });
    })().catch((e) => log?.error('audit write failed', { path, action, err: e instanceof Error ? e.message : String(e) }));
    if (ec) ec.waitUntil(task);
    else await task;

    /** The GET that shows the resource this write is about, made with the caller's own token. */
    async function snapshotBefore(): Promise<unknown> {
      const special = info?.operationId ? BEFORE_SOURCES[info.operationId] : undefined;
      let getPath: string | null = null;
      if (special) getPath = `${opts.prefix}${special.path(params)}`;
      else if (method === 'PATCH' || method === 'PUT' || method === 'DELETE') {
        if (findByPath('GET', path)) getPath = path;
      } else if (Object.keys(params).length > 0) {
        // A POST under a resource (/orders/{id}/ship): the nearest enclosing resource with a GET.
        const segs = path.split('/');
        const pats = (info?.pattern ?? pattern).split('/');
        for (let n = segs.length; n > 1; n--) {
          if (!pats[n - 1]?.startsWith(':')) continue;
          const candidate = segs.slice(0, n).join('/');
          if (findByPath('GET', candidate)) {
            getPath = candidate;
            break;
          }
        }
      }
      if (!getPath) return null;
      const headers = new Headers({ 'x-request-id': `${c.get('requestId')}-before` });
      const auth = c.req.header('authorization');
      if (auth) headers.set('authorization', auth);
      const res = await opts.fetch(new Request(new URL(getPath, c.req.url), { method: 'GET', headers }), c.env, ec);
      if (res.status !== 200 || !isJson(res.headers.get('content-type'))) return null;
      const json = await res.json();
      return special ? special.pick(json, params) : json;
    }
  });
}
