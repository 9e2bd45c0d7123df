/** The login page's rules: a valid phone, and where to go afterwards. Pure: no Taro. */

/** 11-digit mainland mobile number (what sendSmsCode / smsLogin accept). */
export function isValidPhone(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone.trim());
}

/** A 6-digit SMS code. */
export function isValidSmsCode(code: string): boolean {
  return /^\d{6}$/.test(code.trim());
}

const TAB_PAGES = new Set(['/pages/index/index', '/pages/category/index', '/pages/cart/index', '/pages/mine/index']);
const HOME = '/pages/index/index';

/**
 * Where to go after signing in: `redirect` (a page path — main package or the member/ subpackage —, maybe still URL-encoded) as a tab
 * (switchTab takes no query) or a page (redirectTo), or home when missing or not a page of ours
 * (never the login page itself, never another site).
 */
export function loginTarget(redirect: string | undefined | null): { kind: 'tab' | 'page'; url: string } {
  let r = (redirect ?? '').trim();
  for (let i = 0; i < 2 && /^%2F/i.test(r); i++) {
    try {
      r = decodeURIComponent(r);
    } catch {
      r = '';
    }
  }
  // One leading slash: on H5 a page's route already starts with one, so "/" + route doubles it.
  if (r) r = `/${r.replace(/^\/+/, '')}`;
  const path = r.split('?')[0] ?? '';
  if (!/^\/(pages|member)\/[\w-]+\/index$/.test(path) || path === '/pages/login/index') return { kind: 'tab', url: HOME };
  if (TAB_PAGES.has(path)) return { kind: 'tab', url: path };
  return { kind: 'page', url: r };
}
