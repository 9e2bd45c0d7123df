// A stand-in for @tarojs/taro in component tests: navigation and toasts are recorded, not
// performed. Of the page-lifecycle hooks, show and hide are fired by the test (pageShow /
// pageHide); the others are no-ops (tests drive the component directly).
import { useEffect, useRef } from 'react';

type Call = { api: string; args: unknown[] };
export const calls: Call[] = [];
const storage = new Map<string, unknown>();

const record =
  (api: string, result: unknown = {}) =>
  (...args: unknown[]) => {
    calls.push({ api, args });
    return Promise.resolve(result);
  };

export function resetTaro() {
  calls.length = 0;
  storage.clear();
}

const Taro = {
  showToast: record('showToast'),
  showModal: record('showModal', { confirm: true, cancel: false }),
  showLoading: record('showLoading'),
  hideLoading: record('hideLoading'),
  navigateTo: record('navigateTo'),
  redirectTo: record('redirectTo'),
  switchTab: record('switchTab'),
  navigateBack: record('navigateBack'),
  vibrateShort: record('vibrateShort'),
  setClipboardData: record('setClipboardData'),
  getCurrentPages: () => [],
  getCurrentInstance: () => ({ router: null }),
  getStorageSync: (k: string) => storage.get(k) ?? '',
  setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
  removeStorageSync: (k: string) => void storage.delete(k),
  getEnv: () => 'WEB',
  ENV_TYPE: { WEAPP: 'WEAPP', WEB: 'WEB' },
};
export default Taro;

const shown = new Set<() => void>();
const hidden = new Set<() => void>();
function lifecycle(set: Set<() => void>) {
  return (fn: () => void) => {
    const ref = useRef(fn);
    ref.current = fn;
    useEffect(() => {
      const call = () => ref.current();
      set.add(call);
      return () => void set.delete(call);
    }, []);
  };
}
export const useDidShow = lifecycle(shown);
export const useDidHide = lifecycle(hidden);
/** The page comes back on screen (wrap in act). */
export const pageShow = () => shown.forEach((f) => f());
/** Another page covers this one, or the app goes to the background (wrap in act). */
export const pageHide = () => hidden.forEach((f) => f());
export const useLoad = (_fn: () => void) => {};
export const usePullDownRefresh = (_fn: () => void) => {};
export const useReachBottom = (_fn: () => void) => {};
export const useShareAppMessage = (_fn: () => unknown) => {};
export const useRouter = () => ({ params: {} as Record<string, string> });
export const stopPullDownRefresh = () => {};
