import { createApi, toApiError, type Schemas } from '@edgemall/client';

export const API_BASE: string = (import.meta.env.VITE_API_BASE as string | undefined) || 'http://localhost:8787';

const ACCESS = 'edgemall.admin.accessToken';
const REFRESH = 'edgemall.admin.refreshToken';

export const tokens = {
  get access() {
    return sessionStorage.getItem(ACCESS);
  },
  get refresh() {
    return sessionStorage.getItem(REFRESH);
  },
  set(pair: { accessToken: string; refreshToken: string }) {
    sessionStorage.setItem(ACCESS, pair.accessToken);
    sessionStorage.setItem(REFRESH, pair.refreshToken);
  },
  clear() {
    sessionStorage.removeItem(ACCESS);
    sessionStorage.removeItem(REFRESH);
  },
};

/** Called when a refresh fails: the auth provider sends the user back to the login page. */
let onSignedOut: () => void = () => {
  if (!location.pathname.startsWith('/login') && !location.pathname.startsWith('/apply')) location.assign('/login');
};
export function setSignedOutHandler(fn: () => void) {
  onSignedOut = fn;
}

export const api = createApi({
  baseUrl: API_BASE,
  getToken: () => tokens.access,
  onUnauthorized: async () => {
    const refreshToken = tokens.refresh;
    if (refreshToken) {
      const { data } = await api.POST('/admin/v1/auth/refresh', { body: { refreshToken } });
      if (data) {
        tokens.set(data);
        return true;
      }
    }
    tokens.clear();
    onSignedOut();
    return false;
  },
});

/** Unwraps an openapi-fetch result: the data, or throws an ApiError. */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await p;
  if (error !== undefined || !response.ok) throw toApiError(error ?? `HTTP ${response.status}`, response.status);
  return data as T;
}

export function newIdempotencyKey(): string {
  const c: Crypto = globalThis.crypto;
  // randomUUID needs a secure context (https or localhost); fall back to random bytes elsewhere.
  if (typeof c.randomUUID === 'function' && globalThis.isSecureContext) return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x: number) => x.toString(16).padStart(2, '0')).join('');
}

export type Staff = Schemas['Staff'];
export type Permission = Staff['permissions'][number];
export type { Schemas };
