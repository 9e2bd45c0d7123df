/**
 * Who the shopper is: the token pair in local storage, and the two ways in —
 * `wx.login` → `userLogin` in the mini-program (silent), phone + SMS code → `smsLogin` on H5.
 */
import Taro from '@tarojs/taro';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api } from './index';

type TokenPair = OperationResult<'refreshUserToken'>;

const KEY = 'edgemall.session';
interface Stored {
  accessToken: string;
  refreshToken: string;
  /** epoch ms */
  expiresAt: number;
}

let cached: Stored | null | undefined;
const listeners = new Set<() => void>();

function read(): Stored | null {
  if (cached !== undefined) return cached;
  try {
    const v = Taro.getStorageSync(KEY) as Stored | '';
    cached = v && typeof v === 'object' && v.accessToken ? v : null;
  } catch {
    cached = null;
  }
  return cached;
}

function write(pair: TokenPair | null) {
  cached = pair ? { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: Date.now() + pair.expiresIn * 1000 } : null;
  if (cached) Taro.setStorageSync(KEY, cached);
  else Taro.removeStorageSync(KEY);
  for (const l of listeners) l();
}

export function getAccessToken(): string | null {
  return read()?.accessToken ?? null;
}

export function isLoggedIn(): boolean {
  return !!read();
}

export function clearTokens() {
  write(null);
}

/** Calls `fn` whenever the shopper signs in or out; returns the unsubscribe. */
export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

let refreshing: Promise<boolean> | null = null;
/** Rotates the refresh token for a new access token; false when there is none or it was refused. */
export function refreshTokens(): Promise<boolean> {
  const s = read();
  if (!s) return Promise.resolve(false);
  refreshing ??= api
    .call('refreshUserToken', { body: { refreshToken: s.refreshToken } })
    .then((pair) => (write(pair), true))
    .catch(() => false)
    .finally(() => (refreshing = null));
  return refreshing;
}

const INVITE_KEY = 'edgemall.invite';
const DEVICE_KEY = 'edgemall.device';

/**
 * Keeps the invite code a page was opened with (a shared link, a scanned code) until the next
 * sign-in, which sends it: the server binds it only if that sign-in creates the shopper.
 */
export function rememberInviteCode(code: string | null): void {
  if (code) Taro.setStorageSync(INVITE_KEY, code);
}

export function pendingInviteCode(): string | undefined {
  try {
    const v = Taro.getStorageSync(INVITE_KEY) as string | '';
    return v || undefined;
  } catch {
    return undefined;
  }
}

/** This install's id: random, made once and kept in local storage (the server only compares it). */
export function deviceId(): string {
  try {
    const have = Taro.getStorageSync(DEVICE_KEY) as string | '';
    if (have) return have;
  } catch {
    /* fall through: make one */
  }
  const id = `d-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;
  Taro.setStorageSync(DEVICE_KEY, id);
  return id;
}

/** What every sign-in sends besides its credentials; the invite code is used once. */
function inviteFields() {
  return { inviteCode: pendingInviteCode(), deviceId: deviceId() };
}

function signedIn(pair: TokenPair) {
  Taro.removeStorageSync(INVITE_KEY);
  write(pair);
}

/** Mini-program sign-in: wx.login's one-time code, exchanged by the server (jscode2session). */
export async function wxLogin(): Promise<void> {
  const { code } = await Taro.login();
  signedIn(await api.call('userLogin', { body: { code, ...inviteFields() } }));
}

/** Asks for an SMS code; in the sandbox the answer carries the code itself. */
export function sendSmsCode(phone: string) {
  return api.call('sendSmsCode', { body: { phone } });
}

export async function smsLogin(phone: string, code: string): Promise<void> {
  signedIn(await api.call('smsLogin', { body: { phone, code, ...inviteFields() } }));
}

export async function logout(): Promise<void> {
  try {
    if (isLoggedIn()) await api.call('userLogout');
  } finally {
    write(null);
  }
}

/**
 * Makes sure someone is signed in before a shopper-only action. The mini-program signs in
 * silently; H5 goes to the login page (which comes back here) and answers false.
 */
export async function ensureLogin(): Promise<boolean> {
  if (isLoggedIn()) return true;
  if (process.env.TARO_ENV === 'weapp') {
    await wxLogin();
    return true;
  }
  // The router knows this page's params on both platforms (H5 pages have no `options`).
  const router = Taro.getCurrentInstance().router;
  const pages = Taro.getCurrentPages();
  const route = (router?.path ?? pages[pages.length - 1]?.route ?? '').split('?')[0]!.replace(/^\/+/, '');
  const back = route ? `/${route}${queryOf(router?.params ?? pages[pages.length - 1]?.options)}` : '/pages/index/index';
  await Taro.navigateTo({ url: `/pages/login/index?redirect=${encodeURIComponent(back)}` });
  return false;
}

function queryOf(options: Record<string, string | undefined> | undefined): string {
  const parts = Object.entries(options ?? {})
    .filter(([k, v]) => v !== undefined && k !== '$taroTimestamp')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
