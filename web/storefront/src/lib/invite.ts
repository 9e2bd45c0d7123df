/**
 * 邀请有礼 on the client: reading an invite code from a page's query (H5 `?inviteCode=`, a shared
 * card's path, or a scanned mini-program code's `scene` "i=CODE"), and the labels of the invite
 * page. Pure: no Taro.
 */

const CODE = /^[2-9A-HJKMNP-TV-Z]{8}$/;

function decode(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** A well-formed invite code, upper-cased, or null. */
export function normaliseInviteCode(raw: string | null | undefined): string | null {
  const c = decode(String(raw ?? ''))
    .trim()
    .toUpperCase();
  return CODE.test(c) ? c : null;
}

/**
 * The invite code a page was opened with: `inviteCode`, or the `scene` of an unlimited
 * mini-program code ("i=K7Q2MX9D", URL-encoded by WeChat), or null.
 */
export function inviteCodeFrom(params: Record<string, string | undefined> | null | undefined): string | null {
  if (!params) return null;
  const direct = normaliseInviteCode(params.inviteCode);
  if (direct) return direct;
  const scene = decode(params.scene ?? '');
  const m = /(?:^|&)i=([^&]+)/.exec(scene);
  return m ? normaliseInviteCode(m[1]) : null;
}

export type FriendStatus = 'registered' | 'ordered' | 'rewarded' | 'invalid';

export const FRIEND_STATUS_TEXT: Record<FriendStatus, string> = {
  registered: '已注册',
  ordered: '已下单',
  rewarded: '已奖励',
  invalid: '无效',
};

/** The H5 link to share: the site origin + the invite page path with the code. */
export function inviteLink(origin: string, path: string): string {
  return `${origin.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}
