import { describe, expect, it } from 'vitest';
import { FRIEND_STATUS_TEXT, inviteCodeFrom, inviteLink, normaliseInviteCode } from '@/lib/invite';
import { loginTarget } from '@/lib/promo-login';

describe('invite codes from a page query', () => {
  it('reads ?inviteCode=, upper-cased', () => {
    expect(inviteCodeFrom({ inviteCode: 'k7q2mx9d' })).toBe('K7Q2MX9D');
    expect(inviteCodeFrom({ inviteCode: ' K7Q2MX9D ' })).toBe('K7Q2MX9D');
  });
  it('reads the scene of a scanned mini-program code (URL-encoded by WeChat)', () => {
    expect(inviteCodeFrom({ scene: 'i%3DK7Q2MX9D' })).toBe('K7Q2MX9D');
    expect(inviteCodeFrom({ scene: 'x=1&i=K7Q2MX9D' })).toBe('K7Q2MX9D');
  });
  it('ignores anything that is not a code (look-alike characters, wrong length, nothing)', () => {
    expect(inviteCodeFrom({ inviteCode: 'K7Q2MX9O' })).toBeNull(); // O is not in the alphabet
    expect(inviteCodeFrom({ inviteCode: 'K7Q2MX9' })).toBeNull();
    expect(inviteCodeFrom({ scene: 'i=%E4' })).toBeNull();
    expect(inviteCodeFrom({})).toBeNull();
    expect(inviteCodeFrom(undefined)).toBeNull();
    expect(normaliseInviteCode(null)).toBeNull();
  });
});

describe('the invite page', () => {
  it('labels every friend status in Chinese', () => {
    expect(FRIEND_STATUS_TEXT).toEqual({ registered: '已注册', ordered: '已下单', rewarded: '已奖励', invalid: '无效' });
  });
  it('builds the H5 link from the origin and the share path', () => {
    expect(inviteLink('https://shop.example/', '/member/invite/index?inviteCode=K7Q2MX9D')).toBe(
      'https://shop.example/member/invite/index?inviteCode=K7Q2MX9D',
    );
  });
  it('the login page returns to the invite page (member subpackage) after signing in', () => {
    expect(loginTarget('%2Fmember%2Finvite%2Findex%3FinviteCode%3DK7Q2MX9D')).toEqual({
      kind: 'page',
      url: '/member/invite/index?inviteCode=K7Q2MX9D',
    });
    expect(loginTarget('/member/../pages/x/index')).toEqual({ kind: 'tab', url: '/pages/index/index' });
  });
});
