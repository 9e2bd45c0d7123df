/**
 * Typed API client for edgemall, shared by the operator console (web/admin) and the storefront.
 * Types come from `schema.d.ts`, generated from the API's OpenAPI document (`npm run client:generate`).
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, paths, operations } from './schema';
export type Schemas = components['schemas'];
export * from './money';
export { ApiError, toApiError } from './errors';
import { toApiError } from './errors';

export interface ApiOptions {
  /** e.g. http://localhost:8787 (no trailing slash needed). */
  baseUrl: string;
  /** The current access token, or null when signed out. */
  getToken: () => string | null | undefined;
  /**
   * Called once when a request answers 401. Return true after refreshing the token to retry the
   * request once with the new token; return false (e.g. after sending the user to the login page)
   * to give the 401 back to the caller.
   */
  onUnauthorized?: () => Promise<boolean> | boolean;
  /** fetch implementation (tests); defaults to globalThis.fetch. */
  fetch?: typeof fetch;
}

export type ApiClient = Client<paths> & {
  /**
   * An untyped request through the same auth/refresh handling, for routes that are not in the
   * generated schema yet. Returns the parsed JSON body, throws ApiError on a non-2xx answer.
   */
  raw: <T = unknown>(
    method: string,
    path: string,
    init?: { query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> },
  ) => Promise<T>;
  baseUrl: string;
};

const AUTH_PATHS = /\/auth\/(login|refresh)$/;

export function createApi(opts: ApiOptions): ApiClient {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  let refreshing: Promise<boolean> | null = null;

  const authFetch = async (input: Request): Promise<Response> => {
    const isAuthCall = AUTH_PATHS.test(new URL(input.url).pathname);
    const withToken = (req: Request) => {
      const r = new Request(req);
      // Login and refresh go without the (possibly expired) access token: the server would reject it first.
      const token = isAuthCall ? null : opts.getToken();
      if (token && !r.headers.has('authorization')) r.headers.set('authorization', `Bearer ${token}`);
      return r;
    };
    const spare = input.clone();
    const res = await doFetch(withToken(input));
    if (res.status !== 401 || !opts.onUnauthorized || isAuthCall) return res;
    // One refresh shared by every request that hit the 401 at the same time.
    refreshing ??= Promise.resolve(opts.onUnauthorized()).finally(() => {
      setTimeout(() => (refreshing = null), 0);
    });
    const retry = await refreshing;
    if (!retry) return res;
    return doFetch(withToken(spare));
  };

  const client = createClient<paths>({ baseUrl, fetch: authFetch }) as ApiClient;
  client.baseUrl = baseUrl;
  client.raw = async <T>(
    method: string,
    path: string,
    init: { query?: Record<string, unknown>; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const url = new URL(baseUrl + path);
    for (const [k, v] of Object.entries(init.query ?? {}))
      if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    let body: BodyInit | undefined;
    if (init.body instanceof FormData || init.body instanceof Blob || typeof init.body === 'string') body = init.body as BodyInit;
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await authFetch(new Request(url, { method: method.toUpperCase(), headers, body }));
    const text = await res.text();
    let data: unknown = undefined;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (!res.ok) throw toApiError(data ?? `HTTP ${res.status}`, res.status);
    return data as T;
  };
  return client;
}
