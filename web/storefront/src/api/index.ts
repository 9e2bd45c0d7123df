/**
 * The storefront's API: every page calls the server through `api.call('<operationId>', …)`,
 * typed from the OpenAPI document (web/client). Tokens live in local storage; a 401 refreshes
 * once, and when the refresh token is gone too the mini-program signs in again silently
 * (wx.login) while H5 sends the shopper to the SMS login page.
 */
import Taro from '@tarojs/taro';
import { createOperationClient } from '@edgemall/client/operation-client';
import { send, sendFile } from './transport';
import { errorText } from '@/lib/error-text';
import { clearTokens, getAccessToken, refreshTokens, wxLogin } from './session';

export { ApiError } from '@edgemall/client/errors';
export { errorText };

export const api = createOperationClient({
  baseUrl: API_BASE,
  send,
  sendFile,
  getToken: getAccessToken,
  onUnauthorized: async () => {
    if (await refreshTokens()) return true;
    clearTokens();
    if (process.env.TARO_ENV === 'weapp')
      return wxLogin().then(
        () => true,
        () => false,
      );
    return false;
  },
});

/** Shows `errorText(e)` as a toast. */
export function toastError(e: unknown) {
  void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
}
