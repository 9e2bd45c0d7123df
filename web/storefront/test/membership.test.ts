import { describe, expect, it } from 'vitest';
import { birthdayHint, changeLine, profileChanges, reviewText, tierProgress, type Membership, type TierBrief } from '@/lib/membership';

const tier = (name: string, threshold: number): TierBrief => ({
  id: `tir_${name}`,
  name,
  rank: threshold,
  threshold,
  icon: { name: 'crown', color: '#d4a017', url: null },
});

describe('tierProgress', () => {
  it('measures from the current threshold to the next', () => {
    expect(tierProgress({ tier: tier('银卡会员', 500), nextTier: tier('金卡会员', 2000), growth: 1250, growthToNext: 750 })).toEqual({
      percent: 50,
      text: '再获得 750 成长值升级为金卡会员',
    });
    expect(tierProgress({ tier: tier('钻石会员', 8000), nextTier: null, growth: 9000, growthToNext: null }).percent).toBe(100);
    expect(tierProgress({ tier: null, nextTier: null, growth: 0, growthToNext: null }).text).toBe('会员等级即将开放');
    // kept above its threshold after a review lowered the window: never past 100 or below 0
    expect(tierProgress({ tier: tier('金卡会员', 2000), nextTier: tier('钻石会员', 8000), growth: 100, growthToNext: 7900 }).percent).toBe(
      0,
    );
  });
});

describe('texts', () => {
  it('reads the review date in Beijing time and the history line', () => {
    const m = { tier: tier('金卡会员', 2000), reviewAt: '2027-12-06T16:30:00.000Z', growthWindowMonths: 12 } as Pick<
      Membership,
      'tier' | 'reviewAt' | 'growthWindowMonths'
    >;
    expect(reviewText(m)).toBe('保级日期 2027-12-07：届时近12个月成长值达到 2000 即可保持金卡会员');
    expect(reviewText({ ...m, reviewAt: null })).toBeNull();
    const line = changeLine({
      id: 'tch_1',
      fromTier: null,
      toTier: { id: 't', name: '银卡会员' },
      reason: 'review_downgrade',
      reasonText: '保级未达标，降为银卡会员',
      growth: 610,
      note: null,
      createdAt: '2027-12-06T16:30:00.000Z',
    });
    expect(line).toEqual({ date: '2027-12-07', text: '保级未达标，降为银卡会员', tone: 'down' });
  });

  it('sends only what changed and explains the birthday rule', () => {
    const me = { nickname: '微信用户ab12', birthday: null, gender: null };
    expect(profileChanges(me, { nickname: ' 小鱼 ', birthday: '1995-06-18', gender: 'female' })).toEqual({
      body: { nickname: '小鱼', birthday: '1995-06-18', gender: 'female' },
      error: null,
    });
    expect(profileChanges(me, { nickname: '微信用户ab12', birthday: null, gender: null }).body).toEqual({});
    expect(profileChanges(me, { nickname: '  ', birthday: null, gender: null }).error).toBe('请填写昵称');
    expect(birthdayHint({ birthday: null, birthdayChangeableFrom: null })).toContain('生日礼');
    expect(birthdayHint({ birthday: '1995-06-18', birthdayChangeableFrom: '2027-06-17T16:00:00.000Z' })).toBe(
      '生日每年只能修改一次，2027-06-18 后可再修改',
    );
  });
});
