// A stand-in for @tarojs/taro in component tests: navigation and toasts are recorded, not
// performed; page-lifecycle hooks are no-ops (tests drive the component directly).
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

export const useDidShow = (_fn: () => void) => {};
export const useDidHide = (_fn: () => void) => {};
export const useLoad = (_fn: () => void) => {};
export const usePullDownRefresh = (_fn: () => void) => {};
export const useReachBottom = (_fn: () => void) => {};
export const useShareAppMessage = (_fn: () => unknown) => {};
export const useRouter = () => ({ params: {} as Record<string, string> });
export const stopPullDownRefresh = () => {};
