/**
 * The storefront's API: every page calls the server through `api.call('<operationId>', …)`,
 * typed from the OpenAPI document (web/client). Tokens live in local storage; a 401 refreshes
 * once, and when the refresh token is gone too the mini-program signs in again silently
 * (wx.login) while H5 sends the shopper to the SMS login page.
 */
import Taro from '@tarojs/taro';
import { createOperationClient } from '@edgemall/client/operation-client';
import { send, sendFile } from './transport';
import { clearTokens, getAccessToken, refreshTokens, wxLogin } from './session';

export { ApiError } from '@edgemall/client/errors';

export const api = createOperationClient({
  baseUrl: API_BASE,
  send,
  sendFile,
  getToken: getAccessToken,
  onUnauthorized: async () => {
    if (await refreshTokens()) return true;
    clearTokens();
    if (process.env.TARO_ENV === 'weapp') return wxLogin().then(() => true, () => false);
    return false;
  },
});

/** The error message to show a shopper for a failed call (the server's message is already Chinese where it matters). */
export function errorText(e: unknown): string {
  const err = e as { message?: string; code?: string; errMsg?: string } | undefined;
  if (err?.code === 'network') return '网络不给力，请稍后再试';
  return err?.message || err?.errMsg || '出错了，请稍后再试';
}

/** Shows `errorText(e)` as a toast. */
export function toastError(e: unknown) {
  void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
}
