import { describe, expect, it } from 'vitest';
import {
  joinBlock,
  JOIN_BLOCK_TEXT,
  missing,
  teamPagePath,
  teamPercent,
  teamProgressText,
  teamSlots,
  TEAM_STATUS_TEXT,
  type GroupTeam,
} from '@/lib/promo-group';

const NOW = Date.parse('2026-12-04T10:00:00.000Z');
type Member = GroupTeam['members'][number];
const m = (over: Partial<Member> = {}): Member => ({ role: 'member', name: '张**', paid: true, you: false, ...over });

function team(over: Partial<GroupTeam> = {}): Pick<GroupTeam, 'status' | 'seatsLeft' | 'expiresAt' | 'members'> {
  return { status: 'open', seatsLeft: 1, expiresAt: '2026-12-04T12:00:00.000Z', members: [m({ role: 'leader', name: '李**' })], ...over };
}

describe('teamSlots', () => {
  it('puts the leader first, then members, then empty places', () => {
    const slots = teamSlots({ size: 3, members: [m({ name: '王**', paid: false, you: true }), m({ role: 'leader', name: '李**' })] });
    expect(slots).toEqual([
      { filled: true, name: '李**', leader: true, paid: true, you: false },
      { filled: true, name: '王**', leader: false, paid: false, you: true },
      { filled: false, name: '', leader: false, paid: false, you: false },
    ]);
  });
  it('never shows more places than the team size', () => {
    expect(teamSlots({ size: 2, members: [m({ role: 'leader' }), m(), m({ role: 'virtual', name: '拼团用户' })] })).toHaveLength(2);
  });
  it('is all empty places for a team without members', () => {
    expect(teamSlots({ size: 2, members: [] }).map((s) => s.filled)).toEqual([false, false]);
  });
});

describe('missing / teamPercent / teamProgressText', () => {
  it('counts paid members', () => {
    expect(missing({ size: 3, paidCount: 1 })).toBe(2);
    expect(missing({ size: 3, paidCount: 5 })).toBe(0);
    expect(teamPercent({ size: 3, paidCount: 1 })).toBe(33);
    expect(teamPercent({ size: 3, paidCount: 4 })).toBe(100);
    expect(teamPercent({ size: 0, paidCount: 0 })).toBe(0);
  });
  it('says 还差 N 人成团 while the team is forming or open', () => {
    expect(teamProgressText({ size: 3, paidCount: 1, status: 'open' })).toBe('还差 2 人成团');
    expect(teamProgressText({ size: 2, paidCount: 0, status: 'forming' })).toBe('还差 2 人成团');
    expect(teamProgressText({ size: 2, paidCount: 2, status: 'open' })).toBe('即将成团');
  });
  it('says the outcome once decided', () => {
    expect(teamProgressText({ size: 2, paidCount: 2, status: 'succeeded' })).toBe('拼团成功');
    expect(teamProgressText({ size: 2, paidCount: 1, status: 'failed' })).toBe('拼团失败·已退款');
    expect(teamProgressText({ size: 2, paidCount: 0, status: 'void' })).toBe('已失效');
  });
  it('TEAM_STATUS_TEXT names every status', () => {
    expect(TEAM_STATUS_TEXT).toEqual({
      forming: '待开团',
      open: '拼团中',
      succeeded: '拼团成功',
      failed: '拼团失败·已退款',
      void: '已失效',
    });
  });
});

describe('joinBlock', () => {
  it('is null for an open team with a seat left, before it expires', () => {
    expect(joinBlock(team(), NOW)).toBeNull();
  });
  it('is member when the shopper is already in it (whatever its state)', () => {
    expect(joinBlock(team({ members: [m({ role: 'leader' }), m({ you: true })] }), NOW)).toBe('member');
    expect(joinBlock(team({ status: 'succeeded', members: [m({ you: true })] }), NOW)).toBe('member');
  });
  it('is ended once decided or past its expiry', () => {
    expect(joinBlock(team({ status: 'succeeded' }), NOW)).toBe('ended');
    expect(joinBlock(team({ status: 'failed' }), NOW)).toBe('ended');
    expect(joinBlock(team({ status: 'void' }), NOW)).toBe('ended');
    expect(joinBlock(team({ expiresAt: '2026-12-04T10:00:00.000Z' }), NOW)).toBe('ended');
  });
  it('is not_open while the leader has not paid', () => {
    expect(joinBlock(team({ status: 'forming' }), NOW)).toBe('not_open');
  });
  it('is full without a seat', () => {
    expect(joinBlock(team({ seatsLeft: 0 }), NOW)).toBe('full');
  });
  it('has a button text for each block', () => {
    expect(JOIN_BLOCK_TEXT).toEqual({ member: '你已在团中', full: '已满员', ended: '拼团已结束', not_open: '团长支付后可参团' });
  });
});

describe('teamPagePath', () => {
  it('is the storefront team page with the id', () => {
    expect(teamPagePath('gbt_abc')).toBe('/pages/team/index?id=gbt_abc');
    expect(teamPagePath('a b&c')).toBe('/pages/team/index?id=a%20b%26c');
  });
});
